"""Rasa's SQL tracker store with a bound on how long a conversation session grows.

Every turn Rasa loads the events of the conversation's current session and replays them
(``SQLTrackerStore.retrieve`` reads from the latest ``session_started``), the policies
build a state per past action, and the action server is sent them all: measured by
``make bench-growth``, a turn's cost grows linearly with the session. A session ends only
after ``session_expiration_time`` of silence (domain.yml), so a person who keeps talking
keeps one growing session.

:class:`SessionBoundSQLTrackerStore` starts a new session, slots carried over, once a
session holds more than ``max_session_events`` events and the conversation is at rest:
no form is active and the person's last message closed its turn (a greeting, thanks, a
list of tickets, …; never a request waiting for a pick among candidates, whose text the
next turn reads back). It appends exactly what Rasa's ``action_session_start`` writes
(``action_session_start``, ``session_started``, the slots, ``action_listen``), so the
next turn loads only those and what follows; older events stay in the store (the desk's
transcripts read every session). Configured in endpoints.yml (``type:
bot.tracker_store.SessionBoundSQLTrackerStore``); runs in the Rasa process.

It also reads the current session without touching the rest of the sender's history.
Rasa's query for it (``SQLTrackerStore._event_query``, used by ``retrieve`` and, counted,
by every ``save``) joins the sender's events to a subquery for the latest
``session_started``; the ``events`` table is indexed on ``sender_id`` alone. On
PostgreSQL without statistics for the table (a new table, autovacuum off, or before its
first ANALYZE) the planner runs that subquery again for every one of the sender's events
(a nested loop: each query costs the square of the sender's history, 0.1 s at 1 200
events); with statistics it still reads every event of the sender. Here the session's
start is looked up first (newest ``session_started`` by timestamp, backwards along an
index on ``(sender_id, timestamp)`` that the store creates at start), then only the events
from it are read: the same rows, in the same order, as Rasa's query. That index replaces
Rasa's on ``sender_id`` alone (see :func:`_create_session_index`).

On SQLite (the default profile) Rasa's engine opens a new connection for every read and
every save (SQLAlchemy 1.4's ``NullPool`` for a file) in the rollback-journal mode, whose
commit costs about three disk syncs (2.2 ms here against 0.7 ms). The store replaces it
with one that keeps its connections (a small pool; every call runs on Rasa's event loop)
and writes ahead (``journal_mode=WAL``, which the desk's own database uses too; the desk
still reads and deletes the tracker's events for retention and erasure while Rasa runs),
with ``synchronous`` left at its full default: a committed turn survives a power loss.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Query, Session

logger = logging.getLogger(__name__)

__all__ = [
    "CLOSED_TURN_INTENTS",
    "DEFAULT_KEPT_TRACKERS",
    "DEFAULT_MAX_SESSION_EVENTS",
    "SESSION_INDEX",
    "SessionBoundSQLTrackerStore",
]

#: About sixty short turns; the turn after it pays one more replay, then it is short again.
DEFAULT_MAX_SESSION_EVENTS = 300
#: Intents whose turn leaves nothing open for the next one (rules.yml: they start no form
#: and no pick among candidates).
CLOSED_TURN_INTENTS = frozenset(
    {"greet", "goodbye", "thank", "bot_challenge", "help", "ticket_status", "list_tickets"}
)
#: Trackers kept in memory after their save (the most recently saved), so that the next
#: turn need not read and replay its session when the store still holds what was saved.
DEFAULT_KEPT_TRACKERS = 256
#: (events in the stored current session, their newest timestamp)
SessionState = tuple[int, float | None]
#: Index on Rasa's ``events`` table through which the current session is found and read;
#: created at start if missing, in place of Rasa's index on ``sender_id`` alone.
SESSION_INDEX = "ix_events_sender_id_timestamp"
#: PostgreSQL advisory lock key under which one replica at a time creates that index.
_INDEX_LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"envagin:tracker:" + SESSION_INDEX.encode()).digest()[:8], "big", signed=True
)


class _Statements:
    """The store's two lookups as prepared SQL on Rasa's ``events`` table."""

    def __init__(self, table: str) -> None:
        self.session_start = sa.text(
            f'SELECT "timestamp" FROM {table} WHERE sender_id = :sender AND type_name = :kind'
            f' AND "timestamp" IS NOT NULL ORDER BY "timestamp" DESC LIMIT 1'
        )
        self.count_all = sa.text(
            f'SELECT count(*), max("timestamp") FROM {table} WHERE sender_id = :sender'
        )
        self.count_from = sa.text(
            f'SELECT count(*), max("timestamp") FROM {table}'
            f' WHERE sender_id = :sender AND "timestamp" >= :start'
        )


class SessionBoundSQLTrackerStore(SQLTrackerStore):  # type: ignore[misc]
    """``SQLTrackerStore`` that starts a new session when a long one comes to rest."""

    def __init__(self, *args: Any, max_session_events: int = DEFAULT_MAX_SESSION_EVENTS,
                 kept_trackers: int = DEFAULT_KEPT_TRACKERS, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.max_session_events = int(max_session_events)
        self.kept_trackers = int(kept_trackers)
        #: sender → (the tracker as saved, the stored session's (events, last timestamp)).
        self._kept: OrderedDict[str, tuple[DialogueStateTracker, SessionState]] = OrderedDict()
        self.kept_hits = 0
        self._statements = _Statements(self.SQLEvent.__tablename__)
        engine: Engine = self.engine  # type: ignore[has-type]  # Rasa: untyped
        if engine.dialect.name == "sqlite":
            engine = _pooled_sqlite_engine(engine)
            self.engine = engine
            self.sessionmaker = sa.orm.session.sessionmaker(bind=engine)
        _create_session_index(engine, self.SQLEvent.__table__)

    def _event_query(
        self, session: Session, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Query[Any]:
        """Rasa's query for a sender's events, the current session read by its index.

        Rasa's keeps the events whose timestamp is at least the latest ``session_started``
        one's, or all of the sender's events if there is none, ordered by id; so does this
        one, with that timestamp read first (a second statement, in the same session) and
        then passed as a value, so no plan can re-run the lookup per event.
        """
        if fetch_events_from_all_sessions:
            query: Query[Any] = super()._event_query(session, sender_id, True)
            return query
        event = self.SQLEvent
        session_start = self._session_start(session, sender_id)
        query = session.query(event).filter(event.sender_id == sender_id)
        if session_start is not None:
            query = query.filter(event.timestamp >= session_start)
        return query.order_by(event.id)

    def _session_start(self, session: Session, sender_id: str) -> float | None:
        """The newest ``session_started`` timestamp of the sender (None: no session yet).

        max(timestamp), written so that it walks the index backwards from the newest event;
        a prepared statement (it runs twice a turn: building it as an expression cost more
        than running it).
        """
        found: float | None = session.execute(
            self._statements.session_start,
            {"sender": sender_id, "kind": SessionStarted.type_name},
        ).scalar()
        return found

    def _stored_session(self, session: Session, sender_id: str) -> SessionState:
        """How many events the stored current session has, and its newest timestamp.

        The same events as :meth:`_event_query` reads, counted in the index.
        """
        start = self._session_start(session, sender_id)
        if start is None:
            row = session.execute(self._statements.count_all, {"sender": sender_id}).one()
        else:
            row = session.execute(
                self._statements.count_from, {"sender": sender_id, "start": start}
            ).one()
        return int(row[0]), row[1]

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The current session: the tracker this process saved last if the store agrees.

        The kept tracker is handed over (no longer kept) and used only if the stored
        session still has the events it had when saved (their number and newest
        timestamp): another replica's turn, the desk's erasure or retention, or a turn here
        that ended without a save all make the store differ, and the session is read.
        """
        kept = self._kept.pop(sender_id, None)
        if kept is not None:
            tracker, state = kept
            with self.session_scope() as session:
                if self._stored_session(session, sender_id) == state:
                    self.kept_hits += 1
                    return tracker
        found: DialogueStateTracker | None = await super().retrieve(sender_id)
        return found

    def _additional_events(
        self, session: Session, tracker: DialogueStateTracker
    ) -> Iterator[Event]:
        """The tracker's events past those of the stored session (Rasa's rule, counted)."""
        stored, _ = self._stored_session(session, tracker.sender_id)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def _store_new_events(self, tracker: DialogueStateTracker) -> None:
        """Rasa's ``SQLTrackerStore.save``: the same rows, inserted in one statement.

        Rasa adds one ORM object per event and flushes them one by one; the rows (the
        columns Rasa fills, from the same ``as_dict``) go in as one executemany here.
        """
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = []
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                rows.append(
                    {
                        "sender_id": tracker.sender_id,
                        "type_name": event.type_name,
                        "timestamp": data.get("timestamp"),
                        "intent_name": data.get("parse_data", {})
                        .get("intent", {})
                        .get(INTENT_NAME_KEY),
                        "action_name": data.get("name"),
                        "data": json.dumps(data),
                    }
                )
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events; then start a new session if this one is long and at rest."""
        self._kept.pop(tracker.sender_id, None)
        await self._store_new_events(tracker)
        if len(tracker.events) > self.max_session_events and _at_rest(tracker):
            for event in _new_session(tracker):
                tracker.update(event)
            await self._store_new_events(tracker)
            logger.debug("started a new session for a long conversation (%s)", tracker.sender_id)
        self._keep(tracker)

    def _keep(self, tracker: DialogueStateTracker) -> None:
        """Keep the saved tracker with the state the store's session should now have."""
        state = _session_of(tracker)
        if self.kept_trackers <= 0 or state[0] != len(tracker.events):
            return  # none kept, or it holds a past session too: the next turn reads the new
        self._kept[tracker.sender_id] = (tracker, state)
        while len(self._kept) > self.kept_trackers:
            self._kept.popitem(last=False)


