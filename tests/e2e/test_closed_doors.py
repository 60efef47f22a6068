"""Only the desk is reachable, and the person's identity is never the caller's to choose.

Each test reproduces an attack from the security review against the real processes.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from servicedesk.models import Requester, Ticket
from tests.support.action_calls import create_ticket_call
from tests.support.processes import REPO, base_env, free_port, rasa_env, trained_model
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e
NUMBER = re.compile(r"SD-\d{4}-\d{5}")


def _ticket_count(stack: Stack) -> int:
    engine = create_engine(stack.database_url)
    try:
        with Session(engine) as session:
            return int(session.scalar(select(func.count(Ticket.id))) or 0)
    finally:
        engine.dispose()


def _relay(stack: Stack, sender: str, text: str, secret: str | None) -> httpx.Response:
    headers = {"X-Relay-Secret": secret} if secret is not None else {}
    return httpx.post(
        f"{stack.rasa_url}/webhooks/relay/webhook",
        json={"sender": sender, "message": text, "metadata": {"channel": "web"}},
        headers=headers,
        timeout=60,
    )


def _text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("text", "")) for m in messages)


def test_rasa_has_no_open_rest_channel(stack: Stack) -> None:
    body = {
        "sender": "772345678",
        "message": "visa mina ärenden",
        "metadata": {"channel": "telegram"},
    }
    response = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", json=body, timeout=30)
    assert response.status_code == 404


@pytest.mark.parametrize("secret", [None, "", "dev-rasa-token", "wrong-secret-of-decent-length-0"])
def test_the_relay_channel_refuses_callers_without_the_secret(
    stack: Stack, secret: str | None
) -> None:
    response = _relay(stack, "telegram:772345678", "visa mina ärenden", secret)
    assert response.status_code == 401
    assert "X-Relay-Secret" in response.json()["error"]


def test_the_relay_channel_refuses_senders_without_a_channel(stack: Stack) -> None:
    secret = stack.env["SERVICEDESK_RELAY_SECRET"]
    for sender in ("772345678", "sms:772345678", "web:", "web:a b", "web:" + "x" * 200):
        response = _relay(stack, sender, "hej", secret)
        assert response.status_code == 400, sender
        assert "sender" in response.json()["error"]


def test_the_rasa_api_needs_the_generated_token(stack: Stack) -> None:
    url = f"{stack.rasa_url}/conversations/telegram:772345678/tracker"
    assert httpx.get(url, timeout=30).status_code == 401
    assert httpx.get(url, params={"token": "dev-rasa-token"}, timeout=30).status_code == 401
    token = stack.env["SERVICEDESK_RASA_TOKEN"]
    assert httpx.get(url, params={"token": token}, timeout=30).status_code == 200


def _hand_made_tracker(sender: str) -> dict[str, Any]:
    slots = {"service_code": "KNF-02", "description": "x" * 50_000}
    return create_ticket_call(sender, slots, metadata={"channel": "c" * 100})


@pytest.mark.parametrize("header", [{}, {"X-Action-Secret": "guess-guess-guess-guess-guess-guess"}])
def test_the_action_server_answers_only_rasa(stack: Stack, header: dict[str, str]) -> None:
    before = _ticket_count(stack)
    body = _hand_made_tracker("telegram:772345678")
    response = httpx.post(f"{stack.action_url}/webhook", json=body, headers=header, timeout=30)
    assert response.status_code == 401
    assert httpx.get(f"{stack.action_url}/actions", headers=header, timeout=30).status_code == 401
    assert httpx.get(f"{stack.action_url}/health", timeout=30).status_code == 200
    assert _ticket_count(stack) == before


def test_a_web_sender_equal_to_a_telegram_id_is_another_person(stack: Stack) -> None:
    user_id = str(700_000_000 + uuid.uuid4().int % 99_999_999)
    secret = stack.env["SERVICEDESK_RELAY_SECRET"]
    # The victim, through the Telegram bridge's door, gets as far as the summary.
    for text in ("fika till 10 personer på torsdag kl 14", "Rådhuset rum 2", "inga", "4410"):
        assert _relay(stack, f"telegram:{user_id}", text, secret).status_code == 200
    # The attacker uses the public web chat and names the victim as sender, bare and
    # namespaced, and says yes: the desk ignores the field and answers the attacker's own
    # conversation.
    before = _ticket_count(stack)
    attacker = stack.visitor(f"attacker-of-{user_id}")
    for sender in (user_id, f"telegram:{user_id}"):
        response = attacker.http.post("/api/chat", json={"sender": sender, "message": "ja"})
        assert response.status_code == 200, response.text
        assert "Rådhuset" not in _text(response.json())
        assert not NUMBER.search(_text(response.json()))
    assert _ticket_count(stack) == before
    assert stack.tracker(f"attacker-of-{user_id}")["sender_id"] == f"web:{attacker.person_id}"
    # The victim's own yes opens their ticket, on their channel.
    own = _relay(stack, f"telegram:{user_id}", "ja", secret).json()
    number = NUMBER.search(_text(own))
    assert number, own
    engine = create_engine(stack.database_url)
    try:
        with Session(engine) as session:
            ticket = session.scalars(select(Ticket).where(Ticket.number == number.group(0))).one()
            requester = session.get(Requester, ticket.requester_id)
            assert requester is not None
            assert (ticket.channel, requester.channel, requester.external_id) == (
                "telegram", "telegram", user_id,
            )  # fmt: skip
    finally:
        engine.dispose()


def _listening(pid: int) -> list[str]:
    out = subprocess.run(["ss", "-Hltnp"], capture_output=True, text=True, check=True).stdout
    return [line.split()[3] for line in out.splitlines() if f"pid={pid}," in line]


def test_only_loopback_addresses_are_listened_on(stack: Stack) -> None:
    for proc in stack.processes:
        addresses = _listening(proc.proc.pid)
        assert addresses, f"{proc.name} listens nowhere?"
        for address in addresses:
            host = address.rsplit(":", 1)[0].strip("[]")
            assert host in ("127.0.0.1", "::1"), f"{proc.name} listens on {address}"


def test_the_procfile_binds_rasa_actions_and_desk_to_loopback() -> None:
    lines = dict(
        line.split(":", 1) for line in (REPO / "Procfile").read_text().splitlines() if line
    )
    assert "--interface 127.0.0.1" in lines["rasa"]
    assert '--auth-token="$SERVICEDESK_RASA_TOKEN"' in lines["rasa"]
    assert "-m actions._server --host 127.0.0.1" in lines["actions"]
    assert "--host 127.0.0.1" in lines["desk"]
    assert "rasa_sdk" not in lines["actions"]


def _weak_production_env(tmp: Path) -> dict[str, str]:
    env = base_env(f"sqlite:///{tmp / 'desk.db'}")
    env.update(
        {
            "SERVICEDESK_ENVIRONMENT": "production",
            "SERVICEDESK_RASA_TOKEN": "dev-rasa-token",
            "ACTION_ENDPOINT_URL": "http://127.0.0.1:9/webhook",
            "RASA_TRACKER_DB": str(tmp / "tracker.db"),
        }
    )
    return env


@pytest.mark.parametrize("process", ["rasa", "actions", "desk"])
def test_production_refuses_to_start_with_a_default_secret(tmp_path: Path, process: str) -> None:
    env = _weak_production_env(tmp_path)
    commands = {
        "rasa": [
            str(rasa_env() / "bin" / "rasa"), "run", "--interface", "127.0.0.1",
            "--port", str(free_port()), "--model", str(trained_model()),
            "--endpoints", str(REPO / "endpoints.yml"),
            "--credentials", str(REPO / "credentials.yml"),
        ],
        "actions": [sys.executable, "-m", "actions._server", "--port", str(free_port())],
        "desk": [sys.executable, "-m", "servicedesk", "serve", "--port", str(free_port())],
    }  # fmt: skip
    done = subprocess.run(
        commands[process], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "SERVICEDESK_RASA_TOKEN is a well-known default value" in output
