"""A personnummer in the web chat is masked before Rasa, the thread or the profile see it,
and the person is told so once per conversation."""

from __future__ import annotations

from http.server import ThreadingHTTPServer

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from servicedesk.feedback.store import record_answer
from servicedesk.models import Agent, Feedback, Message, Requester
from servicedesk.privacy import MASK, NOTICE
from servicedesk.relay import start_takeover
from tests.integration.servicedesk.test_api import DeskClient, _client
from tests.integration.servicedesk.test_desk import _service, _ticket

PNR = "811218-9876"
SAMORDNING = "19701063-2391"


@pytest.fixture
def client(db_url: str, fake_rasa: ThreadingHTTPServer) -> DeskClient:
    """A browser-like desk client wired to the stand-in Rasa."""
    return _client(db_url, f"http://127.0.0.1:{fake_rasa.server_port}")


def _texts(response_json: list[dict[str, object]]) -> list[object]:
    return [m["text"] for m in response_json]


def test_rasa_gets_the_message_masked_and_the_person_is_told_once(
    client: DeskClient, fake_rasa: ThreadingHTTPServer
) -> None:
    first = client.post("/api/chat", json={"message": f"boka möbler, mitt pnr är {PNR}"})
    assert first.status_code == 200
    assert _texts(first.json())[0] == NOTICE
    second = client.post("/api/chat", json={"message": f"och hennes är {SAMORDNING}"})
    assert NOTICE not in _texts(second.json())
    third = client.post("/api/chat", json={"message": "ring 070-123 45 67 om SD-2026-00012"})
    assert NOTICE not in _texts(third.json())
    sent = [body["message"] for body in fake_rasa.received]  # type: ignore[attr-defined]
    assert sent == [
        f"boka möbler, mitt pnr är {MASK}",
        f"och hennes är {MASK}",
        "ring 070-123 45 67 om SD-2026-00012",
    ]


def test_a_message_without_a_number_gets_no_notice(client: DeskClient) -> None:
    answer = client.post("/api/chat", json={"message": "fika till 15 på tisdag 2026-12-01"})
    assert NOTICE not in _texts(answer.json())


def test_after_restart_the_notice_is_given_again(client: DeskClient) -> None:
    assert _texts(client.post("/api/chat", json={"message": PNR}).json())[0] == NOTICE
    assert client.post("/api/chat/restart").status_code == 200
    assert _texts(client.post("/api/chat", json={"message": PNR}).json())[0] == NOTICE


def test_during_a_takeover_the_thread_keeps_the_masked_text(
    client: DeskClient, session: Session, fake_rasa: ThreadingHTTPServer
) -> None:
    client.post("/api/chat", json={"message": "hej"})
    person = session.scalars(
        select(Requester).where(Requester.external_id == client.web_person_id)
    ).one()
    _service(session, "IT-01", "IT")
    ticket = _ticket(session, person, escalated=True)
    agent = Agent(username="eva", token_hash="x" * 64)
    session.add(agent)
    start_takeover(session=session, ticket=ticket, agent=agent)
    session.commit()
    fake_rasa.received.clear()  # type: ignore[attr-defined]

    held = client.post("/api/chat", json={"message": f"mitt personnummer: {PNR}"})
    assert held.headers["X-Handled-By"] == "desk"
    assert _texts(held.json()) == [NOTICE]
    assert fake_rasa.received == []  # type: ignore[attr-defined]
    session.expire_all()
    kept = session.scalars(select(Message.text).where(Message.author == "person")).all()
    assert kept == [f"mitt personnummer: {MASK}"]


def test_the_profile_name_never_keeps_a_personnummer(client: DeskClient, session: Session) -> None:
    saved = client.put("/api/chat/profile", json={"name": f"Anna {PNR}"})
    assert saved.status_code == 200
    session.expire_all()
    names = session.scalars(select(Requester.name)).all()
    assert names == [f"Anna {MASK}"]


def test_a_feedback_comment_is_stored_masked(session: Session) -> None:
    person = Requester(channel="web", external_id="w1", name="Kim")
    session.add(person)
    _service(session, "IT-01", "IT")
    session.commit()
    ticket = _ticket(session, person)
    feedback = Feedback(ticket_id=ticket.id, requester_id=person.id, status="invited")
    session.add(feedback)
    session.flush()
    answer = record_answer(
        session=session, feedback=feedback, question="comment", text=f"Bra! Mitt pnr {PNR}"
    )
    session.commit()
    assert answer.text == f"Bra! Mitt pnr {MASK}"
    assert feedback.comment == f"Bra! Mitt pnr {MASK}"
