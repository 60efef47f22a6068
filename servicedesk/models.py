"""SQLAlchemy 2 typed declarative models: the whole schema of the service desk."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` in UTC; naive values (SQLite reads them back naive) are taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with JSON mapped for dict/list columns."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        list[dict[str, Any]]: JSON,
    }


class TicketState(str, enum.Enum):
    """Ticket states, held as the Swedish words users see."""

    NEW = "ny"
    RECEIVED = "mottagen"
    IN_PROGRESS = "pågår"
    DELIVERED = "levererad"
    CLOSED = "avslutad"
    WAITING = "väntar på beställare"
    CANCELLED = "makulerad"


class TicketKind(str, enum.Enum):
    """What a ticket is: an order, a fault report or a question."""

    ORDER = "order"
    FAULT = "fault"
    QUESTION = "question"


class AgentRole(str, enum.Enum):
    """Desk roles: agents work tickets, admins also manage agents."""

    AGENT = "agent"
    ADMIN = "admin"


def _enum_values(cls: type[enum.Enum]) -> list[str]:
    return [str(m.value) for m in cls]


class Department(Base):
    """A förvaltning that orders services and answers feedback."""

    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Requester(Base):
    """An employee as known on one channel (web chat sender id, Telegram user id)."""

    __tablename__ = "requesters"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(200))
    #: From the identity provider's claims when the person signs in (single sign-on).
    email: Mapped[str | None] = mapped_column(String(320))
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))
    #: When the person answered (or skipped) the web chat's name and förvaltning form.
    profile_saved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: When the person was last told that a personnummer was removed from their message
    #: (None: not yet in this conversation; "Börja om" clears it).
    privacy_notice_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RequesterLink(Base):
    """A requester on another channel (Telegram) linked to a web chat person.

    The person is the web requester (``person_id``); a requester appears here at most once,
    so it belongs to one person. The tickets, takeovers and feedback of a person are those
    of the person's own requester and of every requester linked to it
    (see :mod:`servicedesk.links`).
    """

    __tablename__ = "requester_links"

    requester_id: Mapped[int] = mapped_column(
        ForeignKey("requesters.id"), primary_key=True, autoincrement=False
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("requesters.id"), index=True)
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LinkCode(Base):
    """A one-time code a web chat person shows on another channel to link it.

    Only the SHA-256 of the code is kept. A code is good until ``expires_at`` and only once
    (``used_at``); see :mod:`servicedesk.link_codes`.
    """

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("requesters.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("requesters.id"))


class LinkAttempt(Base):
    """One try to redeem a link code, kept a short while to bound guessing per requester."""

    __tablename__ = "link_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("requesters.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)


class Service(Base):
    """A catalogue service; retired services stay (inactive) so old tickets keep them."""

    __tablename__ = "services"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[TicketKind] = mapped_column(
        Enum(TicketKind, values_callable=_enum_values, native_enum=False, length=16)
    )
    category: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    price_sek: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))
    price_unit: Mapped[str] = mapped_column(String(200), default="")
    performer: Mapped[str] = mapped_column(String(200), default="")
    sla_hours: Mapped[int] = mapped_column(Integer)
    order_fields: Mapped[list[str]] = mapped_column(default=list)
    keywords: Mapped[list[str]] = mapped_column(default=list)
    #: Example requests in staff's own words (optional; they teach the matcher).
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Catalogue-defined fields: [{key, label, question, type, required, options, min, max}].
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TicketCounter(Base):
    """Last ticket sequence number handed out per year (row-locked on increment)."""

    __tablename__ = "ticket_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    """An ärende: one request, with its service, details, requester and conversation."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    service_code: Mapped[str | None] = mapped_column(ForeignKey("services.code"))
    kind: Mapped[TicketKind] = mapped_column(
        Enum(TicketKind, values_callable=_enum_values, native_enum=False, length=16)
    )
    state: Mapped[TicketState] = mapped_column(
        Enum(TicketState, values_callable=_enum_values, native_enum=False, length=32),
        default=TicketState.NEW,
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    requester_id: Mapped[int] = mapped_column(ForeignKey("requesters.id"))
    channel: Mapped[str] = mapped_column(String(32))
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    escalation_reason: Mapped[str | None] = mapped_column(String(64))
    transcript: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    assigned_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    sla_deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    requester: Mapped[Requester] = relationship()
    assigned_agent: Mapped[Agent | None] = relationship()
    service: Mapped[Service | None] = relationship()
    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", cascade="all, delete-orphan"
    )


