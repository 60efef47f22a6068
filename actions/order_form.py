"""Validation of the order form; its required slots come from the service's order_fields."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions._desk import get_service_info
from nlu.details import parse_date, parse_quantity, parse_time
from servicedesk.settings import get_settings

Slots = dict[str, Any]
_MIN_FREE_TEXT = 2


def _now() -> datetime:
    return datetime.now(ZoneInfo(get_settings().timezone))


def _free_text(slot: str, value: Any, dispatcher: CollectingDispatcher) -> Slots:
    text = str(value or "").strip()
    if len(text) < _MIN_FREE_TEXT:
        dispatcher.utter_message(response="utter_too_short")
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


def _number(slot: str, value: Any, dispatcher: CollectingDispatcher) -> Slots:
    result = parse_quantity(str(value or ""))
    if result is None or not result.valid:
        dispatcher.utter_message(response="utter_invalid_number")
        return {slot: None}
    return {slot: f"cirka {result.value}" if result.approximate else str(result.value)}


class ValidateServiceForm(FormValidationAction):
    """Ask exactly the details the chosen service needs, and check each answer."""

    def name(self) -> str:
        return "validate_service_form"

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
        return _number("quantity", value, d)

    def validate_participants(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        return _number("participants", value, d)
