"""The web chat's history after a reload, "Börja om", and the refusal of over-long messages.

Rasa is a stand-in HTTP server here: it serves one tracker (Rasa's HTTP API) and records
what reaches its relay channel; the desk's own messages are real rows in the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy.orm import Session

from servicedesk import relay
from servicedesk.api import create_app
from servicedesk.api.chat import HISTORY_UNAVAILABLE_DETAIL, UNAVAILABLE_DETAIL
from servicedesk.requesters import get_or_create_requester
from servicedesk.settings import Settings
from tests.integration.servicedesk.test_api import DeskClient
from tests.support.http_server import JsonHandler, serve_http

TOKEN = "tracker-token"
#: The web chat person of these tests (the desk's identity cookie names them).
PERSON = "abcabcabcabcabcabcabcabcabcabcab"
T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)


def _at(seconds: float) -> float:
    return (T0 + timedelta(seconds=seconds)).timestamp()


YES_NO = [{"title": "Ja", "payload": "/affirm"}, {"title": "Nej", "payload": "/deny"}]
#: The conversation of ``web:<PERSON>`` since its last restart, as Rasa's tracker lists it.
EVENTS: list[dict[str, Any]] = [
    {"event": "action", "name": "action_session_start", "timestamp": _at(0)},
    {"event": "session_started", "timestamp": _at(0)},
    {"event": "action", "name": "action_listen", "timestamp": _at(0)},
    {"event": "user", "text": "boka konferensrum", "timestamp": _at(10)},
    {"event": "action", "name": "action_match_service", "timestamp": _at(11)},
    {"event": "bot", "text": "Boka konferensrum (Konferens)", "data": {}, "timestamp": _at(11)},
    {"event": "slot", "name": "date", "value": None, "timestamp": _at(11)},
    {"event": "bot", "text": "Stämmer det här?", "data": {"buttons": YES_NO}, "timestamp": _at(12)},
    {"event": "user", "text": "/affirm", "timestamp": _at(20)},
    {"event": "bot", "text": "Klart! Ditt ärende har nummer SD-2025-00001.", "timestamp": _at(21)},
    {"event": "bot", "data": {"custom": {"kind": "ignored"}}, "timestamp": _at(21)},
    {
        "event": "bot",
        "text": "Kan jag hjälpa dig med något mer?",
        "data": {"buttons": [{"title": "Nej tack", "payload": "/deny"}]},
        "timestamp": _at(22),
    },
    {"event": "action", "name": "action_listen", "timestamp": _at(22)},
]


class _FakeRasa(JsonHandler):
    """Rasa's tracker endpoint for ``web:<PERSON>`` and its relay channel."""

    def do_GET(self) -> None:
        self.server.paths.append(self.path)  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if query.get("token") != [TOKEN]:
            self._reply(401, {"message": "User is not authenticated."})
        elif url.path == f"/conversations/web:{PERSON}/tracker":
            self._reply(200, {"sender_id": f"web:{PERSON}", "events": self.server.events})  # type: ignore[attr-defined]
        else:  # e.g. a percent-encoded id names another, empty conversation
            self._reply(200, {"sender_id": url.path, "events": []})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append(body)  # type: ignore[attr-defined]
        self._reply(200, [])


@pytest.fixture
def rasa() -> Iterator[ThreadingHTTPServer]:
    """The stand-in Rasa; ``.paths`` and ``.received`` log what it was asked."""
    with serve_http(_FakeRasa, events=EVENTS, paths=[], received=[]) as server:
        yield server


def _desk(db_url: str, rasa_url: str) -> DeskClient:
    settings = Settings(
        environment="test", database_url=db_url, rasa_url=rasa_url, action_server_url=rasa_url,
        rasa_token=TOKEN, http_timeout_seconds=3, run_jobs=False,
    )  # fmt: skip
    return DeskClient(create_app(settings)).as_web_person(PERSON)


@pytest.fixture
def client(db_url: str, rasa: ThreadingHTTPServer) -> DeskClient:
    """The desk wired to the stand-in Rasa."""
    return _desk(db_url, f"http://127.0.0.1:{rasa.server_port}")


@pytest.fixture
def offline(db_url: str, closed_port: int) -> DeskClient:
    """The desk with Rasa down."""
    return _desk(db_url, f"http://127.0.0.1:{closed_port}")


def _desk_messages(session: Session) -> dict[str, int]:
    """What the desk said to the person (and heard from them) around that conversation."""
    person = get_or_create_requester(session=session, channel="web", external_id=PERSON)
    session.flush()
    old = relay.enqueue_outbound(
        session=session, requester=person, text="Från förra konversationen",
        now=T0 - timedelta(minutes=5),
    )  # fmt: skip
    agent = relay.enqueue_outbound(
        session=session, requester=person, author="agent", text="Hej från servicedesken!",
        now=T0 + timedelta(seconds=15),
    )  # fmt: skip
    relay.pickup_for_requester(session=session, requester=person, now=T0 + timedelta(seconds=15))
    relay.record_inbound(
        session=session, requester=person, text="Tack!", now=T0 + timedelta(seconds=16)
    )
    pending = relay.enqueue_outbound(
        session=session, requester=person, text="Ännu inte hämtat",
        buttons=[{"title": "Ok", "payload": "/affirm"}], now=T0 + timedelta(seconds=30),
    )  # fmt: skip
    session.commit()
    return {"old": old.id, "agent": agent.id, "pending": pending.id}


