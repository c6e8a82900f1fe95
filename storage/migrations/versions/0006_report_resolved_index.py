"""An index for the reports a ward resolved in a period, for /stats and /indicators

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_reports_ward_resolved", "reports", ["ward_id", "resolved_at"])


def downgrade() -> None:
    op.drop_index("ix_reports_ward_resolved", table_name="reports")
