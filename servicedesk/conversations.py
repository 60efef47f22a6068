"""Rasa conversation ids: one per person and channel, namespaced so channels never collide.

A web chat sender and a Telegram user id may be the same string; ``web:772345678`` and
``telegram:772345678`` are different conversations. Only the desk relay and the Telegram
bridge build these ids (the Rasa channel they talk to checks a shared secret), so the
actions can trust the channel and the person they name.
"""

from __future__ import annotations

import re

__all__ = ["CHANNELS", "conversation_id", "split_conversation_id"]

#: Channels whose messages reach Rasa, and only through the relay or the bridge.
CHANNELS = ("web", "telegram")
_PATTERN = re.compile(r"^(web|telegram):([A-Za-z0-9_.\-]{1,120})$")


def conversation_id(channel: str, external_id: str) -> str:
    """Return the Rasa sender id of ``external_id`` on ``channel``.

    Raises:
        ValueError: Unknown channel, or an id that is empty, too long or has odd characters.
    """
    sender = f"{channel}:{external_id}"
    if not _PATTERN.match(sender):
        raise ValueError(f"not a valid conversation id: {sender[:80]!r}")
    return sender


def split_conversation_id(sender: str) -> tuple[str, str] | None:
    """Return ``(channel, external_id)`` of a namespaced sender id, or None."""
    match = _PATTERN.match(sender)
    return (match.group(1), match.group(2)) if match else None
