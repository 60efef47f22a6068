"""When a first message is kept as the order's description, and when it is asked for."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions._desk import ServiceInfo
from actions._format import name_in_sentence
from actions.matching import _one_thing, describes_something

CLEANING = ServiceInfo(
    code="LOK-01", kind="fault", category="Lokalvård", name="Felanmälan lokalvård",
    description="Brister i den ordinarie städningen", price_sek=Decimal(0),
    price_unit="ingår i avtal", performer="Lokalvård", sla_hours=24,
    order_fields=("location", "description"), keywords=("städning", "ostädat", "smutsigt"),
)  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "felanmälan lokalvård",
        "vill anmäla att städningen inte funkar",
        "städningen fungerar inte ordentligt",
    ],
)
def test_naming_the_service_or_that_it_fails_is_not_a_description(text: str) -> None:
    assert not describes_something(text, CLEANING)


@pytest.mark.parametrize(
    "text",
    [
        "papperskorgarna i personalrummet har inte tömts på en vecka",
        "det är sand och grus överallt i kapprummet",
        # Where it is belongs to the description of a fault.
        "det är smutsigt i korridoren på plan 2",
    ],
)
def test_saying_what_is_wrong_is_a_description(text: str) -> None:
    assert describes_something(text, CLEANING)


DEEP_CLEANING = ServiceInfo(
    code="LOK-03", kind="order", category="Lokalvård", name="Storstädning",
    description="Grundlig rengöring av lokaler", price_sek=Decimal(0),
    price_unit="enligt offert", performer="Lokalvård", sla_hours=240,
    order_fields=("location", "date", "description"), keywords=("storstäd", "golvvård"),
)  # fmt: skip
KEY_CARDS = ServiceInfo(
    code="FAS-05", kind="order", category="Fastighet", name="Passerkort och nycklar",
    description="Nya passerkort", price_sek=Decimal(0), price_unit="ingår",
    performer="Fastighetsförvaltningen", sla_hours=72,
    order_fields=("location", "quantity", "description"), keywords=("passerkort", "nyckel"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "service", "place"),
    [
        # Where an order is for says where, not what: what is to be done is asked.
        ("vi vill ha storstädning av förskolan på fredag", DEEP_CLEANING, None),
        ("hej vi skulle behöva en storstädning på avdelningen", DEEP_CLEANING, None),
        ("jag behöver 3 passerkort till Solgårdens förskola", KEY_CARDS, "Solgårdens förskola"),
    ],
)
def test_an_order_that_only_names_the_service_and_a_place_is_not_described(
    text: str, service: ServiceInfo, place: str | None
) -> None:
    assert not describes_something(text, service, place)


def test_an_order_that_says_what_besides_the_place_is_described() -> None:
    text = "storstädning av förskolan efter vattenskadan, golven i alla rum"
    assert describes_something(text, DEEP_CLEANING)
    assert describes_something("passerkort till Solgården för Anna och Erik", KEY_CARDS)


FURNITURE = ServiceInfo(
    code="MOB-01", kind="order", category="Möbler", name="Möbelbeställning",
    description="Beställning av möbler", price_sek=Decimal(0), price_unit="enligt katalog",
    performer="Omlastningscentralen", sla_hours=336,
    order_fields=("location", "quantity", "description"), keywords=("kontorsstol", "bokhylla"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "describes"),
    [
        # The things an order delivers say what is ordered; its name alone does not.
        ("vi behöver 6 nya kontorsstolar", True),
        ("två bokhyllor till personalrummet", True),
        ("boka möbler", False),
        ("jag vill göra en möbelbeställning", False),
    ],
)
def test_an_orders_things_describe_it_but_its_name_does_not(text: str, describes: bool) -> None:
    assert describes_something(text, FURNITURE) is describes


CATERING = ServiceInfo(
    code="KNF-03", kind="order", category="Konferens", name="Mat till möte",
    description="Lunch, smörgåsar eller middag till möten och konferenser", price_sek=Decimal(115),
    price_unit="kr per person", performer="Konferensservice", sla_hours=72,
    order_fields=("date", "time", "participants", "description"), keywords=("lunch", "catering"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "describes"),
    [
        # When and for what occasion say nothing of what food: it is asked.
        ("vi vill ha smörgåsar vid lunch kl 12 om två veckor på tisdag, 10 pers", False),
        ("vi ska ha planeringsdag nästa vecka på onsdag och behöver lunch till 22 kl 12", False),
        ("lunch till hybridmötet på torsdag", False),
        ("lunch till 12 personer på torsdag, gärna vegetariskt", True),
        ("soppa och bröd till mötet på fredag", True),
        # a wish says which of what it delivers
        ("lunch (gärna smörgåsar) till mötet", True),
        ("lunch till mötet, gärna på fredag", False),
        # a thing of its own after a comma at the end says which; a place, thanks or a
        # time there does not
        ("lunch till 9 personer på tisdag kl 11.30, smörgåsar", True),
        ("lunch till 20 personer på fredag, Rådhuset", False),
        ("lunch till 15 personer, tack", False),
        ("lunch till 20 på fredag, kl 12", False),
    ],
)
def test_when_and_the_occasion_do_not_describe_an_order(text: str, describes: bool) -> None:
    assert describes_something(text, CATERING) is describes


MEETING_TECH = ServiceInfo(
    code="KNF-04", kind="order", category="Konferens", name="Teknisk mötessupport",
    description="Tekniker som hjälper till med projektor, mikrofoner, ljud och hybridmöten på "
    "plats.", price_sek=Decimal(650), price_unit="kr per timme", performer="Konferensservice",
    sla_hours=48, order_fields=("date", "time", "location", "description"),
    keywords=("projektor", "mikrofon", "ljud", "hybridmöte", "teknik på mötet"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "describes"),
    [
        # Which of the things the service helps with says what it is about.
        ("vi behöver nån som hjälper oss med mikrofonerna på torsdag", True),
        ("kan ni komma och koppla in projektorn i sal B kl 13", True),
        # Naming the service, the meeting or the help says nothing more.
        ("teknisk mötessupport till mötet på torsdag", False),
        ("behöver hjälp med tekniken på styrelsemötet", False),
    ],
)
def test_one_of_the_things_a_service_helps_with_describes_it(text: str, describes: bool) -> None:
    assert describes_something(text, MEETING_TECH) is describes


GROUNDS = ServiceInfo(
    code="FAS-04", kind="order", category="Fastighet", name="Skötsel av utemiljö",
    description="Skötsel av gårdar och utemiljö: gräsklippning, buskar, lekplatser och "
    "nedskräpning.", price_sek=Decimal(0), price_unit="ingår i avtal",
    performer="Fastighetsförvaltningen", sla_hours=120,
    order_fields=("location", "description"), keywords=("gräsklippning", "lekplats"),
)  # fmt: skip


def test_a_word_that_is_part_of_the_services_own_words_does_not_describe() -> None:
    assert not describes_something("det är mycket skräp på lekplatsen", GROUNDS)
    assert describes_something("det ligger krossat glas i sandlådan", GROUNDS)


KEYS = ServiceInfo(
    code="FAS-05", kind="order", category="Fastighet", name="Nycklar och passerkort",
    description="Beställning av nycklar, passerkort och ändring av behörighet i låssystem.",
    price_sek=Decimal(250), price_unit="kr per kort", performer="Fastighetsförvaltningen",
    sla_hours=72, order_fields=("location", "quantity", "description"),
    keywords=("nyckel", "passerkort", "tagg"),
)  # fmt: skip
PRINT = ServiceInfo(
    code="KON-03", kind="order", category="Kontor", name="Tryck och kopiering",
    description="Utskrift och kopiering av dokument, broschyrer och affischer.",
    price_sek=Decimal("0.6"), price_unit="kr per sida", performer="Kontorsservice",
    sla_hours=48, order_fields=("quantity", "date", "description"),
    keywords=("kopiera", "broschyrer", "affischer"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("service", "text", "one"),
    [
        (KEYS, "Behöver ett passerkort till Lisa Borg som börjar på måndag", True),
        (KEYS, "en ny nyckel till förrådet", True),
        # "en"/"ett" before something else than the service's thing, or no article.
        (KEYS, "passerkort till en ny kollega", False),
        (KEYS, "behöver passerkort till Solgården", False),
        # none left is no count of one
        (KEYS, "vi har inte en enda nyckel kvar till förrådet", False),
        # A service priced per page: "ett dokument" says what, not how many copies.
        (PRINT, "kopiera ett dokument till nämnden", False),
    ],
)
def test_one_of_the_services_thing(service: ServiceInfo, text: str, one: bool) -> None:
    assert _one_thing(text, service) is one


def test_a_name_in_a_sentence_keeps_its_abbreviations() -> None:
    assert name_in_sentence("Felanmälan IT") == "felanmälan IT"
    assert name_in_sentence("Fika till möte") == "fika till möte"
    assert name_in_sentence("HR direkt: frågor") == "HR direkt: frågor"


def test_a_place_word_inside_a_thing_does_not_hide_the_thing() -> None:
    # "kontor" of the place "Björkvikens kontor" is no part of "kontorsstolar" (the
    # description question was asked although the message said what was ordered).
    text = "Vi på Björkvikens kontor vill beställa fyra nya kontorsstolar"
    assert describes_something(text, FURNITURE, "Björkvikens kontor")
    assert not describes_something(
        "boka möbler till Björkvikens kontor", FURNITURE, "Björkvikens kontor"
    )


SUPPLIES = ServiceInfo(
    code="KON-02", kind="order", category="Kontorsservice", name="Kontorsmaterial",
    description="Beställning av kontorsmaterial: papper, pennor, pärmar och liknande.",
    price_sek=Decimal(0), price_unit="enligt prislista", performer="Kontorsservice",
    sla_hours=72, order_fields=("location", "quantity", "description"),
    keywords=("pennor", "papper", "pärmar"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "describes"),
    [
        ("30 whiteboardpennor", True),  # a kind of the pens the service lists
        ("kopieringspapper", True),
        ("beställa kontorsmaterial", False),  # the service's name
        ("beställa kontorspapper", False),  # "kontor" is the service's own word
        ("jag behöver pennor", False),  # the thing it lists, no kind said
    ],
)
def test_a_kind_of_a_thing_the_service_lists_says_which(text: str, describes: bool) -> None:
    assert describes_something(text, SUPPLIES) is describes
