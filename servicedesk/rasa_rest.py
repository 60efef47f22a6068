"""Rasa's REST channel as every channel uses it: one person's message in, the bot's replies out.

The web chat relay, the Telegram bridge and the feedback sweep read Rasa's message lists
the same way, through :func:`parse_replies`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = ["BotReply", "RasaUnavailableError", "parse_replies", "send_message"]


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
    *, client: httpx.AsyncClient, rasa_url: str, sender: str, message: str, channel: str
) -> list[BotReply]:
    """Send ``message`` from ``sender`` to Rasa's REST webhook, telling the actions the channel.

    Raises:
        RasaUnavailableError: Rasa is down, too slow, or answered with an error.
    """
    url = f"{rasa_url.rstrip('/')}/webhooks/rest/webhook"
    body = {"sender": sender, "message": message, "metadata": {"channel": channel}}
    try:
        response = await client.post(url, json=body)
        response.raise_for_status()
        return parse_replies(response.json())
    except (httpx.HTTPError, ValueError) as exc:
        raise RasaUnavailableError(f"Rasa at {url} failed: {exc!r}") from exc
