"""Retention (gallring): what is due for anonymisation or deletion, and doing it.

Periods come from the ``SERVICEDESK_RETENTION_*`` settings (placeholders until the
kommun's gallringsbeslut says otherwise). A ticket counts as closed from the moment it
entered ``avslutad`` or ``makulerad``; open tickets, their conversations and their
tracker events are never touched.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Text,
    and_,
    cast,
    delete,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, selectinload

from servicedesk.models import (
    Message,
    Requester,
    SensitiveValue,
    Service,
    TelegramUpdate,
    Ticket,
    TicketEvent,
    as_utc,
)
from servicedesk.privacy import tracker
from servicedesk.privacy.audit import record_audit
from servicedesk.privacy.scrub import (
    ANONYMOUS_CHANNEL,
    anonymise_ticket,
    clear_transcript,
    delete_ticket,
    pseudonymous_requester,
)
from servicedesk.privacy.sensitive import UNATTACHED_LIFETIME, sweep_unattached
from servicedesk.settings import Settings
from servicedesk.tickets import CLOSED_STATES

__all__ = ["RetentionLine", "RetentionResult", "closed_at_column", "run_retention"]

logger = logging.getLogger(__name__)

_CLOSED_VALUES = [state.value for state in CLOSED_STATES]
_NO_CATEGORY = "(utan tjänst)"


@dataclass
class RetentionLine:
    """One kind of data: how many items are (or were) due under which rule."""

    key: str
    label: str
    rule: str
    count: int


@dataclass
class RetentionResult:
    """What one retention run found (dry run) or did."""

    dry_run: bool
    lines: list[RetentionLine] = field(default_factory=list)
    #: Why the tracker store was not looked at, when it was not.
    tracker_note: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        """Counts by key, summed over lines with the same key."""
        total: Counter[str] = Counter()
        for line in self.lines:
            total[line.key] += line.count
        return dict(total)

    @property
    def total(self) -> int:
        """Everything due (or done), tracker events included."""
        return sum(line.count for line in self.lines if line.key != "tracker_conversations")


def closed_at_column() -> ColumnElement[datetime]:
    """When a ticket was closed: its last move into a closed state (else its last change)."""
    moved = (
        select(func.max(TicketEvent.at))
        .where(
            TicketEvent.ticket_id == Ticket.id,
            TicketEvent.kind == "transition",
            TicketEvent.to_state.in_(_CLOSED_VALUES),
        )
        .scalar_subquery()
    )
    return type_coerce(func.coalesce(moved, Ticket.updated_at), DateTime(timezone=True))


def _days(value: float) -> str:
    return f"{value:g} dagar"


def _due_rule(settings: Settings, now: datetime) -> ColumnElement[bool]:
    """Closed before the period of the ticket's service category (or the default) ran out."""
    closed = closed_at_column()
    periods = settings.retention_ticket_days
    rules = [
        (Service.category == category) & (closed < now - timedelta(days=days))
        for category, days in periods.items()
    ]
    default = closed < now - timedelta(days=settings.retention_ticket_days_default)
    other = or_(Service.category.is_(None), Service.category.not_in(list(periods)))
    return or_(*rules, other & default)


def _tickets(session: Session, where: ColumnElement[bool]) -> list[Ticket]:
    stmt = (
        select(Ticket)
        .join(Requester, Ticket.requester_id == Requester.id)
        .outerjoin(Service, Ticket.service_code == Service.code)
        .where(Ticket.state.in_(CLOSED_STATES), where)
        .options(selectinload(Ticket.events), selectinload(Ticket.requester))
        .order_by(Ticket.id)
    )
    return list(session.scalars(stmt))


def _ticket_lines(
    session: Session, settings: Settings, now: datetime, apply: bool
) -> tuple[list[RetentionLine], set[int]]:
    """Closed tickets past their category's period: anonymise or delete them."""
    deleting = settings.retention_ticket_action == "delete"
    where = _due_rule(settings, now)
    if not deleting:
        where = where & (Requester.channel != ANONYMOUS_CHANNEL)
    due = _tickets(session, where)
    by_category: Counter[tuple[str, float]] = Counter()
    for ticket in due:
        category = ticket.service.category if ticket.service is not None else ""
        days = settings.retention_ticket_days.get(category, settings.retention_ticket_days_default)
        by_category[(category or _NO_CATEGORY, days)] += 1
    verb = "raderas" if deleting else "anonymiseras"
    key = "tickets_deleted" if deleting else "tickets_anonymised"
    lines = [
        RetentionLine(key, f"Stängda ärenden – {cat}", f"{_days(days)} efter stängning, {verb}", n)
        for (cat, days), n in sorted(by_category.items())
    ]
    if apply:
        for ticket in due:
            _scrub(session, settings, ticket, deleting)
    return lines, {ticket.id for ticket in due}


def _scrub(session: Session, settings: Settings, ticket: Ticket, deleting: bool) -> None:
    if deleting:
        delete_ticket(session=session, ticket=ticket, attachments_dir=settings.attachments_dir)
        return
    stand_in = pseudonymous_requester(
        session=session, secret_key=settings.secret_key, requester=ticket.requester
    )
    anonymise_ticket(
        session=session, ticket=ticket, stand_in=stand_in, attachments_dir=settings.attachments_dir
    )


def _has_conversation() -> ColumnElement[bool]:
    """A ticket still holding a transcript, desk messages or messages in its events."""
    messages = select(Message.id).where(Message.ticket_id == Ticket.id).exists()
    said = (
        select(TicketEvent.id)
        .where(
            TicketEvent.ticket_id == Ticket.id,
            TicketEvent.kind == "message",
            TicketEvent.comment.is_not(None),
        )
        .exists()
    )
    # JSON columns compare portably as text: an emptied transcript is stored as "[]".
    return or_(cast(Ticket.transcript, Text) != "[]", messages, said)


