"""Keep the audit list's progress and finding counts of each audit, as derived data.

Listing audits evaluated every audit against its checklist again; the counts are now kept
with the SHA-256 of what they were counted from, and counted again when that moves on.
The table starts empty: each audit is counted at its first listing.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_counts",
        sa.Column("audit_id", sa.String(32), sa.ForeignKey("audit.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("derived_from", sa.String(64), nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("findings", sa.Integer, nullable=False),
    )
