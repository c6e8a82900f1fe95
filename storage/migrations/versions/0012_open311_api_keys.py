"""Partners' API keys for Open311 (kept hashed), and reports read newest first across wards

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", ID, nullable=False),
        sa.Column("partner", sa.String(length=100), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("shown", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    op.create_index("ix_api_keys_partner", "api_keys", ["partner"])
    op.create_index("ix_reports_created", "reports", ["created_at"])
    op.create_index("ix_reports_category_created", "reports", ["category", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_reports_category_created", table_name="reports")
    op.drop_index("ix_reports_created", table_name="reports")
    op.drop_index("ix_api_keys_partner", table_name="api_keys")
    op.drop_table("api_keys")
