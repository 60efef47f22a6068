"""Summarise a collected order, open its ticket, or change or abort it."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions._conversation import collected_details, person_of, transcript, turn_key
from actions._desk import desk_session, get_service_info
from actions._format import FIELD_LABELS, format_sla, summary_lines
from servicedesk.models import TicketKind
from servicedesk.requesters import get_or_create_requester
from servicedesk.tickets import create_ticket

logger = logging.getLogger(__name__)
_YES_NO = [{"title": "Ja", "payload": "/affirm"}, {"title": "Nej", "payload": "/deny"}]


class ActionSummariseOrder(Action):
    """Show what will be ordered and ask for a yes or no."""

    def name(self) -> str:
        return "action_summarise_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        service = get_service_info(tracker.get_slot("service_code"))
        if service is None:
            dispatcher.utter_message(response="utter_default")
            return []
        summary = summary_lines(service, collected_details(tracker))
        dispatcher.utter_message(response="utter_summary", summary=summary, buttons=_YES_NO)
        return []


class ActionCreateTicket(Action):
    """Open the ticket for the confirmed order; a retried call returns the same ticket."""

    def name(self) -> str:
        return "action_create_ticket"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        service = get_service_info(tracker.get_slot("service_code"))
        if service is None:
            dispatcher.utter_message(response="utter_default")
            return []
        person = person_of(tracker)
        channel = person.channel
        try:
            with desk_session() as session:
                requester = get_or_create_requester(
                    session=session, channel=person.channel, external_id=person.external_id
                )
                ticket, _created = create_ticket(
                    session=session,
                    requester=requester,
                    kind=TicketKind(service.kind),
                    channel=channel,
                    conversation_id=tracker.sender_id,
                    service_code=service.code,
                    details=collected_details(tracker),
                    title=service.name,
                    idempotency_key=turn_key(tracker, "order"),
                    transcript=transcript(tracker),
                    actor=person.actor,
                )
                number = ticket.number
        except (SQLAlchemyError, ValueError):
            logger.exception("could not open a ticket for %s", service.code)
            dispatcher.utter_message(response="utter_technical_error")
            return []
        dispatcher.utter_message(
            response="utter_ticket_created",
            number=number,
            service_name=service.name,
            performer=service.performer,
            sla=format_sla(service.sla_hours),
        )
        return [AllSlotsReset(), SlotSet("ticket_number", number)]


class ActionOfferChanges(Action):
    """Offer each collected detail as a button to change, plus cancelling the order."""

    def name(self) -> str:
        return "action_offer_changes"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        service = get_service_info(tracker.get_slot("service_code"))
        fields = service.order_fields if service else ()
        buttons = [
            {"title": FIELD_LABELS.get(f, f), "payload": f'/change_detail{{"field":"{f}"}}'}
            for f in fields
        ]
        buttons.append(
            {"title": "Avbryt beställningen", "payload": '/change_detail{"field":"cancel"}'}
        )
        dispatcher.utter_message(response="utter_ask_what_to_change", buttons=buttons)
        return []


class ActionChangeDetail(Action):
    """Clear the chosen detail and ask for it again, or abort the order."""

    def name(self) -> str:
        return "action_change_detail"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        field = next(tracker.get_latest_entity_values("field"), None)
        service = get_service_info(tracker.get_slot("service_code"))
        if service is None or field not in service.order_fields:
            dispatcher.utter_message(response="utter_order_aborted")
            return [AllSlotsReset(), SlotSet("match_outcome", "aborted")]
        return [SlotSet(field, None), SlotSet("match_outcome", "match")]


class ActionAbortOrder(Action):
    """Forget the order being collected."""

    def name(self) -> str:
        return "action_abort_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_order_aborted")
        return [AllSlotsReset()]
