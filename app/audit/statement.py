"""The statement an attesting official signs, and who signs it in what capacity on what date.

Everything comes from the audit's answers, through the checklist's `attestation` map: the
statement chosen is printed word for word; the official attests in the capacity recorded, to
facts, with the sections of legal conclusions named as counsel's (or as not reviewed by
counsel, and then not attested to); the officials and offices who supplied each section are
named. Signing prints these same name, capacity and date under the signature.
"""

from __future__ import annotations

from typing import Any

from app.checklist.model import AttestationMap, Checklist, QuestionType
from app.records import AuditView, Signatory, Statement, formal_name

DEFAULT_CLAUSE = (
    "To the best of my knowledge, formed after reasonable inquiry, the answers recorded in "
    "this audit accurately describe how the state's driver and vehicle records could be "
    "reached during the audit period.")
"""The factual clause of a checklist that offers no statement to choose."""
UNKNOWN_CLAUSE = (
    "Where an answer is “unknown”, the matter could not be established by that inquiry; the "
    "answer does not say that the matter is absent.")
COUNSEL_YES = "yes"


def attestation_statement(view: AuditView) -> Statement:
    """The statement for `view`: the one its answers chose, in the capacity they record."""
    audit, checklist = view.audit, view.checklist.checklist
    mapping = checklist.attestation or AttestationMap()
    who = formal_name(audit.jurisdiction)
    signatory = attesting_signatory(view)
    name = signatory.name or "the undersigned"
    intro = (f"I, {name}, in my capacity as {signatory.title}, attest that:"
             if signatory.title else f"I, {name}, attest that:")
    items = [
        f"I have reviewed this audit of whether the driver's license and vehicle records "
        f"held by {who} can be reached by federal immigration enforcement, for the period "
        f"{audit.period_start} to {audit.period_end}, conducted against the checklist "
        f"“{checklist.title}” ({audit.checklist_id}, version {audit.checklist_version}), "
        "and its findings, which are set out in full in this document.",
        _chosen_clause(view, mapping),
        UNKNOWN_CLAUSE,
    ]
    sources = _sources_clause(view, mapping)
    if sources:
        items.append(sources)
    legal = _legal_clause(view, mapping)
    if legal:
        items.append(legal)
    excepted = excepted_matters(view)
    if excepted:
        items.append(f"The matters I except from this attestation, and why: {excepted}")
    overlay = draft_overlay_matter(view)
    if overlay:
        items.append(f"I do not attest to {overlay}.")
    items.append(
        "The record I attest to is the machine-readable manifest embedded in this document, "
        "whose SHA-256 digest is printed below. Any change to that record changes the "
        "digest.")
    recorded = mapping.capacity is not None
    return Statement(intro, tuple(items), qualified=bool(excepted or overlay),
                     capacity=signatory.title if recorded else None)


def attesting_signatory(view: AuditView) -> Signatory:
    """The official, capacity and date the audit's answers record (None where not given)."""
    mapping = view.checklist.checklist.attestation or AttestationMap()
    name = _text(view, mapping.official)
    date = _text(view, mapping.date)
    return Signatory(name=name, title=capacity_text(view), date=date)


def capacity_text(view: AuditView) -> str | None:
    """The capacity recorded in the answers, as printed; None when none is recorded."""
    checklist = view.checklist.checklist
    mapping = checklist.attestation or AttestationMap()
    title = _text(view, mapping.capacity_title)
    if title:
        return title
    value = _value(view, mapping.capacity)
    question = checklist.question(mapping.capacity) if mapping.capacity else None
    if value is None or question is None:
        return None
    if question.type == QuestionType.SINGLE_CHOICE:
        return question.label_for(str(value))
    return " ".join(str(value).split()) or None


def draft_overlay_matter(view: AuditView) -> str:
    """The matter a draft state overlay forces into the statement ("" when there is none)."""
    drafts = [o.overlay for o in view.overlays if not o.overlay.approved]
    if not drafts:
        return ""
    named = ", ".join(f"“{o.title}” ({o.overlay} version {o.version})" for o in drafts)
    return (f"the state overlay{'s' if len(drafts) > 1 else ''} {named}, not approved by "
            "counsel: the questions, findings and severities it adds or changes are not "
            "attested as a statement of the state's law")


def excepted_matters(view: AuditView) -> str:
    """The matters the official excepts from a qualified statement ("" when none)."""
    attestation = view.checklist.checklist.attestation
    if attestation is None or attestation.exceptions is None:
        return ""
    value = view.evaluation.effective.get(attestation.exceptions)
    return " ".join(str(value).split()) if value else ""


