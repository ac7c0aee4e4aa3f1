"""Plain read models of audits: what the services return and the reports print, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.checklist.answer_state import AnswerState
from app.records.enums import AuditStatus, EventKind

if TYPE_CHECKING:
    from app.checklist.evaluate import Evaluation
    from app.checklist.loader import LoadedChecklist
    from app.checklist.overlay import LoadedOverlay


@dataclass
class CarryReport:
    """What carrying forward did: copied answers, dropped questions, answers not copied."""

    from_audit: str
    copied: list[str] = field(default_factory=list)
    dropped: dict[str, str] = field(default_factory=dict)
    not_copied: dict[str, str] = field(default_factory=dict)
    evidence: int = 0

    def as_json(self) -> dict[str, Any]:
        """The report as the history records it."""
        return {"from_audit": self.from_audit, "copied": self.copied, "dropped": self.dropped,
                "not_copied": self.not_copied, "evidence": self.evidence}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CarryReport:
        """The report from its recorded form."""
        return cls(data["from_audit"], list(data["copied"]), dict(data["dropped"]),
                   dict(data["not_copied"]), int(data["evidence"]))


@dataclass(frozen=True)
class AuditInfo:
    """An audit's metadata."""

    id: str
    title: str
    jurisdiction: str
    period_start: str
    period_end: str
    checklist_id: str
    checklist_version: str
    checklist_sha256: str
    status: AuditStatus
    based_on: str | None
    auditor: str
    created_at: str
    updated_at: str
    signed_by: str | None
    signed_at: str | None
    signed_pdf_sha256: str | None
    signer_certificate_sha256: str | None
    history_head: str | None
    history_length: int
    overlay_sha256s: tuple[str, ...] = ()
    """The state overlays applied to the checklist, by SHA-256, in order."""

    @property
    def read_only(self) -> bool:
        """Signed audits cannot change."""
        return self.status == AuditStatus.SIGNED


@dataclass(frozen=True)
class AnswerInfo:
    """The stored answer to one question."""

    question_id: str
    value: Any | None
    note: str
    state: AnswerState
    na_reason: str | None
    updated_by: str
    updated_at: str


@dataclass(frozen=True)
class EvidenceInfo:
    """An evidence file attached to a question."""

    id: int
    question_id: str
    sha256: str
    name: str
    size: int
    media_type: str
    effective_date: str | None
    added_at: str
    added_by: str


@dataclass(frozen=True)
class AuditSummary:
    """One line of the audit list."""

    audit: AuditInfo
    done: int
    total: int
    findings: int

    @property
    def to_do(self) -> int:
        """Required questions shown and not yet resolved (unanswered, or carried forward
        and not yet confirmed)."""
        return self.total - self.done


@dataclass(frozen=True)
class AuditView:
    """Everything about one audit that a screen or report needs."""

    audit: AuditInfo
    checklist: LoadedChecklist
    answers: dict[str, AnswerInfo]
    evidence: list[EvidenceInfo]
    evaluation: Evaluation
    carry_report: CarryReport | None = None
    attested_history: tuple[str, int] | None = None
    overlays: tuple[LoadedOverlay, ...] = ()
    """The state overlays `checklist` includes (its `checklist` is the effective one)."""

    @property
    def manifest_history(self) -> tuple[str | None, int]:
        """The history head and length a manifest records: for a signed audit, as they
        stood when it was signed (the signing event itself follows them)."""
        if self.attested_history is not None:
            return self.attested_history
        return self.audit.history_head, self.audit.history_length

    def evidence_for(self, question_id: str) -> list[EvidenceInfo]:
        """The evidence attached to one question."""
        return [e for e in self.evidence if e.question_id == question_id]


@dataclass(frozen=True)
class HistoryEvent:
    """One entry of an audit's history."""

    seq: int
    at: str
    actor: str
    kind: EventKind
    question_id: str | None
    old: Any | None
    new: Any | None
    reason: str | None
    hash: str


@dataclass(frozen=True)
class RecordedAnswer:
    """An answer as a history event recorded it (the event's `old` or `new`)."""

    value: Any | None
    na_reason: str | None
    state: str | None

    @classmethod
    def of(cls, snapshot: Any) -> RecordedAnswer | None:
        """What `snapshot` records; None when it records no answer at all."""
        if not isinstance(snapshot, dict):
            return None
        return cls(snapshot.get("value"), snapshot.get("na_reason"), snapshot.get("state"))

    @property
    def not_applicable(self) -> bool:
        """True when the answer was marked not applicable (no value, a reason or the
        state saying so)."""
        return self.value is None and (self.state == AnswerState.NOT_APPLICABLE.value
                                       or bool(self.na_reason))

    @property
    def empty(self) -> bool:
        """True when nothing was answered: no value and not marked not applicable."""
        return self.value is None and not self.not_applicable

    @property
    def carried(self) -> bool:
        """True when the value was carried forward and not yet confirmed."""
        return self.state == AnswerState.CARRIED_UNCONFIRMED.value


@dataclass(frozen=True)
class HistoryReport:
    """The outcome of checking an audit's history chain against its stored data."""

    audit_id: str
    events: int
    head: str | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the chain is intact and matches the stored audit."""
        return not self.problems
