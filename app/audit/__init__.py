"""The audit services: the one API the TUI and the command line call."""

from app.audit.attest import (
    ATTESTATION_WEIGHT,
    attestation_statement,
    sign_audit,
    verify_attestation,
)
from app.audit.diff import AuditDiff
from app.audit.export import export_audit
from app.audit.keys import (
    KeyChoiceError,
    KeySource,
    SigningKey,
    key_source,
    load_signing_key,
)
from app.audit.models import (
    AnswerInfo,
    AuditInfo,
    AuditSummary,
    AuditView,
    EvidenceInfo,
    HistoryEvent,
    HistoryReport,
)
from app.audit.query_logs import import_query_log
from app.audit.review import Review
from app.audit.service import AuditService
from app.logs import ColumnMapping
from app.report.testca import TEST_LABEL, make_test_certificate
from app.store import open_store
from app.store.database import DATABASE_FILE, data_home

__all__ = [
    "ATTESTATION_WEIGHT",
    "DATABASE_FILE",
    "TEST_LABEL",
    "AnswerInfo",
    "AuditDiff",
    "AuditInfo",
    "AuditService",
    "AuditSummary",
    "AuditView",
    "ColumnMapping",
    "EvidenceInfo",
    "HistoryEvent",
    "HistoryReport",
    "KeyChoiceError",
    "KeySource",
    "Review",
    "SigningKey",
    "attestation_statement",
    "data_home",
    "export_audit",
    "import_query_log",
    "key_source",
    "load_signing_key",
    "make_test_certificate",
    "open_store",
    "sign_audit",
    "verify_attestation",
]
