"""A detail named with its new value ("ändra tiden till 13", "namnet ska vara …")."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from actions._desk import ServiceInfo
from actions._dialogue import (
    Turn,
    describe_changes,
    find_corrections,
    has_correction_cue,
    listed_names,
    named_field,
    named_fields,
    named_then_value,
    named_value,
    number_swapped,
    place_stated,
    relative_count,
    relative_moment,
    respelled,
    restated,
    swapped,
    value_first,
    which_place,
    with_building,
)

KEYS = ServiceInfo(
    code="FAS-05", kind="order", category="Fastighet", name="Nycklar och passerkort",
    description="", price_sek=Decimal(250), price_unit="kr per kort", performer="Fastighet",
    sla_hours=72, order_fields=("location", "quantity", "description", "namn", "kostnadsstalle"),
    keywords=(),
    fields=(
        {"key": "namn", "label": "Namn på kortinnehavare", "type": "text"},
        {"key": "kostnadsstalle", "label": "Kostnadsställe", "type": "text"},
    ),
)  # fmt: skip
CAR = ServiceInfo(
    code="TRA-03", kind="order", category="Transport", name="Bilpool", description="",
    price_sek=Decimal(60), price_unit="kr per timme", performer="Transportenheten",
    sla_hours=2, order_fields=("date", "time", "location", "participants"), keywords=(),
)  # fmt: skip


def turn(text: str) -> Turn:
    return Turn(text=text, intent="inform", confidence=0.9)


@pytest.mark.parametrize(
    ("service", "text", "expected"),
    [
        (CAR, "ändra tiden till 13", ("time", "13")),
        (CAR, "datumet ska vara fredag istället", ("date", "fredag")),
        (CAR, "nej, antal personer ska vara 5", ("participants", "5")),
        (CAR, "antal resenärer ska vara 3", ("participants", "3")),
        (KEYS, "namnet ska vara Lena Berg, inte Lena Borg", ("namn", "Lena Berg")),
        (KEYS, "kostnadsstället ska vara 4410", ("kostnadsstalle", "4410")),
        (KEYS, "rättelse, kostnadsstället ska vara 6120", ("kostnadsstalle", "6120")),
        (
            KEYS,
            "nej, leveransen ska till Stadsbiblioteket plan 2, inte kulturhuset",
            ("location", "Stadsbiblioteket plan 2"),
        ),
        (
            KEYS,
            "det ska levereras till Lärkans förskola istället, inte Ekbacken",
            ("location", "Lärkans förskola"),
        ),
        (CAR, "det ska till Rådhuset", ("location", "Rådhuset")),
        (KEYS, "platsen är rum 214", ("location", "rum 214")),
        (KEYS, "beskrivningen ska vara: två nya lärare", ("description", "två nya lärare")),
        (KEYS, "beskrivning: två nya lärare", ("description", "två nya lärare")),
        # A detail's name with a number right after it, as one clause of a longer change.
        (KEYS, "och kostnadsställe 6130", ("kostnadsstalle", "6130")),
        (KEYS, "antal 36", ("quantity", "36")),
        # An apology after the value is no part of it.
        (KEYS, "Kostnadsställe 4131, jag skrev fel", ("kostnadsstalle", "4131")),
        (KEYS, "kostnadsställe 4131. förlåt!", ("kostnadsstalle", "4131")),
        # "fel X, vi behöver Y": what is wrong, then what is needed.
        (KEYS, "fel antal, vi behöver sex", ("quantity", "sex")),
    ],
)
def test_a_detail_named_with_its_new_value(
    service: ServiceInfo, text: str, expected: tuple[str, str]
) -> None:
    assert named_value(turn(text), service) == expected


@pytest.mark.parametrize(
    ("service", "text"),
    [
        (CAR, "tiden till mötet räcker inte"),  # "till" changes only after "ändra"
        (CAR, "vi blir 18 inte 14"),  # no detail named: the count rules read this
        (KEYS, "beställningen är viktig"),  # not a detail of this service
        (CAR, "namnet ska vara Lena Berg"),  # this service has no name field
    ],
)
def test_no_named_value(service: ServiceInfo, text: str) -> None:
    assert named_value(turn(text), service) is None


def test_a_correction_cue() -> None:
    assert has_correction_cue(turn("nej, det ska vara 4 stolar"))
    assert not has_correction_cue(turn("Storgatan 5, plan 2"))


def test_changes_are_described_with_swedish_labels() -> None:
    text = describe_changes({"participants": "20", "field_1": "Lena Berg"}, KEYS)
    assert text == "antal personer till 20 och namn på kortinnehavare till Lena Berg"


CLEANING = ServiceInfo(
    code="LOK-03", kind="order", category="Lokalvård", name="Storstädning", description="",
    price_sek=Decimal(0), price_unit="", performer="Lokalvård", sla_hours=240,
    order_fields=("location", "date", "description"), keywords=(),
)  # fmt: skip
TRAIN = ServiceInfo(
    code="RES-01", kind="order", category="Resor", name="Tjänsteresa", description="",
    price_sek=Decimal(0), price_unit="", performer="Resebyrån", sla_hours=48,
    order_fields=("destination", "date", "return_date", "participants"), keywords=(),
)  # fmt: skip
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.mark.parametrize(
    ("service", "text", "expected"),
    [
        (CLEANING, "nej, Västerskolan, hus C", {"location": "Västerskolan, hus C"}),
        (CLEANING, "Västerskolan, hus C ska det vara", {"location": "Västerskolan, hus C"}),
        (CLEANING, "jaha, då får det bli om en månad", {"date": "2026-12-30"}),
        (TRAIN, "nej, Malmö ska jag till, inte Lund", {"destination": "Malmö"}),
        (TRAIN, "nej, vi åker till Malmö", {"destination": "Malmö"}),
        (CLEANING, "golven ska det vara fokus på", {}),
        (CLEANING, "fel rum, det är sal B", {"location": "sal B"}),
        (
            CLEANING,
            "fel ställe, det ska vara på Fritidsgården Stjärnan",
            {"location": "Fritidsgården Stjärnan"},
        ),
        (
            CLEANING,
            "förresten, fel förskola, det gäller förskolan Lärkan",
            {"location": "förskolan Lärkan"},
        ),
        # the meeting itself moved
        (
            CLEANING,
            "nej, mötet är flyttat till Stora salen i Kommunhuset",
            {"location": "Stora salen i Kommunhuset"},
        ),
        # A bare number: a count of people only when it can be one; never a day or a year.
        (TRAIN, "3", {"participants": "3"}),
        (TRAIN, "4410", {}),
        (CLEANING, "15", {}),
    ],
)
def test_corrections_at_the_summary_in_other_word_orders(
    service: ServiceInfo, text: str, expected: dict[str, str]
) -> None:
    assert find_corrections(turn(text), service, NOW, need_cue=False) == expected


def test_an_afterthought_is_not_part_of_the_new_value() -> None:
    said = "namnet på kortinnehavaren ska vara Lena Berg, jag stavade fel"
    assert named_value(turn(said), KEYS) == ("namn", "Lena Berg")


@pytest.mark.parametrize(
    ("old", "new", "merged"),
    [
        ("Stadshuset, sal A", "sal B", "Stadshuset, sal B"),
        ("Tallbackens äldreboende, köket på avdelning 2", "avdelning 3",
         "Tallbackens äldreboende, köket på avdelning 3"),
        ("Kommunhuset", "sal B", "sal B"),  # no part of that kind: the new place stands
        ("Stadshuset, sal A", "Rådhuset, plan 2", "Rådhuset, plan 2"),
        # "det är i sal B": the room in the place's own words
        ("Kommunhuset sal A", "i sal B", "Kommunhuset sal B"),
        # "fel rum, det är 216": a number alone is the wrong part's own
        ("Rådhuset plan 2, rum 214", "216", "Rådhuset plan 2, rum 216"),
        ("Rådhuset", "216", "216"),  # no room to change: the answer stands
    ],
)  # fmt: skip
def test_a_corrected_part_of_a_place_keeps_the_rest(old: str, new: str, merged: str) -> None:
    assert with_building({"location": new}, old, "fel rum, det är " + new) == {"location": merged}


def test_a_whole_place_restated_replaces_the_old_one() -> None:
    assert with_building({"location": "rum 108"}, "kommunhuset, rum 106", "platsen är rum 108") == {
        "location": "rum 108"
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vänta, vi blir tre fler", {"participants": "15"}),
        ("vi blir 2 färre", {"participants": "10"}),
        ("förresten, två personer till då", {"participants": "14"}),
        ("det blir tre till", {"participants": "15"}),
        ("vi blir två till förresten", {"participants": "14"}),
        ("två kollegor till ska med, Karin och Jonas, så lägg till dem", {"participants": "14"}),
        # "till" before a noun is a preposition, not an amount added.
        ("vi är 12 personer till mötet", {}),
        ("två till mötet", {}),
        ("fika till mötet", {}),
    ],
)
def test_a_count_changed_by_an_amount(text: str, expected: dict[str, str]) -> None:
    assert relative_count(turn(text), CAR, {"participants": "12"}) == expected
    # Without a count so far there is nothing to change.
    assert relative_count(turn(text), CAR, {"participants": None}) == {}


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("det är matsalen, inte aulan", {"location": "aulan på Björkskolan"},
         {"location": "matsalen på Björkskolan"}),
        ("inte aulan utan matsalen", {"location": "aulan på Björkskolan"},
         {"location": "matsalen på Björkskolan"}),
        ("fel adress, det är Storgatan 14 inte 12", {"location": "Socialkontoret, Storgatan 12"},
         {"location": "Socialkontoret, Storgatan 14"}),
        ("nej, Malmö ska jag till, inte Lund", {"destination": "Lund"}, {"destination": "Malmö"}),
        # What the detail already says after the wrong word is not said twice.
        ("nej fel lampa! det är lysröret över diskbänken som blinkar hela tiden, inte taklampan",
         {"description": "taklampan blinkar hela tiden, blir galen"},
         {"description": "lysröret över diskbänken blinkar hela tiden, blir galen"}),
        ("rummet är fel, det är 216 inte 214", {"location": "Rådhuset plan 2, rum 214"},
         {"location": "Rådhuset plan 2, rum 216"}),
        ("det ska till avdelning Linden, inte Björken",
         {"location": "Lindgården, avdelning Björken"},
         {"location": "Lindgården, avdelning Linden"}),
        ("det är i sal B, inte sal A", {"location": "Kommunhuset sal A"},
         {"location": "Kommunhuset sal B"}),
        # "till" links the place, as "i" does
        ("oj förlåt, det ska vara till Myrans förskola, inte Vikens",
         {"location": "Vikens förskola"}, {"location": "Myrans förskola"}),
        # the verb before the denied place, a preposition before both places
        ("det ska inte vara Stadshuset utan Kulturhuset", {"location": "Stadshuset"},
         {"location": "Kulturhuset"}),
        ("nej det ska inte va i Stadshuset utan i Kulturhuset", {"location": "Stadshuset"},
         {"location": "Kulturhuset"}),
        ("inte på plan 2 utan på plan 3", {"location": "Lönnskolan plan 2"},
         {"location": "Lönnskolan plan 3"}),
        # A catalogue-defined text detail: the names on key cards.
        ("nej, det ska vara Emma Lundqvist, inte Emma Lund",
         {"description": "två nya passerkort", "field_1": "Emma Lund och Karl Svensson"},
         {"field_1": "Emma Lundqvist och Karl Svensson"}),
        # The wrong word is in no detail: nothing to swap.
        ("vi vill ha kaffe, inte te", {"location": "aulan", "description": "fika"}, {}),
        ("nej, inte idag", {"location": "aulan"}, {}),
        # a count with its thing is a count, not the number of an address
        ("det ska vara 4 stolar, inte 3", {"location": "Familjecentralen, Parkvägen 3"}, {}),
    ],
)  # fmt: skip
def test_a_word_said_wrong_is_swapped_in_the_detail_that_has_it(
    text: str, values: dict[str, str], expected: dict[str, str]
) -> None:
    assert swapped(turn(text), values) == expected


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("oj jag stavade fel, Lindqvist med q ska det va",
         {"field_1": "Lena Lindkvist och Ahmed Yusuf", "location": "Solgården, avd 2"},
         {"field_1": "Lena Lindqvist och Ahmed Yusuf"}),
        ("det stavas Ekbacken, inte Eckbacken", {"location": "Eckbackens förskola"},
         {"location": "Ekbackens förskola"}),
        # The description that repeats the name changes with the names field.
        ("oj jag skrev fel namn, hon heter Lisa Berg",
         {"field_1": "Lisa Borg", "description": "passerkort till Lisa Borg som börjar",
          "location": "Ekbackens förskola"},
         {"field_1": "Lisa Berg", "description": "passerkort till Lisa Berg som börjar"}),
        # No spelling cue, or no word near enough: nothing changes.
        ("Lindqvist med q", {"field_1": "Lena Lindkvist"}, {}),
        ("jag stavade fel, Andersson", {"field_1": "Lena Lindkvist"}, {}),
    ],
)  # fmt: skip
def test_a_word_spelled_right_replaces_the_nearest_misspelled_word(
    text: str, values: dict[str, str], expected: dict[str, str]
) -> None:
    assert respelled(turn(text), values) == expected


@pytest.mark.parametrize(
    "text",
    ["förlåt, det är Malmö vi ska till, inte Göteborg", "sorry, Malmö", "Malmö, inte Lund"],
)
def test_an_apology_or_a_value_against_another_is_a_correction_cue(text: str) -> None:
    assert has_correction_cue(turn(text))


def test_a_destination_corrected_with_an_apology_under_another_question() -> None:
    text = "förlåt, det är Malmö vi ska till, inte Göteborg"
    now = datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert find_corrections(turn(text), TRAIN, now, exclude=("return_date",)) == {
        "destination": "Malmö"
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fel kostnadsställe, det ska va 7140 för det är IFO som betalar",
         ("kostnadsstalle", "7140")),
        ("nej fel namn. det är Lena Berg", ("namn", "Lena Berg")),
        # who wrote it wrong, before "fel"
        ("oj skrev fel kostnadsställe, det ska va 4410", ("kostnadsstalle", "4410")),
        ("jag har angett fel kostnadsställe 5521 ska det va", ("kostnadsstalle", "5521")),
        # the value it has and the one it should have ("inte … utan …")
        ("fel kostnadsställe, inte 4410 utan 4470", ("kostnadsstalle", "4470")),
        ("nej fel kostnadsställe inte 4410 utan 4470", ("kostnadsstalle", "4470")),
        # a dash between the detail and its value
        ("nej, fel kostnadsställe – det ska vara 6120", ("kostnadsstalle", "6120")),
        ("fel kostnadsställe — det ska va 6120", ("kostnadsstalle", "6120")),
        # "X är fel" says what is wrong, not the value; a place is read by the place rules.
        ("rummet är fel, det är 216 inte 214", None),
        ("fel adress, det är Storgatan 14 inte 12", None),
    ],
)  # fmt: skip
def test_a_detail_said_wrong_then_its_value(text: str, expected: tuple[str, str] | None) -> None:
    assert named_value(turn(text), KEYS) == expected


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("kan du ändra så det står Lina Ekström, hon heter inte Ek",
         {"field_1": "Lina Ek", "location": "Rosengården"}, {"field_1": "Lina Ekström"}),
        ("det ska stå Lena Lindqvist", {"field_1": "Lena Lindkvist och Ahmed Yusuf"},
         {"field_1": "Lena Lindqvist och Ahmed Yusuf"}),
        ("det ska stå Lina Ekström", {"field_1": "Lina Ek, Ahmed Ali"},
         {"field_1": "Lina Ekström, Ahmed Ali"}),
        # No word in common with any detail: nothing to put in.
        ("det ska stå Per Holm", {"field_1": "Lina Ek"}, {}),
    ],
)  # fmt: skip
def test_the_words_a_detail_should_read_replace_the_words_they_share(
    text: str, values: dict[str, str], expected: dict[str, str]
) -> None:
    assert restated(turn(text), values) == expected


def test_a_room_changed_instead_keeps_the_building() -> None:
    said = "byt till sal 3 istället, sal 2 är för liten för oss"
    assert with_building({"location": "sal 3"}, "Medborgarhuset, sal 2", said) == {
        "location": "Medborgarhuset, sal 3"
    }


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("nej, tre kort: Lisa Holm, Ahmed Ali och Peter Ek", "Lisa Holm och Ahmed Ali",
         {"field_1": "Lisa Holm, Ahmed Ali och Peter Ek"}),
        # No more people, or none the order has: not a new list of the same people.
        ("ja", "Lisa Holm och Ahmed Ali", {}),
        ("det är Karin Berg och Per Ek", "Lisa Holm", {}),
    ],
)  # fmt: skip
def test_more_people_listed_by_full_name_replace_the_names(
    text: str, names: str, expected: dict[str, str]
) -> None:
    assert listed_names(turn(text), KEYS, {"field_1": names}) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oj, namnen blev fel – det ska va Sara Lindqvist och Mehmet Kaya",
         ("namn", "Sara Lindqvist och Mehmet Kaya")),
        ("kostnadsstället blev fel, jag kastade om siffrorna. det ska va 5620",
         ("kostnadsstalle", "5620")),
        ("platsen ska vara Björkskolan, matsalen. festen blev flyttad dit",
         ("location", "Björkskolan, matsalen")),
    ],
)  # fmt: skip
def test_a_detail_said_to_be_wrong_and_then_its_value(text: str, expected: tuple[str, str]) -> None:
    assert named_value(turn(text), KEYS) == expected


def test_a_time_that_should_have_been_another_is_named_with_it() -> None:
    assert named_value(turn("oj tiden skulle va 13, inte 10"), CAR) == ("time", "13")


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("oj, det var fel tid – föreläsningen börjar 10, inte 9",
         {"time": "09:00", "participants": "10"}, {"time": "10:00"}),
        ("vi är 12 inte 10", {"time": "10:00", "participants": "10"}, {"participants": "12"}),
        # The wrong number is no detail's: nothing changes.
        ("vi är 12 inte 10", {"time": "10:00", "participants": "8"}, {}),
        # The wrong number first, said to be wrong, then the right one.
        ("10 var fel, det är 14 personer", {"time": "10:00", "participants": "10"},
         {"participants": "14"}),
        ("10 var fel, det är 14 personer", {"time": "10:00", "participants": "8"}, {}),
    ],
)  # fmt: skip
def test_a_number_said_against_the_one_a_detail_has(
    text: str, values: dict[str, str], expected: dict[str, str]
) -> None:
    assert number_swapped(turn(text), CAR, values) == expected


def test_the_room_one_meant_keeps_the_building() -> None:
    text = "nej förlåt, jag menade sal 3. Medborgarhuset sal 3 alltså"
    found = find_corrections(turn(text), KEYS, NOW, exclude=("kostnadsstalle",))
    assert with_building(found, "Medborgarhuset sal 2", text) == {
        "location": "Medborgarhuset sal 3"
    }


COURIER = ServiceInfo(
    code="TRA-01", kind="order", category="Transport", name="Budtransport", description="",
    price_sek=Decimal(395), price_unit="kr per leverans", performer="Transportenheten",
    sla_hours=24, order_fields=("location", "destination", "date"), keywords=(),
)  # fmt: skip


def test_what_is_denied_before_utan_is_not_the_new_value() -> None:
    text = "vänta, det ska inte till Kommunhuset utan till Björkskolan hus C"
    assert find_corrections(turn(text), COURIER, NOW) == {"destination": "Björkskolan hus C"}


def test_a_place_with_a_number_is_not_read_as_a_named_number() -> None:
    # "rum 214" is a place; the place rules read it, not the name-and-number rule.
    assert named_value(turn("rum 214"), KEYS) is None


TECHNICIAN = ServiceInfo(
    code="KNF-04", kind="order", category="Konferens", name="Teknisk mötessupport",
    description="", price_sek=Decimal(650), price_unit="kr per timme",
    performer="Konferensservice", sla_hours=48,
    order_fields=("date", "time", "location", "description", "kostnadsstalle"), keywords=(),
    fields=(
        {"key": "kostnadsstalle", "label": "Kostnadsställe", "type": "text",
         "question": "Vilket kostnadsställe (ansvar) ska belastas? Skriv numret."},
    ),
)  # fmt: skip


def test_a_field_is_named_by_the_word_its_question_gives_in_brackets() -> None:
    # "Vilket kostnadsställe (ansvar) …": "fel ansvar" names the kostnadsställe.
    text = "nej fel ansvar, det ska vara 5512. jag vände på siffrorna"
    assert named_value(turn(text), TECHNICIAN) == ("kostnadsstalle", "5512")
    # A word the question does not give names nothing.
    assert named_value(turn("nej fel konto, det ska vara 5512"), TECHNICIAN) is None


def test_the_time_said_against_a_denied_one_is_the_new_time() -> None:
    text = "just det, mötet börjar kvart i ett inte kl 1, så teknikern måste vara där då"
    assert has_correction_cue(turn(text))
    assert find_corrections(turn(text), TECHNICIAN, NOW, exclude=("location",)) == {"time": "12:45"}


@pytest.mark.parametrize(
    ("text", "before", "expected"),
    [
        ("vänta, det blir bara jag, kollegan kan inte följa med", "2", {"participants": "1"}),
        ("nej det blir bara vi tre", "5", {"participants": "3"}),
        ("det blir bara jag", "1", {}),  # already so
        ("det är bara jag som vet koden", "2", {}),  # not the company
        ("vi blir bara jag och Anna", "3", {}),  # two, said by name: not read here
    ],
)
def test_only_me_or_only_us_is_the_number_of_people(
    text: str, before: str, expected: dict[str, str]
) -> None:
    assert relative_count(turn(text), CAR, {"participants": before}) == expected


def test_a_detail_said_wrong_then_its_value_then_ska_det_va() -> None:
    assert named_value(turn("fel kostnadsställe 5521 ska det va"), TECHNICIAN) == (
        "kostnadsstalle",
        "5521",
    )


def test_a_lead_in_before_a_named_detail_keeps_the_correction() -> None:
    text = "innan jag glömmer, tiden ska va halv två inte ett"
    assert has_correction_cue(turn(text))
    assert named_value(turn(text), TECHNICIAN) == ("time", "halv två")


def test_a_new_place_that_says_its_building_replaces_the_whole_place() -> None:
    text = "nej, det ska va på Kommunhuset plan 4, inte plan 3"
    assert swapped(turn(text), {"location": "Kommunhuset plan 3"}) == {
        "location": "Kommunhuset plan 4"
    }
    # A new word for part of the place keeps the rest.
    assert swapped(turn("det är matsalen, inte aulan"), {"location": "aulan på Björkskolan"}) == {
        "location": "matsalen på Björkskolan"
    }


def test_a_word_said_wrong_is_found_in_a_clause_of_its_own() -> None:
    from actions.order_form import _swapped_in_clauses

    values = {"destination": "Göteborg", "location": "Rådhuset", "description": None}
    turn = Turn("nej vi är 3 som åker, och det är Malmö inte Göteborg", "inform", 1.0)
    assert _swapped_in_clauses(turn, values) == {"destination": "Malmö"}
    assert _swapped_in_clauses(Turn("nej vi är 3 som åker", "inform", 1.0), values) == {}


def test_a_count_said_first_is_no_place() -> None:
    # "4 datorer ska det vara, inte 3" at "Vad vill du ändra?": the count, never the place.
    assert value_first(turn("4 datorer ska det vara, inte 3"), KEYS) == {}
    assert value_first(turn("Stadshuset, sal B ska det vara"), KEYS) == {
        "location": "Stadshuset, sal B"
    }
    assert value_first(turn("rum 214 ska det vara"), KEYS) == {"location": "rum 214"}
    # the words that own up to a slip are no part of a place
    assert value_first(turn("äh förlåt, 24 ska det va, två i förrådet också"), KEYS) == {}
    assert value_first(turn("oj förlåt, Stadshuset sal B ska det vara"), KEYS) == {
        "location": "Stadshuset sal B"
    }


@pytest.mark.parametrize("text", ["kl 11 ska det vara", "tiden, kl 11 ska det vara"])
def test_a_time_said_first_is_no_place(text: str) -> None:
    # At "Vad vill du ändra?": the time changes, the place stays.
    assert value_first(turn(text), CAR) == {}
    assert find_corrections(turn(text), CAR, NOW, need_cue=False) == {"time": "11:00"}


def test_from_and_to_said_again_change_together() -> None:
    text = "nej fel håll, från Björkskolan till Kommunhuset"
    changes = find_corrections(turn(text), COURIER, NOW, need_cue=False)
    assert changes == {"location": "Björkskolan", "destination": "Kommunhuset"}
    values = {"location": "Kommunhuset", "destination": "Björkskolan"}
    # The place said is the old destination, yet with its own destination it stays the place.
    assert which_place(changes, values, COURIER) == changes
    assert which_place({"location": "Björkskolan"}, values, COURIER) == {
        "destination": "Björkskolan"
    }
    # Only the destination, when where from is not said again ("inte Centrum" is denied).
    text = "Förresten ska den till biblioteket i Västra, inte Centrum, jag blandade ihop dem"
    assert find_corrections(turn(text), COURIER, NOW, need_cue=False) == {
        "destination": "biblioteket i Västra"
    }


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("oj, jag menade Medborgarhuset, inte Kulturhuset",
         {"destination": "Kulturhuset", "location": "Socialkontoret"},
         {"destination": "Medborgarhuset"}),
        ("fel våning, det är Kommunhuset plan 4 och inte plan 2",
         {"location": "Kommunhuset plan 2"}, {"location": "Kommunhuset plan 4"}),
    ],
)  # fmt: skip
def test_what_was_meant_and_och_inte_swap_the_word(
    text: str, values: dict[str, str], expected: dict[str, str]
) -> None:
    assert swapped(turn(text), values) == expected


def test_a_place_denied_last_is_not_part_of_the_new_place() -> None:
    said = turn("fel våning, det är Kommunhuset plan 4 och inte plan 2")
    found = find_corrections(said, CAR, NOW, need_cue=False)
    assert found.get("location") == "Kommunhuset plan 4"


def test_where_a_car_is_fetched_is_changed_with_fran() -> None:
    said = turn("nej, det ska vara kl 9 och från Medborgarhuset")
    found = find_corrections(said, CAR, NOW, need_cue=False)
    assert found == {"time": "09:00", "location": "Medborgarhuset"}


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        # "utan" says which is new, after a lead of its own ("det var").
        ("det var inte plan 2 utan plan 3", {"location": "korridoren på plan 2 i Rådhuset"},
         {"location": "korridoren på plan 3 i Rådhuset"}),
        # The denied value first, the new one after a comma.
        ("inte Malmö, Lund", {"destination": "Malmö"}, {"destination": "Lund"}),
        # The place denied with where it goes, the new one without; a remark after it.
        ("och förlåt, det ska inte till lönnskolan utan bäckdalsskolan, jag blandade ihop dom",
         {"location": "lönnskolan"}, {"location": "bäckdalsskolan"}),
    ],
)  # fmt: skip
def test_inte_x_utan_y_and_inte_x_then_y(
    text: str, values: dict[str, str], expected: dict[str, str]
) -> None:
    assert swapped(turn(text), values) == expected


def test_a_swap_with_a_comma_stays_one_clause_beside_another_change() -> None:
    from actions.order_form import _swapped_in_clauses

    said = Turn("det är Lund, inte Malmö, och vi kommer hem på tisdag", "inform", 1.0)
    assert _swapped_in_clauses(said, {"destination": "Malmö"}) == {"destination": "Lund"}


def test_the_value_denied_first_is_not_the_new_one() -> None:
    from actions._dialogue import _without_negated

    assert _without_negated(Turn("inte torsdag, fredag", "inform", 1.0)).text == "fredag"
    assert _without_negated(Turn("fredag", "inform", 1.0)).text == "fredag"


def test_a_corrected_place_is_corrected_in_the_description_too() -> None:
    from types import SimpleNamespace

    from actions.order_form import consistent_description

    slots = {"description": "Lampan i korridoren på plan 2 i Rådhuset är trasig",
             "location": "korridoren på plan 2 i Rådhuset"}  # fmt: skip
    tracker = SimpleNamespace(get_slot=slots.get)
    changed = consistent_description(tracker, {"location": "korridoren på plan 3 i Rådhuset"})
    assert changed == {"description": "Lampan i korridoren på plan 3 i Rådhuset är trasig"}
    assert consistent_description(tracker, {"participants": "4"}) == {}


@pytest.mark.parametrize(
    ("text", "added"),
    [("och ett hotell där för en natt", True), ("och en glutenfri", True), ("smörgåsar", False)],
)
def test_a_thing_added_with_och_en_ett(text: str, added: bool) -> None:
    from actions._dialogue import _ADDED_ONE

    assert bool(_ADDED_ONE.match(text)) is added


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "nej jag tänkte fel, skrivbordet står på Kulturhuset Forum plan 2",
            "Kulturhuset Forum plan 2",
        ),
        ("skåpet står i Rådhuset plan 3 och kostnadsstället ska vara 6655", "Rådhuset plan 3"),
        ("platsen är rum 214", "rum 214"),
        # where something stands that names no building is no place of the order
        ("den står i hörnet", None),
        ("det står på lappen", None),
    ],
)  # fmt: skip
def test_a_place_stated_where_the_thing_is(text: str, place: str | None) -> None:
    assert place_stated(turn(text), KEYS) == place


def test_an_afterthought_inside_the_clause_does_not_hide_the_value() -> None:
    assert named_value(turn("Kostnadsställe ska förresten vara 6610, inte 6601"), KEYS) == (
        "kostnadsstalle",
        "6610",
    )


def test_a_corrected_count_said_in_words_is_corrected_in_the_description_too() -> None:
    from types import SimpleNamespace

    from actions.order_form import consistent_description

    slots = {"description": "Vi behöver fyra nya bokhyllor och en stege", "quantity": "4"}
    tracker = SimpleNamespace(get_slot=slots.get)
    assert consistent_description(tracker, {"quantity": "5"}) == {
        "description": "Vi behöver 5 nya bokhyllor och en stege"
    }
    one = SimpleNamespace(get_slot={"description": "en ny stol", "quantity": "1"}.get)
    assert consistent_description(one, {"quantity": "2"}) == {}  # "en" is an article too


@pytest.mark.parametrize(
    ("said", "description"),
    [
        # the correction names what it counts: only that count changes
        ("det ska vara 3 datorer, inte 2", "Två nya fritidspedagoger behöver två datorer"),
        ("3 st datorer", "Två nya fritidspedagoger behöver två datorer"),
        # a bare number, two things counted alike: which one is unknown, left as said
        ("nej, 3", None),
        # a thing the description does not count: the same
        ("nej 3 stolar", None),
    ],
)  # fmt: skip
def test_a_corrected_count_changes_only_the_count_of_its_thing(
    said: str, description: str | None
) -> None:
    from types import SimpleNamespace

    from actions.order_form import consistent_description

    slots = {"description": "Två nya fritidspedagoger behöver två datorer", "quantity": "2"}
    tracker = SimpleNamespace(get_slot=slots.get, latest_message={"text": said})
    expected = (
        {"description": description.replace("två datorer", "3 datorer")} if description else {}
    )
    assert consistent_description(tracker, {"quantity": "3"}) == expected


def test_a_corrected_count_of_people_changes_the_one_count_said() -> None:
    from types import SimpleNamespace

    from actions.order_form import consistent_description

    slots = {"description": "fika till 12 på tisdag", "participants": "12"}
    tracker = SimpleNamespace(get_slot=slots.get, latest_message={"text": "det blir 20 personer"})
    assert consistent_description(tracker, {"participants": "20"}) == {
        "description": "fika till 20 på tisdag"
    }


def test_a_place_restated_after_its_preposition() -> None:
    assert place_stated(turn("det är i Stadshuset"), CAR) == "Stadshuset"
    assert place_stated(turn("det är i morgon"), CAR) is None


def test_a_place_denied_after_the_new_one_is_no_part_of_it() -> None:
    assert which_place({"location": "Tornhuset, inte Medborgarhuset"}, {}, KEYS) == {
        "location": "Tornhuset"
    }
    assert which_place({"location": "Kommunhuset plan 4 och inte plan 2"}, {}, KEYS) == {
        "location": "Kommunhuset plan 4"
    }
    assert which_place({"location": "Rådhuset, rum Linden"}, {}, KEYS) == {
        "location": "Rådhuset, rum Linden"
    }


def test_a_number_asked_for_then_another_matter() -> None:
    from actions._fields import code_and_rest

    cost = {"key": "kostnadsstalle", "question": "Vilket kostnadsställe? Skriv numret."}
    assert code_and_rest(cost, "8810, och det var inte 40 fönster utan 44") == (
        "8810",
        "och det var inte 40 fönster utan 44",
    )
    assert code_and_rest(cost, "1450. Ska bli skönt att slippa bussen!") == (
        "1450",
        "Ska bli skönt att slippa bussen!",
    )
    assert code_and_rest(cost, "4410") is None
    assert code_and_rest(cost, "4410, tack") is None  # too short to be a matter of its own
    names = {"key": "namn", "question": "Vilka ska ha kort? Skriv namnen."}
    assert code_and_rest(names, "2 st, Lena Berg och Omar Ali") is None
    corrected = find_corrections(
        turn("och det var inte 40 fönster utan 44"),
        KEYS,
        datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("Europe/Stockholm")),
    )
    assert corrected == {"quantity": "44"}


def test_a_part_with_the_rest_of_its_sentence() -> None:
    from actions.matching import _sentence_from

    text = (
        "Vi vill beställa två skrivbord. Sen är det något knas med luften i mötesrummet, "
        "det blir jättevarmt. Tack!"
    )
    part = "Sen är det något knas med luften i mötesrummet"
    assert _sentence_from(text, part) == f"{part}, det blir jättevarmt."[:-1]
    assert _sentence_from(text, "inte här") == "inte här"
    assert _sentence_from("a\nb", "a") == "a"


def test_how_many_more_said_after_a_new_count_is_no_count() -> None:
    now = datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("Europe/Stockholm"))
    for text in (
        "nej förlåt, 210 blev det till slut, två klasser till",
        "nej forlat, 210 blev det till slut, tva klasser till",
    ):
        assert find_corrections(turn(text), KEYS, now, need_cue=False) == {"quantity": "210"}


ROOM = ServiceInfo(
    code="KNF-01", kind="order", category="Konferens", name="Boka konferensrum", description="",
    price_sek=Decimal(0), price_unit="", performer="Konferens", sla_hours=24,
    order_fields=("date", "time", "location", "participants"), keywords=(),
)  # fmt: skip
MONDAY = datetime(2026, 12, 7, 11, 2, tzinfo=ZoneInfo("Europe/Stockholm"))  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nej, ta det en dag senare, mötet har flyttats", {"date": "2026-12-10"}),
        ("dagen efter istället", {"date": "2026-12-10"}),
        ("två dagar tidigare", {"date": "2026-12-07"}),
        ("en vecka senare", {"date": "2026-12-16"}),
        ("en timme senare", {"time": "14:00-16:00"}),
        ("en halvtimme tidigare", {"time": "12:30-14:30"}),
        # into the past: nothing is moved (the day before yesterday is gone)
        ("tre dagar tidigare", {}),
        # the way home, said as days after, is no move of the order's day
        ("hem två dagar senare", {}),
        ("vi blir 3 fler", {}),
    ],
)
def test_a_day_or_a_time_moved_by_an_amount(text: str, expected: dict[str, str]) -> None:
    old = {"date": "2026-12-09", "time": "13:00-15:00"}
    assert relative_moment(turn(text), ROOM, old, MONDAY) == expected
    # Without a day or a time so far there is nothing to move.
    assert relative_moment(turn(text), ROOM, {"date": None, "time": None}, MONDAY) == {}


def test_a_time_moved_into_the_past_today_is_not_moved() -> None:
    today = {"date": "2026-12-07", "time": "11:30"}
    assert relative_moment(turn("en timme tidigare"), ROOM, today, MONDAY) == {}
    assert relative_moment(turn("en timme senare"), ROOM, today, MONDAY) == {"time": "12:30"}


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("kostnadsställe", "kostnadsstalle"),
        ("kostnadsstället", "kostnadsstalle"),  # the label in its definite form
        ("ändra kostnadsstället", "kostnadsstalle"),
        ("datumet", "date"),
        ("kostnad", None),  # shorter than the label: no field
        ("kostnadsstället är fel och datumet också", None),  # more than a name
    ],
)
def test_a_field_typed_by_its_name_alone(text: str, field: str | None) -> None:
    assert named_field(turn(text), TECHNICIAN) == field


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("kostnadställe", "kostnadsstalle"),  # a letter missing
        ("kostnadsstalle", "kostnadsstalle"),  # without å/ä/ö
        ("kostnad", None),  # too short to be read as a misspelling
        ("datum", "date"),
    ],
)
def test_a_field_name_misspelt_is_still_its_name(text: str, field: str | None) -> None:
    assert named_field(turn(text), TECHNICIAN) == field


def test_antal_names_the_count_of_people_where_that_is_the_only_count() -> None:
    assert named_field(turn("antal"), CAR) == "participants"
    assert named_field(turn("antalet"), CAR) == "participants"
    assert named_field(turn("antal"), KEYS) == "quantity"  # a count of things


@pytest.mark.parametrize(
    ("service", "text", "expected"),
    [
        (CAR, "plats Rådhuset", ("location", "Rådhuset")),
        (CAR, "nej, tid 13.30", ("time", "13.30")),
        (CAR, "antal 9", ("participants", "9")),
        (CAR, "datum: fredag", ("date", "fredag")),
        (KEYS, "kostnadställe 6040", ("kostnadsstalle", "6040")),
        (CAR, "platsen är fel", None),
        (CAR, "tack så mycket", None),
        (CAR, "beskrivning det ska vara tre", None),  # the description is never set so
        (CAR, "datum och tid: onsdag kl 13", None),  # two details: read by the other rules
        (CAR, "tid, plats", None),
    ],
)
def test_a_field_name_and_then_its_value_as_the_answer_to_what_to_change(
    service: ServiceInfo, text: str, expected: tuple[str, str] | None
) -> None:
    # (the value is then read by the detail's own reader in the form, which refuses what
    # is no value of it: "tiden räcker inte till" changes nothing there)
    assert named_then_value(turn(text), service) == expected


@pytest.mark.parametrize(
    ("place", "text", "expected"),
    [
        # the new name says its kind of place itself: the old kind goes
        ("Ekebo äldreboende", "nej, inte Ekebo utan Norrgårdens boende", "Norrgårdens boende"),
        ("Ekebo äldreboende avdelning 2", "inte Ekebo utan Norrgårdens boende",
         "Norrgårdens boende avdelning 2"),
        # a bare name keeps the old kind
        ("Ekebo äldreboende", "det är Solgläntan, inte Ekebo", "Solgläntan äldreboende"),
    ],
)  # fmt: skip
def test_a_place_name_swapped_keeps_one_kind_of_place(place: str, text: str, expected: str) -> None:
    assert swapped(turn(text), {"location": place}) == {"location": expected}


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("kostnadsställe och vart det ska", ["kostnadsstalle", "destination"]),
        ("vart det ska", ["destination"]),
        ("mottagaren och datumet", ["destination", "date"]),
    ],
)
def test_details_named_in_everyday_words_at_what_to_change(text: str, fields: list[str]) -> None:
    courier = ServiceInfo(
        code="TRA-01", kind="order", category="Transport", name="Budtransport", description="",
        price_sek=Decimal(150), price_unit="kr per sändning", performer="Transportenheten",
        sla_hours=24, order_fields=("location", "destination", "date", "kostnadsstalle"),
        keywords=(), fields=({"key": "kostnadsstalle", "label": "Kostnadsställe", "type": "text"},),
    )  # fmt: skip
    assert named_fields(turn(text), courier) == fields


def test_a_count_said_against_a_number_after_och_det_is_no_word_swapped() -> None:
    # "4520. och det ska va 4 datorer inte 3": the count, not the "3" of the description
    values = {"description": "behöver 3 nya bärbara datorer till lärarna"}
    assert swapped(turn("och det ska va 4 datorer inte 3"), values) == {}
    # ... while a place said wrong after "och det" is swapped
    assert swapped(
        turn("och det ska va Stadshuset inte Rådhuset"), {"location": "Rådhuset plan 2"}
    ) == {"location": "Stadshuset plan 2"}
    # ("och platsen blev fel, …" is read by the corrections, not swapped word for word)
    assert (
        swapped(
            turn("och platsen blev fel, de ska sitta i Stadshuset och inte i Rådhuset"),
            {"location": "Rådhuset plan 2"},
        )
        == {}
    )


def test_a_count_and_a_place_said_in_chat_spelling_are_both_changed() -> None:
    found = find_corrections(
        turn("nej, vi blir 18 och det ska va i Kommunhuset rum 305"),
        CAR, datetime(2026, 12, 7, 9, 0), need_cue=False,
    )  # fmt: skip
    assert found == {"participants": "18", "location": "Kommunhuset rum 305"}


def test_a_detail_named_then_its_value_after_a_link_in_chat_spelling() -> None:
    for said in ("kostnadsstället, det ska va 4410", "kostnadsstället ska vara 4410"):
        assert named_then_value(turn(said), KEYS) == ("kostnadsstalle", "4410")


TRIP = ServiceInfo(
    code="RES-01", kind="order", category="Resor", name="Tjänsteresa", description="",
    price_sek=Decimal(75), price_unit="kr per bokning", performer="Resebokningen",
    sla_hours=24,
    order_fields=("destination", "date", "return_date", "participants", "kostnadsstalle"),
    keywords=(), fields=({"key": "kostnadsstalle", "label": "Kostnadsställe", "type": "text"},),
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the number a clause gives another detail is no count of people
        ("kostnadsstället ska vara 5240", {}),
        ("nej inte Göteborg utan Malmö, och kostnadsstället ska vara 5240",
         {"destination": "Malmö"}),
        # a count said as one still is
        ("nej vi blir 3", {"participants": "3"}),
    ],
)  # fmt: skip
def test_a_number_named_for_another_detail_is_no_count_of_people(
    text: str, expected: dict[str, str]
) -> None:
    assert find_corrections(turn(text), TRIP, NOW, need_cue=False) == expected


@pytest.mark.parametrize(
    ("text", "count"),
    [
        # a code typed first, then a correction: the code is no count of travellers
        ("5120. men vänta", None),
        ("5120. men vänta, vi blir 4", "4"),
        # a count that says whom it counts stays, however large
        ("vi blir 1200 deltagare", "1200"),
    ],
)
def test_a_number_of_a_thousand_or_more_without_people_is_no_count(
    text: str, count: str | None
) -> None:
    assert find_corrections(turn(text), TRAIN, NOW, need_cue=False).get("participants") == count


def test_who_wrote_which_detail_wrong_then_the_place_against_the_old_one() -> None:
    said = "Förresten skrev jag fel förskola – det gäller Lärkans förskola, inte Ekbackens."
    assert swapped(turn(said), {"location": "Ekbackens förskola"}) == {
        "location": "Lärkans förskola"
    }


def test_a_place_moved_to_said_again_after_an_apology() -> None:
    said = "förlåt, jag skrev fel, det är Parkgatan 5 vi flyttar till, inte Parkgatan 3"
    values = {"location": "Storgatan 8", "destination": "Parkgatan 3"}
    assert swapped(turn(said), values) == {"destination": "Parkgatan 5"}
