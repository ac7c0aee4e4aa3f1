"""What stands between an audit and its signature, and what else the auditor should see."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.audit.statement import statement_blockers
from app.checklist.evaluate import CheckWarning, Finding
from app.records import AuditView, EvidenceInfo


@dataclass(frozen=True)
class Review:
    """Gaps, carried answers awaiting confirmation, stale evidence and carry-forward losses."""

    unanswered: list[str]
    unconfirmed: list[str]
    stale_evidence: list[EvidenceInfo]
    dropped: dict[str, str] = field(default_factory=dict)
    not_copied: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    """How each question is named to people: its section, prompt and id."""
    draft_overlays: list[str] = field(default_factory=list)
    """Draft state overlays applied while the statement chosen is not the qualified one."""
    unexplained: list[CheckWarning] = field(default_factory=list)
    """Checks across answers that hold and that no note on their questions explains."""
    explained: list[CheckWarning] = field(default_factory=list)
    statement: list[str] = field(default_factory=list)
    """Why the statement the answers chose cannot be signed (app/audit/statement.py)."""

    @property
    def blockers(self) -> list[str]:
        """Why the audit cannot be signed yet; empty when it can."""
        reasons = [f"unanswered: {self.labels.get(q, q)}" for q in self.unanswered]
        reasons += [f"carried forward, not confirmed: {self.labels.get(q, q)}"
                    for q in self.unconfirmed]
        reasons += [f"the state overlay {name} is a draft not approved by counsel: choose the "
                    "qualified statement and describe the matters excepted"
                    for name in self.draft_overlays]
        reasons += [f"check not resolved: {_warning_text(w)} — correct the answers, or "
                    f"explain it in a note on {self.labels.get(w.questions[0], w.questions[0])}"
                    for w in self.unexplained]
        return reasons + self.statement

    @property
    def ready(self) -> bool:
        """True when the audit may be signed: the one definition of "ready to sign"."""
        return not self.blockers

    def refusal(self, audit_id: str) -> str:
        """Why the audit cannot be signed yet, as one message (at most 20 reasons listed)."""
        listed = "\n".join(f"  - {gap}" for gap in self.blockers[:20])
        more = len(self.blockers) - 20
        extra = f"\n  … and {more} more" if more > 0 else ""
        return f"audit {audit_id[:12]} cannot be signed yet:\n{listed}{extra}"

    @property
    def draft_reasons(self) -> list[str]:
        """The blockers summarised in a sentence each, for a DRAFT banner."""
        reasons = []
        if self.unanswered:
            count = len(self.unanswered)
            reasons.append(f"{count} required question{'s are' if count != 1 else ' is'} "
                           "not answered")
        if self.unconfirmed:
            count = len(self.unconfirmed)
            reasons.append(f"{count} answer{'s' if count != 1 else ''} carried forward from "
                           "the previous audit not yet confirmed")
        if self.draft_overlays:
            reasons.append("a draft state overlay applies, and the qualified statement is "
                           "not chosen")
        if self.unexplained:
            count = len(self.unexplained)
            reasons.append(f"{count} check{'s' if count != 1 else ''} across answers neither "
                           "resolved nor explained in a note")
        reasons += self.statement
        return reasons if reasons or self.ready else ["the audit is not complete"]


def review(view: AuditView) -> Review:
    """The review of one audit."""
    start = view.audit.period_start
    stale = [e for e in view.evidence if e.effective_date and e.effective_date < start]
    carry = view.carry_report
    warnings = view.evaluation.warnings
    explained = [w for w in warnings if _explained(view, w)]
    return Review(
        unanswered=list(view.evaluation.unanswered),
        unconfirmed=list(view.evaluation.unconfirmed),
        stale_evidence=stale,
        dropped=dict(carry.dropped) if carry else {},
        not_copied=dict(carry.not_copied) if carry else {},
        findings=list(view.evaluation.findings),
        labels=_labels(view, [*view.evaluation.unanswered, *view.evaluation.unconfirmed,
                              *(q for w in warnings for q in w.questions)]),
        unexplained=[w for w in warnings if w not in explained],
        explained=explained,
        draft_overlays=_unqualified_drafts(view),
        statement=statement_blockers(view),
    )


def _explained(view: AuditView, warning: CheckWarning) -> bool:
    """A warning is explained by a note on any of the questions it concerns."""
    return any((answer := view.answers.get(q)) is not None and answer.note.strip()
               for q in warning.questions)


def _warning_text(warning: CheckWarning) -> str:
    rows = f" (rows: {', '.join(warning.rows)})" if warning.rows else ""
    return f"{warning.text}{rows}"


def _unqualified_drafts(view: AuditView) -> list[str]:
    """Draft overlays while the audit's answers except nothing from the statement."""
    drafts = [o.overlay.overlay for o in view.overlays if not o.overlay.approved]
    attestation = view.checklist.checklist.attestation
    exceptions = attestation.exceptions if attestation is not None else None
    if not drafts or (exceptions and view.evaluation.effective.get(exceptions)):
        return []
    return drafts


def _labels(view: AuditView, question_ids: list[str]) -> dict[str, str]:
    wanted = set(question_ids)
    labels = {}
    for section in view.checklist.checklist.sections:
        for question in section.questions:
            if question.id in wanted:
                labels[question.id] = f"{section.title} › “{question.prompt}” ({question.id})"
    return labels
