"""Record the state overlays an audit applies: the SHA-256 of each, in the order applied.

The overlays' bytes are kept in checklist_source, like the base checklist's.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("overlay_sha256s", sa.Text(), nullable=True))
