"""Console pages: login, the queue and one ticket, rendered on the server in Swedish."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from servicedesk import desk, read_log, relay
from servicedesk.agents import authenticate
from servicedesk.api import sso
from servicedesk.api.deps import SessionDep, SettingsDep
from servicedesk.api.schemas import Day
from servicedesk.console import auth
from servicedesk.console.ticket_context import detail_context, person_channels
from servicedesk.models import Agent, Department, Service, Ticket, TicketState, utcnow
from servicedesk.privacy.field_crypto import field_cipher
from servicedesk.stats import period_stats
from servicedesk.tickets import is_overdue

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
STATIC_DIR = Path(__file__).resolve().parent / "static"

router = APIRouter(prefix="/konsol", include_in_schema=False)

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
PAGE_HEADERS = {"Content-Security-Policy": _CSP, "Cache-Control": "no-store"}

REASONS = {
    "asked_for_human": "bad om en människa",
    "no_match": "ingen tjänst passade",
    "misunderstood": "upprepade missförstånd",
    "complaint": "klagomål",
    "low_feedback_score": "lågt betyg i kunddialogen",
}
CHANNELS = {"web": "webbchatt", "telegram": "Telegram"}
EVENTS = {
    "created": "skapade ärendet",
    "transition": "ändrade status",
    "escalated": "eskalerade",
    "takeover": "tog över samtalet",
    "handback": "lämnade tillbaka samtalet",
    "assigned": "tilldelade",
    "comment": "antecknade",
    "message": "skrev till beställaren",
    "cancelled": "makulerade",
}


def _local(settings_tz: str, moment: datetime | None) -> str:
    if moment is None:
        return "–"
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(ZoneInfo(settings_tz)).strftime("%Y-%m-%d %H:%M")


def _to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/konsol/logga-in?next={target}", status.HTTP_303_SEE_OTHER)


def _render(request: Request, name: str, context: dict[str, Any], code: int = 200) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request, name, context, status_code=code, headers=PAGE_HEADERS
    )


def _base(request: Request, settings: SettingsDep, agent: Agent) -> dict[str, Any]:
    cookie = request.cookies.get(auth.COOKIE_NAME, "")
    return {
        "agent": agent,
        "csrf": auth.csrf_token(settings, cookie),
        "fmt": lambda moment: _local(settings.timezone, moment),
        "reasons": REASONS,
        "channels": CHANNELS,
        "event_labels": EVENTS,
    }


def _safe_next(target: str | None) -> str:
    # Only paths of the console itself: never an absolute URL (open redirect).
    if target and target.startswith("/konsol") and "//" not in target and "\\" not in target:
        return target
    return "/konsol"


def _token_login_allowed(settings: SettingsDep) -> bool:
    """The token form is the login without single sign-on, or the break-glass door with it."""
    return not settings.oidc_enabled or settings.oidc_allow_token_login


def _sso_start(target: str) -> str:
    return f"/auth/logga-in?{urlencode({'till': 'konsol', 'next': target})}"


@router.get("/logga-in", response_class=HTMLResponse)
def login_page(
    request: Request,
    settings: SettingsDep,
    next_: Annotated[str | None, Query(alias="next")] = None,
) -> Response:
    """The login form; with single sign-on the provider's login (and the form for break-glass)."""
    target = _safe_next(next_)
    if not _token_login_allowed(settings):
        return RedirectResponse(_sso_start(target), status.HTTP_303_SEE_OTHER)
    sso_url = _sso_start(target) if settings.oidc_enabled else None
    return _render(request, "login.html", {"next": target, "error": None, "sso": sso_url})


@router.post("/logga-in")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str, Form(max_length=500)] = "",
    next_: Annotated[str, Form(alias="next", max_length=500)] = "/konsol",
) -> Response:
    """Check the agent token and start a console session (a random key in an HttpOnly cookie).

    A session the browser already had is ended first: one browser, one session. With single
    sign-on the form is refused unless ``SERVICEDESK_OIDC_ALLOW_TOKEN_LOGIN`` keeps it open.
    """
    target = _safe_next(next_)
    context: dict[str, Any] = {
        "next": target,
        "sso": _sso_start(target) if settings.oidc_enabled else None,
    }
    if not _token_login_allowed(settings):
        error = "Inloggning med nyckel är avstängd. Logga in med ditt organisationskonto."
        return _render(request, "login.html", {**context, "error": error}, 403)
    agent = authenticate(session=session, token=token.strip())
    if agent is None:
        error = "Inloggningsnyckeln stämmer inte. Kontrollera den och försök igen."
        return _render(request, "login.html", {**context, "error": error}, 401)
    auth.end_session(session=session, value=request.cookies.get(auth.COOKIE_NAME))
    key = auth.start_session(session=session, settings=settings, agent=agent)
    # Commit before answering: the browser follows the redirect at once, and the request
    # session's own commit may run only after the response is sent.
    session.commit()
    response = RedirectResponse(_safe_next(next_), status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        auth.COOKIE_NAME, key, max_age=auth.session_seconds(settings), httponly=True,
        samesite="strict", secure=auth.cookie_secure(settings, request), path="/",
    )  # fmt: skip
    return response


@router.post("/logga-ut")
async def logout(request: Request, settings: SettingsDep) -> Response:
    """End the console session on the server (a copy of the cookie is worthless after).

    With single sign-on the browser then goes to the provider's logout too.
    """
    await run_in_threadpool(_end_console_session, request)
    response: Response = RedirectResponse("/konsol/logga-in", status.HTTP_303_SEE_OTHER)
    if settings.oidc_enabled:
        response = await sso.logged_out_page(request, settings)
    response.delete_cookie(
        auth.COOKIE_NAME, path="/", httponly=True, samesite="strict",
        secure=auth.cookie_secure(settings, request),
    )  # fmt: skip
    return response


