"""The kunddialog report is scoped like the ticket queue: an agent sees the comments, ticket
numbers and figures of the tickets of their queues (all queues when they have none),
tickets without a service and tickets assigned to them; admins see everything.

The rule is checked against the desk's own: the tickets whose comments an agent sees in
the report are exactly the commented tickets ``GET /api/tickets`` lists for that agent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from servicedesk.agents import create_agent
from servicedesk.console import auth as console_auth
from servicedesk.feedback.report import Period, build_report
from servicedesk.models import Agent, AgentRole, Feedback, Ticket
from tests.integration.feedback.conftest import DeliverFn, Desk

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
PARAMS = {"from": "2026-01-01", "to": "2026-12-31"}


@dataclass
class Seeded:
    """The agents and which commented tickets each kind of viewer should see."""

    konferens: Agent
    konferens_token: str
    admin_token: str
    everyone_token: str
    visible: dict[str, str]  # ticket number -> comment, for the Konferens agent
    hidden: dict[str, str]  # ticket number -> comment, outside the Konferens agent's reach


def answer(session: Session, ticket: Ticket, department: str | None, comment: str | None,
           score: int, at: datetime) -> None:  # fmt: skip
    session.add(
        Feedback(
            ticket_id=ticket.id, requester_id=ticket.requester_id, department_code=department,
            status="answered", answered_at=at, overall_score=score, feedback_score=score,
            expectation_score=score, treatment_score=score, comment=comment, resume_count=0,
        )
    )  # fmt: skip


@pytest.fixture
def seeded(session: Session, deliver: DeliverFn) -> Seeded:
    """Answers on Konferens and Lokalvård tickets, one assigned, one without a service."""
    konferens, konferens_token = create_agent(
        session=session, username="konferens", queues=["Konferens"]
    )
    _admin, admin_token = create_agent(
        session=session, username="chef", role=AgentRole.ADMIN, queues=["Konferens"]
    )
    _everyone, everyone_token = create_agent(session=session, username="alla")
    session.commit()

    in_queue = deliver(department="KLK", service="KNF-02")
    in_queue_quiet = deliver(department="SOC", service="KNF-02")
    other_queue = deliver(department="SOC", service="LOK-01")
    other_queue_quiet = deliver(department="KLK", service="LOK-01")
    assigned = deliver(department="SOC", service="LOK-01")
    assigned.assigned_agent_id = konferens.id
    no_service = deliver(department="KLK", service="KNF-02")
    no_service.service_code = None
    session.commit()

    at = datetime(2026, 4, 1, 10, tzinfo=UTC)
    answer(session, in_queue, "KLK", "Fikat kom i tid", 9, at)
    answer(session, in_queue_quiet, "SOC", None, 7, at)
    answer(session, other_queue, "SOC", "Hemlig synpunkt om städningen", 2, at)
    answer(session, other_queue_quiet, "KLK", None, 1, at)
    answer(session, assigned, "SOC", "Bra att du tog hand om det", 8, at)
    answer(session, no_service, "KLK", "Ingen tjänst men bra hjälp", 6, at)
    session.commit()
    return Seeded(
        konferens=konferens,
        konferens_token=konferens_token,
        admin_token=admin_token,
        everyone_token=everyone_token,
        visible={
            in_queue.number: "Fikat kom i tid",
            assigned.number: "Bra att du tog hand om det",
            no_service.number: "Ingen tjänst men bra hjälp",
        },
        hidden={other_queue.number: "Hemlig synpunkt om städningen"},
    )


@pytest.fixture
def desk(db_url: str) -> Desk:
    return Desk(db_url)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def report_json(desk: Desk, token: str) -> dict[str, Any]:
    response = desk.get("/api/reports/feedback", params=PARAMS, headers=bearer(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_an_agent_sees_only_comments_and_tickets_of_their_reach(desk: Desk, seeded: Seeded) -> None:
    response = desk.get(
        "/api/reports/feedback", params=PARAMS, headers=bearer(seeded.konferens_token)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    comments = {c["ticket_number"]: c["text"] for c in body["comments"]}
    assert comments == seeded.visible
    for number, text in seeded.hidden.items():
        assert number not in response.text and text not in response.text
    assert body["queues"] == ["Konferens"]


def test_an_agents_figures_count_only_what_they_may_see(desk: Desk, seeded: Seeded) -> None:
    body = report_json(desk, seeded.konferens_token)
    # Visible: KLK 9 (queue) and 6 (no service); SOC 7 (queue) and 8 (assigned).
    assert body["total"]["current"]["count"] == 4
    assert body["total"]["current"]["overall"] == "7.50"
    by_key = {r["key"]: r["current"] for r in body["rows"]}
    assert (by_key["KLK"]["count"], by_key["KLK"]["overall"]) == (2, "7.50")
    assert (by_key["SOC"]["count"], by_key["SOC"]["overall"]) == (2, "7.50")
    by_category = desk.get(
        "/api/reports/feedback", params=PARAMS | {"group": "category"},
        headers=bearer(seeded.konferens_token),
    ).json()  # fmt: skip
    counts = {r["name"]: r["current"]["count"] for r in by_category["rows"]}
    assert counts == {"Konferens": 2, "Lokalvård": 1, "Utan tjänst": 1}


@pytest.mark.parametrize("who", ["admin_token", "everyone_token"])
def test_admins_and_agents_without_queues_see_every_answer(
    desk: Desk, seeded: Seeded, who: str
) -> None:
    body = report_json(desk, getattr(seeded, who))
    comments = {c["ticket_number"]: c["text"] for c in body["comments"]}
    assert comments == seeded.visible | seeded.hidden
    assert body["total"]["current"]["count"] == 6
    assert body["queues"] is None


def test_the_report_follows_the_ticket_queues_rule(desk: Desk, seeded: Seeded) -> None:
    """Whatever the report lists, the queue lists too, and the other way round."""
    for token in (seeded.konferens_token, seeded.admin_token, seeded.everyone_token):
        listed = desk.get("/api/tickets", params={"limit": 200}, headers=bearer(token))
        assert listed.status_code == 200, listed.text
        reachable = {t["number"] for t in listed.json()}
        commented = set(seeded.visible) | set(seeded.hidden)
        in_report = {c["ticket_number"] for c in report_json(desk, token)["comments"]}
        assert in_report == reachable & commented
        for number in commented:
            detail = desk.get(f"/api/tickets/{number}", headers=bearer(token))
            assert (detail.status_code == 200) == (number in in_report)


def test_csv_export_is_scoped(desk: Desk, seeded: Seeded) -> None:
    csv = desk.get(
        "/api/reports/feedback", params=PARAMS | {"format": "csv"},
        headers=bearer(seeded.konferens_token),
    )  # fmt: skip
    assert csv.status_code == 200
    assert csv.text.splitlines()[-1].startswith("Totalt;4;7,50")


def test_the_console_page_its_csv_and_chart_are_scoped(
    desk: Desk, session: Session, seeded: Seeded
) -> None:
    cookies = {console_auth.COOKIE_NAME: console_auth.issue_cookie(desk.settings, seeded.konferens)}
    page = desk.get("/konsol/rapporter/kunddialog?fran=2026-01-01&till=2026-12-31", cookies=cookies)
    assert page.status_code == 200, page.text
    for number, text in seeded.visible.items():
        assert number in page.text and text in page.text
    for number, text in seeded.hidden.items():
        assert number not in page.text and text not in page.text
    csv = desk.get("/konsol/rapporter/kunddialog.csv?fran=2026-01-01&till=2026-12-31",
                   cookies=cookies)  # fmt: skip
    assert csv.status_code == 200
    assert csv.text.splitlines()[-1].startswith("Totalt;4;7,50")
    chart = desk.get("/konsol/rapporter/kunddialog.png?fran=2026-01-01", cookies=cookies)
    assert chart.content.startswith(b"\x89PNG")


def test_without_a_viewer_the_report_covers_everything(session: Session, seeded: Seeded) -> None:
    """The command line (an operator with database access) gets the whole report."""
    report = build_report(session=session, period=YEAR)
    assert report.total.current.count == 6 and report.queues is None
    scoped = build_report(session=session, period=YEAR, viewer=seeded.konferens)
    assert {c.ticket_number for c in scoped.comments} == set(seeded.visible)
    assert scoped.queues == ("Konferens",)
