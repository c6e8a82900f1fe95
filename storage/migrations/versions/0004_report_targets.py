"""Reports' targets, escalation and follow-up; indexes for the inbox and the figures

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_TARGET = "escalated_at IS NULL AND due_at IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acknowledge_by", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("resolve_by", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("due_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("feedback_reminded_at", sa.DateTime(), nullable=True))
        batch_op.drop_index("ix_reports_resident_id")
        batch_op.create_index("ix_reports_resident_created", ["resident_id", "created_at"])
        batch_op.create_index("ix_reports_ward_created", ["ward_id", "created_at"])
        batch_op.create_index("ix_reports_ward_due", ["ward_id", "due_at"])
        batch_op.create_index("ix_reports_state_resolved", ["state", "resolved_at"])
        batch_op.create_index(
            "ix_reports_escalation",
            ["due_at"],
            sqlite_where=sa.text(OPEN_TARGET),
            postgresql_where=sa.text(OPEN_TARGET),
        )
    # Reports filed before targets existed: due since they were filed, so the inbox shows them.
    op.execute(
        "UPDATE reports SET acknowledge_by = created_at, resolve_by = created_at, "
        "due_at = created_at WHERE state IN ('new', 'acknowledged', 'in_progress')"
    )


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_escalation")
        batch_op.drop_index("ix_reports_state_resolved")
        batch_op.drop_index("ix_reports_ward_due")
        batch_op.drop_index("ix_reports_ward_created")
        batch_op.drop_index("ix_reports_resident_created")
        batch_op.create_index("ix_reports_resident_id", ["resident_id"])
        batch_op.drop_column("feedback_reminded_at")
        batch_op.drop_column("escalated_at")
        batch_op.drop_column("due_at")
        batch_op.drop_column("resolve_by")
        batch_op.drop_column("acknowledge_by")
