"""Initial schema: checklist sources, audits, answers, history, evidence.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checklist_source",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("checklist_id", sa.String, nullable=False),
        sa.Column("version", sa.String, nullable=False),
        sa.Column("filename", sa.String, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("added_at", sa.String, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("jurisdiction", sa.String, nullable=False),
        sa.Column("period_start", sa.String, nullable=False),
        sa.Column("period_end", sa.String, nullable=False),
        sa.Column("checklist_id", sa.String, nullable=False),
        sa.Column("checklist_version", sa.String, nullable=False),
        sa.Column("checklist_sha256", sa.String(64), sa.ForeignKey("checklist_source.sha256"),
                  nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("based_on", sa.String(32), sa.ForeignKey("audit.id"), nullable=True),
        sa.Column("auditor", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.Column("signed_by", sa.String, nullable=True),
        sa.Column("signed_at", sa.String, nullable=True),
        sa.Column("signed_pdf_sha256", sa.String(64), nullable=True),
    )
    op.create_table(
        "answer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("audit_id", sa.String(32), sa.ForeignKey("audit.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("question_id", sa.String, nullable=False),
        sa.Column("value_json", sa.String, nullable=True),
        sa.Column("note", sa.String, nullable=False),
        sa.Column("state", sa.String, nullable=False),
        sa.Column("na_reason", sa.String, nullable=True),
        sa.Column("updated_by", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.UniqueConstraint("audit_id", "question_id"),
    )
    op.create_table(
        "history_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("audit_id", sa.String(32), sa.ForeignKey("audit.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("at", sa.String, nullable=False),
        sa.Column("actor", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("question_id", sa.String, nullable=True),
        sa.Column("old_json", sa.String, nullable=True),
        sa.Column("new_json", sa.String, nullable=True),
        sa.Column("reason", sa.String, nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("audit_id", "seq"),
    )
    op.create_table(
        "evidence_blob",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("audit_id", sa.String(32), sa.ForeignKey("audit.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("question_id", sa.String, nullable=False),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("evidence_blob.sha256"),
                  nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("media_type", sa.String, nullable=False),
        sa.Column("effective_date", sa.String, nullable=True),
        sa.Column("added_at", sa.String, nullable=False),
        sa.Column("added_by", sa.String, nullable=False),
    )
