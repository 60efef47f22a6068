"""What desk agents do with tickets: access rules, queue, claim, states, messages, takeover.

Every function takes the acting agent and checks the agent's right to the ticket first:
an admin may act on every ticket; an agent on tickets of the queues (service categories)
they work, tickets without a service, and tickets assigned to them. A ticket outside
the agent's reach is reported exactly like a missing one, so numbers cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from servicedesk import relay
from servicedesk.links import reply_requester
from servicedesk.models import (
    Agent,
    AgentRole,
    Message,
    Requester,
    Service,
    Takeover,
    Ticket,
    TicketEvent,
    TicketState,
    as_utc,
    utcnow,
)
from servicedesk.tickets import CLOSED_STATES, TRANSITIONS, get_ticket, transition

__all__ = [
    "STATUS_NOTICES",
    "AccessDeniedError",
    "QueueFilter",
    "TicketNotFoundError",
    "add_comment",
    "assign",
    "change_state",
    "find_ticket_for",
    "hand_back",
    "list_queue",
    "send_to_requester",
    "take_over",
]

#: What the requester is told when the desk moves their ticket to a state.
STATUS_NOTICES: dict[TicketState, str] = {
    TicketState.RECEIVED: "Ditt ärende {number} ({title}) är mottaget av servicedesken.",
    TicketState.DELIVERED: "Ditt ärende {number} ({title}) är levererat.",
    TicketState.WAITING: (
        "Servicedesken behöver mer information för ärende {number} ({title}). "
        "Svara gärna här i chatten."
    ),
    TicketState.CANCELLED: "Ditt ärende {number} ({title}) är makulerat av servicedesken.",
    TicketState.CLOSED: "Ditt ärende {number} ({title}) är avslutat.",
}


class TicketNotFoundError(LookupError):
    """No ticket with that number that this agent may see."""


class AccessDeniedError(PermissionError):
    """The agent may see the ticket but not do this (e.g. only admins assign others)."""


def _actor(agent: Agent) -> str:
    return f"agent:{agent.username}"


def _visible_clause(agent: Agent) -> Any:
    """SQL condition for the tickets ``agent`` may see."""
    if agent.role == AgentRole.ADMIN or not agent.queues:
        return Ticket.id.is_not(None)
    in_queue = Ticket.service_code.in_(
        select(Service.code).where(Service.category.in_(list(agent.queues)))
    )
    return or_(in_queue, Ticket.service_code.is_(None), Ticket.assigned_agent_id == agent.id)


def can_see(agent: Agent, ticket: Ticket) -> bool:
    """Tell whether ``agent`` may see and work ``ticket``."""
    if agent.role == AgentRole.ADMIN or not agent.queues:
        return True
    if ticket.assigned_agent_id == agent.id or ticket.service is None:
        return True
    return ticket.service.category in agent.queues


def find_ticket_for(*, session: Session, agent: Agent, number: str) -> Ticket:
    """Return the ticket ``number`` if ``agent`` may see it.

    Raises:
        TicketNotFoundError: It does not exist or is outside the agent's queues.
    """
    ticket = get_ticket(session=session, number=number.strip().upper())
    if ticket is None or not can_see(agent, ticket):
        raise TicketNotFoundError(number)
    return ticket


@dataclass(frozen=True)
class QueueFilter:
    """Filters of the desk queue; ``None`` means "any"."""

    queue: str | None = None
    state: TicketState | None = None
    open_only: bool = False
    escalated: bool | None = None
    overdue: bool | None = None
    service_code: str | None = None
    department_code: str | None = None
    assigned_to_me: bool = False
    text: str | None = None


def _overdue_clause(now: datetime) -> Any:
    stopped = [TicketState.DELIVERED, *CLOSED_STATES]
    return and_(
        Ticket.sla_deadline.is_not(None),
        Ticket.sla_deadline < now,
        Ticket.state.not_in(stopped),
    )


def _filtered(agent: Agent, filters: QueueFilter, now: datetime) -> Select[tuple[Ticket]]:
    stmt = select(Ticket).join(Requester, Requester.id == Ticket.requester_id)
    stmt = stmt.outerjoin(Service, Service.code == Ticket.service_code)
    stmt = stmt.where(_visible_clause(agent))
    if filters.queue:
        stmt = stmt.where(Service.category == filters.queue)
    if filters.state is not None:
        stmt = stmt.where(Ticket.state == filters.state)
    if filters.open_only:
        stmt = stmt.where(Ticket.state.not_in(CLOSED_STATES))
    if filters.escalated is not None:
        stmt = stmt.where(Ticket.escalated.is_(filters.escalated))
    if filters.overdue is not None:
        clause = _overdue_clause(now)
        stmt = stmt.where(clause if filters.overdue else ~clause)
    if filters.service_code:
        stmt = stmt.where(Ticket.service_code == filters.service_code)
    if filters.department_code:
        stmt = stmt.where(Requester.department_code == filters.department_code)
    if filters.assigned_to_me:
        stmt = stmt.where(Ticket.assigned_agent_id == agent.id)
    if filters.text:
        pattern = f"%{filters.text.strip()}%"
        stmt = stmt.where(
            or_(
                Ticket.number.ilike(pattern),
                Ticket.title.ilike(pattern),
                Requester.name.ilike(pattern),
                Service.name.ilike(pattern),
                cast(Ticket.details, String).ilike(pattern),
            )
        )
    return stmt


def list_queue(
    *,
    session: Session,
    agent: Agent,
    filters: QueueFilter,
    limit: int = 50,
    offset: int = 0,
    now: datetime | None = None,
) -> tuple[list[Ticket], int]:
    """Return one page of the queue and the total: overdue first, then escalated, then newest.

    Closed tickets sort after open ones.
    """
    moment = as_utc(now or utcnow())
    stmt = _filtered(agent, filters, moment)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    order = [
        case((Ticket.state.in_(CLOSED_STATES), 1), else_=0),
        case((_overdue_clause(moment), 0), else_=1),
        case((Ticket.escalated.is_(True), 0), else_=1),
        Ticket.created_at.desc(),
        Ticket.id.desc(),
    ]
    page = session.scalars(stmt.order_by(*order).limit(limit).offset(offset)).all()
    return list(page), int(total)


def _first_response(ticket: Ticket, moment: datetime) -> None:
    if ticket.first_response_at is None:
        ticket.first_response_at = moment


def assign(
    *,
    session: Session,
    ticket: Ticket,
    agent: Agent,
    to_agent: Agent | None,
    now: datetime | None = None,
) -> None:
    """Claim ``ticket`` (``to_agent`` is ``agent``), assign it to someone else, or release it.

    Raises:
        AccessDeniedError: An agent who is not admin assigned the ticket to another agent,
            or took it from another agent.
    """
    moment = as_utc(now or utcnow())
    is_admin = agent.role == AgentRole.ADMIN
    target_id = to_agent.id if to_agent is not None else None
    if not is_admin:
        if target_id not in (agent.id, None):
            raise AccessDeniedError("Only admins can assign a ticket to another agent")
        if ticket.assigned_agent_id not in (None, agent.id):
            raise AccessDeniedError("The ticket is assigned to another agent; ask an admin")
    ticket.assigned_agent_id = target_id
    ticket.updated_at = moment
    ticket.events.append(
        TicketEvent(
            at=moment,
            actor=_actor(agent),
            kind="assigned",
            data={"agent": to_agent.username if to_agent else None},
        )
    )
    session.flush()


def change_state(
    *,
    session: Session,
    ticket: Ticket,
    agent: Agent,
    to_state: TicketState,
    comment: str | None = None,
    notify: bool = True,
    now: datetime | None = None,
) -> TicketEvent:
    """Move ``ticket`` to ``to_state`` and tell the requester when the state is one they care about.

    Raises:
        TransitionError: The transition table does not allow it.
    """
    moment = as_utc(now or utcnow())
    event = transition(
        session=session, ticket=ticket, to_state=to_state, actor=_actor(agent),
        comment=comment, now=moment,
    )  # fmt: skip
    if ticket.assigned_agent_id is None:
        ticket.assigned_agent_id = agent.id
    _first_response(ticket, moment)
    notice = STATUS_NOTICES.get(to_state)
    if notify and notice:
        text = notice.format(number=ticket.number, title=ticket.title or "ärende")
        if comment and to_state == TicketState.WAITING:
            text = f"{text}\n\n{comment}"
        relay.enqueue_outbound(
            session=session, requester=reply_requester(session=session, ticket=ticket),
            ticket=ticket, author="system",
            text=text, dedupe_key=f"state:{ticket.number}:{event.id or moment.isoformat()}",
            now=moment,
        )  # fmt: skip
    return event


def add_comment(
    *,
    session: Session,
    ticket: Ticket,
    agent: Agent,
    text: str,
    internal: bool = True,
    now: datetime | None = None,
) -> TicketEvent | Message:
    """Add an internal note, or (``internal=False``) a message to the requester."""
    if not internal:
        return send_to_requester(session=session, ticket=ticket, agent=agent, text=text, now=now)
    moment = as_utc(now or utcnow())
    event = TicketEvent(at=moment, actor=_actor(agent), kind="comment", comment=text, data={})
    ticket.events.append(event)
    ticket.updated_at = moment
    session.flush()
    return event


def send_to_requester(
    *, session: Session, ticket: Ticket, agent: Agent, text: str, now: datetime | None = None
) -> Message:
    """Send ``text`` from ``agent`` to the ticket's requester on their channel.

    For a person linked on several channels: the channel they last wrote from about this
    ticket, else the one the ticket came from (:func:`servicedesk.links.reply_requester`).

    During a takeover by this agent the idle clock restarts.

    Raises:
        relay.TakeoverConflictError: Another agent holds the conversation.
    """
    moment = as_utc(now or utcnow())
    takeover = relay.active_takeover(session=session, requester=ticket.requester)
    if takeover is not None:
        if takeover.agent_id != agent.id:
            raise relay.TakeoverConflictError(
                f"The conversation is held by agent '{takeover.agent.username}'"
            )
        takeover.agent_active_at = moment
    _first_response(ticket, moment)
    ticket.updated_at = moment
    message = relay.enqueue_outbound(
        session=session, requester=reply_requester(session=session, ticket=ticket),
        ticket=ticket, author="agent", agent=agent, text=text, now=moment,
    )  # fmt: skip
    ticket.events.append(
        TicketEvent(at=moment, actor=_actor(agent), kind="message", comment=text, data={})
    )
    session.flush()
    return message


def take_over(
    *, session: Session, ticket: Ticket, agent: Agent, now: datetime | None = None
) -> Takeover:
    """Take over the requester's conversation; the ticket is claimed if nobody has it.

    Raises:
        relay.TakeoverConflictError: Another agent holds the conversation.
    """
    takeover = relay.start_takeover(session=session, ticket=ticket, agent=agent, now=now)
    if ticket.assigned_agent_id is None:
        ticket.assigned_agent_id = agent.id
    _first_response(ticket, takeover.started_at)
    return takeover


def hand_back(
    *, session: Session, ticket: Ticket, agent: Agent, now: datetime | None = None
) -> Takeover:
    """Hand the conversation back to the bot.

    Raises:
        relay.TakeoverConflictError: No takeover is open, or another agent holds it
            (admins may end anyone's takeover).
    """
    takeover = relay.active_takeover(session=session, requester=ticket.requester)
    if takeover is None:
        raise relay.TakeoverConflictError("The conversation is not taken over")
    if takeover.agent_id != agent.id and agent.role != AgentRole.ADMIN:
        raise relay.TakeoverConflictError(
            f"The conversation is held by agent '{takeover.agent.username}'"
        )
    relay.end_takeover(session=session, takeover=takeover, actor=_actor(agent), now=now)
    return takeover


def allowed_states(ticket: Ticket) -> list[TicketState]:
    """The states ``ticket`` may move to next, in a stable order."""
    order = list(TicketState)
    return sorted(TRANSITIONS[TicketState(ticket.state)], key=order.index)
