"""report indexes: one week of quiz answers and check-ins read from the index alone

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 03:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index(
        "ix_quiz_delivery_answered",
        "quiz_delivery",
        ["answered_at", "person_id", "item_id", "correct"],
    )
    op.create_index(
        "ix_check_in_report",
        "check_in",
        ["campaign_id", "period_start", "complete", "person_id", "compliant", "late"],
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_check_in_report", table_name="check_in")
    op.drop_index("ix_quiz_delivery_answered", table_name="quiz_delivery")
