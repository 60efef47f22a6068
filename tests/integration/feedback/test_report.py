"""The kunddialog report on a seeded data set, checked against hand-computed means; its API
(JSON, CSV, PNG), console page and command line."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from servicedesk.agents import create_agent
from servicedesk.cli import app as cli_app
from servicedesk.console import auth as console_auth
from servicedesk.db import get_engine
from servicedesk.feedback.report import Period, build_report
from servicedesk.models import Feedback
from tests.integration.feedback.conftest import DeliverFn, Desk

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
LAST_YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
# (department, service, answered, overall, communication, expectation, treatment, comment)
SEED: list[tuple[str | None, str, datetime, int, int, int, int, str | None]] = [
    ("KLK", "KNF-02", datetime(2026, 2, 3, 10, tzinfo=UTC), 8, 7, 9, 10, "Snabbt och trevligt"),
    ("KLK", "KNF-02", datetime(2026, 3, 4, 10, tzinfo=UTC), 7, 6, 8, 9, None),
    ("KLK", "LOK-01", datetime(2026, 5, 6, 10, tzinfo=UTC), 9, 9, 9, 9, None),
    ("SOC", "LOK-01", datetime(2026, 6, 7, 10, tzinfo=UTC), 5, 4, 6, 7, "Ingen hörde av sig"),
    ("SOC", "LOK-01", datetime(2026, 12, 31, 22, 30, tzinfo=UTC), 6, 8, 7, 8, None),
    ("KLK", "KNF-02", datetime(2025, 9, 1, 10, tzinfo=UTC), 4, 4, 4, 4, "Förra året"),
    # 2026-12-31 23:30 UTC is already 2027 in Stockholm: outside the period.
    ("SOC", "KNF-02", datetime(2026, 12, 31, 23, 30, tzinfo=UTC), 1, 1, 1, 1, None),
]


@pytest.fixture
def seeded(session: Session, deliver: DeliverFn) -> None:
    for department, service, answered, overall, comm, expect, treat, comment in SEED:
        ticket = deliver(department=department, service=service)
        session.add(
            Feedback(
                ticket_id=ticket.id, requester_id=ticket.requester_id, department_code=department,
                status="answered", answered_at=answered, overall_score=overall,
                feedback_score=comm, expectation_score=expect, treatment_score=treat,
                comment=comment, resume_count=0,
            )
        )  # fmt: skip
    declined = deliver(department="BUF")
    session.add(
        Feedback(ticket_id=declined.id, department_code="BUF", status="declined", resume_count=0)
    )
    session.commit()


def figures(row: Any) -> tuple[Any, ...]:
    m = row.current
    return (m.count, *(str(v) if v is not None else None for v in (
        m.overall, m.communication, m.expectation, m.treatment)))  # fmt: skip


def test_means_per_department_match_the_hand_computed_ones(session: Session, seeded: None) -> None:
    report = build_report(session=session, period=YEAR)
    by_name = {r.name: figures(r) for r in report.rows}
    assert list(by_name) == [
        "Barn- och utbildningsförvaltningen",
        "Kommunledningskontoret",
        "Socialförvaltningen",
    ]
    # KLK: overall (8+7+9)/3, Återkoppling (7+6+9)/3, förväntan (9+8+9)/3, bemötande (10+9+9)/3
    assert by_name["Kommunledningskontoret"] == (3, "8.00", "7.33", "8.67", "9.33")
    assert by_name["Socialförvaltningen"] == (2, "5.50", "6.00", "6.50", "7.50")
    assert by_name["Barn- och utbildningsförvaltningen"] == (0, None, None, None, None)
    # Totalt is the mean of all five answers, not of the department means.
    assert figures(report.total) == (5, "7.00", "6.80", "7.80", "8.60")


def test_comments_of_the_period_are_listed_with_their_ticket(
    session: Session, seeded: None
) -> None:
    report = build_report(session=session, period=YEAR)
    assert [(c.group_name, c.text) for c in report.comments] == [
        ("Kommunledningskontoret", "Snabbt och trevligt"),
        ("Socialförvaltningen", "Ingen hörde av sig"),
    ]
    assert all(c.ticket_number.startswith("SD-") for c in report.comments)


def test_the_previous_period_is_side_by_side(session: Session, seeded: None) -> None:
    report = build_report(session=session, period=YEAR, compare=LAST_YEAR)
    klk = next(r for r in report.rows if r.key == "KLK")
    assert klk.previous is not None and klk.previous.count == 1
    assert str(klk.previous.overall) == "4.00"
    assert report.total.previous is not None and report.total.previous.count == 1


def test_grouping_by_category_and_by_performer(session: Session, seeded: None) -> None:
    by_category = build_report(session=session, period=YEAR, group="category")
    assert {r.name: figures(r)[:2] for r in by_category.rows} == {
        "Konferens": (2, "7.50"),
        "Lokalvård": (3, "6.67"),
    }
    by_performer = build_report(session=session, period=YEAR, group="performer")
    assert [r.name for r in by_performer.rows] == ["Konferensservice", "Lokalvård"]


def test_answers_without_a_department_get_their_own_row(
    session: Session, deliver: DeliverFn
) -> None:
    ticket = deliver(department=None)
    session.add(
        Feedback(
            ticket_id=ticket.id, status="answered", answered_at=datetime(2026, 4, 1, tzinfo=UTC),
            overall_score=10, feedback_score=10, expectation_score=10, treatment_score=10,
            resume_count=0,
        )
    )  # fmt: skip
    session.commit()
    rows = build_report(session=session, period=YEAR).rows
    assert (rows[-1].name, rows[-1].current.count) == ("Okänd förvaltning", 1)


@pytest.fixture
def desk(db_url: str) -> Desk:
    return Desk(db_url)


@pytest.fixture
def token(session: Session) -> str:
    _agent, value = create_agent(session=session, username="rapport")
    session.commit()
    return value


def test_the_report_api_needs_a_token(desk: Desk) -> None:
    assert desk.get("/api/reports/feedback").status_code == 401


def test_the_report_api_returns_rows_total_comparison_and_comments(
    desk: Desk, token: str, seeded: None
) -> None:
    response = desk.get(
        "/api/reports/feedback",
        params={"from": "2026-01-01", "to": "2026-12-31", "group": "forvaltning",
                "compare_from": "2025-01-01", "compare_to": "2025-12-31"},
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    klk = next(r for r in body["rows"] if r["key"] == "KLK")
    assert klk["current"] == {
        "count": 3, "overall": "8.00", "communication": "7.33",
        "expectation": "8.67", "treatment": "9.33",
    }  # fmt: skip
    assert klk["previous"]["overall"] == "4.00"
    assert body["total"]["current"]["count"] == 5
    assert len(body["rows"]) == 3
    assert [c["text"] for c in body["comments"]] == ["Snabbt och trevligt", "Ingen hörde av sig"]


def test_the_report_api_exports_csv_and_png(desk: Desk, token: str, seeded: None) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    params = {"from": "2026-01-01", "to": "2026-12-31"}
    csv = desk.get("/api/reports/feedback", params=params | {"format": "csv"}, headers=auth)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Förvaltning;Antal;Samlad bedömning;Återkoppling")
    assert "Kommunledningskontoret;3;8,00;7,33;8,67;9,33" in lines
    assert lines[-1] == "Totalt;5;7,00;6,80;7,80;8,60"
    png = desk.get("/api/reports/feedback", params=params | {"format": "png"}, headers=auth)
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG") and len(png.content) > 5000


def test_a_period_that_ends_before_it_starts_is_refused(desk: Desk, token: str) -> None:
    response = desk.get(
        "/api/reports/feedback",
        params={"from": "2026-12-31", "to": "2026-01-01"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422


def test_the_console_page_shows_decimal_commas_and_needs_the_login(
    desk: Desk, session: Session, seeded: None
) -> None:
    page = "/konsol/rapporter/kunddialog?fran=2026-01-01&till=2026-12-31"
    assert desk.get(page).status_code == 303
    agent, _token = create_agent(session=session, username="chef")
    session.commit()
    cookies = {console_auth.COOKIE_NAME: console_auth.issue_cookie(desk.settings, agent)}
    response = desk.get(page, cookies=cookies)
    assert response.status_code == 200, response.text
    html = response.text
    assert "Kommunledningskontoret" in html and "8,00" in html and "9,33" in html
    assert "Barn- och utbildningsförvaltningen" in html
    assert "Totalt" in html and "Ingen hörde av sig" in html
    chart = desk.get("/konsol/rapporter/kunddialog.png?fran=2026-01-01", cookies=cookies)
    assert chart.content.startswith(b"\x89PNG")
    assert desk.get("/konsol/rapporter/kunddialog.png").status_code == 401


def test_the_command_line_prints_the_table_and_writes_csv_and_png(
    db_url: str, seeded: None, tmp_path: Path
) -> None:
    csv_file, png_file = tmp_path / "r.csv", tmp_path / "r.png"
    result = CliRunner().invoke(
        cli_app,
        ["report", "feedback", "--from", "2026-01-01", "--to", "2026-12-31",
         "--csv", str(csv_file), "--png", str(png_file), "--database-url", db_url],
    )  # fmt: skip
    get_engine(db_url).dispose()
    assert result.exit_code == 0, result.output
    assert "Kommunledningskontoret" in result.output and "8,67" in result.output
    assert "Totalt" in result.output.splitlines()[-3]
    assert csv_file.stat().st_size > 100
    assert png_file.read_bytes().startswith(b"\x89PNG")
