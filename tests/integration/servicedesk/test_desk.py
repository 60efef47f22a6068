"""Desk API: life cycle, authorization, audit trail, takeover relay, stats, console login."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http.server import ThreadingHTTPServer

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from servicedesk import relay, tickets
from servicedesk.agents import create_agent
from servicedesk.console import auth as console_auth
from servicedesk.jobs import JobContext, run_once
from servicedesk.models import (
    AgentRole,
    DeliveryState,
    Message,
    Requester,
    Service,
    Takeover,
    Ticket,
    TicketKind,
    TicketState,
)
from servicedesk.settings import Settings
from servicedesk.tickets import TRANSITIONS
from tests.integration.servicedesk.test_api import DeskClient, _client

#: The web chat person of these tests.
WEB_1 = "00000000000000000000000000000001"

S = TicketState


def _service(session: Session, code: str, category: str, sla_hours: int = 16) -> Service:
    service = Service(
        code=code, kind=TicketKind.FAULT, category=category, name=f"Tjänst {code}",
        description="", price_sek=Decimal(0), price_unit="", performer="IT", sla_hours=sla_hours,
        order_fields=[], keywords=[],
    )  # fmt: skip
    session.add(service)
    session.flush()
    return service


def _ticket(
    session: Session,
    requester: Requester,
    service: str | None = "IT-01",
    escalated: bool = False,
    now: datetime | None = None,
) -> Ticket:
    ticket, _ = tickets.create_ticket(
        session=session, requester=requester, kind=TicketKind.FAULT, channel=requester.channel,
        conversation_id=requester.external_id, service_code=service, title="Skrivaren är trasig",
        escalated=escalated, escalation_reason="asked_for_human" if escalated else None,
        transcript=[{"from": "requester", "text": "jag vill prata med en människa"}], now=now,
    )  # fmt: skip
    session.commit()
    return ticket


def _token(
    session: Session, username: str, role: AgentRole, queues: list[str] | None = None
) -> dict[str, str]:
    _agent, token = create_agent(session=session, username=username, role=role, queues=queues)
    session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(db_url: str, fake_rasa: ThreadingHTTPServer) -> DeskClient:
    """A desk client wired to the stand-in Rasa (the browser test drives the real one)."""
    return _client(db_url, f"http://127.0.0.1:{fake_rasa.server_port}")


@pytest.fixture
def web_requester(session: Session) -> Requester:
    """A web chat requester (person id :data:`WEB_1`)."""
    person = Requester(channel="web", external_id=WEB_1, name="Kim Berg")
    session.add(person)
    session.commit()
    return person


@pytest.fixture
def it_ticket(session: Session, web_requester: Requester) -> Ticket:
    """An escalated IT ticket of the web requester."""
    _service(session, "IT-01", "IT")
    _service(session, "LOK-01", "Lokalvård")
    session.commit()
    return _ticket(session, web_requester, escalated=True)


@pytest.fixture
def admin(session: Session) -> dict[str, str]:
    """Header of an admin."""
    return _token(session, "admin-a", AgentRole.ADMIN)


@pytest.fixture
def agent(session: Session) -> dict[str, str]:
    """Header of an agent working only the IT queue."""
    return _token(session, "it-agent", AgentRole.AGENT, ["IT"])


def _move_to(session: Session, ticket: Ticket, state: TicketState) -> None:
    """Walk ``ticket`` to ``state`` through allowed transitions (breadth-first)."""
    paths: dict[TicketState, list[TicketState]] = {S.NEW: []}
    queue = [S.NEW]
    while queue:
        current = queue.pop(0)
        for nxt in TRANSITIONS[current]:
            if nxt not in paths:
                paths[nxt] = [*paths[current], nxt]
                queue.append(nxt)
    for step in paths[state]:
        tickets.transition(session=session, ticket=ticket, to_state=step, actor="test")
    session.commit()


ALL_PAIRS = [(a, b) for a in TicketState for b in TicketState if a != b]


@pytest.mark.parametrize(("from_state", "to_state"), ALL_PAIRS, ids=lambda s: s.name)
def test_every_transition_is_allowed_or_refused_by_the_table(
    client: DeskClient, session: Session, it_ticket: Ticket, admin: dict[str, str],
    from_state: TicketState, to_state: TicketState,
) -> None:  # fmt: skip
    _move_to(session, it_ticket, from_state)
    response = client.post(
        f"/api/tickets/{it_ticket.number}/transition",
        json={"to_state": to_state.value, "comment": "test"},
        headers=admin,
    )
    if to_state in TRANSITIONS[from_state]:
        assert response.status_code == 200, response.text
        assert response.json()["state"] == to_state.value
    else:
        assert response.status_code == 409
        assert f"'{from_state.value}'" in response.json()["detail"]
        session.expire_all()
        assert session.get(Ticket, it_ticket.id).state == from_state  # type: ignore[union-attr]


def test_transition_writes_an_audit_event_and_notifies_the_requester(
    client: DeskClient, session: Session, it_ticket: Ticket, admin: dict[str, str]
) -> None:
    _move_to(session, it_ticket, S.IN_PROGRESS)
    response = client.post(
        f"/api/tickets/{it_ticket.number}/transition",
        json={"to_state": "levererad", "comment": "Ny skrivare på plats"},
        headers=admin,
    )
    assert response.status_code == 200
    body = response.json()
    last = body["events"][-1]
    assert (last["actor"], last["kind"], last["from_state"], last["to_state"], last["comment"]) == (
        "agent:admin-a", "transition", "pågår", "levererad", "Ny skrivare på plats",
    )  # fmt: skip
    assert body["delivered_at"] is not None
    pushed = client.as_web_person(WEB_1).get("/api/chat/messages").json()
    assert pushed[-1]["text"].startswith(f"Ditt ärende {it_ticket.number}")
    assert "levererat" in pushed[-1]["text"]


def test_bad_bodies_get_field_level_422(
    client: DeskClient, it_ticket: Ticket, admin: dict[str, str]
) -> None:
    response = client.post(
        f"/api/tickets/{it_ticket.number}/transition", json={"to_state": "klar"}, headers=admin
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "to_state"]
    response = client.post(
        f"/api/tickets/{it_ticket.number}/messages", json={"text": "  "}, headers=admin
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "text"]
    response = client.post(
        f"/api/tickets/{it_ticket.number}/comments", json={"text": "x", "extra": 1}, headers=admin
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "extra"]


def test_unknown_token_is_401_and_agents_cannot_act_as_admin(
    client: DeskClient, it_ticket: Ticket, agent: dict[str, str]
) -> None:
    bad = {"Authorization": "Bearer nope"}
    assert client.get(f"/api/tickets/{it_ticket.number}", headers=bad).status_code == 401
    assert client.post(f"/api/tickets/{it_ticket.number}/takeover", headers=bad).status_code == 401
    assert client.get("/api/agents", headers=agent).status_code == 403
    created = client.post(
        "/api/agents", json={"username": "mallory", "role": "admin"}, headers=agent
    )
    assert created.status_code == 403
    assign = client.post(
        f"/api/tickets/{it_ticket.number}/assign", json={"agent": "admin-a"}, headers=agent
    )
    assert assign.status_code in (403, 422)


def test_agent_can_claim_but_only_admin_assigns_others(
    client: DeskClient,
    session: Session,
    it_ticket: Ticket,
    agent: dict[str, str],
    admin: dict[str, str],
) -> None:
    url = f"/api/tickets/{it_ticket.number}/assign"
    assert client.post(url, json={"agent": "admin-a"}, headers=agent).status_code == 403
    claimed = client.post(url, json={"agent": "it-agent"}, headers=agent)
    assert claimed.status_code == 200
    assert claimed.json()["assigned_agent"] == "it-agent"
    moved = client.post(url, json={"agent": "admin-a"}, headers=admin)
    assert moved.json()["assigned_agent"] == "admin-a"
    assert client.post(url, json={"agent": None}, headers=agent).status_code == 403
    unknown = client.post(url, json={"agent": "ghost"}, headers=admin)
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "agent"]


def test_tickets_outside_the_agents_queues_are_404_like_missing_ones(
    client: DeskClient, session: Session, web_requester: Requester, it_ticket: Ticket,
    agent: dict[str, str], admin: dict[str, str],
) -> None:  # fmt: skip
    cleaning = _ticket(session, web_requester, service="LOK-01")
    for path in ("", "/messages"):
        assert client.get(f"/api/tickets/{cleaning.number}{path}", headers=agent).status_code == 404
    for path in ("/takeover", "/handback"):
        assert (
            client.post(f"/api/tickets/{cleaning.number}{path}", headers=agent).status_code == 404
        )
    assert client.get("/api/tickets/SD-2099-99999", headers=agent).status_code == 404
    assert client.get(f"/api/tickets/{cleaning.number}", headers=admin).status_code == 200
    listed = client.get("/api/tickets", headers=agent)
    assert [t["number"] for t in listed.json()] == [it_ticket.number]
    assert listed.headers["X-Total-Count"] == "1"


def test_queue_puts_overdue_then_escalated_first_and_filters(
    client: DeskClient, session: Session, web_requester: Requester, admin: dict[str, str]
) -> None:
    _service(session, "IT-01", "IT", sla_hours=1)
    session.commit()
    old = _ticket(session, web_requester, now=datetime.now(UTC) - timedelta(hours=3))
    escalated = _ticket(session, web_requester, escalated=True)
    plain = _ticket(session, web_requester)
    listed = client.get("/api/tickets", headers=admin).json()
    assert [t["number"] for t in listed] == [old.number, escalated.number, plain.number]
    assert listed[0]["overdue"] is True
    only = client.get("/api/tickets", params={"overdue": "true"}, headers=admin).json()
    assert [t["number"] for t in only] == [old.number]
    found = client.get("/api/tickets", params={"q": plain.number}, headers=admin).json()
    assert [t["number"] for t in found] == [plain.number]
    page = client.get("/api/tickets", params={"limit": 1, "offset": 1}, headers=admin)
    assert [t["number"] for t in page.json()] == [escalated.number]
    assert page.headers["X-Total-Count"] == "3"


def test_takeover_relay_round_trip_over_the_web_chat(
    client: DeskClient, session: Session, it_ticket: Ticket, agent: dict[str, str],
    admin: dict[str, str], fake_rasa: ThreadingHTTPServer,
) -> None:  # fmt: skip
    base = f"/api/tickets/{it_ticket.number}"
    taken = client.post(f"{base}/takeover", headers=agent)
    assert taken.status_code == 200
    assert taken.json()["takeover"]["agent"] == "it-agent"
    assert client.post(f"{base}/takeover", headers=admin).status_code == 409

    # The person writes while nobody looks: stored in the thread, not sent to Rasa.
    reply = client.as_web_person(WEB_1).post("/api/chat", json={"message": "Hallå, är någon där?"})
    assert reply.status_code == 200
    assert reply.json() == []
    assert reply.headers["X-Handled-By"] == "desk"
    assert fake_rasa.received == []  # type: ignore[attr-defined]

    sent = client.post(f"{base}/messages", json={"text": "Hej Kim, jag heter Eva."}, headers=agent)
    assert sent.status_code == 201
    assert (
        client.post(f"{base}/messages", json={"text": "inte jag"}, headers=admin).status_code == 409
    )

    pushed = client.as_web_person(WEB_1).get("/api/chat/messages").json()
    assert [m["author"] for m in pushed] == ["system", "agent"]
    assert "servicedesken" in pushed[0]["text"]
    assert pushed[1]["text"] == "Hej Kim, jag heter Eva."
    thread = client.get(f"{base}/messages", headers=agent).json()
    assert [(m["author"], m["text"]) for m in thread][1:] == [
        ("person", "Hallå, är någon där?"),
        ("agent", "Hej Kim, jag heter Eva."),
    ]
    later = client.get("/api/chat/messages", params={"after": pushed[-1]["id"]})
    assert later.json() == []

    assert client.post(f"{base}/handback", headers=agent).status_code == 200
    back = client.get("/api/chat/messages", params={"after": pushed[-1]["id"]}).json()
    assert back[0]["text"] == relay.HANDBACK_TEXT
    again = client.post("/api/chat", json={"message": "boka möbler"})
    assert again.json()[0]["text"] == "Du skrev:\nboka möbler"
    assert client.post(f"{base}/handback", headers=agent).status_code == 409
    kinds = [e["kind"] for e in client.get(base, headers=agent).json()["events"]]
    assert "takeover" in kinds and "handback" in kinds and "message" in kinds


def test_forgotten_takeover_ends_after_the_idle_time(
    db_url: str, session: Session, session_factory: sessionmaker[Session], it_ticket: Ticket
) -> None:
    someone, _token_value = create_agent(session=session, username="forgetful")
    start = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    relay.start_takeover(session=session, ticket=it_ticket, agent=someone, now=start)
    session.commit()
    settings = Settings(environment="test", database_url=db_url, takeover_idle_minutes=30)

    def at(moment: datetime) -> dict[str, int]:
        ctx = JobContext(settings=settings, session_factory=session_factory, clock=lambda: moment)
        return asyncio.run(run_once(ctx))

    assert at(start + timedelta(minutes=29))["end_idle_takeovers"] == 0
    assert at(start + timedelta(minutes=31))["end_idle_takeovers"] == 1
    session.expire_all()
    takeover = session.scalars(select(Takeover)).one()
    assert takeover.end_reason == "idle_timeout"
    last = session.scalars(select(Message).order_by(Message.id.desc())).first()
    assert last is not None and it_ticket.number in last.text
    assert last.delivery_state == DeliveryState.PENDING


def test_stats_count_states_sla_first_response_and_bot_resolution(
    client: DeskClient, session: Session, web_requester: Requester, admin: dict[str, str]
) -> None:
    _service(session, "IT-01", "IT", sla_hours=16)
    session.commit()
    now = datetime.now(UTC)
    on_time = _ticket(session, web_requester, now=now - timedelta(hours=5))
    late = _ticket(session, web_requester, now=now - timedelta(hours=40))
    _ticket(session, web_requester, escalated=True, now=now - timedelta(hours=1))
    for ticket, done_after in ((on_time, 2), (late, 30)):
        for state in (S.RECEIVED, S.IN_PROGRESS, S.DELIVERED):
            tickets.transition(session=session, ticket=ticket, to_state=state, actor="t",
                               now=ticket.created_at + timedelta(hours=done_after))  # fmt: skip
        ticket.first_response_at = ticket.created_at + timedelta(
            minutes=10 if ticket is on_time else 30
        )
    session.commit()
    stats = client.get("/api/stats", headers=admin).json()
    assert stats["total"] == 3
    assert stats["by_state"]["levererad"] == 2 and stats["by_state"]["ny"] == 1
    assert stats["by_channel"] == {"web": 3}
    assert stats["by_category"] == {"IT": 3}
    assert stats["within_sla_share"] == 0.5
    assert stats["median_first_response_minutes"] == 20.0
    assert stats["bot_resolution_rate"] == round(2 / 3, 4)
    bad = client.get("/api/stats", params={"from": "2026-02-01", "to": "2026-01-01"}, headers=admin)
    assert bad.status_code == 422


def test_console_login_sets_a_secure_session_and_needs_csrf_for_changes(
    db_url: str, fake_rasa: ThreadingHTTPServer, session: Session, it_ticket: Ticket
) -> None:
    _agent, token = create_agent(session=session, username="eva", display_name="Eva Ek")
    session.commit()
    desk = _client(db_url, f"http://127.0.0.1:{fake_rasa.server_port}")
    first = desk.get("/konsol")
    assert first.status_code == 303 and first.headers["location"].startswith("/konsol/logga-in")
    wrong = desk.post("/konsol/logga-in", data={"token": "fel", "next": "/konsol"})
    assert wrong.status_code == 401
    assert "Inloggningsnyckeln stämmer inte" in wrong.text
    ok = desk.post("/konsol/logga-in", data={"token": token, "next": "https://evil.example/"})
    assert ok.status_code == 303 and ok.headers["location"] == "/konsol"
    cookie_header = ok.headers["set-cookie"]
    assert "HttpOnly" in cookie_header and "SameSite=strict" in cookie_header
    cookie = ok.cookies[console_auth.COOKIE_NAME]
    jar = {console_auth.COOKIE_NAME: cookie}
    page = desk.get("/konsol", cookies=jar)
    assert page.status_code == 200
    assert it_ticket.number in page.text and "Eskalerat" in page.text
    view = desk.get(f"/konsol/arenden/{it_ticket.number}", cookies=jar)
    assert "Ta över samtalet" in view.text and "jag vill prata med en människa" in view.text
    url = f"/api/tickets/{it_ticket.number}/takeover"
    assert desk.post(url, cookies=jar).status_code == 403
    settings = desk.app.state.settings
    csrf = console_auth.csrf_token(settings, cookie)
    assert desk.post(url, cookies=jar, headers={"X-CSRF-Token": csrf}).status_code == 200
