"""The kunddialog survey in the chat: invitation, the four 1–10 questions and a comment.

The sweep in :mod:`servicedesk.feedback.sweep` starts it with an external event. Every
answer is stored by :mod:`servicedesk.feedback.store` the moment it is validated, once
per ticket and question, so a retried call or a survey resumed after a pause keeps what
was already said.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from sqlalchemy.exc import SQLAlchemyError

from actions._desk import desk_session
from servicedesk.feedback import store
from servicedesk.feedback.scores import is_decline, is_postpone, is_skip, read_score
from servicedesk.models import Feedback

logger = logging.getLogger(__name__)
Slots = dict[str, Any]

#: Form slot of each question, in the order asked.
SCORE_SLOTS = {
    "feedback_communication": "communication",
    "feedback_expectation": "expectation",
    "feedback_treatment": "treatment",
    "feedback_overall": "overall",
}
COMMENT_SLOT = "feedback_comment"
#: Set when the person postponed or declined, or the survey is no longer open.
STOP_SLOT = "feedback_stop"
TICKET_SLOT = "feedback_ticket"
_NO_COMMENT = "-"
_STOP_BUTTONS = [
    {"title": "Inte nu", "payload": "inte nu"},
    {"title": "Nej tack", "payload": "nej tack"},
]
SCORE_BUTTONS = [{"title": str(n), "payload": str(n)} for n in range(1, 11)] + _STOP_BUTTONS
_INTRO = {
    "invite": "utter_feedback_invitation",
    "reminder": "utter_feedback_reminder",
    "resume": "utter_feedback_resume",
}


def _reset() -> list[EventType]:
    names = [*SCORE_SLOTS, COMMENT_SLOT, STOP_SLOT, TICKET_SLOT]
    return [SlotSet(name, None) for name in names]


def _entity(tracker: Tracker, name: str) -> str | None:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value else None


def _open_feedback(session: Any, number: str | None) -> Feedback | None:
    if not number:
        return None
    found = store.feedback_for_ticket(session=session, number=number)
    return found if found is not None and found.status in store.OPEN_STATUSES else None


class ActionFeedbackInvite(Action):
    """Open (or re-offer) the survey for the ticket named in the external event."""

    def name(self) -> str:
        return "action_feedback_invite"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        number = _entity(tracker, "ticket_number")
        kind = _entity(tracker, "feedback_kind") or "invite"
        with desk_session() as session:
            feedback = _open_feedback(session, number)
            if feedback is None:
                return [*_reset(), SlotSet(STOP_SLOT, "closed")]
            ticket = feedback.ticket
            service_name = ticket.service.name if ticket.service else ticket.title
            scores = store.scores_of(feedback)
        dispatcher.utter_message(
            response=_INTRO.get(kind, _INTRO["invite"]), number=number, service_name=service_name
        )
        events = [*_reset(), SlotSet(TICKET_SLOT, number)]
        events += [
            SlotSet(slot, str(scores[key])) for slot, key in SCORE_SLOTS.items() if key in scores
        ]
        return events


class _AskScore(Action):
    """Ask one question with buttons 1–10 (and "Inte nu" / "Nej tack")."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response=f"utter_ask_{self.slot}", buttons=SCORE_BUTTONS)
        return []


class ActionAskFeedbackCommunication(_AskScore):
    """Ask about Återkoppling."""

    slot = "feedback_communication"


class ActionAskFeedbackExpectation(_AskScore):
    """Ask about Motsvarad förväntan."""

    slot = "feedback_expectation"


class ActionAskFeedbackTreatment(_AskScore):
    """Ask about Bemötande."""

    slot = "feedback_treatment"


class ActionAskFeedbackOverall(_AskScore):
    """Ask for the Samlad bedömning."""

    slot = "feedback_overall"


def _any_low(tracker: Tracker) -> bool:
    values = [tracker.get_slot(slot) for slot in SCORE_SLOTS]
    return any(str(v).isdigit() and int(str(v)) <= store.LOW_SCORE for v in values if v)


class ActionAskFeedbackComment(Action):
    """Ask for a comment; after a low score, ask what went wrong instead."""

    def name(self) -> str:
        return "action_ask_feedback_comment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        low = _any_low(tracker)
        dispatcher.utter_message(
            response="utter_ask_feedback_problem" if low else "utter_ask_feedback_comment",
            buttons=[{"title": "Hoppa över", "payload": "hoppa över"}],
        )
        return []


