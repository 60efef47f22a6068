"""Public Pydantic schemas of the desk API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from servicedesk.models import Ticket, TicketEvent, TicketKind, TicketState
from servicedesk.tickets import is_overdue


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


UtcDatetime = Annotated[datetime, AfterValidator(_aware)]


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
        }

    @classmethod
    def from_ticket(cls, ticket: Ticket, now: datetime) -> TicketSummary:
        """Build the summary of ``ticket`` as of ``now``."""
        return cls(**cls._fields_of(ticket, now))


class TicketDetail(TicketSummary):
    """A ticket with its details, conversation, requester and audit trail."""

    conversation_id: str
    details: dict[str, Any]
    transcript: list[dict[str, Any]]
    requester: RequesterPublic
    events: list[TicketEventPublic]

    @classmethod
    def from_ticket(cls, ticket: Ticket, now: datetime) -> TicketDetail:
        """Build the full view of ``ticket`` as of ``now``."""
        return cls(
            **cls._fields_of(ticket, now),
            conversation_id=ticket.conversation_id,
            details=ticket.details,
            transcript=ticket.transcript,
            requester=RequesterPublic.model_validate(ticket.requester),
            events=[_event(e) for e in ticket.events],
        )


def _event(event: TicketEvent) -> TicketEventPublic:
    return TicketEventPublic.model_validate(event)


class ChatRequest(BaseModel):
    """A message from the web chat page."""

    sender: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    message: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ChatButton(BaseModel):
    """A quick-reply button: the page shows ``title`` and sends ``payload``."""

    title: str
    payload: str


class ChatMessage(BaseModel):
    """One bot message relayed from Rasa."""

    text: str = ""
    buttons: list[ChatButton] = Field(default_factory=list)


class HealthReport(BaseModel):
    """Overall status and the result of each check ("ok" or what went wrong)."""

    status: str
    checks: dict[str, str]
