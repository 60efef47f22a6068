"""Turn latency against conversation length and tracker-store size (part of bench-growth).

Through the real stack as `make run` starts it (web chat → desk relay → Rasa with the
interpretation step → action server), on free ports: one person talks long with cheap
turns (greeting, "visa mina ärenden", thanks, "vad kan du hjälpa till med?"), and fresh
people talk while the tracker store holds more and more other people's events.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.bench._tracker_fill import count_events, fill, template_rows
from tests.support.processes import REPO
from tests.support.stack import Stack, WebVisitor, start_stack

CHEAP = ("hej", "visa mina ärenden", "tack", "vad kan du hjälpa till med?")
SLOW_TEXT = "Jag jobbar på det"
WINDOW = 12  # four texts in turn: each three times
PG = "postgresql+psycopg://postgres@127.0.0.1:5432"


class Talk:
    """One web chat person; every turn's latency is kept."""

    def __init__(self, stack: Stack) -> None:
        self.visitor = WebVisitor(stack.desk_url, stack.env["SERVICEDESK_SECRET_KEY"])
        self.sender = f"web:{self.visitor.person_id}"
        self.turns: list[tuple[str, float]] = []
        self.errors = 0

    def turn(self, text: str) -> None:
        began = time.perf_counter()
        try:
            response = self.visitor.say(text, timeout=120)
            response.raise_for_status()
            answer = " ".join(str(m.get("text") or "") for m in response.json())
        except httpx.HTTPError:
            self.errors += 1
            return
        if not answer or SLOW_TEXT in answer:
            self.errors += 1
            return
        self.turns.append((text, time.perf_counter() - began))

    @property
    def latencies(self) -> list[float]:
        return [took for _, took in self.turns]

    def close(self) -> None:
        self.visitor.close()


def _ms(values: Sequence[float]) -> float:
    return round(statistics.median(values) * 1000, 1) if values else 0.0


def _tracker_get_ms(stack: Stack, sender: str) -> float:
    """Median of three reads of the conversation's tracker from Rasa's API (the events
    since the session start, as a turn loads them)."""
    times = []
    for _ in range(3):
        began = time.perf_counter()
        httpx.get(
            f"{stack.rasa_url}/conversations/{sender}/tracker",
            params={"token": stack.env["SERVICEDESK_RASA_TOKEN"], "include_events": "NONE"},
            timeout=60,
        ).raise_for_status()
        times.append(time.perf_counter() - began)
    return _ms(times)


def _window(talk: Talk, number: int) -> dict[str, float]:
    """Median of the last twelve turns, and per text (the texts cost different work)."""
    window = talk.turns[-min(WINDOW, number) :]
    found = {"all": _ms([took for _, took in window])}
    for text in CHEAP:
        found[text] = _ms([took for said, took in window if said == text])
    return found


def long_conversation(
    stack: Stack, store: str, turns: int, marks: Sequence[int]
) -> list[dict[str, Any]]:
    """One person, ``turns`` cheap turns; the median of the twelve turns ending at each mark."""
    warm = Talk(stack)  # the first turns of a fresh process are slower (lazy loads)
    for text in CHEAP * 2:
        warm.turn(text)
    warm.close()
    talk = Talk(stack)
    rows = []
    try:
        for number in range(1, turns + 1):
            talk.turn(CHEAP[(number - 1) % len(CHEAP)])
            if number in marks or number == 1:
                rows.append(
                    {
                        "turn": number,
                        "median_ms_last_12": _window(talk, number),
                        "session_events": count_events(store, talk.sender, since_session=True),
                        "tracker_get_ms": _tracker_get_ms(stack, talk.sender),
                        "errors": talk.errors,
                    }
                )
                print(f"  long conversation: {rows[-1]}", flush=True)
    finally:
        talk.close()
    return rows


def store_size(
    stack: Stack, store: str, levels: Sequence[int], turns: int = 11
) -> list[dict[str, Any]]:
    """At each level of other people's events, a fresh person's turns (first and median)."""
    template = template_rows()
    rows = []
    for level in levels:
        present = count_events(store)
        fill_s = fill(store, level - present, template) if level > present else 0.0
        talk = Talk(stack)
        try:
            for number in range(turns):
                talk.turn(CHEAP[number % len(CHEAP)])
        finally:
            talk.close()
        rows.append(
            {
                "store_events": count_events(store),
                "fill_s": round(fill_s, 2),
                "first_turn_ms": round(talk.latencies[0] * 1000, 1) if talk.latencies else 0,
                "median_ms": _ms(talk.latencies[1:]),
                "errors": talk.errors,
            }
        )
        print(f"  store size: {rows[-1]}", flush=True)
    return rows


def _endpoints(tmp: Path, name: str, stock: bool) -> Path:
    """The repository's endpoints file, or a copy with Rasa's stock ``SQLTrackerStore``."""
    source = REPO / name
    if not stock:
        return source
    text = source.read_text("utf-8").replace(
        "type: bot.tracker_store.SessionBoundSQLTrackerStore", "type: SQL"
    )
    copy = tmp / f"stock-{name}"
    copy.write_text(
        "\n".join(
            ln
            for ln in text.splitlines()
            if "max_session_events:" not in ln and "kept_trackers:" not in ln
        )
        + "\n",
        "utf-8",
    )
    return copy


@contextmanager
def running_stack(tmp: Path, tracker: str, *, stock: bool = False) -> Iterator[tuple[Stack, str]]:
    """This stack with its tracker store on SQLite (default profile) or PostgreSQL (a
    throw-away database, Redis lock store: the production profile's endpoints); with
    ``stock``, Rasa's own ``SQLTrackerStore`` in place of the session-bound one."""
    if tracker == "sqlite":
        stack = start_stack(tmp, endpoints=_endpoints(tmp, "endpoints.yml", stock))
        try:
            yield stack, f"sqlite:///{tmp / 'tracker.db'}"
        finally:
            stack.stop()
        return
    import psycopg

    name = f"growth_{uuid.uuid4().hex[:10]}"
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    extra = {
        "RASA_TRACKER_DB_HOST": "127.0.0.1", "RASA_TRACKER_DB_PORT": "5432",
        "RASA_TRACKER_DB_NAME": name, "RASA_TRACKER_DB_USER": "postgres",
        "RASA_TRACKER_DB_PASSWORD": "", "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379",
        "REDIS_DB": "0",
    }  # fmt: skip
    try:
        endpoints = _endpoints(tmp, "endpoints.production.yml", stock)
        stack = start_stack(tmp, endpoints=endpoints, extra_env=extra)
        try:
            yield stack, f"{PG}/{name}"
        finally:
            stack.stop()
    finally:
        with psycopg.connect(
            "host=127.0.0.1 user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
