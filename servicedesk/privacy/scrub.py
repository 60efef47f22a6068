"""What anonymising and deleting mean for one ticket, shared by retention and erasure.

Anonymising keeps a ticket for statistics (number, service, kind, state, channel, times,
SLA, escalation reason, department, feedback scores) and replaces the person by a
pseudonymous requester; every free text goes: details (and the encrypted personnummer
fields), transcript, comments, the thread, feedback comments and answers' own words,
attachments (rows and files).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from servicedesk.models import (
    Attachment,
    Feedback,
    FeedbackAnswer,
    Message,
    Requester,
    Takeover,
    Ticket,
)
from servicedesk.privacy.sensitive import delete_for_tickets

__all__ = [
    "ANONYMOUS_CHANNEL",
    "anonymise_ticket",
    "clear_transcript",
    "delete_attachments",
    "delete_ticket",
    "pseudonym",
    "pseudonymous_requester",
]

logger = logging.getLogger(__name__)

#: The channel of pseudonymous requesters: nobody chats on it.
ANONYMOUS_CHANNEL = "anonym"
#: Event data kept on an anonymised ticket: machine words, never free text.
_SAFE_EVENT_KEYS = frozenset(
    {"channel", "escalated", "reason", "status", "question", "score", "to_state", "from_state"}
)


def pseudonym(secret_key: str, requester: Requester) -> str:
    """Return the stable pseudonym of ``requester`` (keyed, so it cannot be guessed back)."""
    if requester.channel == ANONYMOUS_CHANNEL:
        return requester.external_id
    message = f"{requester.channel}:{requester.external_id}".encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()
    return f"anon-{digest[:16]}"


def pseudonymous_requester(*, session: Session, secret_key: str, requester: Requester) -> Requester:
    """Return (creating it once) the pseudonymous stand-in for ``requester``.

    The stand-in keeps the förvaltning, so reports per department stay right.
    """
    if requester.channel == ANONYMOUS_CHANNEL:
        return requester
    name = pseudonym(secret_key, requester)
    stand_in = session.scalars(
        select(Requester).where(
            Requester.channel == ANONYMOUS_CHANNEL, Requester.external_id == name
        )
    ).one_or_none()
    if stand_in is None:
        stand_in = Requester(
            channel=ANONYMOUS_CHANNEL,
            external_id=name,
            name=None,
            department_code=requester.department_code,
            created_at=requester.created_at,
        )
        session.add(stand_in)
        session.flush()
    return stand_in


def delete_attachments(session: Session, attachments: list[Attachment], folder: Path | None) -> int:
    """Delete attachment rows and their files (a missing file is not an error)."""
    for attachment in attachments:
        if folder is not None:
            path = (folder / attachment.path).resolve()
            if path.is_relative_to(folder.resolve()):
                path.unlink(missing_ok=True)
        session.delete(attachment)
    return len(attachments)


def clear_transcript(session: Session, ticket: Ticket) -> int:
    """Remove the ticket's transcript and its desk messages; return how many messages went.

    Agent comments stay (they are the desk's case notes until the ticket itself is due).
    """
    ticket.transcript = []
    deleted = session.execute(delete(Message).where(Message.ticket_id == ticket.id))
    for event in ticket.events:
        if event.kind == "message":
            event.comment = None
    return int(deleted.rowcount)  # type: ignore[attr-defined]


def _safe_data(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in data.items()
        if key in _SAFE_EVENT_KEYS and (not isinstance(value, str) or len(value) <= 64)
    }


def anonymise_ticket(
    *,
    session: Session,
    ticket: Ticket,
    stand_in: Requester,
    attachments_dir: Path | None,
) -> None:
    """Replace the person on ``ticket`` by ``stand_in`` and remove every free text."""
    original = ticket.requester
    senders = {ticket.conversation_id}
    if original is not None:
        senders.add(f"{original.channel}:{original.external_id}")
    clear_transcript(session, ticket)
    delete_for_tickets(session, [ticket.id])
    ticket.requester = stand_in
    ticket.details = {}
    ticket.conversation_id = stand_in.external_id
    ticket.idempotency_key = None
    for event in ticket.events:
        event.comment = None
        event.data = _safe_data(dict(event.data or {}))
        if event.actor in senders:
            event.actor = stand_in.external_id
    attachments = list(session.scalars(select(Attachment).where(Attachment.ticket_id == ticket.id)))
    delete_attachments(session, attachments, attachments_dir)
    session.execute(
        update(Takeover).where(Takeover.ticket_id == ticket.id).values(requester_id=stand_in.id)
    )
    feedback = session.scalars(select(Feedback).where(Feedback.ticket_id == ticket.id)).first()
    if feedback is not None:
        feedback.requester_id = stand_in.id
        feedback.comment = None
        session.execute(
            update(FeedbackAnswer).where(FeedbackAnswer.feedback_id == feedback.id).values(text="")
        )
    session.flush()


def delete_ticket(*, session: Session, ticket: Ticket, attachments_dir: Path | None) -> None:
    """Delete ``ticket`` with everything that hangs on it."""
    feedback_ids = select(Feedback.id).where(Feedback.ticket_id == ticket.id)
    session.execute(delete(FeedbackAnswer).where(FeedbackAnswer.feedback_id.in_(feedback_ids)))
    session.execute(delete(Feedback).where(Feedback.ticket_id == ticket.id))
    session.execute(delete(Message).where(Message.ticket_id == ticket.id))
    session.execute(delete(Takeover).where(Takeover.ticket_id == ticket.id))
    delete_for_tickets(session, [ticket.id])
    attachments = list(session.scalars(select(Attachment).where(Attachment.ticket_id == ticket.id)))
    delete_attachments(session, attachments, attachments_dir)
    session.delete(ticket)  # its events go with it (cascade)
    session.flush()
