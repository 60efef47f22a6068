"""``/health`` tells the truth about Rasa's tracker store and lock store when they are set.

The database, Rasa and the action server are covered in test_api.py. Here the tracker
store is a real database (SQLite, and the PostgreSQL server at 127.0.0.1:5432) and the
lock store the real Redis at 127.0.0.1:6379; a closed port stands for a part that is down.
"""

from __future__ import annotations

import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from servicedesk.api import create_app
from servicedesk.settings import Settings
from tests.integration.servicedesk.test_api import DeskClient

REDIS_URL = "redis://127.0.0.1:6379/0"


def _desk(db_url: str, backend: str, **stores: str) -> DeskClient:
    settings = Settings(
        environment="test", database_url=db_url, rasa_url=backend, action_server_url=backend,
        run_jobs=False, **stores,  # type: ignore[arg-type]
    )  # fmt: skip
    return DeskClient(create_app(settings))


@pytest.fixture
def backend(fake_rasa: ThreadingHTTPServer) -> str:
    """The stand-in Rasa and action server."""
    return f"http://127.0.0.1:{fake_rasa.server_port}"


def test_without_stores_configured_only_the_three_parts_are_checked(
    sqlite_url: str, backend: str
) -> None:
    response = _desk(sqlite_url, backend).get("/health")
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {
        "database",
        "rasa",
        "rasa_nlu",
        "rasa_core",
        "action_server",
    }


def test_a_reachable_tracker_store_and_redis_lock_store_are_ok(
    sqlite_url: str, backend: str, tmp_path: Path
) -> None:
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    response = _desk(sqlite_url, backend, tracker_store_url=tracker, lock_store_url=REDIS_URL)
    assert response.get("/health").json() == {
        "status": "ok",
        "checks": {
            "database": "ok", "rasa": "ok", "action_server": "ok", "rasa_nlu": "ok",
            "rasa_core": "ok", "tracker_store": "ok", "lock_store": "ok",
        },
    }  # fmt: skip


@pytest.mark.postgres
def test_the_postgresql_tracker_store_is_checked(
    pg_url: str, sqlite_url: str, backend: str
) -> None:
    response = _desk(sqlite_url, backend, tracker_store_url=pg_url).get("/health")
    assert response.status_code == 200
    assert response.json()["checks"]["tracker_store"] == "ok"


def test_a_lock_store_that_does_not_answer_makes_health_503_quickly(
    sqlite_url: str, backend: str, closed_port: int
) -> None:
    desk = _desk(sqlite_url, backend, lock_store_url=f"redis://127.0.0.1:{closed_port}/0")
    started = time.monotonic()
    response = desk.get("/health")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["lock_store"].startswith("error: ")
    assert body["checks"]["rasa"] == "ok"


def test_a_tracker_store_that_does_not_answer_makes_health_503(
    sqlite_url: str, backend: str, closed_port: int
) -> None:
    down = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port}/rasa"
    response = _desk(sqlite_url, backend, tracker_store_url=down).get("/health")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["tracker_store"].startswith("error: ")
    assert str(closed_port) not in checks["tracker_store"]  # no addresses in the answer
