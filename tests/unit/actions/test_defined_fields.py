"""Reading an answer to a catalogue-defined field, by type."""

from __future__ import annotations

from datetime import date

import pytest

from actions._fields import (
    SKIP,
    buttons_for,
    mentioned,
    only_mentions,
    read_answer,
    said_option,
    serves_not_diet,
    without_mentions,
)

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ({"type": "text"}, "  4410  ", "4410"),
        ({"type": "text", "required": False}, "inga", SKIP),
        ({"type": "text", "required": False}, "hoppa över", SKIP),
        ({"type": "text", "required": False}, "inga allergier", SKIP),
        ({"type": "text", "required": False}, "nej, ingen specialkost", SKIP),
        ({"type": "number", "min": 1, "max": 50}, "tolv", "12"),
        ({"type": "choice", "options": ["Levereras", "Hämtas"]}, "hämtas", "Hämtas"),
        ({"type": "choice", "options": ["Levereras", "Hämtas"]}, "2", "Hämtas"),
        (
            {"type": "choice", "options": ["Levereras till rummet", "Hämtas"]},
            "lev",
            "Levereras till rummet",
        ),
        ({"type": "yesno"}, "ja tack", "Ja"),
        ({"type": "yesno"}, "nej", "Nej"),
        ({"type": "date"}, "den 3 december", "2026-12-03"),
        ({"type": "time"}, "kl 14", "14:00"),
    ],
)
def test_a_valid_answer_is_read(field: dict[str, object], text: str, value: str) -> None:
    assert read_answer(field, text, TODAY) == (value, None)


@pytest.mark.parametrize(
    ("field", "text", "reason"),
    [
        ({"type": "text"}, "inga", None),  # a required text field takes it as written
        ({"type": "number", "min": 1, "max": 50}, "90", "mellan 1 och 50"),
        ({"type": "number"}, "några", "siffror"),
        ({"type": "choice", "options": ["A-rum", "B-rum"]}, "C-rum", "A-rum, B-rum"),
        ({"type": "yesno"}, "kanske", "ja eller nej"),
        ({"type": "date"}, "den 3 januari 2020", "framåt i tiden"),
    ],
)
def test_an_invalid_answer_is_explained(
    field: dict[str, object], text: str, reason: str | None
) -> None:
    value, problem = read_answer(field, text, TODAY)
    if reason is None:
        assert problem is None and value == text
    else:
        assert value is None and problem is not None and reason in problem


def test_buttons_offer_the_options_and_skipping_an_optional_field() -> None:
    field = {"type": "choice", "options": ["Ja", "Nej"], "required": False}
    assert [b["title"] for b in buttons_for(field)] == ["Ja", "Nej", "Hoppa över"]
    assert [b["title"] for b in buttons_for({"type": "yesno"})] == ["Ja", "Nej"]
    assert buttons_for({"type": "text"}) == []


@pytest.mark.parametrize("answer", ["ja", "Ja!", "nej", "ok", "okej tack"])
def test_a_bare_yes_or_no_is_no_answer_to_a_defined_text_question(answer: str) -> None:
    field = {"key": "kostnadsstalle", "label": "Kostnadsställe", "type": "text", "required": True}
    value, problem = read_answer(field, answer, date(2026, 11, 30))
    assert value is None
    assert problem is not None and "ja eller nej" in problem


def test_a_defined_text_question_takes_words_and_numbers() -> None:
    field = {"key": "kostnadsstalle", "label": "Kostnadsställe", "type": "text", "required": True}
    assert read_answer(field, "4410", date(2026, 11, 30)) == ("4410", None)
    assert read_answer(field, "ingen", date(2026, 11, 30)) == ("ingen", None)


