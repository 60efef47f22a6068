"""The session-bound store on PostgreSQL: Rasa's results, at a cost bounded by the session.

Runs in the Rasa environment against a throw-away PostgreSQL database (the production
profile's tracker store). Rasa's own ``SQLTrackerStore`` and this project's store read and
write the same conversations: what ``retrieve``, ``retrieve_full_tracker`` and ``save``
return and write must be the same. Then, for a sender with a long history and a short
current session, the statements one ``retrieve`` and one ``save`` issue are captured and
run again under ``EXPLAIN ANALYZE``: their number is fixed, and the rows the database reads
are bounded by the session, not by the sender's history (Rasa's query reads the whole
history, on a table without statistics once per event of it). Counts, not timings.
An unreachable PostgreSQL fails these tests, it never skips them.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from tests.support.processes import REPO, rasa_env

pytestmark = pytest.mark.postgres

PG_ADMIN_DSN = os.environ.get(
    "SERVICEDESK_TEST_PG_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
)

SCRIPT = r"""
import asyncio, json, sys, time
import sqlalchemy as sa
import sqlalchemy.event
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from bot.tracker_store import SESSION_INDEX, SessionBoundSQLTrackerStore

spec = json.loads(sys.stdin.read())
# In the past, so that a session the bound starts (at time.time()) comes after every turn.
BASE = round(time.time()) - 10**6
DB = {key: spec[key] for key in ("host", "port", "db", "username")}


def session_start(at):
    return [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at),
            ActionExecuted("action_listen", timestamp=at)]


def turn(at, intent="greet"):
    parse = {"intent": {"name": intent, "confidence": 1.0}, "entities": [], "text": "hej"}
    return [UserUttered("hej", intent=parse["intent"], parse_data=parse, timestamp=at),
            ActionExecuted("utter_greet", timestamp=at + 0.1),
            BotUttered("Hej! Vad kan jag hjälpa dig med?", timestamp=at + 0.2),
            ActionExecuted("action_listen", timestamp=at + 0.3)]


def dicts(tracker):
    return None if tracker is None else [event.as_dict() for event in tracker.events]


def rows(store, sender):
    event = store.SQLEvent
    with store.session_scope() as session:
        found = session.query(event).filter(event.sender_id == sender).order_by(event.id)
        return [[e.type_name, e.timestamp, e.intent_name, e.action_name, e.data] for e in found]


async def converse(store, sender, turns, session_every):
    # As Rasa's processor does: retrieve (or create), add the turn's events, save.
    loaded = []
    for number in range(turns):
        tracker = await store.retrieve(sender) or DialogueStateTracker(sender, store.domain.slots)
        at = BASE + 10 * number
        if number % session_every == 0:
            for event in session_start(at - 1):
                tracker.update(event)
            tracker.update(SlotSet("ticket_number", f"SD-2026-{number:05d}", timestamp=at - 1))
        for event in turn(at):
            tracker.update(event)
        await store.save(tracker)
        loaded.append(len(tracker.events))
    return loaded


