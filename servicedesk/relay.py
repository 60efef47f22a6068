"""The relay between a person's channel and the desk: takeovers, ticket thread and outbox.

Every channel (web chat, Telegram, …) talks to this module the same way:

* **Inbound**: before a person's message goes to Rasa, the channel calls
  :func:`route_inbound`. While a desk agent has taken over the conversation the message
  is stored in the ticket thread (never lost, even if no agent is looking) and the bot
  stays silent; otherwise the channel forwards it to Rasa as usual.
* **Outbound**: the desk never talks to a channel directly. Agent replies, hand-back
  notices, status changes and feedback invitations are queued with
  :func:`enqueue_outbound` as ``pending`` rows of ``messages`` (the outbox), committed
  together with the change that caused them. A channel then only implements "deliver to
  this person": push channels (Telegram) run :func:`drain_outbox` with a
  :class:`Deliverer`; the web chat, which cannot be pushed to, picks its messages up with
  :func:`pickup_for_requester` when the page polls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from servicedesk import outbox_signal
from servicedesk.links import person_requester_ids, person_requesters
from servicedesk.models import (
    Agent,
    DeliveryState,
    Message,
    MessageDirection,
    Requester,
    Takeover,
    Ticket,
    TicketEvent,
    as_utc,
    utcnow,
)
from servicedesk.privacy import mask_personnummer
from servicedesk.requesters import _begin_sqlite_transaction

__all__ = [
    "HANDBACK_TEXT",
    "IDLE_END_TEXT",
    "Deliverer",
    "DeliveryError",
    "InboundRoute",
    "TakeoverConflictError",
    "active_takeover",
    "drain_outbox",
    "end_takeover",
    "enqueue_outbound",
    "expire_idle_takeovers",
    "pickup_for_requester",
    "record_inbound",
    "route_inbound",
    "start_takeover",
    "thread",
]

logger = logging.getLogger(__name__)

TAKEOVER_TEXT = (
    "Du pratar nu med {agent} på servicedesken. Skriv här så svarar vi i den här chatten."
)
HANDBACK_TEXT = (
    "Servicedesken har lämnat samtalet och du är tillbaka hos assistenten. "
    "Skriv gärna vad du behöver hjälp med."
)
IDLE_END_TEXT = (
    "Handläggaren är inte längre aktiv i samtalet, så assistenten tar över igen. "
    "Dina meddelanden finns sparade i ärende {number} och servicedesken återkommer."
)
#: Attempts before an outbound message is given up as ``failed``.
MAX_ATTEMPTS = 8


class TakeoverConflictError(Exception):
    """The conversation is already held by another agent, or no takeover is open."""


class DeliveryError(Exception):
    """A channel could not deliver a message now; it will be tried again later.

    Args:
        retry_after: Seconds the channel asks to wait (e.g. Telegram's 429 retry_after).
        permanent: The message can never be delivered (e.g. the person blocked the bot).
    """

    def __init__(
        self, message: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class Deliverer(Protocol):
    """What a push channel implements: deliver one message to one person."""

    async def deliver(self, external_id: str, text: str, buttons: Sequence[dict[str, Any]]) -> None:
        """Deliver ``text`` (and buttons) to the person known as ``external_id``.

        Raises:
            DeliveryError: Not delivered now; the outbox retries with backoff.
        """
        ...  # pragma: no cover - protocol


@dataclass(frozen=True)
class InboundRoute:
    """What a channel must do with a person's message.

    Attributes:
        to_bot: Forward the message to Rasa.
        message_id: The stored message when the desk holds the conversation.
        ticket_number: The ticket whose thread got the message.
    """

    to_bot: bool
    message_id: int | None = None
    ticket_number: str | None = None


def _insert_once(session: Session, message: Message) -> Message:
    """Insert ``message``; with a ``dedupe_key`` seen before, return the stored one."""
    key = message.dedupe_key
    if key is not None:
        existing = session.scalars(select(Message).where(Message.dedupe_key == key)).one_or_none()
        if existing is not None:
            return existing
    _begin_sqlite_transaction(session)
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        found = (
            session.scalars(select(Message).where(Message.dedupe_key == key)).one_or_none()
            if key is not None
            else None
        )
        if found is None:
            raise
        return found
    return message


def active_takeover(*, session: Session, requester: Requester) -> Takeover | None:
    """Return the open takeover of the person's conversation, if an agent holds it.

    A person linked on several channels has one conversation with the desk: a takeover
    of a ticket from the web chat silences the bot in Telegram too (see
    :mod:`servicedesk.links`).
    """
    ids = person_requester_ids(session=session, requester=requester)
    stmt = (
        select(Takeover)
        .where(Takeover.requester_id.in_(ids), Takeover.ended_at.is_(None))
        .order_by(Takeover.id.desc())
    )
    return session.scalars(stmt).first()


def record_inbound(
    *,
    session: Session,
    requester: Requester,
    text: str,
    ticket: Ticket | None = None,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> Message:
    """Store what the person wrote in the ticket thread (once per ``dedupe_key``).

    A personnummer is masked here too, whichever channel forgot to (see :mod:`servicedesk.privacy`).
    """
    message = Message(
        requester_id=requester.id,
        ticket_id=ticket.id if ticket is not None else None,
        channel=requester.channel,
        direction=MessageDirection.INBOUND,
        author="person",
        text=mask_personnummer(text).text,
        buttons=[],
        delivery_state=DeliveryState.NONE,
        attempts=0,
        dedupe_key=dedupe_key,
        created_at=as_utc(now or utcnow()),
    )
    return _insert_once(session, message)


def route_inbound(
    *,
    session: Session,
    requester: Requester,
    text: str,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> InboundRoute:
    """Decide where a person's message goes; store it when the desk holds the conversation.

    The caller commits. A message stored here must not also be sent to Rasa.
    """
    takeover = active_takeover(session=session, requester=requester)
    if takeover is None:
        return InboundRoute(to_bot=True)
    message = record_inbound(
        session=session, requester=requester, text=text, ticket=takeover.ticket,
        dedupe_key=dedupe_key, now=now,
    )  # fmt: skip
    session.flush()
    return InboundRoute(to_bot=False, message_id=message.id, ticket_number=takeover.ticket.number)


def enqueue_outbound(
    *,
    session: Session,
    requester: Requester,
    text: str,
    author: str = "system",
    agent: Agent | None = None,
    ticket: Ticket | None = None,
    buttons: Sequence[dict[str, Any]] = (),
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> Message:
    """Queue a message to the person on their channel; the caller's commit sends it off.

    Args:
        author: ``agent``, ``bot`` or ``system``.
        buttons: ``[{"title": ..., "payload": ...}]`` as Rasa writes them.
        dedupe_key: Queue at most one message per key (e.g. ``invite:SD-2026-00001``).
    """
    moment = as_utc(now or utcnow())
    message = Message(
        requester_id=requester.id,
        ticket_id=ticket.id if ticket is not None else None,
        channel=requester.channel,
        direction=MessageDirection.OUTBOUND,
        author=author,
        agent_id=agent.id if agent is not None else None,
        text=text,
        buttons=[dict(b) for b in buttons],
        delivery_state=DeliveryState.PENDING,
        attempts=0,
        next_attempt_at=moment,
        dedupe_key=dedupe_key,
        created_at=moment,
    )
    outbox_signal.note_outbound(session, requester.channel, requester.external_id)
    return _insert_once(session, message)


def _event(ticket: Ticket, *, kind: str, actor: str, now: datetime, **data: Any) -> None:
    ticket.events.append(TicketEvent(at=now, actor=actor, kind=kind, data=data))


def start_takeover(
    *, session: Session, ticket: Ticket, agent: Agent, now: datetime | None = None
) -> Takeover:
    """Let ``agent`` take over the conversation of ``ticket``'s requester.

    Taking over again by the same agent is a no-op that returns the open takeover.

    Raises:
        TakeoverConflictError: Another agent holds this person's conversation.
    """
    moment = as_utc(now or utcnow())
    requester = ticket.requester
    current = active_takeover(session=session, requester=requester)
    if current is not None:
        if current.agent_id == agent.id:
            return current
        raise TakeoverConflictError(
            f"The conversation of ticket {ticket.number} is already held by agent "
            f"'{current.agent.username}'"
        )
    takeover = Takeover(
        requester_id=requester.id, ticket_id=ticket.id, agent_id=agent.id,
        started_at=moment, agent_active_at=moment,
    )  # fmt: skip
    session.add(takeover)
    _event(ticket, kind="takeover", actor=f"agent:{agent.username}", now=moment)
    name = agent.display_name or agent.username
    for channel_requester in person_requesters(session=session, requester=requester):
        enqueue_outbound(
            session=session, requester=channel_requester, ticket=ticket, author="system",
            text=TAKEOVER_TEXT.format(agent=name), now=moment,
        )  # fmt: skip
    session.flush()
    return takeover


def end_takeover(
    *,
    session: Session,
    takeover: Takeover,
    actor: str,
    reason: str = "handed_back",
    now: datetime | None = None,
) -> None:
    """Close ``takeover`` and tell the person the assistant answers again."""
    moment = as_utc(now or utcnow())
    takeover.ended_at = moment
    takeover.end_reason = reason
    ticket = takeover.ticket
    _event(ticket, kind="handback", actor=actor, now=moment, reason=reason)
    text = HANDBACK_TEXT if reason == "handed_back" else IDLE_END_TEXT.format(number=ticket.number)
    for channel_requester in person_requesters(session=session, requester=takeover.requester):
        enqueue_outbound(
            session=session, requester=channel_requester, ticket=ticket, author="system",
            text=text, now=moment,
        )  # fmt: skip
    session.flush()


def expire_idle_takeovers(*, session: Session, idle: timedelta, now: datetime | None = None) -> int:
    """End every takeover whose agent has done nothing for ``idle``; return how many."""
    moment = as_utc(now or utcnow())
    stale = session.scalars(
        select(Takeover).where(
            Takeover.ended_at.is_(None), Takeover.agent_active_at < moment - idle
        )
    ).all()
    for takeover in stale:
        end_takeover(
            session=session, takeover=takeover, actor="system", reason="idle_timeout", now=moment
        )
    return len(stale)


def thread(*, session: Session, ticket: Ticket) -> list[Message]:
    """Return the messages kept for ``ticket`` (person's and desk's), oldest first."""
    stmt = select(Message).where(Message.ticket_id == ticket.id).order_by(Message.id)
    return list(session.scalars(stmt))


def pickup_for_requester(
    *, session: Session, requester: Requester, after_id: int = 0, now: datetime | None = None
) -> list[Message]:
    """Hand the web chat the outbound messages after ``after_id`` and mark them delivered.

    Messages already delivered are returned again when asked for (a page reloaded with an
    older ``after_id`` shows them), so a lost poll response loses nothing.
    """
    moment = as_utc(now or utcnow())
    stmt = (
        select(Message)
        .where(
            Message.requester_id == requester.id,
            Message.direction == MessageDirection.OUTBOUND,
            Message.id > after_id,
        )
        .order_by(Message.id)
        .limit(100)
    )
    found = list(session.scalars(stmt))
    for message in found:
        if message.delivery_state == DeliveryState.PENDING:
            message.delivery_state = DeliveryState.DELIVERED
            message.delivered_at = moment
    session.flush()
    return found


def _backoff(attempts: int, retry_after: float | None) -> timedelta:
    if retry_after is not None:
        return timedelta(seconds=max(retry_after, 0.0))
    return timedelta(seconds=min(2**attempts, 300))


async def drain_outbox(
    *,
    session_factory: Callable[[], Session],
    channel: str,
    deliverer: Deliverer,
    limit: int = 50,
    now: Callable[[], datetime] = utcnow,
) -> int:
    """Deliver due ``pending`` messages of ``channel`` in order; return how many were sent.

    Each message is committed as delivered right after its delivery, so a crash repeats
    at most the one message in flight. A :class:`DeliveryError` schedules a retry (the
    channel's ``retry_after`` or exponential backoff); after :data:`MAX_ATTEMPTS`, or a
    permanent error, the message is marked ``failed`` and stays visible in the desk.
    Messages of one person are delivered in order: after a failure the rest of that
    person's messages wait for the next round.
    """
    sent = 0
    blocked: set[int] = set()
    with session_factory() as session:
        moment = as_utc(now())
        stmt = (
            select(Message, Requester.external_id)
            .join(Requester, Requester.id == Message.requester_id)
            .where(
                Message.channel == channel,
                Message.direction == MessageDirection.OUTBOUND,
                Message.delivery_state == DeliveryState.PENDING,
                or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= moment),
            )
            .order_by(Message.id)
            .limit(limit)
        )
        rows = session.execute(stmt).all()
        # A message waiting for its retry holds back the later messages of that person.
        waiting: dict[int, int] = {
            requester_id: first_id
            for requester_id, first_id in session.execute(
                select(Message.requester_id, func.min(Message.id))
                .where(
                    Message.channel == channel,
                    Message.direction == MessageDirection.OUTBOUND,
                    Message.delivery_state == DeliveryState.PENDING,
                    Message.next_attempt_at > moment,
                )
                .group_by(Message.requester_id)
            ).all()
        }
        for message, external_id in rows:
            first_waiting = waiting.get(message.requester_id)
            if message.requester_id in blocked or (
                first_waiting is not None and message.id > first_waiting
            ):
                continue
            try:
                await deliverer.deliver(external_id, message.text, list(message.buttons or []))
            except DeliveryError as exc:
                message.attempts += 1
                message.last_error = str(exc)
                if exc.permanent or message.attempts >= MAX_ATTEMPTS:
                    message.delivery_state = DeliveryState.FAILED
                    logger.warning("giving up on message %s: %s", message.id, exc)
                else:
                    message.next_attempt_at = as_utc(now()) + _backoff(
                        message.attempts, exc.retry_after
                    )
                blocked.add(message.requester_id)
                session.commit()
                continue
            message.delivery_state = DeliveryState.DELIVERED
            message.delivered_at = as_utc(now())
            message.attempts += 1
            session.commit()
            sent += 1
    return sent
