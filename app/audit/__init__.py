"""The audit services: the one API the TUI and the command line call.

Everything a caller needs is named here; callers never reach into the submodules.
"""

from app.audit.attest import ATTESTATION_WEIGHT, SignedAudit, same_person
from app.audit.diff import AuditDiff
from app.audit.export import FORMATS, ExportResult
from app.audit.query_logs import LogImport
from app.audit.review import Review
from app.audit.service import AuditService
from app.audit.verify import AttestationCheck, verify_attestation
from app.records import (
    JURISDICTIONS,
    AnswerInfo,
    Attestation,
    AuditInfo,
    AuditStatus,
    AuditSummary,
    AuditView,
    ChangeKind,
    ChangeRecord,
    EventKind,
    EvidenceInfo,
    HistoryEvent,
    HistoryReport,
    Signatory,
    Statement,
)

__all__ = [
    "ATTESTATION_WEIGHT",
    "FORMATS",
    "JURISDICTIONS",
    "AnswerInfo",
    "Attestation",
    "AttestationCheck",
    "AuditDiff",
    "AuditInfo",
    "AuditService",
    "AuditStatus",
    "AuditSummary",
    "AuditView",
    "ChangeKind",
    "ChangeRecord",
    "EventKind",
    "EvidenceInfo",
    "ExportResult",
    "HistoryEvent",
    "HistoryReport",
    "LogImport",
    "Review",
    "Signatory",
    "SignedAudit",
    "Statement",
    "same_person",
    "verify_attestation",
]
