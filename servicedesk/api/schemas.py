"""Public Pydantic schemas of the desk API."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from servicedesk.fields import field_labels, labelled_details, sensitive_keys
from servicedesk.models import (
    AgentRole,
    DeliveryState,
    Message,
    MessageDirection,
    Takeover,
    Ticket,
    TicketEvent,
    TicketKind,
    TicketState,
)
from servicedesk.tickets import TRANSITIONS, is_overdue


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


UtcDatetime = Annotated[datetime, AfterValidator(_aware)]

#: The largest id there can be: every id column is a PostgreSQL ``integer``. Also the bound
#: of paging offsets, so no number from a request overflows SQLite or PostgreSQL.
MAX_DB_INT = 2**31 - 1
#: The days a period may start or end on: far from where date arithmetic and time zone
#: conversion run out of calendar (year 1 and year 9999).
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(9998, 12, 31)
#: A day asked for in a query (``from``, ``to``, ``fran``, ``till``).
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]


class RequesterPublic(BaseModel):
    """Who opened a ticket, as known on their channel."""

    model_config = ConfigDict(from_attributes=True)

    channel: str
    external_id: str
    name: str | None = None


class TicketEventPublic(BaseModel):
    """One entry of a ticket's audit trail."""

    model_config = ConfigDict(from_attributes=True)

    at: UtcDatetime
    actor: str
    kind: str
    from_state: str | None = None
    to_state: str | None = None
    comment: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class TicketSummary(BaseModel):
    """A ticket as listed in the desk queue."""

    number: str
    state: TicketState
    kind: TicketKind
    title: str
    service_code: str | None
    service_name: str | None
    escalated: bool
    escalation_reason: str | None
    channel: str
    created_at: UtcDatetime
    updated_at: UtcDatetime
    sla_deadline: UtcDatetime | None
    overdue: bool
    assigned_agent: str | None = None
    department_code: str | None = None
    requester_name: str | None = None

    @classmethod
    def _fields_of(cls, ticket: Ticket, now: datetime) -> dict[str, Any]:
        return {
            "number": ticket.number,
            "state": ticket.state,
            "kind": ticket.kind,
            "title": ticket.title,
            "service_code": ticket.service_code,
            "service_name": ticket.service.name if ticket.service else None,
            "escalated": ticket.escalated,
            "escalation_reason": ticket.escalation_reason,
            "channel": ticket.channel,
            "created_at": ticket.created_at,
            "updated_at": ticket.updated_at,
            "sla_deadline": ticket.sla_deadline,
            "overdue": is_overdue(ticket, now),
            "assigned_agent": ticket.assigned_agent.username if ticket.assigned_agent else None,
            "department_code": ticket.requester.department_code,
            "requester_name": ticket.requester.name,
        }

    @classmethod
    def from_ticket(cls, ticket: Ticket, now: datetime) -> TicketSummary:
        """Build the summary of ``ticket`` as of ``now``."""
        return cls(**cls._fields_of(ticket, now))


class MessagePublic(BaseModel):
    """One message of the ticket thread: the person's, an agent's or the desk's notice."""

    id: int
    at: UtcDatetime
    direction: MessageDirection
    author: str
    agent: str | None = None
    text: str
    buttons: list[dict[str, Any]] = Field(default_factory=list)
    delivery_state: DeliveryState

    @classmethod
    def from_message(cls, message: Message) -> MessagePublic:
        """Build the public view of ``message``."""
        return cls(
            id=message.id,
            at=message.created_at,
            direction=message.direction,
            author=message.author,
            agent=message.agent.username if message.agent else None,
            text=message.text,
            buttons=list(message.buttons or []),
            delivery_state=message.delivery_state,
        )


class TakeoverPublic(BaseModel):
    """Who holds the conversation since when."""

    agent: str
    agent_name: str
    started_at: UtcDatetime
    agent_active_at: UtcDatetime


