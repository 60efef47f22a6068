"""Wake the web chat's event streams when a message to their person is committed.

:func:`servicedesk.relay.enqueue_outbound` notes the person in the session; after the
session commits, every stream of that person in this process is woken (from whatever
thread committed) and reads the new message at once. Streams also look in the database
every :data:`servicedesk.api.chat.STREAM_CHECK_SECONDS`, for messages written by another
process (a second desk, the action server).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

__all__ = ["Subscription", "note_outbound", "notify", "subscribe"]

_Key = tuple[str, str]  # (channel, external id)
_SESSION_KEY = "outbox_people"
_lock = threading.Lock()
_waiters: dict[_Key, set[Subscription]] = {}


class Subscription:
    """One stream waiting for news of one person (use as a context manager)."""

    def __init__(self, key: _Key) -> None:
        self.key = key
        self.loop = asyncio.get_running_loop()
        self.event = asyncio.Event()

    def __enter__(self) -> Subscription:
        with _lock:
            _waiters.setdefault(self.key, set()).add(self)
        return self

    def __exit__(self, *_: object) -> None:
        with _lock:
            found = _waiters.get(self.key)
            if found is not None:
                found.discard(self)
                if not found:
                    del _waiters[self.key]

    def wake(self) -> None:
        """Set the event from any thread."""
        self.loop.call_soon_threadsafe(self.event.set)


def subscribe(channel: str, external_id: str) -> Subscription:
    """A subscription to news for one person (enter it before reading the database)."""
    return Subscription((channel, external_id))


def notify(people: Iterable[_Key]) -> None:
    """Wake the streams of these people."""
    with _lock:
        found = [s for key in people for s in _waiters.get(key, ())]
    for subscription in found:
        with contextlib.suppress(RuntimeError):  # its loop has closed: the stream is gone
            subscription.wake()


def note_outbound(session: Session, channel: str, external_id: str) -> None:
    """Remember that ``session`` queued a message for this person (woken on commit)."""
    session.info.setdefault(_SESSION_KEY, set()).add((channel, external_id))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    people = session.info.pop(_SESSION_KEY, None)
    if people:
        notify(people)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_SESSION_KEY, None)
