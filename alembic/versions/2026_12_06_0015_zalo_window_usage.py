"""zalo: the window Zalo reports closed, and message counts per channel and month

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """channel_account.window_closed_at and the channel_usage counters."""
    op.add_column(
        "channel_account",
        sa.Column("window_closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "channel_usage",
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "month", "kind", name=op.f("pk_channel_usage")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("channel_usage")
    op.drop_column("channel_account", "window_closed_at")
