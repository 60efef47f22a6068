"""Databases for the servicedesk integration tests, with the schema made by Alembic.

SQLite tests get a fresh file per test. PostgreSQL tests (marked ``postgres``) share one
throw-away database per session, created here and dropped afterwards; its tables are
emptied before each test. An unreachable PostgreSQL fails the tests, it never skips them.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from servicedesk.db import get_engine, make_engine
from servicedesk.migrate import upgrade_database
from servicedesk.models import Base, Requester
from tests.support.http_server import JsonHandler, serve_http

PG_ADMIN_DSN = os.environ.get(
    "SERVICEDESK_TEST_PG_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
)
PG_URL_TEMPLATE = os.environ.get(
    "SERVICEDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
)


def _pg_admin() -> psycopg.Connection:
    try:
        return psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable with {PG_ADMIN_DSN!r} ({exc}). The tests marked "
            "'postgres' need it; start it or deselect them with -m 'not postgres'.",
            pytrace=False,
        )


def _forget_cached_engine(url: str) -> None:
    """Dispose the process-wide engine for ``url`` if code under test made one."""
    get_engine(url).dispose()
    get_engine.cache_clear()


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """Create a uniquely named PostgreSQL database, migrate it, drop it at the end."""
    name = f"servicedesk_test_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = PG_URL_TEMPLATE.format(name=name)
    try:
        upgrade_database(url)
        yield url
    finally:
        _forget_cached_engine(url)
        with _pg_admin() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _empty_pg_tables(url: str) -> None:
    engine = make_engine(url)
    try:
        names = ", ".join(t.name for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """A migrated SQLite file database of its own for one test."""
    url = f"sqlite:///{tmp_path / 'servicedesk.db'}"
    upgrade_database(url)
    yield url
    _forget_cached_engine(url)


@pytest.fixture
def pg_url(pg_database_url: str) -> str:
    """The session's PostgreSQL database, emptied for this test."""
    _empty_pg_tables(pg_database_url)
    return pg_database_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A migrated, empty database: once as SQLite, once as PostgreSQL."""
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine of the test's own for ``db_url``."""
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory on the test's engine."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for one test; whatever it leaves uncommitted is rolled back."""
    with session_factory() as sess:
        yield sess


@pytest.fixture
def requester(session: Session) -> Requester:
    """A committed web chat requester."""
    person = Requester(channel="rest", external_id="sender-1", name="Anna Andersson")
    session.add(person)
    session.commit()
    return person


class _FakeRasaHandler(JsonHandler):
    """Answers like Rasa (GET /, REST webhook) and the action server (GET /health)."""

    def do_GET(self) -> None:
        if self.path == "/health":
            self._reply(200, {"status": "ok"})
        elif self.path == "/":
            self._reply(200, "Hello from Rasa: 3.6.21")
        else:
            self._reply(404, {})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else {}
        if self.path.startswith("/conversations/health:probe/tracker/events"):
            self.server.probe_created = True  # type: ignore[attr-defined]
            self._reply(200, {"sender_id": "health:probe", "events": body})
            return
        if self.path.startswith("/conversations/health:probe/predict"):  # the core probe
            if not getattr(self.server, "probe_created", False):
                self._reply(404, {"message": "Conversation ID not found."})
            else:
                self._reply(200, {"scores": [{"action": "action_listen", "score": 1.0}]})
            return
        if self.path.startswith("/model/parse"):  # the desk's health probe
            self._reply(200, {"text": body.get("text"), "intent": {"name": "greet"}})
            return
        self.server.received.append(body)  # type: ignore[attr-defined]
        self._reply(
            200,
            [
                {"recipient_id": body["sender"], "text": f"Du skrev:\n{body['message']}"},
                {
                    "recipient_id": body["sender"],
                    "text": "Stämmer det?",
                    "buttons": [
                        {"title": "Ja", "payload": "/affirm"},
                        {"title": "Nej", "payload": "/deny"},
                    ],
                },
                {"recipient_id": body["sender"], "image": "https://example.invalid/x.png"},
            ],
        )


@pytest.fixture
def fake_rasa() -> Iterator[ThreadingHTTPServer]:
    """A stand-in for Rasa and the action server on a free port; ``.received`` logs posts."""
    with serve_http(_FakeRasaHandler, received=[]) as server:
        yield server


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
