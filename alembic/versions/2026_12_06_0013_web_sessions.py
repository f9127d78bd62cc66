"""web channel: signed-in browsers (hashed session tokens), the per-chat outbox index, Web Push

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["channel_account.id"],
            name=op.f("fk_web_session_account_id_channel_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_session_token_hash")),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_session_account_id"), ["account_id"], unique=False)
    op.create_index("ix_outbox_chat", "outbox", ["channel", "chat_id", "id"])
    op.create_table(
        "web_push_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("private_pem", sa.Text(), nullable=False),
        sa.Column("public_key", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_push_key")),
    )
    op.create_table(
        "web_push_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.String(length=1000), nullable=False),
        sa.Column("p256dh", sa.String(length=200), nullable=False),
        sa.Column("auth", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["web_session.id"],
            name=op.f("fk_web_push_subscription_session_id_web_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["channel_account.id"],
            name=op.f("fk_web_push_subscription_account_id_channel_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_push_subscription")),
        sa.UniqueConstraint("endpoint", name=op.f("uq_web_push_subscription_endpoint")),
    )
    with op.batch_alter_table("web_push_subscription", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_web_push_subscription_session_id"), ["session_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_web_push_subscription_account_id"), ["account_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("web_push_subscription")
    op.drop_table("web_push_key")
    op.drop_index("ix_outbox_chat", table_name="outbox")
    op.drop_table("web_session")
