"""Invitation rules with a fixed clock: delay, quiet hours, cap, sampling, reminder, expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from servicedesk.feedback.rules import InvitationPolicy, is_sampled
from servicedesk.settings import Settings

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(*args: int) -> datetime:
    """A moment given in Stockholm time, returned in UTC."""
    return datetime(*args, tzinfo=STOCKHOLM).astimezone(UTC)  # type: ignore[misc]


def policy(**overrides: object) -> InvitationPolicy:
    return InvitationPolicy.from_settings(Settings(environment="test", **overrides))  # type: ignore[arg-type]


def test_invitation_is_due_one_hour_after_delivery_on_a_weekday() -> None:
    # Tuesday 2026-03-10 10:15 local
    assert policy().due_at(local(2026, 3, 10, 10, 15)) == local(2026, 3, 10, 11, 15)


def test_the_delay_is_configurable() -> None:
    due = policy(feedback_delay_minutes=15).due_at(local(2026, 3, 10, 10, 0))
    assert due == local(2026, 3, 10, 10, 15)


def test_a_delivery_late_in_the_day_is_invited_the_next_morning() -> None:
    assert policy().due_at(local(2026, 3, 10, 17, 30)) == local(2026, 3, 11, 8, 0)


def test_a_delivery_after_midnight_waits_until_the_morning() -> None:
    assert policy().due_at(local(2026, 3, 11, 2, 0)) == local(2026, 3, 11, 8, 0)


def test_a_friday_evening_delivery_is_invited_on_monday_morning() -> None:
    # Friday 2026-03-13 17:30 -> Monday 2026-03-16 08:00
    assert policy().due_at(local(2026, 3, 13, 17, 30)) == local(2026, 3, 16, 8, 0)


def test_a_weekend_delivery_is_invited_on_monday_morning() -> None:
    assert policy().due_at(local(2026, 3, 14, 12, 0)) == local(2026, 3, 16, 8, 0)


def test_quiet_hours_follow_daylight_saving_time() -> None:
    # Clocks go forward on Sunday 2026-03-29; Monday 08:00 local is 06:00 UTC.
    assert policy().due_at(local(2026, 3, 27, 19, 0)) == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)


def test_quiet_hours_are_configurable() -> None:
    relaxed = policy(
        feedback_quiet_start="22:00", feedback_quiet_end="07:00", feedback_quiet_weekdays=[]
    )
    assert relaxed.due_at(local(2026, 3, 14, 12, 0)) == local(2026, 3, 14, 13, 0)
    assert relaxed.due_at(local(2026, 3, 10, 21, 30)) == local(2026, 3, 11, 7, 0)


def test_equal_quiet_start_and_end_mean_no_nightly_quiet_time() -> None:
    always = policy(feedback_quiet_start="00:00", feedback_quiet_end="00:00")
    assert always.due_at(local(2026, 3, 10, 23, 30)) == local(2026, 3, 11, 0, 30)


def test_nothing_is_sent_during_quiet_hours() -> None:
    rules = policy()
    assert rules.may_send(local(2026, 3, 10, 12, 0))
    assert not rules.may_send(local(2026, 3, 10, 19, 0))
    assert not rules.may_send(local(2026, 3, 14, 12, 0))


def test_quiet_hours_that_never_open_are_refused() -> None:
    closed = policy(feedback_quiet_weekdays=[0, 1, 2, 3, 4, 5, 6])
    with pytest.raises(ValueError, match="no time"):
        closed.due_at(local(2026, 3, 10, 12, 0))


@pytest.mark.parametrize(("sent", "over"), [(0, False), (3, False), (4, True), (9, True)])
def test_at_most_four_invitations_per_person_in_thirty_days(sent: int, over: bool) -> None:
    assert policy().over_cap(sent) is over


def test_the_cap_is_configurable() -> None:
    assert policy(feedback_cap_per_30_days=1).over_cap(1)


def test_sampling_is_deterministic_per_ticket_number() -> None:
    numbers = [f"SD-2026-{n:05d}" for n in range(1, 2001)]
    first = [is_sampled(n, 0.3) for n in numbers]
    assert first == [is_sampled(n, 0.3) for n in numbers]
    assert 0.25 < sum(first) / len(first) < 0.35


def test_sampling_everything_and_nothing() -> None:
    assert all(is_sampled(f"SD-2026-{n:05d}", 1.0) for n in range(200))
    assert not any(is_sampled(f"SD-2026-{n:05d}", 0.0) for n in range(200))


def test_sampling_rate_per_category_with_a_default_of_everything() -> None:
    rules = policy(feedback_sampling={"Lokalvård": 0.0, "IT": 0.5})
    assert rules.sampling_rate("lokalvård") == 0.0
    assert rules.sampling_rate("IT") == 0.5
    assert rules.sampling_rate("Konferens") == 1.0
    assert rules.sampling_rate(None) == 1.0
    assert not rules.wants("SD-2026-00001", "Lokalvård")
    assert rules.wants("SD-2026-00001", "Konferens")


def test_one_reminder_three_days_after_the_invitation_outside_quiet_hours() -> None:
    rules = policy()
    invited = local(2026, 3, 10, 11, 0)
    assert not rules.reminder_due(invited, invited + timedelta(days=2, hours=23))
    assert rules.reminder_due(invited, invited + timedelta(days=3))
    assert not rules.reminder_due(invited, local(2026, 3, 14, 11, 0))  # Saturday


def test_the_invitation_expires_after_fourteen_days() -> None:
    rules = policy()
    invited = local(2026, 3, 10, 11, 0)
    assert not rules.expired(invited, invited + timedelta(days=13, hours=23))
    assert rules.expired(invited, invited + timedelta(days=14))
    assert policy(feedback_expiry_days=2).expired(invited, invited + timedelta(days=2))
