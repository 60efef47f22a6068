"""Kunddialog storage: invitations on delivery, answers once, postpone, decline, escalation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from servicedesk.feedback import store
from servicedesk.feedback.rules import InvitationPolicy
from servicedesk.models import Feedback, FeedbackAnswer, as_utc
from servicedesk.settings import Settings
from tests.integration.feedback.conftest import DELIVERED, DeliverFn

POLICY = InvitationPolicy.from_settings(Settings(environment="test"))


def _open(session: Session, now=DELIVERED) -> list[Feedback]:  # type: ignore[no-untyped-def]
    store.open_invitations(session=session, policy=POLICY, now=now)
    session.commit()
    return list(session.scalars(select(Feedback).order_by(Feedback.id)))


def test_a_delivered_ticket_gets_one_pending_invitation_due_an_hour_later(
    session: Session, deliver: DeliverFn
) -> None:
    ticket = deliver()
    rows = _open(session)
    assert len(rows) == 1
    row = rows[0]
    assert (row.ticket_id, row.status, row.department_code) == (ticket.id, "pending", "KLK")
    assert as_utc(row.due_at) == DELIVERED + timedelta(hours=1)  # type: ignore[arg-type]
    assert len(_open(session, DELIVERED + timedelta(minutes=5))) == 1  # one per ticket


def test_a_ticket_outside_its_category_sample_is_recorded_as_skipped(
    session: Session, deliver: DeliverFn
) -> None:
    deliver(service="LOK-01")
    policy = InvitationPolicy.from_settings(
        Settings(environment="test", feedback_sampling={"Lokalvård": 0.0})
    )
    store.open_invitations(session=session, policy=policy, now=DELIVERED)
    row = session.scalars(select(Feedback)).one()
    assert (row.status, row.skip_reason) == ("skipped", "sampling")


def test_tickets_delivered_before_the_expiry_window_are_not_surveyed(
    session: Session, deliver: DeliverFn
) -> None:
    deliver()
    assert _open(session, DELIVERED + timedelta(days=15)) == []


@pytest.fixture
def invited(session: Session, deliver: DeliverFn) -> Feedback:
    deliver()
    row = _open(session)[0]
    row.status, row.invited_at = "invited", DELIVERED + timedelta(hours=1)
    session.commit()
    return row


def test_each_answer_is_stored_once_as_given(session: Session, invited: Feedback) -> None:
    first = store.record_answer(
        session=session, feedback=invited, question="overall", text="en stark sjua", score=7
    )
    again = store.record_answer(
        session=session, feedback=invited, question="overall", text="9", score=9
    )
    session.commit()
    assert again.id == first.id
    assert (again.text, again.score) == ("en stark sjua", 7)
    assert invited.overall_score == 7
    count = session.scalar(select(func.count(FeedbackAnswer.id)))
    assert count == 1


def test_a_question_needs_a_score(session: Session, invited: Feedback) -> None:
    with pytest.raises(ValueError, match="needs a score"):
        store.record_answer(session=session, feedback=invited, question="overall", text="bra")


def _answer_all(session: Session, row: Feedback, scores: dict[str, int]) -> None:
    for key, value in scores.items():
        store.record_answer(
            session=session, feedback=row, question=key, text=str(value), score=value
        )
    store.record_answer(
        session=session, feedback=row, question="comment", text="Leveransen kom sent"
    )


def test_a_complete_good_survey_is_answered_without_escalation(
    session: Session, invited: Feedback
) -> None:
    _answer_all(
        session, invited, {"communication": 8, "expectation": 9, "treatment": 10, "overall": 9}
    )
    assert store.complete(session=session, feedback=invited) is False
    session.commit()
    assert invited.status == "answered"
    assert invited.answered_at is not None
    assert invited.ticket.escalated is False
    assert invited.comment == "Leveransen kom sent"


def test_a_low_score_escalates_the_ticket_once(session: Session, invited: Feedback) -> None:
    _answer_all(
        session, invited, {"communication": 3, "expectation": 9, "treatment": 8, "overall": 6}
    )
    assert store.complete(session=session, feedback=invited) is True
    assert store.complete(session=session, feedback=invited) is True  # retried: no second event
    session.commit()
    ticket = invited.ticket
    assert ticket.escalated is True
    assert ticket.escalation_reason == "low_feedback_score"
    kinds = [e.kind for e in ticket.events]
    assert kinds.count("escalated") == 1
    assert kinds.count("feedback_answered") == 1
    low = next(e for e in ticket.events if e.kind == "feedback_low_score")
    assert low.data["comment"] == "Leveransen kom sent"


def test_postpone_and_decline_are_recorded(session: Session, invited: Feedback) -> None:
    assert store.postpone(session=session, feedback=invited)
    assert invited.status == "postponed" and invited.postponed_at is not None
    assert store.decline(session=session, feedback=invited)
    assert invited.status == "declined" and invited.declined_at is not None
    assert not store.postpone(session=session, feedback=invited)
    assert not store.pause(session=session, feedback=invited)
    session.commit()
    assert "feedback_declined" in [e.kind for e in invited.ticket.events]
