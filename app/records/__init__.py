"""Plain read models and domain words shared by the services and the reports.

Each name is imported when it is first used, so that the audit list does not load the
attestation's records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.lazy_names import lazy_dir, lazy_getattr

if TYPE_CHECKING:
    from app.records.attestation import (
        Attestation,
        ChangeRecord,
        RecordedAnalysis,
        Signatory,
        Statement,
    )
    from app.records.enums import (
        AuditStatus,
        ChangeKind,
        EventKind,
    )
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

_WHERE = {
    "Attestation": "app.records.attestation",
    "ChangeRecord": "app.records.attestation",
    "RecordedAnalysis": "app.records.attestation",
    "Signatory": "app.records.attestation",
    "Statement": "app.records.attestation",
    "AuditStatus": "app.records.enums",
    "ChangeKind": "app.records.enums",
    "EventKind": "app.records.enums",
    "JURISDICTIONS": "app.records.jurisdictions",
    "formal_name": "app.records.jurisdictions",
    "jurisdiction_name": "app.records.jurisdictions",
    "normalise_jurisdiction": "app.records.jurisdictions",
    "AnswerInfo": "app.records.models",
    "AuditInfo": "app.records.models",
    "AuditSummary": "app.records.models",
    "AuditView": "app.records.models",
    "CarryReport": "app.records.models",
    "EvidenceInfo": "app.records.models",
    "HistoryEvent": "app.records.models",
    "HistoryReport": "app.records.models",
    "RecordedAnswer": "app.records.models",
}


__getattr__ = lazy_getattr(__name__, _WHERE)
__dir__ = lazy_dir(__name__)


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
    "RecordedAnalysis",
    "RecordedAnswer",
    "Signatory",
    "Statement",
    "formal_name",
    "jurisdiction_name",
    "normalise_jurisdiction",
]
