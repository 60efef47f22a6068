"""Free-text details (place, destination, description) take words, not a bare yes or no."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions._desk import ServiceInfo
from actions.order_form import (
    ValidateServiceForm,
    _how_many_not_where,
    _one_stop,
    _when_not_where,
    _where_not_how_many,
    said_over,
    with_room,
)


def _validate(slot: str, text: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    tracker = Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": {"requested_slot": slot},
            "latest_message": {"text": text, "intent": {"name": "inform"}},
            "events": [],
            "active_loop": {"name": "service_form"},
        }
    )
    dispatcher = CollectingDispatcher()
    found = getattr(ValidateServiceForm(), f"validate_{slot}")(text, dispatcher, tracker, {})
    return found, dispatcher.messages


@pytest.mark.parametrize("slot", ["location", "destination", "description"])
@pytest.mark.parametrize("text", ["ja", "Ja!", "nej", "ok", "okej tack", "nä"])
def test_a_bare_yes_or_no_is_not_taken_as_the_answer(slot: str, text: str) -> None:
    found, messages = _validate(slot, text)
    assert found == {slot: None}
    assert [m["response"] for m in messages] == ["utter_free_text_needed"]


@pytest.mark.parametrize(
    ("slot", "text"),
    [("location", "Stadshuset plan 4"), ("destination", "Malmö"), ("description", "ja, skrivaren")],
)
def test_words_are_kept_as_given(slot: str, text: str) -> None:
    found, messages = _validate(slot, text)
    assert found == {slot: text}
    assert messages == []


def test_too_short_text_is_asked_for_again() -> None:
    found, messages = _validate("location", "x")
    assert found == {"location": None}
    assert [m["response"] for m in messages] == ["utter_too_short"]


@pytest.mark.parametrize("text", ["15", "12:30", "2026-12-10"])
def test_a_bare_number_is_no_description(text: str) -> None:
    found, messages = _validate("description", text)
    assert found == {"description": None}
    assert [m["response"] for m in messages] == ["utter_too_short"]


@pytest.mark.parametrize(
    ("answer", "room", "expected"),
    [
        ("Kommunhuset", "sal A", {"location": "Kommunhuset, sal A", "place_part": None}),
        ("Kommunhuset, sal A", "sal A", {"place_part": None}),
        ("Kommunhuset", None, {}),
        # The answer already says which one: it stands.
        ("Ängsgården, avdelning Vallmon", "nya avdelningen", {"place_part": None}),
        ("Stadshuset plan 3", "plan 2", {"place_part": None}),
    ],
)
def test_the_building_answered_for_a_room_makes_the_place(
    answer: str, room: str | None, expected: dict[str, object]
) -> None:
    assert with_room({"location": answer}, room) == expected


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("ja stämmer. och de gamla skrivborden vill vi bli av med", "och de gamla skrivborden"),
        ("ja tack, och lunch till samma gäng kl 12", "och lunch till samma gäng kl 12"),
        ("japp, det ser bra ut. tack! och så behöver vi fika", "och så behöver vi fika"),
        ("jo det stämmer, men vi behöver också två mobiler", "men vi behöver också två mobiler"),
        ("ja", None),
    ],
)
def test_a_yes_of_several_words_is_all_yes_before_what_follows(text: str, rest: str | None) -> None:
    from actions.order_form import _YES_THEN

    found = _YES_THEN.match(text)
    assert (found["rest"] if found else None) == rest or (
        found is not None and rest is not None and found["rest"].startswith(rest)
    )


@pytest.mark.parametrize(
    ("text", "also"),
    [
        ("förresten behöver vi också fika till mötet", True),
        ("just det, vi vill även ha lunch till alla", True),
        ("en sak till, hon behöver en mobiltelefon", True),
        ("nej vänta, jag vill hellre boka ett större rum", False),
        ("jag vill beställa lunch i stället", False),
    ],
)
def test_a_new_request_said_as_more_is_queued_not_switched(text: str, also: bool) -> None:
    from actions._dialogue import MORE_NEED

    assert bool(MORE_NEED.search(text)) is also


@pytest.mark.parametrize(
    ("text", "earlier"),
    [
        ("hur går det förresten med ärendet jag la förra veckan om den trasiga stolen?", True),
        ("vad hände med min felanmälan om lampan", True),
        ("mitt förra ärende, är det klart?", True),
        ("förresten, har ni fått min felanmälan om skrivaren förra veckan?", True),
        ("har min förra beställning skickats? den har inte kommit än", True),
        ("vår senaste bokning, gick den igenom", True),
        # a ticket by its number
        ("innan jag svarar, hur går det med sd-2026-00417? det var samma fläkt", True),
        ("har ni hunnit titta på sd 2026 00321", True),
        ("samma lampa som förra gången, rum 2026", False),
        ("stolen är trasig", False),
        ("min förra stol var bättre, vi behöver en ny", False),
        ("vi behöver också en ny stol", False),
    ],
)
def test_a_question_about_an_earlier_ticket_is_no_new_need(text: str, earlier: bool) -> None:
    from actions._dialogue import _EARLIER_TICKET

    assert bool(_EARLIER_TICKET.search(text)) is earlier


FURNITURE = ServiceInfo(
    code="MOB-01", kind="order", category="Möbler", name="Möbelbeställning", description="",
    price_sek=Decimal(0), price_unit="enligt möbelkatalog", performer="Omlastningscentralen",
    sla_hours=336, order_fields=("location", "quantity", "date", "description"), keywords=(),
)  # fmt: skip


def _slots(**slots: Any) -> Tracker:
    return Tracker.from_dict({"sender_id": "test", "slots": slots, "events": []})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # when, and the day is this order's: noted, and the place asked again
        ("så snart som möjligt, helst senast fredag nästa vecka", {"date"}),
        ("i morgon kl 10", {"date"}),  # the time is no detail of this order
        ("så snart som möjligt", set()),
        ("det måste vara klart till kl 8 på morgonen", set()),
        ("helst innan jul", None),  # "jul" may be no time word here: taken as written
        ("Rådhuset plan 2 på fredag", None),
        ("aulan i morgon", None),
        ("214", None),
        ("Stadshuset", None),
    ],
)
def test_an_answer_that_only_says_when_is_no_place(text: str, expected: set[str] | None) -> None:
    found = _when_not_where(text, FURNITURE, _slots(requested_slot="location"))
    assert (None if found is None else set(found)) == expected


def test_a_day_already_given_is_not_taken_again() -> None:
    found = _when_not_where("fredag nästa vecka", FURNITURE, _slots(date="2026-12-11"))
    assert found == {}


@pytest.mark.parametrize(
    ("slot", "text", "expected"),
    [
        ("quantity", "8 lådor, nej gör det 12 lådor", "12 lådor"),
        ("participants", "12, nej förresten 14", "14"),
        ("time", "kl 10, nej kl 11", "kl 11"),
        ("location", "Rådhuset, nej förlåt, Stadshuset plan 2", "Stadshuset plan 2"),
        # no answer taken back: "nej" inside a place or a count with no second one
        ("location", "Nejlikans förskola", None),
        ("quantity", "8, nej det vet jag inte", None),
        ("description", "trasig, nej sönder", None),
    ],
)
def test_an_answer_taken_back_in_the_same_message_is_the_second(
    slot: str, text: str, expected: str | None
) -> None:
    assert said_over(slot, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("helst till måndag om två veckor", {"date"}),  # "två" is the weeks', not a count
        ("två", None),
        ("3 st", None),
        ("tre till fredag", None),  # a count and a day: the count question's answer stands
    ],
)
def test_an_answer_at_the_count_question_that_only_says_when_is_no_count(
    text: str, expected: set[str] | None
) -> None:
    found = _when_not_where(text, FURNITURE, _slots(requested_slot="quantity"), counted=True)
    assert (None if found is None else set(found)) == expected


def test_none_is_no_place() -> None:
    found, messages = _validate("location", "inga")
    assert found == {"location": None}
    assert [m["response"] for m in messages] == ["utter_free_text_needed"]


def test_gibberish_at_the_summary_is_not_added() -> None:
    from actions.order_form import _readable

    assert not _readable("asdfgh")
    assert _readable("det gäller kassan")


def test_words_that_say_no_when_are_no_when() -> None:
    assert _when_not_where("det går bra", FURNITURE, _slots(requested_slot="location")) is None


@pytest.mark.parametrize(
    ("text", "had", "expected"),
    [
        # the place typed again: no count, nothing new
        ("Stadshuset plan 4", "Stadshuset plan 4", {}),
        # another place: noted
        ("Rådhuset plan 3", None, {"location": "Rådhuset plan 3"}),
        # counts, or a room that may be counted: not a place answer
        ("4", "Stadshuset plan 4", None),
        ("fyra stycken", None, None),
        ("rum 4", None, None),
    ],
)
def test_a_place_at_the_count_question_is_no_count(
    text: str, had: str | None, expected: dict[str, str] | None
) -> None:
    found = _where_not_how_many(text, FURNITURE, _slots(requested_slot="quantity", location=had))
    assert found == expected


@pytest.mark.parametrize(
    ("text", "had", "expected"),
    [
        ("10 flaskor", None, {"quantity": "10"}),
        ("ca 20 st", None, {"quantity": "20"}),
        ("tre kartonger", None, {"quantity": "3"}),
        ("typ 30 av varje", None, {"quantity": "30"}),  # two things, as many of each
        ("ungefär 5 av dem", None, {"quantity": "5"}),
        ("10 flaskor", "10", {}),  # the count it already has: nothing new
        # a place, or a floor, is no count
        ("Storgatan 12", None, None),
        ("2 tr", None, None),
        ("plan 3", None, None),
        ("Rådhuset, 10 flaskor till hemtjänsten", None, None),
    ],
)
def test_a_count_at_the_place_question_is_no_place(
    text: str, had: str | None, expected: dict[str, str] | None
) -> None:
    found = _how_many_not_where(text, FURNITURE, _slots(requested_slot="location", quantity=had))
    assert found == expected


def test_a_count_at_the_place_question_of_an_order_that_counts_nothing_may_be_a_place() -> None:
    uncounted = ServiceInfo(
        code="LOK-01", kind="fault", category="Lokalvård", name="Felanmälan lokalvård",
        description="", price_sek=Decimal(0), price_unit="", performer="Lokalvården",
        sla_hours=24, order_fields=("location", "description"), keywords=(),
    )  # fmt: skip
    assert _how_many_not_where("10 flaskor", uncounted, _slots(requested_slot="location")) is None


def test_people_counted_at_the_place_question_are_the_order_s_people() -> None:
    both = ServiceInfo(
        code="KNF-02", kind="order", category="Konferens", name="Fika till möte",
        description="", price_sek=Decimal(45), price_unit="kr per person", performer="Köket",
        sla_hours=48, order_fields=("location", "quantity", "participants"), keywords=(),
    )  # fmt: skip
    at_place = _slots(requested_slot="location")
    assert _how_many_not_where("8 personer", both, at_place) == {"participants": "8"}
    assert _how_many_not_where("8 termosar", both, at_place) == {"quantity": "8"}


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("vi har nästan inga handskar kvar.", "vi har nästan inga handskar kvar."),
        ("vi har nästan inga handskar kvar", "vi har nästan inga handskar kvar."),
        ("kan ni komma idag?", "kan ni komma idag?"),
        ("det är bråttom! ", "det är bråttom!"),
    ],
)
def test_a_description_ends_in_one_stop_before_an_addition(text: str, joined: str) -> None:
    assert _one_stop(text) == joined


def _contact(text: str, note: str | None = None) -> tuple[dict[str, Any] | None, list[str]]:
    from actions._dialogue import Turn
    from actions.order_form import _contact_asked

    service = ServiceInfo(
        code="MOB-03", kind="order", category="Möbler", name="Reparation av möbler",
        description="", price_sek=Decimal(550), price_unit="kr per timme",
        performer="Omlastningscentralen", sla_hours=120, order_fields=("location",),
        keywords=(), fields=(),
    )  # fmt: skip
    tracker = Tracker.from_dict(
        {"sender_id": "test", "slots": {"note": note}, "latest_message": {"text": text},
         "events": [], "active_loop": {"name": "service_form"}}
    )  # fmt: skip
    dispatcher = CollectingDispatcher()
    found = _contact_asked(Turn(text, "out_of_scope", 0.5), service, tracker, dispatcher)
    return found, [m["response"] for m in dispatcher.messages]


def test_a_wish_to_be_called_first_goes_into_the_order_and_is_confirmed() -> None:
    found, said = _contact("Kan den som ska laga det ringa mig innan? Hur når jag dem?")
    assert found == {"note": "Kontakta beställaren innan ni kommer."}
    assert said == ["utter_digression_call_first"]
    # said again, it is not written twice; beside another note it is added
    assert _contact("ring mig innan ni kommer", "Kontakta beställaren innan ni kommer.")[0] == {}
    found, _ = _contact("ring mig innan ni kommer", "Porten är låst")
    assert found == {"note": "Porten är låst. Kontakta beställaren innan ni kommer."}


def test_how_to_reach_the_deliverer_is_answered_and_nothing_is_noted() -> None:
    assert _contact("hur når jag dem?") == ({}, ["utter_digression_contact"])
    # anything else is no such question
    assert _contact("Stadshuset rum 312") == (None, [])


def test_a_value_said_wrong_in_one_sentence_of_several_is_swapped() -> None:
    from actions._dialogue import Turn
    from actions.order_form import _swapped_in_clauses

    said = "nej, det ska vara Malmö, inte Lund. och vi blir tre"
    found = _swapped_in_clauses(Turn(said, "inform", 0.9), {"destination": "Lund"})
    assert found == {"destination": "Malmö"}


FAULT = ServiceInfo(
    code="FAS-01", kind="fault", category="Fastighet", name="Felanmälan fastighet",
    description="Fel i byggnad", price_sek=Decimal(0), price_unit="ingår i hyran",
    performer="Fastighetsförvaltningen", sla_hours=48, order_fields=("location", "description"),
    keywords=(),
)  # fmt: skip


def _added(text: str, **slots: Any) -> tuple[dict[str, Any], list[str]]:
    from actions._dialogue import Turn
    from actions.order_form import _addition

    tracker = Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": {"requested_slot": "confirmed", **slots},
            "latest_message": {"text": text, "intent": {"name": "inform"}},
            "events": [],
            "active_loop": {"name": "service_form"},
        }
    )
    dispatcher = CollectingDispatcher()
    found = _addition(Turn(text, "inform", 1.0), FAULT, tracker, dispatcher)
    return found, [m["response"] for m in dispatcher.messages]


def test_the_place_typed_again_at_the_summary_adds_nothing() -> None:
    slots = {"location": "Kulturhuset plan 2", "description": "Fläkten drar inte"}
    assert _added("kulturhuset, plan 2", **slots) == ({}, ["utter_already_in_order"])
    assert _added("fläkten drar inte", **slots) == ({}, ["utter_already_in_order"])
    # something new is added to the description
    found, said = _added("det luktar os i hela köket", **slots)
    assert found == {"description": "Fläkten drar inte. Det luktar os i hela köket"}
    assert said == ["utter_added_to_description"]
