"""Feedback dialogue (issue 6): the invitation's life on ``feedback``, answers kept once.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MOMENTS = (
    "delivered_at",
    "due_at",
    "reminder_sent_at",
    "postponed_at",
    "paused_at",
    "declined_at",
    "expired_at",
    "escalated_at",
)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("feedback") as batch:
        batch.alter_column("invited_at", existing_type=sa.DateTime(timezone=True), nullable=True)
        batch.add_column(sa.Column("requester_id", sa.Integer(), nullable=True))
        for name in _MOMENTS:
            batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("resume_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("skip_reason", sa.String(length=32), nullable=True))
        batch.create_foreign_key(
            "fk_feedback_requester_id_requesters", "requesters", ["requester_id"], ["id"]
        )
        batch.create_index("ix_feedback_requester_id", ["requester_id"])
        batch.create_index("ix_feedback_status", ["status"])
    op.create_table(
        "feedback_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["feedback_id"], ["feedback.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("feedback_id", "question"),
    )
    op.create_index("ix_feedback_answers_feedback_id", "feedback_answers", ["feedback_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_feedback_answers_feedback_id", table_name="feedback_answers")
    op.drop_table("feedback_answers")
    with op.batch_alter_table("feedback") as batch:
        batch.drop_index("ix_feedback_status")
        batch.drop_index("ix_feedback_requester_id")
        batch.drop_constraint("fk_feedback_requester_id_requesters", type_="foreignkey")
        batch.drop_column("skip_reason")
        batch.drop_column("resume_count")
        for name in reversed(_MOMENTS):
            batch.drop_column(name)
        batch.drop_column("requester_id")
        batch.alter_column("invited_at", existing_type=sa.DateTime(timezone=True), nullable=False)
