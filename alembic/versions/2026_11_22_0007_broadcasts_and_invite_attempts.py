"""broadcasts and invite attempts

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""

    op.create_table(
        "broadcast",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachment", sa.JSON(), nullable=True),
        sa.Column("unit_ids", sa.JSON(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "scheduled",
                "sending",
                "done",
                "cancelled",
                name="broadcast_status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("progress_channel", sa.String(length=32), nullable=True),
        sa.Column("progress_chat_id", sa.String(length=128), nullable=True),
        sa.Column("progress_outbox_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["person.id"],
            name=op.f("fk_broadcast_author_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcast")),
    )
    op.create_table(
        "broadcast_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("reachable", sa.Boolean(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["broadcast_id"],
            ["broadcast.id"],
            name=op.f("fk_broadcast_recipient_broadcast_id_broadcast"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["outbox.id"],
            name=op.f("fk_broadcast_recipient_outbox_id_outbox"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_broadcast_recipient_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_broadcast_recipient_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcast_recipient")),
        sa.UniqueConstraint(
            "broadcast_id", "person_id", name=op.f("uq_broadcast_recipient_broadcast_id_person_id")
        ),
    )
    with op.batch_alter_table("broadcast_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_broadcast_recipient_broadcast_id"), ["broadcast_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_broadcast_recipient_outbox_id"), ["outbox_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_broadcast_recipient_person_id"), ["person_id"], unique=False
        )
    op.create_table(
        "invite_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("platform_user_id", sa.String(length=128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_attempt")),
    )
    with op.batch_alter_table("invite_attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_invite_attempt_sender", ["channel", "platform_user_id", "at"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("invite_attempt")
    op.drop_table("broadcast_recipient")
    op.drop_table("broadcast")
