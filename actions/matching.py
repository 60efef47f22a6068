"""Match a request against the catalogue, present the service and start the order form."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._conversation import DETAIL_FIELDS, latest_text
from actions._desk import ServiceInfo, get_service_info, snapshot
from actions._format import format_price, format_sla
from actions.order_form import NO_PENDING_NUMBER
from nlu.details import extract_details
from servicedesk.settings import get_settings

# A first message of at least this many words is kept as the description.
_DESCRIPTIVE_WORDS = 4


def present(dispatcher: CollectingDispatcher, service: ServiceInfo) -> None:
    """Tell the person what the service is, what it costs, who delivers and how fast."""
    dispatcher.utter_message(
        response="utter_service_presentation",
        name=service.name,
        category=service.category,
        description=service.description,
        price=format_price(service),
        performer=service.performer,
        sla=format_sla(service.sla_hours),
    )


def start_order(service: ServiceInfo, first_text: str | None) -> list[EventType]:
    """Return the events that reset the order, prefill details and let the form start."""
    events: list[EventType] = [SlotSet(field, None) for field in DETAIL_FIELDS]
    # A count left half-confirmed in an abandoned order must not leak into this one.
    events += [SlotSet(name, value) for name, value in NO_PENDING_NUMBER.items()]
    events.append(SlotSet("service_code", service.code))
    if first_text:
        now = datetime.now(ZoneInfo(get_settings().timezone))
        found = extract_details(first_text, service.order_fields, now)
        if "description" in service.order_fields and len(first_text.split()) >= _DESCRIPTIVE_WORDS:
            found.setdefault("description", first_text.strip())
        events.extend(SlotSet(field, value) for field, value in found.items())
    events.append(SlotSet("match_outcome", "match"))
    return events


class ActionMatchService(Action):
    """Rank the catalogue for the message and act on the matcher's decision."""

    def name(self) -> str:
        return "action_match_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = latest_text(tracker)
        snap = snapshot()
        result = snap.interpreter.interpret(text, tracker.latest_message)
        if result.outcome == "match" and result.services[0].code in snap.services:
            service = snap.services[result.services[0].code]
            present(dispatcher, service)
            return start_order(service, text)
        if result.outcome == "choose":
            buttons = [
                {
                    "title": snap.services[m.code].name,
                    "payload": f'/choose_service{{"service_code":"{m.code}"}}',
                }
                for m in result.services[:3]
                if m.code in snap.services
            ]
            buttons.append(
                {"title": "Något annat", "payload": '/choose_service{"service_code":"none"}'}
            )
            dispatcher.utter_message(response="utter_choose_service", buttons=buttons)
            return [SlotSet("escalation_reason", None), SlotSet("match_outcome", "choose")]
        dispatcher.utter_message(
            response="utter_no_service_match",
            buttons=[{"title": "Prata med servicedesken", "payload": "/human_handoff"}],
        )
        return [SlotSet("escalation_reason", "no_match"), SlotSet("match_outcome", "none")]


class ActionSelectService(Action):
    """Take the service the person picked among the offered candidates."""

    def name(self) -> str:
        return "action_select_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        code = next(tracker.get_latest_entity_values("service_code"), None)
        service = get_service_info(code)
        if service is None:
            dispatcher.utter_message(
                response="utter_rephrase",
                buttons=[{"title": "Prata med servicedesken", "payload": "/human_handoff"}],
            )
            return [SlotSet("escalation_reason", "no_match"), SlotSet("match_outcome", "none")]
        present(dispatcher, service)
        return start_order(service, _first_request_text(tracker))


def _first_request_text(tracker: Tracker) -> str | None:
    """Return the text of the request that led to the candidate buttons."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent in ("request_service", "inform"):
            return str(event.get("text") or "") or None
    return None
