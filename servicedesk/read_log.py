"""The read log: which agent opened which ticket, transcript, thread or feedback comment, when.

The desk API and the console record a row each time an agent opens one of these; only
admins can list the log, per ticket or per agent (API, console page and CLI).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from servicedesk.models import Agent, ReadLogEntry, Ticket, as_utc, utcnow
from servicedesk.privacy.field_crypto import FieldCipher
from servicedesk.privacy.sensitive import revealed_values

__all__ = [
    "FEEDBACK_COMMENT",
    "PROTECTED_FIELD",
    "THREAD",
    "TICKET",
    "TRANSCRIPT",
    "ReadRecord",
    "list_reads",
    "record_feedback_comments",
    "record_reads",
    "record_ticket_opened",
    "reveal_protected",
]

TICKET = "ticket"
TRANSCRIPT = "transcript"
THREAD = "thread"
FEEDBACK_COMMENT = "feedback_comment"
#: A personnummer field shown decrypted.
PROTECTED_FIELD = "protected_field"


@dataclass(frozen=True)
class ReadRecord:
    """One row of the read log as admins see it."""

    at: datetime
    agent: str
    what: str
    ticket_number: str | None
    via: str


def record_reads(
    *, session: Session, agent: Agent, what: str, tickets: Iterable[Ticket | None], via: str
) -> None:
    """Record that ``agent`` read ``what`` of each of ``tickets`` (None: no single ticket)."""
    now = utcnow()
    for ticket in tickets:
        session.add(
            ReadLogEntry(
                at=now, agent_id=agent.id, what=what,
                ticket_id=ticket.id if ticket is not None else None, via=via,
            )
        )  # fmt: skip


def record_ticket_opened(*, session: Session, agent: Agent, ticket: Ticket, via: str) -> None:
    """Record the opening of a ticket's page or detail: the ticket, its transcript, its thread."""
    parts = [TICKET, THREAD] + ([TRANSCRIPT] if ticket.transcript else [])
    for what in parts:
        record_reads(session=session, agent=agent, what=what, tickets=[ticket], via=via)


def reveal_protected(
    *, session: Session, agent: Agent, ticket: Ticket, via: str, cipher: FieldCipher
) -> dict[str, str]:
    """The ticket's personnummer fields decrypted for an agent of its queue, recorded as
    read; empty (and nothing recorded) for anyone else."""
    shown = revealed_values(session=session, agent=agent, ticket=ticket, cipher=cipher)
    if shown:
        record_reads(session=session, agent=agent, what=PROTECTED_FIELD, tickets=[ticket], via=via)
    return shown


def record_feedback_comments(
    *, session: Session, agent: Agent, ticket_numbers: Sequence[str], via: str
) -> None:
    """Record that ``agent`` was shown the feedback comments about these tickets."""
    if not ticket_numbers:
        return
    tickets = session.scalars(select(Ticket).where(Ticket.number.in_(set(ticket_numbers))))
    record_reads(session=session, agent=agent, what=FEEDBACK_COMMENT, tickets=tickets, via=via)


def list_reads(
    *,
    session: Session,
    ticket_number: str | None = None,
    agent_username: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[ReadRecord], int]:
    """The newest reads first, optionally of one ticket and/or one agent, and their total."""
    stmt = (
        select(ReadLogEntry, Agent.username, Ticket.number)
        .join(Agent, ReadLogEntry.agent_id == Agent.id)
        .outerjoin(Ticket, ReadLogEntry.ticket_id == Ticket.id)
    )
    if ticket_number is not None:
        stmt = stmt.where(Ticket.number == ticket_number)
    if agent_username is not None:
        stmt = stmt.where(Agent.username == agent_username)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(
        stmt.order_by(ReadLogEntry.at.desc(), ReadLogEntry.id.desc()).limit(limit).offset(offset)
    )
    records = [
        ReadRecord(
            at=as_utc(entry.at),
            agent=username,
            what=entry.what,
            ticket_number=number,
            via=entry.via,
        )
        for entry, username, number in rows
    ]
    return records, total
