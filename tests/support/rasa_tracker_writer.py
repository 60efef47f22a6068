"""Write conversations into a tracker store with Rasa's own SQLTrackerStore (Rasa env only).

Run with the Rasa environment's Python: ``python rasa_tracker_writer.py '<json spec>'``.
The spec names the store (``dialect``, ``db`` and for PostgreSQL ``host``, ``port``,
``username``) and ``conversations``: sender id → list of ``[kind, unix time, text]`` with
kind ``session`` (action_session_start + session_started), ``user`` or ``bot``. The
tests use it so the table layout and the rows are exactly what Rasa writes.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any


def _events(items: list[list[Any]]) -> list[Any]:
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

    events: list[Any] = []
    for kind, at, text in items:
        if kind == "session":
            events += [
                ActionExecuted("action_session_start", timestamp=at),
                SessionStarted(timestamp=at),
                ActionExecuted("action_listen", timestamp=at),
            ]
        elif kind == "user":
            intent = {"name": "request_service", "confidence": 1.0}
            events.append(UserUttered(text, intent=intent, timestamp=at))
        else:
            events += [
                BotUttered(text, timestamp=at),
                ActionExecuted("action_listen", timestamp=at),
            ]
    return events


async def _write(spec: dict[str, Any]) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(
        Domain.empty(),
        dialect=spec["dialect"],
        host=spec.get("host"),
        port=spec.get("port"),
        db=spec["db"],
        username=spec.get("username"),
    )
    for sender, items in spec["conversations"].items():
        await store.save(DialogueStateTracker.from_events(sender, _events(items)))
    store.engine.dispose()


if __name__ == "__main__":
    asyncio.run(_write(json.loads(sys.argv[1])))
