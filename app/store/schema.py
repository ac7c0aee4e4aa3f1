"""The row classes of `app.store.tables`, each loaded on first use, and light forms of the
two tables the audit list reads.

Declaring the tables (SQLModel's models and SQLAlchemy's mappers) is a large part of what
a start costs; the audit list on the first screen reads two tables' plain columns and needs
none of it. Modules on the way to the first screen name the row classes through this module
(`schema.AuditRow`), which imports them only when a statement first uses one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from sqlalchemy import Row, TableClause, column, table

from app.lazy_names import lazy_dir, lazy_getattr

if TYPE_CHECKING:
    from app.store.tables import (
        AnswerRow,
        AuditCountsRow,
        AuditRow,
        ChecklistSourceRow,
        EvidenceBlobRow,
        EvidenceRow,
        HistoryEventRow,
        table_of,
    )

_WHERE = {name: "app.store.tables" for name in (
    "AnswerRow", "AuditCountsRow", "AuditRow", "ChecklistSourceRow", "EvidenceBlobRow",
    "EvidenceRow", "HistoryEventRow", "table_of")}

__getattr__ = lazy_getattr(__name__, _WHERE)
__dir__ = lazy_dir(__name__)

AUDIT_COLUMNS = ("id", "title", "jurisdiction", "period_start", "period_end", "checklist_id",
                 "checklist_version", "checklist_sha256", "status", "based_on", "auditor",
                 "created_at", "updated_at", "signed_by", "signed_at", "signed_pdf_sha256",
                 "signer_certificate_sha256", "history_head", "history_length",
                 "overlay_sha256s")
"""Every column of `audit` (a test keeps it in step with AuditRow): all text or integers,
read as the driver gives them."""

COUNTS_COLUMNS = ("audit_id", "derived_from", "done", "total", "findings")
"""Every column of `audit_counts` (a test keeps it in step with AuditCountsRow)."""

AUDIT: TableClause = table("audit", *(column(name) for name in AUDIT_COLUMNS))
"""The `audit` table for plain reads of its columns, without the ORM."""

AuditRecord: TypeAlias = "AuditRow | Row[Any]"
"""An audit's row: the ORM's, or its plain columns as read through AUDIT."""

COUNTS: TableClause = table("audit_counts", *(column(name) for name in COUNTS_COLUMNS))
"""The `audit_counts` table for plain reads and writes, without the ORM."""


__all__ = [
    "AUDIT",
    "AUDIT_COLUMNS",
    "COUNTS",
    "COUNTS_COLUMNS",
    "AnswerRow",
    "AuditRecord",
    "AuditCountsRow",
    "AuditRow",
    "ChecklistSourceRow",
    "EvidenceBlobRow",
    "EvidenceRow",
    "HistoryEventRow",
    "table_of",
]
