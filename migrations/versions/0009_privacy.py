"""Privacy: the read log of agents (read_log) and the personnummer notice (requesters).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the read log and when a person was told a personnummer was removed."""
    op.create_table(
        "read_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agent_id", sa.Integer(), sa.ForeignKey("agents.id"), nullable=False),
        sa.Column("what", sa.String(32), nullable=False),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=True),
        sa.Column("via", sa.String(16), nullable=False),
    )
    op.create_index("ix_read_log_at", "read_log", ["at"])
    op.create_index("ix_read_log_agent_id", "read_log", ["agent_id"])
    op.create_index("ix_read_log_ticket_id", "read_log", ["ticket_id"])
    with op.batch_alter_table("requesters") as batch:
        batch.add_column(sa.Column("privacy_notice_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop the read log and the notice time."""
    with op.batch_alter_table("requesters") as batch:
        batch.drop_column("privacy_notice_at")
    op.drop_index("ix_read_log_ticket_id", table_name="read_log")
    op.drop_index("ix_read_log_agent_id", table_name="read_log")
    op.drop_index("ix_read_log_at", table_name="read_log")
    op.drop_table("read_log")
