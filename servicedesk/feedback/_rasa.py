"""Talking to the Rasa server's HTTP API for the feedback sweep: state and external events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from servicedesk.http_client import shared_client
from servicedesk.rasa_rest import CONVERSATION_HEADER
from servicedesk.settings import Settings

#: The external event that starts (or re-offers) the survey in a person's conversation.
INVITATION_INTENT = "EXTERNAL_feedback_invitation"


class RasaError(Exception):
    """Rasa could not be reached or refused the request; the sweep tries again later."""


class Conversations(Protocol):
    """What the sweep needs from Rasa (a fake in the tests)."""

    async def state(self, sender: str) -> dict[str, Any]:
        """Return the conversation's current state (active loop, latest event time)."""
        ...  # pragma: no cover - protocol

    async def trigger(self, sender: str, entities: dict[str, str]) -> list[dict[str, Any]]:
        """Trigger the invitation intent and return the bot's messages."""
        ...  # pragma: no cover - protocol


@dataclass(frozen=True)
class RasaConversations:
    """The Rasa HTTP API (``rasa run --enable-api --auth-token``)."""

    base_url: str
    token: str
    timeout: float

    @classmethod
    def from_settings(cls, settings: Settings) -> RasaConversations:
        """Build the client from ``SERVICEDESK_RASA_URL`` and ``SERVICEDESK_RASA_TOKEN``."""
        return cls(
            settings.rasa_url.rstrip("/"), settings.rasa_token, settings.http_timeout_seconds
        )

    def _url(self, sender: str, tail: str) -> str:
        # Sanic does not unquote path parameters: the "web:…" of a conversation id stays as is.
        return f"{self.base_url}/conversations/{quote(sender, safe=':')}/{tail}"

    async def _call(self, method: str, sender: str, tail: str, **kwargs: Any) -> Any:
        url = self._url(sender, tail)
        params = {"token": self.token, **kwargs.pop("params", {})}
        try:
            response = await shared_client().request(
                method, url, params=params, timeout=self.timeout,
                headers={CONVERSATION_HEADER: sender}, **kwargs,
            )  # fmt: skip
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaError(f"{method} {url} failed: {exc!r}") from exc

    async def state(self, sender: str) -> dict[str, Any]:
        """Return the tracker state without its events."""
        found = await self._call("GET", sender, "tracker", params={"include_events": "NONE"})
        if not isinstance(found, dict):
            raise RasaError(f"Unexpected tracker state for {sender!r}")
        return found

    async def trigger(self, sender: str, entities: dict[str, str]) -> list[dict[str, Any]]:
        """POST the external event and return the messages the bot answered with."""
        found = await self._call(
            "POST",
            sender,
            "trigger_intent",
            params={"output_channel": "collector"},
            json={"name": INVITATION_INTENT, "entities": entities},
        )
        messages = found.get("messages") if isinstance(found, dict) else None
        if not isinstance(messages, list):
            raise RasaError(f"Rasa returned no messages for {sender!r}")
        return [m for m in messages if isinstance(m, dict)]