def test_history_merges_the_tracker_and_the_desk_in_time_order(
    client: DeskClient, rasa: ThreadingHTTPServer, session: Session
) -> None:
    ids = _desk_messages(session)
    response = client.get("/api/chat/history")
    assert response.status_code == 200
    body = response.json()
    shown = [(m["role"], m["text"], [b["title"] for b in m["buttons"]]) for m in body["messages"]]
    assert shown == [
        ("user", "boka konferensrum", []),
        ("bot", "Boka konferensrum (Konferens)", []),
        ("bot", "Stämmer det här?", []),  # answered: its buttons are gone
        ("agent", "Hej från servicedesken!", []),
        ("user", "Tack!", []),
        ("user", "Ja", []),  # the button pressed, not its payload "/affirm"
        ("bot", "Klart! Ditt ärende har nummer SD-2025-00001.", []),
        ("bot", "Kan jag hjälpa dig med något mer?", ["Nej tack"]),
    ]
    assert body["messages"][-1]["buttons"] == [{"title": "Nej tack", "payload": "/deny"}]
    assert body["messages"][0]["at"] == "2025-03-14T09:00:10Z"
    # The newest desk message handed out; the page polls for what comes after it.
    assert body["last_desk_message_id"] == ids["agent"]
    # Rasa's HTTP API, with the token and the ':' of the conversation id as it is.
    assert rasa.paths == [  # type: ignore[attr-defined]
        f"/conversations/web:{PERSON}/tracker?token={TOKEN}&include_events=AFTER_RESTART"
    ]
    # Reading the history hands out nothing new: the pending message is still for the poll.
    polled = client.get("/api/chat/messages", params={"after": ids["agent"]})
    assert [m["text"] for m in polled.json()] == ["Ännu inte hämtat"]


def test_history_of_someone_new_is_empty(client: DeskClient) -> None:
    client.cookies.clear()  # a new browser
    response = client.get("/api/chat/history")
    assert response.status_code == 200
    assert response.json() == {"messages": [], "last_desk_message_id": 0}
    assert client.web_person_id not in (None, PERSON)


@pytest.mark.parametrize("sender", [PERSON, f"web:{PERSON}", "../tracker"])
def test_history_of_another_person_cannot_be_asked_for_by_sender(
    client: DeskClient, rasa: ThreadingHTTPServer, session: Session, sender: str
) -> None:
    _desk_messages(session)
    client.cookies.clear()  # someone else, naming the person in the query
    response = client.get("/api/chat/history", params={"sender": sender})
    assert response.status_code == 200
    assert response.json() == {"messages": [], "last_desk_message_id": 0}
    stranger = client.web_person_id
    assert rasa.paths == [  # type: ignore[attr-defined]
        f"/conversations/web:{stranger}/tracker?token={TOKEN}&include_events=AFTER_RESTART"
    ]


def test_history_is_503_in_swedish_when_rasa_is_down(offline: DeskClient) -> None:
    response = offline.get("/api/chat/history")
    assert response.status_code == 503
    assert response.json() == {"detail": HISTORY_UNAVAILABLE_DETAIL}
    assert "går inte att hämta just nu" in HISTORY_UNAVAILABLE_DETAIL


def test_history_is_503_when_rasa_refuses_the_token(db_url: str, rasa: ThreadingHTTPServer) -> None:
    settings = Settings(
        environment="test", database_url=db_url, rasa_url=f"http://127.0.0.1:{rasa.server_port}",
        rasa_token="wrong", http_timeout_seconds=3, run_jobs=False,
    )  # fmt: skip
    response = DeskClient(create_app(settings)).as_web_person(PERSON).get("/api/chat/history")
    assert response.status_code == 503
    assert "wrong" not in response.text


def test_restart_sends_rasas_restart_for_the_same_person(
    client: DeskClient, rasa: ThreadingHTTPServer
) -> None:
    response = client.post("/api/chat/restart")
    assert response.status_code == 200
    assert response.json() == []
    assert rasa.received == [{"sender": f"web:{PERSON}", "message": "/restart"}]  # type: ignore[attr-defined]
    assert client.web_person_id == PERSON


def test_restart_is_503_in_swedish_when_rasa_is_down(offline: DeskClient) -> None:
    response = offline.post("/api/chat/restart")
    assert response.status_code == 503
    assert response.json() == {"detail": UNAVAILABLE_DETAIL}


def test_an_over_long_message_is_refused_without_echoing_it(
    client: DeskClient, rasa: ThreadingHTTPServer
) -> None:
    message = "Skrivaren på plan 3 krånglar igen. " * 200  # about 7 000 characters
    response = client.post("/api/chat", json={"message": message})
    assert response.status_code == 422
    assert len(response.content) < 400
    assert "Skrivaren" not in response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "message"]
    assert error["type"] == "string_too_long"
    assert error["msg"] == "Meddelandet är för långt (högst 2 000 tecken)."
    assert error["ctx"] == {"max_length": 2000}
    assert rasa.received == []  # type: ignore[attr-defined]


def test_no_chat_error_echoes_what_was_sent(client: DeskClient) -> None:
    # A body with an error elsewhere would otherwise come back whole as the error's input.
    body = {"message_id": "not ok", "message": "hemligt " * 100}
    response = client.post("/api/chat", json=body)
    assert response.status_code == 422
    assert "hemligt" not in response.text
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "message_id"]]


def test_a_message_of_exactly_2000_characters_is_relayed(
    client: DeskClient, rasa: ThreadingHTTPServer
) -> None:
    response = client.post("/api/chat", json={"message": "å" * 2000})
    assert response.status_code == 200
    assert len(rasa.received[0]["message"]) == 2000  # type: ignore[attr-defined]
