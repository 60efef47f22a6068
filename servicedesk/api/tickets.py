"""Desk API for tickets: queue, detail, claim/assign, states, comments, messages, takeover."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

from fastapi import APIRouter, HTTPException, Query, Response, status
from sqlalchemy import select

from servicedesk import desk, read_log, relay
from servicedesk.api.deps import CurrentAgent, SessionDep, SettingsDep
from servicedesk.api.schemas import (
    MAX_DB_INT,
    AssignRequest,
    CommentRequest,
    MessagePublic,
    MessageRequest,
    TicketDetail,
    TicketEventPublic,
    TicketSummary,
    TransitionRequest,
)
from servicedesk.models import Agent, Message, Ticket, TicketEvent, TicketState, utcnow
from servicedesk.privacy.field_crypto import field_cipher
from servicedesk.tickets import TransitionError

router = APIRouter(prefix="/api/tickets", tags=["tickets"])

_Responses = dict[int | str, dict[str, Any]]
_NOT_FOUND: _Responses = {404: {"description": "No such ticket, or not in the caller's queues"}}
_CONFLICT: _Responses = {409: {"description": "Not allowed in the ticket's current state"}}

Number = Annotated[str, Query(max_length=20)]


def _not_found(number: str) -> NoReturn:
    raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"Ärendet {number} finns inte.")


@contextmanager
def _conflicts_as_409() -> Iterator[None]:
    """Answer 409 with the reason when the ticket's state or takeover forbids the change."""
    try:
        yield
    except (TransitionError, relay.TakeoverConflictError) as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from exc


def _ticket(session: SessionDep, agent: Agent, number: str) -> Ticket:
    try:
        return desk.find_ticket_for(session=session, agent=agent, number=number)
    except desk.TicketNotFoundError:
        _not_found(number)


def _detail(
    session: SessionDep, ticket: Ticket, revealed: dict[str, str] | None = None
) -> TicketDetail:
    session.flush()
    session.refresh(ticket)
    return TicketDetail.from_ticket(
        ticket,
        utcnow(),
        messages=relay.thread(session=session, ticket=ticket),
        takeover=relay.active_takeover(session=session, requester=ticket.requester),
        revealed=revealed,
    )


@router.get("", response_model=list[TicketSummary])
def list_tickets(
    session: SessionDep,
    agent: CurrentAgent,
    response: Response,
    queue: Annotated[str | None, Query(max_length=200, description="Service category")] = None,
    state: TicketState | None = None,
    open_only: Annotated[bool, Query(alias="open")] = False,
    escalated: bool | None = None,
    overdue: bool | None = None,
    service: Annotated[str | None, Query(max_length=32)] = None,
    department: Annotated[str | None, Query(max_length=16, description="Förvaltning")] = None,
    mine: bool = False,
    q: Annotated[str | None, Query(max_length=200, description="Text search")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_DB_INT)] = 0,
) -> list[TicketSummary]:
    """The queue: overdue first, then escalated, then newest; closed tickets last.

    The total number of matches is in the ``X-Total-Count`` header.
    """
    filters = desk.QueueFilter(
        queue=queue, state=state, open_only=open_only, escalated=escalated, overdue=overdue,
        service_code=service, department_code=department, assigned_to_me=mine, text=q,
    )  # fmt: skip
    now = utcnow()
    found, total = desk.list_queue(
        session=session, agent=agent, filters=filters, limit=limit, offset=offset, now=now
    )
    response.headers["X-Total-Count"] = str(total)
    return [TicketSummary.from_ticket(t, now) for t in found]


@router.get("/{number}", response_model=TicketDetail, responses=_NOT_FOUND)
def get_ticket(
    number: str, session: SessionDep, agent: CurrentAgent, settings: SettingsDep
) -> TicketDetail:
    """One ticket with details, transcript, thread, takeover, requester and events.

    The opening is recorded in the read log (ticket, transcript, thread). A personnummer
    field is decrypted only for an agent whose queues name the ticket's category (recorded
    too); everyone else, and every other endpoint, gets it masked.
    """
    ticket = _ticket(session, agent, number)
    read_log.record_ticket_opened(session=session, agent=agent, ticket=ticket, via="api")
    revealed = read_log.reveal_protected(
        session=session, agent=agent, ticket=ticket, via="api",
        cipher=field_cipher(settings.field_key.get_secret_value()),
    )  # fmt: skip
    return _detail(session, ticket, revealed)


