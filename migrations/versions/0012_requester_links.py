"""One person across channels: requester links, one-time link codes, redeem attempts.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create requester_links, link_codes and link_attempts."""
    op.create_table(
        "requester_links",
        sa.Column(
            "requester_id", sa.Integer(), sa.ForeignKey("requesters.id"), primary_key=True,
            autoincrement=False,
        ),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("requesters.id"), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    )  # fmt: skip
    op.create_index("ix_requester_links_person_id", "requester_links", ["person_id"])
    op.create_table(
        "link_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("requesters.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_id", sa.Integer(), sa.ForeignKey("requesters.id"), nullable=True),
    )
    op.create_index("ix_link_codes_person_id", "link_codes", ["person_id"])
    op.create_table(
        "link_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("requester_id", sa.Integer(), sa.ForeignKey("requesters.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_link_attempts_requester_id", "link_attempts", ["requester_id"])
    op.create_index("ix_link_attempts_at", "link_attempts", ["at"])


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_index("ix_link_attempts_at", table_name="link_attempts")
    op.drop_index("ix_link_attempts_requester_id", table_name="link_attempts")
    op.drop_table("link_attempts")
    op.drop_index("ix_link_codes_person_id", table_name="link_codes")
    op.drop_table("link_codes")
    op.drop_index("ix_requester_links_person_id", table_name="requester_links")
    op.drop_table("requester_links")
