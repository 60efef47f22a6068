"""Redis (lock store) and the PostgreSQL tracker database down mid-order (real processes).

The production profile with a Redis server of its own, so the test can stop and restart
it. Each outage: the person is told the truth in Swedish, no ticket is made, the order
at "Stämmer det här?" is not forgotten (no silent in-memory tracker), and "ja" once the
part is back makes exactly one ticket with the details given before the outage.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql

from tests.e2e.conftest import PG_ADMIN_DSN
from tests.support.processes import REPO, Process, free_port, wait_for
from tests.support.stack import Stack, start_stack

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
NUMBER = re.compile(r"SD-\d{4}-\d{5}")


class Redis:
    """A throw-away redis-server on a free loopback port, without persistence."""

    def __init__(self, tmp: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is needed for the outage test (apt-get install redis)")
        self.binary, self.tmp, self.port = binary, tmp, free_port()
        self.process: Process | None = None

    def start(self) -> None:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no"]  # fmt: skip
        self.process = Process("redis", args, {}, self.tmp)
        wait_for(self._answers, 30, "redis-server")

    def _answers(self) -> bool:
        try:
            import socket

            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None


@pytest.fixture(scope="module")
def outage_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, Redis, str]]:
    tmp = Path(tmp_path_factory.mktemp("outage-stack"))
    redis = Redis(tmp)
    redis.start()
    suffix = uuid.uuid4().hex[:10]
    desk_db, tracker_db = f"envagin_desk_{suffix}", f"envagin_tracker_{suffix}"
    admin = psycopg.connect(PG_ADMIN_DSN, autocommit=True)
    with admin:
        for name in (desk_db, tracker_db):
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        env = {
            "RASA_TRACKER_DB_HOST": "127.0.0.1", "RASA_TRACKER_DB_PORT": "5432",
            "RASA_TRACKER_DB_NAME": tracker_db, "RASA_TRACKER_DB_USER": "postgres",
            "RASA_TRACKER_DB_PASSWORD": "",
            "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(redis.port), "REDIS_DB": "0",
            # The desk's /health checks the lock store directly (Rasa swallows its errors).
            "SERVICEDESK_LOCK_STORE_URL": f"redis://127.0.0.1:{redis.port}/0",
        }  # fmt: skip
        try:
            stack = start_stack(
                tmp,
                database_url=f"postgresql+psycopg://postgres@127.0.0.1:5432/{desk_db}",
                endpoints=REPO / "endpoints.production.yml",
                extra_env=env,
            )
        except BaseException:
            redis.stop()
            raise
        try:
            yield stack, redis, tracker_db
        finally:
            stack.stop()
            redis.stop()
            for name in (desk_db, tracker_db):
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def _texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("text", "")) for m in messages)


def _say(stack: Stack, sender: str, text: str) -> httpx.Response:
    return stack.visitor(sender).say(text, message_id=uuid.uuid4().hex)


def _to_summary(stack: Stack, sender: str) -> None:
    stack.chat_through_fields(sender, "fika till 7 personer på fredag kl 14")
    summary = _texts(stack.chat_through_fields(sender, "Rådhuset rum 12"))
    assert "Stämmer det här?" in summary, summary


def _told_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert "går inte att nå just nu" in response.json()["detail"]


def _health(stack: Stack) -> httpx.Response:
    return httpx.get(f"{stack.desk_url}/health", timeout=60)


def _healthy_again(stack: Stack) -> None:
    last: list[str] = []

    def green() -> bool:
        response = _health(stack)
        last[:] = [response.text]
        return response.status_code == 200

    try:
        wait_for(green, timeout=90, what="/health green")
    except TimeoutError as exc:
        raise AssertionError(f"/health stayed red: {last}") from exc


def _finish(stack: Stack, sender: str) -> None:
    done = _say(stack, sender, "ja")
    assert done.status_code == 200, done.text
    assert NUMBER.search(_texts(done.json())), done.json()
    tickets = stack.tickets_of(sender)
    assert len(tickets) == 1
    # The order from before the outage, not a new conversation.
    assert tickets[0].service_code == "KNF-02"
    assert "Rådhuset rum 12" in str(tickets[0].details)


def test_redis_down_is_told_and_the_order_is_created_once_when_it_is_back(
    outage_stack: tuple[Stack, Redis, str],
) -> None:
    stack, redis, _ = outage_stack
    sender = f"redis-{uuid.uuid4().hex[:10]}"
    _to_summary(stack, sender)
    redis.stop()
    try:
        _told_unavailable(_say(stack, sender, "ja"))
        assert stack.tickets_of(sender) == []
        health = _health(stack)
        assert health.status_code == 503, health.text
        assert health.json()["checks"]["lock_store"].startswith("error"), health.text
    finally:
        redis.start()
    _healthy_again(stack)
    _finish(stack, sender)


def test_the_tracker_database_down_is_told_never_answered_from_an_empty_memory(
    outage_stack: tuple[Stack, Redis, str],
) -> None:
    stack, _, tracker_db = outage_stack
    sender = f"tracker-{uuid.uuid4().hex[:10]}"
    _to_summary(stack, sender)
    admin = psycopg.connect(PG_ADMIN_DSN, autocommit=True)
    with admin:
        name = sql.Identifier(tracker_db)
        admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(name))
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (tracker_db,),
        )
        try:
            _told_unavailable(_say(stack, sender, "ja"))
            # A detail typed now must not start a new order in an empty memory either.
            _told_unavailable(_say(stack, sender, "kommunhuset rum 101"))
            assert stack.tickets_of(sender) == []
            # /health asks Rasa for a turn through its own tracker store: red, not "ok".
            health = _health(stack)
            assert health.status_code == 503, health.text
            assert health.json()["checks"]["rasa_core"] != "ok", health.text
            assert health.json()["checks"]["rasa_nlu"] == "ok", health.text
        finally:
            admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(name))
    _healthy_again(stack)
    _finish(stack, sender)
