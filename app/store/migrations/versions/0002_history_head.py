"""Keep the head and length of each audit's history chain on the audit.

A truncated history (events deleted from the end) still forms a valid chain; the head
stored on the audit row exposes it. Existing audits are back-filled from their events.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("history_head", sa.String(64), nullable=True))
        batch.add_column(sa.Column("history_length", sa.Integer, nullable=False,
                                   server_default="0"))
    op.execute(
        """
        UPDATE audit SET
          history_length = (SELECT COUNT(*) FROM history_event e WHERE e.audit_id = audit.id),
          history_head = (SELECT e.hash FROM history_event e WHERE e.audit_id = audit.id
                          ORDER BY e.seq DESC LIMIT 1)
        """
    )
