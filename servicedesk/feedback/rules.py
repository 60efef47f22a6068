"""The invitation rules, pure: every decision takes the moment ``now`` from the caller.

Kept free of the database and of the clock so the tests can walk through delay, quiet
hours, the per-person cap, sampling, the reminder and expiry with fixed moments.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from servicedesk.models import as_utc
from servicedesk.settings import Settings

__all__ = [
    "CAP_WINDOW",
    "InvitationPolicy",
    "QuietHours",
    "is_sampled",
]

#: The per-person cap counts invitations sent within this window.
CAP_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class QuietHours:
    """Local times when nobody is disturbed: each night and whole weekdays (e.g. weekends).

    ``start`` after ``end`` means the night spans midnight (18:00–08:00); equal means no
    nightly quiet time.
    """

    zone: ZoneInfo
    start: time
    end: time
    weekdays: frozenset[int]

    def is_quiet(self, moment: datetime) -> bool:
        """Tell whether ``moment`` falls in quiet hours."""
        local = as_utc(moment).astimezone(self.zone)
        if local.weekday() in self.weekdays:
            return True
        clock = local.time().replace(tzinfo=None)
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end

    def next_open(self, moment: datetime) -> datetime:
        """Return ``moment`` if it is not quiet, else the first moment after it that is not."""
        current = as_utc(moment)
        for _ in range(8 * 24 * 4):  # at most eight days in quarter hours
            if not self.is_quiet(current):
                return current
            local = current.astimezone(self.zone)
            if local.weekday() in self.weekdays:
                next_day = (local + timedelta(days=1)).date()
                start = datetime.combine(next_day, time(0, 0), tzinfo=self.zone)
                current = as_utc(start)
                continue
            end_today = datetime.combine(local.date(), self.end, tzinfo=self.zone)
            if end_today <= local:
                end_today = datetime.combine(
                    (local + timedelta(days=1)).date(), self.end, tzinfo=self.zone
                )
            current = as_utc(end_today)
        raise ValueError("Quiet hours leave no time at all to send invitations")


def is_sampled(ticket_number: str, rate: float) -> bool:
    """Decide, the same way every time, whether ``ticket_number`` is in a ``rate`` sample."""
    if rate >= 1.0:
        return True
    if rate <= 0.0:
        return False
    digest = hashlib.sha256(ticket_number.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rate


@dataclass(frozen=True)
class InvitationPolicy:
    """Every configurable feedback rule, built from :class:`Settings`."""

    delay: timedelta
    quiet: QuietHours
    cap: int
    sampling: dict[str, float]
    sampling_default: float
    reminder_after: timedelta
    expires_after: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> InvitationPolicy:
        """Read the policy from ``SERVICEDESK_FEEDBACK_*`` settings."""
        return cls(
            delay=timedelta(minutes=settings.feedback_delay_minutes),
            quiet=QuietHours(
                zone=ZoneInfo(settings.timezone),
                start=time.fromisoformat(settings.feedback_quiet_start),
                end=time.fromisoformat(settings.feedback_quiet_end),
                weekdays=frozenset(settings.feedback_quiet_weekdays),
            ),
            cap=settings.feedback_cap_per_30_days,
            sampling={k.casefold(): v for k, v in settings.feedback_sampling.items()},
            sampling_default=settings.feedback_sampling_default,
            reminder_after=timedelta(days=settings.feedback_reminder_days),
            expires_after=timedelta(days=settings.feedback_expiry_days),
        )

    def sampling_rate(self, category: str | None) -> float:
        """Return the share of tickets of ``category`` that are invited."""
        return self.sampling.get((category or "").casefold(), self.sampling_default)

    def wants(self, ticket_number: str, category: str | None) -> bool:
        """Tell whether this ticket is in the sample of its service category."""
        return is_sampled(ticket_number, self.sampling_rate(category))

    def due_at(self, delivered_at: datetime) -> datetime:
        """Return when to invite: the delay after delivery, moved out of quiet hours."""
        return self.quiet.next_open(as_utc(delivered_at) + self.delay)

    def may_send(self, now: datetime) -> bool:
        """Tell whether a message may go out at ``now`` (not in quiet hours)."""
        return not self.quiet.is_quiet(now)

    def over_cap(self, invitations_in_window: int) -> bool:
        """Tell whether one more invitation would pass the per-person cap."""
        return invitations_in_window >= self.cap

    def reminder_due(self, invited_at: datetime, now: datetime) -> bool:
        """Tell whether the one reminder is due (and not in quiet hours)."""
        return as_utc(now) >= as_utc(invited_at) + self.reminder_after and self.may_send(now)

    def expired(self, started_at: datetime, now: datetime) -> bool:
        """Tell whether an invitation started at ``started_at`` has expired by ``now``."""
        return as_utc(now) >= as_utc(started_at) + self.expires_after
