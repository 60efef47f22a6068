"""Calls to the action server reuse their connection (:mod:`bot.rasa_speedups`, Rasa process).

Runs in the Rasa environment against a real aiohttp server on a free port: Rasa 3.6's
``EndpointConfig.request`` is called as ``RemoteAction`` calls it, first stock (a new
session, so a new connection, every call), then after the channel Rasa loads has installed
the kept sessions (one connection for every call). The answers must stay Rasa's: the JSON,
``None`` for a reply that is not JSON, ``ClientResponseError`` with the status for an error,
the endpoint's headers on every call; a connection the server closes is replaced, and after
:func:`bot.rasa_speedups.close_kept_sessions` the next call opens a new session.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from tests.support.processes import REPO, rasa_env

SCRIPT = r"""
import asyncio, json
from aiohttp import web

seen = []

async def handle(request):
    peer = request.transport.get_extra_info("peername")[1]
    seen.append({"path": request.path, "peer": peer,
                 "secret": request.headers.get("X-Action-Secret")})
    if request.path == "/fail":
        return web.Response(status=500, text="broken")
    if request.path == "/text":
        return web.Response(text="not json")
    if request.path == "/close":
        return web.json_response({"closed": True}, headers={"Connection": "close"})
    body = await request.json()
    return web.json_response({"echo": body})

async def calls(endpoint):
    from rasa.utils.endpoints import ClientResponseError
    found = []
    for n in range(3):
        found.append(await endpoint.request(method="post", subpath="webhook", json={"n": n},
                                            timeout=10))
    found.append(await endpoint.request(method="post", subpath="text", json={}))
    try:
        await endpoint.request(method="post", subpath="fail", json={})
        found.append("no error")
    except ClientResponseError as error:
        found.append(["ClientResponseError", error.status])
    found.append(await endpoint.request(method="post", subpath="close", json={}))
    found.append(await endpoint.request(method="post", subpath="webhook", json={"n": 9}))
    return found

async def main():
    app = web.Application()
    app.router.add_route("POST", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    from rasa.utils.endpoints import EndpointConfig
    url = f"http://127.0.0.1:{port}"
    headers = {"X-Action-Secret": "s3cret"}
    out = {}
    out["stock"] = await calls(EndpointConfig(url, headers=headers))
    out["stock_seen"] = list(seen); seen.clear()
    import bot.rasa_channel
    bot.rasa_channel.RelayInput.from_credentials({})
    from bot import rasa_speedups
    endpoint = EndpointConfig(url, headers=headers)
    out["kept"] = await calls(endpoint)
    out["kept_seen"] = list(seen); seen.clear()
    await rasa_speedups.close_kept_sessions()
    out["after_close"] = await endpoint.request(method="post", subpath="webhook", json={"n": 1})
    out["after_close_seen"] = list(seen)
    await rasa_speedups.close_kept_sessions()
    await runner.cleanup()
    print(json.dumps(out))

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    """The same calls, stock and with kept sessions, from one Rasa-environment process."""
    env = {"PYTHONPATH": str(REPO), "SERVICEDESK_RELAY_SECRET": "x" * 40, "PATH": "/usr/bin"}
    run = subprocess.run(
        [str(rasa_env() / "bin" / "python"), "-c", SCRIPT],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    found: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return found


def _peers(seen: list[dict[str, Any]], upto: int) -> set[int]:
    return {call["peer"] for call in seen[:upto]}


def test_the_answers_are_rasas_own(result: dict[str, Any]) -> None:
    expected = [
        {"echo": {"n": 0}}, {"echo": {"n": 1}}, {"echo": {"n": 2}}, None,
        ["ClientResponseError", 500], {"closed": True}, {"echo": {"n": 9}},
    ]  # fmt: skip
    assert result["stock"] == expected
    assert result["kept"] == expected
    assert result["after_close"] == {"echo": {"n": 1}}


def test_stock_rasa_opens_a_connection_per_call_and_kept_sessions_one(
    result: dict[str, Any],
) -> None:
    # Six calls before the server closes the connection: six connections stock, one kept.
    assert len(_peers(result["stock_seen"], 6)) == 6
    assert len(_peers(result["kept_seen"], 6)) == 1


def test_every_call_carries_the_endpoints_headers(result: dict[str, Any]) -> None:
    for key in ("stock_seen", "kept_seen", "after_close_seen"):
        assert [call["secret"] for call in result[key]] == ["s3cret"] * len(result[key])
    assert len(result["kept_seen"]) == 7


def test_a_connection_the_server_closes_is_replaced(result: dict[str, Any]) -> None:
    kept = result["kept_seen"]
    assert kept[5]["path"] == "/close"
    assert kept[6]["peer"] not in _peers(kept, 6)
    assert result["after_close_seen"][0]["peer"] != kept[6]["peer"]
