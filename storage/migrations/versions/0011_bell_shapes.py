"""Bells residents can shape: kinds, time windows, every N weeks and monthly rules; the ward's
evening-before bell and each subscription's choice of bells

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("collection_rules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("until", sa.Time(), nullable=True))
        batch_op.add_column(
            sa.Column("every_weeks", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("starting", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("of_month", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("kinds", sa.String(length=64), nullable=False, server_default="")
        )
    with op.batch_alter_table("wards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("evening_at", sa.Time(), nullable=True))
    # Every subscription made before hears the bell it always heard: minutes before the truck.
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("bells", sa.String(length=8), nullable=False, server_default="before")
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("bells")
    with op.batch_alter_table("wards", schema=None) as batch_op:
        batch_op.drop_column("evening_at")
    with op.batch_alter_table("collection_rules", schema=None) as batch_op:
        for column in ("kinds", "of_month", "starting", "every_weeks", "until"):
            batch_op.drop_column(column)
