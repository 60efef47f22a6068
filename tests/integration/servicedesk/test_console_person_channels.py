"""The console's ticket page lists the person's chats (read-only): the web chat the ticket
came from, a linked Telegram and where the desk's replies go; the opening is read-logged."""

from __future__ import annotations

from http.server import ThreadingHTTPServer

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from servicedesk.console import auth as console_auth
from servicedesk.links import link_requester
from servicedesk.models import AgentRole, ReadLogEntry, Requester, Ticket
from servicedesk.relay import record_inbound
from tests.integration.servicedesk.test_api import DeskClient, _client
from tests.integration.servicedesk.test_desk import _service, _ticket, _token


@pytest.fixture
def client(db_url: str, fake_rasa: ThreadingHTTPServer) -> DeskClient:
    """A desk client; each request names its own cookies."""
    return _client(db_url, f"http://127.0.0.1:{fake_rasa.server_port}", keep_cookies=False)


@pytest.fixture
def ticket(session: Session) -> Ticket:
    """An IT ticket from the web chat of Kim, who has not linked anything yet."""
    person = Requester(channel="web", external_id="a" * 32, name="Kim Berg")
    session.add(person)
    _service(session, "IT-01", "IT")
    session.commit()
    return _ticket(session, person)


def _page(client: DeskClient, session: Session, number: str, agent: str = "eva") -> str:
    token = _token(session, agent, AgentRole.AGENT)["Authorization"].split()[-1]
    login = client.post("/konsol/logga-in", data={"token": token, "next": "/konsol"})
    cookie = {console_auth.COOKIE_NAME: login.cookies[console_auth.COOKIE_NAME]}
    page = client.get(f"/konsol/arenden/{number}", cookies=cookie)
    assert page.status_code == 200
    start = page.text.index('id="person-channels"')
    return page.text[start : page.text.index("</ul>", start)]


def _items(channels: str) -> list[str]:
    return [item.removesuffix("</li>") for item in channels.split("<li>")[1:]]


def test_a_person_on_one_chat_has_one_row(
    client: DeskClient, session: Session, ticket: Ticket
) -> None:
    channels = _page(client, session, ticket.number)
    assert channels.count("<li>") == 1
    assert "Webbchatt · ärendet kom härifrån" in channels
    assert "Telegram" not in channels


def test_a_linked_telegram_is_listed_with_where_replies_go_and_the_opening_is_logged(
    client: DeskClient, session: Session, ticket: Ticket
) -> None:
    telegram = Requester(channel="telegram", external_id="772345678")
    session.add(telegram)
    session.flush()
    link_requester(session=session, person=ticket.requester, requester=telegram)
    session.commit()
    before = _page(client, session, ticket.number)
    assert "Webbchatt · ärendet kom härifrån · svar går hit" in before
    assert "Telegram, kopplad 20" in before and "772345678" not in before

    record_inbound(session=session, requester=telegram, text="Hur går det?", ticket=ticket)
    session.commit()
    web, linked = _items(_page(client, session, ticket.number, agent="olle"))
    assert web == "Webbchatt · ärendet kom härifrån"
    assert linked.startswith("Telegram, kopplad ") and linked.endswith(" · svar går hit")

    session.expire_all()
    reads = session.execute(select(ReadLogEntry.what, ReadLogEntry.via)).all()
    assert sorted({tuple(r) for r in reads}) == [
        ("thread", "console"), ("ticket", "console"), ("transcript", "console"),
    ]  # fmt: skip
