"""The options a typed number answers are read from the chat's latest message in the outbox

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dialogue_states", schema=None) as batch_op:
        batch_op.drop_column("choices")


def downgrade() -> None:
    with op.batch_alter_table("dialogue_states", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("choices", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
