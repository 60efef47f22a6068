"""Desk API for reports: the kunddialog (feedback) report as JSON, CSV or a PNG chart."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel

from servicedesk import read_log
from servicedesk.api.deps import CurrentAgent, SessionDep, SettingsDep
from servicedesk.api.schemas import Day
from servicedesk.feedback.export import report_csv, report_png
from servicedesk.feedback.period import PeriodError, comparison, period_or_year
from servicedesk.feedback.report import Group, Means, ReportRow, build_report

router = APIRouter(prefix="/api/reports", tags=["reports"])


class MeansPublic(BaseModel):
    """Antal and the four means (two decimals; null without answers)."""

    count: int
    overall: Decimal | None
    communication: Decimal | None
    expectation: Decimal | None
    treatment: Decimal | None

    @classmethod
    def of(cls, means: Means | None) -> MeansPublic | None:
        """Convert from the domain's figures."""
        if means is None:
            return None
        return cls(
            count=means.count,
            overall=means.overall,
            communication=means.communication,
            expectation=means.expectation,
            treatment=means.treatment,
        )


class RowPublic(BaseModel):
    """One group (or Totalt) in the period and the comparison period."""

    key: str
    name: str
    current: MeansPublic
    previous: MeansPublic | None

    @classmethod
    def of(cls, row: ReportRow) -> RowPublic:
        """Convert from the domain's row."""
        current = MeansPublic.of(row.current)
        assert current is not None
        return cls(
            key=row.key, name=row.name, current=current, previous=MeansPublic.of(row.previous)
        )


class CommentPublic(BaseModel):
    """A free-text comment with its ticket."""

    ticket_number: str
    group_name: str
    answered_at: datetime
    overall: int
    text: str


class FeedbackReportPublic(BaseModel):
    """The kunddialog report, over the tickets the caller may see.

    ``queues``: the service categories it is limited to (besides tickets without a service
    and tickets assigned to the caller), or null when it covers every ticket.
    """

    group: Group
    period_from: date
    period_to: date
    compare_from: date | None
    compare_to: date | None
    queues: list[str] | None
    rows: list[RowPublic]
    total: RowPublic
    comments: list[CommentPublic]


_FORMATS = {"csv": "text/csv; charset=utf-8", "png": "image/png"}


@router.get(
    "/feedback",
    response_model=FeedbackReportPublic,
    responses={
        200: {"content": {"text/csv": {}, "image/png": {}}},
        422: {"description": "A period that ends before it starts"},
    },
)
def feedback_report(
    session: SessionDep,
    settings: SettingsDep,
    agent: CurrentAgent,
    from_: Annotated[Day | None, Query(alias="from", description="First day")] = None,
    to: Annotated[Day | None, Query(description="Last day (included)")] = None,
    group: Group = "forvaltning",
    compare_from: Day | None = None,
    compare_to: Day | None = None,
    format: Literal["json", "csv", "png"] = "json",
) -> FeedbackReportPublic | Response:
    """Antal and the means per förvaltning, service category or performer for a period.

    Every group in the register is listed, also those without answers. Default period:
    the current calendar year. ``format=csv`` gives the table (semicolons, decimal comma),
    ``format=png`` a bar chart of the four means per group.

    Only answers about tickets the caller may see count, by the rule of the ticket queue:
    an agent's queues (all when they have none), tickets without a service and tickets
    assigned to them; admins see all.
    """
    try:
        period = period_or_year(from_, to, settings.timezone)
        compare = comparison(compare_from, compare_to)
    except PeriodError as exc:
        raise HTTPException(422, detail=str(exc)) from exc
    report = build_report(
        session=session, period=period, group=group, compare=compare,
        timezone=settings.timezone, viewer=agent,
    )  # fmt: skip
    name = f"kunddialog-{group}-{period.start.isoformat()}-{period.end.isoformat()}"
    if format == "csv":
        return Response(
            "\ufeff" + report_csv(report),
            media_type=_FORMATS["csv"],
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if format == "png":
        return Response(report_png(report), media_type=_FORMATS["png"])
    read_log.record_feedback_comments(
        session=session, agent=agent, ticket_numbers=[c.ticket_number for c in report.comments],
        via="api",
    )  # fmt: skip
    return FeedbackReportPublic(
        group=report.group,
        period_from=period.start,
        period_to=period.end,
        compare_from=compare.start if compare else None,
        compare_to=compare.end if compare else None,
        queues=list(report.queues) if report.queues is not None else None,
        rows=[RowPublic.of(r) for r in report.rows],
        total=RowPublic.of(report.total),
        comments=[
            CommentPublic(
                ticket_number=c.ticket_number,
                group_name=c.group_name,
                answered_at=c.answered_at,
                overall=c.overall,
                text=c.text,
            )
            for c in report.comments
        ],
    )
