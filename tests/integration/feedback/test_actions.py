"""The survey's actions against a real database: reading answers, re-asks, stop words,
idempotent storage, submit with escalation, invitation and pause."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.feedback import (
    ActionAskFeedbackComment,
    ActionFeedbackInvite,
    ActionFeedbackPause,
    ActionFeedbackSubmit,
    ValidateFeedbackForm,
)
from servicedesk.db import get_engine
from servicedesk.models import Feedback, FeedbackAnswer, Ticket
from servicedesk.settings import get_settings
from tests.integration.feedback.conftest import DeliverFn


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    """SQLite only: the actions open their own sessions from the environment's URL."""
    return sqlite_url


@pytest.fixture
def desk_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the actions' own sessions at the test database."""
    monkeypatch.setenv("SERVICEDESK_DATABASE_URL", db_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    get_engine(None).dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def ticket(session: Session, deliver: DeliverFn, desk_db: None) -> Ticket:
    delivered = deliver()
    session.add(
        Feedback(
            ticket_id=delivered.id, requester_id=delivered.requester_id, status="invited",
            department_code="KLK", resume_count=0,
        )
    )  # fmt: skip
    session.commit()
    return delivered


def tracker(
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    text: str = "",
) -> Tracker:
    return Tracker(
        "person-1",
        slots or {},
        {"text": text, "intent": {"name": "inform"}, "entities": entities or []},
        [],
        False,
        None,
        {"name": "feedback_form"},
        "action_listen",
    )


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("response") for m in dispatcher.messages]


def validate(slot: str, value: str, number: str) -> tuple[dict[str, Any], CollectingDispatcher]:
    form = ValidateFeedbackForm()
    dispatcher = CollectingDispatcher()
    method = getattr(form, f"validate_{slot}")
    return method(value, dispatcher, tracker({"feedback_ticket": number}), {}), dispatcher


@pytest.mark.parametrize(
    ("slot", "text", "score"),
    [
        ("feedback_communication", "8", 8),
        ("feedback_expectation", "åtta", 8),
        ("feedback_treatment", "8/10", 8),
        ("feedback_overall", "en stark sjua", 7),
    ],
)
def test_each_answer_form_is_read_and_stored_as_given(
    session: Session, ticket: Ticket, slot: str, text: str, score: int
) -> None:
    result, dispatcher = validate(slot, text, ticket.number)
    assert result == {slot: str(score)}
    assert dispatcher.messages == []
    answer = session.scalars(select(FeedbackAnswer)).one()
    assert (answer.text, answer.score) == (text, score)


@pytest.mark.parametrize(
    ("text", "response"),
    [("ganska bra", "utter_feedback_unclear"), ("11", "utter_feedback_out_of_range")],
)
def test_an_unreadable_score_is_asked_again_with_the_scale(
    session: Session, ticket: Ticket, text: str, response: str
) -> None:
    result, dispatcher = validate("feedback_overall", text, ticket.number)
    assert result == {"feedback_overall": None}
    assert responses(dispatcher) == [response]
    assert session.scalars(select(FeedbackAnswer)).all() == []


def test_a_retried_validation_changes_nothing(session: Session, ticket: Ticket) -> None:
    validate("feedback_overall", "9", ticket.number)
    result, _ = validate("feedback_overall", "3", ticket.number)
    assert result == {"feedback_overall": "9"}
    assert [a.score for a in session.scalars(select(FeedbackAnswer))] == [9]


@pytest.mark.parametrize(
    ("text", "status", "response"),
    [
        ("inte nu", "postponed", "utter_feedback_postponed"),
        ("nej tack", "declined", "utter_feedback_declined"),
    ],
)
def test_inte_nu_postpones_and_nej_tack_declines(
    session: Session, ticket: Ticket, text: str, status: str, response: str
) -> None:
    result, dispatcher = validate("feedback_communication", text, ticket.number)
    assert result == {"feedback_communication": None, "feedback_stop": status}
    assert responses(dispatcher) == [response]
    session.expire_all()
    assert session.scalars(select(Feedback)).one().status == status
    slots = asyncio.run(
        ValidateFeedbackForm().required_slots(
            [], dispatcher, tracker({"feedback_stop": status}), {}
        )
    )
    assert slots == []


