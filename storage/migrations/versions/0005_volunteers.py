"""Volunteer calls end at a time; announcements and how their sending is followed

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("volunteer_calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ends_at", sa.DateTime(), nullable=True))
    # A call made before calls had an end lasts no time at all, rather than a made-up one.
    op.execute("UPDATE volunteer_calls SET ends_at = starts_at")
    with op.batch_alter_table("volunteer_calls", schema=None) as batch_op:
        batch_op.alter_column("ends_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.drop_index("ix_volunteer_calls_ward_id")
        batch_op.create_index("ix_volunteer_calls_ward_starts", ["ward_id", "starts_at"])

    op.create_table(
        "announcements",
        sa.Column("id", ID, nullable=False),
        sa.Column("ward_id", ID, nullable=False),
        sa.Column("officer_id", ID, nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("progress_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name=op.f("fk_announcements_officer_id_officers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ward_id"],
            ["wards.id"],
            name=op.f("fk_announcements_ward_id_wards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
    )
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.create_index("ix_announcements_finished_at", ["finished_at"])


def downgrade() -> None:
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.drop_index("ix_announcements_finished_at")
    op.drop_table("announcements")
    with op.batch_alter_table("volunteer_calls", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_calls_ward_starts")
        batch_op.create_index("ix_volunteer_calls_ward_id", ["ward_id"])
        batch_op.drop_column("ends_at")
