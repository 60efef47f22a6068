"""The production profile proven: two desks, two Rasa servers and two action servers behind
Debian's HAProxy (deploy/haproxy.cfg, Procfile.production), on PostgreSQL and Redis.

The same "ja" sent at once through both desks makes one ticket; a Rasa server, an action
server or a desk killed mid-conversation leaves the conversation to its twin with nothing
lost and no order twice; the periodic jobs run once although both desks sweep.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql

from servicedesk.feedback._rasa import INVITATION_INTENT
from servicedesk.rasa_rest import CONVERSATION_HEADER
from tests.e2e.conftest import PG_ADMIN_DSN
from tests.support.processes import wait_for
from tests.support.replicas import Replicas, count_lines, haproxy_missing, start_replicas

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
NUMBER = re.compile(r"SD-\d{4}-\d{5}")
ORDER = "fika till 10 personer på torsdag kl 14"
PLACE = "Rådhuset rum 2"


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicas]:
    """Start the two-replica profile on two throw-away PostgreSQL databases and Redis."""
    missing = haproxy_missing()
    if missing:
        pytest.fail(f"{missing}; the production profile tests need it.", pytrace=False)
    suffix = uuid.uuid4().hex[:10]
    desk_db, tracker_db = f"envagin_desk2x_{suffix}", f"envagin_tracker2x_{suffix}"
    try:
        admin = psycopg.connect(PG_ADMIN_DSN, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at 127.0.0.1:5432 is needed for the production profile: {exc}")
    with admin:
        for name in (desk_db, tracker_db):
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        env = {
            "RASA_TRACKER_DB_HOST": "127.0.0.1", "RASA_TRACKER_DB_PORT": "5432",
            "RASA_TRACKER_DB_NAME": tracker_db, "RASA_TRACKER_DB_USER": "postgres",
            "RASA_TRACKER_DB_PASSWORD": "",
            "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "REDIS_DB": "0",
            "SERVICEDESK_TRACKER_STORE_URL": (
                f"postgresql+psycopg://postgres@127.0.0.1:5432/{tracker_db}"
            ),
            "SERVICEDESK_LOCK_STORE_URL": "redis://127.0.0.1:6379/0",
            # Production checks on, as in `make run-production` (plain HTTP in the test).
            "SERVICEDESK_ENVIRONMENT": "production", "SERVICEDESK_COOKIE_SECURE": "false",
            # Both desks sweep every second; feedback is due at once, at any hour.
            "SERVICEDESK_SWEEP_INTERVAL_SECONDS": "1",
            "SERVICEDESK_FEEDBACK_DELAY_MINUTES": "0", "SERVICEDESK_FEEDBACK_IDLE_SECONDS": "0",
            "SERVICEDESK_FEEDBACK_QUIET_START": "00:00", "SERVICEDESK_FEEDBACK_QUIET_END": "00:00",
            "SERVICEDESK_FEEDBACK_QUIET_WEEKDAYS": "[]",
        }  # fmt: skip
        running = start_replicas(
            Path(tmp_path_factory.mktemp("replicas")),
            f"postgresql+psycopg://postgres@127.0.0.1:5432/{desk_db}",
            env,
        )
        try:
            yield running
        finally:
            running.stop()
            for name in (desk_db, tracker_db):
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def _texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("text") or "") for m in messages)


def _to_summary_from_place(replicas: Replicas, person: str) -> None:
    summary = _texts(replicas.stack.chat_through_fields(person, PLACE))
    assert "Stämmer det här?" in summary and "10" in summary, summary


def _to_summary(replicas: Replicas, person: str) -> None:
    replicas.stack.chat_through_fields(person, ORDER)
    _to_summary_from_place(replicas, person)


def _events(replicas: Replicas, person: str) -> list[dict[str, Any]]:
    conversation = f"web:{replicas.stack.web_id(person)}"
    response = httpx.get(
        f"{replicas.stack.rasa_url}/conversations/{conversation}/tracker",
        params={"token": replicas.stack.env["SERVICEDESK_RASA_TOKEN"], "include_events": "ALL"},
        headers={CONVERSATION_HEADER: conversation},
        timeout=30,
    )
    response.raise_for_status()
    return list(response.json()["events"])


def _turns_done(replicas: Replicas, person: str, text: str, count: int) -> bool:
    """Rasa has answered ``count`` messages ``text`` and waits for the next one."""
    events = _events(replicas, person)
    said = sum(1 for e in events if e.get("event") == "user" and e.get("text") == text)
    last_action = next((e for e in reversed(events) if e.get("event") == "action"), {})
    return said == count and last_action.get("name") == "action_listen"


def _one_ticket_with_the_details(replicas: Replicas, person: str) -> str:
    tickets = replicas.stack.tickets_of(person)
    assert len(tickets) == 1, [t.number for t in tickets]
    details = " ".join(str(v) for v in (tickets[0].details or {}).values())
    assert tickets[0].service_code == "KNF-02"
    assert PLACE in details and "10" in details, details
    return tickets[0].number


def test_the_balancer_keeps_each_conversation_on_one_rasa_replica(replicas: Replicas) -> None:
    chosen = {}
    for _ in range(16):
        conversation = f"web:sticky{uuid.uuid4().hex[:12]}"
        picks = {replicas.rasa_replica_of(conversation) for _ in range(3)}
        assert len(picks) == 1, f"{conversation} went to {picks}"
        chosen[conversation] = picks.pop()
    assert set(chosen.values()) == {"rasa1", "rasa2"}


def test_the_same_yes_sent_at_once_through_both_desks_makes_one_ticket_per_order(
    replicas: Replicas,
) -> None:
    people = [f"twice-{uuid.uuid4().hex[:8]}" for _ in range(6)]
    for person in people:
        _to_summary(replicas, person)
    clients = [
        (person, replicas.desk_client(person, desk))
        for person in people
        for desk in replicas.desk_urls
    ]
    start = threading.Barrier(len(clients))

    def confirm(client: httpx.Client) -> httpx.Response:
        start.wait(timeout=60)
        return client.post("/api/chat", json={"message": "ja"})

    try:
        with ThreadPoolExecutor(len(clients)) as pool:
            answers = list(pool.map(lambda pair: (pair[0], confirm(pair[1])), clients))
    finally:
        for _person, client in clients:
            client.close()
    for person in people:
        wait_for(lambda p=person: _turns_done(replicas, p, "ja", 2), 180, f"both yeses of {person}")
        number = _one_ticket_with_the_details(replicas, person)
        for who, answer in answers:
            if who == person:
                assert answer.status_code == 200, answer.text
                assert set(NUMBER.findall(answer.text)) <= {number}, answer.text


def test_a_rasa_replica_killed_mid_conversation_leaves_it_to_the_other(
    replicas: Replicas,
) -> None:
    stack, person = replicas.stack, f"rasa-kill-{uuid.uuid4().hex[:8]}"
    stack.chat_through_fields(person, ORDER)
    conversation = f"web:{stack.web_id(person)}"
    serving = replicas.rasa_replica_of(conversation)
    other = "rasa2" if serving == "rasa1" else "rasa1"
    replicas.kill(serving)
    try:
        # No wait for the balancer to notice: the refused connection goes to the twin.
        _to_summary_from_place(replicas, person)
        assert replicas.rasa_replica_of(conversation) == other
        confirmed = _texts(stack.chat(person, "ja"))
        assert NUMBER.search(confirmed), confirmed
        number = _one_ticket_with_the_details(replicas, person)
    finally:
        replicas.restart(serving)
    # Back on its own replica, which reads the conversation from PostgreSQL: a repeated
    # "ja" makes no second ticket.
    wait_for(
        lambda: replicas.rasa_replica_of(conversation) == serving,
        120,
        f"{conversation} back on {serving}",
    )
    stack.chat(person, "ja")
    assert _one_ticket_with_the_details(replicas, person) == number


def test_an_action_server_killed_mid_conversation_leaves_it_to_the_other(
    replicas: Replicas,
) -> None:
    stack, person = replicas.stack, f"actions-kill-{uuid.uuid4().hex[:8]}"
    stack.chat_through_fields(person, ORDER)
    replicas.kill("actions1")
    try:
        _to_summary_from_place(replicas, person)
        confirmed = _texts(stack.chat(person, "ja"))
        assert NUMBER.search(confirmed), confirmed
        _one_ticket_with_the_details(replicas, person)
    finally:
        replicas.restart("actions1")


def test_a_desk_killed_mid_conversation_leaves_it_to_the_other(replicas: Replicas) -> None:
    stack, person = replicas.stack, f"desk-kill-{uuid.uuid4().hex[:8]}"
    logs = {name: replicas.processes[name].log_path for name in replicas.desk_urls}
    before = {name: count_lines(path, "POST /api/chat ") for name, path in logs.items()}
    stack.chat_through_fields(person, ORDER)
    grew = [n for n, path in logs.items() if count_lines(path, "POST /api/chat ") > before[n]]
    assert len(grew) == 1, f"the person's turns went to {grew}"
    serving = grew[0]
    replicas.kill(serving)
    try:
        _to_summary_from_place(replicas, person)
        confirmed = _texts(stack.chat(person, "ja"))
        assert NUMBER.search(confirmed), confirmed
        _one_ticket_with_the_details(replicas, person)
    finally:
        replicas.restart(serving)


def _feedback_scans(database_url: str) -> int:
    """How often the desks have read the feedback table (each sweep does)."""
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables "
            "WHERE relname = 'feedback'"
        ).fetchone()
    return int(row[0]) if row else 0


def test_the_feedback_invitation_is_sent_once_while_both_desks_sweep(replicas: Replicas) -> None:
    stack, person = replicas.stack, f"jobs-{uuid.uuid4().hex[:8]}"
    _to_summary(replicas, person)
    number = NUMBER.search(_texts(stack.chat(person, "ja")))
    assert number, "no ticket was opened"
    for state in ("pågår", "levererad"):
        moved = httpx.post(
            f"{stack.desk_url}/api/tickets/{number.group(0)}/transition",
            json={"to_state": state},
            headers={"Authorization": f"Bearer {stack.admin_token}"},
            timeout=30,
        )
        assert moved.status_code == 200, moved.text

    def invitations_pushed() -> int:
        found = stack.visitor(person).http.get("/api/chat/messages", params={"after": 0})
        found.raise_for_status()
        return sum("Återkoppling" in str(m.get("text")) for m in found.json())

    wait_for(lambda: invitations_pushed() > 0, 90, "the feedback invitation")
    first_seen = invitations_pushed()
    scans = _feedback_scans(stack.database_url)
    # Several more sweeps of both desks, each of which would have found the invitation due.
    wait_for(lambda: _feedback_scans(stack.database_url) >= scans + 8, 90, "more sweeps")
    assert invitations_pushed() == first_seen
    invitations = [
        e
        for e in _events(replicas, person)
        if e.get("event") == "user"
        and (e.get("parse_data") or {}).get("intent", {}).get("name") == INVITATION_INTENT
    ]
    assert len(invitations) == 1, invitations