def test_the_comment_question_turns_into_what_went_wrong_after_a_low_score() -> None:
    dispatcher = CollectingDispatcher()
    low = tracker({"feedback_communication": "8", "feedback_treatment": "3"})
    asyncio.run(ActionAskFeedbackComment().run(dispatcher, low, {}))
    asyncio.run(ActionAskFeedbackComment().run(dispatcher, tracker({"feedback_overall": "9"}), {}))
    assert responses(dispatcher) == ["utter_ask_feedback_problem", "utter_ask_feedback_comment"]


def test_no_comment_is_stored_as_none(session: Session, ticket: Ticket) -> None:
    result, _ = validate("feedback_comment", "hoppa över", ticket.number)
    assert result == {"feedback_comment": "-"}
    session.expire_all()
    assert session.scalars(select(Feedback)).one().comment is None


def _answer_everything(number: str, scores: list[str], comment: str) -> dict[str, Any]:
    slots: dict[str, Any] = {"feedback_ticket": number}
    for slot, text in zip(
        [
            "feedback_communication",
            "feedback_expectation",
            "feedback_treatment",
            "feedback_overall",
        ],
        scores,
        strict=True,
    ):
        slots.update(validate(slot, text, number)[0])
    slots.update(validate("feedback_comment", comment, number)[0])
    return slots


def test_a_low_score_escalates_the_ticket_after_the_form(session: Session, ticket: Ticket) -> None:
    slots = _answer_everything(ticket.number, ["8", "2", "7", "5"], "Fel antal koppar")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionFeedbackSubmit().run(dispatcher, tracker(slots), {}))
    assert responses(dispatcher) == ["utter_feedback_thanks_followup"]
    assert all(e["value"] is None for e in events)
    session.expire_all()
    row = session.scalars(select(Feedback)).one()
    assert row.status == "answered"
    assert (row.feedback_score, row.expectation_score, row.treatment_score) == (8, 2, 7)
    assert (row.overall_score, row.comment) == (5, "Fel antal koppar")
    assert row.ticket.escalated and row.ticket.escalation_reason == "low_feedback_score"


def test_good_scores_are_thanked_without_escalation(session: Session, ticket: Ticket) -> None:
    slots = _answer_everything(ticket.number, ["8", "9", "10", "9"], "nej")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionFeedbackSubmit().run(dispatcher, tracker(slots), {}))
    assert responses(dispatcher) == ["utter_feedback_thanks"]
    session.expire_all()
    assert session.scalars(select(Feedback)).one().ticket.escalated is False


def test_the_invitation_names_the_ticket_and_keeps_earlier_answers(
    session: Session, ticket: Ticket
) -> None:
    validate("feedback_communication", "6", ticket.number)
    entities = [
        {"entity": "ticket_number", "value": ticket.number},
        {"entity": "feedback_kind", "value": "resume"},
    ]
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionFeedbackInvite().run(dispatcher, tracker(entities=entities), {}))
    assert responses(dispatcher) == ["utter_feedback_resume"]
    assert dispatcher.messages[0]["number"] == ticket.number
    assert dispatcher.messages[0]["service_name"] == "Fika till möte"
    final = {e["name"]: e["value"] for e in events}
    assert final["feedback_ticket"] == ticket.number
    assert final["feedback_communication"] == "6"
    assert final["feedback_overall"] is None


def test_an_invitation_for_a_closed_survey_says_nothing(session: Session, ticket: Ticket) -> None:
    validate("feedback_communication", "nej tack", ticket.number)
    entities = [{"entity": "ticket_number", "value": ticket.number}]
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionFeedbackInvite().run(dispatcher, tracker(entities=entities), {}))
    assert dispatcher.messages == []
    assert {e["name"]: e["value"] for e in events}["feedback_stop"] == "closed"


def test_a_new_request_pauses_the_survey(session: Session, ticket: Ticket) -> None:
    dispatcher = CollectingDispatcher()
    asyncio.run(
        ActionFeedbackPause().run(dispatcher, tracker({"feedback_ticket": ticket.number}), {})
    )
    assert responses(dispatcher) == ["utter_feedback_paused"]
    session.expire_all()
    row = session.scalars(select(Feedback)).one()
    assert row.status == "paused" and row.paused_at is not None
