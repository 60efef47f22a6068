"""No turn lost or doubled when a part is slow or down (real processes, real databases).

* A PostgreSQL lock on the ticket counter held past the page's patience: the person is
  told "Jag jobbar på det …", the answer arrives later through the outbox, a retry of
  the same message joins the first run, and exactly one ticket is made.
* The action server killed between turns: the person is told the truth, the confirmed
  order is kept, and "ja" once the server is back makes exactly one ticket.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.support.processes import Process, wait_for
from tests.support.stack import Stack, start_stack

pytestmark = pytest.mark.e2e
NUMBER = re.compile(r"SD-\d{4}-\d{5}")


def _texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("text", "")) for m in messages)


def _post(stack: Stack, sender: str, text: str, message_id: str) -> httpx.Response:
    return stack.visitor(sender).say(text, message_id=message_id)


def _to_summary(stack: Stack, sender: str) -> None:
    stack.chat_through_fields(sender, "fika till 6 personer på fredag kl 14")
    summary = _texts(stack.chat_through_fields(sender, "kommunhuset rum 101"))
    assert "Stämmer det här?" in summary, summary


def _pushed(stack: Stack, sender: str) -> str:
    found = stack.visitor(sender).http.get("/api/chat/messages", params={"after": 0}, timeout=30)
    found.raise_for_status()
    return _texts(found.json())


class HeldLock:
    """A database lock held in a thread of its own (as another process's transaction
    would) from construction until :meth:`release`, or at most ``most`` seconds."""

    def __init__(self, take: Callable[[], AbstractContextManager[None]], most: float) -> None:
        self._locked, self._released = threading.Event(), threading.Event()

        def hold() -> None:
            with take():
                self._locked.set()
                self._released.wait(most)

        self._thread = threading.Thread(target=hold, daemon=True)
        self._thread.start()
        assert self._locked.wait(30), "the lock was not taken"

    def release(self) -> None:
        """Let the lock go and wait until it has (idempotent)."""
        self._released.set()
        self._thread.join(30)


def _dsn(stack: Stack) -> str:
    return stack.database_url.replace("postgresql+psycopg://", "postgresql://")


def _counter_lock(dsn: str) -> Callable[[], AbstractContextManager[None]]:
    """An exclusive lock on the PostgreSQL ticket counter: ticket creation waits for it."""

    @contextmanager
    def take() -> Iterator[None]:
        with psycopg.connect(dsn) as conn, conn.transaction():
            conn.execute("LOCK TABLE ticket_counters IN EXCLUSIVE MODE")
            yield

    return take


@pytest.mark.postgres
def test_a_turn_held_by_a_locked_ticket_counter_is_answered_later_and_once(
    pg_stack: Stack,
) -> None:
    sender = f"slow-{uuid.uuid4().hex[:10]}"
    _to_summary(pg_stack, sender)
    counter = HeldLock(_counter_lock(_dsn(pg_stack)), most=120)
    try:
        turn = uuid.uuid4().hex
        first = _post(pg_stack, sender, "ja", turn)
        assert first.status_code == 200
        assert first.headers.get("X-Turn-Pending") == "1"
        assert "Jag jobbar på det" in _texts(first.json())
        retry = _post(pg_stack, sender, "ja", turn)  # the page sends the same message again
        assert retry.status_code == 200
        assert "Klart!" not in _texts(retry.json())
        assert len(pg_stack.tickets_of(sender)) == 0
    finally:
        counter.release()
    wait_for(lambda: "Klart!" in _pushed(pg_stack, sender), 90, "the late answer")
    assert NUMBER.search(_pushed(pg_stack, sender))
    again = _post(pg_stack, sender, "ja", turn)  # a retry after the answer: the same answer
    assert NUMBER.search(_texts(again.json()))
    assert len(pg_stack.tickets_of(sender)) == 1


@pytest.fixture(scope="module")
def own_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of its own: this test stops and restarts its action server."""
    running = start_stack(Path(tmp_path_factory.mktemp("fault-stack")))
    try:
        yield running
    finally:
        running.stop()


def _restart_actions(stack: Stack, tmp: Path) -> None:
    port = stack.action_url.rsplit(":", 1)[1]
    actions = Process(
        "actions-again",
        [sys.executable, "-m", "actions._server", "--host", "127.0.0.1", "--port", port],
        stack.env,
        tmp,
    )
    stack.processes.append(actions)
    wait_for(
        lambda: httpx.get(f"{stack.action_url}/health", timeout=2).status_code == 200,
        180,
        "the restarted action server",
    )


