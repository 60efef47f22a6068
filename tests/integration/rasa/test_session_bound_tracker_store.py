"""A long conversation at rest starts a new session with its slots (Rasa process).

Runs in the Rasa environment against Rasa 3.6's own SQL tracker store, events and this
project's domain: turns are retrieved, extended and saved as Rasa's processor does, and
what the next turn would load is checked, with every event still in the store.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.support.processes import REPO, rasa_env

SCRIPT = r"""
import asyncio, json, sqlite3, sys
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet, UserUttered,
)
from bot.tracker_store import SessionBoundSQLTrackerStore

spec = json.loads(sys.stdin.read())

async def main():
    domain = Domain.load("domain.yml")
    store = SessionBoundSQLTrackerStore(
        domain, dialect="sqlite", db=spec["db"], max_session_events=spec["limit"]
    )
    sender = "web:long"
    start = [ActionExecuted("action_session_start"), SessionStarted(),
             ActionExecuted("action_listen"), SlotSet("ticket_number", "SD-2026-00042")]
    tracker = await store.get_or_create_tracker(sender)
    for event in start:
        tracker.update(event)
    await store.save(tracker)
    loaded = []
    for intent, loop in spec["turns"]:
        tracker = await store.retrieve(sender)
        tracker.update(UserUttered("text", intent={"name": intent, "confidence": 1.0}))
        if loop:
            tracker.update(ActiveLoop("service_form"))
        tracker.update(ActionExecuted("utter_x"))
        tracker.update(BotUttered("svar"))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        loaded.append(len((await store.retrieve(sender)).events))
    tracker = await store.retrieve(sender)
    full = await store.retrieve_full_tracker(sender)
    # A saved tracker is kept: the next turn gets it, the same as the store's session.
    other_replica = SessionBoundSQLTrackerStore(
        domain, dialect="sqlite", db=spec["db"], max_session_events=spec["limit"]
    )
    await store.save(tracker)
    hits = store.kept_hits
    kept = await store.retrieve(sender)
    read = await other_replica.retrieve(sender)
    same = [e.as_dict() for e in kept.events] == [e.as_dict() for e in read.events]
    kept_used = store.kept_hits == hits + 1 and kept is tracker
    # Another replica's turn in between: the kept tracker is not used, the turn is read.
    await store.save(kept)
    read.update(UserUttered("annan", intent={"name": "greet", "confidence": 1.0}))
    await other_replica.save(read)
    after_other = await store.retrieve(sender)
    other_seen = after_other is not kept and after_other.events[-1].text == "annan"
    await store.save(after_other)
    # Another process (the desk's erasure) deletes the conversation between two turns.
    other = sqlite3.connect(spec["db"], timeout=30)
    with other:
        other.execute("DELETE FROM events WHERE sender_id = ?", (sender,))
    other.close()
    print(json.dumps({
        "after_erasure": await store.retrieve(sender) is None,
        "kept_used": kept_used, "kept_same": same, "other_seen": other_seen,
        "hits": store.kept_hits,
        "journal_mode": store.engine.execute("PRAGMA journal_mode").scalar(),
        "loaded": loaded,
        "slot": tracker.get_slot("ticket_number"),
        "sessions": sum(1 for e in full.events if isinstance(e, SessionStarted)),
        "stored_users": sum(1 for e in full.events if isinstance(e, UserUttered)),
        "last_loaded": len(tracker.events),
    }))

asyncio.run(main())
"""


def _run(tmp_path: Path, turns: list[tuple[str, bool]], limit: int) -> dict[str, object]:
    spec = {"db": str(tmp_path / "tracker.db"), "limit": limit, "turns": turns}
    done = subprocess.run(
        [str(rasa_env() / "bin" / "python"), "-c", SCRIPT],
        input=json.dumps(spec), cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_long_session_at_rest_restarts_with_its_slots_and_keeps_every_event(
    tmp_path: Path,
) -> None:
    found = _run(tmp_path, [("greet", False)] * 30, limit=40)
    loaded = list(found["loaded"])  # type: ignore[call-overload]
    # Each turn adds five events; past 40 the next turn loads a fresh session again.
    assert max(loaded) <= 40 + 5
    assert loaded[-1] < loaded[7]
    assert found["slot"] == "SD-2026-00042"
    assert int(found["sessions"]) >= 2  # type: ignore[call-overload]
    assert found["stored_users"] == 30  # nothing is deleted: transcripts read every session
    # The store's kept connections write ahead and see another process's deletion at once.
    assert found["journal_mode"] == "wal"
    assert found["after_erasure"] is True
    # A kept tracker serves the next turn only while the store holds what it saved.
    assert found["kept_used"] is True and found["kept_same"] is True
    assert found["other_seen"] is True


def test_a_long_session_in_a_form_or_waiting_for_a_pick_is_not_restarted(
    tmp_path: Path,
) -> None:
    turns = [("inform", True)] * 12 + [("request_service", False)] * 12
    found = _run(tmp_path, turns, limit=20)
    loaded = list(found["loaded"])  # type: ignore[call-overload]
    assert loaded == sorted(loaded)  # grows: no turn ended at rest
    assert found["sessions"] == 1
    assert int(found["hits"]) >= 12  # type: ignore[call-overload]
