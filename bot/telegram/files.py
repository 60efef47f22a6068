"""Files a person sends (photos, documents): kept on disk and attached to their ticket.

The ticket is the one named in the caption (``SD-2026-00012``) if it is theirs, else the
one an agent holds the conversation on, else their latest open ticket. Without any, the
file is still kept (unattached) and the person is told how to attach it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.telegram.store import CHANNEL
from servicedesk.links import person_requester_ids
from servicedesk.models import Attachment, Requester, Ticket, TicketState, utcnow
from servicedesk.relay import active_takeover, record_inbound
from servicedesk.requesters import get_or_create_requester

__all__ = ["IncomingFile", "SavedFile", "save_file"]

NUMBER = re.compile(r"SD-\d{4}-\d{5}", re.IGNORECASE)
_CLOSED = (TicketState.DELIVERED, TicketState.CLOSED, TicketState.CANCELLED)
_UNSAFE = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True)
class IncomingFile:
    """A downloaded file with what Telegram told about it."""

    update_id: int
    user_id: str
    source_id: str
    file_name: str
    content_type: str
    caption: str
    content: bytes
    size: int = 0


@dataclass(frozen=True)
class SavedFile:
    """Where the file went."""

    ticket_number: str | None
    #: A desk agent holds the conversation: the bot stays silent.
    during_takeover: bool


def _target(session: Session, requester: Requester, caption: str) -> Ticket | None:
    """The person's ticket named in the caption, else their latest open one (any channel)."""
    ids = person_requester_ids(session=session, requester=requester)
    named = NUMBER.search(caption)
    if named is not None:
        ticket = session.scalars(
            select(Ticket).where(
                Ticket.number == named.group(0).upper(), Ticket.requester_id.in_(ids)
            )
        ).one_or_none()
        if ticket is not None:
            return ticket
    stmt = (
        select(Ticket)
        .where(Ticket.requester_id.in_(ids), Ticket.state.not_in(_CLOSED))
        .order_by(Ticket.id.desc())
    )
    return session.scalars(stmt).first()


def save_file(
    *, session_factory: Callable[[], Session], folder: Path, incoming: IncomingFile
) -> SavedFile:
    """Write the file under ``folder`` and record it on the right ticket."""
    with session_factory() as session:
        requester = get_or_create_requester(
            session=session, channel=CHANNEL, external_id=incoming.user_id
        )
        session.flush()
        takeover = active_takeover(session=session, requester=requester)
        if takeover is not None:
            ticket: Ticket | None = takeover.ticket
        else:
            ticket = _target(session, requester, incoming.caption)
        name = _UNSAFE.sub("_", incoming.file_name).strip("._") or "fil"
        relative = Path(str(requester.id)) / f"{incoming.update_id}_{name}"
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(incoming.content)
        session.add(
            Attachment(
                requester_id=requester.id, ticket_id=ticket.id if ticket else None,
                channel=CHANNEL, source_id=incoming.source_id, file_name=incoming.file_name,
                content_type=incoming.content_type, size=len(incoming.content),
                path=str(relative), caption=incoming.caption, created_at=utcnow(),
            )
        )  # fmt: skip
        if takeover is not None:
            note = f"[Fil: {incoming.file_name}] {incoming.caption}".strip()
            record_inbound(
                session=session, requester=requester, text=note, ticket=takeover.ticket,
                dedupe_key=f"telegram:{incoming.update_id}",
            )  # fmt: skip
        session.commit()
        return SavedFile(
            ticket_number=ticket.number if ticket else None, during_takeover=takeover is not None
        )
