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
"""

from __future__ import annotations

import logging
import time
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

__all__ = ["CLOSED_TURN_INTENTS", "DEFAULT_MAX_SESSION_EVENTS", "SessionBoundSQLTrackerStore"]

#: About sixty short turns; the turn after it pays one more replay, then it is short again.
DEFAULT_MAX_SESSION_EVENTS = 300
#: Intents whose turn leaves nothing open for the next one (rules.yml: they start no form
#: and no pick among candidates).
CLOSED_TURN_INTENTS = frozenset(
    {"greet", "goodbye", "thank", "bot_challenge", "help", "ticket_status", "list_tickets"}
)


class SessionBoundSQLTrackerStore(SQLTrackerStore):  # type: ignore[misc]
    """``SQLTrackerStore`` that starts a new session when a long one comes to rest."""

    def __init__(self, *args: Any, max_session_events: int = DEFAULT_MAX_SESSION_EVENTS,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.max_session_events = int(max_session_events)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events; then start a new session if this one is long and at rest."""
        await super().save(tracker)
        if len(tracker.events) <= self.max_session_events or not _at_rest(tracker):
            return
        for event in _new_session(tracker):
            tracker.update(event)
        await super().save(tracker)
        logger.debug("started a new session for a long conversation (%s)", tracker.sender_id)


def _at_rest(tracker: DialogueStateTracker) -> bool:
    """No form is active, the bot listens, and the last message closed its turn."""
    if tracker.active_loop_name or tracker.latest_action_name != "action_listen":
        return False
    last = tracker.get_last_event_for(UserUttered)
    return last is not None and last.intent_name in CLOSED_TURN_INTENTS


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
