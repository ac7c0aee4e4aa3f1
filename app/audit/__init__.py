"""The audit services: the one API the TUI and the command line call.

Everything a caller needs is named here; callers never reach into the submodules. Each name
is imported when it is first used, so that a caller pays only for what it uses: the home
screen does not load the report, signing or log-analysis code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.lazy_names import lazy_dir, lazy_getattr

if TYPE_CHECKING:
    from app.audit.attest import ATTESTATION_WEIGHT, SignedAudit, prepare_signing, same_person
    from app.audit.conflicts import StaleAnswer
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
    from app.audit.unchecked import UNCHECKED
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
        RecordedAnswer,
        Signatory,
        Statement,
    )
    from app.report.testca import TEST_LABEL, make_test_certificate
    from app.store import open_store
    from app.store.grants import grants_sql
    from app.store.location import DATABASE_FILE, data_home

_WHERE = {
    "ATTESTATION_WEIGHT": "app.audit.attest",
    "SignedAudit": "app.audit.attest",
    "prepare_signing": "app.audit.attest",
    "same_person": "app.audit.attest",
    "UNCHECKED": "app.audit.unchecked",
    "StaleAnswer": "app.audit.conflicts",
    "AuditDiff": "app.audit.diff",
    "FORMATS": "app.audit.export",
    "ExportResult": "app.audit.export",
    "HISTORY_PAGE": "app.audit.history_pages",
    "HistoryPage": "app.audit.history_pages",
    "KeyChoiceError": "app.audit.keys",
    "KeySource": "app.audit.keys",
    "SigningKey": "app.audit.keys",
    "key_source": "app.audit.keys",
    "load_signing_key": "app.audit.keys",
    "state_overlays": "app.audit.overlays",
    "LogImport": "app.audit.query_logs",
    "query_log_map": "app.audit.query_logs",
    "Review": "app.audit.review",
    "SearchEntry": "app.audit.search",
    "SearchField": "app.audit.search",
    "SearchHit": "app.audit.search",
    "next_to_do": "app.audit.search",
    "questions_to_do": "app.audit.search",
    "search_index": "app.audit.search",
    "search_questions": "app.audit.search",
    "AuditService": "app.audit.service",
    "import_reason": "app.audit.table_import",
    "table_rows_from_file": "app.audit.table_import",
    "AttestationCheck": "app.audit.verify",
    "PublicReportCheck": "app.audit.verify",
    "extend_attestation": "app.audit.verify",
    "is_public_report": "app.audit.verify",
    "verify_attestation": "app.audit.verify",
    "verify_public_report": "app.audit.verify",
    "ColumnMapping": "app.logs",
    "JURISDICTIONS": "app.records",
    "AnswerInfo": "app.records",
    "Attestation": "app.records",
    "AuditInfo": "app.records",
    "AuditStatus": "app.records",
    "AuditSummary": "app.records",
    "AuditView": "app.records",
    "ChangeKind": "app.records",
    "ChangeRecord": "app.records",
    "EventKind": "app.records",
    "EvidenceInfo": "app.records",
    "HistoryEvent": "app.records",
    "HistoryReport": "app.records",
    "RecordedAnswer": "app.records",
    "Signatory": "app.records",
    "Statement": "app.records",
    "TEST_LABEL": "app.report.testca",
    "make_test_certificate": "app.report.testca",
    "open_store": "app.store",
    "DATABASE_FILE": "app.store.location",
    "data_home": "app.store.location",
    "grants_sql": "app.store.grants",
}


__getattr__ = lazy_getattr(__name__, _WHERE)
__dir__ = lazy_dir(__name__)


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
    "RecordedAnswer",
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
