"""Validation of the order form; its required slots come from the service's order_fields."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions._desk import get_service_info
from nlu.details import confirmation, parse_date, parse_quantity, parse_time
from servicedesk.settings import get_settings

Slots = dict[str, Any]
_MIN_FREE_TEXT = 2


def _now() -> datetime:
    return datetime.now(ZoneInfo(get_settings().timezone))


# Bare answers that are not a place or a description ("ja" to "Vart ska det?").
_NOT_AN_ANSWER = frozenset(
    [
        "ja",
        "jaa",
        "japp",
        "jo",
        "jepp",
        "visst",
        "absolut",
        "okej",
        "ok",
        "okey",
        "nej",
        "nä",
        "nää",
        "nix",
        "tack",
        "ingen",
        "inget",
        "vet",
        "ej",
    ]
)


def _free_text(slot: str, value: Any, dispatcher: CollectingDispatcher) -> Slots:
    text = str(value or "").strip()
    if len(text) < _MIN_FREE_TEXT:
        dispatcher.utter_message(response="utter_too_short")
        return {slot: None}
    words = text.lower().strip(" .!?,").split()
    if words and all(w.strip(".!?,") in _NOT_AN_ANSWER for w in words):
        dispatcher.utter_message(response="utter_free_text_needed")
        return {slot: None}
    return {slot: text[:1000]}


def _date(slot: str, value: Any, dispatcher: CollectingDispatcher) -> tuple[Slots, date | None]:
    text = str(value or "").strip()
    result = parse_date(text, _now())
    if result is None:
        dispatcher.utter_message(response="utter_invalid_date", value=text)
        return {slot: None}, None
    if result.in_past:
        dispatcher.utter_message(response="utter_date_in_past", value=result.value.isoformat())
        return {slot: None}, None
    return {slot: result.value.isoformat()}, result.value


NO_PENDING_NUMBER: Slots = {"number_to_confirm": None, "confirming_number": False}


def _number(slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Slots:
    """An exact count is taken; "ett tjugotal"/"ca 20" is asked back ("Menar du ungefär
    20?", the form's ask response when ``confirming_number``) until a yes or a number."""
    text = str(value or "")
    pending = tracker.get_slot("number_to_confirm")
    result = parse_quantity(text)
    if result is None and pending:
        answer = confirmation(text)
        if answer is True:
            return {slot: f"cirka {pending}", **NO_PENDING_NUMBER}
        if answer is False:  # the form asks again for the exact number
            return {slot: None, **NO_PENDING_NUMBER}
    if result is None:
        dispatcher.utter_message(response="utter_invalid_number")
        return {slot: None, **NO_PENDING_NUMBER}
    if not result.valid:
        dispatcher.utter_message(response="utter_number_out_of_range", value=result.value)
        return {slot: None, **NO_PENDING_NUMBER}
    if result.approximate and str(result.value) != pending:
        return {slot: None, "number_to_confirm": str(result.value), "confirming_number": True}
    shown = f"cirka {result.value}" if result.approximate else str(result.value)
    return {slot: shown, **NO_PENDING_NUMBER}


class ValidateServiceForm(FormValidationAction):
    """Ask exactly the details the chosen service needs, and check each answer."""

    def name(self) -> str:
        return "validate_service_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Validate, and drop a number question left over from an abandoned form."""
        events = list(await super().run(dispatcher, tracker, domain))
        asking_count = tracker.get_slot("requested_slot") in ("quantity", "participants")
        if tracker.get_slot("confirming_number") and not asking_count:
            events += [SlotSet(name, value) for name, value in NO_PENDING_NUMBER.items()]
        return events

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        service = get_service_info(tracker.get_slot("service_code"))
        return list(service.order_fields) if service else []

    def validate_location(self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any) -> Slots:
        return _free_text("location", value, d)

    def validate_description(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        return _free_text("description", value, d)

    def validate_destination(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        return _free_text("destination", value, d)

    def validate_date(self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any) -> Slots:
        return _date("date", value, d)[0]

    def validate_return_date(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        slots, parsed = _date("return_date", value, d)
        departure = t.get_slot("date")
        if parsed and departure and parsed < date.fromisoformat(str(departure)):
            d.utter_message(response="utter_return_before_departure", value=departure)
            return {"return_date": None}
        return slots

    def validate_time(self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any) -> Slots:
        text = str(value or "").strip()
        result = parse_time(text)
        if result is None or not result.valid or result.start is None:
            d.utter_message(response="utter_invalid_time", value=text)
            return {"time": None}
        return {"time": result.as_text()}

    def validate_quantity(self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any) -> Slots:
        return _number("quantity", value, d, t)

    def validate_participants(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        return _number("participants", value, d, t)
