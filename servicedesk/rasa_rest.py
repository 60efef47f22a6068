"""Rasa's relay channel as every channel uses it: one person's message in, the bot's replies out.

The web chat relay, the Telegram bridge and the feedback sweep read Rasa's message lists
the same way, through :func:`parse_replies`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from servicedesk.conversations import conversation_id

__all__ = [
    "RELAY_SECRET_HEADER", "BotReply", "RasaUnavailableError", "parse_replies", "send_message",
]  # fmt: skip

RELAY_SECRET_HEADER = "X-Relay-Secret"


class RasaUnavailableError(Exception):
    """Rasa did not answer, or answered with something that is not a message list."""


@dataclass(frozen=True)
class BotReply:
    """One message of the bot, with Rasa's buttons (``title``, ``payload``)."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def parse_replies(payload: Any) -> list[BotReply]:
    """The text and button messages of a Rasa message list; other kinds are left out.

    Raises:
        RasaUnavailableError: ``payload`` is not a list.
    """
    if not isinstance(payload, list):
        raise RasaUnavailableError(f"Expected a JSON list from Rasa, got {type(payload).__name__}")
    replies = []
    for item in payload:
        if not isinstance(item, dict):
            continue
        buttons = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in item.get("buttons") or []
            if isinstance(b, dict)
        ]
        text = str(item.get("text") or "")
        if text or buttons:
            replies.append(BotReply(text=text, buttons=buttons))
    return replies


async def send_message(
    *,
    client: httpx.AsyncClient,
    rasa_url: str,
    secret: str,
    channel: str,
    external_id: str,
    message: str,
    message_id: str | None = None,
) -> list[BotReply]:
    """Send ``message`` from ``external_id`` on ``channel`` to Rasa's relay channel.

    The conversation is ``<channel>:<external_id>`` (see :mod:`servicedesk.conversations`);
    the relay secret vouches that the channel and the person are what the desk says.

    Raises:
        RasaUnavailableError: Rasa is down, too slow, refused or answered with an error.
    """
    url = f"{rasa_url.rstrip('/')}/webhooks/relay/webhook"
    body: dict[str, Any] = {
        "sender": conversation_id(channel, external_id),
        "message": message,
    }
    if message_id is not None:
        body["message_id"] = message_id
    try:
        response = await client.post(url, json=body, headers={RELAY_SECRET_HEADER: secret})
        response.raise_for_status()
        return parse_replies(response.json())
    except (httpx.HTTPError, ValueError) as exc:
        raise RasaUnavailableError(f"Rasa at {url} failed: {exc!r}") from exc