def test_a_confirmation_while_the_action_server_is_down_is_told_and_kept(
    own_stack: Stack, tmp_path: Path
) -> None:
    sender = f"down-{uuid.uuid4().hex[:10]}"
    _to_summary(own_stack, sender)
    actions = next(p for p in own_stack.processes if p.name == "actions")
    actions.stop()
    down = _post(own_stack, sender, "ja", uuid.uuid4().hex)
    assert down.status_code == 503
    assert "går inte att nå just nu" in down.json()["detail"]
    health = httpx.get(f"{own_stack.desk_url}/health", timeout=30)
    assert health.status_code == 503
    assert len(own_stack.tickets_of(sender)) == 0
    _restart_actions(own_stack, tmp_path)
    done = _post(own_stack, sender, "ja", uuid.uuid4().hex)
    assert done.status_code == 200
    assert NUMBER.search(_texts(done.json())), done.json()
    assert len(own_stack.tickets_of(sender)) == 1


def _creation_waits_on_the_counter(dsn: str) -> bool:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE '%ticket_counters%'"
        ).fetchone()
    return bool(row and row[0])


@pytest.mark.postgres
def test_rasa_killed_during_ticket_creation_makes_one_ticket_and_tells_the_person(
    pg_stack: Stack,
) -> None:
    sender = f"crash-{uuid.uuid4().hex[:10]}"
    _to_summary(pg_stack, sender)
    dsn = _dsn(pg_stack)
    counter = HeldLock(_counter_lock(dsn), most=180)
    answered: dict[str, httpx.Response] = {}
    person = threading.Thread(
        target=lambda: answered.setdefault("ja", _post(pg_stack, sender, "ja", uuid.uuid4().hex)),
        daemon=True,
    )
    person.start()

    def finish_the_creation() -> None:
        # Rasa is gone; the action server, still holding the turn, makes the ticket.
        counter.release()
        wait_for(lambda: len(pg_stack.tickets_of(sender)) == 1, 90, "the ticket being made")

    try:
        wait_for(lambda: _creation_waits_on_the_counter(dsn), 90, "ticket creation to start")
        pg_stack.crash_and_restart("rasa", finish_the_creation)
    finally:
        counter.release()
    person.join(90)
    first = answered["ja"]
    if first.status_code == 503:  # Rasa died before the page stopped waiting
        assert "går inte att nå just nu" in first.json()["detail"]
    else:  # the page was told "Jag jobbar på det" and then, truthfully, that it failed
        assert "Jag jobbar på det" in _texts(first.json())
        wait_for(
            lambda: "kunde tyvärr inte avsluta" in _pushed(pg_stack, sender), 90, "the failure"
        )
    # The conversation survived the crash at the summary; "ja" again answers with the ticket
    # that was made, and makes no second one.
    again = _post(pg_stack, sender, "ja", uuid.uuid4().hex)
    assert again.status_code == 200, again.text
    if again.headers.get("X-Turn-Pending") == "1":  # a freshly started Rasa may be slow
        wait_for(lambda: "Klart!" in _pushed(pg_stack, sender), 120, "the late answer")
        answer = _pushed(pg_stack, sender)
    else:
        answer = _texts(again.json())
    numbers = set(NUMBER.findall(answer))
    assert len(numbers) == 1, answer
    assert len(pg_stack.tickets_of(sender)) == 1


def test_an_exclusive_sqlite_lock_past_the_pages_patience_makes_one_ticket(
    own_stack: Stack,
) -> None:
    """The SQLite profile: another process holds the desk database's write lock for longer
    than the page waits (8 s) while the person confirms. The answer comes (at once when
    the lock goes, or later through the outbox after "Jag jobbar på det"), and a resent
    "ja" with the same message id makes no second ticket."""
    sender = f"sqlite-{uuid.uuid4().hex[:10]}"
    _to_summary(own_stack, sender)
    path = own_stack.database_url.removeprefix("sqlite:///")

    @contextmanager
    def exclusive() -> Iterator[None]:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            conn.execute("BEGIN EXCLUSIVE")
            yield
            conn.execute("COMMIT")
        finally:
            conn.close()

    database = HeldLock(exclusive, most=60)
    turn = uuid.uuid4().hex
    answers: dict[str, httpx.Response] = {}
    person = threading.Thread(
        target=lambda: answers.setdefault("ja", _post(own_stack, sender, "ja", turn)),
        daemon=True,
    )
    person.start()
    person.join(12)  # past the page's patience, with the lock still held
    database.release()
    person.join(90)
    first = answers["ja"]
    assert first.status_code == 200, first.text
    if first.headers.get("X-Turn-Pending") == "1":
        wait_for(lambda: "Klart!" in _pushed(own_stack, sender), 90, "the late answer")
        answer = _pushed(own_stack, sender)
    else:
        answer = _texts(first.json())
    assert len(set(NUMBER.findall(answer))) == 1, answer
    retry = _post(own_stack, sender, "ja", turn)  # the page resends the same message
    assert retry.status_code == 200
    assert len(own_stack.tickets_of(sender)) == 1
