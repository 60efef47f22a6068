"""Desk relay: conversation messages (ticket thread and outbox), takeovers, response times.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("agents") as batch:
        batch.add_column(sa.Column("queues", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column(
            "direction",
            sa.Enum("in", "out", name="messagedirection", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("author", sa.String(length=16), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", sa.JSON(), nullable=False),
        sa.Column(
            "delivery_state",
            sa.Enum(
                "pending",
                "delivered",
                "failed",
                "none",
                name="deliverystate",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"]),
        sa.ForeignKeyConstraint(["requester_id"], ["requesters.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    op.create_index("ix_messages_requester_id", "messages", ["requester_id"])
    op.create_index("ix_messages_ticket_id", "messages", ["ticket_id"])
    op.create_index("ix_messages_delivery_state", "messages", ["delivery_state"])
    op.create_table(
        "takeovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agent_active_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"]),
        sa.ForeignKeyConstraint(["requester_id"], ["requesters.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_takeovers_requester_id", "takeovers", ["requester_id"])
    op.create_index("ix_takeovers_ticket_id", "takeovers", ["ticket_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_takeovers_ticket_id", table_name="takeovers")
    op.drop_index("ix_takeovers_requester_id", table_name="takeovers")
    op.drop_table("takeovers")
    op.drop_index("ix_messages_delivery_state", table_name="messages")
    op.drop_index("ix_messages_ticket_id", table_name="messages")
    op.drop_index("ix_messages_requester_id", table_name="messages")
    op.drop_table("messages")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("delivered_at")
        batch.drop_column("first_response_at")
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("queues")
