"""A resident's copy of an announcement names the announcement in an indexed column, so that its
outcomes are counted through the index instead of a LIKE over every outbox key

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Copies queued before the column existed are keyed `announce:<id>:<resident>`.
FILL_FROM_KEY = {
    "postgresql": (
        "UPDATE outbox SET announcement_id = CAST(split_part(key, ':', 2) AS BIGINT)"
        " WHERE key LIKE 'announce:%'"
    ),
    "sqlite": (
        "UPDATE outbox SET announcement_id ="
        " CAST(substr(key, 10, instr(substr(key, 10), ':') - 1) AS INTEGER)"
        " WHERE key LIKE 'announce:%'"
    ),
}


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("announcement_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"))
        )
    op.execute(FILL_FROM_KEY[op.get_bind().dialect.name])
    op.create_index("ix_outbox_announcement_status", "outbox", ["announcement_id", "status"])


def downgrade() -> None:
    # The keys still name each copy's announcement: nothing is lost.
    op.drop_index("ix_outbox_announcement_status", table_name="outbox")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("announcement_id")