def _transcript_lines(
    session: Session, settings: Settings, now: datetime, done: set[int], apply: bool
) -> list[RetentionLine]:
    """Transcripts and desk messages of tickets closed longer than the transcript period."""
    cutoff = now - timedelta(days=settings.retention_transcript_days)
    due = [
        ticket
        for ticket in _tickets(session, (closed_at_column() < cutoff) & _has_conversation())
        if ticket.id not in done
    ]
    transcripts = sum(1 for ticket in due if ticket.transcript)
    on_tickets = Message.ticket_id.in_([ticket.id for ticket in due])
    messages = session.scalar(select(func.count()).select_from(Message).where(on_tickets)) or 0
    if apply:
        for ticket in due:
            clear_transcript(session, ticket)
    loose = Message.ticket_id.is_(None) & (Message.created_at < cutoff)
    if apply:
        loose_count = int(session.execute(delete(Message).where(loose)).rowcount)  # type: ignore[attr-defined]
    else:
        loose_count = session.scalar(select(func.count()).select_from(Message).where(loose)) or 0
    rule = f"{_days(settings.retention_transcript_days)} efter stängning, raderas"
    return [
        RetentionLine("transcripts", "Samtalsutskrifter på ärenden", rule, transcripts),
        RetentionLine("messages", "Meddelanden på ärenden", rule, messages),
        RetentionLine(
            "loose_messages", "Meddelanden utan ärende",
            f"{_days(settings.retention_transcript_days)} efter att de skrevs, raderas",
            loose_count,
        ),
    ]  # fmt: skip


def _telegram_line(
    session: Session, settings: Settings, now: datetime, apply: bool
) -> RetentionLine:
    cutoff = now - timedelta(days=settings.retention_telegram_update_days)
    old = TelegramUpdate.received_at < cutoff
    if apply:
        count = int(session.execute(delete(TelegramUpdate).where(old)).rowcount)  # type: ignore[attr-defined]
    else:
        count = session.scalar(select(func.count()).select_from(TelegramUpdate).where(old)) or 0
    rule = f"{_days(settings.retention_telegram_update_days)} efter mottagandet, raderas"
    return RetentionLine("telegram_updates", "Telegram-uppdateringar", rule, count)


def _unsent_line(session: Session, now: datetime, apply: bool) -> RetentionLine:
    """Personnummer answers of orders never sent (and prompts never answered)."""
    due = and_(
        SensitiveValue.ticket_id.is_(None),
        SensitiveValue.created_at < now - UNATTACHED_LIFETIME,
    )
    if apply:
        count = sweep_unattached(session=session, now=now)
    else:
        count = session.scalar(select(func.count()).select_from(SensitiveValue).where(due)) or 0
    rule = "1 dag, raderas"
    return RetentionLine("unsent_personnummer", "Personnummer i beställningar som inte skickades",
                         rule, count)  # fmt: skip


def _open_conversations(session: Session) -> set[str]:
    """Rasa sender ids that an open ticket still points to."""
    open_tickets = (
        select(Ticket.conversation_id, Requester.channel, Requester.external_id)
        .join(Requester, Ticket.requester_id == Requester.id)
        .where(Ticket.state.not_in(CLOSED_STATES))
    )
    keep: set[str] = set()
    for conversation, channel, external_id in session.execute(open_tickets):
        keep.update({conversation, f"{channel}:{external_id}"})
    return keep


def _tracker_lines(
    settings: Settings, now: datetime, keep: set[str], apply: bool
) -> tuple[list[RetentionLine], str | None]:
    url = settings.tracker_store_url
    if not url:
        return [], "SERVICEDESK_TRACKER_STORE_URL är inte satt: Rasas händelser rörs inte."
    cutoff = (now - timedelta(days=settings.retention_tracker_days)).timestamp()
    with tracker.tracker_connection(url) as connection:
        if connection is None:
            return [], "Rasas händelsetabell finns inte (ännu)."
        count = tracker.delete_due_events if apply else tracker.due_event_counts
        events, conversations = count(connection, cutoff=cutoff, keep=keep)
    rule = f"{_days(settings.retention_tracker_days)} gamla, utan öppet ärende, raderas"
    return [
        RetentionLine("tracker_events", "Rasa-händelser", rule, events),
        RetentionLine("tracker_conversations", "Rasa-samtal (berörda)", rule, conversations),
    ], None


def run_retention(
    *, session: Session, settings: Settings, now: datetime, dry_run: bool, actor: str
) -> RetentionResult:
    """Find (``dry_run``) or anonymise/delete what is due; the desk part commits here.

    The tracker store is pruned after the desk's changes are committed, so a failure there
    never undoes them; the next run picks the rest up.
    """
    now = as_utc(now)
    apply = not dry_run
    result = RetentionResult(dry_run=dry_run)
    ticket_lines, done = _ticket_lines(session, settings, now, apply)
    result.lines.extend(ticket_lines)
    result.lines.extend(_transcript_lines(session, settings, now, done, apply))
    result.lines.append(_telegram_line(session, settings, now, apply))
    result.lines.append(_unsent_line(session, now, apply))
    keep = _open_conversations(session)
    if apply:
        session.commit()
    tracker_lines, result.tracker_note = _tracker_lines(settings, now, keep, apply)
    result.lines.extend(tracker_lines)
    if apply and result.total:
        record_audit(session=session, actor=actor, action="retention", data=result.counts, now=now)
        session.commit()
    logger.info(
        "retention %s: %s", "dry run" if dry_run else "applied",
        ", ".join(f"{k}={v}" for k, v in result.counts.items()) or "nothing due",
    )  # fmt: skip
    return result
