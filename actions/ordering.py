"""Summarise a collected order, open its ticket, or change or abort it."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions._conversation import collected_details, person_of, transcript, turn_key
from actions._desk import ServiceInfo, desk_session, get_service_info
from actions._fields import (
    FIELD_SLOTS,
    PERSONNUMMER_KEPT,
    buttons_for,
    custom_details,
    discard_personnummer,
    field_of_slot,
    is_personnummer,
    prompt_for,
    slot_of,
)
from actions._format import format_sla, summary_lines
from actions.matching import next_need
from actions.order_form import CHANGING, sla_warning
from servicedesk.fields import field_labels
from servicedesk.models import TicketKind
from servicedesk.privacy.sensitive import attach_to_ticket
from servicedesk.requesters import get_or_create_requester
from servicedesk.tickets import create_ticket

logger = logging.getLogger(__name__)
_YES_NO = [{"title": "Ja", "payload": "/affirm"}, {"title": "Nej", "payload": "/deny"}]


def _summary(
    dispatcher: CollectingDispatcher, tracker: Tracker, service: ServiceInfo
) -> list[EventType]:
    """A warning when the wanted time is sooner than promised (once per date and time),
    then the summary to confirm (last, so that its Ja/Nej buttons are the ones seen)."""
    details = order_details(tracker, service)
    when = sla_warning(service, details.get("date"), details.get("time"))
    moment = f"{details.get('date')} {details.get('time')}"
    events: list[EventType] = []
    if when is not None and tracker.get_slot("sla_warned") != moment:
        events.append(SlotSet("sla_warned", moment))
        dispatcher.utter_message(
            response="utter_sla_warning", name=service.name,
            sla=format_sla(service.sla_hours), when=when,
        )  # fmt: skip
    summary = summary_lines(service, details)
    dispatcher.utter_message(response="utter_summary", summary=summary, buttons=_YES_NO)
    return events


def _offer_changes(dispatcher: CollectingDispatcher, service: ServiceInfo | None) -> None:
    fields = service.order_fields if service else ()
    labels = field_labels(service.fields if service else ())
    buttons = [
        {"title": labels.get(f, f), "payload": f'/change_detail{{"field":"{f}"}}'} for f in fields
    ]
    buttons.append({"title": "Avbryt beställningen", "payload": "/cancel_ticket"})
    dispatcher.utter_message(response="utter_ask_what_to_change", buttons=buttons)


class ActionAskConfirmed(Action):
    """The order form's last question: the summary, or what to change after a "nej"."""

    def name(self) -> str:
        return "action_ask_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        service = get_service_info(tracker.get_slot("service_code"))
        if service is None:
            dispatcher.utter_message(response="utter_default")
            return []
        _prompt(tracker, service, None)
        if tracker.get_slot("confirm_step") == CHANGING:
            _offer_changes(dispatcher, service)
            return []
        return _summary(dispatcher, tracker, service)


class ActionAskLocation(Action):
    """Ask where: the room the first message named asks for its building ("Var ligger sal
    A?"), otherwise the plain question."""

    def name(self) -> str:
        return "action_ask_location"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        part = tracker.get_slot("place_part")
        if part:
            dispatcher.utter_message(response="utter_ask_location_building", place=str(part))
        else:
            dispatcher.utter_message(response="utter_ask_location")
        return []


class ActionAskDate(Action):
    """Ask which day: for a fault the day it happened ("i går", "i måndags"), for an order
    the day it is wanted."""

    def name(self) -> str:
        return "action_ask_date"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        service = get_service_info(tracker.get_slot("service_code"))
        fault = service is not None and service.kind == "fault"
        dispatcher.utter_message(response="utter_ask_date_fault" if fault else "utter_ask_date")
        return []


def _order_key(tracker: Tracker) -> str:
    """The idempotency key of this order (per order, not per turn; see start_order)."""
    order_id = tracker.get_slot("order_id")
    if not order_id:
        return turn_key(tracker, "order")
    return f"order:{tracker.sender_id}:{order_id}"[:200]


def order_details(tracker: Tracker, service: ServiceInfo) -> dict[str, str]:
    """The order's details by key (the service's fields and a note), for the summary and
    the ticket."""
    details = collected_details(tracker)
    details.update(custom_details(service, tracker.current_slot_values()))
    return {k: v for k, v in details.items() if k in service.order_fields or k == "note"}