def _end_console_session(request: Request) -> None:
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    with factory() as session:
        auth.end_session(session=session, value=request.cookies.get(auth.COOKIE_NAME))
        session.commit()  # revoked before the redirect is followed


def _page_number(value: str | None) -> int:
    """The page asked for with ``sida``: 1 for anything but a plain number of up to 6 digits."""
    if value is None or not re.fullmatch(r"[0-9]{1,6}", value):
        return 1
    return max(int(value), 1)


def _queue_context(
    session: SessionDep, settings: SettingsDep, agent: Agent, params: dict[str, str]
) -> dict[str, Any]:
    def flag(name: str) -> bool | None:
        return {"ja": True, "nej": False}.get(params.get(name, ""))

    state = params.get("status") or None
    filters = desk.QueueFilter(
        queue=params.get("ko") or None,
        state=TicketState(state) if state in {s.value for s in TicketState} else None,
        open_only=params.get("visa", "oppna") == "oppna" and not state,
        escalated=flag("eskalerade"),
        overdue=flag("forsenade"),
        department_code=params.get("forvaltning") or None,
        assigned_to_me=params.get("mina") == "ja",
        text=(params.get("q") or "").strip()[:200] or None,
    )
    now = utcnow()
    size = 50
    page = _page_number(params.get("sida"))
    found, total = desk.list_queue(
        session=session, agent=agent, filters=filters, limit=size, offset=(page - 1) * size, now=now
    )
    pages = max((total + size - 1) // size, 1)
    rows = [{"t": t, "overdue": is_overdue(t, now)} for t in found]
    categories = sorted(set(session.scalars(select(Service.category).where(Service.active))))
    departments = list(session.scalars(select(Department).order_by(Department.name)))
    return {
        "rows": rows, "total": total, "page": page, "pages": pages,
        "params": params, "states": list(TicketState), "categories": categories,
        "departments": departments,
    }  # fmt: skip


@router.get("", response_class=HTMLResponse)
def queue_page(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The queue: overdue and escalated first, with filters and search."""
    agent = auth.agent_from_request(request, session, settings)
    if agent is None:
        return _to_login(request)
    params = dict(request.query_params)
    context = _base(request, settings, agent) | _queue_context(session, settings, agent, params)
    return _render(request, "queue.html", context)


@router.get("/ko-rader", response_class=HTMLResponse)
def queue_rows(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The queue table body alone, for the page's periodic refresh."""
    agent = auth.agent_from_request(request, session, settings)
    if agent is None:
        return Response(status_code=status.HTTP_401_UNAUTHORIZED)
    params = dict(request.query_params)
    context = _base(request, settings, agent) | _queue_context(session, settings, agent, params)
    return _render(request, "_queue_rows.html", context)


@router.get("/arenden/{number}", response_class=HTMLResponse)
def ticket_page(
    number: str, request: Request, session: SessionDep, settings: SettingsDep
) -> Response:
    """One ticket: details, the conversation as it happens, reply, states, takeover."""
    agent = auth.agent_from_request(request, session, settings)
    if agent is None:
        return _to_login(request)
    try:
        ticket: Ticket = desk.find_ticket_for(session=session, agent=agent, number=number)
    except desk.TicketNotFoundError:
        context = _base(request, settings, agent) | {"number": number}
        return _render(request, "not_found.html", context, 404)
    read_log.record_ticket_opened(session=session, agent=agent, ticket=ticket, via="console")
    revealed = read_log.reveal_protected(
        session=session, agent=agent, ticket=ticket, via="console",
        cipher=field_cipher(settings.field_key.get_secret_value()),
    )  # fmt: skip
    takeover = relay.active_takeover(session=session, requester=ticket.requester)
    department = (
        session.get(Department, ticket.requester.department_code)
        if ticket.requester.department_code
        else None
    )
    context = _base(request, settings, agent) | {
        "t": ticket,
        **detail_context(ticket, revealed),
        "person_channels": person_channels(session=session, ticket=ticket),
        "overdue": is_overdue(ticket, utcnow()),
        "takeover": takeover,
        "mine": takeover is not None and takeover.agent_id == agent.id,
        "messages": relay.thread(session=session, ticket=ticket),
        "allowed": desk.allowed_states(ticket),
        "department": department,
        "agents": list(session.scalars(select(Agent).where(Agent.active).order_by(Agent.username))),
    }
    return _render(request, "ticket.html", context)


@router.get("/statistik", response_class=HTMLResponse)
def stats_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    from_: Annotated[Day | None, Query(alias="fran")] = None,
    to: Annotated[Day | None, Query(alias="till")] = None,
) -> Response:
    """SLA figures for a period, in Swedish with decimal commas."""
    agent = auth.agent_from_request(request, session, settings)
    if agent is None:
        return _to_login(request)
    zone = ZoneInfo(settings.timezone)
    last = to or datetime.now(zone).date()
    first = from_ or last - timedelta(days=29)
    if first > last:
        first, last = last, first
    start = datetime.combine(first, time.min, zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, zone).astimezone(UTC)
    figures = period_stats(session=session, start=start, end=end)

    def pct(value: float | None) -> str:
        return "–" if value is None else f"{value * 100:.1f} %".replace(".", ",")

    context = _base(request, settings, agent) | {
        "s": figures, "first": first, "last": last, "pct": pct,
        "minutes": "–" if figures.median_first_response_minutes is None
        else f"{figures.median_first_response_minutes:.1f}".replace(".", ","),
    }  # fmt: skip
    return _render(request, "stats.html", context)