async def same_results(domain):
    stock = SQLTrackerStore(domain, dialect="postgresql", **DB)
    ours = SessionBoundSQLTrackerStore(domain, dialect="postgresql", max_session_events=10**6, **DB)
    cutting = SessionBoundSQLTrackerStore(domain, dialect="postgresql", max_session_events=30, **DB)
    found = {}
    # The same conversation saved through each store: the same rows and the same trackers.
    found["loaded_stock"] = await converse(stock, "web:stock", 40, session_every=15)
    found["loaded_ours"] = await converse(ours, "web:ours", 40, session_every=15)
    found["rows_equal"] = rows(stock, "web:stock") == rows(ours, "web:ours")
    found["rows"] = len(rows(ours, "web:ours"))
    # Sessions started by the bound (their events share one timestamp) read by both stores.
    await converse(cutting, "web:cut", 40, session_every=1000)
    # No session_started at all (Rasa then returns every event), and a row without timestamp.
    await stock.save(DialogueStateTracker.from_events("web:nostart", turn(BASE) + turn(BASE + 5)))
    with stock.session_scope() as session:
        for sender in ("web:nostart", "web:ours"):
            session.add(stock.SQLEvent(sender_id=sender, type_name="action", timestamp=None,
                                       action_name="utter_x",
                                       data=json.dumps({"event": "action", "name": "utter_x",
                                                        "timestamp": BASE + 7})))
        session.commit()
    differing = []
    for sender in ("web:stock", "web:ours", "web:cut", "web:nostart", "web:nobody"):
        for method in ("retrieve", "retrieve_full_tracker"):
            mine = dicts(await getattr(ours, method)(sender))
            rasas = dicts(await getattr(stock, method)(sender))
            if mine != rasas:
                differing.append([sender, method, len(mine or []), len(rasas or [])])
    found["differing"] = differing
    found["cut_sessions"] = sum(
        isinstance(e, SessionStarted) for e in (await ours.retrieve_full_tracker("web:cut")).events
    )
    found["nostart_loaded"] = len((await ours.retrieve("web:nostart")).events)
    found["index_exists"] = bool(ours.engine.execute(
        sa.text("SELECT to_regclass(:name) IS NOT NULL"), {"name": SESSION_INDEX}
    ).scalar())
    for store in (stock, ours, cutting):
        store.engine.dispose()
    return found


def kinds(statements):
    # One entry per row a statement was run for (an executemany INSERT counts its rows).
    found = []
    for statement, parameters in statements:
        times = len(parameters) if isinstance(parameters, (list, tuple)) else 1
        found += [statement.split(None, 1)[0].upper()] * times
    return found


def scanned(plan):
    # Rows each scan node read (returned or filtered out), times how often it ran.
    read, most_loops = 0, 1
    stack = [plan]
    while stack:
        node = stack.pop()
        stack.extend(node.get("Plans", []))
        # A bitmap index scan's rows are read again by its heap scan: counted there.
        if "Scan" in node["Node Type"] and node["Node Type"] != "Bitmap Index Scan":
            loops = node["Actual Loops"]
            most_loops = max(most_loops, loops)
            read += loops * (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
                             + node.get("Rows Removed by Index Recheck", 0))
    return read, most_loops


async def one_turn_explained(store, sender):
    statements, runs = [], []

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))
        runs.append(statement.split(None, 1)[0].upper())

    sqlalchemy.event.listen(store.engine, "before_cursor_execute", capture)
    tracker = await store.retrieve(sender)
    retrieve_statements = list(statements)
    statements.clear()
    runs.clear()
    for event in turn(BASE + 10**6):
        tracker.update(event)
    await store.save(tracker)
    save_statements = list(statements)
    sqlalchemy.event.remove(store.engine, "before_cursor_execute", capture)
    read, most_loops = 0, 1
    with store.engine.connect() as conn:
        for statement, parameters in retrieve_statements + save_statements:
            if statement.lstrip().upper().startswith("SELECT"):
                plan = conn.exec_driver_sql(
                    "EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters
                ).scalar()
                plan = plan if isinstance(plan, list) else json.loads(plan)
                node_read, node_loops = scanned(plan[0]["Plan"])
                read += node_read
                most_loops = max(most_loops, node_loops)
    return {"retrieve": kinds(retrieve_statements), "save": kinds(save_statements),
            "save_round_trips": len(runs),
            "session": len(tracker.events), "read": read, "most_loops": most_loops}


