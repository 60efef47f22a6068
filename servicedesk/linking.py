"""The linking flow both channels use: redeem a code, unlink, and tell the person.

The web chat issues codes (:func:`servicedesk.link_codes.issue_code`); the Telegram bridge
redeems them here. Each change is told to the person on the other channel through the
desk's outbox, so the web page learns that Telegram was linked or unlinked, and the
Telegram chat learns that the web chat unlinked it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from servicedesk.link_codes import Outcome, Redeemed, redeem_code
from servicedesk.links import PERSON_CHANNEL, linked_requesters, person_of, unlink_requester
from servicedesk.models import Requester
from servicedesk.relay import enqueue_outbound

__all__ = [
    "LINKED_WEB_NOTICE",
    "UNLINKED_TELEGRAM_NOTICE",
    "UNLINKED_WEB_NOTICE",
    "redeem",
    "unlink_channel",
    "unlink_from_person",
]

LINKED_WEB_NOTICE = (
    "Telegram är nu kopplat till dig. Dina ärenden syns både här och i Telegram, "
    "och du kan fortsätta där det passar dig."
)
UNLINKED_WEB_NOTICE = (
    "Telegram är inte längre kopplat till dig. Ärenden du gör i Telegram syns nu bara där."
)
UNLINKED_TELEGRAM_NOTICE = (
    "Ditt Telegramkonto är inte längre kopplat till webbchatten. Ärenden du gör här syns nu "
    "bara här."
)


def redeem(*, session: Session, requester: Requester, code: str) -> Redeemed:
    """Redeem ``code`` for ``requester``; on success copy a missing profile and tell the web.

    The Telegram requester gets the person's name and förvaltning when it has none of its
    own, so the bridge does not ask again. The caller commits.
    """
    result = redeem_code(session=session, requester=requester, code=code)
    person = result.person
    if result.outcome == Outcome.LINKED and person is not None:
        if not requester.name and person.name:
            requester.name = person.name
        if not requester.department_code and person.department_code:
            requester.department_code = person.department_code
        enqueue_outbound(session=session, requester=person, text=LINKED_WEB_NOTICE)
    return result


def unlink_from_person(*, session: Session, requester: Requester) -> bool:
    """Unlink ``requester`` (asked on its own channel); tell the web person. The caller commits."""
    person = person_of(session=session, requester=requester)
    if not unlink_requester(session=session, requester=requester):
        return False
    if person.id != requester.id and person.channel == PERSON_CHANNEL:
        enqueue_outbound(session=session, requester=person, text=UNLINKED_WEB_NOTICE)
    return True


def unlink_channel(*, session: Session, person: Requester, channel: str) -> list[Requester]:
    """Unlink the person's requesters on ``channel`` (asked in the web chat); tell each of them.

    Returns the requesters that were unlinked. The caller commits.
    """
    gone = [r for r in linked_requesters(session=session, person=person) if r.channel == channel]
    for requester in gone:
        unlink_requester(session=session, requester=requester)
        enqueue_outbound(session=session, requester=requester, text=UNLINKED_TELEGRAM_NOTICE)
    return gone
