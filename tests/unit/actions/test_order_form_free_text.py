"""Free-text details (place, destination, description) take words, not a bare yes or no."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.order_form import ValidateServiceForm, with_room


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
        ("stolen är trasig", False),
        ("min förra stol var bättre, vi behöver en ny", False),
        ("vi behöver också en ny stol", False),
    ],
)
def test_a_question_about_an_earlier_ticket_is_no_new_need(text: str, earlier: bool) -> None:
    from actions._dialogue import _EARLIER_TICKET

    assert bool(_EARLIER_TICKET.search(text)) is earlier