class ProtectedFieldPublic(BaseModel):
    """A personnummer field of the ticket: kept encrypted, in clear only for its queue."""

    key: str
    label: str
    shown: bool = Field(
        description="True when this response holds the decrypted value (the caller works "
        "the ticket's queue); otherwise the value is masked (ÅÅÅÅMMDD-****)."
    )


class TicketDetail(TicketSummary):
    """A ticket with its details, conversation, requester and audit trail."""

    conversation_id: str
    details: dict[str, Any]
    detail_items: list[dict[str, str]] = Field(
        default_factory=list,
        description="The details as [{key, label, value}], with their Swedish labels.",
    )
    transcript: list[dict[str, Any]]
    requester: RequesterPublic
    events: list[TicketEventPublic]
    messages: list[MessagePublic] = Field(default_factory=list)
    takeover: TakeoverPublic | None = None
    allowed_states: list[TicketState] = Field(default_factory=list)
    first_response_at: UtcDatetime | None = None
    delivered_at: UtcDatetime | None = None
    protected_fields: list[ProtectedFieldPublic] = Field(
        default_factory=list,
        description="The personnummer fields among the details (encrypted at rest).",
    )

    @classmethod
    def from_ticket(
        cls,
        ticket: Ticket,
        now: datetime,
        messages: list[Message] | None = None,
        takeover: Takeover | None = None,
        revealed: dict[str, str] | None = None,
    ) -> TicketDetail:
        """Build the full view of ``ticket`` as of ``now``.

        ``revealed`` holds decrypted personnummer fields for an agent of the ticket's queue;
        without it those details stay masked.
        """
        held = None
        if takeover is not None:
            held = TakeoverPublic(
                agent=takeover.agent.username,
                agent_name=takeover.agent.display_name or takeover.agent.username,
                started_at=takeover.started_at,
                agent_active_at=takeover.agent_active_at,
            )
        order = list(TicketState)
        definitions = (ticket.service.fields or []) if ticket.service else []
        shown = dict(revealed or {})
        details = {**(ticket.details or {}), **shown}
        labels = field_labels(definitions)
        protected = [
            ProtectedFieldPublic(key=key, label=labels.get(key, key), shown=key in shown)
            for key in sorted(sensitive_keys(definitions))
            if key in details
        ]
        return cls(
            **cls._fields_of(ticket, now),
            conversation_id=ticket.conversation_id,
            details=details,
            detail_items=labelled_details(details, definitions),
            protected_fields=protected,
            transcript=ticket.transcript,
            requester=RequesterPublic.model_validate(ticket.requester),
            events=[_event(e) for e in ticket.events],
            messages=[MessagePublic.from_message(m) for m in messages or []],
            takeover=held,
            allowed_states=sorted(TRANSITIONS[TicketState(ticket.state)], key=order.index),
            first_response_at=ticket.first_response_at,
            delivered_at=ticket.delivered_at,
        )


def _event(event: TicketEvent) -> TicketEventPublic:
    return TicketEventPublic.model_validate(event)


#: The longest message the web chat accepts (after stripping surrounding white space).
MAX_CHAT_MESSAGE_CHARS = 2000


class ChatRequest(BaseModel):
    """A message from the web chat page.

    Who sent it comes from the desk's identity cookie only: a ``sender``, ``name`` or
    ``department`` in the body (what older pages sent) is ignored. Name and förvaltning are
    kept with the person and changed only through ``PUT /api/chat/profile``.
    """

    model_config = ConfigDict(extra="ignore")

    message: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_CHAT_MESSAGE_CHARS),
    ]
    message_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:\-]{1,80}$")] | None = (
        Field(
            None,
            description="The page's id of this message; a retry with the same id never runs "
            "the turn twice and gets the first run's answer.",
        )
    )


class ChatProfile(BaseModel):
    """Name and förvaltning the desk keeps for the web chat person."""

    name: str | None = None
    department: str | None = Field(default=None, description="Code of the förvaltning.")
    department_name: str | None = None
    saved: bool = Field(
        default=False,
        description="The person has answered (or skipped) the form; it is not asked again.",
    )
    signed_in: bool = Field(
        default=False,
        description="Signed in through the organisation's identity provider (single sign-on); "
        "the name comes from there and the page offers to log out.",
    )


