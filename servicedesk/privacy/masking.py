"""Personnummer and samordningsnummer are masked in what people write, before anything keeps it.

Every channel calls :func:`mask_personnummer` on the text a person sent before the text is
stored (tickets, transcripts, threads, feedback, profiles), logged or forwarded to Rasa, so
the identity number never reaches the tracker store either. A candidate is masked only when
the ``personnummer`` package accepts it (Luhn check digit and a real date, the day plus 60
for a samordningsnummer), so ticket numbers, dates, times, phone numbers, cost centres and
quantities stay as they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from personnummer import personnummer as _pnr
from sqlalchemy.orm import Session

from servicedesk.models import Requester, utcnow

__all__ = [
    "CANDIDATE",
    "MASK",
    "NOTICE",
    "Masked",
    "claim_notice",
    "contains_personnummer",
    "forget_notice",
    "mask_personnummer",
]

#: What a removed number is replaced with.
MASK = "[personnummer borttaget]"
#: Told to the person once per conversation when a number was removed.
NOTICE = (
    "Jag tog bort personnumret ur ditt meddelande – vi behöver det inte här och sparar det inte."
)

# YYYYMMDD or YYMMDD, an optional "-" or "+" (spaces around it allowed), then four digits,
# not part of a longer run of digits. Letters or dashes around it do not protect it
# ("pnr:811218-9876", "nr-8112189876"): only the package's check decides.
CANDIDATE = re.compile(
    r"(?<!\d)(?P<date>(?:\d{2})?\d{6})\s?(?P<sep>[-+–]?)\s?(?P<tail>\d{4})(?!\d)"
)


@dataclass(frozen=True)
class Masked:
    """A text with its identity numbers replaced, and how many were replaced."""

    text: str
    count: int

    @property
    def changed(self) -> bool:
        """At least one number was removed."""
        return self.count > 0


def _is_identity_number(date: str, sep: str, tail: str) -> bool:
    if not sep and len(date) == 6 and date.startswith("0"):
        # Ten bare digits starting with 0 are how Swedish phone numbers are written
        # (0701234569 reads as a date in 2007 and passes Luhn one time in ten). Someone
        # born 2000-2009 who writes the number without a separator is not caught.
        return False
    sep = "-" if sep == "–" else sep  # an en dash typed by a phone keyboard
    try:
        _pnr.Personnummer(f"{date}{sep}{tail}")
    except _pnr.PersonnummerException:
        return False
    return True


def mask_personnummer(text: str) -> Masked:
    """Replace every valid personnummer or samordningsnummer in ``text`` with :data:`MASK`."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        if not _is_identity_number(match["date"], match["sep"], match["tail"]):
            return match.group(0)
        count += 1
        return MASK

    masked = CANDIDATE.sub(replace, text)
    return Masked(text=masked, count=count)


def contains_personnummer(text: str) -> bool:
    """``text`` holds at least one valid personnummer or samordningsnummer."""
    return mask_personnummer(text).changed


def claim_notice(*, session: Session, requester: Requester) -> bool:
    """True the first time in this conversation: the caller then tells the person :data:`NOTICE`.

    The caller commits.
    """
    if requester.privacy_notice_at is not None:
        return False
    requester.privacy_notice_at = utcnow()
    return True


def forget_notice(*, session: Session, requester: Requester) -> None:
    """A new conversation begins ("Börja om"): the next removal is told again."""
    requester.privacy_notice_at = None
