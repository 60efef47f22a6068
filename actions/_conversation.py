"""What the actions read from a Rasa tracker: who is asking, on which channel, what was said."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

DETAIL_FIELDS = (
    "location",
    "description",
    "date",
    "time",
    "quantity",
    "participants",
    "destination",
    "return_date",
)
_CHANNEL_NAMES = {"rest": "web", "socketio": "web", "cmdline": "web"}


def channel_of(tracker: Tracker) -> str:
    """Return the channel the person wrote on: metadata wins, else Rasa's input channel."""
    metadata = tracker.latest_message.get("metadata") or {}
    channel = metadata.get("channel") if isinstance(metadata, dict) else None
    if not channel:
        channel = tracker.get_latest_input_channel() or "web"
    return _CHANNEL_NAMES.get(str(channel), str(channel))


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
