"""Pieces of a turn read in this session's cases: a second need after a question, a change
and a need in one message at the summary, a detail said wrong with a reason first, and a
need's details kept apart from another need's words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from actions._desk import ServiceInfo
from actions._dialogue import (
    _WHAT_COST_CENTRE,
    Turn,
    answer_and_more,
    named_fields,
    named_value,
    relative_count,
)
from actions._fields import number_already_given, number_for_another
from actions.matching import (
    _A_THING_START,
    _ASIDE,
    _COUNTED_THINGS,
    _WE_HAVE_THINGS,
    _WHOSE_THING,
    _own_line,
    _tells,
    need_parts,
    start_order,
)
from actions.order_form import _change_then_need, _how_many_not_where

COST = {
    "key": "kostnadsstalle", "label": "Kostnadsställe", "type": "text",
    "question": "Vilket kostnadsställe (ansvar) ska belastas? Skriv numret, till exempel 4410.",
}  # fmt: skip
CLEANING = ServiceInfo(
    code="LOK-02", kind="order", category="Lokalvård", name="Extra städning", description="",
    price_sek=Decimal(0), price_unit="", performer="Lokalvård", sla_hours=72,
    order_fields=("location", "date", "description", "kostnadsstalle"), keywords=(),
    fields=(COST,),
)  # fmt: skip
SUPPORT = ServiceInfo(
    code="KNF-04", kind="order", category="Konferens", name="Teknisk mötessupport",
    description="", price_sek=Decimal(650), price_unit="kr per timme", performer="Konferens",
    sla_hours=48, order_fields=("date", "time", "location", "description"), keywords=(),
)  # fmt: skip


def _turn(text: str) -> Turn:
    return Turn(text=text, intent="inform", confidence=0.9)


def test_a_need_of_its_own_after_a_question_is_a_part_of_its_own() -> None:
    text = (
        "Kan jag boka ett mötesrum i Kommunhuset onsdag kl 9 för 14 personer? "
        "Vi vill gärna ha fika till det mötet också."
    )
    parts = need_parts(text)
    assert any(part.startswith("Vi vill gärna ha fika") for part in parts)
    # What is said of the thing asked for, after the question, is no need of its own.
    for said in (
        "Kan ni hämta två soffor på Kulturhuset? Vi behöver dem borta i övermorgon.",
        "Kan jag boka ett rum på torsdag? Jag behöver det kl 9.",
    ):
        assert len(need_parts(said)) == 1, said


@pytest.mark.parametrize(
    ("text", "change", "need"),
    [
        (
            "Nästan, vi blir 18 och inte 15. Och så vill vi ha kaffe och bullar till mötet också.",
            "Nästan, vi blir 18 och inte 15.",
            "Och så vill vi ha kaffe och bullar till mötet också.",
        ),
        ("nej, tiden ska vara 13. Vi behöver även en projektor.", "nej, tiden ska vara 13.",
         "Vi behöver även en projektor."),
    ],
)  # fmt: skip
def test_a_change_then_a_need_in_a_sentence_of_its_own_are_taken_apart(
    text: str, change: str, need: str
) -> None:
    split = _change_then_need(_turn(text))
    assert split is not None
    assert (split[0].text, split[1].text) == (change, need)


@pytest.mark.parametrize(
    "text",
    [
        "ja. och så behöver vi fika också",  # nothing changed before the need
        "vi blir 18 och vill ha fika också",  # one sentence: read as a whole
        "nej, vi blir 18. Tack så mycket!",  # no need after the change
    ],
)
def test_no_change_then_need_split_where_there_is_none(text: str) -> None:
    assert _change_then_need(_turn(text)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fel ansvar, jag kastade om siffrorna. 4183 ska det vara.", ("kostnadsstalle", "4183")),
        ("fel ansvar, jag kastade om siffrorna. Det ska vara 4183", ("kostnadsstalle", "4183")),
        ("fel datum, vi har möte då. det ska vara fredag", ("date", "fredag")),
        ("fel ansvar, jag skrev fel. 4401 ska det vara.", ("kostnadsstalle", "4401")),
    ],
)
def test_a_detail_said_wrong_with_a_reason_first_takes_the_value_after(
    text: str, expected: tuple[str, str]
) -> None:
    assert named_value(_turn(text), CLEANING) == expected


def test_a_wrong_detail_and_a_reason_without_a_value_changes_nothing() -> None:
    assert named_value(_turn("fel ansvar, jag kastade om siffrorna."), CLEANING) is None


def _slots(events: list[Any]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_another_need_s_time_in_the_same_sentence_is_not_this_need_s() -> None:
    text = (
        "Vi har planeringsdag för 18 personer i Kommunhuset sal 2 onsdag nästa vecka kl 9. "
        "Vi behöver en tekniker som hjälper oss med ljudet under dagen, och lunch till alla kl 12."
    )
    own = "Vi behöver en tekniker som hjälper oss med ljudet under dagen"
    lunch = "lunch till alla kl 12"
    assert _slots(start_order(SUPPORT, text, own_part=own))["time"] == "12:00"  # as it was
    slots = _slots(start_order(SUPPORT, text, own_part=own, other_parts=[lunch]))
    assert slots["time"] == "09:00"
    assert slots["date"] is not None  # the day said for the whole day is still carried


def test_a_place_said_outside_the_other_needs_words_stays_this_need_s() -> None:
    moving = ServiceInfo(
        code="TRA-02", kind="order", category="Transport", name="Flytthjälp", description="",
        price_sek=Decimal(590), price_unit="kr per timme", performer="Transport", sla_hours=168,
        order_fields=("location", "destination", "date", "description"), keywords=(),
    )  # fmt: skip
    text = (
        "Hej! Vi på ekonomienheten flyttar från Tornhuset till Medborgarhuset fredag nästa "
        "vecka. Vi behöver hjälp med själva flytten, fyra passerkort till Medborgarhuset och "
        "en extra städning av våra gamla rum i Tornhuset när vi har flyttat ut."
    )
    others = [
        "fyra passerkort till Medborgarhuset",
        "en extra städning av våra gamla rum i Tornhuset när vi har flyttat ut.",
    ]
    own = "Vi behöver hjälp med själva flytten"
    slots = _slots(start_order(moving, text, own_part=own, other_parts=others))
    assert (slots["location"], slots["destination"]) == ("Tornhuset", "Medborgarhuset")


def test_a_bare_number_at_a_question_that_asks_for_none_answers_the_one_that_does() -> None:
    allergies = {
        "key": "allergier", "label": "Allergier och specialkost", "type": "text",
        "required": False,
        "question": "Finns det allergier eller specialkost att ta hänsyn till? Skriv vilka.",
    }  # fmt: skip
    fika = ServiceInfo(
        code="KNF-02", kind="order", category="Konferens", name="Fika till möte",
        description="", price_sek=Decimal(35), price_unit="kr per person",
        performer="Konferens", sla_hours=48,
        order_fields=("date", "time", "participants", "location", "allergier", "kostnadsstalle"),
        keywords=(), fields=(allergies, COST),
    )  # fmt: skip
    assert number_for_another(allergies, "4410", fika, {}) == ("field_2", COST)
    # Not once that detail is answered, not for words, not at the question that asks for it.
    assert number_for_another(allergies, "4410", fika, {"field_2": "5120"}) is None
    assert number_for_another(allergies, "två glutenfria", fika, {}) is None
    assert number_for_another(COST, "4410", fika, {}) is None
    # Answered already (carried from the order before): no answer to the allergy question.
    assert number_already_given(allergies, "4410", fika, {"field_2": "6210"}) == (COST, "6210")
    assert number_already_given(allergies, "4410", fika, {}) is None
    assert number_already_given(allergies, "två glutenfria", fika, {"field_2": "6210"}) is None


@pytest.mark.parametrize(
    ("text", "taken"),
    [("Stadshuset sal 3", False), ("rum 214", False), ("4410", True), ("ansvar 4410", True)],
)
def test_a_place_is_no_answer_where_a_number_is_asked_for(text: str, taken: bool) -> None:
    from datetime import date

    from actions._fields import read_answer

    value, problem = read_answer(COST, text, date(2026, 12, 6))
    assert (value is not None) is taken
    assert (problem is not None and "plats" in problem) is (not taken)


# -- fourth 2026-12-06 session ---------------------------------------------------------------

WINDOWS = ServiceInfo(
    code="LOK-04", kind="order", category="Lokalvård", name="Fönsterputs", description="",
    price_sek=Decimal(45), price_unit="kr per fönster", performer="Lokalvård", sla_hours=336,
    order_fields=("location", "date", "quantity", "kostnadsstalle"), keywords=(),
    fields=(COST,),
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("datum och antal", ["date", "quantity"]),
        ("nej, ändra datum och antal", ["date", "quantity"]),
        ("platsen, datumet", ["location", "date"]),
        ("datumet", ["date"]),
        ("datum och kostnadsställe", ["date", "kostnadsstalle"]),
        ("datum och något annat", []),
        ("tack så mycket", []),
    ],
)
def test_details_named_at_what_to_change_are_each_asked_again(
    text: str, expected: list[str]
) -> None:
    assert named_fields(_turn(text), WINDOWS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nej, det är 34 fönster, och så vill vi ha en extra städning av läsesalen", {}),
        ("vi tar två extra fönster", {"quantity": "32"}),
        ("lägg till ett extra", {"quantity": "31"}),
    ],
)
def test_an_extra_thing_is_no_count_added(text: str, expected: dict[str, str]) -> None:
    assert relative_count(_turn(text), WINDOWS, {"quantity": "30"}) == expected


def test_a_change_then_a_need_in_a_clause_of_its_own_are_taken_apart() -> None:
    text = "nej, det är 34 fönster, och så vill vi ha en extra städning av läsesalen samma dag"
    split = _change_then_need(_turn(text))
    assert split is not None
    change, need = split
    assert change.text == "nej, det är 34 fönster"
    assert need.text == "och så vill vi ha en extra städning av läsesalen samma dag"


@pytest.mark.parametrize(
    "text",
    [
        "har ni förresten fått min felanmälan om dörren från förra veckan? Jag har inte hört nåt",
        "kan ni förresten säga vad det kostar per timme ungefär?",
        "hur går det förresten med mitt förra ärende om lampan?",
    ],
)
def test_a_question_with_an_afterthought_inside_is_no_answer_then_more(text: str) -> None:
    assert answer_and_more(text) is None


def test_an_answer_then_an_afterthought_is_still_taken_apart() -> None:
    assert answer_and_more("Rådhuset rum 2. förresten, vad kostar det?") == (
        "Rådhuset rum 2",
        "förresten, vad kostar det?",
    )


class _Slots:
    def __init__(self, **slots: Any) -> None:
        self._slots = slots

    def get_slot(self, name: str) -> Any:
        return self._slots.get(name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("det är 40 fönster totalt", {"quantity": "40"}),
        ("40 fönster", {"quantity": "40"}),
        ("ungefär 25 st", {"quantity": "25"}),
        ("12 mars", None),
        ("2 veckor", None),
        ("plan 4", None),
        ("tisdag nästa vecka", None),
    ],
)
def test_a_count_said_where_a_day_or_place_is_asked(
    text: str, expected: dict[str, str] | None
) -> None:
    assert _how_many_not_where(text, WINDOWS, _Slots()) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("part", "tells"),
    [
        ("barnen fryser när de sover middag", True),
        ("ett tjugotal barn fick bara smörgås till lunch", True),
        ("vi ska laga lunch till 300 elever om en timme", True),
        ("maten räckte inte", True),
        ("fika till 12 på torsdag", False),
        ("lunch till 15 personer", False),
    ],
)
def test_a_part_that_tells_is_told_from_one_that_names_things(part: str, tells: bool) -> None:
    assert _tells(part) is tells


def test_a_line_of_a_list_is_its_own() -> None:
    text = "tre grejer\n- dörren går inte att låsa\n- det är halt vid entrén, måste sandas"
    assert _own_line(text, "det är halt vid entrén")
    assert not _own_line(text, "måste sandas")
    assert not _own_line("dörren går inte att låsa, det är halt vid entrén", "det är halt")


def test_an_aside_that_tells_is_left_out_of_the_needs() -> None:
    said = "jag behöver 3 datorer, 2 mobiler (den tredje har redan en egen) och en kurs (Excel)"
    kept = _ASIDE.sub(lambda m: "" if _tells(m["aside"]) else m[0], said)
    assert kept == "jag behöver 3 datorer, 2 mobiler och en kurs (Excel)"


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (_WHOSE_THING, "veckans meny", True),
        (_WHOSE_THING, "fika till 12", False),
        (_WE_HAVE_THINGS, "vi har tre gamla bokhyllor", True),
        (_WE_HAVE_THINGS, "vi har möte på torsdag", False),
        (_A_THING_START, "ett skrivbord som bara står i vägen", True),
        (_A_THING_START, "kan någon komma och ta dem", False),
        (_COUNTED_THINGS, "ungefär 12 arbetsplatser med skrivbord och hyllor", True),
        (_COUNTED_THINGS, "få tre gamla skåp hämtade", False),
    ],
)
def test_things_that_are_more_of_the_need_before(pattern: Any, text: str, matches: bool) -> None:
    assert (pattern.match(text) is not None) is matches


PARTICIPANTS = ServiceInfo(
    code="KNF-02", kind="order", category="Konferens", name="Fika till möte", description="",
    price_sek=Decimal(35), price_unit="kr per person", performer="Konferensservice",
    sla_hours=48, order_fields=("date", "time", "participants", "location"), keywords=(),
)  # fmt: skip


def test_a_number_denied_before_utan_is_replaced_by_the_one_after() -> None:
    from actions._dialogue import number_swapped

    values = {"participants": "12", "location": "Kommunhuset"}
    assert number_swapped(_turn("nej inte 12 utan 15, vi fick tre till"), PARTICIPANTS, values) == {
        "participants": "15"
    }
    # a number that no detail has is no change of it
    assert number_swapped(_turn("inte 14 utan 15"), PARTICIPANTS, values) == {}


def test_a_place_swapped_in_a_sentence_after_why() -> None:
    from actions._dialogue import swapped

    values = {"location": "Solhaga äldreboende"}
    said = "nej vänta, jag skrev fel ställe. det är Norrgårdens äldreboende, inte Solhaga"
    assert swapped(_turn(said), values) == {"location": "Norrgårdens äldreboende"}
    # a wrong word in no detail changes nothing
    assert swapped(_turn("jag skrev fel. det är Norrgården, inte Ekbacken"), values) == {}


def test_a_detail_said_to_be_wrong_is_no_value() -> None:
    from actions._dialogue import _PLACE_CUE, _says_wrong

    assert _says_wrong("blev fel, de ska sitta i Medborgarhuset")
    assert _says_wrong("fel")
    assert not _says_wrong("Medborgarhuset")
    assert _PLACE_CUE.search("och platsen blev fel, de ska sitta i medborgarhuset")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # things an act is done to are one need
        ("vi vill ha en grundlig rengöring av hela huset, golv, väggar, skåp och lampor",
         ["vi vill ha en grundlig rengöring av hela huset"]),
        # things helped with are one need
        ("behöver ett rum och nån som hjälper till med projektorn och teams",
         ["behöver ett rum", "nån som hjälper till med projektorn och teams"]),
        # a lead line whose list follows on lines of their own
        ("hej behöver till styrgruppsmötet onsdag kl 9\n- ett konferensrum för 14 personer\n"
         "- fika", ["ett konferensrum för 14 personer", "fika"]),
        # a list of needs stays a list
        ("Jag behöver en dator, en mobiltelefon och ett konto",
         ["Jag behöver en dator", "en mobiltelefon", "ett konto"]),
    ],
)  # fmt: skip
def test_what_a_list_is_of(text: str, parts: list[str]) -> None:
    from actions.matching import marked_parts

    assert [part for part, _ in marked_parts(text)] == parts


@pytest.mark.parametrize(
    ("sentence", "scene"),
    [
        ("Elementen i klassrum 12 är iskalla, barnen sitter med jackorna på och föräldrarna "
         "har börjat ringa.", False),
        ("En ny medarbetare börjar hos oss på måndag.", True),
    ],
)  # fmt: skip
def test_a_fault_told_first_is_no_scene(sentence: str, scene: bool) -> None:
    from actions.matching import _only_the_scene

    assert _only_the_scene(sentence) is scene


@pytest.mark.parametrize(
    ("part", "develops"),
    [
        ("vattnet har börjat rinna ut i korridoren", True),
        ("och det har hunnit bli en stor pöl", True),
        ("lampan i hallen blinkar", False),
        ("vi har börjat", False),
    ],
)
def test_how_a_fault_has_gone_on(part: str, develops: bool) -> None:
    from actions.matching import _DEVELOPS

    assert (_DEVELOPS.match(part) is not None) is develops


def test_a_room_other_than_the_orders_place_describes_the_order() -> None:
    from actions.matching import describes_something

    said = "extrastädning av sammanträdesrummet efter mötet fredag nästa vecka"
    assert describes_something(said, CLEANING, "kansliet i kommunhuset")
    # the order's own place, a day and the service's name say nothing more
    room = "sammanträdesrummet"
    assert not describes_something(f"extra städning av {room}", CLEANING, room)
    assert not describes_something("extra städning på fredag", CLEANING, "kansliet")


def test_the_things_announced_mid_message_follow_the_colon() -> None:
    from actions.matching import _past_the_scene

    text = (
        "Vi hade inspektion förra veckan och det gick bra, men hon anmärkte på två saker som "
        "jag inte kan fixa själv: fett bakom maskinerna behöver göras rent, och utsuget drar "
        "knappt längre."
    )
    assert _past_the_scene(text).startswith("fett bakom maskinerna")
    # a count of things that is no list ("tre fel på skrivaren:") needs words after it
    assert _past_the_scene("Det finns två fel: se ovan") == "Det finns två fel: se ovan"


@pytest.mark.parametrize(
    ("part", "thing"),
    [
        ("och så har vi inga whiteboardpennor kvar i klassrummet", "whiteboardpennor"),
        ("Vi har inte ett enda kollegieblock kvar", "kollegieblock"),
        ("vi har slut på hårnät", "hårnät"),
        ("det finns inga lediga rum på torsdag", "lediga rum"),
        ("lampan i hallen blinkar", None),
    ],
)
def test_the_thing_run_out_of(part: str, thing: str | None) -> None:
    from actions.matching import _LACKED

    found = _LACKED.search(part)
    assert (found["thing"] if found else None) == thing


@pytest.mark.parametrize(
    ("part", "enough"),
    [("2 paket skulle räcka.", True), ("ett tiotal räcker", True), ("2 paket till köket", False)],
)
def test_how_many_would_do_is_a_count(part: str, enough: bool) -> None:
    from actions.matching import _ENOUGH

    assert (_ENOUGH.fullmatch(part) is not None) is enough


@pytest.mark.parametrize(
    ("part", "only"),
    [
        ("Hej", True),
        ("det är Leila i mottagningsköket på Björnbärets förskola", True),
        ("Jag är vaktmästare på Norrskolan", True),
        ("Maten från centralköket kom en timme för sent", False),
    ],
)
def test_a_greeting_or_who_writes(part: str, only: bool) -> None:
    from actions.matching import _greets_or_introduces

    assert _greets_or_introduces(part) is only


@pytest.mark.parametrize(
    ("part", "so"),
    [
        ("och det luktar", True),
        ("den gnisslar fortfarande", True),
        ("det behövs nya", False),  # a need said of it
        ("det regnar in genom taket i matsalen", False),  # a thing and a place of its own
    ],
)
def test_a_short_clause_about_it_and_how_it_is(part: str, so: bool) -> None:
    from actions.matching import _IT_IS_SO

    assert (_IT_IS_SO.match(part) is not None) is so


@pytest.mark.parametrize(
    ("part", "there"),
    [
        ("11 pers i lilla mötesrummet på solrosens förskola", True),
        ("tolv deltagare", True),
        ("11 pers", True),
        ("11 stolar till aulan", False),  # things, not people
    ],
)
def test_how_many_people_and_where(part: str, there: bool) -> None:
    from actions.matching import _PEOPLE_THERE

    assert (_PEOPLE_THERE.fullmatch(part) is not None) is there


def test_a_lack_said_with_finns_varken_is_two_parts() -> None:
    from actions.matching import marked_parts

    parts = marked_parts(
        "på Kvarnbacksskolan har vi slut på kopieringspapper, och på personaltoaletten finns "
        "varken tvål eller pappershanddukar kvar"
    )
    assert [p for p, _ in parts][-2:] == [
        "på personaltoaletten behöver tvål",
        "behöver pappershanddukar",
    ]


def test_a_thing_listed_with_what_it_is_to_do_is_a_part_of_its_own() -> None:
    from actions.matching import marked_parts

    parts = marked_parts(
        "Jag behöver en bil i morgon kl 9, och ett bud som hämtar en kartong på Medborgarhuset"
    )
    assert ("ett bud som hämtar en kartong på Medborgarhuset", True) in parts


def test_a_thing_that_does_not_work_with_words_between() -> None:
    from actions._dialogue import need_cue

    assert need_cue("och så går altandörren till gården inte att stänga ordentligt")
    assert need_cue("dörren går inte att låsa")


@pytest.mark.parametrize(
    ("low", "what_it_is"),
    [
        ("vad är ett kostnadsställe? jag är ny och vet inte vad jag ska skriva", True),
        ("vad menas med ansvar?", True),
        ("var hittar jag mitt kostnadsställe?", True),
        ("vad blir kostnaden?", False),
        ("kostnadsstället är 5410", False),
    ],
)
def test_a_question_about_what_a_cost_centre_is(low: str, what_it_is: bool) -> None:
    # (asked before the price: "kostnadsställe" is a word of cost too)
    assert (_WHAT_COST_CENTRE.search(low) is not None) is what_it_is