@router.get("/{number}/messages", response_model=list[MessagePublic], responses=_NOT_FOUND)
def get_messages(
    number: str,
    session: SessionDep,
    agent: CurrentAgent,
    after: Annotated[
        int | None,
        Query(ge=0, le=MAX_DB_INT, description="Only messages with a larger id (default 0)"),
    ] = None,
) -> list[MessagePublic]:
    """The ticket thread after message ``after`` (the console polls this).

    Reading the thread without ``after`` is recorded in the read log; polling with
    ``after`` (as the console's open ticket page does, whose opening is recorded) is not.
    """
    ticket = _ticket(session, agent, number)
    if after is None:
        after = 0
        read_log.record_reads(
            session=session, agent=agent, what=read_log.THREAD, tickets=[ticket], via="api"
        )
    stmt = (
        select(Message)
        .where(Message.ticket_id == ticket.id, Message.id > after)
        .order_by(Message.id)
        .limit(500)
    )
    return [MessagePublic.from_message(m) for m in session.scalars(stmt)]


@router.post(
    "/{number}/transition", response_model=TicketDetail, responses={**_NOT_FOUND, **_CONFLICT}
)
def post_transition(
    number: str, body: TransitionRequest, session: SessionDep, agent: CurrentAgent
) -> TicketDetail:
    """Move the ticket to another state; the requester is told about states they care about."""
    ticket = _ticket(session, agent, number)
    with _conflicts_as_409():
        desk.change_state(
            session=session, ticket=ticket, agent=agent, to_state=body.to_state,
            comment=body.comment, notify=body.notify,
        )  # fmt: skip
    return _detail(session, ticket)


@router.post(
    "/{number}/assign",
    response_model=TicketDetail,
    responses={**_NOT_FOUND, 403: {"description": "Only admins assign others"}},
)
def post_assign(
    number: str, body: AssignRequest, session: SessionDep, agent: CurrentAgent
) -> TicketDetail:
    """Claim (your own username), assign to another agent (admins) or release (null)."""
    ticket = _ticket(session, agent, number)
    target = None
    if body.agent is not None:
        target = session.scalars(
            select(Agent).where(Agent.username == body.agent, Agent.active.is_(True))
        ).one_or_none()
        if target is None:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                detail=[{"loc": ["body", "agent"], "msg": f"Unknown agent {body.agent!r}",
                         "type": "value_error"}],
            )  # fmt: skip
    try:
        desk.assign(session=session, ticket=ticket, agent=agent, to_agent=target)
    except desk.AccessDeniedError as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=str(exc)) from exc
    return _detail(session, ticket)


@router.post(
    "/{number}/comments",
    response_model=TicketEventPublic | MessagePublic,
    status_code=status.HTTP_201_CREATED,
    responses={**_NOT_FOUND, **_CONFLICT},
)
def post_comment(
    number: str, body: CommentRequest, session: SessionDep, agent: CurrentAgent
) -> TicketEventPublic | MessagePublic:
    """Add an internal note, or with ``internal: false`` write to the requester."""
    ticket = _ticket(session, agent, number)
    with _conflicts_as_409():
        made = desk.add_comment(
            session=session, ticket=ticket, agent=agent, text=body.text, internal=body.internal
        )
    if isinstance(made, TicketEvent):
        return TicketEventPublic.model_validate(made)
    return MessagePublic.from_message(made)


@router.post(
    "/{number}/messages",
    response_model=MessagePublic,
    status_code=status.HTTP_201_CREATED,
    responses={**_NOT_FOUND, **_CONFLICT},
)
def post_message(
    number: str, body: MessageRequest, session: SessionDep, agent: CurrentAgent
) -> MessagePublic:
    """Send a message to the requester, on the channel they used."""
    ticket = _ticket(session, agent, number)
    with _conflicts_as_409():
        message = desk.send_to_requester(
            session=session, ticket=ticket, agent=agent, text=body.text
        )
    return MessagePublic.from_message(message)


@router.post(
    "/{number}/takeover", response_model=TicketDetail, responses={**_NOT_FOUND, **_CONFLICT}
)
def post_takeover(number: str, session: SessionDep, agent: CurrentAgent) -> TicketDetail:
    """Take over the requester's conversation: the bot stays silent until handed back."""
    ticket = _ticket(session, agent, number)
    with _conflicts_as_409():
        desk.take_over(session=session, ticket=ticket, agent=agent)
    return _detail(session, ticket)


@router.post(
    "/{number}/handback", response_model=TicketDetail, responses={**_NOT_FOUND, **_CONFLICT}
)
def post_handback(number: str, session: SessionDep, agent: CurrentAgent) -> TicketDetail:
    """Hand the conversation back to the bot, which tells the person and answers again."""
    ticket = _ticket(session, agent, number)
    with _conflicts_as_409():
        desk.hand_back(session=session, ticket=ticket, agent=agent)
    return _detail(session, ticket)
