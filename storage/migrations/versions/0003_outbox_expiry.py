"""Outbox messages that expire: a reminder is never sent once its collection has passed

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 19:19:31.100094
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_outbox_kind_expires_at", ["kind", "expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_kind_expires_at")
        batch_op.drop_column("expires_at")
