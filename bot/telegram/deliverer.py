"""Sending to a Telegram chat: split long texts, buttons as an inline keyboard.

:class:`TelegramDeliverer` is the desk's "deliver to this person" for Telegram (see
``servicedesk.relay.drain_outbox``); Telegram's errors become ``DeliveryError``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram.formatting import keyboard_for, split_text
from servicedesk.relay import DeliveryError

__all__ = ["TelegramDeliverer", "send_text"]


async def send_text(
    bot: Bot,
    chat_id: int,
    text: str,
    buttons: Sequence[dict[str, Any]] = (),
    keep_long: Callable[[str, str], None] = lambda key, payload: None,
) -> None:
    """Send ``text`` in as many messages as needed; the keyboard goes with the last one."""
    keyboard = keyboard_for(buttons, keep_long) if buttons else None
    parts = split_text(text) if text else ([" "] if keyboard else [])
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await bot.send_message(chat_id=chat_id, text=part, reply_markup=keyboard if last else None)


def _seconds(exc: RetryAfter) -> float:
    # The public ``retry_after`` warns about its int/timedelta change; the timedelta is kept.
    return float(exc._retry_after.total_seconds())


class TelegramDeliverer:
    """Deliver outbox messages to Telegram users (their private chat id is their user id)."""

    def __init__(self, bot: Bot, keep_long: Callable[[str, str], None]) -> None:
        self._bot = bot
        self._keep_long = keep_long

    async def deliver(self, external_id: str, text: str, buttons: Sequence[dict[str, Any]]) -> None:
        """Send one message; raise ``DeliveryError`` when Telegram will not take it now."""
        try:
            await send_text(self._bot, int(external_id), text, buttons, self._keep_long)
        except RetryAfter as exc:
            raise DeliveryError(str(exc), retry_after=_seconds(exc)) from exc
        except Forbidden as exc:
            raise DeliveryError(f"blocked by the person: {exc}", permanent=True) from exc
        except BadRequest as exc:
            # "chat not found" and malformed messages will not get better by waiting.
            raise DeliveryError(f"refused by Telegram: {exc}", permanent=True) from exc
        except (NetworkError, TelegramError) as exc:
            raise DeliveryError(f"Telegram not reachable: {exc}") from exc