COST = {
    "key": "kostnadsstalle", "label": "Kostnadsställe", "type": "text",
    "question": "Vilket kostnadsställe (ansvar) ska belastas? Skriv numret, till exempel 4410.",
}  # fmt: skip
ALLERGIES = {"key": "allergier", "label": "Allergier och specialkost", "required": False}
DELIVERY = {"key": "leverans", "type": "choice", "options": ["Levereras till rummet", "Hämtas"]}
NAMES = {"key": "namn", "label": "Namn på kortinnehavare", "type": "text"}


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        (COST, "Fönsterputs av 16 fönster på Förskolan Ekorren, kostnadsställe 6040", "6040"),
        (COST, "fika till 12 personer, ansvar 4410 tack", "4410"),
        (COST, "kostnadsstället är 1234-5", "1234-5"),
        (ALLERGIES, "lunch till 10, allergier: två glutenfria och en vegan",
         "två glutenfria och en vegan"),
        (ALLERGIES, "lunch till 10, allergier: inga", SKIP),
        (DELIVERY, "lunch till 10 som levereras till rummet", "Levereras till rummet"),
        # "inga allergier": an optional field said to have nothing; people named in full.
        (ALLERGIES, "fika till 12 pers, kostnadsställe 2210, inga allergier", SKIP),
        (ALLERGIES, "fika till 12, inga allergier förutom en glutenfri", "en glutenfri"),
        # Diets said in passing are the allergy field's answer, as said.
        (ALLERGIES, "fika till 15 på torsdag kl 10, två glutenfria och en vegan",
         "två glutenfria, en vegan"),
        (ALLERGIES, "Smörgåsar till 8, varav två vegetariska och en laktosfri",
         "två vegetariska, en laktosfri"),
        (ALLERGIES, "lunch till 10 personer, en med nötallergi", "en med nötallergi"),
        (ALLERGIES, "mat till 6, en är allergisk mot fisk", "allergisk mot fisk"),
        (ALLERGIES, "glutenfritt till alla tack", "glutenfritt"),
        (ALLERGIES, "fika till 14 kl 14.30, en är glutenintolerant", "glutenintolerant"),
        (ALLERGIES, "fika till 10, finns det något för allergiker?", None),
        (ALLERGIES, "fika till 10, vilka allergier kan ni hantera?", None),
        (ALLERGIES, "lunch till 10, ingen vegetarisk behövs", None),
        (NAMES, "Behöver 2 passerkort till Lisa Holm och Ahmed Noor som börjar på måndag",
         "Lisa Holm och Ahmed Noor"),
        (NAMES, "nytt kort till Västra skolan", None),
        # Said after what the person works as.
        (NAMES, "Vår nya undersköterska Maja Holm börjar på måndag och behöver ett passerkort",
         "Maja Holm"),
        (NAMES, "till nya vikarien Ali Rahimi behövs ett kort", "Ali Rahimi"),
        (NAMES, "kort till kollegan Sara Ek på Solgården", "Sara Ek"),
        # Named on their own: a list set apart by a comma, or the ones who start.
        (NAMES, "Två nya börjar på måndag, Lisa Holm och Ahmed Nouri. De behöver passerkort",
         "Lisa Holm och Ahmed Nouri"),
        (NAMES, "Lisa Holm och Ahmed Nouri börjar på måndag och behöver passerkort",
         "Lisa Holm och Ahmed Nouri"),
        (NAMES, "Sara Lind börjar på måndag, hon behöver ett kort", "Sara Lind"),
        # A place is no name, however it is written.
        (NAMES, "Passerkort till Björkskolan Hus C, 2 st", None),
        (NAMES, "Vi behöver 3 passerkort. Kommunhuset Plan 2.", None),
        # Shortened as people write it in a chat.
        (COST, "boka hotell i Stockholm åt 2 personer. kst 1350", "1350"),
        # Named without a value, or a value without "är"/":" in words: not answered.
        (COST, "jag behöver ett nytt kostnadsställe", None),
        (COST, "jag har ansvar för tre klasser", None),
        (ALLERGIES, "allergier finns nog", None),
        (DELIVERY, "lunch till 10", None),
    ],
)  # fmt: skip
def test_a_field_named_with_its_value_in_a_message(
    field: dict[str, object], text: str, value: str | None
) -> None:
    assert mentioned(field, text, TODAY) == value


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("kostnadsställe 6040", True),
        ("och ansvar 4410 tack", True),
        ("nytt kostnadsställe", False),
        ("kostnadsställe 6040 och fika", False),
        # Special diets are the allergy field's detail, not an order of special diet.
        ("två glutenfria och en vegan", True),
        ("varav tre vegetariska", True),
        ("en glutenfri och lunch", False),
    ],
)
def test_a_part_that_only_names_a_field_is_no_need(text: str, only: bool) -> None:
    assert only_mentions(text, [COST, ALLERGIES, DELIVERY]) is only


def test_diets_are_a_detail_only_where_a_field_asks_for_them() -> None:
    assert not only_mentions("två glutenfria", [COST, DELIVERY])


@pytest.mark.parametrize(
    ("text", "serves"),
    [
        ("kaffe och bullar", True),
        ("Kaffe, te och kanelbullar tack", True),
        ("smörgåsar och frukt", True),
        ("glutenfria bullar till två", False),
        ("en tål inte mjölk", False),
        ("nötter och mandel", False),
        ("två vegetariska", False),
        ("inga", False),
        ("Anna är diabetiker", False),
    ],
)
def test_what_to_serve_is_no_answer_to_the_allergy_question(text: str, serves: bool) -> None:
    assert serves_not_diet(ALLERGIES, text) is serves
    assert not serves_not_diet(COST, text)


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("fönsterputs på Västerskolan om tre veckor, kostnadsställe 5120",
         "fönsterputs på Västerskolan om tre veckor"),
        ("fika, ansvar 4410 tack, på fredag", "fika tack, på fredag"),
        ("jag behöver ett nytt kostnadsställe", "jag behöver ett nytt kostnadsställe"),
    ],
)  # fmt: skip
def test_the_other_details_are_read_without_the_fields_named(text: str, rest: str) -> None:
    assert without_mentions(text, [COST]) == rest


@pytest.mark.parametrize(
    ("text", "option"),
    [
        ("ändra så att vi hämtar maten i köket istället", "Hämtas"),
        ("kan ni leverera till rummet", "Levereras till rummet"),
        ("fika till 10", None),
    ],
)
def test_a_choice_said_in_ones_own_words(text: str, option: str | None) -> None:
    assert said_option(DELIVERY, text) == option


def test_a_field_that_asks_for_a_number_refuses_a_sentence() -> None:
    value, problem = read_answer(COST, "glömde säga att en stol också är trasig", TODAY)
    assert value is None and problem is not None and "siffror" in problem
    assert read_answer(COST, "4410", TODAY) == ("4410", None)


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        (COST, "kostnadsställe 4410", "4410"),
        (COST, "Kostnadsstället är 4410", "4410"),
        (ALLERGIES, "allergier: nötter", "nötter"),
        # Without a link or a number the words stay the answer.
        (ALLERGIES, "allergier mot nötter", "allergier mot nötter"),
    ],
)
def test_an_answer_that_names_its_field_first_is_the_value_after_the_name(
    field: dict[str, object], text: str, value: str
) -> None:
    assert read_answer(field, text, TODAY) == (value, None)
