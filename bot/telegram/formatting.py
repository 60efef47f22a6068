"""Telegram's limits on what the bridge sends: 4096-character messages, 64-byte buttons."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

__all__ = [
    "CALLBACK_LIMIT",
    "DEPARTMENT_PREFIX",
    "LONG_PAYLOAD_PREFIX",
    "MESSAGE_LIMIT",
    "callback_data_for",
    "department_keyboard",
    "keyboard_for",
    "payload_key",
    "split_text",
]

#: Telegram counts message length in UTF-16 code units.
MESSAGE_LIMIT = 4096
#: Callback data is at most 64 bytes.
CALLBACK_LIMIT = 64
#: Callback data of a payload too long to send: the rest is the payload's key.
LONG_PAYLOAD_PREFIX = "#"
#: Callback data of a förvaltning button: the rest is the department code.
DEPARTMENT_PREFIX = "sd:dept:"


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fitting_prefix(text: str, limit: int) -> int:
    """Return the longest prefix length of ``text`` that is at most ``limit`` UTF-16 units."""
    if _units(text) <= limit:
        return len(text)
    low, high = 0, min(len(text), limit)
    while low < high:
        mid = (low + high + 1) // 2
        if _units(text[:mid]) <= limit:
            low = mid
        else:
            high = mid - 1
    return low


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split ``text`` into messages Telegram accepts, preferring paragraph, line and word ends."""
    parts: list[str] = []
    rest = text
    while _units(rest) > limit:
        cut = _fitting_prefix(rest, limit)
        window = rest[:cut]
        for separator in ("\n\n", "\n", " "):
            at = window.rfind(separator)
            if at > cut // 2:
                cut = at
                break
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


def payload_key(payload: str) -> str:
    """Return the key under which a long payload is kept (40 hex characters)."""
    return hashlib.sha1(payload.encode("utf-8"), usedforsecurity=False).hexdigest()


def callback_data_for(payload: str, keep_long: Callable[[str, str], None]) -> str:
    """Return callback data for a Rasa payload; a long one is kept by ``keep_long(key, payload)``.

    Payloads that look like the bridge's own callback data are kept too, so they never clash.
    """
    if len(payload.encode("utf-8")) <= CALLBACK_LIMIT and not payload.startswith(
        (LONG_PAYLOAD_PREFIX, DEPARTMENT_PREFIX)
    ):
        return payload
    key = payload_key(payload)
    keep_long(key, payload)
    return LONG_PAYLOAD_PREFIX + key


def keyboard_for(
    buttons: Sequence[dict[str, Any]], keep_long: Callable[[str, str], None]
) -> InlineKeyboardMarkup | None:
    """Map Rasa buttons (``title``, ``payload``) to an inline keyboard, or None without any.

    Up to three short titles share a row (Ja / Nej); otherwise one button per row.
    """
    keys = []
    for button in buttons:
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or title)
        if not title:
            continue
        keys.append(
            InlineKeyboardButton(title[:200], callback_data=callback_data_for(payload, keep_long))
        )
    if not keys:
        return None
    if len(keys) <= 3 and all(len(k.text) <= 12 for k in keys):
        return InlineKeyboardMarkup([keys])
    return InlineKeyboardMarkup([[k] for k in keys])


def department_keyboard(departments: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One button per förvaltning ``(code, name)``."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(name, callback_data=DEPARTMENT_PREFIX + code)]
         for code, name in departments]
    )  # fmt: skip
