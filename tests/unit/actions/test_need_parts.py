"""Which parts of one message may carry a need of their own (several needs at once)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from actions._desk import ServiceInfo
from actions._dialogue import (
    OPEN,
    WE_NEED,
    answer_and_more,
    asks_about_order,
    need_cue,
    only_place,
    without_lead,
)
from actions.matching import (
    _ALREADY,
    _CARRYING,
    _FAULT_SAID,
    _FORGOTTEN_US,
    _IT_RUNS_OUT,
    _NEW_ONE_PART,
    _OLD_ONE,
    _PURPOSE,
    _SCENE,
    _SOMEONE_SHALL,
    _SUBJECTLESS,
    _after_och,
    _anothers_place,
    _asks_for_more,
    _counted_earlier,
    _has_verb,
    _in_a_state,
    _names_a_thing,
    _names_in_name,
    _need_itself,
    _no_need,
    _past_the_scene,
    _room_of,
    _same_thing_said_on,
    _scene_place,
    _sets_the_scene,
    _stands_out,
    _the_same_thing,
    _with_antecedent,
    _without_the_past,
    asked_by,
    in_said_order,
    marked_parts,
    need_parts,
    open_queue,
    queue_entries,
    queued_code,
    several_names,
)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "konferensrum på torsdag för 12 och lunch till mötet",
            ["konferensrum på torsdag för 12", "lunch till mötet"],
        ),
        ("dator, mobiltelefon och ett konto", ["dator", "mobiltelefon", "ett konto"]),
        # "vill vi ha", "kan vi få" ask for a need; the message's own question mark does
        # not make its last thing a clause.
        (
            "boka ett mötesrum på torsdag för 12, och så vill vi ha fika till mötet",
            ["boka ett mötesrum på torsdag för 12", "så vill vi ha fika till mötet"],
        ),
        (
            "kan vi få fika och sen extra städning efteråt?",
            ["kan vi få fika", "extra städning efteråt?"],
        ),
        # A numbered list; a new sentence that only gives a detail is no need; a fault
        # said as "har inte blivit städad" is one.
        (
            "Vi behöver 1) ett rum 2) fika när vi börjar 3) nån som sköter tekniken",
            ["Vi behöver", "ett rum", "fika när vi börjar", "nån som sköter tekniken"],
        ),
        (
            "Bud till Björkskolan i morgon, ett paket. Kostnadsställe 6050",
            ["Bud till Björkskolan i morgon", "ett paket"],
        ),
        # "står och rinner" is one doing; "har slocknat" is a fault of its own.
        (
            "kranen på toaletten står och rinner och en lampa i trapphuset har slocknat",
            ["kranen på toaletten står och rinner", "en lampa i trapphuset har slocknat"],
        ),
        (
            "det är halt vid entrén. och hallen har inte blivit städad heller",
            ["det är halt vid entrén.", "hallen har inte blivit städad heller"],
        ),
        # A fault said in its own words is a need; more objects of one verb are not.
        (
            "toaletten vid matsalen är inte städad och kranen där droppar hela tiden",
            ["toaletten vid matsalen är inte städad", "kranen där droppar hela tiden"],
        ),
        (
            "skrivaren skriver inte ut och så har jag glömt mitt lösenord",
            ["skrivaren skriver inte ut", "så har jag glömt mitt lösenord"],
        ),
        (
            "behöver hjälp att flytta ett arkivskåp och tre skrivbord till plan 3",
            # the things moved are one part with the move
            ["behöver hjälp att flytta ett arkivskåp och tre skrivbord till plan 3"],
        ),
        (
            "vi behöver folk som bär skrivbord, stolar och ett tiotal flyttkartonger",
            ["vi behöver folk som bär skrivbord"],
        ),
        (
            "Hon behöver ett passerkort och så måste hon få ett konto",
            ["Hon behöver ett passerkort", "så måste hon få ett konto"],
        ),
        # The word that adds a need may end its part; a shortage is a need; so is
        # "någon som …"; "till det" refers back to the scene.
        (
            "en brukare har kräkts i dagrummet och vi har nästan slut på handskar också",
            ["en brukare har kräkts i dagrummet", "vi har nästan slut på handskar"],
        ),
        (
            "ny elev med glutenallergi, och idag kom det för få portioner till 4B",
            ["ny elev med glutenallergi", "idag kom det för få portioner till 4B"],
        ),
        (
            "behöver ett rum för 20 pers, någon som sköter tekniken och fika till det",
            ["behöver ett rum för 20 pers", "någon som sköter tekniken", "fika till det"],
        ),
        (
            "jag behöver en ny dator och en mobiltelefon till en nyanställd",
            ["jag behöver en ny dator", "en mobiltelefon till en nyanställd"],
        ),
        # A verb alone goes on with someone doing something; a habit is no need.
        (
            "behöver nån som stänger av och sen nån som torkar upp och städar",
            ["behöver nån som stänger av", "nån som torkar upp och städar"],
        ),
        (
            "behöver en tekniker till mötet, projektorn och mikrofonerna brukar krångla",
            ["behöver en tekniker till mötet", "projektorn"],
        ),
        # Plural things after a need are still things ("stolar" is no verb here).
        (
            "vi behöver bord och stolar",
            ["vi behöver bord", "stolar"],
        ),
        (
            "ett rör har gått och golvet är ett hav, behöver både rörmokare och nån som torkar",
            ["ett rör har gått", "behöver både rörmokare", "nån som torkar"],
        ),
        (
            "jag vill boka ett konferensrum och fika till 10 personer nästa tisdag",
            ["jag vill boka ett konferensrum", "fika till 10 personer nästa tisdag"],
        ),
        ("tåg och hotell till Göteborg på torsdag", ["tåg", "hotell till Göteborg på torsdag"]),
        (
            "vi behöver flytthjälp och att ni hämtar gamla möbler",
            ["vi behöver flytthjälp", "att ni hämtar gamla möbler"],
        ),
        (
            "vill bli av med gamla skrivbord och beställa nya höj och sänkbara",
            ["vill bli av med gamla skrivbord", "beställa nya höj och sänkbara"],
        ),
        # Going on with the same subject, or adding a little, is not a need of its own.
        (
            "behöver en elbil på fredag kl 8, hämtar vid stadshuset",
            ["behöver en elbil på fredag kl 8"],
        ),
        ("te och kaffe plus lite frukt åt 9 pers", ["te", "kaffe"]),
        (
            "fönsterputs efter renoveringen och vi behöver också extra städning",
            ["fönsterputs efter renoveringen", "vi behöver", "extra städning"],
        ),
    ],
)
def test_listed_and_asked_for_needs_are_parts_of_their_own(text: str, parts: list[str]) -> None:
    assert need_parts(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        # A question about the need, not a second need.
        "vill att personalen går en kurs om barnkonventionen, finns det nåt digitalt?",
        "har ett avtal som ska skickas till en leverantör, kan posten ta det?",
        # Things that describe the first need, after a clause that describes it.
        "vi flyttar förrådet, det är ett trettiotal tunga lådor och två hyllor som ska bäras",
        "en förälder vill läsa anteckningar från elevhälsan, dom ligger visst i arkivet",
        # What modifies the need: when, for whom, how.
        "fika till mötet, till 12 personer på torsdag",
        "en projektor, gärna så snart som möjligt",
        # A name with "och" in it.
        "skicka två lådor från kvarnskolan till barn- och utbildningsförvaltningen imorgon",
    ],
)
def test_what_goes_on_about_the_first_need_is_not_a_second_one(text: str) -> None:
    assert len(need_parts(text)) == 1, need_parts(text)


@pytest.mark.parametrize(
    ("text", "scene"),
    [
        ("vi har kickoff på fredag", True),
        ("vi ska ha öppet hus på biblioteket", True),
        ("vi har invigning av nya skolgården på fredag", True),
        ("ska på konferens i Umeå", True),
        ("en ny vikarie börjar hos oss", True),
        ("vi är 14 från ekonomienheten som ska ha workshop på tisdag", True),
        ("styrgruppen har lunchmöte tisdag nästa vecka kl 12", True),
        # a day named for what it is for; a weekday is no occasion
        ("vi ska ha utvecklingsdag onsdag nästa vecka kl 9 med 25 pers", True),
        ("vi ska ha apt på måndag", True),
        ("vi har kursdag i Kulturhusets lilla sal onsdag nästa vecka", True),
        # premises left
        ("vi lämnar lokalen på storgatan 12 efter nyår", True),
        ("vi flyttar ut ur kontoret i mars", True),
        ("vi lämnar in nycklarna på fredag", False),
        ("vi har tisdag och onsdag lediga rum", False),
        ("vi har en trasig lampa i hallen", False),
        ("boka ett konferensrum", False),
    ],
)
def test_a_part_that_sets_the_scene(text: str, scene: bool) -> None:
    assert bool(_SCENE.search(text)) is scene


def test_asking_for_named_things_to_be_done_is_a_need_of_its_own() -> None:
    text = (
        "Vi flyttar från Parkgatan 3 om tre veckor och behöver bärhjälp. Sen har vi två gamla "
        "soffor och ett bord som vi inte vill ta med, kan dom hämtas för återbruk?"
    )
    parts = need_parts(text)
    assert parts[-1] == "kan dom hämtas för återbruk?"
    # The part points back: the sentence it ends says what is to be fetched.
    assert _with_antecedent(parts[-1], text) == (
        "Sen har vi två gamla soffor och ett bord som vi inte vill ta med, kan dom hämtas för "
        "återbruk?"
    )
    assert _with_antecedent("behöver bärhjälp", text) == "behöver bärhjälp"


@pytest.mark.parametrize(
    ("part", "place"),
    [
        ("rum Linden", True),
        ("kontoret på plan 1", True),
        ("i Kommunhuset plan 3", True),
        ("ett konferensrum på fredag", False),
        ("fika i sal B", False),
        ("nya stolar till kontoret på plan 1", False),
        # A kind of room alone, after the need it belongs to ("…, personalrummet").
        ("personalrummet", True),
        ("mötesrummet", True),
        ("lunch", False),
        ("behöver en sal", False),
        ("ett rum", False),
        # the rest of a place after a comma ("… Hemtjänsten Söder, förrådet i hus C")
        ("förrådet i hus C", True),
    ],
)
def test_a_part_that_only_says_where_is_no_need(part: str, place: bool) -> None:
    assert only_place(part, datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("Europe/Stockholm"))) is place


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # What comes with the need after "med" is one need.
        (
            "behöver bärhjälp med möbler och kartonger och sen städning av plan 4 när allt är ute",
            ["behöver bärhjälp med möbler", "städning av plan 4 när allt är ute"],
        ),
        # One definite thing after "med" is the occasion: what follows is a need of its own.
        (
            "vi behöver hjälp med flytten och fika till mötet",
            ["vi behöver hjälp med flytten", "fika till mötet"],
        ),
        (
            "behöver hjälp med projektorn och fika till mötet",
            ["behöver hjälp med projektorn", "fika till mötet"],
        ),
        # "samtidigt" adds a need, even after a clause about the first one.
        (
            "vill ha fönsterputs på hela förskolan, det är 28 fönster, och samtidigt en "
            "storstädning",
            ["vill ha fönsterputs på hela förskolan", "samtidigt en storstädning"],
        ),
    ],
)
def test_then_and_at_the_same_time_add_a_need(text: str, parts: list[str]) -> None:
    assert need_parts(text) == parts


def test_since_is_no_then() -> None:
    # "sen i höstas" says since when; the fault before it is no need of its own.
    text = "telefonerna är uppbokade och en har haft sprucken skärm sen i höstas"
    assert need_parts(text) == ["telefonerna är uppbokade"]


def test_a_need_typed_without_swedish_letters_is_a_need() -> None:
    # "behover" and "nan som" are "behöver" and "nån som" without å/ä/ö.
    text = "datorn startar inte, behover aven nan som lagar skrivaren"
    assert need_parts(text) == ["datorn startar inte", "behover aven nan som lagar skrivaren"]


def test_someone_who_comes_and_wipes_up_is_one_part_without_swedish_letters_too() -> None:
    text = "golvet star under vatten, behover nan som kommer och torkar upp"
    assert need_parts(text)[-1] == "behover nan som kommer och torkar upp"


def test_a_scene_with_ska_ha_is_a_scene_unless_it_also_asks() -> None:
    assert _sets_the_scene("vi ska ha heldagsmöte med nämnden nästa onsdag")
    assert not _sets_the_scene("vi ska ha möte och behöver fika")
    assert not _sets_the_scene("kan vi få fika till mötet")


def test_what_was_said_about_an_earlier_time_gives_no_details() -> None:
    story = "Förra året åkte vi till Malmö och det var bra. I år ska vi till Göteborg."
    assert "Malmö" not in _without_the_past(story)
    assert "Göteborg" in _without_the_past(story)
    # The clause about now stays, even in the same sentence.
    assert _without_the_past("förra veckan bokade vi rum 12, nu behöver vi ett till") == (
        "nu behöver vi ett till"
    )
    assert _without_the_past("Boka rum till 12 på fredag") == "Boka rum till 12 på fredag"


def test_the_story_of_an_earlier_order_is_no_need_of_its_own() -> None:
    text = (
        "Det har gått åt mycket handskar och nu har vi nästan inget kvar. Förra gången "
        "beställde min chef men hon är ledig så jag vet inte hur man gör. Kan vi få mer "
        "handskar i storlek M?"
    )
    parts = need_parts(text)
    assert not any("beställde" in part for part in parts)
    assert any(part.startswith("Kan vi få mer handskar") for part in parts)
    # Present and infinitive forms still ask.
    assert any("bokar" in p for p in need_parts("vi har möte. Sen bokar vi ett rum"))


def test_something_to_be_rid_of_is_a_need_of_its_own() -> None:
    text = "vi behöver flytthjälp, och så vill vi bli av med två gamla bokhyllor"
    rid = "så vill vi bli av med två gamla bokhyllor"
    assert need_parts(text) == ["vi behöver flytthjälp", rid]


def test_announcing_how_many_needs_follow_is_no_need_of_its_own() -> None:
    assert _no_need("Två saker:", 0, [])
    assert _no_need("tre grejer", 0, [])
    assert not _no_need("två nya skrivbord", 0, [])


def test_samt_and_plus_add_a_need_unless_they_add_a_little() -> None:
    text = "Vi vill ha fönsterputs, ca 20 fönster, samt en extra städning efter vårt öppet hus"
    assert need_parts(text) == ["Vi vill ha fönsterputs", "en extra städning efter vårt öppet hus"]
    assert need_parts("fika till 12 plus lite frukt") == ["fika till 12"]


def test_a_list_one_item_a_line_is_one_need_an_item() -> None:
    text = "Till vår nya handläggare behöver vi:\n1. en bärbar dator\n2. en mobiltelefon"
    assert need_parts(text)[-2:] == ["en bärbar dator", "en mobiltelefon"]
    assert need_parts("vi behöver:\n- ett rum\n- fika")[-2:] == ["ett rum", "fika"]
    # After a greeting, the lead that says what the list is for is no need of its own.
    greeted = "Hej! Inför introdagen på tisdag behöver vi:\n- ett rum för 20\n- fika till alla"
    assert need_parts(greeted) == ["ett rum för 20", "fika till alla"]


def test_a_part_that_only_says_when_and_how_many_is_no_need() -> None:
    assert _no_need("tisdag nästa vecka kl 13-15 för 8 personer", 2, [])
    assert _no_need("torsdag kl 10", 1, [])
    assert not _no_need("fika till 8 personer", 1, [])


def test_where_an_order_is_delivered_is_no_need_of_its_own() -> None:
    text = "Beställer lunch till 15 personer torsdag kl 11.30, levereras till Kulturhuset"
    assert need_parts(text) == ["Beställer lunch till 15 personer torsdag kl 11.30"]


def test_plus_sign_and_chat_o_join_needs() -> None:
    assert need_parts("tåg till Göteborg + hotell, åker onsdag")[:2] == [
        "tåg till Göteborg",
        "hotell",
    ]
    text = "elementet ar iskallt o stadaren har inte varit har pa hela veckan"
    assert need_parts(text) == [
        "elementet ar iskallt",
        "stadaren har inte varit har pa hela veckan",
    ]


def test_a_sentence_that_says_no_need_is_kept_unsure() -> None:
    text = (
        "Vi rensar inför flytten. Pärmarna med gamla ärenden ska till arkivet och tre "
        "bokhyllor vill vi bli av med."
    )
    assert marked_parts(text) == [
        ("Vi rensar inför flytten", True),
        ("Pärmarna med gamla ärenden ska till arkivet", False),
        ("tre bokhyllor vill vi bli av med.", True),
    ]
    # need_parts gives the sure ones only, as before.
    assert need_parts(text) == ["Vi rensar inför flytten", "tre bokhyllor vill vi bli av med."]


def test_a_detail_sentence_is_no_sure_need() -> None:
    assert marked_parts("Fika till 10 på torsdag. Kostnadsställe 6050.") == [
        ("Fika till 10 på torsdag", True),
        ("Kostnadsställe 6050.", False),
    ]


@pytest.mark.parametrize("part", ["inga allergier", "ingen specialkost alls", "Inget socker."])
def test_a_part_that_says_there_is_none_is_no_need(part: str) -> None:
    assert _no_need(part, 2, [])


def test_a_fault_said_with_ingen_is_still_a_need() -> None:
    assert not _no_need("ingen har städat toaletten", 1, [])


def test_what_is_to_be_done_with_the_same_thing_is_no_need_of_its_own() -> None:
    text = "Dörren på förrådsskåpet har lossnat och behöver skruvas fast"
    assert need_parts(text) == [text]
    assert need_parts("lampan är trasig och måste bytas ut snarast") == [
        "lampan är trasig och måste bytas ut snarast"
    ]


def test_a_short_sentence_that_names_things_lists_them_unsure() -> None:
    text = "Vi har planeringsdag på fredag, 30 personer. Lunch kl 12 och fika på eftermiddagen."
    marked = marked_parts(text)
    assert ("Lunch kl 12", False) in marked
    assert ("fika på eftermiddagen.", False) in marked


def test_a_sentence_that_tells_is_no_sure_need() -> None:
    text = "Tekniker till mötet på tisdag. Projektorn och mikrofonerna krånglar alltid."
    assert marked_parts(text)[-1] == ("mikrofonerna krånglar alltid.", False)
    # ... and it tells (a verb), so it is not read as a thing named either.
    assert _has_verb("mikrofonerna krånglar alltid")
    assert not _has_verb("Lunch kl 12")
    assert not _has_verb("kartonger och stolar")


def test_a_sentence_typed_in_lower_case_after_a_full_stop_is_a_part_of_its_own() -> None:
    parts = need_parts("datorn startar inte, bara svart skärm. skulle behöva en extra skärm också")
    assert parts[-1] == "skulle behöva en extra skärm"
    # An abbreviation or a time is no sentence end.
    assert need_parts("fika kl. 10 till ca. 20 personer") == ["fika kl. 10 till ca. 20 personer"]


def test_a_thing_to_be_mended_said_with_dom_is_a_need_of_its_own() -> None:
    parts = need_parts(
        "fönsterputs på avdelning 2 och så ska dom vingliga stolarna i dagrummet lagas"
    )
    assert parts == ["fönsterputs på avdelning 2", "så ska dom vingliga stolarna i dagrummet lagas"]
    assert need_cue("och så ska dom vingliga stolarna lagas")
    # Without a thing to be done (a passive "-as") it is no need.
    assert not need_cue("ska dom komma hit på fredag")


def _service(code: str, name: str, fields: tuple[dict[str, Any], ...] = ()) -> ServiceInfo:
    return ServiceInfo(
        code=code, kind="order", category="", name=name, description="",
        price_sek=Decimal(0), price_unit="", performer="", sla_hours=24,
        order_fields=(), keywords=(), fields=fields,
    )  # fmt: skip


def test_a_service_named_by_another_services_question_answers_that_question() -> None:
    lunch = _service(
        "KNF-03", "Mat till möte",
        ({"key": "allergier", "label": "Allergier och specialkost", "type": "text"},),
    )  # fmt: skip
    assert asked_by(lunch, _service("MAT-01", "Specialkost"))
    assert not asked_by(lunch, _service("KNF-01", "Boka konferensrum"))
    assert not asked_by(_service("KNF-01", "Boka konferensrum"), _service("MAT-01", "Specialkost"))
    assert not asked_by(lunch, None)


def test_needs_still_to_be_placed_are_queued_under_keys_of_their_own() -> None:
    keys, words = open_queue(["vi behöver också en större lokal", "och en projektor"])
    assert keys == ["?1", "?2"]
    assert words == {"?1": "vi behöver också en större lokal", "?2": "och en projektor"}
    assert all(key.startswith(OPEN) for key in keys)
    assert open_queue([]) == ([], {})


@pytest.mark.parametrize(
    ("part", "names"),
    [
        ("låna ett större rum att vara i", True),
        ("någonstans att sova där", True),
        ("hem fredag nästa vecka.", False),
        ("Behöver nån som stänger av", False),
    ],
)
def test_a_need_kept_for_later_must_name_something(part: str, names: bool) -> None:
    assert _names_a_thing(part) is names


def test_things_nobody_wants_are_no_need_of_their_own() -> None:
    assert not need_cue("två skrivbord som ingen vill ha")
    assert need_cue("vi vill ha två skrivbord")


def test_a_second_verb_with_its_own_thing_is_a_need_of_its_own() -> None:
    assert need_parts("Kan ni putsa fönstren i matsalen och storstäda köket") == [
        "Kan ni putsa fönstren i matsalen",
        "storstäda köket",
    ]
    # More things after the same verb stay one need.
    assert need_parts("kan ni hämta två soffor och en lampa") == [
        "kan ni hämta två soffor och en lampa"
    ]
    assert need_parts("hämta en gammal soffa och två fåtöljer som vi inte behöver längre") == [
        "hämta en gammal soffa och två fåtöljer som vi inte behöver längre"
    ]


def test_a_state_that_is_a_fault_is_a_need() -> None:
    assert need_cue("det är halt vid entrén")
    assert need_cue("toaletten är stopp igen")
    assert not need_cue("det är fint väder")
    assert need_cue("och om det går vore det toppen med smörgåsar till alla")


@pytest.mark.parametrize(
    ("text", "split"),
    [
        (
            "5310. förresten, en stol i matsalen har fått lös rygg, kan nån laga den?",
            ("5310", "förresten, en stol i matsalen har fått lös rygg, kan nån laga den?"),
        ),
        (
            "Socialkontoret, rum 214. och så skulle jag behöva en extra skärm",
            ("Socialkontoret, rum 214", "och så skulle jag behöva en extra skärm"),
        ),
        (
            "ja stämmer. sen ska 4 gamla skrivbord till återbruk",
            ("ja stämmer", "sen ska 4 gamla skrivbord till återbruk"),
        ),
        (
            "kl 13. Och vi har inget rum än heller, kan ni boka ett åt oss?",
            ("kl 13", "Och vi har inget rum än heller, kan ni boka ett åt oss?"),
        ),
        (
            "Kommunhuset plan 4, rum 412. Och förresten, kan ni skruva ihop dem också?",
            ("Kommunhuset plan 4, rum 412", "förresten, kan ni skruva ihop dem också?"),
        ),
        (
            "gärna tisdag nästa vecka. Och gården behöver ses över, det ligger skräp i sandlådan",
            (
                "gärna tisdag nästa vecka",
                "Och gården behöver ses över, det ligger skräp i sandlådan",
            ),
        ),
        # "och vi/jag behöver …" is split too; the form takes it only when its words name a
        # service surely (``WE_NEED``), else it reads the message as a whole.
        (
            "ankomst onsdag. Och jag behöver en bil ur bilpoolen samma morgon",
            ("ankomst onsdag", "Och jag behöver en bil ur bilpoolen samma morgon"),
        ),
        # A sentence that asks for more, or tells of another matter.
        (
            "2250. Och kan vi få kaffe och bullar till mötet?",
            ("2250", "Och kan vi få kaffe och bullar till mötet?"),
        ),
        (
            "Vallmons förskola. Sen är det nån som har sprayat klotter på förrådet",
            ("Vallmons förskola", "Sen är det nån som har sprayat klotter på förrådet"),
        ),
        ("Rum 214. Sen blir vi 12", None),  # "sen blir" tells of no other matter
        # Nothing before the word, too little after it, or no word that adds a need.
        ("förresten, vi behöver också fika", None),
        ("kl 13. Och det är i sal B", None),
        ("fredag förresten", None),
        ("Rådhuset rum 2, vid entrén", None),
    ],
)
def test_an_answer_with_another_need_after_it_is_split(
    text: str, split: tuple[str, str] | None
) -> None:
    assert answer_and_more(text) == split


def test_sen_before_a_time_is_since_not_then() -> None:
    assert need_parts("Fläkten ovanför spisen låter som en traktor sen igår") == [
        "Fläkten ovanför spisen låter som en traktor sen igår"
    ]
    assert len(marked_parts("kan vi få fika och sen extra städning efteråt?")) == 2


def test_a_question_is_a_sentence_of_its_own_only_before_a_word_that_adds() -> None:
    assert need_parts("Kan ni skicka ett bud i morgon? Dessutom behöver vi 2 mobiler") == [
        "Kan ni skicka ett bud i morgon",
        "Dessutom behöver vi 2 mobiler",
    ]
    # "… till Kulturhuset? Vi behöver dem i övermorgon" says when, not what.
    assert len(marked_parts("Kan ni skicka dem med bud? Vi behöver dem i övermorgon")) == 1


def test_two_faults_of_one_service_queue_under_keys_of_their_own() -> None:
    fault = _service("FAS-01", "Felanmälan fastighet")
    room = _service("KNF-01", "Boka konferensrum")
    keys, parts = queue_entries([(fault, "lampan blinkar"), (room, "ett rum"), (fault, "dörren")])
    assert keys == ["FAS-01", "KNF-01", "FAS-01#2"]
    assert parts == {"FAS-01": "lampan blinkar", "KNF-01": "ett rum", "FAS-01#2": "dörren"}
    assert [queued_code(k) for k in keys] == ["FAS-01", "KNF-01", "FAS-01"]
    assert several_names([(fault, "lampan blinkar,"), (fault, "dörren går inte att låsa")]) == [
        "felanmälan fastighet (lampan blinkar)",
        "felanmälan fastighet (dörren går inte att låsa)",
    ]
    assert several_names([(fault, "lampan"), (room, "ett rum")]) == [
        "felanmälan fastighet",
        "boka konferensrum",
    ]


@pytest.mark.parametrize(
    ("part", "fault"),
    [
        ("dörren till förrådet går inte att låsa längre", True),
        ("datorn har fastnat på en blå skärm", True),
        ("på toaletterna är pappret slut", True),
        ("i grupprum 3 går fönstret inte att stänga", True),
        # a sound or a sight that is wrong
        ("i köket har fläkten börjat låta konstigt", True),
        ("skärmen i aulan flimrar", True),
        # what is blocked, down or loose
        ("golvbrunnen i diskrummet är stopp", True),
        ("wifi:t ligger nere i hela hus C", True),
        ("skrivaren säger pappersstopp", True),
        ("vi behöver ett rum", False),
    ],
)
def test_a_fault_said_in_words(part: str, fault: bool) -> None:
    assert (_FAULT_SAID.search(part) is not None) is fault


def test_a_question_that_asks_for_what_was_just_named_makes_it_a_need() -> None:
    text = (
        "Det har varit en lång vecka. Vi har tre gamla bokhyllor som ingen vill ha, "
        "kan nån komma och hämta dom?"
    )
    assert ("Vi har tre gamla bokhyllor som ingen vill ha", True) in marked_parts(text)
    # Without the question the sentence only tells.
    told = "Det har varit en lång vecka. Vi har tre gamla bokhyllor som ingen vill ha."
    assert ("Vi har tre gamla bokhyllor som ingen vill ha.", True) not in marked_parts(told)


def test_a_bare_wish_after_what_is_lacking_asks_for_it() -> None:
    text = "vi har nästan inga engångsförkläden kvar, kan vi få 5 kartonger?"
    marked = marked_parts(text)
    parts = [part for part, _ in marked]
    assert parts == ["vi har nästan inga engångsförkläden kvar", "kan vi få 5 kartonger?"]
    assert _asks_for_more(parts, marked, 0)
    # A wish that names a thing of its own at length is a need of its own.
    long = "tvålen är slut, kan vi få en ny låda med flytande tvål till personaltoaletten på plan 2"
    long_marked = marked_parts(long)
    assert not _asks_for_more([p for p, _ in long_marked], long_marked, 0)


@pytest.mark.parametrize(
    ("words", "asks"),
    [
        ("förresten, vad kostar det?", True),
        ("btw hur lång tid tar det innan ni bekräftar?", True),
        ("och så vill jag veta om det går att betala med faktura", True),
        ("förresten hur går det med mitt förra ärende om lampan?", True),
        ("förresten, kranen i personalköket droppar, kan nån titta på den?", False),
        ("och så skulle jag behöva en extra skärm", False),
    ],
)
def test_words_beside_an_answer_that_ask_about_the_order(words: str, asks: bool) -> None:
    assert asks_about_order(words) is asks


def test_a_fault_beside_an_order_is_not_carried_to_the_orders_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import types

    from actions import matching

    fika = _service("KNF-02", "Fika till möte")
    fault = replace(_service("FAS-01", "Felanmälan fastighet"), kind="fault")
    leak = replace(_service("FAS-02", "Akut fastighetsfel"), kind="fault")
    services = {s.code: s for s in (fika, fault, leak)}
    monkeypatch.setattr(matching, "snapshot", lambda: types.SimpleNamespace(services=services))

    def after(code: str) -> Any:
        return types.SimpleNamespace(get_slot=lambda name: code if name == "service_code" else None)

    part = "kranen i personalköket droppar"
    assert matching.elsewhere_fault(fault, part, after("KNF-02"))
    # Said to be there, after a fault, or an order: the place goes on.
    assert not matching.elsewhere_fault(fault, "lampan här blinkar", after("KNF-02"))
    assert not matching.elsewhere_fault(leak, part, after("FAS-01"))
    assert not matching.elsewhere_fault(fika, "fika till mötet", after("KNF-02"))


@pytest.mark.parametrize(
    "text",
    [
        # A fault said with the thing first, and a task said as what must be done.
        "på toaletterna vid gympasalen har ingen städat sen i fredags",
        "pa lekplatsen sitter en gunga los",
        "hyllan i förrådet har lossnat",
        "gräset på gården måste klippas",
    ],
)
def test_faults_and_tasks_in_their_own_words_are_needs(text: str) -> None:
    assert need_cue(text)


def test_come_and_do_is_one_thing_to_do() -> None:
    text = "kan ni komma och sanda vid entrén till förskolan? sen behöver vi ett bud till stan"
    assert need_parts(text) == [
        "kan ni komma och sanda vid entrén till förskolan?",
        "behöver vi ett bud till stan",
    ]


@pytest.mark.parametrize(
    ("text", "scene"),
    [
        ("styrelsemöte torsdag kl 9 för 10 personer", True),
        ("föräldramöte i björkskolans matsal torsdag kl 15, vi blir ca 40", True),
        # A meeting with something asked for is a need.
        ("möte med fika på torsdag", False),
        ("mötesrum till 10 personer på torsdag", False),
        ("personalmöte på fredag, vi behöver fika", False),
    ],
)
def test_a_meeting_said_first_with_its_details_sets_the_scene(text: str, scene: bool) -> None:
    assert _sets_the_scene(text) is scene


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # A lead that says what the list is for, then a colon: each thing listed is a need,
        # clause or not; the lead is none.
        (
            "Till vårt nya kontor på Storgatan 8: tre skärmar, nycklar till oss tre som ska "
            "sitta där, och en extra städning tisdag",
            ["tre skärmar", "nycklar till oss tre som ska sitta där", "en extra städning tisdag"],
        ),
        (
            "Vi behöver tre saker: ett rum på torsdag, fika och en projektor",
            ["ett rum på torsdag", "fika", "en projektor"],
        ),
        # A colon that announces no list splits nothing.
        ("Plats: Rådhuset rum 2", ["Plats: Rådhuset rum 2"]),
    ],
)
def test_a_list_after_a_colon_is_one_need_a_thing(text: str, parts: list[str]) -> None:
    assert need_parts(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "ytterdörren har börjat hänga sig",
        "någon har vält ut alla papperskorgar på gården",
        "nagon har valt ut alla papperskorgar",
        "det är ingen värme i gympasalen",
        "det ar ingen varme i gympasalen",
    ],
)
def test_a_fault_in_its_own_words_is_a_need(text: str) -> None:
    assert need_cue(text)


def test_someone_who_only_did_something_is_no_need() -> None:
    assert not need_cue("någon har ringt från skolan")
    assert not need_cue("det finns ingen som vet")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # What a thing is for ("så hon kommer in") does not make it a clause.
        ("hon behöver en laptop och en tagg till skolan så hon kommer in",
         ["hon behöver en laptop", "en tagg till skolan så hon kommer in"]),
        # Another act with things counted after "och".
        ("Kan ni hämta 4 gamla skåp för återbruk och skicka 4 nya förvaringsskåp?",
         ["Kan ni hämta 4 gamla skåp för återbruk", "skicka 4 nya förvaringsskåp?"]),
        # A clause of the same thing stays one part.
        ("vi behöver en laptop och den ska vara klar på måndag", ["vi behöver en laptop"]),
    ],
)  # fmt: skip
def test_a_thing_with_its_purpose_or_counted_after_another_act_is_a_need(
    text: str, parts: list[str]
) -> None:
    assert need_parts(text) == parts


@pytest.mark.parametrize(
    ("part", "none"),
    [
        ("Felanmälan Björkskolan hus C rum 108", True),
        ("Hej! Kommunhuset plan 2", True),
        ("Felanmälan lampan i Björkskolan hus C", False),
        ("Boka ett rum i Kommunhuset", False),
        # How many, as many as the thing before: no need of its own.
        ("samma antal", True),
        ("lika många till", True),
        ("samma antal stolar", False),
    ],
)
def test_a_word_for_reporting_and_a_place_is_no_need(part: str, none: bool) -> None:
    assert _no_need(part, 0, []) is none


@pytest.mark.parametrize(
    ("place", "before", "room"),
    [
        ("salen", "Kulturhuset stora salen", True),
        ("stora salen", "Kulturhuset stora salen", True),
        ("köket", "Kulturhuset stora salen", False),
        ("Kulturhuset stora salen", "Kulturhuset stora salen", False),
        ("Rådhuset", "Rådhuset plan 2", True),
        (None, "Rådhuset plan 2", False),
    ],
)
def test_a_room_of_the_place_said_before(place: str | None, before: str, room: bool) -> None:
    assert _room_of(place, before) is room


@pytest.mark.parametrize(
    ("rest", "we"),
    [
        ("Och jag behöver en bil ur bilpoolen samma morgon", True),
        ("och vi vill ha fika också", True),
        # says it adds ("heller"): taken as another need however it reads
        ("Och vi har ingen lokal än heller, kan ni boka en åt oss?", False),
    ],
)
def test_more_said_as_we_need_is_taken_only_when_sure(rest: str, we: bool) -> None:
    assert bool(WE_NEED.match(rest)) is we


@pytest.mark.parametrize(
    ("part", "same"),
    [
        ("den sjunker hela tiden", True),
        ("och den läcker", True),
        ("dom går inte att låsa", True),
        ("den är trasig igen", True),
        ("dom vingliga stolarna ska lagas", False),  # "dom" as an article
        ("de nya datorerna har kommit", False),
        ("de som jobbar här behöver kort", False),
        ("det luktar avlopp i köket", False),  # "det" is as often no thing at all
    ],
)
def test_a_part_whose_subject_is_the_thing_just_named(part: str, same: bool) -> None:
    from actions.matching import _SAME_THING

    assert bool(_SAME_THING.match(part)) is same


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        # A sentence that only adds a thing goes on listing the need before it.
        (
            "Hon behöver en dator. Och en mobil. Och ett passerkort till kommunhuset",
            [("Hon behöver en dator", True), ("Och en mobil", True),
             ("Och ett passerkort till kommunhuset", True)],
        ),
        (
            "Lunch till 12 på fredag. Plus kaffe efteråt.",
            [("Lunch till 12 på fredag", True), ("Plus kaffe efteråt.", True)],
        ),
        # ... not a sentence that tells something with a verb of its own.
        (
            "Vi behöver ett rum. Och det är bråttom.",
            [("Vi behöver ett rum", True), ("Och det är bråttom.", False)],
        ),
    ],
)  # fmt: skip
def test_a_sentence_that_adds_a_thing_is_a_need(text: str, marked: list[tuple[str, bool]]) -> None:
    assert marked_parts(text) == marked


@pytest.mark.parametrize(
    ("part", "description"),
    [
        ("sen vill vi ha nån som gör rent i salen efter maten också",
         "Nån som gör rent i salen efter maten"),
        ("Dessutom behöver vi två nya besöksstolar till samma rum",
         "Två nya besöksstolar till samma rum"),
        ("och så en projektor", "En projektor"),
        # ("…, och så behöver vi 3 kartonger engångshandskar" split at "och")
        ("så behöver vi 3 kartonger engångshandskar.", "3 kartonger engångshandskar"),
        # Nothing to take away, or too little left: the words as said.
        ("lunch till mötet", "lunch till mötet"),
        ("och så fika", "och så fika"),
    ],
)  # fmt: skip
def test_a_need_said_after_another_is_described_without_its_lead(
    part: str, description: str
) -> None:
    assert _need_itself(part) == description


@pytest.mark.parametrize(
    ("own", "expected"),
    [
        # The card's place is the card's, not the computer's.
        ("Hon behöver en dator", True),
        ("Och ett passerkort till kommunhuset", False),
    ],
)
def test_a_place_said_in_another_needs_words_is_that_needs(own: str, expected: bool) -> None:
    text = (
        "Vi har en ny kollega som börjar måndag nästa vecka. Hon behöver en dator. "
        "Och en mobil. Och ett passerkort till kommunhuset"
    )
    now = datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert _anothers_place("kommunhuset", own, text, now) is expected


def test_a_place_that_sets_the_scene_is_every_needs() -> None:
    text = "Vi har möte i Kommunhuset sal B på torsdag. Vi behöver ett rum och lunch till 12"
    now = datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert not _anothers_place("Kommunhuset sal B", "lunch till 12", text, now)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # A greeting is no part: what follows is the first need.
        ("hej, på Storgatan 8 blinkar lampan i trapphuset och på Kulturhuset är hissen trasig",
         ["på Storgatan 8 blinkar lampan i trapphuset", "på Kulturhuset är hissen trasig"]),
        # A thing where it stands, then what it does: one part.
        ("Datorn på plan 1 startar inte och på Björkskolan står en kran och droppar hela tiden",
         ["Datorn på plan 1 startar inte", "på Björkskolan står en kran och droppar hela tiden"]),
    ],
)  # fmt: skip
def test_a_greeting_and_a_thing_doing_something(text: str, parts: list[str]) -> None:
    assert [part for part, _ in marked_parts(_past_the_scene(text))] == parts


@pytest.mark.parametrize(
    ("part", "state"),
    [
        ("pa Vallaskolan ar elementen iskalla", True),  # without å/ä/ö
        ("i Socialkontoret rum 105 laddar dockningsstationen inte datorn längre", True),
        ("startar skrivaren inte", True),
        ("vi har inte fått något svar", False),
        ("lunch till mötet", False),
    ],
)
def test_a_state_or_a_thing_that_does_not_work(part: str, state: bool) -> None:
    assert _in_a_state(part.lower()) is state


@pytest.mark.parametrize(
    "text",
    [
        "vi behöver bärhjälp, ungefär 10 skåp och hyllor",
        "behöver hjälp att bära skrivbord, skåp och ett 40-tal flyttkartonger",
    ],
)
def test_things_carried_are_what_the_carrying_help_is_for(text: str) -> None:
    assert _CARRYING.search(text.lower())


def test_things_listed_after_carrying_help_are_never_kept_as_needs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import actions.matching as matching

    read: list[str] = []

    def part_service(part: str) -> tuple[str, Any]:  # the carrying part reads as the move
        read.append(part)
        return "TRA-02", SimpleNamespace(services=[], top_score=0.9)

    monkeypatch.setattr(matching, "_part_service", part_service)
    text = (
        "Vi flyttar från Rådhuset till Stadshuset plan 1 på onsdag om två veckor och "
        "behöver bärhjälp, ett tjugotal lådor och två skåp"
    )
    assert matching.open_needs(text, {"TRA-02"}) == []
    assert read == ["behöver bärhjälp"]  # the things carried are never read as needs


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # A lead that says where the listed things are from is no need of its own.
        (
            "Hej, tre saker från Solgårdens boende:\n- dörren till soprummet går inte att låsa"
            "\n- vi behöver 3 förpackningar munskydd",
            ["dörren till soprummet går inte att låsa", "vi behöver 3 förpackningar munskydd"],
        ),
        # One line each, without list marks, a place as each line's label.
        (
            "Två fel att anmäla:\nLindens förskola: lampan i tamburen har slocknat\n"
            "Ekskolan: någon har sprejat klotter på cykelskjulet",
            [
                "Lindens förskola: lampan i tamburen har slocknat",
                "Ekskolan: någon har sprejat klotter på cykelskjulet",
            ],
        ),
        # Two things one thing does are one part.
        ("lysröret i trapphuset blinkar och surrar", ["lysröret i trapphuset blinkar och surrar"]),
        # ... not two things asked for.
        ("boka ett rum och fika till 12", ["boka ett rum", "fika till 12"]),
        # A need told as remembered, with the moment it came to mind: what was remembered.
        (
            "Vi behöver ett rum kl 9. Och när jag ändå skriver kom jag på att taklampan "
            "i personalrummet har slocknat",
            ["Vi behöver ett rum kl 9", "Dessutom taklampan i personalrummet har slocknat"],
        ),
        (
            "Vi behöver ett rum på fredag, och innan jag glömmer, fika till 10",
            ["Vi behöver ett rum på fredag", "dessutom fika till 10"],
        ),
    ],
)
def test_a_list_by_lines_and_a_lead_that_names_the_place(text: str, parts: list[str]) -> None:
    assert [part for part, _ in marked_parts(_past_the_scene(text))] == parts


@pytest.mark.parametrize(
    ("part", "new_one"),
    [
        ("behöver en ny så jag kommer in på jobbet", True),
        ("jag behöver ett nytt för att kunna logga in", True),
        ("behöver en ny dator", False),
    ],
)
def test_a_new_one_for_a_purpose_asks_for_the_thing_just_named(part: str, new_one: bool) -> None:
    assert bool(_NEW_ONE_PART.fullmatch(_PURPOSE.sub("", part))) is new_one


def test_what_a_fault_has_already_done_is_more_of_it() -> None:
    assert _ALREADY.search("golvet är redan blött")
    assert not _ALREADY.search("golvet i hallen är blött")


@pytest.mark.parametrize(
    ("words", "name", "named"),
    [
        ("flytta 6 skrivbord från Storgatan 8", "Flytthjälp", True),
        ("vi behöver ett rum", "Hotellbokning", False),
        ("två gamla soffor till återbruk", "Hämtning av möbler för återbruk", True),
        ("en elcykel", "Bilpool", False),
    ],
)
def test_a_need_that_names_its_service_in_its_own_words(words: str, name: str, named: bool) -> None:
    assert _names_in_name(words, _service("X-1", name)) is named


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # one line each, typed in lower case on a phone
        ("kranen vid grovdisken droppar\nvi behöver 10 paket förkläden\ntvålen är slut på toan",
         ["kranen vid grovdisken droppar", "vi behöver 10 paket förkläden",
          "tvålen är slut på toan"]),
        # a line that goes on with the sentence before is joined back ("och så" splits
        # as it would on one line)
        ("vi behöver fika på torsdag\nför 12 personer\noch så är lampan i hallen trasig",
         ["vi behöver fika på torsdag för 12 personer", "så är lampan i hallen trasig"]),
        # a line that opens with a place goes on the line before, unless a clause of its
        # own follows the place ("på västerskolan slår dörren igen")
        ("boka ett rum\npå plan 2", ["boka ett rum på plan 2"]),
        ("skrivaren i stadshuset är offline\npå västerskolan slår dörren till personalrummet "
         "igen jättehårt",
         ["skrivaren i stadshuset är offline",
          "på västerskolan slår dörren till personalrummet igen jättehårt"]),
        ("lampan i hallen blinkar\ni köket är det fullt av flugor",
         ["lampan i hallen blinkar", "i köket är det fullt av flugor"]),
        ("vi behöver städning\ni matsalen som har golv som behöver skuras",
         ["vi behöver städning i matsalen som har golv som behöver skuras"]),
    ],
)  # fmt: skip
def test_lines_in_lower_case_are_items_unless_they_go_on(text: str, parts: list[str]) -> None:
    assert [p for p, _ in marked_parts(text)] == parts


def test_a_comma_part_about_the_same_thing_goes_on_about_a_fault() -> None:
    text = "Vi kan inte låsa dörren, nyckeln bara snurrar runt i låset"
    assert _same_thing_said_on(text, "Vi kan inte låsa dörren", "nyckeln bara snurrar runt i låset")
    # "och", or another thing: not the same fault going on
    other = "Vi kan inte låsa dörren, skrivaren är trasig"
    assert not _same_thing_said_on(other, "Vi kan inte låsa dörren", "skrivaren är trasig")
    joined = "Vi kan inte låsa dörren och nyckeln snurrar i låset"
    assert not _same_thing_said_on(joined, "Vi kan inte låsa dörren", "nyckeln snurrar i låset")


@pytest.mark.parametrize(
    ("part", "complaint"),
    [
        ("har de glömt bort oss?", True),
        ("har ni missat oss", True),
        ("har glömt mitt lösenord", False),
        ("har ni möjlighet att ordna fika?", False),
    ],
)
def test_asking_whether_they_forgot_is_a_complaint_not_a_need(part: str, complaint: bool) -> None:
    assert (_FORGOTTEN_US.match(part) is not None) is complaint


def test_a_need_kept_to_be_asked_about_waits_where_it_was_said() -> None:
    text = "Från köket:\n- 10 förkläden\n- golvbrunnen är stopp\n- glutenfri kost från måndag"
    parts = {"MAT-01": "glutenfri kost från måndag", f"{OPEN}1": "golvbrunnen är stopp"}
    assert in_said_order(text, ["MAT-01", f"{OPEN}1"], parts) == [f"{OPEN}1", "MAT-01"]
    # words not found in the message stay last
    assert in_said_order(text, ["MAT-01", f"{OPEN}1"], {**parts, f"{OPEN}1": "x y z"}) == [
        "MAT-01",
        f"{OPEN}1",
    ]


def test_someone_asked_to_deal_with_a_thing_is_a_need() -> None:
    assert need_cue("kan nån komma och ta hand om glaset i sandlådan")
    assert need_cue("på toaletterna finns ingen tvål")
    # pointing back, the question asks for the part before (see above)
    assert not need_cue("kan nån ta hand om det")


def test_a_polite_hedge_does_not_make_a_listed_thing_a_clause() -> None:
    parts = marked_parts("behöver ett rum på onsdag, och fika kl 10 om det går")
    assert ("fika kl 10 om det går", True) in parts
    # a clause of its own stays unsure
    told = marked_parts("behöver ett rum på onsdag, och vi kommer om det går")
    assert ("vi kommer om det går", True) not in told


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # someone by trade asked to do something is a need of its own
        (
            "Behöver ett rum och fika till alla och en tekniker som fixar ljudet",
            ["Behöver ett rum", "fika till alla", "en tekniker som fixar ljudet"],
        ),
        # the details of the need before do not end the list
        (
            "vi behöver ett rum på torsdag, det blir 12 personer och fika kl 10",
            ["vi behöver ett rum på torsdag", "fika kl 10"],
        ),
        # what a place becomes is no order of things
        (
            "Kan nån städa extra efter festen? Det blir kaffe och kakor överallt",
            ["Kan nån städa extra efter festen? Det blir kaffe och kakor överallt"],
        ),
    ],
)
def test_doers_details_and_states_in_a_list(text: str, parts: list[str]) -> None:
    assert need_parts(text) == parts


def test_a_lead_that_says_what_the_message_is_for_ends_the_story() -> None:
    text = (
        "Jag är ny här och har fått leta efter allt från recept till nycklar. Det jag "
        "egentligen skriver för är att kranen i diskrummet droppar"
    )
    assert _past_the_scene(text) == "kranen i diskrummet droppar"
    # too little after the lead: the message stands
    assert _past_the_scene("Det jag skriver om är detta") == "Det jag skriver om är detta"


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        # who writes and how is the scene
        (
            "hej jobbar pa hemtjansten och skriver fran mobilen. vi behover boka en bil",
            "vi behover boka en bil",
        ),
        ("Hej, kokerska här. Fläkten låter som en traktor", "Fläkten låter som en traktor"),
        ("Hej, vaktmästare på Ekbackens förskola. Kranen läcker", "Kranen läcker"),
        # ... unless a story follows (its first sentence is no need)
        (
            "Hej, jag är kock på Norrskolan. Hösten har varit tung. Kranen läcker",
            "jag är kock på Norrskolan. Hösten har varit tung. Kranen läcker",
        ),
        # how many things follow is the scene
        (
            "Morgonrundan klar, hittade tre saker som behöver fixas. I hus A droppar kranen",
            "I hus A droppar kranen",
        ),
        # a fault of a thing said with a count is no announcement
        (
            "Det är tre fel på skrivaren. Den drar flera ark",
            "Det är tre fel på skrivaren. Den drar flera ark",
        ),
    ],
)  # fmt: skip
def test_a_first_sentence_that_tells_who_or_how_many_is_the_scene(text: str, rest: str) -> None:
    assert _past_the_scene(text) == rest


@pytest.mark.parametrize(
    "part",
    [
        "köksfläkten låter som en traktor",
        "och kan ni skicka 3 paket förkläden",
        "fläkten drar dåligt",
    ],
)
def test_faults_by_sound_and_asking_to_send_are_needs(part: str) -> None:
    assert need_cue(part)


def test_the_same_thing_again_is_named_also_as_the_end_of_a_compound() -> None:
    assert _the_same_thing("glaset i entrédörren är krossat", "dörren går inte att låsa")
    assert not _the_same_thing("datorn startar inte", "skrivaren har pappersstopp")
    assert not _the_same_thing("glaset i entrédörren är krossat", "lampan i taket blinkar")


def test_who_writes_then_the_scene_are_both_past() -> None:
    text = (
        "Hej, jag jobbar på ekonomienheten. Vi har ledningsgruppsmöte fredag kl 13, 10 "
        "personer. Vi behöver ett rum och fika till alla"
    )
    assert _past_the_scene(text) == "Vi behöver ett rum och fika till alla"


def test_a_thing_ordered_with_its_own_verb_after_och_is_a_need_of_its_own() -> None:
    # "kan ni" is one doer for both acts, but "ordna lunch" orders a thing of its own
    assert need_parts("Kan ni boka ett rum åt oss från kl 12 och ordna lunch till alla?") == [
        "Kan ni boka ett rum åt oss från kl 12",
        "ordna lunch till alla?",
    ]
    # ... while "och fixa det" still goes on with the one thing
    assert len(need_parts("kan ni komma och fixa det")) == 1


def test_comma_och_after_a_verb_of_coming_starts_another_thing() -> None:
    text = (
        "Det är blankis vid huvudentrén som behöver tas om hand innan eleverna kommer, och "
        "två av bänkarna i matsalen har lösa ben som måste skruvas fast."
    )
    assert len(need_parts(text)) == 2
    assert len(need_parts("kan ni komma och sanda vid entrén")) == 1


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("fika vore fint", True),
        ("lunch hade varit toppen.", True),
        ("om det går vore det toppen med smörgåsar", True),
        ("det vore fint väder i morgon om prognosen stämmer", False),
        ("de saknar nycklar", True),
    ],
)
def test_a_wish_said_last_is_a_need(text: str, cue: bool) -> None:
    assert need_cue(text) is cue


def test_two_things_nobody_has_are_two_needs() -> None:
    parts = need_parts(
        "Två nya lärare börjar måndag och de har varken datorer eller nycklar till lärarrummet."
    )
    assert parts[-2:] == ["de behöver datorer", "behöver nycklar till lärarrummet."]


@pytest.mark.parametrize(
    "text",
    [
        "har ni förresten hunnit titta på min felanmälan om ventilationen från i måndags?",
        "min felanmälan om läckan förra veckan, har det hänt något?",
    ],
)
def test_a_question_about_an_earlier_ticket_asks_about_an_order(text: str) -> None:
    assert asks_about_order(text.lower())


def test_the_old_one_a_new_one_replaces_is_no_need_of_its_own() -> None:
    said = "Jag behöver en ny tjänstemobil, den gamla har spruckit skärm och går inte att använda"
    assert _OLD_ONE.search(said.lower())
    assert _SUBJECTLESS.match("går inte att använda")
    # an old thing named with its own noun may be a need of its own
    assert _OLD_ONE.search("och den gamla soffan ska hämtas") is None


def test_a_thing_named_as_known_goes_on_with_the_clause_after_och() -> None:
    said = (
        "Rummet ska storstädas, och den gamla byrån och fåtöljen där vill ingen ha så de får hämtas"
    )
    assert need_parts(said)[-1] == "den gamla byrån och fåtöljen där vill ingen ha så de får hämtas"
    # a thing asked for is no such thing
    assert need_parts("en projektor och lampan i hallen blinkar") == [
        "en projektor",
        "lampan i hallen blinkar",
    ]


def test_things_someone_lacks_are_needs_of_their_own() -> None:
    # "vi har inga datorer och inga nycklar": each thing lacked is a need.
    text = (
        "Vi är två nya kuratorer på Åsens skola och vi har inga datorer och inga nycklar "
        "till våra rum än"
    )
    assert need_parts(text)[-2:] == ["vi har inga datorer", "inga nycklar till våra rum än"]
    assert need_cue("de har inga kort")
    # no hurry, no idea, nothing left: no thing lacked
    assert not need_cue("vi har ingen brådska")
    assert not need_cue("jag har ingen aning")


def test_where_a_message_is_written_from_is_no_need() -> None:
    assert _no_need("från köket på Lindgårdens äldreboende!", 0, [])
    assert not _no_need("från och med måndag behöver vi fika", 0, [])


def test_when_a_thing_is_wanted_does_not_make_it_a_clause() -> None:
    # "… och en tjänstemobil innan hon börjar": the phone is listed, "innan hon börjar"
    # only says by when.
    text = "Så hon behöver ett eget passerkort och en tjänstemobil innan hon börjar"
    assert need_parts(text) == [
        "Så hon behöver ett eget passerkort",
        "en tjänstemobil innan hon börjar",
    ]


@pytest.mark.parametrize(
    ("scores", "clear"),
    [
        ((0.72, 0.70), True),  # high enough, however close the second
        ((0.66, 0.31), True),  # far ahead of every other ("och så har ingen städat i matsalen")
        ((0.66, 0.45), False),  # neither high nor far ahead
        ((0.55, 0.10), False),  # far ahead, but too weak a reading
    ],
)
def test_a_part_names_its_service_clearly_by_score_or_by_lead(
    scores: tuple[float, float], clear: bool
) -> None:
    from actions.matching import _clear_reading

    reading = SimpleNamespace(
        top_score=scores[0], services=[SimpleNamespace(score=s) for s in scores]
    )
    assert _clear_reading(reading) is clear  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("part", "subjectless"),
    [
        ("går inte att sänka längre", True),
        ("har tappat ett hjul", True),
        ("låter som ett flygplan", True),
        # a question, a subject after its verb ("sen startar inte datorn"), a wish
        ("har ni möjlighet att komma i morgon", False),
        ("startar inte datorn på kontoret", False),
        ("drar skrivaren in papperet snett", False),
        ("behöver två datorer till", False),
    ],
)
def test_a_clause_without_a_subject_of_its_own(part: str, subjectless: bool) -> None:
    assert (_SUBJECTLESS.match(part) is not None) is subjectless


def test_only_och_leaves_the_subject_out() -> None:
    text = "Stolen har tappat ett hjul och går inte att sänka, sen startar inte datorn"
    assert _after_och(text, "går inte att sänka")
    assert not _after_och(text, "startar inte datorn")


@pytest.mark.parametrize(
    ("text", "runs_out"),
    [
        ("det är nästan slut.", True),
        ("de har tagit slut", True),
        ("och det håller på att ta slut", True),
        # another thing that has run out is a need of its own
        ("det är slut på tvål också", False),
        ("toapappret är slut", False),
    ],
)
def test_the_thing_just_named_running_out_is_why_it_is_asked_for(text: str, runs_out: bool) -> None:
    assert (_IT_RUNS_OUT.fullmatch(text) is not None) is runs_out


def test_what_someone_is_to_do_for_us_is_a_need_of_its_own() -> None:
    text = (
        "Jag behöver boka konferensrummet Tranan kl 13 för 12 personer, och samma dag ska ett "
        "bud hämta en kartong med broschyrer på Stadsbiblioteket"
    )
    assert marked_parts(text) == [
        ("Jag behöver boka konferensrummet Tranan kl 13 för 12 personer", True),
        ("samma dag ska ett bud hämta en kartong med broschyrer på Stadsbiblioteket", True),
    ]
    assert _SOMEONE_SHALL.search("kan någon komma och laga den") is None  # a question asks


def test_how_a_thing_lies_or_stands_is_a_state() -> None:
    assert _in_a_state("på ekskolan ligger skolgården full av glassplitter efter helgen")
    assert _in_a_state("hela golvet står under vatten")


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        # a smiley ends the sentence that says who writes
        (
            "Hejsan, det är Karin som skriver, jag sitter på HR i Rådhuset :) Vi har en "
            "nyanställd och hon behöver en dator.",
            "Vi har en nyanställd och hon behöver en dator.",
        ),
        # a greeting said alone, then who writes
        (
            "Hej! Maja här, undersköterska på Rosengården. En av de boende har kräkts i "
            "dagrummet och vi behöver förkläden.",
            "En av de boende har kräkts i dagrummet och vi behöver förkläden.",
        ),
        # a greeting said alone before a story stays
        (
            "Hej! Vi har haft en tuff vecka. Kan ni städa matsalen?",
            "Hej! Vi har haft en tuff vecka. Kan ni städa matsalen?",
        ),
    ],
)
def test_who_writes_is_no_part_of_the_needs(text: str, rest: str) -> None:
    assert _past_the_scene(text) == rest


def test_the_place_of_who_writes_is_the_scene_s_place() -> None:
    now = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    text = (
        "Hej! Sara här, undersköterska på Lärkans äldreboende. En av de boende har kräkts i "
        "korridoren och vi behöver handskar."
    )
    assert _scene_place(text, now) == "Lärkans äldreboende"
    assert _scene_place("Det har kräkts i korridoren på Lärkans äldreboende.", now) is None


def test_what_a_place_is_between_commas_splits_no_part() -> None:
    text = (
        "På Ekskolan har nån slagit sönder en ruta, och vid Ängsgården, som är äldreboendet "
        "bredvid skolan, är det halt utanför entrén."
    )
    assert [part for part, _ in marked_parts(text)][
        -1
    ] == "vid Ängsgården är det halt utanför entrén."


@pytest.mark.parametrize(
    "words", ["en lampa som lyser orange", "ett bord som vi vill bli av med", "datorn startar inte"]
)
def test_a_part_with_a_verb_does_not_stand_out_of_its_sentence(words: str) -> None:
    # (decided before the part is read: no catalogue is needed)
    assert _stands_out(words, "FAS-01") is False


@pytest.mark.parametrize(
    ("low", "cued"),
    [
        # a fault told in a clause's word order
        ("när jag gick runt såg jag att lampan i korridoren inte tänds längre", True),
        ("jag märkte att diskmaskinen inte startar", True),
        ("det var inte lampan i korridoren", False),
    ],
)
def test_a_fault_said_in_a_clause_s_word_order_is_a_need(low: str, cued: bool) -> None:
    assert need_cue(low) is cued


def test_the_things_lying_somewhere_are_one_part() -> None:
    text = (
        "Efter helgen ligger det krossat glas och skräp över hela skolgården, och så behöver "
        "jag 2 nya nycklar till förrådet"
    )
    assert [part for part, _ in marked_parts(text)] == [
        "Efter helgen ligger det krossat glas och skräp över hela skolgården",
        "så behöver jag 2 nya nycklar till förrådet",
    ]


@pytest.mark.parametrize(
    "low",
    ["vi har haft loppis i dagrummet på sjöängens äldreboende", "vi hade julmarknad i aulan"],
)
def test_an_event_that_was_held_sets_the_scene(low: str) -> None:
    assert _sets_the_scene(low)


@pytest.mark.parametrize(
    ("low", "cued"),
    [
        ("sen ska jag anmäla att en ny elev i 4b har nötallergi", True),
        ("jag vill anmäla att lampan i trapphuset är trasig", True),
        ("min anmälan från i går", False),
        # what a machine says is wrong
        ('skrivaren säger bara "pappersstopp" fast inget papper sitter fast', True),
        ("hela personalgruppen får felmeddelande", True),
        ("det står papperstrassel fast det inte sitter nåt papper i den", False),
    ],
)
def test_something_to_report_is_a_need(low: str, cued: bool) -> None:
    assert need_cue(low) is cued


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # one phrase of time, not two parts
        (
            "en ny elev har nötallergi från och med måndag",
            ["en ny elev har nötallergi från och med måndag"],
        ),
        (
            "vi behöver rummet till och med fredag",
            ["vi behöver rummet till och med fredag"],
        ),
        # "också" inside one clause, not a part of its own
        (
            "Fläkten i köket drar inget. Vi har också fått en ny boende som inte tål laktos",
            ["Fläkten i köket drar inget", "Vi har också fått en ny boende som inte tål laktos"],
        ),
        # a verb without a subject of its own goes on with the clause before
        (
            "fläkten ovanför spisen låter som ett flygplan och drar nästan ingenting",
            ["fläkten ovanför spisen låter som ett flygplan och drar nästan ingenting"],
        ),
    ],
)
def test_one_clause_is_one_part(text: str, parts: list[str]) -> None:
    assert [part for part, _ in marked_parts(text)] == parts


def test_a_thing_remembered_after_its_lead_is_a_need() -> None:
    text = "Annars rullar det på. Men en sak till som jag nästan glömde: lampan i hallen är släckt"
    assert [part for part, _ in marked_parts(text)][-1] == "Dessutom lampan i hallen är släckt"


def _need(code: str) -> ServiceInfo:
    return SimpleNamespace(code=code)  # type: ignore[return-value]


def test_a_count_said_after_the_needs_goes_with_the_thing_it_counts() -> None:
    found = [
        (_need("KON-02"), "Det finns inga kollegieblock kvar i förrådet"),
        (_need("INK-02"), "vi har slut på engångsförkläden i köket"),
    ]
    assert _counted_earlier(found, "Vi behöver 10 block", next_to_last=True) == 0
    assert _counted_earlier(found, "3 kartonger förkläden till skolan", next_to_last=False) == 1
    # right after the need it counts, it is read as more of that need elsewhere
    assert _counted_earlier(found, "3 kartonger förkläden", next_to_last=True) is None
    # a thing neither need names, or a short word inside another, counts for none
    assert _counted_earlier(found, "Vi behöver 10 pennor", next_to_last=False) is None
    park = [(_need("UTE-01"), "skräp i parken"), (_need("KON-02"), "slut på papper")]
    assert _counted_earlier(park, "5 ark", next_to_last=False) is None


def test_since_a_meal_is_no_then_and_names_no_meal() -> None:
    from actions.matching import _SINCE_MEAL

    assert need_parts("wifit har legat nere sen lunch, båda på Kulturhuset")[0] == (
        "wifit har legat nere sen lunch"
    )
    assert _SINCE_MEAL.sub("", "wifit har legat nere sen lunch") == "wifit har legat nere"
    # "sen lunch till 12" still asks for a lunch
    assert len(marked_parts("ett rum på fredag, sen lunch till 12 personer")) == 2


def test_one_doing_and_a_thing_standing_there_too_are_one_part() -> None:
    assert need_parts("två nya skrivbord som går att höja och sänka") == [
        "två nya skrivbord som går att höja och sänka"
    ]
    assert len(marked_parts("kan ni hämta ett skrivbord? Det står också två stolar där")) == 1


def test_where_the_writer_sits_is_no_room_booking() -> None:
    from actions.matching import _WHERE_ONE_IS

    assert _WHERE_ONE_IS.fullmatch("sitter i kommunhuset rum 412")
    assert _WHERE_ONE_IS.fullmatch("jag jobbar på björkskolan")
    assert not _WHERE_ONE_IS.fullmatch("boka ett rum i kommunhuset")


def test_a_greeting_from_a_place_or_a_name_here_says_who_writes() -> None:
    from actions.matching import _introduces

    assert _introduces("Hej från köket på Sjöviksskolan.")
    assert _introduces("Maria i köket på Solgården här.")
    assert not _introduces("Från och med måndag behöver vi fler stolar.")
    assert not _introduces("Taket i köket läcker.")


def test_a_thing_that_will_not_work_is_a_state() -> None:
    assert _in_a_state("på socialkontoret vill skrivaren inte skriva ut nåt")
    assert not _in_a_state("på socialkontoret vill vi ha fika")


def test_a_part_torn_between_two_readings_takes_the_one_the_whole_message_ranks_first() -> None:
    from actions.matching import _in_whole_context
    from nlu.interpret import Interpretation, Match

    def reading(*ranked: tuple[str, float]) -> Interpretation:
        return Interpretation(
            "request_service", 0.9, "match", tuple(Match(c, s) for c, s in ranked)
        )

    part = reading(("RES-02", 0.71), ("KNF-01", 0.57))  # "boka ett rum": a hotel room?
    meeting = reading(("KNF-04", 0.83), ("KNF-02", 0.69), ("KNF-01", 0.65), ("RES-02", 0.37))
    assert _in_whole_context("RES-02", part, meeting) == "KNF-01"
    trip = reading(("RES-01", 0.8), ("RES-02", 0.7), ("KNF-01", 0.2))
    assert _in_whole_context("RES-02", part, trip) == "RES-02"
    # a part read clearly ahead keeps its own reading
    clear = reading(("RES-02", 0.9), ("KNF-01", 0.5))
    assert _in_whole_context("RES-02", clear, meeting) == "RES-02"
    assert _in_whole_context("RES-02", part, None) == "RES-02"


def test_who_writes_on_a_line_of_its_own_is_no_need() -> None:
    assert _past_the_scene(
        "hemtjänsten norrby här\nbehöver en bil i morgon kl 8\nhandskarna är slut"
    ) == ("behöver en bil i morgon kl 8\nhandskarna är slut")
    # a first line that asks for something stays
    said = "vi behöver en bil här\nhandskarna är slut"
    assert _past_the_scene(said) == said


def test_a_weak_part_stands_alone_only_far_ahead_of_the_next_service() -> None:
    from actions.matching import _far_ahead
    from nlu.interpret import Interpretation, Match

    ahead = Interpretation(
        "request_service", 0.9, "match", (Match("INK-02", 0.6), Match("KON-02", 0.19))
    )
    close = Interpretation(
        "request_service", 0.9, "match", (Match("MOB-01", 0.6), Match("TRA-02", 0.5))
    )
    assert _far_ahead(ahead, "INK-02")
    assert not _far_ahead(ahead, "KON-02")
    assert not _far_ahead(close, "MOB-01")


@pytest.mark.parametrize(
    ("part", "how"),
    [
        ("dubbelsidigt och häftat", True),
        ("laminerade", True),
        # a thing, however it ends, is no way a thing is made
        ("fruktfat", False),
        ("kaffe och kakor", False),
        ("ett rum till mötet", False),
    ],
)
def test_how_a_thing_ordered_is_to_be_is_no_need_of_its_own(part: str, how: bool) -> None:
    from actions.matching import _how_it_is_made

    assert _how_it_is_made(part) is how


@pytest.mark.parametrize(
    ("part", "said"),
    [
        ("Dessutom har vi nästan inga handskar kvar i storlek S heller", True),
        ("det är slut på toner", True),
        ("förklädena håller på att ta slut", True),
        ("vi har handskar så det räcker", False),
    ],
)
def test_a_lack_said_in_words(part: str, said: bool) -> None:
    from actions.matching import _LACK_SAID

    assert bool(_LACK_SAID.search(part.lower())) is said


@pytest.mark.parametrize(
    ("part", "state"),
    [
        ("mitt i provet stängde datorn i klassrum 12 av sig helt", True),
        ("datorn jag ärvt efter den som slutade vill inte starta", True),
        ("projektorn slocknade mitt i mötet", True),
        # what someone would not do is no thing that broke down
        ("vi ville inte störa er i går", False),
    ],
)
def test_a_thing_that_broke_down_told_as_what_happened_is_a_state(part: str, state: bool) -> None:
    assert _in_a_state(part.lower()) is state


def test_who_writes_and_another_matter_said_while_writing() -> None:
    from actions.matching import _REMEMBERED, _introduces

    assert _introduces("jag är ny på ekonomikontoret sen i måndags")
    assert _introduces("hej, jag har precis börjat på Solgården")
    assert not _introduces("jag är nöjd med städningen på Solgården")
    assert _REMEMBERED.search("Och när jag ändå skriver så har vi inga handskar kvar")
    assert _REMEMBERED.search("medan jag ändå håller på, lampan i hallen blinkar")


def test_an_introduction_that_goes_on_with_a_fault_is_no_scene() -> None:
    said = (
        "Jag jobbar natt på Solgården avd 2 och det har varit en tuff natt, sen började det "
        "droppa från taket och nu står det vatten på golvet. Och när jag ändå skriver så har "
        "vi nästan inga handskar kvar"
    )
    assert _past_the_scene(said).startswith("Jag jobbar natt")
    # an introduction that says who writes and nothing more is the scene
    plain = "Jag jobbar på Solgården avd 2. Vi behöver fler handskar"
    assert _past_the_scene(plain) == "Vi behöver fler handskar"


@pytest.mark.parametrize(
    "text",
    [
        "Vi har tolv kartonger med gamla pärmar i källaren som ska till arkivet, kan ni hämta?",
        "Soffan i personalrummet är trasig och ska bort, kan nån fixa det?",
    ],
)
def test_a_request_of_one_verb_asks_for_what_the_part_before_names(text: str) -> None:
    marked = marked_parts(text)
    assert len(marked) == 1 and marked[0][1]
    # A request that names a thing of its own stays a need of its own.
    own = "Vi behöver ett rum på torsdag, kan ni ordna fika till det?"
    assert [sure for _, sure in marked_parts(own)] == [True, True]


def test_a_need_already_waiting_is_not_queued_twice() -> None:
    from rasa_sdk import Tracker

    from actions.order_form import _queue_all

    pickup = _service("MOB-02", "Hämtning av möbler")
    fault = replace(_service("FAS-01", "Felanmälan fastighet"), kind="fault")
    waiting = Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": {"queued_services": ["MOB-02"], "queued_parts": {"MOB-02": "kan ni hämta?"}},
            "latest_message": {"text": ""},
            "events": [],
        }
    )
    again = _queue_all(waiting, [(pickup, "tre gamla skåp som ska bort")])
    assert again == {
        "queued_services": ["MOB-02"],
        "queued_parts": {"MOB-02": "tre gamla skåp som ska bort"},
    }
    # A second fault to the same service is one of its own.
    faults = Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": {"queued_services": ["FAS-01"], "queued_parts": {"FAS-01": "lampan"}},
            "latest_message": {"text": ""},
            "events": [],
        }
    )
    second = _queue_all(faults, [(fault, "dörren går inte att låsa")])
    assert second["queued_services"] == ["FAS-01", "FAS-01#2"]
    assert second["queued_parts"]["FAS-01#2"] == "dörren går inte att låsa"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "lampan i hallen blinkar och nån har spillt kaffe i trappan, båda på Ekskolan hus A",
            "Ekskolan hus A",
        ),
        ("Tre saker – alla tre i Rådhuset: fika, en projektor och ett rum", "Rådhuset"),
        # a place of one need only
        ("lampan i hallen på Ekskolan blinkar och kranen droppar", None),
        ("vi är alla på plats kl 9", None),
    ],
)
def test_a_place_said_for_all_needs_at_once(text: str, place: str | None) -> None:
    from actions.matching import shared_place

    assert (
        shared_place(text, datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm")))
        == place
    )


@pytest.mark.parametrize(
    ("part", "state"),
    [
        ("och det forsar in vatten genom taket i entrén", True),
        ("det ryker ur elskåpet", True),
        ("det luktar bränt i köket", True),
        ("det blir 12 personer", False),
    ],
)
def test_what_is_happening_said_with_det_is_a_state(part: str, state: bool) -> None:
    assert _in_a_state(part) is state


@pytest.mark.parametrize(
    ("part", "cue"),
    [
        ("bara ett skrivbord och ingen stol alls", True),
        ("och inga pennor heller", True),
        ("ingen fara alls", False),
        ("inga problem heller", False),
    ],
)
def test_a_thing_lacking_at_all_asks_for_it(part: str, cue: bool) -> None:
    assert need_cue(part) is cue


def test_a_move_planned_from_one_place_to_another_is_to_be_done() -> None:
    from actions.matching import _PLANNED_MOVE

    assert _PLANNED_MOVE.search("vi flyttar skolbiblioteket från hus a till hus b på måndag")
    assert _PLANNED_MOVE.search("enheten ska flytta från storgatan till torget 3")
    # a move without where from and where to, or someone else's, is a story
    assert not _PLANNED_MOVE.search("vi flyttar i vår")
    assert not _PLANNED_MOVE.search("han flyttar från stan till landet")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # "också" inside a clause splits nothing
        (
            "Kollegieblocken är också slut, 10 stycken skulle räcka.",
            ["Kollegieblocken är också slut", "10 stycken skulle räcka."],
        ),
        (
            "Taklampan har slutat lysa, och på Ekbackens förskola där jag också jobbar har "
            "ingen tömt papperskorgarna",
            [
                "Taklampan har slutat lysa",
                "på Ekbackens förskola där jag också jobbar har ingen tömt papperskorgarna",
            ],
        ),
    ],
)
def test_also_inside_a_clause_is_no_split(text: str, parts: list[str]) -> None:
    assert [part for part, _ in marked_parts(text)] == parts


def test_och_sa_lists_another_thing_to_be_done() -> None:
    text = (
        "Jag behöver 500 kopior av foldern, och så ska vi annonsera efter en administratör, "
        "och så kan vi inte jobba"
    )
    marked = dict(marked_parts(text))
    assert marked["så ska vi annonsera efter en administratör"] is True
    # what follows ("och så kan vi inte …") is no thing to be done
    assert "så kan vi inte jobba" not in marked


@pytest.mark.parametrize(
    ("part", "amount"),
    [
        ("vi behöver 4 kartonger", True),
        ("jag skulle behöva 10 stycken", True),
        ("det behövs nog 3 paket av varje", True),
        ("vi behöver 4 flyttkartonger", False),
        ("vi behöver 4 stolar", False),
    ],
)
def test_how_many_said_with_a_word_for_needing_is_an_amount(part: str, amount: bool) -> None:
    from actions.matching import _COUNT_WANTED

    assert bool(_COUNT_WANTED.fullmatch(part)) is amount


@pytest.mark.parametrize(
    ("part", "ill"),
    [
        ("halva gruppen är sjuk", True),
        ("två av oss är hemma sjuka", True),
        ("Anna vabbar", True),
        ("halva gruppen är sjuk och vi behöver stöd", False),
        ("datorn är sjukt seg", False),
    ],
)
def test_staff_off_sick_is_no_need_unless_one_is_said(part: str, ill: bool) -> None:
    assert _no_need(part, 1, []) is ill


def test_a_machine_that_refuses_is_a_need() -> None:
    assert need_cue("när jag skulle skriva ut vägrade skrivaren i personalrummet")
    assert need_cue("datorn vägrar starta")


def test_another_matter_said_after_an_answer() -> None:
    said = "5 paket av varje. Sen en annan sak: skrivaren på plan 3 har slutat skriva ut"
    assert answer_and_more(said) == (
        "5 paket av varje",
        "Sen en annan sak: skrivaren på plan 3 har slutat skriva ut",
    )
    assert without_lead("En annan grej, lampan i hallen är trasig") == "lampan i hallen är trasig"
    assert answer_and_more("ja, det är en annan sak") is None


def test_one_need_at_both_of_two_places_is_one_need_at_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import types

    from actions import matching

    windows = _service("LOK-04", "Fönsterputs")
    monkeypatch.setattr(
        matching, "snapshot", lambda: types.SimpleNamespace(services={"LOK-04": windows})
    )
    whole = SimpleNamespace(outcome="match", services=(SimpleNamespace(code="LOK-04"),))
    text = "fönsterputs både på Gläntans förskola och på Skogsbrynets förskola, 20 fönster"
    assert matching._at_both_places(text, whole) == [  # type: ignore[arg-type]
        (windows, "fönsterputs på Gläntans förskola, 20 fönster"),
        (windows, "fönsterputs på Skogsbrynets förskola, 20 fönster"),
    ]
    lamps = "lysrören blinkar i gympasalarna på både Norrskolan och Södra skolan."
    assert [p for _, p in matching._at_both_places(lamps, whole)] == [  # type: ignore[arg-type]
        "lysrören blinkar i gympasalarna på Norrskolan.",
        "lysrören blinkar i gympasalarna på Södra skolan.",
    ]
    # things, not places; or no clear service
    assert matching._at_both_places("både kaffe och bullar till mötet", whole) == []  # type: ignore[arg-type]
    unclear = SimpleNamespace(outcome="choose", services=whole.services)
    assert matching._at_both_places(text, unclear) == []  # type: ignore[arg-type]


def test_the_same_service_twice_is_named_by_its_places() -> None:
    from actions.matching import several_names

    windows = _service("LOK-04", "Fönsterputs")
    named = several_names(
        [(windows, "fönsterputs på Gläntans förskola"), (windows, "fönsterputs på Norrskolan")]
    )
    assert named == ["fönsterputs (Gläntans förskola)", "fönsterputs (Norrskolan)"]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("hej från förskolan ekorren! vi behöver:\nfönsterputs", "förskolan Ekorren"),
        ("hej, två saker från ekbackens skola:\nmaten kom sent", "Ekbackens skola"),
        ("Hej från köket på Lindgårdens äldreboende!", "köket på Lindgårdens äldreboende"),
        # a move from one place to another, a person, a time: no place of the writer
        ("hej, flytt från rum 210 till rum 214", None),
        ("hej från Anna", None),
        ("från och med måndag behöver vi fika", None),
    ],
)
def test_where_the_writer_is_said_in_the_greeting(text: str, place: str | None) -> None:
    from actions.matching import greeting_place

    assert greeting_place(text) == place


def test_water_running_on_is_the_same_leak() -> None:
    from actions.matching import _ASKS_DONE, _WATER_RUNS

    assert _WATER_RUNS.search("det forsar vatten ur taket här")
    assert _WATER_RUNS.search("det rinner längs väggen ner på golvet")
    # asking for a cleaning after it is a need of its own
    assert _ASKS_DONE.search("kan någon städa upp efteråt")
    assert not _ASKS_DONE.search("det rinner längs väggen ner på golvet")


def test_a_thing_that_sticks_goes_on_with_the_thing_before() -> None:
    text = (
        "Skrivaren drar in flera ark på en gång och fastnar hela tiden, och kan vi "
        "beställa 6 paket kopieringspapper"
    )
    parts = [part for part, _ in marked_parts(text)]
    assert parts[0] == "Skrivaren drar in flera ark på en gång och fastnar hela tiden"


def test_greetings_from_where_one_writes_carry_no_need() -> None:
    assert _no_need("Hälsningar från städet på Björkhagens förskola!", 0, [])
    assert _no_need("Hej från köket på Lindgårdens äldreboende!", 0, [])
    # a need said with it is one
    assert not _no_need("Hälsningar från köket, vi behöver fler förkläden", 0, [])


@pytest.mark.parametrize(
    ("part", "cue"),
    [
        ("Fläkten ovanför spisarna i storköket har slutat dra", True),
        ("diskmaskinen har slutat spola", True),
        ("vi har bara ett par av de gula plastrockarna kvar", True),
        ("det finns bara 3 rullar kvar i förrådet", True),
        ("vi har bara en vecka kvar till flytten", False),
        ("det är bara två dagar kvar", False),
    ],
)
def test_a_thing_that_stopped_or_a_few_left_is_a_need(part: str, cue: bool) -> None:
    assert need_cue(part) is cue


def test_a_story_ends_at_what_one_was_going_to_write_about() -> None:
    text = (
        "Vilken vecka det har varit, i måndags hade vi brandövning och i går kom tre "
        "föräldrar på fel dag. Men det jag egentligen skulle skriva om: taklamporna i "
        "fritidsrummet har slocknat allihop"
    )
    assert _past_the_scene(text) == "taklamporna i fritidsrummet har slocknat allihop"


def test_an_answer_ends_before_the_dash_that_leads_to_another_need() -> None:
    said = "7720 – och så vill vi beställa fika till 60 personer på avslutningen"
    assert answer_and_more(said) == (
        "7720",
        "och så vill vi beställa fika till 60 personer på avslutningen",
    )


def test_a_need_concluded_with_sa_is_no_consequence() -> None:
    from actions.matching import _CONSEQUENCE

    assert _CONSEQUENCE.sub("", "kommer hem på fredag, så vi behöver tåg dit") == (
        "kommer hem på fredag, så vi behöver tåg dit"
    )
    assert _CONSEQUENCE.sub("", "dörren har gått sönder, så vi kommer inte in") == (
        "dörren har gått sönder"
    )


def test_how_many_we_are_said_between_is_passed_over_for_the_thing_listed_after() -> None:
    text = (
        "Jag behöver ett rum till vårt nätverksmöte tisdag nästa vecka kl 9, vi är 12 stycken, "
        "och kaffe och bullar till det."
    )
    parts = [part for part, _ in marked_parts(text)]
    assert parts[0] == "Jag behöver ett rum till vårt nätverksmöte tisdag nästa vecka kl 9"
    assert "kaffe" in parts


@pytest.mark.parametrize(
    "part", ["skrivaren säger papperstopp hela tiden", "kopiatorn visar pappersstopp"]
)
def test_a_paper_jam_however_spelt_is_a_need(part: str) -> None:
    assert need_cue(part)


def test_a_thing_with_its_own_article_after_what_comes_with_the_one_before_is_listed() -> None:
    text = (
        "Hon behöver en bärbar dator med dockningsstation, en tjänstemobil och så ett höj- "
        "och sänkbart skrivbord."
    )
    assert marked_parts(text) == [
        ("Hon behöver en bärbar dator med dockningsstation", True),
        # (it may come with the computer: a need only when it reads clearly as one)
        ("en tjänstemobil", False),
        ("så ett höj- och sänkbart skrivbord.", True),
    ]
    # What a state is full of lists no order.
    assert [p for p, _ in marked_parts("det är fullt med löv, en massa skräp på gården")] == [
        "det är fullt med löv"
    ]


def test_the_word_that_joins_a_part_is_no_part_of_what_it_is() -> None:
    from actions.matching import _JOINER

    assert _JOINER.sub("", "och så ett höj- och sänkbart skrivbord") == (
        "ett höj- och sänkbart skrivbord"
    )
    assert _JOINER.sub("", "sen plus två kartonger") == "två kartonger"
    assert _JOINER.sub("", "sängen i rum 3") == "sängen i rum 3"


def test_a_part_on_the_same_line_follows_the_one_before() -> None:
    from actions.matching import _same_line

    text = "tre saker:\n- fönsterputs på solrosen\n- en stol har gått sönder, hjulfoten sprack"
    assert _same_line(text, "en stol har gått sönder", "hjulfoten sprack")
    assert not _same_line(text, "fönsterputs på solrosen", "en stol har gått sönder")


def test_a_name_between_commas_is_who_is_meant_not_a_part() -> None:
    text = "Sen behöver en ny undersköterska, Sara Lind, en nyckel till medicinförrådet."
    assert [p for p, _ in marked_parts(text)] == [
        "Sen behöver en ny undersköterska Sara Lind en nyckel till medicinförrådet."
    ]


def test_what_the_clause_before_lacks_is_a_need() -> None:
    assert need_cue("två nya vikarier börjar på måndag och har inga passerkort till lokalen")
    assert not need_cue("hon börjar på måndag och har ingen aning om var allt finns")


def test_what_is_to_be_done_with_the_thing_on_the_line_is_no_need_of_its_own() -> None:
    from actions.matching import _POINTS_TO_IT

    assert _POINTS_TO_IT.match("den behöver lagas")
    assert _POINTS_TO_IT.match("och det måste bort")
    assert not _POINTS_TO_IT.match("det är kallt i rummet")


@pytest.mark.parametrize(
    "part",
    [
        # a fault that has begun, said with the infinitive
        "Fläkten över spisen har börjat låta som ett flygplan",
        "taket i förrådet har börjat läcka",
        # loose parts
        "att två av matsalsbänkarna har lösa ben",
        "stolen i receptionen har ett löst hjul",
        # a wish joined to the one before by "samt att"
        "att ni hämtar de gamla skrivborden där för återbruk.",
        # the fault just told, again at another place
        "på Vallaskolan ser matsalen likadan ut.",
        "och i hus B är det likadant",
    ],
)
def test_more_ways_a_part_asks_or_reports(part: str) -> None:
    assert need_cue(part.lower())


@pytest.mark.parametrize(
    "part",
    ["att det ser fint ut", "hon har löst problemet själv", "vi har börjat planera"],
)
def test_what_only_tells_is_still_no_cue(part: str) -> None:
    assert not need_cue(part.lower())


def test_parts_that_ask_or_report_in_those_ways_are_marked_sure() -> None:
    text = (
        "Gräset runt skolan har inte klippts på en månad, plus att två av matsalsbänkarna "
        "har lösa ben, plus att vi har ett gäng gamla pulpeter som ni gärna får hämta."
    )
    assert [sure for _, sure in marked_parts(text)] == [True, True, True]
    text = (
        "På Björkskolan har ingen städat toaletterna, och på Vallaskolan ser matsalen likadan ut."
    )
    assert marked_parts(text) == [
        ("På Björkskolan har ingen städat toaletterna", True),
        ("på Vallaskolan ser matsalen likadan ut.", True),
    ]


def test_loose_parts_are_a_fault_said_in_words() -> None:
    assert _FAULT_SAID.search("att två av matsalsbänkarna har lösa ben")
    assert not _FAULT_SAID.search("vi har löst det")


def test_the_same_again_reads_likadan_too() -> None:
    from actions.matching import _SAME_AGAIN

    assert _SAME_AGAIN.search("på vallaskolan ser matsalen likadan ut")
    assert _SAME_AGAIN.search("där är det lika illa")


def test_how_many_in_more_kinds_of_packs_is_the_amount_of_the_thing_before() -> None:
    from actions.matching import _COUNT_WANTED

    assert _COUNT_WANTED.fullmatch("vi skulle behöva 12 flaskor.")
    assert _COUNT_WANTED.fullmatch("vi behöver 3 burkar")
    assert not _COUNT_WANTED.fullmatch("vi behöver 3 nya stolar")


@pytest.mark.parametrize(
    ("text", "per_place"),
    [
        ("Vi behöver engångsförkläden från lagret: 8 kartonger till Ekbackens förskola", True),
        ("kan vi få fika till 12 personer till Rådhuset", True),
        ("Vi behöver engångsförkläden till förskolan", False),
    ],
)
def test_a_part_that_ends_with_a_count_for_a_place(text: str, per_place: bool) -> None:
    from actions.matching import _COUNT_TO_PLACE_END

    assert (_COUNT_TO_PLACE_END.search(text) is not None) is per_place


@pytest.mark.parametrize(
    ("part", "only"),
    [
        ("3 kartonger till Lärkans förskola.", True),
        ("och 8 till Stadshuset på fredag?", True),
        ("3 kartonger handskar till förskolan och en ny stol", False),
        ("en soffa till Rådhuset", False),
    ],
)
def test_a_part_that_is_only_a_count_for_a_place(part: str, only: bool) -> None:
    from actions.matching import _COUNT_TO_PLACE_ONLY

    assert (_COUNT_TO_PLACE_ONLY.fullmatch(part) is not None) is only


def test_places_announced_before_a_colon_are_read_one_by_one() -> None:
    from actions.matching import _NEXT_PLACE, _PLACES_ANNOUNCED

    text = (
        "Vi har gamla möbler som ska hämtas på två ställen: på Storgatan 8 är det fyra "
        "skrivbord och på Parkgatan 3 en soffa och två fåtöljer."
    )
    announced = _PLACES_ANNOUNCED.search(text)
    assert announced is not None
    assert _NEXT_PLACE.split(text[announced.end() :]) == [
        "på Storgatan 8 är det fyra skrivbord",
        "på Parkgatan 3 en soffa och två fåtöljer.",
    ]
    assert _PLACES_ANNOUNCED.search("vi har varit på två ställen idag") is None


@pytest.mark.parametrize(
    ("sentence", "introduces"),
    [
        ("Det är Lena, kokerska på Solgårdens äldreboende.", True),
        ("det är Mona på ekonomi", True),
        ("Jag heter Ahmed och jobbar i köket", True),
        # a place, not who writes
        ("Det är Vallaskolan, hus B.", False),
        ("Det är Solgården det gäller.", False),
    ],
)
def test_who_writes_is_read_at_the_start_of_a_message_too(sentence: str, introduces: bool) -> None:
    from actions.matching import _introduces

    assert _introduces(sentence) is introduces


def test_the_first_need_is_described_by_the_rest_of_a_sentence_it_shares() -> None:
    from actions.matching import _without_their_sentences

    text = (
        "Hej! Det är Lena, kokerska på Solgården. Fläkten över spisen har börjat låta som "
        "ett flygplan, och så behöver vi 4 kartonger engångshandskar i storlek M."
    )
    fan = "Fläkten över spisen har börjat låta som ett flygplan"
    assert _without_their_sentences(text, [fan]) == (
        "behöver vi 4 kartonger engångshandskar i storlek M."
    )


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("fönsterputs både på Gläntans förskola och på Skogsbrynets förskola",
         ("Gläntans förskola", "Skogsbrynets förskola")),
        # a thing not done at either place
        ("Städningen har inte blivit gjord varken i Björkskolan hus C eller i Björkskolans "
         "idrottshall, papperskorgarna är fulla",
         ("Björkskolan hus C", "Björkskolans idrottshall")),
    ],
)  # fmt: skip
def test_one_need_at_both_or_neither_of_two_places(text: str, places: tuple[str, str]) -> None:
    from actions.matching import _BOTH_PLACES

    both = _BOTH_PLACES.search(text)
    assert both is not None
    assert (both["one"], both["other"]) == places


def test_places_announced_before_a_colon_may_be_named_without_a_preposition() -> None:
    from actions.matching import _ITEM_PLACE, _NEXT_PLACE, _PLACES_ANNOUNCED

    text = (
        "vi vill beställa fönsterputs på två förskolor: Ekbackens förskola har 30 fönster "
        "och Lärkans förskola har 16"
    )
    announced = _PLACES_ANNOUNCED.search(text)
    assert announced is not None
    items = _NEXT_PLACE.split(text[announced.end() :])
    assert items == ["Ekbackens förskola har 30 fönster", "Lärkans förskola har 16"]
    assert [_ITEM_PLACE.match(i)["name"] for i in items] == ["Ekbackens", "Lärkans"]  # type: ignore[index]


def test_a_count_for_a_place_named_after_a_place_word() -> None:
    from actions.matching import _COUNT_TO_PLACE_ONLY

    said = _COUNT_TO_PLACE_ONLY.fullmatch("6 flaskor till hemtjänsten Centrum")
    assert said is not None and said["place"] == "hemtjänsten Centrum"
    assert _COUNT_TO_PLACE_ONLY.fullmatch("6 flaskor till hemtjänsten") is None


def test_counts_said_per_place_by_short_names_go_to_their_own_place() -> None:
    from actions.matching import _own_counts

    tail = ", gärna måndag nästa vecka. Lärkan har 30 fönster och Ekbacken 18."
    assert _own_counts(tail, "Lärkans förskola") == (
        ", gärna måndag nästa vecka. Lärkan har 30 fönster."
    )
    assert _own_counts(tail, "Ekbackens förskola") == (
        ", gärna måndag nästa vecka. Ekbacken har 18 fönster."
    )
    # one count, or a name that is neither place's: the words stay as said
    assert _own_counts(", 30 fönster.", "Lärkans förskola") == ", 30 fönster."
    assert _own_counts(". Lärkan har 30 och Ekbacken 18.", "Norrskolan") == (
        ". Lärkan har 30 och Ekbacken 18."
    )
