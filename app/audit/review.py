"""What stands between an audit and its signature, and what else the auditor should see."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.audit.models import AuditView, EvidenceInfo
from app.checklist.evaluate import Finding


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

    @property
    def blockers(self) -> list[str]:
        """Why the audit cannot be signed yet; empty when it can."""
        reasons = [f"unanswered: {self.labels.get(q, q)}" for q in self.unanswered]
        reasons += [f"carried forward, not confirmed: {self.labels.get(q, q)}"
                    for q in self.unconfirmed]
        return reasons

    @property
    def ready(self) -> bool:
        """True when every required visible question is resolved and confirmed."""
        return not self.unanswered and not self.unconfirmed


def review(view: AuditView) -> Review:
    """The review of one audit."""
    start = view.audit.period_start
    stale = [e for e in view.evidence if e.effective_date and e.effective_date < start]
    carry = view.carry_report
    return Review(
        unanswered=list(view.evaluation.unanswered),
        unconfirmed=list(view.evaluation.unconfirmed),
        stale_evidence=stale,
        dropped=dict(carry.dropped) if carry else {},
        not_copied=dict(carry.not_copied) if carry else {},
        findings=list(view.evaluation.findings),
        labels=_labels(view, [*view.evaluation.unanswered, *view.evaluation.unconfirmed]),
    )


def _labels(view: AuditView, question_ids: list[str]) -> dict[str, str]:
    checklist = view.checklist.checklist
    labels = {}
    for question_id in question_ids:
        question = checklist.question(question_id)
        section = checklist.section_of(question_id)
        if question is not None and section is not None:
            labels[question_id] = f"{section.title} › “{question.prompt}” ({question_id})"
    return labels
