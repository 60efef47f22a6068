"""The ticket state table, its error and the SLA helper."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from servicedesk.models import Ticket, TicketState
from servicedesk.tickets import REQUESTER_CANCELLABLE, TRANSITIONS, TransitionError, is_overdue

S = TicketState

# Written out independently of the implementation, from the specification.
EXPECTED = {
    S.NEW: {S.RECEIVED, S.CANCELLED, S.IN_PROGRESS},
    S.RECEIVED: {S.IN_PROGRESS, S.WAITING, S.CANCELLED},
    S.IN_PROGRESS: {S.DELIVERED, S.WAITING, S.CANCELLED},
    S.WAITING: {S.IN_PROGRESS, S.CANCELLED},
    S.DELIVERED: {S.CLOSED, S.IN_PROGRESS},
    S.CLOSED: set(),
    S.CANCELLED: set(),
}


def test_transition_table_covers_every_state_exactly_as_specified() -> None:
    assert {state: set(targets) for state, targets in TRANSITIONS.items()} == EXPECTED


def test_requesters_may_cancel_only_before_work_starts_or_while_asked_for_input() -> None:
    assert {S.NEW, S.RECEIVED, S.WAITING} == REQUESTER_CANCELLABLE
    assert all(S.CANCELLED in TRANSITIONS[state] for state in REQUESTER_CANCELLABLE)


def test_states_keep_the_swedish_words_users_see() -> None:
    assert S.WAITING.value == "väntar på beställare"
    assert S.IN_PROGRESS.value == "pågår"


def test_transition_error_names_both_states_and_what_is_allowed() -> None:
    error = TransitionError(S.CLOSED, S.IN_PROGRESS)
    assert error.from_state is S.CLOSED
    assert error.to_state is S.IN_PROGRESS
    assert str(error) == (
        "Transition from 'avslutad' to 'pågår' is not allowed (allowed from 'avslutad': none)"
    )
    assert "'levererad'" in str(TransitionError(S.IN_PROGRESS, S.CLOSED))


def _ticket(state: TicketState, deadline: datetime | None) -> Ticket:
    return Ticket(number="SD-2025-00001", state=state, sla_deadline=deadline)


@pytest.mark.parametrize(
    ("state", "hours_past", "expected"),
    [
        (S.NEW, 1, True),
        (S.IN_PROGRESS, 1, True),
        (S.WAITING, 1, True),
        (S.NEW, -1, False),
        (S.DELIVERED, 1, False),
        (S.CLOSED, 1, False),
        (S.CANCELLED, 1, False),
    ],
)
def test_is_overdue_only_while_the_ticket_still_awaits_delivery(
    now: datetime, state: TicketState, hours_past: int, expected: bool
) -> None:
    ticket = _ticket(state, now - timedelta(hours=hours_past))
    assert is_overdue(ticket, now) is expected


def test_is_overdue_reads_naive_deadlines_as_utc(now: datetime) -> None:
    naive_deadline = (now - timedelta(minutes=5)).replace(tzinfo=None)
    assert is_overdue(_ticket(S.NEW, naive_deadline), now)


def test_a_ticket_without_sla_is_never_overdue(now: datetime) -> None:
    assert not is_overdue(_ticket(S.NEW, None), now)