def statement_blockers(view: AuditView) -> list[str]:
    """Why the statement the answers chose cannot be signed yet; empty when it can."""
    checklist = view.checklist.checklist
    mapping = checklist.attestation
    if mapping is None:
        return []
    reasons = []
    for question_id in (mapping.official, mapping.capacity, mapping.date, mapping.statement):
        answer = view.answers.get(question_id) if question_id else None
        if answer is not None and answer.na_reason is not None and question_id is not None:
            reasons.append(f"“{_prompt(checklist, question_id)}” ({question_id}) is marked "
                           "not applicable; every attestation must answer it")
    counsel = _value(view, mapping.counsel_review)
    chosen = _value(view, mapping.statement)
    if (mapping.counsel_review and mapping.legal_sections and counsel is not None
            and counsel != COUNSEL_YES and mapping.qualified and chosen is not None
            and chosen != mapping.qualified):
        reasons.append(
            f"counsel has not reviewed the legal conclusions (“"
            f"{_prompt(checklist, mapping.counsel_review)}” is {counsel!r}), so only the "
            f"qualified statement can be signed: choose it in “"
            f"{_prompt(checklist, mapping.statement or '')}”, or record counsel's review")
    return reasons


def _chosen_clause(view: AuditView, mapping: AttestationMap) -> str:
    checklist = view.checklist.checklist
    question = checklist.question(mapping.statement) if mapping.statement else None
    chosen = _value(view, mapping.statement)
    if question is None:
        return DEFAULT_CLAUSE
    if chosen is None:
        return "[The statement to be signed is not chosen yet.]"
    return " ".join(question.label_for(str(chosen)).split())


def _sources_clause(view: AuditView, mapping: AttestationMap) -> str:
    checklist = view.checklist.checklist
    if not mapping.sources:
        return ""
    rows = _value(view, mapping.sources) or []
    named: dict[str, list[str]] = {}
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and row.get("section"):
            people = ", ".join(str(row[k]).strip() for k in ("official", "office")
                               if str(row.get(k) or "").strip())
            named.setdefault(str(row["section"]), []).append(people)
    numbered = _section_numbers(checklist)
    listed = [f"section {numbered[s.id]} “{s.title}” — {'; '.join(named[s.id])}"
              for s in checklist.sections if s.id in named]
    missing = [f"{numbered[s.id]} “{s.title}”" for s in checklist.sections
               if s.id not in named and s.id != _section_of(checklist, mapping.sources)]
    text = ("I relied for the facts of each section on the officials and offices who "
            "supplied or verified them: " + ("; ".join(listed) if listed else "none named")
            + ".")
    if missing:
        text += (" For section" + ("s " if len(missing) > 1 else " ") + ", ".join(missing)
                 + " no supplying official or office is recorded.")
    return text


def _legal_clause(view: AuditView, mapping: AttestationMap) -> str:
    checklist = view.checklist.checklist
    sections = [s for s in checklist.sections if s.id in mapping.legal_sections]
    if not sections:
        return ""
    numbered = _section_numbers(checklist)
    named = ", ".join(f"section {numbered[s.id]} “{s.title}”" for s in sections)
    lead = (f"The answers in {named} state legal conclusions, not facts, and are identified "
            "as such.")
    counsel = _value(view, mapping.counsel_review)
    if counsel == COUNSEL_YES:
        reviewer = _text(view, mapping.counsel)
        when = _text(view, mapping.counsel_date)
        by = f" ({reviewer}{', on ' + when if when else ''})" if reviewer else ""
        return (f"{lead} They are the conclusions of counsel{by}; I attest that they are "
                "recorded as counsel concluded, not that they are correct in law.")
    state = "whether counsel reviewed them is not known" if counsel == "unknown" else None
    return (f"{lead} They have not been reviewed by counsel"
            + (f" ({state})" if state else "") + ", and I do not attest to them.")


def _section_numbers(checklist: Checklist) -> dict[str, int]:
    return {s.id: n for n, s in enumerate(checklist.sections, start=1)}


def _section_of(checklist: Checklist, question_id: str | None) -> str | None:
    return next((s.id for s in checklist.sections
                 if any(q.id == question_id for q in s.questions)), None)


def _prompt(checklist: Checklist, question_id: str) -> str:
    question = checklist.question(question_id)
    return question.prompt if question else question_id


def _value(view: AuditView, question_id: str | None) -> Any:
    return view.evaluation.effective.get(question_id) if question_id else None


def _text(view: AuditView, question_id: str | None) -> str | None:
    value = _value(view, question_id)
    return " ".join(str(value).split()) or None if value is not None else None
