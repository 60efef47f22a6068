"""Three costs Rasa 3.6 pays on every turn, removed without changing what it does.

**The check of custom action replies.** ``RemoteAction._validate_action_result`` calls
``jsonschema.validate`` on every reply, which first validates the (large, constant) schema
itself against the JSON Schema meta-schema and builds a new validator: profiled over
ordering turns, that was 64 % of the Rasa process's busy time. :func:`install` replaces it
with a check of equal strength. The reply schema's events are ``oneOf`` 23 event schemas,
each fixing ``event`` to its own constant, so an event matches that ``oneOf`` exactly when
it matches the one alternative named by its ``event`` (no other can match); the check
validates each event against the common part and that one alternative, compiled once per
event type, instead of trying all 23 (still 9 % of the process's time when it tried them
all). A reply that fails this check is checked again by the whole schema's validator, so
the error raised is the same as Rasa's (the best match, with Rasa's explanation appended).

**Finding an event's class.** ``Event.resolve_by_type``, called for every event read from
the tracker store on every turn, walks every subclass of ``Event`` (and asks ``inspect``
whether each is abstract) to find the one with the type name: 7 % of the process's time.
:func:`install` keeps the name → class table it finds, built from the same walk in the same
order (the first class with a name wins, as in Rasa's loop); a name not in the table walks
the subclasses again (a class imported later), then answers as Rasa does.

**A connection per call to the action server.** ``EndpointConfig.request`` opens a new
``aiohttp.ClientSession`` for every call (``async with self.session()``), so every custom
action paid for a new session, connector and TCP connection: 11 % of the process's time.
:func:`install` makes ``EndpointConfig.session`` lend one session per endpoint and event loop,
made by Rasa's own ``session()`` (same headers, auth and timeout) and kept open: its pooled
connections are reused (aiohttp keeps an idle one 15 s, below the action server's 120 s, so
the server never closes one under a request). The borrowed session is not closed by the
``async with``; :func:`close_kept_sessions` closes them when the server stops.

Loaded by the Rasa process (imported by :mod:`bot.rasa_channel`, which Rasa loads at
start), so it survives ``make setup`` on a fresh machine: nothing in the environment is
edited.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)
_installed = False


def compiled_validator() -> Any:
    """The validator of Rasa's action reply schema, with the schema checked once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


class ReplyCheck:
    """Rasa's action reply schema, checked per event against the alternative it names."""

    def __init__(self) -> None:
        from jsonschema.validators import validator_for
        from rasa.core.actions.action import RemoteAction

        schema = RemoteAction.action_response_format_spec()
        self.full = compiled_validator()
        cls = validator_for(schema)
        events = schema["properties"]["events"]
        event = events["items"]
        common = {key: value for key, value in event.items() if key != "oneOf"}
        # The reply with its events' items left unchecked, and each event type's schema.
        shell = {**schema, "properties": {**schema["properties"], "events": {
            key: value for key, value in events.items() if key != "items"}}}  # fmt: skip
        self.shell = cls(shell)
        self.by_type: dict[str, Any] = {}
        for alternative in event["oneOf"]:
            name = alternative["properties"]["event"]["const"]
            if name in self.by_type:  # two alternatives for one name: no shortcut
                raise ValueError(f"event type {name!r} has two schemas")
            self.by_type[name] = cls({"allOf": [common, alternative]})

    def passes(self, reply: Any) -> bool:
        """Whether the whole schema accepts ``reply`` (checked the short way)."""
        if not self.shell.is_valid(reply):
            return False
        for event in reply.get("events", ()) if isinstance(reply, dict) else ():
            name = event.get("event") if isinstance(event, dict) else None
            check = self.by_type.get(name) if isinstance(name, str) else None
            if check is None or not check.is_valid(event):
                return False
        return True

    def error(self, reply: Any) -> Any:
        """The whole schema's best-matching error for ``reply``, or None if it passes."""
        from jsonschema.exceptions import best_match

        return None if self.passes(reply) else best_match(self.full.iter_errors(reply))


def _install_event_classes() -> None:
    """Give ``Event.resolve_by_type`` a name → class table (same answers, no walk)."""
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    table: dict[str, Any] = {}
    stock = Event.resolve_by_type

    def refresh() -> None:
        found: dict[str, Any] = {}
        for cls in all_subclasses(Event):
            found.setdefault(cls.type_name, cls)
        table.clear()
        table.update(found)

    def resolve_by_type(type_name: str, default: Any = None) -> Any:
        if not isinstance(type_name, str):
            return stock(type_name, default)
        cls = table.get(type_name)
        if cls is None:
            refresh()
            cls = table.get(type_name)
        if cls is not None:
            return cls
        if type_name == "topic":
            return None  # Rasa's answer for old TopicSet events
        if default is not None:
            return default
        raise ValueError(f"Unknown event name '{type_name}'.")

    refresh()
    Event.resolve_by_type = staticmethod(resolve_by_type)


class _Lent:
    """A kept session lent to an ``async with`` that would otherwise close it."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *exc: object) -> None:
        return None


_kept_sessions: list[Any] = []


def _install_kept_sessions() -> None:
    """Make ``EndpointConfig.session`` lend one open session per endpoint and event loop."""
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    stock = EndpointConfig.session

    def session(self: EndpointConfig) -> Any:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not in a coroutine: what Rasa gives
            return stock(self)
        kept: dict[Any, Any] = self.__dict__.setdefault("_kept_sessions", {})
        made = kept.get(loop)
        if made is None or made.closed:
            made = kept[loop] = stock(self)
            _kept_sessions.append(made)
        return _Lent(made)

    EndpointConfig.session = session


async def close_kept_sessions() -> None:
    """Close the sessions lent by the endpoints (the server is stopping)."""
    while _kept_sessions:
        made = _kept_sessions.pop()
        if not made.closed:
            await made.close()


def install() -> None:
    """Replace the reply check and the event class lookup (idempotent)."""
    global _installed
    if _installed:
        return
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    check = ReplyCheck()

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        error = check.error(result)
        if error is None:
            return True
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = _validate_action_result
    _install_event_classes()
    _install_kept_sessions()
    _installed = True
    logger.debug(
        "action replies are checked per event type; event classes come from a table; "
        "endpoint sessions are kept"
    )
