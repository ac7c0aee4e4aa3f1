"""What the report templates show, worked out in Python so the templates stay simple.

Everything here is plain data of display strings. Templates print it with `{{ }}` (always
escaped, control characters made visible) and never put any of it into an attribute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.checklist.display import format_table, format_value
from app.checklist.evaluate import AnswerState, Finding
from app.checklist.model import Question, QuestionType, Severity
from app.checklist.overlay import LoadedOverlay
from app.records import (
    AnswerInfo,
    Attestation,
    AuditView,
    ChangeRecord,
    Signatory,
    formal_name,
    jurisdiction_name,
)
from app.report.log_context import LogBlock, log_blocks
from app.report.manifest import FREE_TEXT, public_columns, withheld_from_public

SEVERITY_LABELS = {
    Severity.CRITICAL: "Critical",
    Severity.HIGH: "High",
    Severity.MEDIUM: "Medium",
    Severity.LOW: "Low",
    Severity.INFO: "For information",
}
# Table columns with short values get a fixed narrow width; the others share the rest.
COLUMN_WIDTHS = {
    QuestionType.YES_NO_UNKNOWN: "yes-no",
    QuestionType.DATE: "date",
    QuestionType.NUMBER: "number",
}


@dataclass(frozen=True)
class CheckLine:
    """A check across answers that holds, as printed."""

    text: str
    rows: list[str]
    questions: list[str]
    explained: bool


@dataclass(frozen=True)
class PrintedChange:
    """One change since the previous audit, as the report prints it."""

    kind: str
    subject: str
    label: str
    before: str
    after: str


@dataclass
class EvidenceLine:
    """One evidence file as listed under its question."""

    name: str
    sha256: str
    size: str
    effective_date: str


@dataclass
class AnswerBlock:
    """How an answer is shown.

    kind is one of value (a choice, date or number), text, list, longtext, table,
    not_applicable, unanswered, withheld.
    """

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths: list[str] = field(default_factory=list)
    carried: bool = False
    reason: str = ""


@dataclass
class QuestionBlock:
    """One visible question with its answer, note and evidence."""

    number: str
    id: str
    prompt: str
    citations: list[str]
    required: bool
    answer: AnswerBlock
    note: str = ""
    evidence: list[EvidenceLine] = field(default_factory=list)


@dataclass
class QuestionGroup:
    """Consecutive questions shown one way: "rows" (a line each) or "table" (one table)."""

    kind: str
    questions: list[QuestionBlock]


@dataclass
class SectionBlock:
    """One checklist section."""

    number: int
    id: str
    title: str
    intro: str
    questions: list[QuestionBlock]
    hidden: int
    done: int
    total: int
    not_asked: list[str] = field(default_factory=list)
    """Number and prompt of each question not asked, given earlier answers."""

    @property
    def groups(self) -> list[QuestionGroup]:
        """The questions in runs: table answers alone, the others together."""
        groups: list[QuestionGroup] = []
        for question in self.questions:
            kind = "table" if question.answer.kind == "table" else "rows"
            if kind == "rows" and groups and groups[-1].kind == "rows":
                groups[-1].questions.append(question)
            else:
                groups.append(QuestionGroup(kind, [question]))
        return groups


@dataclass
class FindingBlock:
    """One finding as printed."""

    number: str
    severity: str
    severity_label: str
    title: str
    detail: str
    recommendation: str
    citations: list[str]
    questions: list[str]
    question_numbers: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)
    remedy: str = ""


@dataclass
class LegislativeGroup:
    """The findings one kind of remedy would close, for the legislative view."""

    remedy: str
    label: str
    findings: list[FindingBlock]


REMEDY_LABELS = {
    "statute": "Needs a statute",
    "regulation": "Needs a regulation",
    "executive_directive": "An executive directive can close it",
    "agency_action": "Agency action can close it",
    "": "Not classified",
}


@dataclass
class OverlayBlock:
    """A state overlay the audit applies, with every change it makes to the base."""

    overlay: str
    version: str
    title: str
    status: str
    sha256: str
    changes: list[str]


@dataclass
class SeverityGroup:
    """The findings of one severity."""

    severity: str
    label: str
    findings: list[FindingBlock]


@dataclass
class ReportContext:
    """Everything a report template prints."""

    kind: str
    draft: bool
    draft_reasons: list[str]
    document_title: str
    audit_id: str
    audit_short: str
    title: str
    jurisdiction: str
    jurisdiction_name: str
    jurisdiction_formal: str
    jurisdiction_heading: str
    period_start: str
    period_end: str
    auditor: str
    based_on: str
    record_date: str
    checklist_id: str
    checklist_version: str
    checklist_title: str
    checklist_sha256: str
    checklist_notice: str
    history_head: str
    history_length: int
    manifest_sha256: str
    required_done: int
    required_total: int
    unconfirmed: int
    sections: list[SectionBlock]
    severity_counts: list[tuple[str, str, int]]
    findings: list[FindingBlock]
    finding_groups: list[SeverityGroup]
    finding_total: int
    changes: list[PrintedChange] | None
    signatory: Signatory
    statement_intro: str = ""
    statement_items: list[str] = field(default_factory=list)
    attestation_manifest_sha256: str = ""
    attested: dict[str, Any] | None = None
    """The signed attestation a public report derives from (see manifest.attested_block)."""
    logs: list[LogBlock] = field(default_factory=list)
    withheld_findings: int = 0
    """Public report: findings marked not public that were left out."""
    legislative: list[LegislativeGroup] = field(default_factory=list)
    overlays: list[OverlayBlock] = field(default_factory=list)
    checks: list[CheckLine] = field(default_factory=list)


def attestation_context(attestation: Attestation, manifest_sha256: str) -> ReportContext:
    """The context of the attestation: every visible answer, note and evidence file."""
    context = _context(attestation, "attestation", manifest_sha256, public=False)
    context.changes = (None if attestation.changes is None
                       else [_printed_change(c) for c in attestation.changes])
    context.signatory = attestation.signatory
    context.statement_intro = attestation.statement.intro
    context.statement_items = list(attestation.statement.items)
    context.logs = log_blocks(attestation.logs)
    numbers = _question_numbers(attestation.view)
    context.checks = [CheckLine(w.text, list(w.rows), [numbers.get(q, q) for q in w.questions],
                                w.check_id in attestation.explained_checks)
                      for w in attestation.view.evaluation.warnings]
    return context


def transparency_context(attestation: Attestation, public_sha256: str,
                         attestation_manifest_sha256: str,
                         attested: dict[str, Any] | None = None) -> ReportContext:
    """The context of the public report: structured answers only, no notes or evidence.

    Query-log counts (by agency and month) are public figures; file names are not printed.
    """
    context = _context(attestation, "transparency", public_sha256, public=True)
    context.attestation_manifest_sha256 = attestation_manifest_sha256
    context.logs = log_blocks(attestation.logs)
    context.attested = attested
    return context


def _context(attestation: Attestation, kind: str, manifest_sha256: str, *,
             public: bool) -> ReportContext:
    view = attestation.view
    audit, checklist, evaluation = view.audit, view.checklist.checklist, view.evaluation
    numbers = _question_numbers(view)
    withheld, withheld_questions = withheld_from_public(view) if public else ([], set())
    sections = []
    for index, (section, progress) in enumerate(
            zip(checklist.sections, evaluation.progress.sections, strict=True), start=1):
        blocks, not_asked = [], []
        for question in section.questions:
            if not evaluation.visible.get(question.id, False):
                not_asked.append(f"{numbers[question.id]} {question.prompt}")
                continue
            block = _question_block(view, question, numbers[question.id], public)
            if question.id in withheld_questions:
                block.answer = AnswerBlock("withheld", reason="security")
            blocks.append(block)
        sections.append(SectionBlock(index, section.id, section.title, section.intro, blocks,
                                     len(not_asked), progress.done, progress.total,
                                     not_asked))
    shown = [f for f in evaluation.findings if not public or f.public]
    ordered = sorted(shown, key=lambda f: f.severity.rank)
    finding_blocks = [_finding_block(f, index, view, numbers, public)
                      for index, f in enumerate(ordered, start=1)]
    groups = []
    for severity in Severity:
        found = [b for b in finding_blocks if b.severity == severity.value]
        if found:
            groups.append(SeverityGroup(severity.value, SEVERITY_LABELS[severity], found))
    counts = [(s.value, SEVERITY_LABELS[s],
               sum(1 for f in shown if f.severity == s)) for s in Severity]
    legislative = [] if public else [
        LegislativeGroup(key or "none", label,
                         [b for b, f in zip(finding_blocks, ordered, strict=True)
                          if (f.remedy.value if f.remedy else "") == key])
        for key, label in REMEDY_LABELS.items()]
    return ReportContext(
        kind=kind, draft=not attestation.ready, draft_reasons=list(attestation.draft_reasons),
        document_title=document_title(kind, jurisdiction_name(audit.jurisdiction),
                                      audit.title, audit.period_start, audit.period_end),
        audit_id=audit.id, audit_short=audit.id[:12], title=audit.title,
        jurisdiction=audit.jurisdiction,
        jurisdiction_name=jurisdiction_name(audit.jurisdiction),
        jurisdiction_formal=formal_name(audit.jurisdiction),
        jurisdiction_heading=formal_name(audit.jurisdiction).removeprefix("the "),
        period_start=audit.period_start, period_end=audit.period_end, auditor=audit.auditor,
        based_on=audit.based_on or "", record_date=_timestamp(audit.updated_at),
        checklist_id=audit.checklist_id, checklist_version=audit.checklist_version,
        checklist_title=checklist.title, checklist_sha256=audit.checklist_sha256,
        checklist_notice=checklist.notice, history_head=audit.history_head or "",
        history_length=audit.history_length, manifest_sha256=manifest_sha256,
        required_done=evaluation.progress.done, required_total=evaluation.progress.total,
        unconfirmed=len(evaluation.unconfirmed), sections=sections, severity_counts=counts,
        findings=finding_blocks, finding_groups=groups, finding_total=len(shown),
        withheld_findings=len(withheld),
        legislative=[group for group in legislative if group.findings],
        overlays=[_overlay_block(o) for o in view.overlays],
        changes=None, signatory=Signatory(name=audit.signed_by),
    )


DOCUMENT_KINDS = {"attestation": "Attestation", "transparency": "Transparency report"}


def document_title(kind: str, jurisdiction: str, title: str, period_start: str,
                   period_end: str) -> str:
    """The document's displayed title, stating each fact once.

    The attestation is named by the audit's title; the jurisdiction and the period are
    added only when that title does not already state them. The public report is named by
    jurisdiction and period alone (the audit's title is internal wording).
    """
    period = f"{period_start} to {period_end}"
    parts = [DOCUMENT_KINDS.get(kind, kind)]
    text = " ".join((title or "").split()) if kind == "attestation" else ""
    if jurisdiction.casefold() not in text.casefold():
        parts.append(jurisdiction)
    if text:
        parts.append(text)
    if not (period_start in text and period_end in text):
        parts.append(period)
    return " — ".join(parts)


def _question_numbers(view: AuditView) -> dict[str, str]:
    """Section.position numbers by checklist order, stable whatever is visible."""
    return {q.id: f"{s_index}.{q_index}"
            for s_index, section in enumerate(view.checklist.checklist.sections, start=1)
            for q_index, q in enumerate(section.questions, start=1)}


def _question_block(view: AuditView, question: Question, number: str,
                    public: bool) -> QuestionBlock:
    answer = view.answers.get(question.id)
    block = QuestionBlock(
        number=number, id=question.id, prompt=question.prompt,
        citations=[c.printed() for c in question.citations], required=question.required,
        answer=_answer_block(question, answer, public))
    if not public:
        block.note = (answer.note or "").strip() if answer else ""
        block.evidence = [EvidenceLine(e.name, e.sha256, _size(e.size),
                                       e.effective_date or "not given")
                          for e in view.evidence_for(question.id)]
    return block


def _answer_block(question: Question, answer: AnswerInfo | None, public: bool) -> AnswerBlock:
    if answer is not None and answer.state == AnswerState.NOT_APPLICABLE:
        return AnswerBlock("not_applicable", reason="" if public else (answer.na_reason or ""))
    if answer is None or answer.value is None:
        return AnswerBlock("unanswered")
    carried = answer.state == AnswerState.CARRIED_UNCONFIRMED
    value = answer.value
    if question.type == QuestionType.TABLE:
        columns = public_columns(question) if public else list(question.columns)
        if not columns:
            return AnswerBlock("withheld", carried=carried)
        header = [c.label for c in columns]
        keep = {c.id for c in columns}
        table = format_table(question, value)
        rows = [[cell for cell, column in zip(row, question.columns, strict=True)
                 if column.id in keep] for row in table[1:]]
        return AnswerBlock("table", header=header, rows=rows, carried=carried,
                           widths=[COLUMN_WIDTHS.get(c.type, "auto") for c in columns],
                           text=f"{len(rows)} row(s)")
    if public and question.type in FREE_TEXT:
        return AnswerBlock("withheld", carried=carried)
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return AnswerBlock("list", items=[question.label_for(v) for v in value],
                           carried=carried)
    if question.type == QuestionType.LONG_TEXT:
        return AnswerBlock("longtext", text=str(value), carried=carried)
    if question.type == QuestionType.SHORT_TEXT:
        return AnswerBlock("text", text=str(value), carried=carried)
    return AnswerBlock("value", text=format_value(question, value), carried=carried)


def _finding_block(finding: Finding, index: int, view: AuditView, numbers: Mapping[str, str],
                   public: bool) -> FindingBlock:
    checklist = view.checklist.checklist
    questions, question_numbers = [], []
    if not public:
        for qid in finding.questions:
            question = checklist.question(qid)
            if question is not None:
                questions.append(f"{numbers[qid]} {question.prompt}")
                question_numbers.append(numbers[qid])
    return FindingBlock(
        number=f"F{index}", severity=finding.severity.value,
        severity_label=SEVERITY_LABELS[finding.severity], title=finding.title,
        detail=finding.detail, recommendation="" if public else finding.recommendation,
        citations=[c.printed() for c in finding.citations], questions=questions,
        question_numbers=question_numbers, concerns=list(finding.concerns),
        remedy="" if public or finding.remedy is None else REMEDY_LABELS[finding.remedy.value])


def _overlay_block(loaded: LoadedOverlay) -> OverlayBlock:
    info = loaded.overlay
    status = ("approved by counsel" if info.approved
              else "draft, not approved by counsel (the statement is qualified)")
    lines = []
    for change in loaded.changes:
        line = f"{change.target}: {change.change}"
        if change.rationale:
            line += f" Rationale: {change.rationale}"
        if change.citations:
            line += f" Authority: {'; '.join(change.citations)}."
        lines.append(line)
    return OverlayBlock(info.overlay, info.version, info.title, status, loaded.sha256, lines)


def _printed_change(change: ChangeRecord) -> PrintedChange:
    return PrintedChange(kind=change.kind.label, subject=change.subject, label=change.label,
                         before=change.before or "—", after=change.after or "—")


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"


def _timestamp(text: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return str(text or "")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
