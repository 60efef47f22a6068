"""The compiled check of custom action replies is as strict as Rasa's own (Rasa process).

Runs in the Rasa environment: every reply below goes through Rasa 3.6's stock
``RemoteAction._validate_action_result`` and then through the one
:func:`bot.rasa_speedups.install` puts in its place; both must accept and reject the same
replies, with the same message, and the channel Rasa loads must install it.
"""

from __future__ import annotations

import json
import subprocess

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

stock = outcomes()
stock_function = RemoteAction._validate_action_result
import bot.rasa_channel  # the channel Rasa loads installs the compiled check
bot.rasa_channel.RelayInput.from_credentials({})
print(json.dumps({
    "stock": stock,
    "compiled": outcomes(),
    "replaced": RemoteAction._validate_action_result is not stock_function,
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
    {"events": [{"event": "slot"}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": "slot"},
    {"responses": ["text"]},
    [],
]


def test_the_compiled_check_accepts_and_rejects_what_rasas_own_does() -> None:
    env = {"PYTHONPATH": str(REPO), "SERVICEDESK_RELAY_SECRET": "x" * 40, "PATH": "/usr/bin"}
    run = subprocess.run(
        [str(rasa_env() / "bin" / "python"), "-c", SCRIPT],
        input=json.dumps(REPLIES), capture_output=True, text=True, env=env, cwd=REPO,
        timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["replaced"] is True
    assert result["compiled"] == result["stock"]
    kinds = [outcome[0] for outcome in result["stock"]]
    assert kinds[:2] == ["ok", "ok"]
    assert all(kind == "ValidationError" for kind in kinds[2:]), result["stock"]
