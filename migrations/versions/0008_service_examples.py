"""Example requests per service (services.examples).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the JSON list of example requests; existing services have none."""
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("examples", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    """Drop the example requests."""
    with op.batch_alter_table("services") as batch:
        batch.drop_column("examples")
