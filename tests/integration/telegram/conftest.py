"""A migrated SQLite database per test for the bridge's store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from servicedesk.db import make_engine
from servicedesk.migrate import upgrade_database
from servicedesk.models import Department


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session:
        session.add_all(
            [
                Department(code="SEF", name="Serviceförvaltningen", active=True),
                Department(code="SF", name="Socialförvaltningen", active=True),
            ]
        )
        session.commit()
    try:
        yield factory
    finally:
        engine.dispose()
