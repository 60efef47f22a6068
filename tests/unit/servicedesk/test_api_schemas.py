"""Validation of what the web chat page may post."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from servicedesk.agents import hash_token
from servicedesk.api.schemas import ChatRequest


def test_chat_message_is_stripped() -> None:
    assert ChatRequest(message="  boka möbler \n").message == "boka möbler"


def test_a_sender_name_or_department_in_the_body_is_not_read() -> None:
    body = {"sender": "772345678", "name": "Någon", "department": "KLK", "message": "hej"}
    assert ChatRequest.model_validate(body).model_dump() == {"message": "hej", "message_id": None}


@pytest.mark.parametrize("message", ["", "   \n ", "x" * 2001])
def test_chat_message_must_be_1_to_2000_characters_after_strip(message: str) -> None:
    with pytest.raises(ValidationError):
        ChatRequest(message=message)


def test_chat_message_of_exactly_2000_characters_is_accepted() -> None:
    assert len(ChatRequest(message="å" * 2000).message) == 2000


def test_token_hash_is_sha256_hex() -> None:
    digest = hash_token("hemlig")
    assert len(digest) == 64
    assert digest != "hemlig"
    assert digest == hash_token("hemlig")