class ActionCreateTicket(Action):
    """Open the ticket for the confirmed order; a retried call returns the same ticket."""

    def name(self) -> str:
        return "action_create_ticket"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            service = get_service_info(tracker.get_slot("service_code"))
        except SQLAlchemyError:
            logger.exception("the catalogue could not be read")
            dispatcher.utter_message(response="utter_order_not_sent")
            return []
        if service is None:
            dispatcher.utter_message(response="utter_default")
            return []
        person = person_of(tracker)
        try:
            with desk_session() as session:
                requester = get_or_create_requester(
                    session=session, channel=person.channel, external_id=person.external_id
                )
                ticket, _created = create_ticket(
                    session=session,
                    requester=requester,
                    kind=TicketKind(service.kind),
                    channel=person.channel,
                    conversation_id=tracker.sender_id,
                    service_code=service.code,
                    details=order_details(tracker, service),
                    title=service.name,
                    idempotency_key=_order_key(tracker),
                    transcript=transcript(tracker),
                    actor=person.actor,
                )
                attach_to_ticket(session=session, conversation_id=tracker.sender_id, ticket=ticket)
                number = ticket.number
        except (SQLAlchemyError, ValueError):
            logger.exception("could not open a ticket for %s", service.code)
            # The order stays confirmed in the slots: "ja" again sends it (same order key).
            dispatcher.utter_message(response="utter_order_not_sent")
            return []
        dispatcher.utter_message(
            response="utter_ticket_created",
            number=number,
            service_name=service.name,
            performer=service.performer,
            sla=format_sla(service.sla_hours),
        )
        events: list[EventType] = [AllSlotsReset(), SlotSet("ticket_number", number)]
        return events + next_need(dispatcher, tracker)


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
            _forget_kept(tracker)
            return [AllSlotsReset(), SlotSet("match_outcome", "aborted")]
        return [
            SlotSet(slot_of(service, field), None), SlotSet("confirmed", None),
            SlotSet("confirm_step", None),
            SlotSet("match_outcome", "match"),
        ]  # fmt: skip


class ActionAbortOrder(Action):
    """Forget the order being collected."""

    def name(self) -> str:
        return "action_abort_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_order_aborted")
        _forget_kept(tracker)
        return [AllSlotsReset()]


class ActionAffirmOutOfContext(Action):
    """A "ja" with no question open: it confirms an order that was confirmed but could not
    be sent (the ticket system was down), else there is nothing to say yes to."""

    def name(self) -> str:
        return "action_affirm_out_of_context"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        confirmed = tracker.get_slot("confirmed") == "yes"
        if confirmed and get_service_info(tracker.get_slot("service_code")) is not None:
            return await ActionCreateTicket().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_not_now")
        return []


def _prompt(tracker: Tracker, service: ServiceInfo | None, field: dict[str, Any] | None) -> None:
    """Say which question the next message answers (a personnummer field or another)."""
    if service is None:
        return
    try:
        prompt_for(tracker.sender_id, service, field)
    except SQLAlchemyError:
        # The channel then masks the number and the field asks for it again.
        logger.exception("could not record which question is asked")


def _forget_kept(tracker: Tracker) -> None:
    try:
        discard_personnummer(tracker.sender_id)
    except SQLAlchemyError:
        logger.exception("could not discard kept answers (retention removes them)")


class _AskField(Action):
    """Ask the catalogue-defined field held in one of the generic slots field_1 … field_8."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        service = get_service_info(tracker.get_slot("service_code"))
        field = field_of_slot(service, self.slot) if service else None
        if field is None:
            return []
        question = str(field.get("question") or f"{field.get('label')}?")
        if is_personnummer(field):
            question = f"{question}\n{PERSONNUMMER_KEPT}"
        _prompt(tracker, service, field)
        dispatcher.utter_message(text=question, buttons=buttons_for(field))
        return []


def _ask_field_action(slot: str) -> type[_AskField]:
    name = "ActionAsk" + slot.title().replace("_", "")
    doc = f"Ask the catalogue-defined field held in {slot}."
    return type(name, (_AskField,), {"slot": slot, "__doc__": doc, "__module__": __name__})


#: action_ask_field_1 … action_ask_field_8 (rasa-sdk registers every Action subclass).
ASK_FIELD_ACTIONS = tuple(_ask_field_action(slot) for slot in FIELD_SLOTS)
