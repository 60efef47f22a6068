"""Desk API for tickets: the queue and one ticket in full."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from servicedesk import tickets
from servicedesk.api.deps import CurrentAgent, SessionDep
from servicedesk.api.schemas import TicketDetail, TicketSummary
from servicedesk.models import TicketState, utcnow

router = APIRouter(prefix="/api/tickets", tags=["tickets"])


@router.get("", response_model=list[TicketSummary])
def list_tickets(
    session: SessionDep,
    _agent: CurrentAgent,
    state: TicketState | None = None,
    escalated: bool | None = None,
    service: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[TicketSummary]:
    """List tickets, newest first, filtered by state, escalation and service code."""
    found = tickets.list_tickets(
        session=session,
        state=state,
        escalated=escalated,
        service_code=service,
        limit=limit,
        offset=offset,
    )
    now = utcnow()
    return [TicketSummary.from_ticket(t, now) for t in found]


@router.get("/{number}", response_model=TicketDetail)
def get_ticket(number: str, session: SessionDep, _agent: CurrentAgent) -> TicketDetail:
    """Return one ticket with details, transcript, requester and events."""
    ticket = tickets.get_ticket(session=session, number=number)
    if ticket is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"Ärendet {number} finns inte.")
    return TicketDetail.from_ticket(ticket, utcnow())
