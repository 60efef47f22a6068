"""The read log: each opening of a ticket, transcript, thread or feedback comment by an agent
is recorded (API and console), and only admins can list it, per ticket and per agent."""

from __future__ import annotations

from datetime import UTC, datetime
from http.server import ThreadingHTTPServer

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from servicedesk.cli import app as cli_app
from servicedesk.console import auth as console_auth
from servicedesk.models import AgentRole, Feedback, ReadLogEntry, Requester, Ticket
from tests.integration.servicedesk.test_api import DeskClient, _client
from tests.integration.servicedesk.test_desk import _service, _ticket, _token


@pytest.fixture
def client(db_url: str, fake_rasa: ThreadingHTTPServer) -> DeskClient:
    """A desk client; each request names its own headers and cookies."""
    return _client(db_url, f"http://127.0.0.1:{fake_rasa.server_port}", keep_cookies=False)


@pytest.fixture
def ticket(session: Session) -> Ticket:
    """An escalated IT ticket with a transcript."""
    person = Requester(channel="web", external_id="web-1", name="Kim Berg")
    session.add(person)
    _service(session, "IT-01", "IT")
    session.commit()
    return _ticket(session, person, escalated=True)


def _reads(session: Session) -> list[tuple[str, str, int | None]]:
    session.expire_all()
    rows = session.execute(
        select(ReadLogEntry.what, ReadLogEntry.via, ReadLogEntry.ticket_id).order_by(
            ReadLogEntry.id
        )
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_opening_a_ticket_in_the_api_records_ticket_transcript_and_thread(
    client: DeskClient, session: Session, ticket: Ticket
) -> None:
    eva = _token(session, "eva", AgentRole.AGENT)
    assert client.get(f"/api/tickets/{ticket.number}", headers=eva).status_code == 200
    assert sorted(_reads(session)) == [
        ("thread", "api", ticket.id),
        ("ticket", "api", ticket.id),
        ("transcript", "api", ticket.id),
    ]


def test_reading_the_thread_is_recorded_but_not_the_polling_with_after(
    client: DeskClient, session: Session, ticket: Ticket
) -> None:
    eva = _token(session, "eva", AgentRole.AGENT)
    assert client.get(f"/api/tickets/{ticket.number}/messages", headers=eva).status_code == 200
    for after in (0, 0, 5):  # the console page polls with after=0 while its thread is empty
        polled = client.get(f"/api/tickets/{ticket.number}/messages?after={after}", headers=eva)
        assert polled.status_code == 200
    assert _reads(session) == [("thread", "api", ticket.id)]


def test_a_ticket_the_agent_may_not_see_records_nothing(
    client: DeskClient, session: Session, ticket: Ticket
) -> None:
    other = _token(session, "olle", AgentRole.AGENT, queues=["Lokalvård"])
    assert client.get(f"/api/tickets/{ticket.number}", headers=other).status_code == 404
    assert _reads(session) == []


def test_the_console_ticket_page_is_recorded_as_read_in_the_console(
    client: DeskClient, session: Session, ticket: Ticket
) -> None:
    token = _token(session, "eva", AgentRole.AGENT)["Authorization"].removeprefix("Bearer ")
    login = client.post("/konsol/logga-in", data={"token": token, "next": "/konsol"})
    assert login.status_code == 303
    cookie = {console_auth.COOKIE_NAME: login.cookies[console_auth.COOKIE_NAME]}
    page = client.get(f"/konsol/arenden/{ticket.number}", cookies=cookie)
    assert page.status_code == 200
    assert {(what, via) for what, via, _ in _reads(session)} == {
        ("ticket", "console"),
        ("transcript", "console"),
        ("thread", "console"),
    }


def test_feedback_comments_shown_in_the_report_are_recorded_per_ticket(
    client: DeskClient, session: Session, ticket: Ticket
) -> None:
    session.add(
        Feedback(
            ticket_id=ticket.id, requester_id=ticket.requester_id, status="answered",
            answered_at=datetime(2026, 4, 1, 10, tzinfo=UTC), overall_score=8, feedback_score=8,
            expectation_score=8, treatment_score=8, comment="Snabbt och bra", resume_count=0,
        )
    )  # fmt: skip
    session.commit()
    eva = _token(session, "eva", AgentRole.AGENT)
    report = client.get(
        "/api/reports/feedback", params={"from": "2026-01-01", "to": "2026-12-31"}, headers=eva
    )
    assert report.status_code == 200
    assert [c["text"] for c in report.json()["comments"]] == ["Snabbt och bra"]
    assert _reads(session) == [("feedback_comment", "api", ticket.id)]


def test_admins_list_the_log_per_ticket_and_per_agent(
    client: DeskClient, session: Session, ticket: Ticket
) -> None:
    eva = _token(session, "eva", AgentRole.AGENT)
    olle = _token(session, "olle", AgentRole.AGENT)
    admin = _token(session, "chef", AgentRole.ADMIN)
    second = _ticket(session, ticket.requester)
    client.get(f"/api/tickets/{ticket.number}", headers=eva)
    client.get(f"/api/tickets/{second.number}/messages", headers=olle)

    everything = client.get("/api/read-log", headers=admin)
    assert everything.status_code == 200
    assert everything.headers["X-Total-Count"] == "4"

    per_ticket = client.get("/api/read-log", params={"ticket": second.number}, headers=admin)
    assert [(r["agent"], r["what"], r["ticket_number"], r["via"]) for r in per_ticket.json()] == [
        ("olle", "thread", second.number, "api")
    ]
    per_agent = client.get("/api/read-log", params={"agent": "eva"}, headers=admin).json()
    assert {r["what"] for r in per_agent} == {"ticket", "transcript", "thread"}
    assert {r["ticket_number"] for r in per_agent} == {ticket.number}
    assert all(r["at"] for r in per_agent)


def test_an_agent_who_is_not_admin_gets_403_on_the_log(
    client: DeskClient, session: Session, ticket: Ticket
) -> None:
    eva = _token(session, "eva", AgentRole.AGENT)
    client.get(f"/api/tickets/{ticket.number}", headers=eva)
    refused = client.get("/api/read-log", headers=eva)
    assert refused.status_code == 403
    assert "ticket" not in refused.text
    assert client.get("/api/read-log").status_code == 401


def test_the_console_page_of_the_log_is_for_admins_only(
    client: DeskClient, session: Session, ticket: Ticket
) -> None:
    cookies = {}
    for name, role in (("eva", AgentRole.AGENT), ("chef", AgentRole.ADMIN)):
        token = _token(session, name, role)["Authorization"].removeprefix("Bearer ")
        login = client.post("/konsol/logga-in", data={"token": token, "next": "/konsol"})
        cookies[name] = {console_auth.COOKIE_NAME: login.cookies[console_auth.COOKIE_NAME]}
    client.get(f"/konsol/arenden/{ticket.number}", cookies=cookies["eva"])

    refused = client.get("/konsol/lasloggen", cookies=cookies["eva"])
    assert refused.status_code == 403
    assert ticket.number not in refused.text

    page = client.get(
        "/konsol/lasloggen", params={"arende": ticket.number}, cookies=cookies["chef"]
    )
    assert page.status_code == 200
    assert "Läsloggen" in page.text and "samtalsutskriften" in page.text
    assert page.text.count(f">{ticket.number}</a>") == 3
    assert "eva" in page.text


def test_the_admin_cli_prints_the_log_of_a_ticket(
    db_url: str, client: DeskClient, session: Session, ticket: Ticket
) -> None:
    eva = _token(session, "eva", AgentRole.AGENT)
    client.get(f"/api/tickets/{ticket.number}", headers=eva)
    result = CliRunner().invoke(
        cli_app, ["read-log", "--ticket", ticket.number, "--database-url", db_url]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "3 of 3 reads"
    assert all("\teva\t" in line and ticket.number in line for line in lines[:-1])
    assert session.scalar(select(func.count()).select_from(ReadLogEntry)) == 3
