"""One person across channels: a web chat person and the requesters linked to them.

A person is their web chat requester. Another channel's requester (a Telegram user) is
linked to that person with a one-time code (:mod:`servicedesk.link_codes`); from then on
"the person's tickets" are the tickets of every requester of the person, so listing,
status, cancelling, takeovers and the feedback cap follow them on both channels.

Where the desk writes to a linked person:

* about a ticket (agent replies, status notices, feedback invitations): the channel the
  person last wrote from about that ticket (its thread), else the channel the ticket came
  from (:func:`reply_requester`);
* takeover and hand-back notices: every channel of the person, since the bot falls silent
  (or answers again) on all of them.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from servicedesk.models import (
    Message,
    MessageDirection,
    Requester,
    RequesterLink,
    Ticket,
    as_utc,
    utcnow,
)

__all__ = [
    "PERSON_CHANNEL",
    "link_requester",
    "linked_requesters",
    "person_of",
    "person_requester_ids",
    "person_requesters",
    "reply_requester",
    "same_person",
    "unlink_requester",
]

#: The channel whose requester is the person; others are linked to it.
PERSON_CHANNEL = "web"


def person_of(*, session: Session, requester: Requester) -> Requester:
    """Return the person ``requester`` belongs to (itself when it is not linked)."""
    link = session.get(RequesterLink, requester.id)
    if link is None:
        return requester
    person = session.get(Requester, link.person_id)
    return person if person is not None else requester


def linked_requesters(*, session: Session, person: Requester) -> list[Requester]:
    """Return the requesters linked to ``person`` (not the person's own), oldest link first."""
    stmt = (
        select(Requester)
        .join(RequesterLink, RequesterLink.requester_id == Requester.id)
        .where(RequesterLink.person_id == person.id)
        .order_by(RequesterLink.linked_at, Requester.id)
    )
    return list(session.scalars(stmt))


def person_requesters(*, session: Session, requester: Requester) -> list[Requester]:
    """Return every requester of ``requester``'s person: the person's own first."""
    person = person_of(session=session, requester=requester)
    return [person, *linked_requesters(session=session, person=person)]


def person_requester_ids(*, session: Session, requester: Requester) -> list[int]:
    """Return the ids of every requester of ``requester``'s person."""
    return [r.id for r in person_requesters(session=session, requester=requester)]


def same_person(*, session: Session, requester: Requester, requester_id: int) -> bool:
    """Tell whether ``requester_id`` is one of the requesters of ``requester``'s person."""
    return requester_id in person_requester_ids(session=session, requester=requester)


def link_requester(*, session: Session, person: Requester, requester: Requester) -> None:
    """Link ``requester`` to ``person``; an earlier link of either on that channel goes.

    A person has at most one linked requester per channel, and a requester belongs to one
    person: linking a second Telegram user replaces the first, and a Telegram user that
    redeems another person's code moves to that person.

    Raises:
        ValueError: ``person`` is not a web chat person, or both are on the same channel.
    """
    if person.channel != PERSON_CHANNEL:
        raise ValueError(f"a person is a {PERSON_CHANNEL!r} requester, not {person.channel!r}")
    if requester.channel == person.channel:
        raise ValueError(f"cannot link two {person.channel!r} requesters")
    for other in linked_requesters(session=session, person=person):
        if other.channel == requester.channel and other.id != requester.id:
            unlink_requester(session=session, requester=other)
    current = session.get(RequesterLink, requester.id)
    if current is None:
        session.add(RequesterLink(requester_id=requester.id, person_id=person.id,
                                  linked_at=as_utc(utcnow())))  # fmt: skip
    elif current.person_id != person.id:
        current.person_id, current.linked_at = person.id, as_utc(utcnow())
    session.flush()


def unlink_requester(*, session: Session, requester: Requester) -> bool:
    """Remove ``requester``'s link to its person; return whether there was one."""
    removed = session.execute(
        delete(RequesterLink).where(RequesterLink.requester_id == requester.id)
    ).rowcount  # type: ignore[attr-defined]
    session.flush()
    return bool(removed)


def reply_requester(*, session: Session, ticket: Ticket) -> Requester:
    """Return the requester the desk writes to about ``ticket``.

    The channel the person last wrote from about the ticket (its thread), when that
    requester still belongs to the same person; else the ticket's own requester.
    """
    owner = ticket.requester
    ids = person_requester_ids(session=session, requester=owner)
    if len(ids) == 1:
        return owner
    latest = session.scalars(
        select(Message.requester_id)
        .where(
            Message.ticket_id == ticket.id,
            Message.direction == MessageDirection.INBOUND,
            Message.requester_id.in_(ids),
        )
        .order_by(Message.id.desc())
        .limit(1)
    ).first()
    if latest is None or latest == owner.id:
        return owner
    found = session.get(Requester, latest)
    return found if found is not None else owner
