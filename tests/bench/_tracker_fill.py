"""Fill a Rasa tracker store with many other people's conversations, fast (for bench-growth).

One conversation is written by Rasa's own ``SQLTrackerStore`` (tests/support/
rasa_tracker_writer.py, in the Rasa environment), so the rows are exactly what Rasa writes;
its rows are then copied for as many senders as needed with one ``executemany``.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.support.processes import REPO, rasa_env

Row = tuple[str, float, str | None, str | None, str]
WRITER = REPO / "tests" / "support" / "rasa_tracker_writer.py"
_TEXTS = (
    ("hej", "Hej! Vad kan jag hjälpa dig med?"),
    ("felanmälan lokalvård, det har inte städats", "Vilken lokal gäller det?"),
    ("Rådhuset rum 2", "Stämmer det här? Svara ja eller nej."),
    ("ja", "Tack! Ditt ärende SD-2026-00001 är registrerat."),
    ("tack", "Varsågod!"),
)


def template_rows() -> list[Row]:
    """Rasa's rows for one five-turn conversation: (type_name, timestamp, intent, action, data)."""
    now = time.time() - 86_400
    items: list[list[object]] = [["session", now, ""]]
    for i, (user, bot) in enumerate(_TEXTS):
        items += [["user", now + 2 * i + 1, user], ["bot", now + 2 * i + 2, bot]]
    with tempfile.TemporaryDirectory(prefix="growth-template-") as tmp:
        db = Path(tmp) / "template.db"
        spec = {"dialect": "sqlite", "db": str(db), "conversations": {"template": items}}
        subprocess.run(
            [str(rasa_env() / "bin" / "python"), str(WRITER), json.dumps(spec)],
            check=True, cwd=REPO, capture_output=True,
        )  # fmt: skip
        with sqlite3.connect(db) as conn:
            rows = conn.execute(
                "SELECT type_name, timestamp, intent_name, action_name, data"
                " FROM events ORDER BY id"
            ).fetchall()
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def count_events(url: str, sender: str | None = None, *, since_session: bool = False) -> int:
    """Events in the store at SQLAlchemy ``url`` (of ``sender`` only, when given; with
    ``since_session`` only those Rasa loads for a turn: since the latest session start)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if sender is None:
                return int(conn.execute(text("SELECT count(*) FROM events")).scalar_one())
            query = "SELECT count(*) FROM events WHERE sender_id = :s"
            if since_session:
                query += (
                    " AND timestamp >= (SELECT coalesce(max(timestamp), 0) FROM events"
                    " WHERE sender_id = :s AND type_name = 'session_started')"
                )
            return int(conn.execute(text(query), {"s": sender}).scalar_one())
    finally:
        engine.dispose()


def fill(url: str, events: int, template: list[Row]) -> float:
    """Add about ``events`` events of other senders to the store at ``url``; return seconds."""
    began = time.perf_counter()
    rows = []
    for _ in range(max(1, events // len(template))):
        sender = f"web:fill-{uuid.uuid4().hex}"
        rows += [
            {"s": sender, "t": kind, "ts": at, "i": intent, "a": action, "d": data}
            for kind, at, intent, action, data in template
        ]
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name,"
                    " action_name, data) VALUES (:s, :t, :ts, :i, :a, :d)"
                ),
                rows,
            )
    finally:
        engine.dispose()
    return time.perf_counter() - began
