"""Telegram limits: message splitting, Rasa buttons as inline keyboards, delivery errors."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.telegram import TelegramDeliverer, keyboard_for, split_text
from bot.telegram.formatting import CALLBACK_LIMIT, LONG_PAYLOAD_PREFIX, MESSAGE_LIMIT
from servicedesk.relay import DeliveryError


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_a_short_text_is_one_message() -> None:
    assert split_text("Hej!") == ["Hej!"]


def test_a_long_text_is_split_at_paragraphs_within_the_limit() -> None:
    paragraph = "Beställningen av möbler " * 40
    text = "\n\n".join(paragraph.strip() for _ in range(10))
    parts = split_text(text)
    assert len(parts) > 1
    assert all(_units(p) <= MESSAGE_LIMIT for p in parts)
    assert all(p == paragraph.strip() or "\n\n" in p for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")


def test_a_text_without_spaces_is_cut_hard() -> None:
    parts = split_text("x" * 10_000)
    assert [len(p) for p in parts] == [4096, 4096, 1808]


def test_emoji_count_twice_towards_the_limit() -> None:
    parts = split_text("😀" * 3000)
    assert [len(p) for p in parts] == [2048, 952]


def test_rasa_buttons_become_one_row_of_short_titles() -> None:
    markup = keyboard_for(
        [{"title": "Ja", "payload": "/affirm"}, {"title": "Nej", "payload": "/deny"}],
        lambda key, payload: None,
    )
    assert markup is not None
    rows = markup.inline_keyboard
    assert [[b.text for b in row] for row in rows] == [["Ja", "Nej"]]
    assert [b.callback_data for b in rows[0]] == ["/affirm", "/deny"]


def test_long_titles_get_a_row_each_and_no_buttons_no_keyboard() -> None:
    buttons = [{"title": "Prata med servicedesken", "payload": "/human_handoff"}] * 2
    markup = keyboard_for(buttons, lambda key, payload: None)
    assert markup is not None and len(markup.inline_keyboard) == 2
    assert keyboard_for([], lambda key, payload: None) is None


def test_a_payload_over_64_bytes_is_kept_and_sent_by_key() -> None:
    kept: dict[str, str] = {}
    payload = '/change_detail{"field":"location","value":"Rådhuset plan 3, rum Ekbacken"}'
    markup = keyboard_for([{"title": "Plats", "payload": payload}], kept.__setitem__)
    assert markup is not None
    data = markup.inline_keyboard[0][0].callback_data
    assert isinstance(data, str) and data.startswith(LONG_PAYLOAD_PREFIX)
    assert len(data.encode()) <= CALLBACK_LIMIT
    assert kept == {data.removeprefix(LONG_PAYLOAD_PREFIX): payload}


class _Bot:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.sent: list[dict[str, Any]] = []

    async def send_message(self, **kwargs: Any) -> None:
        if self.error is not None:
            raise self.error
        self.sent.append(kwargs)


def test_the_deliverer_sends_long_texts_in_parts_with_buttons_last() -> None:
    bot = _Bot()
    deliverer = TelegramDeliverer(bot, lambda key, payload: None)  # type: ignore[arg-type]
    asyncio.run(deliverer.deliver("42", "a " * 5000, [{"title": "Ja", "payload": "/affirm"}]))
    assert [m["chat_id"] for m in bot.sent] == [42, 42, 42]
    assert [m["reply_markup"] is None for m in bot.sent] == [True, True, False]


@pytest.mark.parametrize(
    ("error", "retry_after", "permanent"),
    [
        (RetryAfter(7), 7.0, False),
        (Forbidden("bot was blocked by the user"), None, True),
        (BadRequest("Chat not found"), None, True),
        (NetworkError("connection reset"), None, False),
    ],
)
def test_telegram_errors_become_delivery_errors(
    error: Exception, retry_after: float | None, permanent: bool
) -> None:
    deliverer = TelegramDeliverer(_Bot(error), lambda key, payload: None)  # type: ignore[arg-type]
    with pytest.raises(DeliveryError) as raised:
        asyncio.run(deliverer.deliver("42", "Ditt ärende SD-2026-00001 är levererat", []))
    assert raised.value.retry_after == retry_after
    assert raised.value.permanent is permanent
