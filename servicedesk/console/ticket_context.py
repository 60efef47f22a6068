"""What the console's ticket page shows beyond the ticket row: its details under their
labels (a personnummer field decrypted only for the ticket's queue) and the person's
channels (web chat, linked Telegram) with where the desk's replies go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from servicedesk.fields import labelled_details, sensitive_keys
from servicedesk.links import person_of, person_requesters, reply_requester
from servicedesk.models import RequesterLink, Ticket

__all__ = ["PersonChannel", "detail_context", "person_channels"]


@dataclass(frozen=True)
class PersonChannel:
    """One chat of the ticket's person, as the console lists it."""

    channel: str
    #: When it was linked to the person (None: the person's own chat).
    linked_at: datetime | None
    #: The ticket came from this chat.
    origin: bool
    #: The desk's replies about the ticket go to this chat now.
    replies: bool


def detail_context(ticket: Ticket, revealed: dict[str, str]) -> dict[str, Any]:
    """The details as ``[{key, label, value}]`` with ``revealed`` (decrypted personnummer
    fields, for an agent of the queue) over the masked ones; which keys are protected."""
    definitions = (ticket.service.fields or []) if ticket.service else []
    details = {**(ticket.details or {}), **revealed}
    return {
        "detail_items": labelled_details(details, definitions),
        "protected": sensitive_keys(definitions),
        "revealed": set(revealed),
    }


def person_channels(*, session: Session, ticket: Ticket) -> list[PersonChannel]:
    """The chats of the ticket's person: their own first, then the linked ones.

    A person on one chat only gets one row. Read-only: links are made and ended by the
    person (see :mod:`servicedesk.linking`).
    """
    owner = ticket.requester
    person = person_of(session=session, requester=owner)
    replies_to = reply_requester(session=session, ticket=ticket)
    rows = []
    for requester in person_requesters(session=session, requester=owner):
        link = session.get(RequesterLink, requester.id) if requester.id != person.id else None
        rows.append(
            PersonChannel(
                channel=requester.channel,
                linked_at=link.linked_at if link is not None else None,
                origin=requester.id == owner.id,
                replies=requester.id == replies_to.id,
            )
        )
    return rows
