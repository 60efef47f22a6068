"""The web chat person is who the desk's signed cookie says, through the whole stack.

A person orders through the real desk, Rasa and action server; someone else, with a forged
or tampered cookie or a sender of their choosing, gets a fresh identity and reaches none of
that person's tickets, conversation or messages. "Börja om" keeps the tickets, and the
name and förvaltning given in the form stay what they were, whatever a message says.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from servicedesk.api.web_identity import COOKIE_NAME, cookie_value, person_from_cookie
from servicedesk.models import Requester, Ticket
from tests.support.stack import Stack, default_answer

pytestmark = pytest.mark.e2e
NUMBER = re.compile(r"SD-\d{4}-\d{5}")


def _text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("text", "")) for m in messages)


def _order(stack: Stack, name: str) -> str:
    """``name`` orders fika and confirms; returns the ticket number."""
    stack.chat_through_fields(name, "fika till 6 personer på fredag kl 14")
    summary = _text(stack.chat_through_fields(name, "Rådhuset rum 7"))
    assert "Stämmer det här?" in summary, summary
    done = _text(stack.chat_through_fields(name, "ja"))
    found = NUMBER.search(done)
    assert found, done
    return found.group(0)


def _requester_of(stack: Stack, number: str) -> Requester:
    engine = create_engine(stack.database_url)
    try:
        with Session(engine) as session:
            ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
            requester = session.get(Requester, ticket.requester_id)
            assert requester is not None
            session.expunge(requester)
            return requester
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def victim(stack: Stack) -> tuple[str, str]:
    """A person with a ticket: their name in the tests and the ticket number."""
    name = f"victim-{uuid.uuid4().hex[:8]}"
    return name, _order(stack, name)


def _forgeries(stack: Stack, victim_id: str) -> dict[str, str]:
    secret = stack.env["SERVICEDESK_SECRET_KEY"]
    genuine = cookie_value(secret, victim_id)
    someone = cookie_value(secret, uuid.uuid4().hex)
    last = genuine[-1]
    return {
        "unsigned id": victim_id,
        "another key": cookie_value("not-the-desks-key-" * 3, victim_id),
        "another person's signature": f"{victim_id}.{someone.split('.', 1)[1]}",
        "one character changed": genuine[:-1] + ("A" if last != "A" else "B"),
    }


def test_a_forged_or_tampered_cookie_reaches_nothing_of_the_person(
    stack: Stack, victim: tuple[str, str]
) -> None:
    name, number = victim
    victim_id = stack.web_id(name)
    secret = stack.env["SERVICEDESK_SECRET_KEY"]
    for kind, forged in _forgeries(stack, victim_id).items():
        with httpx.Client(base_url=stack.desk_url, timeout=60) as attacker:
            attacker.cookies.set(COOKIE_NAME, forged)
            history = attacker.get("/api/chat/history", params={"sender": victim_id})
            assert history.status_code == 200, (kind, history.text)
            assert history.json()["messages"] == [], kind
            issued = person_from_cookie(secret, history.cookies.get(COOKIE_NAME))
            assert issued is not None and issued != victim_id, kind  # a fresh identity
            assert attacker.get("/api/chat/messages", params={"after": 0}).json() == [], kind
            listed = attacker.post("/api/chat", json={"message": "visa mina ärenden"})
            assert listed.status_code == 200, kind
            assert number not in _text(listed.json()), kind
            cancelled = attacker.post("/api/chat", json={"message": f"makulera {number}"})
            assert "makulerat" not in _text(cancelled.json()).lower(), kind
    # The person still has their ticket, untouched.
    assert number in _text(stack.chat(name, "visa mina ärenden"))
    assert stack.api(f"/api/tickets/{number}").json()["state"] == "ny"


def test_a_sender_in_the_request_never_names_another_person(
    stack: Stack, victim: tuple[str, str]
) -> None:
    name, number = victim
    victim_id = stack.web_id(name)
    attacker = stack.visitor(f"attacker-{uuid.uuid4().hex[:8]}")
    for sender in (victim_id, f"web:{victim_id}"):
        listed = attacker.http.post(
            "/api/chat", json={"sender": sender, "message": "visa mina ärenden"}
        )
        assert listed.status_code == 200
        assert number not in _text(listed.json())
        history = attacker.http.get("/api/chat/history", params={"sender": sender}).json()
        assert "fika" not in _text(history["messages"])
    assert attacker.person_id != victim_id


def test_restart_starts_afresh_for_the_same_person_with_their_tickets(stack: Stack) -> None:
    name = f"restart-{uuid.uuid4().hex[:8]}"
    person = stack.visitor(name)
    number = _order(stack, name)
    before = person.person_id
    restarted = person.http.post("/api/chat/restart")
    assert restarted.status_code == 200
    assert person.person_id == before
    assert person.http.get("/api/chat/history").json()["messages"] == []
    assert number in _text(stack.chat(name, "visa mina ärenden"))
    assert _requester_of(stack, number).external_id == before


def test_name_and_forvaltning_are_asked_once_and_no_message_overwrites_them(
    stack: Stack,
) -> None:
    name = f"profile-{uuid.uuid4().hex[:8]}"
    person = stack.visitor(name)
    assert person.http.get("/api/chat/profile").json()["saved"] is False
    saved = person.http.put("/api/chat/profile", json={"name": "Maja Lind", "department": "KLK"})
    assert saved.json()["department_name"] == "Kommunledningskontoret"

    # An older page (or a hand-made request) sends other values with each message.
    def say(text: str) -> str:
        body = {"message": text, "name": "Mallory", "department": "SOC"}
        sent = person.http.post("/api/chat", json=body)
        assert sent.status_code == 200, sent.text
        return _text(sent.json())

    def say_and_answer_fields(text: str) -> str:
        reply = say(text)
        for _ in range(8):
            slot = stack.requested_slot(name)
            if not slot or not slot.startswith("field_"):
                break
            reply = say(default_answer(stack.defined_field(name, slot)))
        return reply

    say_and_answer_fields("fika till 6 personer på fredag kl 14")
    summary = say_and_answer_fields("Rådhuset rum 7")
    assert "Stämmer det här?" in summary, summary
    done = say("ja")
    number = NUMBER.search(done)
    assert number, done
    requester = _requester_of(stack, number.group(0))
    assert (requester.name, requester.department_code) == ("Maja Lind", "KLK")
    profile = person.http.get("/api/chat/profile").json()
    assert (profile["name"], profile["department"], profile["saved"]) == ("Maja Lind", "KLK", True)
