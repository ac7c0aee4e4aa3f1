"""The database tables. Timestamps are ISO-8601 UTC text so that hashes are exact."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Column, ForeignKey, LargeBinary, String, Table, UniqueConstraint
from sqlmodel import Field, SQLModel


class ChecklistSourceRow(SQLModel, table=True):
    """The exact bytes of a checklist file, kept once per SHA-256."""

    __tablename__ = "checklist_source"

    sha256: str = Field(primary_key=True, max_length=64)
    checklist_id: str
    version: str
    filename: str
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    added_at: str


class AuditRow(SQLModel, table=True):
    """One audit of one jurisdiction for one period against one checklist."""

    __tablename__ = "audit"

    id: str = Field(primary_key=True, max_length=32)
    title: str
    jurisdiction: str
    period_start: str
    period_end: str
    checklist_id: str
    checklist_version: str
    checklist_sha256: str = Field(foreign_key="checklist_source.sha256")
    status: str = "draft"
    based_on: str | None = Field(default=None, foreign_key="audit.id")
    auditor: str
    created_at: str
    updated_at: str
    signed_by: str | None = None
    signed_at: str | None = None
    signed_pdf_sha256: str | None = None
    signer_certificate_sha256: str | None = None
    history_head: str | None = None
    history_length: int = 0
    overlay_sha256s: str | None = None
    """A JSON list of the SHA-256 of each state overlay applied, in order (None: none)."""


class AnswerRow(SQLModel, table=True):
    """The current answer to one question of one audit."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("audit_id", "question_id"),)

    id: int | None = Field(default=None, primary_key=True)
    audit_id: str = Field(sa_column=Column(ForeignKey("audit.id", ondelete="CASCADE"),
                                           nullable=False, index=True))
    question_id: str
    value_json: str | None = None
    note: str = ""
    state: str
    na_reason: str | None = None
    updated_by: str
    updated_at: str


class HistoryEventRow(SQLModel, table=True):
    """One append-only change, chained to the one before by its hash."""

    __tablename__ = "history_event"
    __table_args__ = (UniqueConstraint("audit_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    audit_id: str = Field(sa_column=Column(ForeignKey("audit.id", ondelete="CASCADE"),
                                           nullable=False, index=True))
    seq: int
    at: str
    actor: str
    kind: str
    question_id: str | None = None
    old_json: str | None = None
    new_json: str | None = None
    reason: str | None = None
    prev_hash: str
    hash: str


class EvidenceBlobRow(SQLModel, table=True):
    """The bytes of an evidence file, stored once per SHA-256."""

    __tablename__ = "evidence_blob"

    sha256: str = Field(primary_key=True, max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class EvidenceRow(SQLModel, table=True):
    """An evidence file attached to a question of an audit."""

    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    audit_id: str = Field(sa_column=Column(ForeignKey("audit.id", ondelete="CASCADE"),
                                           nullable=False, index=True))
    question_id: str
    sha256: str = Field(foreign_key="evidence_blob.sha256")
    name: str
    size: int
    media_type: str
    effective_date: str | None = None
    added_at: str
    added_by: str


class AuditCountsRow(SQLModel, table=True):
    """The audit list's progress and finding counts of one audit: derived data, kept so
    that listing audits need not evaluate each one again. `derived_from` is the SHA-256
    of what they were counted from (the history head, the checklist and overlays, the
    counting code); counts whose source moved on are counted again, and `history verify`
    counts again any that claim to be current."""

    __tablename__ = "audit_counts"

    audit_id: str = Field(sa_column=Column(String(32), ForeignKey("audit.id", ondelete="CASCADE"),
                                           primary_key=True))
    derived_from: str = Field(max_length=64)
    done: int
    total: int
    findings: int


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a model, for statements that need none of the ORM."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]