class TicketEvent(Base):
    """Audit trail: every change to a ticket, who made it and when."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class Agent(Base):
    """A service desk agent (handläggare); only a hash of the bearer token is stored."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[AgentRole] = mapped_column(
        Enum(AgentRole, values_callable=_enum_values, native_enum=False, length=16),
        default=AgentRole.AGENT,
    )
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Service categories this agent works; empty means every queue.
    queues: Mapped[list[str]] = mapped_column(default=list)
    #: The identity provider's person (hash of issuer and ``sub``) for agents made by
    #: single sign-on; their role and queues follow the provider's groups at each login.
    sso_subject: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ConsoleSession(Base):
    """A login to the desk console; the cookie holds a random key, only its hash is kept.

    A session is over when it is revoked (logout, agent deactivated), when it expires,
    when it has not been used for a while, when the agent is inactive or when the agent's
    token is no longer the one the session was started with.
    """

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 (hex) of the key in the cookie.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    #: The start of the agent's token hash at login: a new token ends the session.
    token_fingerprint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    agent: Mapped[Agent] = relationship()


class Feedback(Base):
    """The kunddialog for one delivered ticket: the invitation's life and the answers.

    ``status`` is one of ``pending`` (waiting for its due time), ``invited``,
    ``postponed`` ("inte nu"), ``paused`` (the person started a new request mid-survey),
    ``answered``, ``declined`` ("nej tack"), ``expired`` or ``skipped`` (sampled out or
    over the per-person cap; ``skip_reason`` says which). The four scores are copied from
    the first answer to each question (see :class:`FeedbackAnswer`).
    """

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))
    status: Mapped[str] = mapped_column(String(32), default="invited", index=True)
    feedback_score: Mapped[int | None] = mapped_column(Integer)
    expectation_score: Mapped[int | None] = mapped_column(Integer)
    treatment_score: Mapped[int | None] = mapped_column(Integer)
    overall_score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    invited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("requesters.id"), index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Earliest moment the invitation may be sent (delay and quiet hours applied).
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminder_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    postponed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    declined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: How often a paused survey was offered again (each offer has its own dedupe key).
    resume_count: Mapped[int] = mapped_column(Integer, default=0)
    skip_reason: Mapped[str | None] = mapped_column(String(32))

    ticket: Mapped[Ticket] = relationship()
    answers: Mapped[list[FeedbackAnswer]] = relationship(
        back_populates="feedback", order_by="FeedbackAnswer.id"
    )


class MessageDirection(str, enum.Enum):
    """Whether a message came from the person or goes to them."""

    INBOUND = "in"
    OUTBOUND = "out"


class DeliveryState(str, enum.Enum):
    """Where an outbound message is on its way to the person."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    #: Inbound messages are not delivered anywhere.
    NONE = "none"


class Message(Base):
    """One message of a person's conversation kept by the desk: ticket thread and outbox.

    Inbound rows are what the person wrote while a human had the conversation (or what a
    channel stored for a ticket); outbound rows are what the desk sends to the person
    (agent replies, status notices, invitations) and wait in state ``pending`` until
    the person's channel has delivered them.
    """

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("requesters.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    direction: Mapped[MessageDirection] = mapped_column(
        Enum(MessageDirection, values_callable=_enum_values, native_enum=False, length=8)
    )
    #: ``person``, ``agent``, ``bot`` or ``system``.
    author: Mapped[str] = mapped_column(String(16))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    buttons: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    delivery_state: Mapped[DeliveryState] = mapped_column(
        Enum(DeliveryState, values_callable=_enum_values, native_enum=False, length=16),
        index=True,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Set by senders that may retry (e.g. a Telegram update id): one row per key.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    agent: Mapped[Agent | None] = relationship()


class Takeover(Base):
    """A desk agent holding a person's conversation; the bot is silent while it is open."""

    __tablename__ = "takeovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("requesters.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Last thing the agent did in the conversation; the idle timeout counts from here.
    agent_active_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: ``handed_back`` or ``idle_timeout``.
    end_reason: Mapped[str | None] = mapped_column(String(32))

    agent: Mapped[Agent] = relationship()
    ticket: Mapped[Ticket] = relationship()
    requester: Mapped[Requester] = relationship()


