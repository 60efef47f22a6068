"""Rasa's SQL tracker store, read and pruned by the desk for retention, export and erasure.

Rasa 3.6's ``SQLTrackerStore`` keeps every event as one row of the ``events`` table
(``id``, ``sender_id``, ``type_name``, ``timestamp`` as Unix seconds, ``intent_name``,
``action_name``, ``data`` as JSON text). Rasa loads a conversation from its latest
``session_started`` event on, so events before that may go without changing what the bot
remembers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    func,
    inspect,
    select,
)

__all__ = [
    "EVENTS",
    "delete_due_events",
    "delete_sender_events",
    "due_event_counts",
    "sender_events",
    "tracker_connection",
]

_metadata = MetaData()

#: The table layout of Rasa 3.6's SQLTrackerStore (``rasa.core.tracker_store.SQLEvent``).
EVENTS = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

_SESSION_STARTED = "session_started"
_CHUNK = 500


@contextmanager
def tracker_connection(url: str) -> Iterator[Connection | None]:
    """Yield a transaction on the tracker store, or None when it has no ``events`` table yet.

    A SQLite file that does not exist is not created.
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not Path(path).exists():
            yield None
            return
        engine = create_engine(url, connect_args={"timeout": 30})
    else:
        engine = create_engine(url, pool_pre_ping=True)
    try:
        with engine.begin() as connection:
            if not inspect(connection).has_table("events"):
                yield None
                return
            yield connection
    finally:
        engine.dispose()


def _boundaries(connection: Connection, cutoff: float, keep: frozenset[str]) -> dict[str, float]:
    """Per conversation with events before ``cutoff``: delete what lies before the bound.

    A conversation quiet since before the cutoff goes whole; one still in use loses only
    events that are both before the cutoff and before its latest session start.
    """
    last = func.max(EVENTS.c.timestamp)
    started = func.max(EVENTS.c.timestamp).filter(EVENTS.c.type_name == _SESSION_STARTED)
    stmt = (
        select(EVENTS.c.sender_id, last, started)
        .group_by(EVENTS.c.sender_id)
        .having(func.min(EVENTS.c.timestamp) < cutoff)
    )
    bounds: dict[str, float] = {}
    for sender, last_at, session_start in connection.execute(stmt):
        if sender in keep:
            continue
        if last_at is not None and last_at < cutoff:
            bounds[sender] = cutoff
        elif session_start is not None:
            bounds[sender] = min(cutoff, session_start)
    return bounds


def due_event_counts(
    connection: Connection, *, cutoff: float, keep: Iterable[str] = ()
) -> tuple[int, int]:
    """Return ``(events, conversations)`` that :func:`delete_due_events` would remove."""
    bounds = _boundaries(connection, cutoff, frozenset(keep))
    events = 0
    for sender, bound in bounds.items():
        events += (
            connection.scalar(
                select(func.count())
                .select_from(EVENTS)
                .where(EVENTS.c.sender_id == sender, EVENTS.c.timestamp < bound)
            )
            or 0
        )
    return events, len(bounds)


def delete_due_events(
    connection: Connection, *, cutoff: float, keep: Iterable[str] = ()
) -> tuple[int, int]:
    """Delete events older than ``cutoff`` (Unix seconds) of conversations not in ``keep``.

    Returns:
        ``(events deleted, conversations touched)``.
    """
    bounds = _boundaries(connection, cutoff, frozenset(keep))
    deleted = 0
    for sender, bound in bounds.items():
        result = connection.execute(
            delete(EVENTS).where(EVENTS.c.sender_id == sender, EVENTS.c.timestamp < bound)
        )
        deleted += result.rowcount
    return deleted, len(bounds)


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def sender_events(connection: Connection, senders: Iterable[str]) -> list[dict[str, Any]]:
    """Return every event of the conversations ``senders``, oldest first, data parsed."""
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(set(senders))):
        stmt = select(EVENTS).where(EVENTS.c.sender_id.in_(chunk)).order_by(EVENTS.c.id)
        for row in connection.execute(stmt).mappings():
            try:
                data = json.loads(row["data"]) if row["data"] else None
            except ValueError:
                data = row["data"]
            rows.append(
                {
                    "sender_id": row["sender_id"],
                    "type_name": row["type_name"],
                    "timestamp": row["timestamp"],
                    "intent_name": row["intent_name"],
                    "action_name": row["action_name"],
                    "data": data,
                }
            )
    return rows


def delete_sender_events(connection: Connection, senders: Iterable[str]) -> int:
    """Delete every event of the conversations ``senders``; return how many went."""
    deleted = 0
    for chunk in _chunks(sorted(set(senders))):
        deleted += connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk))).rowcount
    return deleted
