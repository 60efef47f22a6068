"""Hostile input answers 4xx with a clear reason on SQLite and PostgreSQL, never 500.

NUL (U+0000) cannot be stored by PostgreSQL and a lone surrogate cannot be encoded by any
driver; out-of-range numbers and dates overflow SQLite, PostgreSQL and ``datetime``;
non-finite JSON numbers cannot be written back; and a rejected input of megabytes must
not be echoed back in the 422 answer.
"""

from __future__ import annotations

import json
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy.orm import Session

from servicedesk.agents import create_agent
from servicedesk.models import AgentRole, Department, Requester, Ticket
from tests.integration.servicedesk.test_api import DeskClient, _client
from tests.integration.servicedesk.test_desk import _service, _ticket

NUL_MESSAGE = "NUL"


@pytest.fixture
def client(db_url: str, fake_rasa: ThreadingHTTPServer) -> DeskClient:
    """A desk client wired to the stand-in Rasa."""
    return _client(db_url, f"http://127.0.0.1:{fake_rasa.server_port}")


@pytest.fixture
def admin(session: Session) -> dict[str, str]:
    """Header of an admin."""
    _agent, token = create_agent(session=session, username="admin-a", role=AgentRole.ADMIN)
    session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def ticket(session: Session) -> Ticket:
    """An escalated IT ticket of a web requester, with a förvaltning to choose."""
    session.add(Department(code="KLK", name="Kommunledningskontoret"))
    person = Requester(channel="web", external_id="web-1", name="Kim Berg")
    session.add(person)
    _service(session, "IT-01", "IT")
    session.commit()
    return _ticket(session, person, escalated=True)


@pytest.fixture
def console_cookie(client: DeskClient, session: Session) -> dict[str, str]:
    """The console cookie of a logged-in agent."""
    _agent, token = create_agent(session=session, username="konsol")
    session.commit()
    login = client.post("/konsol/logga-in", data={"token": token, "next": "/konsol"})
    assert login.status_code == 303
    return dict(login.cookies)


def _json(text: str) -> dict[str, Any]:
    return {"content": text.encode(), "headers": {"Content-Type": "application/json"}}


# (method, url with {n} for the ticket number, request keywords, expected loc)
NUL_INPUTS: list[tuple[str, str, dict[str, Any], list[Any]]] = [
    ("POST", "/api/chat", {"json": {"message": "hej\x00"}}, ["body", "message"]),
    ("POST", "/api/chat", {"json": {"message": "hej", "message_id": "m\x001"}},
     ["body", "message_id"]),
    ("PUT", "/api/chat/profile", {"json": {"name": "Kim\x00"}}, ["body", "name"]),
    ("PUT", "/api/chat/profile", {"json": {"department": "K\x00"}}, ["body", "department"]),
    ("GET", "/api/chat/messages", {"params": {"after": "1\x00"}}, ["query", "after"]),
    ("GET", "/api/tickets", {"params": {"q": "skrivare\x00"}}, ["query", "q"]),
    ("GET", "/api/tickets", {"params": {"queue": "I\x00T"}}, ["query", "queue"]),
    ("GET", "/api/tickets", {"params": {"service": "\x00"}}, ["query", "service"]),
    ("GET", "/api/tickets", {"params": {"department": "K\x00"}}, ["query", "department"]),
    ("GET", "/api/tickets/SD-%00", {}, ["path"]),
    ("GET", "/api/stats", {"params": {"from": "2026-01-01\x00"}}, ["query", "from"]),
    ("POST", "/api/tickets/{n}/comments", {"json": {"text": "ok\x00"}}, ["body", "text"]),
    ("POST", "/api/tickets/{n}/comments", {"json": {"text": "a\x00", "internal": False}},
     ["body", "text"]),
    ("POST", "/api/tickets/{n}/messages", {"json": {"text": "\x00hej"}}, ["body", "text"]),
    ("POST", "/api/tickets/{n}/transition", {"json": {"to_state": "mottagen", "comment": "\x00"}},
     ["body", "comment"]),
    ("POST", "/api/tickets/{n}/assign", {"json": {"agent": "admin\x00-a"}}, ["body", "agent"]),
    ("POST", "/api/agents", {"json": {"username": "ny", "display_name": "N\x00"}},
     ["body", "display_name"]),
    ("POST", "/api/agents", {"json": {"username": "ny", "queues": ["IT", "\x00"]}},
     ["body", "queues", 1]),
    ("POST", "/api/agents", {"json": {"username": "ny", "x\x00": 1}}, ["body", "x\x00"]),
    ("POST", "/konsol/logga-in", {"data": {"token": "abc\x00", "next": "/konsol"}},
     ["body", "token"]),
    ("GET", "/konsol", {"params": {"q": "a\x00"}}, ["query", "q"]),
    ("GET", "/api/reports/feedback", {"params": {"group": "\x00"}}, ["query", "group"]),
]  # fmt: skip