async def bounded(domain):
    stock = SQLTrackerStore(domain, dialect="postgresql", **DB)
    ours = SessionBoundSQLTrackerStore(domain, dialect="postgresql", **DB)
    # A long history: 40 earlier sessions of 12 turns each, then a current one of 12 turns.
    events = []
    for number in range(41 * 12):
        at = BASE + 10 * number
        if number % 12 == 0:
            events += session_start(at - 1)
        events += turn(at)
    await stock.save(DialogueStateTracker.from_events("web:long", events))
    found = {"history": len(events)}
    found["ours_no_statistics"] = await one_turn_explained(ours, "web:long")
    found["stock_no_statistics"] = await one_turn_explained(stock, "web:long")
    with ours.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("ANALYZE events"))
    found["ours_statistics"] = await one_turn_explained(ours, "web:long")
    # The turn after its own save: the kept tracker, checked against the stored session.
    found["ours_kept"] = await one_turn_explained(ours, "web:long")
    found["ours_kept"]["hits"] = ours.kept_hits
    stock.engine.dispose()
    ours.engine.dispose()
    return found


async def main():
    domain = Domain.load("domain.yml")
    part = {"same_results": same_results, "bounded": bounded}[spec["part"]]
    print(json.dumps(await part(domain)))

asyncio.run(main())
"""


@pytest.fixture
def pg_database() -> Iterator[dict[str, Any]]:
    """A throw-away PostgreSQL database, dropped afterwards."""
    try:
        admin = psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable with {PG_ADMIN_DSN!r} ({exc}). These tests need "
            "it; start it or deselect them with -m 'not postgres'.",
            pytrace=False,
        )
    info = conninfo_to_dict(PG_ADMIN_DSN)
    name = f"rasa_tracker_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield {
                "host": info.get("host", "127.0.0.1"),
                "port": int(str(info.get("port") or 5432)),
                "username": info.get("user", "postgres"),
                "db": name,
            }
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _run(database: dict[str, Any], part: str) -> dict[str, Any]:
    done = subprocess.run(
        [str(rasa_env() / "bin" / "python"), "-c", SCRIPT],
        input=json.dumps({**database, "part": part}), cwd=REPO, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_retrieve_and_save_give_what_rasas_own_store_gives(
    pg_database: dict[str, Any],
) -> None:
    found = _run(pg_database, "same_results")
    assert found["differing"] == []
    assert found["rows_equal"], "save wrote other rows than Rasa's store for the same turns"
    assert found["loaded_ours"] == found["loaded_stock"]
    assert found["rows"] == 40 * 4 + 3 * 4  # 40 turns, 3 session starts with a slot each
    assert found["cut_sessions"] >= 2  # the bound's sessions were read back as Rasa reads them
    assert found["nostart_loaded"] == 9  # no session_started: every event, the untimed one too
    assert found["index_exists"]


def test_one_turn_reads_the_session_not_the_senders_history(
    pg_database: dict[str, Any],
) -> None:
    found = _run(pg_database, "bounded")
    history = int(found["history"])
    assert history > 20 * int(found["ours_statistics"]["session"])
    stock = found["stock_no_statistics"]
    assert stock["read"] >= history  # Rasa's query reads the history: the measure sees it
    for state, retrieve in (
        ("ours_no_statistics", ["SELECT"] * 2),
        # Its last save was followed by another store's turn: the kept tracker is checked
        # (the session's start and count), found outdated, and the session read.
        ("ours_statistics", ["SELECT"] * 4),
        ("ours_kept", ["SELECT"] * 2),
    ):
        ours = found[state]
        # The SELECTs of one retrieve and one save read the current session (~12 turns) a
        # few times each, with no lookup repeated per row, whatever the history's length.
        assert ours["most_loops"] == 1, (state, ours)
        assert ours["read"] <= len(retrieve + ["SELECT"] * 2) * (int(ours["session"]) + 10), (
            state, ours, history,
        )  # fmt: skip
        # retrieve: the session's start, then its events (or its count, for a kept tracker);
        # save: the start and the count, and an INSERT of each new event (one statement).
        assert ours["retrieve"] == retrieve, state
        assert ours["save"] == ["SELECT", "SELECT"] + ["INSERT"] * 4, state
        assert ours["save_round_trips"] == 3, state
    assert found["ours_kept"]["hits"] == 1
