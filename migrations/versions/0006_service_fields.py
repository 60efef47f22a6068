"""Catalogue-defined fields per service (services.fields).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the JSON list of field definitions; existing services have none."""
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("fields", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    """Drop the field definitions."""
    with op.batch_alter_table("services") as batch:
        batch.drop_column("fields")
