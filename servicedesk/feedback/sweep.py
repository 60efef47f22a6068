"""The periodic feedback job: open invitations, send them, remind once, expire, resume.

Rasa is called outside any database transaction; what it answered is queued with
:func:`servicedesk.relay.enqueue_outbound` under a key per ticket and kind, so a retried
sweep never sends a message twice. When Rasa is down the work stays due for next time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicedesk.conversations import conversation_id, split_conversation_id
from servicedesk.feedback import store
from servicedesk.feedback._rasa import Conversations, RasaConversations, RasaError
from servicedesk.feedback.rules import InvitationPolicy
from servicedesk.links import person_of, reply_requester
from servicedesk.models import Feedback, as_utc
from servicedesk.rasa_rest import parse_replies
from servicedesk.relay import active_takeover, enqueue_outbound
from servicedesk.requesters import find_requester
from servicedesk.settings import Settings

if TYPE_CHECKING:
    from servicedesk.jobs import JobContext

__all__ = ["SweepWork", "feedback_invitations", "run_sweep"]

logger = logging.getLogger(__name__)
Kind = Literal["invite", "reminder", "resume"]
SURVEY_FORM = "feedback_form"


@dataclass(frozen=True)
class SweepWork:
    """One message to start in a person's conversation."""

    feedback_id: int
    ticket_number: str
    sender: str
    kind: Kind


def _expire(session: Session, policy: InvitationPolicy, now: datetime) -> int:
    expired = 0
    for row in session.scalars(select(Feedback).where(Feedback.status.in_(store.OPEN_STATUSES))):
        started = row.invited_at or row.delivered_at or row.due_at
        if started is not None and policy.expired(started, now):
            row.status, row.expired_at = "expired", now
            expired += 1
    return expired


def _collect(session: Session, policy: InvitationPolicy, now: datetime) -> list[SweepWork]:
    work: list[SweepWork] = []
    persons: set[int] = set()
    for row in session.scalars(
        select(Feedback).where(Feedback.status.in_(store.OPEN_STATUSES)).order_by(Feedback.id)
    ):
        kind: Kind | None = None
        if row.status == "pending" and row.due_at is not None and as_utc(row.due_at) <= now:
            kind = "invite"
        elif row.status == "paused":
            kind = "resume"
        elif (
            row.status in ("invited", "postponed")
            and row.reminder_sent_at is None
            and row.invited_at is not None
            and policy.reminder_due(row.invited_at, now)
        ):
            kind = "reminder"
        # A linked person is asked where they last wrote about the ticket, else where it
        # came from (servicedesk.links); their channels share one survey at a time.
        requester = reply_requester(session=session, ticket=row.ticket)
        try:
            sender = conversation_id(requester.channel, requester.external_id)
        except ValueError:  # a person Rasa cannot reach (e.g. a ticket made in the console)
            continue
        person = person_of(session=session, requester=requester).id
        # One survey at a time per person: a second one would take over the first's form.
        if kind is not None and person not in persons:
            persons.add(person)
            work.append(SweepWork(row.id, row.ticket.number, sender, kind))
    return work


def _over_cap(session: Session, row: Feedback, policy: InvitationPolicy, now: datetime) -> bool:
    if row.requester_id is None:
        return False
    sent = store.invitations_sent_since(
        session=session, requester_id=row.requester_id, since=store.cap_window_start(now)
    )
    return policy.over_cap(sent)


async def _busy(rasa: Conversations, sender: str, now: datetime, idle: timedelta) -> bool:
    """Tell whether the person is in the middle of something (an order form, or just wrote).

    A survey form left waiting (the person ignored an invitation) does not count: the
    reminder or the next invitation takes its place. Any other form does, until the
    person finishes it or Rasa's session expires, since its slots would take the event.
    """
    state = await rasa.state(sender)
    loop = state.get("active_loop") or {}
    name = loop.get("name") if isinstance(loop, dict) else None
    if name and name != SURVEY_FORM:
        return True
    latest = state.get("latest_event_time")
    return isinstance(latest, int | float) and now.timestamp() - float(latest) < (
        idle.total_seconds()
    )


def _record_sent(row: Feedback, kind: Kind, now: datetime) -> None:
    if kind == "invite":
        row.invited_at = now
    elif kind == "reminder":
        row.reminder_sent_at = now
    else:
        row.resume_count += 1
    row.status = "invited"


def _expected_status(kind: Kind) -> tuple[str, ...]:
    return {"invite": ("pending",), "reminder": ("invited", "postponed"), "resume": ("paused",)}[
        kind
    ]


async def _send(
    item: SweepWork,
    *,
    session_factory: Callable[[], Session],
    policy: InvitationPolicy,
    rasa: Conversations,
    now: datetime,
    idle: timedelta,
) -> bool:
    with session_factory() as session:
        row = session.get(Feedback, item.feedback_id)
        if row is None or row.status not in _expected_status(item.kind):
            return False
        if item.kind == "invite" and _over_cap(session, row, policy, now):
            row.status, row.skip_reason = "skipped", "cap"
            session.commit()
            return False
        if active_takeover(session=session, requester=row.ticket.requester) is not None:
            return False
        session.rollback()  # hold no transaction while waiting for Rasa
    if await _busy(rasa, item.sender, now, idle):
        return False
    entities = {"ticket_number": item.ticket_number, "feedback_kind": item.kind}
    messages = await rasa.trigger(item.sender, entities)
    with session_factory() as session:
        row = session.get(Feedback, item.feedback_id)
        if row is None:  # pragma: no cover - rows are never deleted
            return False
        suffix = f"{item.kind}{row.resume_count + 1 if item.kind == 'resume' else ''}"
        found = split_conversation_id(item.sender)
        target = (
            find_requester(session=session, channel=found[0], external_id=found[1])
            if found is not None
            else None
        ) or row.ticket.requester
        for index, reply in enumerate(parse_replies(messages)):
            enqueue_outbound(
                session=session,
                requester=target,
                ticket=row.ticket,
                author="bot",
                text=reply.text,
                buttons=reply.buttons,
                dedupe_key=f"feedback:{item.ticket_number}:{suffix}:{index}",
                now=now,
            )
        if row.status in _expected_status(item.kind):
            _record_sent(row, item.kind, now)
        session.commit()
    return True


async def run_sweep(
    *,
    settings: Settings,
    session_factory: Callable[[], Session],
    now: datetime,
    rasa: Conversations | None = None,
) -> int:
    """Run one feedback sweep at ``now``; return how many rows or messages it handled."""
    policy = InvitationPolicy.from_settings(settings)
    rasa = rasa or RasaConversations.from_settings(settings)
    now = as_utc(now)
    with session_factory() as session:
        done = store.open_invitations(session=session, policy=policy, now=now)
        done += _expire(session, policy, now)
        work = _collect(session, policy, now) if policy.may_send(now) else []
        session.commit()
    idle = timedelta(seconds=settings.feedback_idle_seconds)
    for item in work:
        try:
            sent = await _send(
                item, session_factory=session_factory, policy=policy, rasa=rasa, now=now, idle=idle
            )
        except RasaError as exc:
            logger.warning("feedback %s for %s stays due: %s", item.kind, item.ticket_number, exc)
            continue
        done += int(sent)
    return done


async def feedback_invitations(ctx: JobContext) -> int:
    """Periodic job: the feedback sweep with the context's settings, sessions and clock."""
    return await run_sweep(settings=ctx.settings, session_factory=ctx.session_factory, now=ctx.now)
