"""zalo tokens

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The Zalo OA token pair and the numbered options offered per chat."""
    op.create_table(
        "zalo_oa_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.String(length=64), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seed_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zalo_oa_token")),
        sa.UniqueConstraint("app_id", name=op.f("uq_zalo_oa_token_app_id")),
    )
    op.create_table(
        "pending_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("chat_id", sa.String(length=128), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_choice")),
        sa.UniqueConstraint("channel", "chat_id", name=op.f("uq_pending_choice_channel_chat_id")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("pending_choice")
    op.drop_table("zalo_oa_token")
