"""The desk API: authentication, ticket queue and detail, chat relay, health, web chat page."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.orm import Session

from servicedesk import tickets
from servicedesk.agents import create_agent
from servicedesk.api import create_app, web_identity
from servicedesk.api.chat import UNAVAILABLE_DETAIL
from servicedesk.models import Agent, Requester, TicketKind, TicketState
from servicedesk.settings import Settings

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


class DeskClient:
    """A small synchronous client that drives the ASGI app through httpx.ASGITransport.

    By default it keeps the cookies the desk sets, as a browser does, so the web chat's
    identity cookie follows it from one request to the next; with ``keep_cookies=False``
    every request carries only the cookies it names (several browsers in one test).
    """

    def __init__(
        self, app: FastAPI, base_url: str = "http://desk", *, keep_cookies: bool = True
    ) -> None:
        self.app = app
        self.base_url = base_url
        self.keep_cookies = keep_cookies
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send one request to the app and return the response."""

        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url=self.base_url, cookies=self.cookies
            ) as client:
                return await client.request(method, url, **kwargs)

        response = asyncio.run(send())
        if self.keep_cookies:
            self.cookies.update(response.cookies.items())
        return response

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """GET ``url``."""
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """POST to ``url``."""
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        """PUT to ``url``."""
        return self.request("PUT", url, **kwargs)

    def as_web_person(self, person_id: str) -> DeskClient:
        """Hold the desk's own identity cookie for web chat person ``person_id``."""
        self.cookies[web_identity.COOKIE_NAME] = web_identity.cookie_value(
            self.app.state.settings.secret_key, person_id
        )
        return self

    @property
    def web_person_id(self) -> str | None:
        """The web chat person the client's identity cookie names, if any."""
        return web_identity.person_from_cookie(
            self.app.state.settings.secret_key, self.cookies.get(web_identity.COOKIE_NAME)
        )


def _client(db_url: str, backend_url: str, *, keep_cookies: bool = True) -> DeskClient:
    settings = Settings(
        environment="test",
        database_url=db_url,
        rasa_url=backend_url,
        action_server_url=backend_url,
        http_timeout_seconds=3,
    )
    return DeskClient(create_app(settings), keep_cookies=keep_cookies)


@pytest.fixture
def client(db_url: str, fake_rasa: ThreadingHTTPServer) -> DeskClient:
    """A client of the desk wired to the fake Rasa and action server."""
    return _client(db_url, f"http://127.0.0.1:{fake_rasa.server_port}")


@pytest.fixture
def offline_client(db_url: str, closed_port: int) -> DeskClient:
    """A client of the desk whose Rasa and action server are down."""
    return _client(db_url, f"http://127.0.0.1:{closed_port}")


@pytest.fixture
def auth(session: Session) -> dict[str, str]:
    """Authorization header of a fresh agent."""
    _agent, token = create_agent(session=session, username="eva", display_name="Eva Ek")
    session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def opened(session: Session, requester: Requester) -> list[str]:
    """Two tickets, the newer one escalated; their numbers newest first."""
    first, _ = tickets.create_ticket(
        session=session, requester=requester, kind=TicketKind.ORDER, channel="rest",
        conversation_id="c1", details={"antal": 3}, now=NOW,
    )  # fmt: skip
    second, _ = tickets.create_ticket(
        session=session, requester=requester, kind=TicketKind.FAULT, channel="rest",
        conversation_id="c2", transcript=[{"from": "user", "text": "hjälp"}],
        now=NOW.replace(hour=10),
    )  # fmt: skip
    tickets.escalate(session=session, ticket=second, reason="human_handoff", actor="bot")
    session.commit()
    return [second.number, first.number]


@pytest.mark.parametrize("header", [None, "Bearer not-a-real-token", "Basic abc"])
def test_ticket_api_refuses_missing_or_unknown_tokens(
    client: DeskClient, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/tickets", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_inactive_agents_are_refused(
    client: DeskClient, session: Session, auth: dict[str, str]
) -> None:
    session.execute(update(Agent).values(active=False))
    session.commit()
    assert client.get("/api/tickets", headers=auth).status_code == 401


