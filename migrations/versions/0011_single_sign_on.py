"""Single sign-on: web chat sessions, the requester's e-mail and the agent's provider subject.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create web_sessions; add requesters.email and agents.sso_subject."""
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("key_hash"),
    )
    op.create_index("ix_web_sessions_person_id", "web_sessions", ["person_id"])
    op.create_index("ix_web_sessions_expires_at", "web_sessions", ["expires_at"])
    with op.batch_alter_table("requesters") as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))
    with op.batch_alter_table("agents") as batch_op:
        batch_op.add_column(sa.Column("sso_subject", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_agents_sso_subject", ["sso_subject"])


def downgrade() -> None:
    """Drop what upgrade added."""
    with op.batch_alter_table("agents") as batch_op:
        batch_op.drop_constraint("uq_agents_sso_subject", type_="unique")
        batch_op.drop_column("sso_subject")
    with op.batch_alter_table("requesters") as batch_op:
        batch_op.drop_column("email")
    op.drop_index("ix_web_sessions_expires_at", table_name="web_sessions")
    op.drop_index("ix_web_sessions_person_id", table_name="web_sessions")
    op.drop_table("web_sessions")
