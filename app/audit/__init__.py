"""The audit services: the one API the TUI and the command line call."""

from app.audit.models import (
    AnswerInfo,
    AuditInfo,
    AuditSummary,
    AuditView,
    EvidenceInfo,
    HistoryEvent,
    HistoryReport,
)
from app.audit.service import AuditService

__all__ = [
    "AnswerInfo",
    "AuditInfo",
    "AuditService",
    "AuditSummary",
    "AuditView",
    "EvidenceInfo",
    "HistoryEvent",
    "HistoryReport",
]