def _refused(
    client: DeskClient, admin: dict[str, str], ticket: Ticket, method: str, url: str,
    kwargs: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    """Send the request; it must be refused with 422; return its first error."""
    headers = {**admin, **kwargs.pop("headers", {})}
    response = client.request(method, url.format(n=ticket.number), headers=headers, **kwargs)
    assert response.status_code == 422, response.text
    error: dict[str, Any] = response.json()["detail"][0]
    return error


NUL_IDS = [f"{method} {url} {loc}" for method, url, _, loc in NUL_INPUTS]


@pytest.mark.parametrize(("method", "url", "kwargs", "loc"), NUL_INPUTS, ids=NUL_IDS)
def test_nul_in_any_string_input_is_refused_with_422(
    client: DeskClient,
    admin: dict[str, str],
    ticket: Ticket,
    method: str,
    url: str,
    kwargs: dict[str, Any],
    loc: list[Any],
) -> None:
    error = _refused(client, admin, ticket, method, url, kwargs)
    assert error["loc"] == loc
    assert error["type"] == "string_nul"
    assert NUL_MESSAGE in error["msg"]


LONE_SURROGATES: list[tuple[str, str, dict[str, Any], list[Any]]] = [
    ("POST", "/api/tickets/{n}/comments", _json('{"text": "a\\ud800b"}'), ["body", "text"]),
    ("POST", "/api/tickets/{n}/messages", _json('{"text": "\\udfff"}'), ["body", "text"]),
    ("POST", "/api/chat", _json('{"message": "hej \\ud83d"}'), ["body", "message"]),
    ("POST", "/api/agents", _json('{"username": "ny", "queues": ["\\udc00"]}'),
     ["body", "queues", 0]),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url", "kwargs", "loc"), LONE_SURROGATES)
def test_lone_surrogates_in_json_are_refused_with_422(
    client: DeskClient,
    admin: dict[str, str],
    ticket: Ticket,
    method: str,
    url: str,
    kwargs: dict[str, Any],
    loc: list[Any],
) -> None:
    error = _refused(client, admin, ticket, method, url, kwargs)
    assert (error["loc"], error["type"]) == (loc, "string_surrogate")
    assert "Unicode" in error["msg"]


def test_a_proper_surrogate_pair_is_an_ordinary_character(
    client: DeskClient, admin: dict[str, str], ticket: Ticket
) -> None:
    response = client.post(
        f"/api/tickets/{ticket.number}/comments",
        content=b'{"text": "tumme upp \\ud83d\\udc4d"}',
        headers={**admin, "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["comment"] == "tumme upp \N{THUMBS UP SIGN}"


OUT_OF_RANGE: list[tuple[str, dict[str, str]]] = [
    ("/api/stats", {"from": "0001-01-01"}),
    ("/api/stats", {"to": "9999-12-31"}),
    ("/api/stats", {"from": "0001-01-01", "to": "0001-01-02"}),
    ("/api/tickets", {"offset": "9223372036854775808"}),
    ("/api/tickets", {"offset": "87300903504"}),
    ("/api/tickets", {"limit": "99999999999999999999999"}),
    ("/api/tickets/{n}/messages", {"after": "87300903504"}),
    ("/api/tickets/{n}/messages", {"after": "9223372036854775808"}),
    ("/api/reports/feedback", {"from": "0001-01-01"}),
    ("/api/reports/feedback", {"to": "9999-12-31"}),
]


@pytest.mark.parametrize(("url", "params"), OUT_OF_RANGE)
def test_out_of_range_numbers_and_dates_are_4xx(
    client: DeskClient, admin: dict[str, str], ticket: Ticket, url: str, params: dict[str, str]
) -> None:
    response = client.get(url.format(n=ticket.number), params=params, headers=admin)
    assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize("after", ["87300903504", "9223372036854775808"])
def test_web_chat_polling_with_a_huge_message_id_is_never_a_server_error(
    client: DeskClient, ticket: Ticket, after: str
) -> None:
    response = client.get("/api/chat/messages", params={"after": after})
    assert response.status_code in {200, 422}, response.text
    if response.status_code == 200:
        assert response.json() == []


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/konsol/statistik", {"fran": "0001-01-01"}),
        ("/konsol/statistik", {"till": "9999-12-31"}),
        ("/konsol/rapporter/kunddialog", {"fran": "0001-01-01"}),
    ],
)
def test_console_pages_refuse_out_of_range_dates_with_4xx(
    client: DeskClient, console_cookie: dict[str, str], url: str, params: dict[str, str]
) -> None:
    response = client.get(url, params=params, cookies=console_cookie)
    assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize("page", ["99999999999999999999999", "²", "-3", "0", "abc"])
def test_console_queue_shows_a_page_for_any_page_number(
    client: DeskClient, console_cookie: dict[str, str], ticket: Ticket, page: str
) -> None:
    response = client.get("/konsol", params={"sida": page}, cookies=console_cookie)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "body",
    [
        '{"text": 1e999999}',
        '{"text": -1e999999}',
        '{"text": NaN}',
        '{"text": Infinity}',
        '{"text": "ok", "internal": -Infinity}',
    ],
)
def test_non_finite_json_numbers_are_422(
    client: DeskClient, admin: dict[str, str], ticket: Ticket, body: str
) -> None:
    response = client.post(
        f"/api/tickets/{ticket.number}/comments",
        content=body.encode(),
        headers={**admin, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["type"] == "finite_number"


def test_a_non_finite_number_in_a_transition_is_422(
    client: DeskClient, admin: dict[str, str], ticket: Ticket
) -> None:
    response = client.post(
        f"/api/tickets/{ticket.number}/transition",
        content=b'{"to_state": "mottagen", "notify": 1e999999}',
        headers={**admin, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    "body",
    [b'{"text": ', b"{'text': 'x'}", b'{"text": "\xff\xfe"}', b"[" * 100_000, b"1" * 5000],
    ids=["cut-off", "single-quotes", "not-utf8", "deep", "huge-int"],
)
def test_malformed_json_is_400_or_422(
    client: DeskClient, admin: dict[str, str], ticket: Ticket, body: bytes
) -> None:
    response = client.post(
        f"/api/tickets/{ticket.number}/comments",
        content=body,
        headers={**admin, "Content-Type": "application/json"},
    )
    assert response.status_code in {400, 422}, response.text


def test_a_huge_rejected_input_is_not_echoed_back(
    client: DeskClient, admin: dict[str, str], ticket: Ticket
) -> None:
    text = "x" * 600_000
    response = client.post(
        f"/api/tickets/{ticket.number}/comments", json={"text": text}, headers=admin
    )
    assert response.status_code == 422
    assert len(response.content) < 2_000
    error = response.json()["detail"][0]
    assert error["type"] == "string_too_long"
    assert error["input"].startswith("xxx") and len(error["input"]) <= 201
    # The whole body is the input of a missing field: it is cut short as well.
    missing = client.post("/api/agents", json={"display_name": text}, headers=admin)
    assert missing.status_code == 422
    assert len(missing.content) < 2_000
    assert json.dumps(missing.json()).count("x") < 400


def test_a_body_over_the_limit_is_413(
    client: DeskClient, admin: dict[str, str], ticket: Ticket
) -> None:
    too_big = "x" * (client.app.state.settings.max_request_body_bytes + 1)
    response = client.post(
        f"/api/tickets/{ticket.number}/comments", json={"text": too_big}, headers=admin
    )
    assert response.status_code == 413
    assert "för stort" in response.json()["detail"]
    assert len(response.content) < 1_000


def test_ordinary_swedish_text_passes_the_guard(
    client: DeskClient, admin: dict[str, str], ticket: Ticket
) -> None:
    text = "Skrivaren på plan 2 är trasig – åäö ÅÄÖ é \t ok\n\N{SNOWMAN}"
    response = client.post(
        f"/api/tickets/{ticket.number}/comments", json={"text": text}, headers=admin
    )
    assert response.status_code == 201, response.text
    assert response.json()["comment"] == text.strip()
    found = client.get("/api/tickets", params={"q": "åäö Skrivaren"}, headers=admin)
    assert found.status_code == 200
