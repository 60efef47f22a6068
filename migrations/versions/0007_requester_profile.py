"""When a web chat person answered the name and förvaltning form (requesters.profile_saved_at).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the column; nobody has answered the server-side form yet."""
    with op.batch_alter_table("requesters") as batch:
        batch.add_column(sa.Column("profile_saved_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("requesters") as batch:
        batch.drop_column("profile_saved_at")
