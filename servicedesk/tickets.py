"""Tickets (ärenden): numbering, creation, the state machine, escalation and queries."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from servicedesk.links import person_requester_ids, same_person
from servicedesk.models import (
    Requester,
    Service,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketKind,
    TicketState,
    as_utc,
    utcnow,
)
from servicedesk.settings import get_settings

__all__ = [
    "CLOSED_STATES",
    "REQUESTER_CANCELLABLE",
    "TRANSITIONS",
    "NotOwnerError",
    "TransitionError",
    "cancel_by_requester",
    "create_ticket",
    "escalate",
    "get_ticket",
    "is_overdue",
    "latest_requester_ticket",
    "list_requester_tickets",
    "list_tickets",
    "next_ticket_number",
    "transition",
]

S = TicketState

#: The one table of allowed state changes; a state missing as a key is terminal.
TRANSITIONS: dict[TicketState, frozenset[TicketState]] = {
    S.NEW: frozenset({S.RECEIVED, S.CANCELLED, S.IN_PROGRESS}),
    S.RECEIVED: frozenset({S.IN_PROGRESS, S.WAITING, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.DELIVERED, S.WAITING, S.CANCELLED}),
    S.WAITING: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.DELIVERED: frozenset({S.CLOSED, S.IN_PROGRESS}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}

#: States in which requesters may cancel their own ticket.
REQUESTER_CANCELLABLE: frozenset[TicketState] = frozenset({S.NEW, S.RECEIVED, S.WAITING})

#: States in which a ticket is finished; every other state counts as open.
CLOSED_STATES: frozenset[TicketState] = frozenset({S.CLOSED, S.CANCELLED})

#: States in which the SLA clock no longer runs.
_SLA_STOPPED: frozenset[TicketState] = CLOSED_STATES | {S.DELIVERED}


class TransitionError(Exception):
    """A state change the transition table does not allow."""

    def __init__(self, from_state: TicketState, to_state: TicketState, reason: str = "") -> None:
        self.from_state = from_state
        self.to_state = to_state
        allowed = ", ".join(sorted(f"'{s.value}'" for s in TRANSITIONS[from_state])) or "none"
        super().__init__(
            reason
            or f"Transition from '{from_state.value}' to '{to_state.value}' is not allowed "
            f"(allowed from '{from_state.value}': {allowed})"
        )


class NotOwnerError(PermissionError):
    """A requester acted on a ticket that belongs to someone else."""


def next_ticket_number(*, session: Session, year: int) -> str:
    """Hand out the next ticket number of ``year``, e.g. ``SD-2025-00042``.

    The counter is bumped with one atomic UPDATE and read back in the same transaction,
    so the row stays locked (PostgreSQL) or the database write-locked (SQLite) until the
    caller commits; numbers are unique and never reused, though a rollback leaves a gap.
    """
    bump = (
        update(TicketCounter)
        .where(TicketCounter.year == year)
        .values(last_value=TicketCounter.last_value + 1)
        .execution_options(synchronize_session=False)
    )
    for _attempt in range(3):
        if session.execute(bump).rowcount == 1:  # type: ignore[attr-defined]
            value = session.scalar(
                select(TicketCounter.last_value).where(TicketCounter.year == year)
            )
            return f"SD-{year}-{value:05d}"
        try:  # first ticket of the year: create the counter, unless someone else just did
            with session.begin_nested():
                session.add(TicketCounter(year=year, last_value=0))
        except IntegrityError:
            pass
    raise RuntimeError(f"Could not allocate a ticket number for {year}")  # pragma: no cover


def _find_by_idempotency_key(session: Session, key: str) -> Ticket | None:
    return session.scalars(select(Ticket).where(Ticket.idempotency_key == key)).one_or_none()


def _sla_deadline(session: Session, service_code: str | None, now: datetime) -> datetime | None:
    if service_code is None:
        return None
    service = session.get(Service, service_code)
    if service is None:
        raise ValueError(f"Unknown service code {service_code!r}")
    return now + timedelta(hours=service.sla_hours)


#: Longest text kept for one ticket detail (the chat caps a message well below this).
MAX_DETAIL_CHARS = 4000
_CHANNEL_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_DETAIL_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _check_input(channel: str, details: dict[str, Any] | None) -> None:
    if not _CHANNEL_NAME.match(channel):
        raise ValueError(f"channel must be a short lower-case name, got {channel[:40]!r}")
    for key, value in (details or {}).items():
        if not isinstance(key, str) or not _DETAIL_KEY.match(key):
            raise ValueError(f"detail names are lower-case identifiers, got {str(key)[:40]!r}")
        if not isinstance(value, str | int | float | bool) or len(str(value)) > MAX_DETAIL_CHARS:
            raise ValueError(
                f"detail {key!r} must be text of at most {MAX_DETAIL_CHARS} characters"
            )


def create_ticket(
    *,
    session: Session,
    requester: Requester,
    kind: TicketKind,
    channel: str,
    conversation_id: str,
    service_code: str | None = None,
    details: dict[str, Any] | None = None,
    title: str = "",
    idempotency_key: str | None = None,
    escalated: bool = False,
    escalation_reason: str | None = None,
    transcript: list[dict[str, Any]] | None = None,
    actor: str | None = None,
    now: datetime | None = None,
) -> tuple[Ticket, bool]:
    """Open a ticket with its "created" event, or return the one made with the same key.

    Flushes but does not commit. A ticket with ``idempotency_key`` already present (also
    one inserted concurrently) is returned unchanged with ``created=False``.

    Returns:
        ``(ticket, created)``.

    Raises:
        ValueError: ``service_code`` is not in the catalogue, the channel name is not a
            short lower-case word, or a detail is not short text.
    """
    _check_input(channel, details)
    if idempotency_key is not None:
        existing = _find_by_idempotency_key(session, idempotency_key)
        if existing is not None:
            return existing, False
    now = as_utc(now or utcnow())
    sla_deadline = _sla_deadline(session, service_code, now)  # refuse before using a number
    local_year = now.astimezone(ZoneInfo(get_settings().timezone)).year
    ticket = Ticket(
        number=next_ticket_number(session=session, year=local_year),
        service_code=service_code,
        kind=kind,
        state=TicketState.NEW,
        title=title,
        details=dict(details or {}),
        requester_id=requester.id,
        channel=channel,
        conversation_id=conversation_id,
        idempotency_key=idempotency_key,
        escalated=escalated,
        escalation_reason=escalation_reason,
        transcript=list(transcript or []),
        sla_deadline=sla_deadline,
        created_at=now,
        updated_at=now,
    )
    actor = actor or f"{channel}:{requester.external_id}"
    data = {"channel": channel, "escalated": escalated}
    ticket.events.append(TicketEvent(at=now, actor=actor, kind="created", to_state="ny", data=data))
    return _add_unless_duplicate(session, ticket)


def _add_unless_duplicate(session: Session, ticket: Ticket) -> tuple[Ticket, bool]:
    """Insert ``ticket`` in a savepoint; on an idempotency-key clash return the other one."""
    try:
        with session.begin_nested():
            session.add(ticket)
    except IntegrityError:
        key = ticket.idempotency_key
        existing = _find_by_idempotency_key(session, key) if key is not None else None
        if existing is None:
            raise
        return existing, False
    return ticket, True


def transition(
    *,
    session: Session,
    ticket: Ticket,
    to_state: TicketState,
    actor: str,
    comment: str | None = None,
    now: datetime | None = None,
) -> TicketEvent:
    """Move ``ticket`` to ``to_state`` and record a "transition" event.

    Raises:
        TransitionError: The transition table does not allow the change.
    """
    from_state = TicketState(ticket.state)
    if to_state not in TRANSITIONS[from_state]:
        raise TransitionError(from_state, to_state)
    now = as_utc(now or utcnow())
    ticket.state = to_state
    ticket.updated_at = now
    if to_state == TicketState.DELIVERED:
        ticket.delivered_at = now
    event = TicketEvent(
        at=now,
        actor=actor,
        kind="transition",
        from_state=from_state.value,
        to_state=to_state.value,
        comment=comment,
        data={},
    )
    ticket.events.append(event)
    session.flush()
    return event


def cancel_by_requester(
    *, session: Session, ticket: Ticket, requester: Requester, actor: str
) -> TicketEvent:
    """Cancel (makulera) ``ticket`` on behalf of the person who owns it.

    The person may write on any of their linked channels (see :mod:`servicedesk.links`).

    Raises:
        NotOwnerError: ``requester``'s person does not own the ticket.
        TransitionError: The ticket is past the states a requester may cancel in.
    """
    if not same_person(session=session, requester=requester, requester_id=ticket.requester_id):
        raise NotOwnerError(
            f"Requester {requester.id} does not own ticket {ticket.number} "
            f"(owner: requester {ticket.requester_id})"
        )
    state = TicketState(ticket.state)
    if state not in REQUESTER_CANCELLABLE:
        allowed = ", ".join(sorted(f"'{s.value}'" for s in REQUESTER_CANCELLABLE))
        raise TransitionError(
            state,
            TicketState.CANCELLED,
            f"Requesters cannot cancel a ticket in state '{state.value}' (only in {allowed})",
        )
    return transition(session=session, ticket=ticket, to_state=TicketState.CANCELLED, actor=actor)


def escalate(
    *,
    session: Session,
    ticket: Ticket,
    reason: str,
    actor: str,
    transcript: list[dict[str, Any]] | None = None,
    now: datetime | None = None,
) -> TicketEvent:
    """Hand ``ticket`` to the desk: mark it escalated and record an "escalated" event.

    Args:
        reason: Short machine-readable reason, e.g. ``"human_handoff"`` (max 64 chars).
        transcript: The conversation so far; replaces the stored one when given.
    """
    now = as_utc(now or utcnow())
    ticket.escalated = True
    ticket.escalation_reason = reason
    if transcript is not None:
        ticket.transcript = list(transcript)
    ticket.updated_at = now
    event = TicketEvent(at=now, actor=actor, kind="escalated", data={"reason": reason})
    ticket.events.append(event)
    session.flush()
    return event


def get_ticket(*, session: Session, number: str) -> Ticket | None:
    """Return the ticket with ``number`` (e.g. ``SD-2025-00001``), if it exists."""
    return session.scalars(select(Ticket).where(Ticket.number == number)).one_or_none()


def list_tickets(
    *,
    session: Session,
    state: TicketState | None = None,
    escalated: bool | None = None,
    service_code: str | None = None,
    requester_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Ticket]:
    """Return tickets matching every filter given, newest first."""
    stmt = select(Ticket)
    if state is not None:
        stmt = stmt.where(Ticket.state == state)
    if escalated is not None:
        stmt = stmt.where(Ticket.escalated.is_(escalated))
    if service_code is not None:
        stmt = stmt.where(Ticket.service_code == service_code)
    if requester_id is not None:
        stmt = stmt.where(Ticket.requester_id == requester_id)
    stmt = stmt.order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(stmt))


def list_requester_tickets(
    *, session: Session, requester: Requester, open_only: bool = False, limit: int = 10
) -> list[Ticket]:
    """Return the person's tickets, newest first; ``open_only`` drops closed/cancelled.

    The person's tickets are those of ``requester`` and of every requester linked to the
    same person (web chat and Telegram, see :mod:`servicedesk.links`).
    """
    ids = person_requester_ids(session=session, requester=requester)
    stmt = select(Ticket).where(Ticket.requester_id.in_(ids))
    if open_only:
        stmt = stmt.where(Ticket.state.not_in(CLOSED_STATES))
    stmt = stmt.order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def latest_requester_ticket(*, session: Session, requester: Requester) -> Ticket | None:
    """Return the person's most recently created ticket, if any."""
    tickets = list_requester_tickets(session=session, requester=requester, limit=1)
    return tickets[0] if tickets else None


def is_overdue(ticket: Ticket, now: datetime) -> bool:
    """Tell whether the SLA deadline has passed while the ticket still awaits delivery."""
    if ticket.sla_deadline is None or TicketState(ticket.state) in _SLA_STOPPED:
        return False
    return as_utc(now) > as_utc(ticket.sla_deadline)