#: Seconds a write waits for another process's (the desk's retention or erasure) to end.
SQLITE_BUSY_SECONDS = 30


def _pooled_sqlite_engine(stock: Engine) -> Engine:
    """An engine on the same SQLite file that keeps its connections and writes ahead."""
    engine = sa.create_engine(
        stock.url,
        poolclass=sa.pool.QueuePool,
        pool_size=2,
        max_overflow=8,
        connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False},
    )

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.close()

    stock.dispose()
    return engine


def _create_session_index(engine: Engine, table: sa.Table) -> None:
    """Put :data:`SESSION_INDEX` on ``(sender_id, timestamp)`` in place of Rasa's index.

    Rasa's index on ``sender_id`` alone is dropped once the new one is valid: the new one
    serves every lookup by sender as well, and while both exist PostgreSQL without
    statistics for the table picks the old one (the two cost the same to a planner that
    knows nothing), reading every event of the sender again. On PostgreSQL both run
    ``CONCURRENTLY`` (a large table keeps taking writes, other replicas' turns, meanwhile)
    by one replica at a time: the one that gets an advisory lock; the others go on without
    waiting (two concurrent builds on one table deadlock). A failure is logged, not
    raised: the store works without the index, only reading a session costs the sender's
    history again.
    """
    dialect = engine.dialect.name
    if dialect not in ("postgresql", "sqlite"):
        logger.info("no %s index created on a %s tracker store", SESSION_INDEX, dialect)
        return
    by_sender = [
        index.name
        for index in table.indexes
        if [column.name for column in index.columns] == ["sender_id"]
    ]
    postgresql = dialect == "postgresql"
    concurrently = " CONCURRENTLY" if postgresql else ""
    lock = {"key": _INDEX_LOCK_KEY}
    try:
        # CREATE and DROP INDEX CONCURRENTLY cannot run inside a transaction.
        with engine.connect() as connection:
            conn = connection.execution_options(isolation_level="AUTOCOMMIT")
            if (
                postgresql
                and not conn.execute(sa.text("SELECT pg_try_advisory_lock(:key)"), lock).scalar()
            ):
                logger.info("another replica is creating index %s", SESSION_INDEX)
                return
            try:
                conn.execute(
                    sa.text(
                        f"CREATE INDEX{concurrently} IF NOT EXISTS {SESSION_INDEX} "
                        f'ON {table.name} (sender_id, "timestamp")'
                    )
                )
                if postgresql and not _valid_postgresql_index(conn, SESSION_INDEX):
                    logger.warning(
                        "index %s is not valid (a build that failed); run REINDEX INDEX "
                        "CONCURRENTLY %s",
                        SESSION_INDEX,
                        SESSION_INDEX,
                    )
                    return
                for name in by_sender:
                    conn.execute(sa.text(f"DROP INDEX{concurrently} IF EXISTS {name}"))
            finally:
                if postgresql:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), lock)
    except DBAPIError as exc:
        logger.warning("could not create index %s on %s: %s", SESSION_INDEX, table.name, exc)