def test_list_tickets_newest_first_with_filters(
    client: DeskClient, auth: dict[str, str], opened: list[str]
) -> None:
    listed = client.get("/api/tickets", headers=auth).json()
    assert [t["number"] for t in listed] == opened
    assert listed[0]["created_at"].endswith("+00:00") or listed[0]["created_at"].endswith("Z")
    escalated = client.get("/api/tickets", params={"escalated": "true"}, headers=auth).json()
    assert [t["number"] for t in escalated] == opened[:1]
    by_state = client.get("/api/tickets", params={"state": "pågår"}, headers=auth).json()
    assert by_state == []
    paged = client.get("/api/tickets", params={"limit": 1, "offset": 1}, headers=auth).json()
    assert [t["number"] for t in paged] == opened[1:]


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "många"}, {"state": "x"}]
)
def test_list_tickets_rejects_bad_paging_and_filters(
    client: DeskClient, auth: dict[str, str], params: dict[str, object]
) -> None:
    assert client.get("/api/tickets", params=params, headers=auth).status_code == 422


def test_ticket_detail_has_events_transcript_details_and_requester(
    client: DeskClient, auth: dict[str, str], opened: list[str]
) -> None:
    detail = client.get(f"/api/tickets/{opened[0]}", headers=auth).json()
    assert detail["state"] == TicketState.NEW.value
    assert [e["kind"] for e in detail["events"]] == ["created", "escalated"]
    assert detail["transcript"] == [{"from": "user", "text": "hjälp"}]
    assert detail["requester"] == {
        "channel": "rest", "external_id": "sender-1", "name": "Anna Andersson",
    }  # fmt: skip
    other = client.get(f"/api/tickets/{opened[1]}", headers=auth).json()
    assert other["details"] == {"antal": 3}


def test_unknown_ticket_is_404_in_swedish(client: DeskClient, auth: dict[str, str]) -> None:
    response = client.get("/api/tickets/SD-1999-00001", headers=auth)
    assert response.status_code == 404
    assert response.json()["detail"] == "Ärendet SD-1999-00001 finns inte."


def test_chat_relays_to_rasa_and_returns_texts_and_buttons(
    client: DeskClient, fake_rasa: ThreadingHTTPServer
) -> None:
    response = client.post("/api/chat", json={"message": "  boka möbler "})
    assert response.status_code == 200
    assert response.json() == [
        {"text": "Du skrev:\nboka möbler", "buttons": []},
        {
            "text": "Stämmer det?",
            "buttons": [
                {"title": "Ja", "payload": "/affirm"},
                {"title": "Nej", "payload": "/deny"},
            ],
        },
    ]
    person = client.web_person_id
    assert person is not None
    assert fake_rasa.received == [{"sender": f"web:{person}", "message": "boka möbler"}]  # type: ignore[attr-defined]


@pytest.mark.parametrize("message", ["", "   ", "x" * 2001])
def test_chat_rejects_empty_or_too_long_messages(client: DeskClient, message: str) -> None:
    assert client.post("/api/chat", json={"message": message}).status_code == 422


def test_chat_answers_503_in_swedish_when_rasa_is_down(offline_client: DeskClient) -> None:
    response = offline_client.post("/api/chat", json={"message": "hej"})
    assert response.status_code == 503
    assert response.json() == {
        "detail": "Assistenten går inte att nå just nu. Försök igen om en liten stund."
    }
    assert response.json()["detail"] == UNAVAILABLE_DETAIL


def test_health_is_ok_when_everything_answers(client: DeskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok", "rasa": "ok", "action_server": "ok", "rasa_nlu": "ok",
            "rasa_core": "ok",
        },
    }  # fmt: skip


def test_health_is_503_with_each_check_when_rasa_is_down(offline_client: DeskClient) -> None:
    response = offline_client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["rasa"].startswith("unreachable")
    assert body["checks"]["rasa_nlu"].startswith("unreachable")
    assert body["checks"]["rasa_core"].startswith("unreachable")
    assert body["checks"]["action_server"].startswith("unreachable")


def test_web_chat_page_is_swedish_and_self_contained(client: DeskClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assets = [page.text]
    for path in ("/static/webchat.js", "/static/webchat.css"):
        asset = client.get(path)
        assert asset.status_code == 200
        assets.append(asset.text)
    assert not any("//cdn" in a or 'src="http' in a or 'href="http' in a for a in assets)
    assert "/api/chat" in assets[1]
    # Who the person is, the desk says (its cookie); the page neither makes nor sends an id.
    assert "sender" not in assets[1]
    assert "localStorage" not in assets[1]
