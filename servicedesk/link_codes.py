"""One-time codes that link another channel (Telegram) to a web chat person.

The web chat asks for a code; the person sends it to the bot (``/start <code>`` from the
deep link, ``/koppla <code>`` or the code alone). A code is random (10 characters from a
31-letter alphabet without look-alikes, about 50 bits), lives :data:`CODE_TTL`, works once,
and only its SHA-256 is stored. A new code replaces the person's unused ones. Guessing is
bounded per requester: after :data:`MAX_FAILED_ATTEMPTS` failed tries within
:data:`ATTEMPT_WINDOW` every try is refused unread until the window has passed.
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from servicedesk.links import PERSON_CHANNEL, link_requester, person_of
from servicedesk.models import LinkAttempt, LinkCode, Requester, as_utc, utcnow

__all__ = [
    "ATTEMPT_WINDOW",
    "CODE_TTL",
    "MAX_FAILED_ATTEMPTS",
    "IssuedCode",
    "Outcome",
    "Redeemed",
    "code_hash",
    "find_code",
    "issue_code",
    "redeem_code",
]

#: How long a code may be used after it was issued (``SERVICEDESK_LINK_CODE_MINUTES``).
CODE_TTL = timedelta(minutes=10)
MAX_FAILED_ATTEMPTS = 5
ATTEMPT_WINDOW = timedelta(minutes=15)
#: Expired codes and old attempts are kept this long (to tell "expired" from "wrong").
_KEEP = timedelta(days=1)
#: No 0/O, 1/I/L: easy to read aloud and type.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_LENGTH = 10
_CODE = re.compile(rf"^[{ALPHABET}]{{{_LENGTH}}}$")
#: A code as people write it: two groups of five, dash or space between, any case.
_WRITTEN = re.compile(r"^\s*([A-Za-z0-9]{5})[\s-]?([A-Za-z0-9]{5})\s*$")


class Outcome(str, enum.Enum):
    """What redeeming a code came to."""

    LINKED = "linked"
    ALREADY_LINKED = "already_linked"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    TOO_MANY = "too_many"


@dataclass(frozen=True)
class IssuedCode:
    """A code just issued: shown once to the person, never stored as such."""

    code: str
    expires_at: datetime

    @property
    def display(self) -> str:
        """The code in two groups of five (``ABCDE-FGH23``), as the page shows it."""
        return f"{self.code[:5]}-{self.code[5:]}"


@dataclass(frozen=True)
class Redeemed:
    """The outcome of a redeem, and the person linked to (for ``LINKED``)."""

    outcome: Outcome
    person: Requester | None = None


def normalise(text: str) -> str | None:
    """Return the code written in ``text`` in canonical form, or None if it is not one."""
    match = _WRITTEN.match(text)
    if match is None:
        return None
    code = (match.group(1) + match.group(2)).upper()
    return code if _CODE.match(code) else None


def code_hash(code: str) -> str:
    """The SHA-256 (hex) under which a canonical code is stored."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def issue_code(
    *,
    session: Session,
    person: Requester,
    ttl: timedelta = CODE_TTL,
    now: datetime | None = None,
) -> IssuedCode:
    """Issue a fresh code for ``person``, good for ``ttl``; their earlier unused codes stop.

    Raises:
        ValueError: ``person`` is not a web chat person.
    """
    if person.channel != PERSON_CHANNEL:
        raise ValueError(f"only a {PERSON_CHANNEL!r} person can issue link codes")
    moment = as_utc(now or utcnow())
    session.execute(
        delete(LinkCode).where(
            or_(
                and_(LinkCode.person_id == person.id, LinkCode.used_at.is_(None)),
                LinkCode.expires_at < moment - _KEEP,
            )
        )
    )
    session.execute(delete(LinkAttempt).where(LinkAttempt.at < moment - _KEEP))
    code = "".join(secrets.choice(ALPHABET) for _ in range(_LENGTH))
    issued = IssuedCode(code=code, expires_at=moment + ttl)
    session.add(LinkCode(code_hash=code_hash(code), person_id=person.id, created_at=moment,
                         expires_at=issued.expires_at))  # fmt: skip
    session.flush()
    return issued


def find_code(*, session: Session, code: str) -> LinkCode | None:
    """Return the stored row of ``code`` (as written by a person), if any."""
    canonical = normalise(code)
    if canonical is None:
        return None
    return session.scalars(
        select(LinkCode).where(LinkCode.code_hash == code_hash(canonical))
    ).one_or_none()


def _failed_recently(session: Session, requester: Requester, moment: datetime) -> int:
    return int(
        session.scalar(
            select(func.count(LinkAttempt.id)).where(
                LinkAttempt.requester_id == requester.id,
                LinkAttempt.ok.is_(False),
                LinkAttempt.at >= moment - ATTEMPT_WINDOW,
            )
        )
        or 0
    )


def _use(
    session: Session, row: LinkCode, person: Requester, requester: Requester, moment: datetime
) -> Outcome:
    """Mark ``row`` used by ``requester`` (atomically: one winner) and link the two."""
    claimed = session.execute(
        update(LinkCode)
        .where(LinkCode.id == row.id, LinkCode.used_at.is_(None))
        .values(used_at=moment, used_by_id=requester.id)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    session.refresh(row)
    if claimed != 1:
        return Outcome.USED
    link_requester(session=session, person=person, requester=requester)
    return Outcome.LINKED


def redeem_code(
    *, session: Session, requester: Requester, code: str, now: datetime | None = None
) -> Redeemed:
    """Link ``requester`` (a Telegram user) to the person whose code this is.

    Every try is recorded; the caller commits (also a failed try, so guessing is bounded).
    """
    moment = as_utc(now or utcnow())
    if _failed_recently(session, requester, moment) >= MAX_FAILED_ATTEMPTS:
        return Redeemed(Outcome.TOO_MANY)
    row = find_code(session=session, code=code)
    outcome = Outcome.WRONG
    person: Requester | None = None
    if row is not None and row.used_at is not None:
        mine = row.used_by_id == requester.id
        linked = mine and person_of(session=session, requester=requester).id == row.person_id
        outcome = Outcome.ALREADY_LINKED if linked else Outcome.USED
    elif row is not None and as_utc(row.expires_at) <= moment:
        outcome = Outcome.EXPIRED
    elif row is not None:
        person = session.get(Requester, row.person_id)
        if person is not None and person.channel != requester.channel:
            outcome = _use(session, row, person, requester, moment)
    ok = outcome in (Outcome.LINKED, Outcome.ALREADY_LINKED)
    session.add(LinkAttempt(requester_id=requester.id, at=moment, ok=ok))
    session.flush()
    return Redeemed(outcome, person if outcome == Outcome.LINKED else None)
