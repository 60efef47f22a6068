"""The only way into Rasa's dialogue: a REST channel for the desk relay and the Telegram bridge.

Rasa's stock ``rest`` channel lets any caller name any sender and any channel. This one
accepts a message only with the shared relay secret (``SERVICEDESK_RELAY_SECRET``, sent as
the ``X-Relay-Secret`` header), only for namespaced senders (``web:…``, ``telegram:…``), and
it sets the metadata the actions read itself: what a caller puts there is ignored.

Loaded by the Rasa process (Python 3.10 environment), so it imports only the standard
library, Rasa, Sanic and the stdlib-only :mod:`servicedesk.secrets`. In production it
refuses to start with a missing or weak secret.
"""

from __future__ import annotations

import hmac
import logging
import os
import re
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import rasa_speedups
from servicedesk.secrets import production_problems

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Relay-Secret"
MAX_MESSAGE_CHARS = 4000
_SENDER = re.compile(r"^(web|telegram):[A-Za-z0-9_.\-]{1,120}$")
_MESSAGE_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,120}$")


#: The secrets the Rasa process itself uses (its --auth-token is SERVICEDESK_RASA_TOKEN).
RASA_SECRETS = ("SERVICEDESK_RASA_TOKEN", "SERVICEDESK_RELAY_SECRET", "SERVICEDESK_ACTION_SECRET")


class InsecureConfigurationError(RuntimeError):
    """A secret is missing, a known default or too short where that is not allowed."""


def _check_environment() -> str:
    if os.environ.get("SERVICEDESK_ENVIRONMENT", "development") == "production":
        problems = production_problems(os.environ, RASA_SECRETS)
        if problems:
            raise InsecureConfigurationError(
                "refusing to start in production: " + "; ".join(problems)
            )
    secret = os.environ.get("SERVICEDESK_RELAY_SECRET", "")
    if not secret:
        raise InsecureConfigurationError(
            "SERVICEDESK_RELAY_SECRET is not set: the relay channel would accept nobody "
            "(`make run` writes one into .env)"
        )
    return secret


class TrackerStoreDown(RuntimeError):
    """The conversation store cannot be read or written: the turn must not go on."""


def _refuse_memory_fallback(error: Exception) -> None:
    raise TrackerStoreDown(f"the tracker store failed: {error!r}") from error


def _strict_tracker_store(request: Request) -> None:
    """Make Rasa's tracker store fail loudly instead of falling back to memory.

    Rasa wraps the configured store in a ``FailSafeTrackerStore`` that, on an error,
    answers from an empty in-memory store: the person's order in progress silently
    vanishes and the next answer ("kommunhuset rum 101") starts something new. Its
    error callback is called before that fallback; raising there stops the turn, and the
    desk tells the person the truth. The conversation is intact when the store is back.
    """
    agent = getattr(request.app.ctx, "agent", None)
    store = getattr(agent, "tracker_store", None)
    if isinstance(store, FailSafeTrackerStore):
        store._on_tracker_store_error = _refuse_memory_fallback
        if isinstance(getattr(store, "_tracker_store", None), InMemoryTrackerStore):
            # A store class that could not be loaded (endpoints.yml names one that is not
            # importable) makes Rasa fall back to memory at start: refuse, do not forget.
            raise TrackerStoreDown(
                "Rasa's tracker store is in memory: check tracker_store in the endpoints file "
                "(is bot.tracker_store importable, PYTHONPATH set?)"
            )


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class RelayInput(InputChannel):
    """REST channel that trusts only the desk relay and the Telegram bridge."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()

    @classmethod
    def name(cls) -> str:
        return "relay"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        rasa_speedups.install()
        return cls(_check_environment())

    def _authorised(self, request: Request) -> bool:
        given = (request.headers.get(SECRET_HEADER) or "").encode()
        return hmac.compare_digest(given, self._secret)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("relay_webhook", __name__)

        @hook.listener("after_server_stop")
        async def close_sessions(*_: Any) -> None:
            await rasa_speedups.close_kept_sessions()

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._authorised(request):
                return _error(401, f"missing or wrong {SECRET_HEADER} header")
            body = request.json if isinstance(request.json, dict) else None
            if body is None:
                return _error(400, "the body must be a JSON object")
            sender, text = body.get("sender"), body.get("message")
            message_id = body.get("message_id")
            if not isinstance(sender, str) or not _SENDER.match(sender):
                return _error(400, "sender must be 'web:<id>' or 'telegram:<id>'")
            if not isinstance(text, str) or not text or len(text) > MAX_MESSAGE_CHARS:
                return _error(400, f"message must be text of 1–{MAX_MESSAGE_CHARS} characters")
            if message_id is not None and (
                not isinstance(message_id, str) or not _MESSAGE_ID.match(message_id)
            ):
                return _error(400, "message_id must be 1–120 characters [A-Za-z0-9_.:-]")
            channel = sender.split(":", 1)[0]
            try:
                _strict_tracker_store(request)
            except TrackerStoreDown as exc:
                return _error(503, str(exc))
            collector = CollectingOutputChannel()
            metadata = {"channel": channel, "vouched_by": "relay"}
            try:
                await on_new_message(
                    UserMessage(
                        text, collector, sender, input_channel=channel,
                        metadata=metadata, message_id=message_id,
                    )
                )  # fmt: skip
            except CancelledError:
                logger.error("message from %s was cancelled", sender)
                return _error(503, "the turn was cancelled")
            except TrackerStoreDown:
                logger.exception("message from %s: the tracker store is down", sender)
                return _error(503, "the conversation store (tracker store) is unavailable")
            except Exception:  # Rasa surfaces lock store failures (LockError) here
                logger.exception("message from %s could not be handled", sender)
                return _error(503, "the turn could not be processed")
            if not collector.messages and not text.startswith("/restart"):
                # Every turn of this assistant answers something: silence means an action
                # failed (the action server or its database is down). Say so, so the
                # person is told the truth instead of being asked to rephrase.
                logger.warning("turn of %s produced no answer", sender)
                return _error(503, "the turn produced no answer (an action failed)")
            return response.json(collector.messages)

        return hook
