"""Everything kept about one person: export it (JSON) or erase it (anonymise or delete).

A person is named by their requester id (``17``) or their conversation id
(``web:<id>``, ``telegram:<user id>``). Their data: the requester row (profile), tickets
with events and transcripts, desk messages, feedback, takeovers, attachments, Telegram
update records and chat state, and Rasa's tracker events of their conversations.

A person linked on several channels (:mod:`servicedesk.links`) is one person here: naming
any of their requesters exports, or erases, all of them, with their links and link codes.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, selectinload

from servicedesk.fields import sensitive_keys
from servicedesk.links import person_requesters
from servicedesk.models import (
    Attachment,
    Feedback,
    LinkAttempt,
    LinkCode,
    Message,
    Requester,
    RequesterLink,
    Takeover,
    TelegramChat,
    TelegramUpdate,
    Ticket,
    as_utc,
    utcnow,
)
from servicedesk.privacy import tracker
from servicedesk.privacy.audit import record_audit
from servicedesk.privacy.scrub import (
    ANONYMOUS_CHANNEL,
    anonymise_ticket,
    delete_attachments,
    delete_ticket,
    pseudonym,
    pseudonymous_requester,
)
from servicedesk.privacy.sensitive import discard_unsent
from servicedesk.settings import Settings

__all__ = ["ErasureMode", "erase_person", "export_person", "find_person", "person_senders"]

ErasureMode = Literal["anonymise", "delete"]
_REQUESTER_ID = re.compile(r"^[0-9]{1,9}$")


def find_person(*, session: Session, ref: str) -> Requester | None:
    """Return the requester named by id (``"17"``) or conversation id (``"web:abc"``)."""
    ref = ref.strip()
    if _REQUESTER_ID.match(ref):
        requester = session.get(Requester, int(ref))
    elif ":" in ref:
        channel, external_id = ref.split(":", 1)
        requester = session.scalars(
            select(Requester).where(
                Requester.channel == channel, Requester.external_id == external_id
            )
        ).one_or_none()
    else:
        return None
    if requester is None or requester.channel == ANONYMOUS_CHANNEL:
        return None
    return requester


def _tickets(session: Session, requesters: list[Requester]) -> list[Ticket]:
    stmt = (
        select(Ticket)
        .where(Ticket.requester_id.in_([r.id for r in requesters]))
        .options(selectinload(Ticket.events), selectinload(Ticket.service))
        .order_by(Ticket.id)
    )
    return list(session.scalars(stmt))


def person_senders(requesters: list[Requester], tickets: list[Ticket]) -> set[str]:
    """Rasa sender ids of the person's conversations (on every linked channel)."""
    own = {f"{r.channel}:{r.external_id}" for r in requesters}
    return {*own, *(t.conversation_id for t in tickets)}


