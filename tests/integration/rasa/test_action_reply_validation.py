"""Rasa's own answers, kept by :mod:`bot.rasa_speedups` (Rasa process).

Runs in the Rasa environment: every reply below goes through Rasa 3.6's stock
``RemoteAction._validate_action_result`` and then through the one
:func:`bot.rasa_speedups.install` puts in its place; both must accept and reject the same
replies, with the same message, and the channel Rasa loads must install it. Likewise every
event type name (and unknown ones, with and without a default) goes through Rasa's stock
``Event.resolve_by_type`` and then through the table that replaces it.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from tests.support.processes import REPO, rasa_env

SCRIPT = r"""
import json, sys
from rasa.core.actions.action import RemoteAction
replies = json.loads(sys.stdin.read())
action = RemoteAction("action_x", None)

def outcomes():
    found = []
    for reply in replies:
        try:
            found.append(["ok", action._validate_action_result(reply)])
        except Exception as error:
            found.append([type(error).__name__, getattr(error, "message", str(error))])
    return found

from rasa.shared.core.events import Event, SlotSet
from rasa.shared.utils.common import all_subclasses
NAMES = sorted({cls.type_name for cls in all_subclasses(Event)}) + ["topic", "no_such", ""]

def classes():
    found = []
    for name in NAMES:
        for default in (None, SlotSet):
            try:
                cls = Event.resolve_by_type(name, default)
                found.append([name, cls.__name__ if cls else None])
            except Exception as error:
                found.append([name, type(error).__name__, str(error)])
    return found

stock, stock_classes = outcomes(), classes()
stock_function = RemoteAction._validate_action_result
import bot.rasa_channel  # the channel Rasa loads installs the compiled check
bot.rasa_channel.RelayInput.from_credentials({})
print(json.dumps({
    "stock": stock,
    "compiled": outcomes(),
    "replaced": RemoteAction._validate_action_result is not stock_function,
    "stock_classes": stock_classes,
    "classes": classes(),
    "names": len(NAMES),
}))
"""

REPLIES = [
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "order_id", "value": "a1", "timestamp": None},
            {"event": "active_loop", "name": "order_form"},
            {"event": "followup", "name": "action_listen"},
        ],
        "responses": [{"text": "Var ska det utföras?", "buttons": []}],
    },
    {
        "events": [
            {
                "event": "user",
                "text": "hej",
                "parse_data": {
                    "intent": {"name": "greet"},
                    "entities": [{"entity": "date", "value": "2026-12-07", "start": 0, "end": 3}],
                },
            },
            {"event": "bot", "text": "Hej!", "metadata": {"utter_action": "utter_greet"}},
            {"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0},
            {"event": "reset_slots"},
            {"event": "session_started", "timestamp": 1.5},
        ],
    },
    {"events": [{"event": "slot"}]},
    {"events": [{"event": "slot", "name": 7, "value": 1}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": 3}]},
    {"events": [{"name": "order_id", "value": 1}]},
    {"events": ["slot"]},
    {"events": [{"event": "slot", "name": "a", "value": 1, "timestamp": "now"}]},
    {"events": [{"event": "bot", "metadata": "x"}]},
    {"events": [{"event": "user", "parse_data": {"intent": {"confidence": "high"}}}]},
    {"events": [{"event": "action", "name": "x", "hide_rule_turn": "yes"}]},
    {"events": [{"event": "entities"}]},
    {
        "events": [
            {"event": "slot", "name": "a", "value": 1},
            {"event": "followup"},
            {"event": "user", "text": 5},
        ]
    },
    {"events": "slot"},
    {"responses": ["text"]},
    {"responses": [{"text": "a"}], "events": None},
    [],
    "events",
]


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    """Both answers to every reply and every event name, from one Rasa process."""
    env = {"PYTHONPATH": str(REPO), "SERVICEDESK_RELAY_SECRET": "x" * 40, "PATH": "/usr/bin"}
    run = subprocess.run(
        [str(rasa_env() / "bin" / "python"), "-c", SCRIPT],
        input=json.dumps(REPLIES), capture_output=True, text=True, env=env, cwd=REPO,
        timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    found: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return found


def test_the_compiled_check_accepts_and_rejects_what_rasas_own_does(result: dict[str, Any]) -> None:
    assert result["replaced"] is True
    assert result["compiled"] == result["stock"]
    kinds = [outcome[0] for outcome in result["stock"]]
    assert kinds[:3] == ["ok", "ok", "ok"]
    assert all(kind == "ValidationError" for kind in kinds[3:]), result["stock"]


def test_event_classes_come_from_the_table_as_rasa_finds_them(result: dict[str, Any]) -> None:
    assert result["names"] > 20
    assert result["classes"] == result["stock_classes"]
    found = {entry[0]: entry[1] for entry in result["classes"] if len(entry) == 2}
    assert found["slot"] == "SlotSet" and found["topic"] is None
    assert found["no_such"] == "SlotSet"  # the default, when given
    assert ["no_such", "ValueError", "Unknown event name 'no_such'."] in result["classes"]