def _valid_postgresql_index(conn: Connection, name: str) -> bool:
    """Whether the index exists and is valid (a failed concurrent build leaves it not)."""
    valid = conn.execute(
        sa.text(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.oid = to_regclass(:name)"
        ),
        {"name": name},
    ).scalar()
    return bool(valid)


def _at_rest(tracker: DialogueStateTracker) -> bool:
    """No form is active, the bot listens, and the last message closed its turn."""
    if tracker.active_loop_name or tracker.latest_action_name != "action_listen":
        return False
    last = tracker.get_last_event_for(UserUttered)
    return last is not None and last.intent_name in CLOSED_TURN_INTENTS


def _session_of(tracker: DialogueStateTracker) -> SessionState:
    """What :meth:`SessionBoundSQLTrackerStore._stored_session` reads once it is saved.

    The store's current session is every event at or after the newest ``session_started``
    timestamp; a tracker holds that session's events (and perhaps older ones, before a
    session it started). Should the two ever count differently, the kept tracker is only
    not used: the session is read from the store.
    """
    starts = [e.timestamp for e in tracker.events if isinstance(e, SessionStarted)]
    start = max(starts) if starts else None
    stamps = [e.timestamp for e in tracker.events if start is None or e.timestamp >= start]
    return len(stamps), max(stamps) if stamps else None


def _new_session(tracker: DialogueStateTracker) -> list[Event]:
    """What ``action_session_start`` writes, with every set slot carried over."""
    at = time.time()
    slots = [
        SlotSet(name, slot.value, timestamp=at)
        for name, slot in tracker.slots.items()
        if slot.value != slot.initial_value
    ]
    return [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at),
        *slots,
        ActionExecuted("action_listen", timestamp=at),
    ]
