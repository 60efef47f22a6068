"""Rasa's relay channel as every channel uses it: one person's message in, the bot's replies out.

The web chat relay, the Telegram bridge and the feedback sweep read Rasa's message lists
the same way, through :func:`parse_replies`.

Every call about one conversation names it in the ``X-Conversation-Id`` header too. It
is only a routing hint: with several Rasa replicas the balancer hashes on it, so each
conversation is worked by one replica (deploy/haproxy.cfg). Rasa does not read it, and
who the person is still comes from the relay secret and the body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from servicedesk.conversations import conversation_id

__all__ = [
    "CONVERSATION_HEADER", "RELAY_SECRET_HEADER", "RESTART_COMMAND", "BotReply", "RasaConversation",
    "RasaUnavailableError", "TrackerMessage", "fetch_conversation", "parse_replies",
    "parse_tracker_events", "send_message",
]  # fmt: skip

RELAY_SECRET_HEADER = "X-Relay-Secret"
#: Names the conversation for the balancer in front of the Rasa replicas (sticky routing).
CONVERSATION_HEADER = "X-Conversation-Id"
#: The message that makes Rasa forget the conversation (its built-in ``restart`` intent).
RESTART_COMMAND = "/restart"


class RasaUnavailableError(Exception):
    """Rasa did not answer, or answered with something that is not a message list."""


@dataclass(frozen=True)
class BotReply:
    """One message of the bot, with Rasa's buttons (``title``, ``payload``)."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def parse_replies(payload: Any) -> list[BotReply]:
    """The text and button messages of a Rasa message list; other kinds are left out.

    Raises:
        RasaUnavailableError: ``payload`` is not a list.
    """
    if not isinstance(payload, list):
        raise RasaUnavailableError(f"Expected a JSON list from Rasa, got {type(payload).__name__}")
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


async def send_message(
    *,
    client: httpx.AsyncClient,
    rasa_url: str,
    secret: str,
    channel: str,
    external_id: str,
    message: str,
    message_id: str | None = None,
    timeout: float | None = None,
) -> list[BotReply]:
    """Send ``message`` from ``external_id`` on ``channel`` to Rasa's relay channel.

    The conversation is ``<channel>:<external_id>`` (see :mod:`servicedesk.conversations`);
    the relay secret vouches that the channel and the person are what the desk says.

    Raises:
        RasaUnavailableError: Rasa is down, too slow, refused or answered with an error.
    """
    url = f"{rasa_url.rstrip('/')}/webhooks/relay/webhook"
    sender = conversation_id(channel, external_id)
    body: dict[str, Any] = {"sender": sender, "message": message}
    if message_id is not None:
        body["message_id"] = message_id
    try:
        response = await client.post(
            url,
            json=body,
            headers={RELAY_SECRET_HEADER: secret, CONVERSATION_HEADER: sender},
            timeout=timeout if timeout is not None else client.timeout,
        )
        response.raise_for_status()
        return parse_replies(response.json())
    except (httpx.HTTPError, ValueError) as exc:
        raise RasaUnavailableError(f"Rasa at {url} failed: {exc!r}") from exc


@dataclass(frozen=True)
class TrackerMessage:
    """A message of a Rasa conversation: the person's (``user``) or the bot's (``bot``).

    ``at`` is Rasa's event time in seconds since the epoch; ``text`` is what was sent, so
    a button press is its payload (e.g. ``/affirm``).
    """

    role: Literal["user", "bot"]
    text: str
    at: float
    buttons: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class RasaConversation:
    """The messages of a conversation since its start or its last restart.

    ``started_at`` is the time of the first event after the restart (or of the first
    event at all): anything older belongs to a conversation the person has left.
    """

    messages: list[TrackerMessage]
    started_at: float | None


def _event_buttons(data: Any) -> list[dict[str, str]]:
    raw = data.get("buttons") if isinstance(data, dict) else None
    return [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in raw or []
        if isinstance(b, dict)
    ]


def parse_tracker_events(events: Any) -> RasaConversation:
    """The person's and the bot's messages among Rasa tracker events, oldest first.

    Other events (actions, slots, loops, session starts) only count for ``started_at``.

    Raises:
        RasaUnavailableError: ``events`` is not a list.
    """
    if not isinstance(events, list):
        raise RasaUnavailableError(f"Expected a list of events, got {type(events).__name__}")
    messages: list[TrackerMessage] = []
    started_at: float | None = None
    at = 0.0
    for event in events:
        if not isinstance(event, dict):
            continue
        stamp = event.get("timestamp")
        if isinstance(stamp, int | float) and not isinstance(stamp, bool):
            at = float(stamp)  # an event without a time keeps the one before it
            if started_at is None:
                started_at = at
        kind = event.get("event")
        text = str(event.get("text") or "")
        if kind == "user" and text:
            messages.append(TrackerMessage(role="user", text=text, at=at))
        elif kind == "bot":
            buttons = _event_buttons(event.get("data"))
            if text or buttons:
                messages.append(TrackerMessage(role="bot", text=text, at=at, buttons=buttons))
    return RasaConversation(messages=messages, started_at=started_at)


async def fetch_conversation(
    *,
    client: httpx.AsyncClient,
    rasa_url: str,
    token: str,
    channel: str,
    external_id: str,
    timeout: float | None = None,
) -> RasaConversation:
    """Read the conversation of ``external_id`` on ``channel`` from Rasa's tracker.

    Uses Rasa's HTTP API (``--enable-api``, authenticated with its ``--auth-token``) and
    asks only for the events after the last restart. The ``:`` of the conversation id is
    sent as it is: Sanic does not unquote path parameters, so ``web%3A…`` would name
    another, empty conversation.

    Raises:
        RasaUnavailableError: Rasa is down, too slow, refused or answered with an error.
    """
    sender = conversation_id(channel, external_id)
    url = f"{rasa_url.rstrip('/')}/conversations/{sender}/tracker"
    params = {"token": token, "include_events": "AFTER_RESTART"}
    try:
        response = await client.get(
            url,
            params=params,
            headers={CONVERSATION_HEADER: sender},
            timeout=timeout if timeout is not None else client.timeout,
        )
        response.raise_for_status()
        body = response.json()
    except httpx.HTTPStatusError as exc:
        # The token is a query parameter: messages name the URL without it.
        status = exc.response.status_code
        raise RasaUnavailableError(f"Rasa tracker at {url} answered {status}") from exc
    except (httpx.HTTPError, ValueError) as exc:
        raise RasaUnavailableError(f"Rasa tracker at {url} failed: {type(exc).__name__}") from exc
    if not isinstance(body, dict):
        raise RasaUnavailableError(f"Expected a tracker object from {url}")
    return parse_tracker_events(body.get("events") or [])
