"""Console sessions live on the server: logout, expiry, idleness and deactivation end them.

Also the security headers every desk response carries, and when the cookie is Secure.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from datetime import timedelta
from http.server import ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from servicedesk.agents import create_agent
from servicedesk.api import create_app
from servicedesk.console import auth as console_auth
from servicedesk.models import Agent, ConsoleSession, Requester, Ticket, as_utc, utcnow
from servicedesk.settings import Settings
from tests.integration.servicedesk.test_api import DeskClient, _client
from tests.integration.servicedesk.test_desk import _service, _ticket

COOKIE = console_auth.COOKIE_NAME


@pytest.fixture
def client(db_url: str, fake_rasa: ThreadingHTTPServer) -> DeskClient:
    """A desk client wired to the stand-in Rasa; each request names its console cookie."""
    return _client(db_url, f"http://127.0.0.1:{fake_rasa.server_port}", keep_cookies=False)


@pytest.fixture
def token(session: Session) -> str:
    """The bearer token of the agent ``eva``."""
    _agent, value = create_agent(session=session, username="eva", display_name="Eva Ek")
    session.commit()
    return value


@pytest.fixture
def ticket(session: Session) -> Ticket:
    """An escalated IT ticket."""
    person = Requester(channel="web", external_id="web-1", name="Kim Berg")
    session.add(person)
    _service(session, "IT-01", "IT")
    session.commit()
    return _ticket(session, person, escalated=True)


def _login(client: DeskClient, token: str, **kwargs: Any) -> str:
    response = client.post("/konsol/logga-in", data={"token": token, "next": "/konsol"}, **kwargs)
    assert response.status_code == 303, response.text
    return response.cookies[COOKIE]


def _logged_in(client: DeskClient, cookie: str) -> bool:
    """Whether the console and the API both accept ``cookie``; they must agree."""
    page = client.get("/konsol", cookies={COOKIE: cookie})
    api = client.get("/api/tickets", cookies={COOKIE: cookie})
    assert (page.status_code == 200) == (api.status_code == 200), (page, api)
    if page.status_code != 200:
        assert page.status_code == 303 and page.headers["location"].startswith("/konsol/logga-in")
        assert api.status_code == 401
    return page.status_code == 200


def test_logout_ends_the_session_on_the_server_so_a_copied_cookie_stops_working(
    client: DeskClient, token: str, ticket: Ticket
) -> None:
    cookie = _login(client, token)
    assert _logged_in(client, cookie)
    csrf = console_auth.csrf_token(client.app.state.settings, cookie)
    takeover = f"/api/tickets/{ticket.number}/takeover"
    logout = client.post("/konsol/logga-ut", cookies={COOKIE: cookie})
    assert logout.status_code == 303 and logout.headers["location"] == "/konsol/logga-in"
    assert (
        f'{COOKIE}=""' in logout.headers["set-cookie"]
        or "Max-Age=0" in logout.headers["set-cookie"]
    )
    # Someone who copied the cookie before the logout gets nowhere with it.
    assert not _logged_in(client, cookie)
    stolen = client.post(takeover, cookies={COOKIE: cookie}, headers={"X-CSRF-Token": csrf})
    assert stolen.status_code == 401
    view = client.get(f"/konsol/arenden/{ticket.number}", cookies={COOKIE: cookie})
    assert view.status_code == 303


def test_the_cookie_is_a_random_key_stored_only_as_its_hash(
    client: DeskClient, token: str, session: Session
) -> None:
    first, second = _login(client, token), _login(client, token)
    assert first != second and len(first) >= 40
    assert "." not in first  # not a signed payload that names the agent
    rows = list(session.scalars(select(ConsoleSession).order_by(ConsoleSession.id)))
    assert [r.key_hash for r in rows] == [
        hashlib.sha256(first.encode()).hexdigest(),
        hashlib.sha256(second.encode()).hexdigest(),
    ]
    assert all(r.revoked_at is None and r.agent.username == "eva" for r in rows)
    assert first not in str([vars(r) for r in rows])


def test_expired_and_idle_sessions_are_refused(
    client: DeskClient, token: str, session: Session
) -> None:
    expired, idle, fresh = _login(client, token), _login(client, token), _login(client, token)
    now = utcnow()
    session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.key_hash == hashlib.sha256(expired.encode()).hexdigest())
        .values(expires_at=now - timedelta(seconds=1))
    )
    idle_minutes = client.app.state.settings.console_session_idle_minutes
    session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.key_hash == hashlib.sha256(idle.encode()).hexdigest())
        .values(last_seen_at=now - timedelta(minutes=idle_minutes, seconds=1))
    )
    session.commit()
    assert not _logged_in(client, expired)
    assert not _logged_in(client, idle)
    assert _logged_in(client, fresh)


def test_use_keeps_a_session_alive_without_a_write_per_request(
    client: DeskClient, token: str, session: Session
) -> None:
    cookie = _login(client, token)
    key_hash = hashlib.sha256(cookie.encode()).hexdigest()
    a_while_ago = utcnow() - timedelta(minutes=10)
    session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.key_hash == key_hash)
        .values(last_seen_at=a_while_ago)
    )
    session.commit()
    assert _logged_in(client, cookie)
    session.expire_all()
    row = session.scalars(select(ConsoleSession).where(ConsoleSession.key_hash == key_hash)).one()
    seen = row.last_seen_at
    assert as_utc(seen) > a_while_ago + timedelta(minutes=9)
    assert _logged_in(client, cookie)  # again at once: no new write
    session.expire_all()
    assert session.get(ConsoleSession, row.id).last_seen_at == seen  # type: ignore[union-attr]


def test_a_deactivated_agent_or_a_new_token_ends_every_session(
    client: DeskClient, token: str, session: Session
) -> None:
    cookie = _login(client, token)
    session.execute(update(Agent).where(Agent.username == "eva").values(active=False))
    session.commit()
    assert not _logged_in(client, cookie)
    session.execute(update(Agent).where(Agent.username == "eva").values(active=True))
    session.commit()
    assert _logged_in(client, cookie)  # not revoked: only refused while inactive
    session.execute(update(Agent).where(Agent.username == "eva").values(token_hash="0" * 64))
    session.commit()
    assert not _logged_in(client, cookie)


def test_revoking_an_agents_sessions_ends_them_all(
    client: DeskClient, token: str, session: Session
) -> None:
    cookies = [_login(client, token), _login(client, token)]
    _other, other_token = create_agent(session=session, username="olle")
    session.commit()
    others = _login(client, other_token)
    eva = session.scalars(select(Agent).where(Agent.username == "eva")).one()
    assert console_auth.revoke_agent_sessions(session=session, agent=eva) == 2
    session.commit()
    assert not any(_logged_in(client, c) for c in cookies)
    assert _logged_in(client, others)


def test_logging_in_again_replaces_the_browsers_previous_session(
    client: DeskClient, token: str
) -> None:
    old = _login(client, token)
    new = _login(client, token, cookies={COOKIE: old})
    assert not _logged_in(client, old)
    assert _logged_in(client, new)


@pytest.mark.parametrize("presented", [b"", b"nope", b"\xe4\xff", b"a" * 5000])
def test_a_wrong_csrf_token_is_403_whatever_its_bytes(
    client: DeskClient, token: str, ticket: Ticket, presented: bytes
) -> None:
    cookie = _login(client, token)
    response = client.post(
        f"/api/tickets/{ticket.number}/takeover",
        cookies={COOKIE: cookie},
        headers=[(b"X-CSRF-Token", presented)],
    )
    assert response.status_code == 403


@pytest.mark.parametrize("cookie", ["", "x", "a" * 5000, "%00", "nope.nope.nope"])
def test_made_up_cookies_are_refused(client: DeskClient, cookie: str) -> None:
    assert client.get("/api/tickets", cookies={COOKIE: cookie}).status_code == 401
    assert client.get("/konsol", cookies={COOKIE: cookie}).status_code == 303


def test_issue_cookie_starts_a_session_for_tools_and_tests(
    client: DeskClient, token: str, session: Session
) -> None:
    eva = session.scalars(select(Agent).where(Agent.username == "eva")).one()
    cookie = console_auth.issue_cookie(client.app.state.settings, eva)
    assert _logged_in(client, cookie)


def _request(app: FastAPI, method: str, url: str, base_url: str, **kwargs: Any) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
            return await http.request(method, url, **kwargs)

    return asyncio.run(send())


def _production(db_url: str) -> Settings:
    return Settings(
        environment="production", database_url=db_url, run_jobs=False,
        secret_key=secrets.token_urlsafe(32), rasa_token=secrets.token_urlsafe(32),
        relay_secret=secrets.token_urlsafe(32), action_secret=secrets.token_urlsafe(32),
        field_key=secrets.token_urlsafe(32),
    )  # fmt: skip


HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def test_every_desk_response_carries_the_security_headers(
    client: DeskClient, token: str, ticket: Ticket
) -> None:
    cookie = _login(client, token)
    bearer = {"Authorization": f"Bearer {token}"}
    responses = [
        client.get("/"),
        client.get("/static/webchat.js"),
        client.get("/konsol/static/console.css"),
        client.get("/konsol/logga-in"),
        client.get("/konsol", cookies={COOKIE: cookie}),
        client.get("/konsol"),
        client.get("/api/tickets"),
        client.get("/api/tickets", headers=bearer),
        client.get(f"/api/tickets/{ticket.number}", headers=bearer),
        client.get("/api/tickets/SD-1999-00001", headers=bearer),
        client.get("/api/tickets", params={"limit": 0}, headers=bearer),
        client.get("/api/tickets", params={"q": "\x00"}, headers=bearer),
        client.get("/finns-inte"),
        client.get("/docs"),
        client.get("/openapi.json"),
        client.get("/health"),
        client.post("/api/chat", json={"message": "hej"}),
    ]
    for response in responses:
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, (response.request.url, name)
        assert "strict-transport-security" not in response.headers
    # The console keeps its own, stricter policy.
    assert "frame-ancestors 'none'" in responses[4].headers["content-security-policy"]


def test_production_adds_hsts_and_a_secure_cookie(db_url: str, token: str) -> None:
    app = create_app(_production(db_url))
    page = _request(app, "GET", "/konsol/logga-in", "https://desk")
    assert page.headers["strict-transport-security"].startswith("max-age=")
    assert int(page.headers["strict-transport-security"].split("=")[1].split(";")[0]) >= 31536000
    login = _request(
        app, "POST", "/konsol/logga-in", "https://desk", data={"token": token, "next": "/konsol"}
    )
    assert login.status_code == 303
    set_cookie = login.headers["set-cookie"]
    assert "Secure" in set_cookie and "HttpOnly" in set_cookie and "SameSite=strict" in set_cookie


def test_the_cookie_is_secure_behind_https_even_outside_production(
    client: DeskClient, token: str
) -> None:
    plain = client.post("/konsol/logga-in", data={"token": token})
    assert "Secure" not in plain.headers["set-cookie"]
    behind_tls = _request(
        client.app, "POST", "/konsol/logga-in", "https://desk", data={"token": token}
    )
    assert "Secure" in behind_tls.headers["set-cookie"]
