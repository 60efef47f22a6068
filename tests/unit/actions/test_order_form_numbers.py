"""The order form asks back an approximate count and explains impossible ones; a
fault's day is the day it happened."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import order_form
from actions._desk import ServiceInfo
from actions.order_form import ValidateServiceForm


def _tracker(**slots: Any) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": {"requested_slot": "participants", **slots},
            "latest_message": {"text": "", "intent": {"name": "inform"}},
            "events": [],
            "active_loop": {"name": "service_form"},
        }
    )


def _participants(text: str, **slots: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    found = ValidateServiceForm().validate_participants(text, dispatcher, _tracker(**slots), {})
    return found, dispatcher.messages


@pytest.mark.parametrize(
    ("text", "value"),
    [("ett tjugotal", "20"), ("ett trettiotal", "30"), ("runt 20", "20"), ("ca 15", "15"),
     ("ungefär tjugo", "20"), ("10-12", "12")],
)  # fmt: skip
def test_an_approximate_count_is_asked_back_not_accepted(text: str, value: str) -> None:
    found, messages = _participants(text)
    assert found == {"participants": None, "number_to_confirm": value, "confirming_number": True}
    assert messages == []  # the form's ask response carries "Menar du ungefär ...?"


def test_yes_accepts_the_approximate_count() -> None:
    found, _ = _participants("ja", number_to_confirm="20", confirming_number=True)
    assert found == {
        "participants": "cirka 20",
        "number_to_confirm": None,
        "confirming_number": False,
    }


def test_an_exact_number_replaces_the_approximate_one() -> None:
    found, _ = _participants("nej, 18", number_to_confirm="20", confirming_number=True)
    assert found["participants"] == "18" and found["confirming_number"] is False


def test_no_without_a_number_asks_again() -> None:
    found, messages = _participants("nej", number_to_confirm="20", confirming_number=True)
    assert found == {"participants": None, "number_to_confirm": None, "confirming_number": False}
    assert messages == []


def test_repeating_the_same_approximation_accepts_it() -> None:
    found, _ = _participants("ungefär 20", number_to_confirm="20", confirming_number=True)
    assert found["participants"] == "cirka 20"


def test_an_exact_count_is_taken_at_once() -> None:
    found, _ = _participants("tjugotvå")
    assert found == {"participants": "22", "number_to_confirm": None, "confirming_number": False}


@pytest.mark.parametrize("text", ["bara jag", "Bara jag själv.", "jag själv", "en person"])
def test_just_me_is_one_person(text: str) -> None:
    found, _ = _participants(text)
    assert found == {"participants": "1", "number_to_confirm": None, "confirming_number": False}


@pytest.mark.parametrize("text", ["0", "-3", "20000"])
def test_an_impossible_count_is_explained(text: str) -> None:
    found, messages = _participants(text)
    assert found["participants"] is None
    assert [m["response"] for m in messages] == ["utter_number_out_of_range"]


def test_no_number_at_all_is_asked_again() -> None:
    found, messages = _participants("det vet jag inte")
    assert found["participants"] is None
    assert [m["response"] for m in messages] == ["utter_invalid_number"]


def test_a_past_date_is_explained_and_asked_again() -> None:
    dispatcher = CollectingDispatcher()
    found = ValidateServiceForm().validate_date("2020-01-10", dispatcher, _tracker(), {})
    assert found == {"date": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_date_in_past"]


def test_an_impossible_date_is_explained_and_asked_again() -> None:
    dispatcher = CollectingDispatcher()
    found = ValidateServiceForm().validate_date("31/2", dispatcher, _tracker(), {})
    assert found == {"date": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_invalid_date"]


MEAL_FAULT = ServiceInfo(
    code="MAT-02", kind="fault", category="Måltid", name="Felanmälan måltid",
    description="Fel i levererade måltider", price_sek=Decimal(0), price_unit="ingår i avtal",
    performer="Måltidsservice", sla_hours=24, order_fields=("location", "date", "description"),
    keywords=("maten",),
)  # fmt: skip


def _fault_date(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[str]]:
    monkeypatch.setattr(order_form, "get_service_info", lambda code: MEAL_FAULT)
    dispatcher = CollectingDispatcher()
    tracker = _tracker(service_code="MAT-02", requested_slot="date")
    found = ValidateServiceForm().validate_date(text, dispatcher, tracker, {})
    return found, [m["response"] for m in dispatcher.messages]


def test_a_faults_day_may_have_been(monkeypatch: pytest.MonkeyPatch) -> None:
    found, said = _fault_date("i går", monkeypatch)
    yesterday = order_form.local_now().date() - timedelta(days=1)
    assert found == {"date": yesterday.isoformat()} and said == []


def test_a_faults_day_still_to_come_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    found, said = _fault_date("i övermorgon", monkeypatch)
    assert found == {"date": None} and said == ["utter_date_not_yet"]
    found, said = _fault_date("förra veckan", monkeypatch)
    assert found == {"date": None} and said == ["utter_date_vague_been"]


def test_no_sooner_than_promised_warning_for_a_fault() -> None:
    today = order_form.local_now().date().isoformat()
    assert order_form.sla_warning(MEAL_FAULT, today, None) is None
    order = replace(MEAL_FAULT, kind="order")
    assert order_form.sla_warning(order, today, None) == "i dag"


def test_a_price_included_is_said_as_included(monkeypatch: pytest.MonkeyPatch) -> None:
    from actions import _dialogue
    from actions._dialogue import Turn, answer_digression

    monkeypatch.setattr(_dialogue, "_asked_about", lambda turn, service: service)
    tracker = _tracker(service_code="MAT-02", requested_slot="confirmed")
    dispatcher = CollectingDispatcher()
    assert answer_digression(
        Turn("vad kostar det?", "inform", 1.0), MEAL_FAULT, dispatcher, tracker
    )
    assert [(m["response"], m.get("price")) for m in dispatcher.messages] == [
        ("utter_digression_price_included", "ingår i avtal")
    ]
    dispatcher = CollectingDispatcher()
    priced = replace(MEAL_FAULT, price_sek=Decimal(450), price_unit="kr per timme")
    assert answer_digression(Turn("vad kostar det?", "inform", 1.0), priced, dispatcher, tracker)
    assert [(m["response"], m.get("price")) for m in dispatcher.messages] == [
        ("utter_digression_price", "450 kr per timme")
    ]
