"""The audit services: the one API the TUI and the command line call.

Everything a caller needs is named here; callers never reach into the submodules.
"""

from app.audit.attest import ATTESTATION_WEIGHT, SignedAudit, prepare_signing, same_person
from app.audit.conflicts import UNCHECKED, StaleAnswer
from app.audit.diff import AuditDiff
from app.audit.export import FORMATS, ExportResult
from app.audit.history_pages import HISTORY_PAGE, HistoryPage
from app.audit.keys import (
    KeyChoiceError,
    KeySource,
    SigningKey,
    key_source,
    load_signing_key,
)
from app.audit.overlays import state_overlays
from app.audit.query_logs import LogImport, query_log_map
from app.audit.review import Review
from app.audit.search import (
    SearchEntry,
    SearchField,
    SearchHit,
    next_to_do,
    questions_to_do,
    search_index,
    search_questions,
)
from app.audit.service import AuditService
from app.audit.table_import import import_reason, table_rows_from_file
from app.audit.verify import (
    AttestationCheck,
    PublicReportCheck,
    extend_attestation,
    is_public_report,
    verify_attestation,
    verify_public_report,
)
from app.logs import ColumnMapping
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
from app.report.testca import TEST_LABEL, make_test_certificate
from app.store import open_store
from app.store.database import DATABASE_FILE, data_home
from app.store.grants import grants_sql

__all__ = [
    "UNCHECKED",
    "ATTESTATION_WEIGHT",
    "DATABASE_FILE",
    "FORMATS",
    "HISTORY_PAGE",
    "JURISDICTIONS",
    "TEST_LABEL",
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
    "ColumnMapping",
    "EventKind",
    "EvidenceInfo",
    "ExportResult",
    "HistoryEvent",
    "HistoryPage",
    "HistoryReport",
    "KeyChoiceError",
    "KeySource",
    "LogImport",
    "PublicReportCheck",
    "Review",
    "SearchEntry",
    "SearchField",
    "SearchHit",
    "Signatory",
    "StaleAnswer",
    "SignedAudit",
    "SigningKey",
    "Statement",
    "data_home",
    "extend_attestation",
    "grants_sql",
    "import_reason",
    "is_public_report",
    "key_source",
    "load_signing_key",
    "make_test_certificate",
    "next_to_do",
    "open_store",
    "prepare_signing",
    "query_log_map",
    "questions_to_do",
    "same_person",
    "search_index",
    "search_questions",
    "state_overlays",
    "table_rows_from_file",
    "verify_attestation",
    "verify_public_report",
]