class TelegramUpdate(Base):
    """A Telegram update the bridge has taken on: a replay of the same id is dropped.

    ``status`` is ``processing``, ``done`` or ``failed`` (Rasa was down: the text is kept
    here and a replay of a failed update is processed again).
    """

    __tablename__ = "telegram_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    #: How many times the same update arrived again and was dropped.
    replays: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TelegramChat(Base):
    """Where a Telegram requester is in the name/förvaltning questions, and what waits."""

    __tablename__ = "telegram_chats"

    requester_id: Mapped[int] = mapped_column(ForeignKey("requesters.id"), primary_key=True)
    #: ``name``, ``department`` or None when nothing is being asked.
    step: Mapped[str | None] = mapped_column(String(16))
    #: The message the person wrote before the questions; sent to Rasa after them.
    pending_text: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TelegramButton(Base):
    """A Rasa button payload too long for Telegram's 64-byte callback data, by its hash."""

    __tablename__ = "telegram_buttons"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)


class Attachment(Base):
    """A file a person sent (photo, document), stored under the attachments folder."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("requesters.id"), index=True)
    #: None when the person had no open ticket; the file is kept all the same.
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    #: The channel's id of the file (Telegram ``file_unique_id``).
    source_id: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    #: Relative to the attachments folder.
    path: Mapped[str] = mapped_column(String(500))
    caption: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FeedbackAnswer(Base):
    """One answer of the kunddialog as the person gave it, stored once per question."""

    __tablename__ = "feedback_answers"
    __table_args__ = (UniqueConstraint("feedback_id", "question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    #: ``communication``, ``expectation``, ``treatment``, ``overall`` or ``comment``.
    question: Mapped[str] = mapped_column(String(32))
    score: Mapped[int | None] = mapped_column(Integer)
    #: The person's own words (the button payload or what they typed).
    text: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    feedback: Mapped[Feedback] = relationship(back_populates="answers")


class ReadLogEntry(Base):
    """One time an agent read something personal: a ticket, its transcript or thread, or the
    feedback comments. Only admins can list these (see :mod:`servicedesk.read_log`)."""

    __tablename__ = "read_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    #: ``ticket``, ``transcript``, ``thread``, ``feedback_comment`` or ``protected_field``
    #: (a personnummer field shown decrypted).
    what: Mapped[str] = mapped_column(String(32))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    #: ``api`` or ``console``.
    via: Mapped[str] = mapped_column(String(16))

    agent: Mapped[Agent] = relationship()
    ticket: Mapped[Ticket | None] = relationship()


class AuditEvent(Base):
    """Something done to personal data as a whole: an export, an erasure, a retention run.

    ``subject`` names the person by requester id and pseudonym only (never by name), so
    the record outlives the erasure it describes.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    #: ``agent:<username>``, ``cli`` or ``system:retention``.
    actor: Mapped[str] = mapped_column(String(200))
    #: ``person_export``, ``person_anonymise``, ``person_erase`` or ``retention``.
    action: Mapped[str] = mapped_column(String(32), index=True)
    subject: Mapped[str] = mapped_column(String(200), default="")
    #: Counts of what was exported, changed or removed.
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class WebSession(Base):
    """A single sign-on login to the web chat; the cookie holds a random key, its hash is kept.

    Only used when SSO is on. Signing out revokes it, so a copied cookie stops working.
    """

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 (hex) of the key in the cookie.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The web chat person id (derived from the provider's issuer and ``sub``).
    person_id: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SensitivePrompt(Base):
    """A conversation whose next message answers a personnummer field of an order.

    Written by the action that asks the question; the channel that receives the answer
    keeps the number encrypted (:class:`SensitiveValue`) instead of masking it, and hands
    the bot only a placeholder (see :mod:`servicedesk.privacy.sensitive`).
    """

    __tablename__ = "sensitive_prompts"

    conversation_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    service_code: Mapped[str] = mapped_column(String(32))
    field_key: Mapped[str] = mapped_column(String(32))
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SensitiveValue(Base):
    """One personnummer answer, encrypted (Fernet); on a ticket once the order is sent.

    ``masked`` (``19850312-****``) is what the person, the ticket's details, other agents
    and reports see; only agents of the ticket's queue get the decrypted value.
    """

    __tablename__ = "sensitive_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    service_code: Mapped[str] = mapped_column(String(32))
    field_key: Mapped[str] = mapped_column(String(32))
    #: Fernet token (AES-128-CBC with HMAC-SHA256) of the normalised number.
    ciphertext: Mapped[str] = mapped_column(Text)
    masked: Mapped[str] = mapped_column(String(32))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
