"""SLA figures for a period: volumes, delivery within SLA, first response, lösningsgrad."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from servicedesk.models import Takeover, Ticket, TicketState, as_utc

__all__ = ["PeriodStats", "period_stats"]


@dataclass
class PeriodStats:
    """The desk's figures for tickets created in ``[start, end)``."""

    start: datetime
    end: datetime
    total: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    delivered: int = 0
    delivered_within_sla: int = 0
    #: Share of delivered tickets (with an SLA) delivered by their deadline; None if none.
    within_sla_share: float | None = None
    #: Median minutes from creation to the first agent response; None if none answered.
    median_first_response_minutes: float | None = None
    #: Share of tickets the bot completed without a human (never escalated or taken over).
    bot_resolution_rate: float | None = None


def period_stats(*, session: Session, start: datetime, end: datetime) -> PeriodStats:
    """Compute the figures for tickets created from ``start`` up to (not including) ``end``."""
    start, end = as_utc(start), as_utc(end)
    tickets = session.scalars(
        select(Ticket)
        .options(selectinload(Ticket.service))
        .where(Ticket.created_at >= start, Ticket.created_at < end)
    ).all()
    taken_over = set(session.scalars(select(Takeover.ticket_id).distinct()))
    stats = PeriodStats(start=start, end=end, total=len(tickets))
    states: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    response_minutes: list[float] = []
    with_sla = 0
    without_human = 0
    for ticket in tickets:
        states[TicketState(ticket.state).value] += 1
        channels[ticket.channel] += 1
        categories[ticket.service.category if ticket.service else "Övrigt"] += 1
        if ticket.delivered_at is not None:
            stats.delivered += 1
            if ticket.sla_deadline is not None:
                with_sla += 1
                if as_utc(ticket.delivered_at) <= as_utc(ticket.sla_deadline):
                    stats.delivered_within_sla += 1
        if ticket.first_response_at is not None:
            delta = as_utc(ticket.first_response_at) - as_utc(ticket.created_at)
            response_minutes.append(delta.total_seconds() / 60)
        if not ticket.escalated and ticket.id not in taken_over:
            without_human += 1
    stats.by_state = {s.value: states.get(s.value, 0) for s in TicketState}
    stats.by_channel = dict(sorted(channels.items()))
    stats.by_category = dict(sorted(categories.items()))
    if with_sla:
        stats.within_sla_share = round(stats.delivered_within_sla / with_sla, 4)
    if response_minutes:
        stats.median_first_response_minutes = round(statistics.median(response_minutes), 1)
    if tickets:
        stats.bot_resolution_rate = round(without_human / len(tickets), 4)
    return stats
