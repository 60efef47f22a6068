"""The whole stack, started once for the end-to-end tests and stopped afterwards."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import Browser, sync_playwright
from psycopg import sql
from sqlalchemy.orm import Session, sessionmaker

from servicedesk.db import make_engine
from tests.support.fake_telegram import FakeTelegram
from tests.support.oidc_provider import AGENT_GROUP, start_provider
from tests.support.processes import REPO, free_port
from tests.support.stack import Stack, start_stack

PG_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Start actions, Rasa and the desk against a fresh SQLite database."""
    running = start_stack(Path(tmp_path_factory.mktemp("stack")))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def pg_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Start the stack on two throw-away PostgreSQL databases and Redis at 127.0.0.1:6379."""
    suffix = uuid.uuid4().hex[:10]
    desk_db, tracker_db = f"envagin_desk_{suffix}", f"envagin_tracker_{suffix}"
    try:
        admin = psycopg.connect(PG_ADMIN_DSN, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at 127.0.0.1:5432 is needed for the production profile: {exc}")
    with admin:
        for name in (desk_db, tracker_db):
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        env = {
            "RASA_TRACKER_DB_HOST": "127.0.0.1",
            "RASA_TRACKER_DB_PORT": "5432",
            "RASA_TRACKER_DB_NAME": tracker_db,
            "RASA_TRACKER_DB_USER": "postgres",
            "RASA_TRACKER_DB_PASSWORD": "",
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": "6379",
            "REDIS_DB": "0",
            # The desk's /health checks the same tracker store and lock store as Rasa.
            "SERVICEDESK_TRACKER_STORE_URL": (
                f"postgresql+psycopg://postgres@127.0.0.1:5432/{tracker_db}"
            ),
            "SERVICEDESK_LOCK_STORE_URL": "redis://127.0.0.1:6379/0",
        }
        stack = start_stack(
            Path(tmp_path_factory.mktemp("pg-stack")),
            database_url=f"postgresql+psycopg://postgres@127.0.0.1:5432/{desk_db}",
            endpoints=REPO / "endpoints.production.yml",
            extra_env=env,
        )
        try:
            yield stack
        finally:
            stack.stop()
            for name in (desk_db, tracker_db):
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


@pytest.fixture(scope="session")
def sso_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole stack with single sign-on through a real OpenID provider on loopback
    (node-oidc-provider); the provider's agent group works the Konferens queue."""
    tmp = Path(tmp_path_factory.mktemp("sso-stack"))
    port = free_port()
    desk_url = f"http://127.0.0.1:{port}"
    provider = start_provider(tmp, desk_url)
    try:
        groups = {AGENT_GROUP: {"role": "agent", "queues": ["Konferens"]}}
        env = provider.desk_env(desk_url, SERVICEDESK_OIDC_AGENT_GROUPS=json.dumps(groups))
        running = start_stack(tmp, extra_env=env, desk_port=port)
        try:
            yield running
        finally:
            running.stop()
    finally:
        provider.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium; the browser tests fail (never skip) when it is missing."""
    if shutil.which(CHROMIUM) is None:
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); "
            "the browser tests need it.",
            pytrace=False,
        )
    with sync_playwright() as play:
        launched = play.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking"],
        )  # fmt: skip
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    """A local fake of the Telegram Bot API (one per test module)."""
    with FakeTelegram() as running:
        yield running


@pytest.fixture(scope="module")
def sessions(stack: Stack) -> Iterator[sessionmaker[Session]]:
    """Sessions on the shared stack's desk database (one engine per test module)."""
    engine = make_engine(stack.database_url)
    try:
        yield sessionmaker(bind=engine, expire_on_commit=False)
    finally:
        engine.dispose()
