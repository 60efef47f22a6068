"""Desk API for figures and agents: SLA statistics for everyone; agent management and the read
log for admins."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status
from pydantic import BaseModel
from sqlalchemy import select

from servicedesk import read_log
from servicedesk.agents import create_agent
from servicedesk.api.deps import CurrentAgent, SessionDep, SettingsDep
from servicedesk.api.schemas import MAX_DB_INT, AgentCreate, AgentCreated, AgentPublic, Day
from servicedesk.models import Agent, AgentRole
from servicedesk.stats import period_stats

router = APIRouter(prefix="/api", tags=["figures and agents"])


def require_admin(agent: CurrentAgent) -> Agent:
    """Answer 403 unless the caller is an admin."""
    if agent.role != AgentRole.ADMIN:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail="Endast administratörer får göra det."
        )
    return agent


AdminAgent = Annotated[Agent, Depends(require_admin)]


class StatsPublic(BaseModel):
    """SLA figures for tickets created in the period (dates are Europe/Stockholm days)."""

    start: datetime
    end: datetime
    total: int
    by_state: dict[str, int]
    by_channel: dict[str, int]
    by_category: dict[str, int]
    delivered: int
    delivered_within_sla: int
    within_sla_share: float | None
    median_first_response_minutes: float | None
    bot_resolution_rate: float | None


@router.get("/stats", response_model=StatsPublic)
def get_stats(
    session: SessionDep,
    settings: SettingsDep,
    _agent: CurrentAgent,
    from_: Annotated[
        Day | None, Query(alias="from", description="First day (default: 30 days ago)")
    ] = None,
    to: Annotated[Day | None, Query(description="Last day, inclusive (default: today)")] = None,
) -> dict[str, Any]:
    """Tickets per state/channel/category, delivered within SLA, first response, lösningsgrad."""
    zone = ZoneInfo(settings.timezone)
    today = datetime.now(zone).date()
    last = to or today
    first = from_ or last - timedelta(days=29)
    if first > last:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=[{"loc": ["query", "from"], "msg": "'from' must not be after 'to'",
                     "type": "value_error"}],
        )  # fmt: skip
    start = datetime.combine(first, time.min, zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, zone).astimezone(UTC)
    return vars(period_stats(session=session, start=start, end=end))


@router.get("/agents", response_model=list[AgentPublic])
def list_agents(session: SessionDep, _admin: AdminAgent) -> list[Agent]:
    """Every agent (admins only)."""
    return list(session.scalars(select(Agent).order_by(Agent.username)))


@router.post("/agents", response_model=AgentCreated, status_code=status.HTTP_201_CREATED)
def post_agent(body: AgentCreate, session: SessionDep, _admin: AdminAgent) -> AgentCreated:
    """Create an agent (admins only); the token is in this response only."""
    try:
        agent, token = create_agent(
            session=session, username=body.username, display_name=body.display_name,
            role=body.role, queues=body.queues,
        )  # fmt: skip
    except ValueError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from exc
    return AgentCreated(
        username=agent.username, display_name=agent.display_name, role=agent.role,
        queues=list(agent.queues), active=agent.active, token=token,
    )  # fmt: skip


class ReadLogEntryPublic(BaseModel):
    """One time an agent read a ticket, transcript, thread or feedback comment."""

    at: datetime
    agent: str
    what: str
    ticket_number: str | None
    via: str


@router.get("/read-log", response_model=list[ReadLogEntryPublic])
def get_read_log(
    session: SessionDep,
    _admin: AdminAgent,
    response: Response,
    ticket: Annotated[str | None, Query(max_length=20, description="Ticket number")] = None,
    agent: Annotated[str | None, Query(max_length=100, description="Agent username")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_DB_INT)] = 0,
) -> list[ReadLogEntryPublic]:
    """Who read what and when, newest first, per ticket and/or per agent (admins only).

    The total number of matches is in the ``X-Total-Count`` header.
    """
    records, total = read_log.list_reads(
        session=session, ticket_number=ticket, agent_username=agent, limit=limit, offset=offset
    )
    response.headers["X-Total-Count"] = str(total)
    return [ReadLogEntryPublic(**vars(r)) for r in records]
