"""An outbox message keeps the options it offers in a column of its own, apart from its payload

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Messages queued before the column existed offer what their payload shows, so that a number
# typed after the upgrade answers them as it did before.
FILL_FROM_PAYLOAD = {
    "postgresql": (
        "UPDATE outbox SET options = payload -> 'choices'"
        " WHERE json_typeof(payload -> 'choices') = 'array'"
    ),
    "sqlite": (
        "UPDATE outbox SET options = json_extract(payload, '$.choices')"
        " WHERE json_type(payload, '$.choices') = 'array'"
    ),
}


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("options", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    op.execute(FILL_FROM_PAYLOAD[op.get_bind().dialect.name])


def downgrade() -> None:
    # The payload still holds every message's options: nothing is lost.
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("options")
