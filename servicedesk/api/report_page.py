"""Console page for the kunddialog report: the table with decimal commas, chart, comments.

It extends the console's own ``base.html`` and uses the console's login cookie; a
visitor without a valid cookie is sent to the console login. The page, its chart and its
CSV cover only the tickets the logged-in agent may see (``build_report(viewer=...)``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader

from servicedesk import read_log
from servicedesk.api.deps import SessionDep, SettingsDep
from servicedesk.api.schemas import Day
from servicedesk.console import auth
from servicedesk.console import pages as console_pages
from servicedesk.feedback.export import format_decimal, report_csv, report_png
from servicedesk.feedback.period import PeriodError, comparison, period_or_year
from servicedesk.feedback.report import (
    GROUP_LABELS,
    MEASURES,
    FeedbackReport,
    Group,
    Period,
    build_report,
)
from servicedesk.models import Agent
from servicedesk.settings import Settings

__all__ = ["router"]

PAGE_PATH = "/konsol/rapporter/kunddialog"
_HERE = Path(__file__).resolve().parent / "report_templates"
_CONSOLE = Path(console_pages.__file__).resolve().parent / "templates"
# Our template first, then the console's (for base.html).
_TEMPLATES = Jinja2Templates(
    env=Environment(
        loader=ChoiceLoader([FileSystemLoader(str(_HERE)), FileSystemLoader(str(_CONSOLE))]),
        autoescape=True,
    )
)

router = APIRouter(include_in_schema=False)
FromQ = Annotated[Day | None, Query(alias="fran")]
ToQ = Annotated[Day | None, Query(alias="till")]
CompareFromQ = Annotated[Day | None, Query(alias="jamfor_fran")]
CompareToQ = Annotated[Day | None, Query(alias="jamfor_till")]
GroupQ = Annotated[Group, Query(alias="grupp")]


def _login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/konsol/logga-in?next={target}", status.HTTP_303_SEE_OTHER)


def _dec(value: Decimal | None) -> str:
    return format_decimal(value) or "–"


@router.get(PAGE_PATH, response_class=HTMLResponse)
def report_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    from_: FromQ = None,
    to: ToQ = None,
    compare_from: CompareFromQ = None,
    compare_to: CompareToQ = None,
    group: GroupQ = "forvaltning",
) -> Response:
    """The report per förvaltning, category or performer, compared with another period."""
    agent = auth.agent_from_request(request, session, settings)
    if agent is None:
        return _login(request)
    error = None
    period = period_or_year(None, None, settings.timezone)
    compare = None
    try:
        period = period_or_year(from_, to, settings.timezone)
        compare = comparison(compare_from, compare_to)
    except PeriodError:
        error = "Perioden är ogiltig: kontrollera att slutdatum inte ligger före startdatum."
    report = build_report(
        session=session, period=period, group=group, compare=compare,
        timezone=settings.timezone, viewer=agent,
    )  # fmt: skip
    read_log.record_feedback_comments(
        session=session, agent=agent, ticket_numbers=[c.ticket_number for c in report.comments],
        via="console",
    )  # fmt: skip
    chart_query = {"fran": period.start, "till": period.end, "grupp": group}
    cookie = request.cookies.get(auth.COOKIE_NAME, "")
    context = {
        "agent": agent,
        "csrf": auth.csrf_token(settings, cookie),
        "report": report,
        "period": period,
        "compare": compare,
        "groups": GROUP_LABELS,
        "measures": MEASURES,
        "dec": _dec,
        "error": error,
        "csv_url": f"{PAGE_PATH}.csv?{urlencode(chart_query)}",
        "png_url": f"{PAGE_PATH}.png?{urlencode(chart_query)}",
    }
    return _TEMPLATES.TemplateResponse(
        request, "kunddialog.html", context, headers=console_pages.PAGE_HEADERS
    )


def _report(
    session: SessionDep,
    settings: Settings,
    agent: Agent,
    first: date | None,
    last: date | None,
    group: Group,
) -> tuple[FeedbackReport, Period]:
    try:
        period = period_or_year(first, last, settings.timezone)
    except PeriodError:
        period = period_or_year(None, None, settings.timezone)
    report = build_report(
        session=session, period=period, group=group, timezone=settings.timezone, viewer=agent
    )
    return report, period


@router.get(f"{PAGE_PATH}.png")
def report_chart(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    from_: FromQ = None,
    to: ToQ = None,
    group: GroupQ = "forvaltning",
) -> Response:
    """The bar chart of the page (same login and scope as the page)."""
    agent = auth.agent_from_request(request, session, settings)
    if agent is None:
        return Response(status_code=status.HTTP_401_UNAUTHORIZED)
    report, _ = _report(session, settings, agent, from_, to, group)
    return Response(report_png(report), media_type="image/png", headers=console_pages.PAGE_HEADERS)


@router.get(f"{PAGE_PATH}.csv")
def report_csv_download(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    from_: FromQ = None,
    to: ToQ = None,
    group: GroupQ = "forvaltning",
) -> Response:
    """The table of the page as CSV (same login and scope as the page)."""
    agent = auth.agent_from_request(request, session, settings)
    if agent is None:
        return Response(status_code=status.HTTP_401_UNAUTHORIZED)
    report, period = _report(session, settings, agent, from_, to, group)
    name = f"kunddialog-{group}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return Response(
        "\ufeff" + report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/console/rapporter/kunddialog")
def english_alias() -> RedirectResponse:
    """The page under its English path, sent on to the console's Swedish one."""
    return RedirectResponse(PAGE_PATH, status.HTTP_308_PERMANENT_REDIRECT)
