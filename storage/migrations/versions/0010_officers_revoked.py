"""An officer's role can be taken away by the seed file and kept in the history: a flag, so the
reports' trail still names who did what

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("officers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("revoked", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    # Roles taken away come back on a downgrade: the schema before had no way to hold them.
    op.execute("DELETE FROM officers WHERE revoked")
    with op.batch_alter_table("officers", schema=None) as batch_op:
        batch_op.drop_column("revoked")
