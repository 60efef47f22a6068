"""Hand-made action server calls (the JSON Rasa posts to ``/webhook``), for tests."""

from __future__ import annotations

from typing import Any


def create_ticket_call(
    sender: str, slots: dict[str, Any], *, text: str = "ja", message_id: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A call of ``action_create_ticket`` for a conversation whose slots are ``slots``."""
    user = {
        "event": "user", "text": text, "timestamp": 1.0, "message_id": message_id,
        "parse_data": {"intent": {"name": "affirm"}, "entities": []}, "input_channel": "rest",
    }  # fmt: skip
    return {
        "next_action": "action_create_ticket",
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": slots,
            "latest_message": {
                "text": text,
                "message_id": message_id,
                "intent": {"name": "affirm"},
                "entities": [],
                "metadata": metadata or {},
            },
            "events": [user],
            "latest_input_channel": "rest",
            "active_loop": {},
            "latest_action_name": "action_listen",
            "paused": False,
            "followup_action": None,
        },
    }
