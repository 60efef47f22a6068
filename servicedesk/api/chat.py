"""Web chat relay: the page posts here and the desk forwards to Rasa's REST channel.

Kept apart so that a desk takeover check can later sit between the page and Rasa.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from fastapi import APIRouter, HTTPException, status

from servicedesk.api.deps import SettingsDep
from servicedesk.api.schemas import ChatButton, ChatMessage, ChatRequest
from servicedesk.settings import Settings

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["chat"])

UNAVAILABLE_DETAIL = "Assistenten går inte att nå just nu. Försök igen om en liten stund."


class RasaUnavailableError(Exception):
    """Rasa did not answer, or answered with something that is not a message list."""


def _parse_messages(payload: Any) -> list[ChatMessage]:
    if not isinstance(payload, list):
        raise RasaUnavailableError(f"Expected a JSON list from Rasa, got {type(payload).__name__}")
    messages = []
    for item in payload:
        if not isinstance(item, dict):
            continue
        buttons = [
            ChatButton(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in item.get("buttons") or []
            if isinstance(b, dict)
        ]
        text = item.get("text")
        if text or buttons:
            messages.append(ChatMessage(text=str(text or ""), buttons=buttons))
    return messages


async def relay_to_rasa(*, settings: Settings, sender: str, message: str) -> list[ChatMessage]:
    """Send one user message to Rasa's REST channel and return the bot's replies.

    Raises:
        RasaUnavailableError: Rasa is down, too slow, or answered with an error.
    """
    url = f"{settings.rasa_url.rstrip('/')}/webhooks/rest/webhook"
    try:
        async with httpx.AsyncClient(timeout=settings.http_timeout_seconds) as client:
            response = await client.post(
                url,
                json={"sender": sender, "message": message, "metadata": {"channel": "web"}},
            )
            response.raise_for_status()
            payload = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise RasaUnavailableError(f"Rasa relay to {url} failed: {exc!r}") from exc
    return _parse_messages(payload)


@router.post(
    "/chat",
    response_model=list[ChatMessage],
    responses={503: {"description": "Rasa could not be reached"}},
)
async def chat(request: ChatRequest, settings: SettingsDep) -> list[ChatMessage]:
    """Relay a web chat message to Rasa and return its replies."""
    try:
        return await relay_to_rasa(
            settings=settings, sender=request.sender, message=request.message
        )
    except RasaUnavailableError as exc:
        logger.warning("%s", exc)
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=UNAVAILABLE_DETAIL) from exc