def _when(moment: datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment is not None else None


def _ticket_json(ticket: Ticket) -> dict[str, Any]:
    return {
        "number": ticket.number, "service": ticket.service_code,
        "category": ticket.service.category if ticket.service else None,
        "kind": ticket.kind.value, "state": ticket.state.value, "title": ticket.title,
        "details": ticket.details, **_withheld(ticket), "channel": ticket.channel,
        "conversation_id": ticket.conversation_id, "escalated": ticket.escalated,
        "escalation_reason": ticket.escalation_reason, "transcript": ticket.transcript,
        "created_at": _when(ticket.created_at), "updated_at": _when(ticket.updated_at),
        "delivered_at": _when(ticket.delivered_at),
        "events": [
            {"at": _when(e.at), "actor": e.actor, "kind": e.kind, "from_state": e.from_state,
             "to_state": e.to_state, "comment": e.comment, "data": e.data}
            for e in ticket.events
        ],
    }  # fmt: skip


#: Why an export shows a personnummer field masked (see README, Privacy and retention).
WITHHELD = (
    "kept encrypted; usually another person's number (e.g. a new employee's), so an "
    "export shows it masked; the agents of the ticket's queue can read it"
)


def _withheld(ticket: Ticket) -> dict[str, Any]:
    """``withheld_fields`` for a ticket with personnummer fields (its details are masked)."""
    keys = sensitive_keys(ticket.service.fields or []) if ticket.service else frozenset()
    shown = sorted(k for k in keys if (ticket.details or {}).get(k))
    return {"withheld_fields": {k: WITHHELD for k in shown}} if shown else {}


def _telegram_updates(session: Session, requester: Requester) -> list[TelegramUpdate]:
    if requester.channel != "telegram":
        return []
    stmt = select(TelegramUpdate).where(TelegramUpdate.user_id == requester.external_id)
    return list(session.scalars(stmt.order_by(TelegramUpdate.update_id)))


def _desk_records(
    session: Session, requesters: list[Requester], tickets: list[Ticket]
) -> dict[str, Any]:
    """The person's messages, feedback, attachments and Telegram records, JSON-ready."""
    ids = [r.id for r in requesters]
    messages = session.scalars(
        select(Message).where(Message.requester_id.in_(ids)).order_by(Message.id)
    )
    feedback = session.scalars(
        select(Feedback)
        .where(or_(Feedback.requester_id.in_(ids),
                   Feedback.ticket_id.in_([t.id for t in tickets])))
        .options(selectinload(Feedback.answers), selectinload(Feedback.ticket))
        .order_by(Feedback.id)
    )  # fmt: skip
    attachments = session.scalars(
        select(Attachment).where(Attachment.requester_id.in_(ids)).order_by(Attachment.id)
    )
    return {
        "messages": [
            {"ticket": m.ticket_id, "channel": m.channel, "direction": m.direction.value,
             "author": m.author, "text": m.text, "created_at": _when(m.created_at),
             "delivery_state": m.delivery_state.value}
            for m in messages
        ],
        "feedback": [
            {"ticket": f.ticket.number, "status": f.status, "comment": f.comment,
             "scores": {"återkoppling": f.feedback_score,
                        "motsvarad_förväntan": f.expectation_score,
                        "bemötande": f.treatment_score, "samlad_bedömning": f.overall_score},
             "answers": [{"question": a.question, "score": a.score, "text": a.text,
                          "answered_at": _when(a.answered_at)} for a in f.answers]}
            for f in feedback
        ],
        "attachments": [
            {"file_name": a.file_name, "content_type": a.content_type, "size": a.size,
             "caption": a.caption, "created_at": _when(a.created_at)}
            for a in attachments
        ],
        "telegram_updates": [
            {"update_id": u.update_id, "kind": u.kind, "text": u.text, "status": u.status,
             "received_at": _when(u.received_at)}
            for r in requesters for u in _telegram_updates(session, r)
        ],
    }  # fmt: skip


def _channels(session: Session, requesters: list[Requester]) -> dict[str, Any]:
    """The person's channels, and which of them are linked to the person (and since when)."""
    links = {
        link.requester_id: link
        for link in session.scalars(
            select(RequesterLink).where(RequesterLink.requester_id.in_([r.id for r in requesters]))
        )
    }
    return {
        "channels": [
            {"channel": r.channel, "external_id": r.external_id,
             "conversation_id": f"{r.channel}:{r.external_id}"}
            for r in requesters
        ],
        "linked_channels": [
            {"channel": r.channel, "external_id": r.external_id, "requester_id": r.id,
             "linked_at": _when(links[r.id].linked_at)}
            for r in requesters if r.id in links
        ],
    }  # fmt: skip


def export_person(
    *, session: Session, settings: Settings, requester: Requester, actor: str
) -> dict[str, Any]:
    """Return everything kept about the person as JSON-ready data, and audit the export.

    Covers every requester of the person (linked channels); the profile is the person's
    own requester (the web chat one when linked). ``tracker_events`` is None when the desk
    does not know Rasa's tracker store.
    """
    requesters = person_requesters(session=session, requester=requester)
    person = requesters[0]
    tickets = _tickets(session, requesters)
    tracker_events: list[dict[str, Any]] | None = None
    if settings.tracker_store_url:
        with tracker.tracker_connection(settings.tracker_store_url) as connection:
            senders = person_senders(requesters, tickets)
            tracker_events = (
                [] if connection is None else tracker.sender_events(connection, senders)
            )
    data: dict[str, Any] = {
        "exported_at": _when(utcnow()),
        "profile": {
            "id": person.id, "name": person.name, "email": person.email,
            "department": person.department_code,
            "created_at": _when(person.created_at),
            "profile_saved_at": _when(person.profile_saved_at),
        },
        **_channels(session, requesters),
        "tickets": [_ticket_json(t) for t in tickets],
        **_desk_records(session, requesters, tickets),
        "tracker_events": tracker_events,
    }  # fmt: skip
    counts = {key: len(value) for key, value in data.items() if isinstance(value, list)}
    record_audit(
        session=session, actor=actor, action="person_export",
        subject=_subject(settings, person), data=counts,
    )  # fmt: skip
    return data


def _subject(settings: Settings, requester: Requester) -> str:
    return f"requester:{requester.id} {pseudonym(settings.secret_key, requester)}"


def _erase_records(session: Session, requester: Requester, folder: Path) -> dict[str, int]:
    """Delete what hangs on the person outside their tickets (the requester row stays)."""
    counts: dict[str, int] = {}
    counts["messages"] = int(
        session.execute(delete(Message).where(Message.requester_id == requester.id)).rowcount  # type: ignore[attr-defined]
    )
    loose = list(session.scalars(select(Attachment).where(Attachment.requester_id == requester.id)))
    counts["attachments"] = delete_attachments(session, loose, folder)
    updates = _telegram_updates(session, requester)
    counts["telegram_updates"] = len(updates)
    for update in updates:
        session.delete(update)
    session.execute(delete(TelegramChat).where(TelegramChat.requester_id == requester.id))
    session.execute(delete(Takeover).where(Takeover.requester_id == requester.id))
    leftover = select(Feedback).where(Feedback.requester_id == requester.id)
    for feedback in session.scalars(leftover):  # feedback on someone else's ticket
        feedback.requester_id = None
        feedback.comment = None
    return counts


def _erase_links(session: Session, ids: list[int]) -> int:
    """Delete the person's links, link codes and redeem attempts; return the links removed."""
    links = session.execute(
        delete(RequesterLink).where(
            or_(RequesterLink.requester_id.in_(ids), RequesterLink.person_id.in_(ids))
        )
    ).rowcount  # type: ignore[attr-defined]
    session.execute(
        delete(LinkCode).where(or_(LinkCode.person_id.in_(ids), LinkCode.used_by_id.in_(ids)))
    )
    session.execute(delete(LinkAttempt).where(LinkAttempt.requester_id.in_(ids)))
    return int(links)


def erase_person(
    *,
    session: Session,
    settings: Settings,
    requester: Requester,
    mode: ErasureMode,
    actor: str,
    attachments_dir: Path | None = None,
) -> dict[str, int]:
    """Anonymise or delete everything about the person; commit; return counts.

    ``anonymise`` keeps their tickets for statistics under a pseudonymous requester (free
    text removed); ``delete`` removes the tickets too. Either way the person's requester
    rows (every linked channel), links, messages, attachments, Telegram records and Rasa
    tracker events go.
    """
    folder = attachments_dir or settings.attachments_dir
    requesters = person_requesters(session=session, requester=requester)
    person = requesters[0]
    subject = _subject(settings, person)
    tickets = _tickets(session, requesters)
    senders = person_senders(requesters, tickets)
    counts: dict[str, int] = {"tickets": len(tickets), "requesters": len(requesters)}
    if mode == "anonymise":
        stand_in = pseudonymous_requester(
            session=session, secret_key=settings.secret_key, requester=person
        )
        for ticket in tickets:
            anonymise_ticket(
                session=session, ticket=ticket, stand_in=stand_in, attachments_dir=folder
            )
    else:
        for ticket in tickets:
            delete_ticket(session=session, ticket=ticket, attachments_dir=folder)
    for sender in senders:  # answers of an order never sent
        discard_unsent(session=session, conversation_id=sender)
    counts["linked_channels"] = _erase_links(session, [r.id for r in requesters])
    for one in requesters:
        for key, value in _erase_records(session, one, folder).items():
            counts[key] = counts.get(key, 0) + value
    session.flush()
    for one in requesters:
        session.delete(one)
    action = "person_anonymise" if mode == "anonymise" else "person_erase"
    record_audit(session=session, actor=actor, action=action, subject=subject, data=counts)
    session.commit()
    counts["tracker_events"] = 0
    if settings.tracker_store_url:
        with tracker.tracker_connection(settings.tracker_store_url) as connection:
            if connection is not None:
                counts["tracker_events"] = tracker.delete_sender_events(connection, senders)
    return counts
