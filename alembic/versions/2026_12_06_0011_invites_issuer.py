"""invites issuer: who issued each invite code (a person in chat, or the server CLI)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("invite", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issued_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("issued_via", sa.String(length=16), nullable=False, server_default="cli")
        )
    # Codes issued before this revision came from the CLI or from an unrecorded /moi: the
    # app refuses them for someone already linked (they could take over an account).
    op.execute("UPDATE invite SET issued_via = 'unknown'")
    with op.batch_alter_table("invite", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_invite_issued_by_id_person"),
            "person",
            ["issued_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("invite", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_invite_issued_by_id_person"), type_="foreignkey")
        batch_op.drop_column("issued_via")
        batch_op.drop_column("issued_by_id")
