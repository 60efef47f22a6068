"""Create or upgrade the database schema with Alembic: the single way the schema is made."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from servicedesk.settings import REPO_ROOT, get_settings

ALEMBIC_INI = REPO_ROOT / "alembic.ini"
MIGRATIONS_DIR = REPO_ROOT / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """Build the Alembic config for ``url`` (default: the configured database URL).

    Args:
        url: SQLAlchemy URL of the database to migrate.

    Returns:
        A config pointing at this repository's migrations, independent of the working directory.
    """
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolates "%", which URL-encoded passwords may contain.
    database_url = url or get_settings().database_url
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    # Leave the caller's logging configuration alone.
    config.attributes["configure_logger"] = False
    return config


def upgrade_database(url: str | None = None) -> None:
    """Run ``alembic upgrade head`` on ``url`` (default: the configured database URL)."""
    target = url or get_settings().database_url
    if target.startswith("sqlite:///"):
        # A fresh checkout has no var/ yet; SQLite cannot create the folder itself.
        Path(target.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")
