"""Validation of what the web chat page may post."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from servicedesk.agents import hash_token
from servicedesk.api.schemas import ChatRequest


def test_chat_message_is_stripped() -> None:
    request = ChatRequest(sender=" abc ", message="  boka möbler \n")
    assert (request.sender, request.message) == ("abc", "boka möbler")


@pytest.mark.parametrize("message", ["", "   \n ", "x" * 2001])
def test_chat_message_must_be_1_to_2000_characters_after_strip(message: str) -> None:
    with pytest.raises(ValidationError):
        ChatRequest(sender="abc", message=message)


def test_chat_message_of_exactly_2000_characters_is_accepted() -> None:
    assert len(ChatRequest(sender="abc", message="å" * 2000).message) == 2000


def test_token_hash_is_sha256_hex() -> None:
    digest = hash_token("hemlig")
    assert len(digest) == 64
    assert digest != "hemlig"
    assert digest == hash_token("hemlig")
