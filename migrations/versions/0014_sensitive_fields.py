"""Personnummer fields: asked prompts and the encrypted answers (sensitive_prompts, _values).

Revision ID: 0014
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create sensitive_prompts and sensitive_values."""
    op.create_table(
        "sensitive_prompts",
        sa.Column("conversation_id", sa.String(200), primary_key=True),
        sa.Column("service_code", sa.String(32), nullable=False),
        sa.Column("field_key", sa.String(32), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "sensitive_values",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation_id", sa.String(200), nullable=False),
        sa.Column("service_code", sa.String(32), nullable=False),
        sa.Column("field_key", sa.String(32), nullable=False),
        sa.Column("ciphertext", sa.Text(), nullable=False),
        sa.Column("masked", sa.String(32), nullable=False),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sensitive_values_conversation_id", "sensitive_values", ["conversation_id"])
    op.create_index("ix_sensitive_values_ticket_id", "sensitive_values", ["ticket_id"])


def downgrade() -> None:
    """Drop both tables."""
    op.drop_index("ix_sensitive_values_ticket_id", table_name="sensitive_values")
    op.drop_index("ix_sensitive_values_conversation_id", table_name="sensitive_values")
    op.drop_table("sensitive_values")
    op.drop_table("sensitive_prompts")
