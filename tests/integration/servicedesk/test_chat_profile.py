"""Name and förvaltning: asked once, kept by the desk, never changed by a chat message."""

from __future__ import annotations

from http.server import ThreadingHTTPServer

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from servicedesk.models import Department, Requester
from tests.integration.servicedesk.test_api import DeskClient, _client


@pytest.fixture
def client(db_url: str, fake_rasa: ThreadingHTTPServer, session: Session) -> DeskClient:
    """A browser-like desk client; two förvaltningar exist."""
    session.add_all(
        [
            Department(code="KLK", name="Kommunledningskontoret"),
            Department(code="SOC", name="Socialförvaltningen"),
        ]
    )
    session.commit()
    return _client(db_url, f"http://127.0.0.1:{fake_rasa.server_port}")


def _stored(session: Session, client: DeskClient) -> tuple[str | None, str | None]:
    session.expire_all()
    person = session.scalars(
        select(Requester).where(
            Requester.channel == "web", Requester.external_id == client.web_person_id
        )
    ).one()
    return person.name, person.department_code


def test_a_new_person_is_asked_and_the_answer_is_kept(client: DeskClient, session: Session) -> None:
    assert client.get("/api/chat/departments").json() == [
        {"code": "KLK", "name": "Kommunledningskontoret"},
        {"code": "SOC", "name": "Socialförvaltningen"},
    ]
    fresh = client.get("/api/chat/profile").json()
    assert fresh == {
        "name": None, "department": None, "department_name": None, "saved": False,
        "signed_in": False,
    }  # fmt: skip
    saved = client.put("/api/chat/profile", json={"name": " Sam Ek ", "department": "KLK"})
    assert saved.status_code == 200
    assert saved.json() == {
        "name": "Sam Ek",
        "department": "KLK",
        "department_name": "Kommunledningskontoret",
        "saved": True,
        "signed_in": False,
    }
    assert client.get("/api/chat/profile").json() == saved.json()
    assert _stored(session, client) == ("Sam Ek", "KLK")


def test_a_chat_message_cannot_overwrite_name_or_forvaltning(
    client: DeskClient, session: Session
) -> None:
    client.put("/api/chat/profile", json={"name": "Sam Ek", "department": "KLK"})
    for body in (
        {"message": "hej", "name": "Någon Annan", "department": "SOC"},
        {"message": "hej", "name": "", "department": "NOPE"},
    ):
        assert client.post("/api/chat", json=body).status_code == 200
    assert _stored(session, client) == ("Sam Ek", "KLK")
    assert client.get("/api/chat/profile").json()["name"] == "Sam Ek"


def test_the_form_refuses_an_unknown_forvaltning_and_keeps_the_old_answer(
    client: DeskClient, session: Session
) -> None:
    client.put("/api/chat/profile", json={"name": "Sam Ek", "department": "KLK"})
    bad = client.put("/api/chat/profile", json={"name": "Sam Ek", "department": "NOPE"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "department"]
    assert _stored(session, client) == ("Sam Ek", "KLK")


def test_skipping_the_form_is_remembered_and_changing_it_later_is_the_persons_choice(
    client: DeskClient, session: Session
) -> None:
    skipped = client.put("/api/chat/profile", json={})
    assert skipped.json() == {
        "name": None, "department": None, "department_name": None, "saved": True,
        "signed_in": False,
    }  # fmt: skip
    changed = client.put("/api/chat/profile", json={"name": "Sam Ek", "department": "SOC"})
    assert changed.json()["department_name"] == "Socialförvaltningen"
    assert _stored(session, client) == ("Sam Ek", "SOC")


def test_each_person_has_their_own_profile(db_url: str, client: DeskClient) -> None:
    client.put("/api/chat/profile", json={"name": "Sam Ek", "department": "KLK"})
    other = DeskClient(client.app)  # another browser: no cookie yet
    assert other.get("/api/chat/profile").json()["saved"] is False
    assert other.web_person_id not in (None, client.web_person_id)