class ValidateFeedbackForm(FormValidationAction):
    """Read each answer, store it once, and handle "inte nu" and "nej tack"."""

    def name(self) -> str:
        return "validate_feedback_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        if tracker.get_slot(STOP_SLOT):
            return []
        return [*SCORE_SLOTS, COMMENT_SLOT]

    def _stop(self, slot: str, text: str, d: CollectingDispatcher, t: Tracker) -> Slots | None:
        """Postpone or decline when the person says so; None when the answer is something else."""
        if is_postpone(text):
            outcome, record, response = "postponed", store.postpone, "utter_feedback_postponed"
        elif is_decline(text):
            outcome, record, response = "declined", store.decline, "utter_feedback_declined"
        else:
            return None
        with desk_session() as session:
            feedback = _open_feedback(session, t.get_slot(TICKET_SLOT))
            if feedback is not None:
                record(session=session, feedback=feedback)
        d.utter_message(response=response)
        return {slot: None, STOP_SLOT: outcome}

    def _score(self, slot: str, value: Any, d: CollectingDispatcher, t: Tracker) -> Slots:
        text = str(value or "").strip()
        stopped = self._stop(slot, text, d, t)
        if stopped is not None:
            return stopped
        reading = read_score(text)
        if reading.value is None:
            response = (
                "utter_feedback_out_of_range"
                if reading.problem == "out_of_range"
                else "utter_feedback_unclear"
            )
            d.utter_message(response=response, value=text)
            return {slot: None}
        try:
            with desk_session() as session:
                feedback = _open_feedback(session, t.get_slot(TICKET_SLOT))
                if feedback is None:
                    return {slot: None, STOP_SLOT: "closed"}
                kept = store.record_answer(
                    session=session,
                    feedback=feedback,
                    question=SCORE_SLOTS[slot],
                    text=text,
                    score=reading.value,
                )
                score = kept.score
        except SQLAlchemyError:
            logger.exception("could not store a feedback answer")
            d.utter_message(response="utter_technical_error")
            return {slot: None}
        return {slot: str(score)}

    def validate_feedback_communication(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        return self._score("feedback_communication", value, d, t)

    def validate_feedback_expectation(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        return self._score("feedback_expectation", value, d, t)

    def validate_feedback_treatment(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        return self._score("feedback_treatment", value, d, t)

    def validate_feedback_overall(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        return self._score("feedback_overall", value, d, t)

    def validate_feedback_comment(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        text = str(value or "").strip()
        comment = "" if is_skip(text) or is_postpone(text) else text
        with desk_session() as session:
            feedback = _open_feedback(session, t.get_slot(TICKET_SLOT))
            if feedback is None:
                return {COMMENT_SLOT: None, STOP_SLOT: "closed"}
            kept = store.record_answer(
                session=session, feedback=feedback, question="comment", text=comment
            )
            stored = kept.text
        return {COMMENT_SLOT: stored or _NO_COMMENT}


class ActionFeedbackSubmit(Action):
    """Close the answered survey, escalate a low score, thank the person, clear the slots."""

    def name(self) -> str:
        return "action_feedback_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.get_slot(STOP_SLOT):
            return _reset()
        number = tracker.get_slot(TICKET_SLOT)
        try:
            with desk_session() as session:
                feedback = store.feedback_for_ticket(session=session, number=str(number or ""))
                if feedback is None:
                    return _reset()
                escalated = store.complete(session=session, feedback=feedback)
        except SQLAlchemyError:
            logger.exception("could not close feedback for %s", number)
            dispatcher.utter_message(response="utter_technical_error")
            return _reset()
        if escalated:
            dispatcher.utter_message(response="utter_feedback_thanks_followup", number=number)
        else:
            dispatcher.utter_message(response="utter_feedback_thanks")
        return _reset()


class ActionFeedbackPause(Action):
    """Pause the survey when the person starts a new request; the sweep offers it again."""

    def name(self) -> str:
        return "action_feedback_pause"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        number = tracker.get_slot(TICKET_SLOT)
        with desk_session() as session:
            feedback = _open_feedback(session, number)
            if feedback is not None:
                store.pause(session=session, feedback=feedback)
        if number:
            dispatcher.utter_message(response="utter_feedback_paused", number=number)
        return _reset()
