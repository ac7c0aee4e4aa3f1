"""Plain read models and domain words shared by the services and the reports."""

from app.records.attestation import (
    Attestation,
    ChangeRecord,
    RecordedAnalysis,
    Signatory,
    Statement,
)
from app.records.enums import AuditStatus, ChangeKind, EventKind
from app.records.jurisdictions import (
    JURISDICTIONS,
    formal_name,
    jurisdiction_name,
    normalise_jurisdiction,
)
from app.records.models import (
    AnswerInfo,
    AuditInfo,
    AuditSummary,
    AuditView,
    CarryReport,
    EvidenceInfo,
    HistoryEvent,
    HistoryReport,
    RecordedAnswer,
)

__all__ = [
    "JURISDICTIONS",
    "AnswerInfo",
    "Attestation",
    "AuditInfo",
    "AuditStatus",
    "AuditSummary",
    "AuditView",
    "CarryReport",
    "ChangeKind",
    "ChangeRecord",
    "EventKind",
    "EvidenceInfo",
    "HistoryEvent",
    "HistoryReport",
    "RecordedAnswer",
    "RecordedAnalysis",
    "Signatory",
    "Statement",
    "formal_name",
    "jurisdiction_name",
    "normalise_jurisdiction",
]
