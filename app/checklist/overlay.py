"""Load a state overlay against its base checklist, and merge them into the effective one.

`apply_overlay(base, overlay)` is pure: base + overlay -> effective checklist and the list
of changes the attestation prints. `load_overlay_bytes` validates an overlay file against
the base it is pinned to, naming file:line for every problem.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.checklist.authorities import REGISTRY_KEY, Citation, parse_registry
from app.checklist.errors import ChecklistError, ChecklistIssue
from app.checklist.loader import LoadedChecklist, parse_document, read_checklist_file, schema_issues
from app.checklist.model import (
    CHOICE_TYPES,
    Checklist,
    FindingRule,
    Question,
    Section,
)
from app.checklist.overlay_model import AddedQuestion, Overlay
from app.checklist.semantics import check_semantics
from app.checklist.yaml_source import LocatedDocument, YamlProblem, parse_located_yaml

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class OverlayChange:
    """One change an overlay makes to the base, as the attestation prints it."""

    overlay: str
    target: str
    """The question or finding changed."""
    change: str
    """What changed, in a sentence."""
    rationale: str = ""
    citations: tuple[str, ...] = ()
    lowers: bool = False
    """True for a lowered severity or a suppressed finding (needs counsel approval)."""


@dataclass(frozen=True)
class LoadedOverlay:
    """A validated overlay with its exact bytes, their SHA-256 and its changes to the base."""

    overlay: Overlay
    sha256: str
    source: bytes
    filename: str
    changes: list[OverlayChange] = field(default_factory=list)

    def applies_to(self, jurisdiction: str) -> bool:
        """Whether the overlay applies to an audit of this jurisdiction."""
        return jurisdiction.lower() in self.overlay.jurisdictions


@dataclass(frozen=True)
class EffectiveChecklist:
    """The checklist an audit uses: its base with the overlays for its jurisdiction."""

    checklist: Checklist
    base: LoadedChecklist
    overlays: list[LoadedOverlay] = field(default_factory=list)

    @property
    def changes(self) -> list[OverlayChange]:
        """Every change the overlays make, in the order they apply."""
        return [change for loaded in self.overlays for change in loaded.changes]

    @property
    def draft_overlays(self) -> list[LoadedOverlay]:
        """Overlays not approved by counsel: signing with one forces the qualified statement."""
        return [loaded for loaded in self.overlays if not loaded.overlay.approved]


def effective_checklist(base: LoadedChecklist, overlays: list[LoadedOverlay],
                        jurisdiction: str) -> EffectiveChecklist:
    """Apply, in order, the overlays that name `jurisdiction` to `base`."""
    checklist = base.checklist
    applied = [o for o in overlays if o.applies_to(jurisdiction)]
    for loaded in applied:
        checklist, _ = apply_overlay(checklist, loaded.overlay)
    return EffectiveChecklist(checklist, base, applied)


def apply_overlay(base: Checklist, overlay: Overlay) -> tuple[Checklist, list[OverlayChange]]:
    """Merge `overlay` into `base`: the effective checklist and the changes made."""
    changes: list[OverlayChange] = []
    name = overlay.overlay

    def note(target: str, change: str, rationale: str = "",
             citations: list[Citation] | None = None, lowers: bool = False) -> None:
        changes.append(OverlayChange(name, target, change, rationale,
                                     tuple(c.text for c in citations or []), lowers))

    patches = {p.id: p for p in overlay.patch_questions}
    sections: list[Section] = []
    for section in base.sections:
        questions: list[Question] = []
        for question in section.questions:
            patch = patches.get(question.id)
            if patch is not None:
                update: dict[str, Any] = {}
                if patch.add_options:
                    update["options"] = [*question.options, *patch.add_options]
                    labels = "; ".join(o.label for o in patch.add_options)
                    note(question.id, f"options added: {labels}",
                         citations=[c for o in patch.add_options for c in o.citations])
                if patch.help_append:
                    update["help"] = f"{question.help} {patch.help_append}".strip()
                    note(question.id, f"help added: {patch.help_append}",
                         citations=patch.add_citations)
                if patch.add_citations:
                    update["citations"] = [*question.citations, *patch.add_citations]
                question = question.model_copy(update=update)
            questions.append(question)
        for added in overlay.add_questions:
            if added.section != section.id:
                continue
            at = len(questions)
            if added.after is not None:
                at = next((i + 1 for i, q in enumerate(questions) if q.id == added.after), at)
            questions.insert(at, _plain_question(added))
            note(added.id, f"question added: {added.prompt}", citations=added.citations)
        sections.append(section.model_copy(update={"questions": questions}))

    adjustments = {a.id: a for a in overlay.adjust_findings}
    findings: list[FindingRule] = []
    for rule in base.findings:
        adjust = adjustments.get(rule.id)
        if adjust is None:
            findings.append(rule)
            continue
        if adjust.suppress:
            note(rule.id, f"finding suppressed: {rule.title}", adjust.rationale,
                 adjust.citations, lowers=True)
            continue
        if adjust.severity is not None and adjust.severity != rule.severity:
            lowers = adjust.severity.rank > rule.severity.rank
            verb = "lowered" if lowers else "raised"
            note(rule.id, f"severity {verb} from {rule.severity.value} to "
                 f"{adjust.severity.value}: {rule.title}", adjust.rationale,
                 adjust.citations, lowers=lowers)
            rule = rule.model_copy(update={
                "severity": adjust.severity,
                "citations": [*rule.citations, *adjust.citations]})
        findings.append(rule)
    for rule in overlay.add_findings:
        findings.append(rule)
        note(rule.id, f"finding added ({rule.severity.value}): {rule.title}",
             citations=rule.citations)

    fields = {name: getattr(base, name) for name in Checklist.model_fields}
    fields.update(sections=sections, findings=findings,
                  authorities=[*base.authorities, *overlay.authorities])
    return Checklist(**fields), changes


def _plain_question(added: AddedQuestion) -> Question:
    return Question(**{name: getattr(added, name) for name in Question.model_fields})


def load_overlay(path: str | Path, base: LoadedChecklist) -> LoadedOverlay:
    """Read and validate the overlay file at `path` against `base`."""
    path = Path(path)
    return load_overlay_bytes(read_checklist_file(path), str(path), base)


def overlay_pin(data: bytes) -> tuple[str, str] | None:
    """The (checklist id, version) an overlay file is pinned to, or None if it is not one."""
    try:
        raw = parse_located_yaml(data.decode("utf-8")).data
    except (YamlProblem, UnicodeDecodeError):
        return None
    base = raw.get("base") if isinstance(raw, dict) and "overlay" in raw else None
    if not isinstance(base, dict):
        return None
    return str(base.get("checklist")), str(base.get("version"))


def is_overlay(data: bytes) -> bool:
    """Whether YAML bytes look like a state overlay (an `overlay:` id at the top)."""
    return overlay_pin(data) is not None


def load_overlay_bytes(data: bytes, filename: str, base: LoadedChecklist) -> LoadedOverlay:
    """Validate overlay YAML against the base it is pinned to; errors name file and line."""
    doc = parse_document(data, filename)
    if not isinstance(doc.data, dict) or "overlay" not in doc.data:
        raise ChecklistError([ChecklistIssue(
            filename, 1, "the file is not a state overlay (no `overlay:` id at the top)",
            "start the file with overlay, version, title, base, jurisdictions and status")])
    registry = parse_registry(doc.data.get(REGISTRY_KEY, []))
    context = None if registry is None else {
        REGISTRY_KEY: {**{a.id: a for a in base.checklist.authorities}, **registry}}
    try:
        overlay = Overlay.model_validate(doc.data, context=context)
    except ValidationError as exc:
        raise ChecklistError(schema_issues(exc, doc, filename)) from None
    issues: list[ChecklistIssue] = []

    def report(loc: Loc, message: str, fix: str) -> None:
        issues.append(ChecklistIssue(filename, doc.line_for(loc), message, fix))

    check_overlay(overlay, base, report)
    if not issues:
        merged, changes = apply_overlay(base.checklist, overlay)
        check_semantics(merged, _relocate(merged, overlay, doc, filename, issues))
    if issues:
        raise ChecklistError(sorted(issues, key=lambda i: i.line or 0))
    return LoadedOverlay(overlay, hashlib.sha256(data).hexdigest(), data, filename, changes)


def check_overlay(overlay: Overlay, base: LoadedChecklist, report: Any) -> None:
    """Report every way `overlay` does not fit `base` or breaks the overlay rules."""
    pin, checklist = overlay.base, base.checklist
    for key, want in (("checklist", checklist.id), ("version", checklist.version),
                      ("sha256", base.sha256)):
        if getattr(pin, key) != want:
            report(("base", key), f"the overlay is pinned to base {key} "
                   f"{getattr(pin, key)!r}, but the base checklist has {want!r}",
                   "review the overlay against the current base, then update the pin")
    codes = _jurisdiction_codes(checklist)
    for i, code in enumerate(overlay.jurisdictions):
        if codes is not None and code not in codes:
            report(("jurisdictions", i), f"{code!r} is not a jurisdiction of the base checklist",
                   "use a two-letter code in lower case, such as md")
    if overlay.approved and overlay.counsel_review is None:
        report(("status",), "the overlay says counsel_approved but records no counsel_review",
               "add counsel_review (name, office, date, scope) or set status: draft")
    base_ids = {a.id for a in checklist.authorities}
    seen: set[str] = set()
    for i, entry in enumerate(overlay.authorities):
        if entry.id in base_ids or entry.id in seen:
            report(("authorities", i, "id"), f"authority id {entry.id!r} is already used",
                   "give the overlay's entry an id of its own")
        seen.add(entry.id)
    _check_patches(overlay, checklist, report)
    question_ids = {q.id for q in checklist.questions()}
    sections = {s.id: {q.id for q in s.questions} for s in checklist.sections}
    for i, added in enumerate(overlay.add_questions):
        loc: Loc = ("add_questions", i)
        if added.id in question_ids:
            report((*loc, "id"), f"question id {added.id!r} is already used",
                   "give the added question an id of its own")
        if added.section not in sections:
            report((*loc, "section"), f"the base checklist has no section {added.section!r}",
                   f"use one of: {', '.join(sections)}")
        elif added.after is not None and added.after not in sections[added.section]:
            report((*loc, "after"), f"section {added.section!r} has no question "
                   f"{added.after!r} to follow", "name a question of that section")
        question_ids.add(added.id)
        sections.get(added.section, set()).add(added.id)
    finding_ids = {f.id for f in checklist.findings}
    for i, rule in enumerate(overlay.add_findings):
        if rule.id in finding_ids:
            report(("add_findings", i, "id"), f"finding id {rule.id!r} is already used",
                   "give the added finding an id of its own")
        finding_ids.add(rule.id)
        _refuse_pending(rule.citations, ("add_findings", i, "citations"), "a finding", report)
    _check_adjustments(overlay, checklist, report)


def _check_patches(overlay: Overlay, checklist: Checklist, report: Any) -> None:
    for i, patch in enumerate(overlay.patch_questions):
        loc: Loc = ("patch_questions", i)
        question = checklist.question(patch.id)
        if question is None:
            report((*loc, "id"), f"the base checklist has no question {patch.id!r}",
                   "patch a question the base has, or add it with add_questions")
            continue
        if patch.add_options and question.type not in CHOICE_TYPES:
            report((*loc, "add_options"), f"question {patch.id!r} is {question.type.value}, "
                   "which takes no options", "add options only to choice questions")
        existing = set(question.option_values())
        for oi, option in enumerate(patch.add_options):
            if option.value in existing:
                report((*loc, "add_options", oi, "value"), f"question {patch.id!r} already "
                       f"has option {option.value!r}", "give the option a value of its own")
            existing.add(option.value)
            _refuse_pending(option.citations, (*loc, "add_options", oi, "citations"),
                            "an option", report)


def _check_adjustments(overlay: Overlay, checklist: Checklist, report: Any) -> None:
    rules = {f.id: f for f in checklist.findings}
    for i, adjust in enumerate(overlay.adjust_findings):
        loc: Loc = ("adjust_findings", i)
        rule = rules.get(adjust.id)
        if rule is None:
            report((*loc, "id"), f"the base checklist has no finding {adjust.id!r}",
                   "adjust a finding the base has")
            continue
        _refuse_pending(adjust.citations, (*loc, "citations"), "a finding", report)
        if not adjust.suppress and adjust.severity is None:
            report(loc, f"the adjustment of {adjust.id!r} changes nothing",
                   "give a severity, or suppress: true")
        lowers = adjust.suppress or (adjust.severity is not None
                                     and adjust.severity.rank > rule.severity.rank)
        if not lowers:
            continue
        if not adjust.citations:
            report((*loc, "citations"), f"lowering or suppressing base finding {adjust.id!r} "
                   "needs an authority", "cite the state law that justifies it")
        if not overlay.approved:
            report((*loc, "suppress" if adjust.suppress else "severity"),
                   f"lowering or suppressing base finding {adjust.id!r} needs counsel approval, "
                   "and the overlay is a draft", "have counsel approve the overlay (status: "
                   "counsel_approved with counsel_review), or only raise severities")


def _refuse_pending(citations: list[Citation], loc: Loc, kind: str, report: Any) -> None:
    for ci, citation in enumerate(citations):
        if citation.is_pending:
            report((*loc, ci), f"{citation.authority!r} is a pending bill, which is not law: "
                   f"it cannot be {kind}'s authority",
                   "cite it only in help (add_citations of a patch), shown as pending — not law")


def _jurisdiction_codes(checklist: Checklist) -> set[str] | None:
    question = next((q for q in checklist.questions() if q.from_audit == "jurisdiction"), None)
    return None if question is None else set(question.option_values())


def _relocate(merged: Checklist, overlay: Overlay, doc: LocatedDocument, filename: str,
              issues: list[ChecklistIssue]) -> Any:
    """A semantics reporter that points merged-checklist problems at the overlay's lines."""
    added_q = {q.id: i for i, q in enumerate(overlay.add_questions)}
    added_f = {f.id: i for i, f in enumerate(overlay.add_findings)}
    patched = {p.id: i for i, p in enumerate(overlay.patch_questions)}

    def report(loc: Loc, message: str, fix: str) -> None:
        where: Loc = ()
        if loc[:1] == ("sections",) and len(loc) >= 4:
            question = merged.sections[int(loc[1])].questions[int(loc[3])]
            if question.id in added_q:
                where = ("add_questions", added_q[question.id], *loc[4:])
            elif question.id in patched:
                where = ("patch_questions", patched[question.id])
        elif loc[:1] == ("findings",) and len(loc) >= 2:
            rule = merged.findings[int(loc[1])]
            if rule.id in added_f:
                where = ("add_findings", added_f[rule.id], *loc[2:])
        issues.append(ChecklistIssue(filename, doc.line_for(where) if where else None,
                                     message, fix))
    return report
