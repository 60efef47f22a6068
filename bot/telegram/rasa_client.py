"""Rasa's relay channel as the bridge uses it: the shared client, with the Telegram channel."""

from __future__ import annotations

import httpx

from servicedesk.rasa_rest import BotReply, RasaUnavailableError, send_message

__all__ = ["BotReply", "RasaUnavailableError", "ask_rasa"]


async def ask_rasa(
    *,
    client: httpx.AsyncClient,
    rasa_url: str,
    secret: str,
    external_id: str,
    message: str,
    message_id: str | None = None,
) -> list[BotReply]:
    """Send ``message`` from the Telegram user ``external_id`` to Rasa's relay channel.

    Every turn of this assistant answers something, so an empty answer means an action
    failed (typically the action server is down) and counts as unavailable.

    Raises:
        RasaUnavailableError: Rasa is down, too slow, failed or answered nothing.
    """
    replies = await send_message(
        client=client,
        rasa_url=rasa_url,
        secret=secret,
        channel="telegram",
        external_id=external_id,
        message=message,
        message_id=message_id,
    )
    if not replies:
        raise RasaUnavailableError(f"Rasa at {rasa_url} gave no answer")
    return replies
