"""Hand the conversation to the service desk, and explain what the assistant can do."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions._conversation import person_of, recent_intents, transcript, turn_key
from actions._desk import ServiceInfo, desk_session, get_service_info, snapshot
from actions.ordering import order_details
from nlu.interpret import NO_SERVICE, RECORD_KEY
from servicedesk.models import TicketKind
from servicedesk.privacy.sensitive import attach_to_ticket
from servicedesk.requesters import get_or_create_requester
from servicedesk.tickets import create_ticket

logger = logging.getLogger(__name__)
_MISUNDERSTOOD = {"out_of_scope", "nlu_fallback"}
# After this many misunderstood messages in a row a human is offered.
_OFFER_HUMAN_AFTER = 2


# Words that mark a message as a complaint (lemma-free stems; matched on folded text).
_COMPLAINT = re.compile(
    r"\b(klag\w*|reklamer\w*|missnöj\w*|missnoj\w*|oacceptab\w*|upprörd|upprord|"
    r"dålig(t)? (service|bemötande)|dalig(t)? (service|bemotande))",
    re.IGNORECASE,
)


def _reason(tracker: Tracker) -> str:
    intents = recent_intents(tracker)
    said = " ".join(
        str(e.get("text") or "") for e in tracker.events[-12:] if e.get("event") == "user"
    )
    if _COMPLAINT.search(said):
        return "complaint"
    if tracker.get_slot("escalation_reason"):
        return str(tracker.get_slot("escalation_reason"))
    if len(intents) > 1 and intents[1] in _MISUNDERSTOOD:
        return "misunderstood"
    return "asked_for_human"


def _guess_service(tracker: Tracker) -> ServiceInfo | None:
    """Route an escalation without a chosen service by what the person wrote, if it is clear.

    The ticket then lands in the right queue (service category) with its SLA.
    """
    said = [
        str(e.get("text") or "")
        for e in tracker.events[-12:]
        if e.get("event") == "user" and not str(e.get("text") or "").startswith("/")
    ]
    if not said:
        return None
    snap = snapshot()
    code = snap.interpreter.interpret(" ".join(said[-3:])).service
    return snap.services.get(code) if code else None


class ActionHumanHandoff(Action):
    """Open an escalated ticket carrying the transcript and tell the person who answers."""

    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        person = person_of(tracker)
        channel = person.channel
        ordering = get_service_info(tracker.get_slot("service_code"))
        service = ordering or _guess_service(tracker)
        # What the order being made already holds goes with it: the desk should not have
        # to ask the place again ("Golven på Granbackens förskola …", then "går det att
        # prata med en person om det här?" at the date question).
        details = (
            {k: v for k, v in order_details(tracker, ordering).items() if v} if ordering else {}
        )
        try:
            with desk_session() as session:
                requester = get_or_create_requester(
                    session=session, channel=person.channel, external_id=person.external_id
                )
                ticket, _ = create_ticket(
                    session=session,
                    requester=requester,
                    kind=TicketKind(service.kind) if service else TicketKind.QUESTION,
                    channel=channel,
                    conversation_id=tracker.sender_id,
                    service_code=service.code if service else None,
                    details=details or None,
                    title=service.name if service else "Ärende till servicedesken",
                    idempotency_key=turn_key(tracker, "handoff"),
                    escalated=True,
                    escalation_reason=_reason(tracker),
                    transcript=transcript(tracker),
                    actor=person.actor,
                )
                if ordering is not None:
                    attach_to_ticket(
                        session=session, conversation_id=tracker.sender_id, ticket=ticket
                    )
                number = ticket.number
        except (SQLAlchemyError, ValueError):
            logger.exception("could not open an escalated ticket")
            dispatcher.utter_message(response="utter_technical_error")
            return []
        dispatcher.utter_message(response="utter_handoff_created", number=number)
        return [AllSlotsReset()]


class ActionExplainScope(Action):
    """Explain what the assistant does; after repeated misunderstandings offer a human."""

    def name(self) -> str:
        return "action_explain_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        streak = 0
        for intent in recent_intents(tracker):
            if intent not in _MISUNDERSTOOD:
                break
            streak += 1
        if streak >= _OFFER_HUMAN_AFTER:
            dispatcher.utter_message(
                response="utter_offer_human",
                buttons=[
                    {"title": "Ja, koppla mig till servicedesken", "payload": "/human_handoff"},
                    {"title": "Nej, jag försöker igen", "payload": "/deny"},
                ],
            )
        elif _parts_ask(tracker):
            # "Hej från köket på …! 1. vi behöver hårnät 2. lysröret i diskrummet har gått
            # sönder": the whole blurs, its parts clearly ask for services. Taken as the
            # request it is (several needs in turn, or the one clear need with the others
            # kept to ask about).
            from actions.matching import ActionMatchService

            events = await ActionMatchService().run(dispatcher, tracker, domain)
            started = any(
                isinstance(e, dict)
                and e.get("name") == "match_outcome"
                and e.get("value") == "match"
                for e in events
            )
            return [*events, FollowupAction("service_form")] if started else events
        elif _no_catalogue_service(tracker):
            # Worded as a work request that the catalogue has nothing near: say so, and
            # offer the desk, who may still help (as for a request without a match).
            dispatcher.utter_message(
                response="utter_no_service_match",
                buttons=[{"title": "Prata med servicedesken", "payload": "/human_handoff"}],
            )
            return [SlotSet("escalation_reason", "no_match"), SlotSet("match_outcome", "none")]
        else:
            dispatcher.utter_message(response="utter_out_of_scope")
        return []


def _parts_ask(tracker: Tracker) -> bool:
    """Whether the parts of a message read as out of scope as a whole clearly ask for
    services: two or more (:func:`actions.matching.needs_with_parts`), or one beside needs
    that name none clearly (:func:`actions.matching._the_one_need`)."""
    from actions.matching import _the_one_need, needs_with_parts

    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    if len(text.split()) < 6 or text.startswith("/"):
        return False
    whole = snapshot().interpreter.interpret(text, message)
    if whole.intent == "request_service":
        return False  # not this path: a request has its own
    return bool(needs_with_parts(text, whole)) or _the_one_need(text, whole) is not None


def _no_catalogue_service(tracker: Tracker) -> bool:
    """Whether the interpretation step read the latest message as a request that no
    service of the catalogue is near (rather than something that is no work matter)."""
    record = (tracker.latest_message or {}).get(RECORD_KEY) or {}
    return isinstance(record, dict) and record.get("reason") == NO_SERVICE
