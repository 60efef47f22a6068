"""Rasa's REST channel as the bridge uses it: one person's message in, the bot's replies out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = ["BotReply", "RasaUnavailableError", "ask_rasa"]


class RasaUnavailableError(Exception):
    """Rasa (or the action server behind it) did not give an answer."""


@dataclass(frozen=True)
class BotReply:
    """One message of the bot, with Rasa's buttons (``title``, ``payload``)."""

    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)


def _parse(payload: Any) -> list[BotReply]:
    if not isinstance(payload, list):
        raise RasaUnavailableError(f"expected a JSON list from Rasa, got {type(payload).__name__}")
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


async def ask_rasa(
    *, client: httpx.AsyncClient, rasa_url: str, sender: str, message: str
) -> list[BotReply]:
    """Send ``message`` from ``sender`` to Rasa's REST webhook with the Telegram channel.

    Every turn of this assistant answers something, so an empty answer means an action
    failed (typically the action server is down) and counts as unavailable.

    Raises:
        RasaUnavailableError: Rasa is down, too slow, failed or answered nothing.
    """
    url = f"{rasa_url.rstrip('/')}/webhooks/rest/webhook"
    body = {"sender": sender, "message": message, "metadata": {"channel": "telegram"}}
    try:
        response = await client.post(url, json=body)
        response.raise_for_status()
        replies = _parse(response.json())
    except (httpx.HTTPError, ValueError) as exc:
        raise RasaUnavailableError(f"Rasa at {url} failed: {exc!r}") from exc
    if not replies:
        raise RasaUnavailableError(f"Rasa at {url} gave no answer")
    return replies