class ChatProfileUpdate(BaseModel):
    """The person's answer to the name and förvaltning form; empty values clear them."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    department: Annotated[str, StringConstraints(strip_whitespace=True, max_length=16)] | None = (
        Field(None, description="Code of the förvaltning (from /api/chat/departments).")
    )


class ChatLinkedChannel(BaseModel):
    """A channel linked to the web chat person."""

    channel: Literal["telegram"]
    linked_at: datetime


class ChatLinks(BaseModel):
    """The channels linked to the web chat person (their tickets follow them there)."""

    linked: list[ChatLinkedChannel] = Field(default_factory=list)


class ChatLinkCode(BaseModel):
    """A one-time code that links Telegram to the web chat person; shown once."""

    code: str = Field(description="The code, as two groups of five (``ABCDE-FGH23``).")
    command: str = Field(description="What to send the bot: ``/start <code>``.")
    deep_link: str | None = Field(
        None,
        description="``https://t.me/<bot>?start=<code>``; None when the bot's username "
        "(SERVICEDESK_TELEGRAM_BOT_USERNAME) is not configured.",
    )
    expires_at: datetime
    valid_minutes: int


class DepartmentPublic(BaseModel):
    """A förvaltning the web chat offers."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str


class ChatButton(BaseModel):
    """A quick-reply button: the page shows ``title`` and sends ``payload``."""

    title: str
    payload: str


class ChatMessage(BaseModel):
    """One bot message relayed from Rasa."""

    text: str = ""
    buttons: list[ChatButton] = Field(default_factory=list)


class ChatPushed(ChatMessage):
    """A message the desk sent to the person (agent reply, notice, invitation)."""

    id: int
    author: str
    at: UtcDatetime


class ChatHistoryEntry(ChatMessage):
    """One message of the conversation so far, as the page shows it.

    ``role`` is ``user`` (the person), ``bot`` (the assistant or a notice from the desk) or
    ``agent`` (a desk agent). Only the last message that is not the person's keeps its
    buttons; the earlier ones were answered or passed over.
    """

    role: Literal["user", "bot", "agent"]
    at: UtcDatetime


class ChatHistory(BaseModel):
    """The conversation since its start or the last "Börja om", oldest first."""

    messages: list[ChatHistoryEntry] = Field(default_factory=list)
    last_desk_message_id: int = Field(
        0,
        description="Id of the newest desk message included; poll /api/chat/messages after it.",
    )


_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class TransitionRequest(BaseModel):
    """Move a ticket to another state."""

    model_config = ConfigDict(extra="forbid")

    to_state: TicketState
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    notify: bool = Field(True, description="Tell the requester about the new state.")


class AssignRequest(BaseModel):
    """Claim (your own username), assign (admins) or release (null) a ticket."""

    model_config = ConfigDict(extra="forbid")

    agent: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        | None
    )


class CommentRequest(BaseModel):
    """An internal note, or with ``internal: false`` a message to the requester."""

    model_config = ConfigDict(extra="forbid")

    text: _Text
    internal: bool = True


class MessageRequest(BaseModel):
    """A message to the requester, delivered on the channel they used."""

    model_config = ConfigDict(extra="forbid")

    text: _Text


class AgentCreate(BaseModel):
    """A new desk agent (admins only)."""

    model_config = ConfigDict(extra="forbid")

    username: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=2, max_length=100, pattern=r"^[a-z0-9._-]+$"
        ),
    ]
    display_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    role: AgentRole = AgentRole.AGENT
    queues: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        default_factory=list
    )


class AgentPublic(BaseModel):
    """A desk agent as admins see it."""

    model_config = ConfigDict(from_attributes=True)

    username: str
    display_name: str
    role: AgentRole
    queues: list[str]
    active: bool


class AgentCreated(AgentPublic):
    """A new agent with its token, shown only in this response."""

    token: str


class HealthReport(BaseModel):
    """Overall status and the result of each check ("ok" or what went wrong)."""

    status: str
    checks: dict[str, str]
