"""What the actions read from a Rasa tracker: who is asking, on which channel, what was said."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker

from servicedesk.conversations import split_conversation_id

DETAIL_FIELDS = (
    "location",
    "description",
    "date",
    "time",
    "quantity",
    "participants",
    "destination",
    "return_date",
    "note",
)


@dataclass(frozen=True)
class Person:
    """Who is writing, as the relay or the bridge vouched for it (never message metadata)."""

    channel: str
    external_id: str

    @property
    def actor(self) -> str:
        """The audit-trail name of this person."""
        return f"requester:{self.channel}:{self.external_id}"


def person_of(tracker: Tracker) -> Person:
    """Return the person of this conversation, read from its namespaced sender id.

    Only the desk relay and the Telegram bridge can reach Rasa's dialogue, and they name
    the conversation ``<channel>:<id>``; a sender without that shape (Rasa's own HTTP API,
    test stories) is its own channel ``rasa`` and reaches nobody else's tickets.
    """
    found = split_conversation_id(tracker.sender_id)
    if found is None:
        return Person("rasa", tracker.sender_id[:200])
    return Person(*found)


def channel_of(tracker: Tracker) -> str:
    """Return the channel of this conversation (see :func:`person_of`)."""
    return person_of(tracker).channel


def turn_key(tracker: Tracker, purpose: str) -> str:
    """Return an idempotency key unique to this user turn, stable across retried calls."""
    message_id = tracker.latest_message.get("message_id")
    if not message_id:
        for event in reversed(tracker.events):
            if event.get("event") == "user":
                message_id = f"t{event.get('timestamp')}"
                break
    return f"{purpose}:{tracker.sender_id}:{message_id}"[:200]


def latest_text(tracker: Tracker) -> str:
    """Return the text of the person's latest message."""
    return str(tracker.latest_message.get("text") or "")


def transcript(tracker: Tracker, limit: int = 50) -> list[dict[str, Any]]:
    """Return the conversation so far as [{from, text, at}], oldest first."""
    lines: list[dict[str, Any]] = []
    for event in tracker.events:
        kind = event.get("event")
        if kind in ("user", "bot") and event.get("text"):
            lines.append(
                {
                    "from": "requester" if kind == "user" else "bot",
                    "text": event["text"],
                    "at": event.get("timestamp"),
                }
            )
    return lines[-limit:]


def collected_details(tracker: Tracker) -> dict[str, str]:
    """Return the detail slots that hold a value."""
    return {f: str(tracker.get_slot(f)) for f in DETAIL_FIELDS if tracker.get_slot(f)}


def recent_intents(tracker: Tracker) -> list[str]:
    """Return the intents of the person's messages, newest first."""
    names = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            names.append(((event.get("parse_data") or {}).get("intent") or {}).get("name", ""))
    return names
