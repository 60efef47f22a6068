"""Personnummer and samordningsnummer are masked; other numbers people write are not."""

from __future__ import annotations

import pytest

from servicedesk.privacy import MASK, contains_personnummer, mask_personnummer

# Valid by Luhn and date (test numbers, not real people).
VALID = "811218-9876"
VALID_COORDINATION = "701063-2391"  # the 3rd of October 1970, day + 60


@pytest.mark.parametrize(
    "written",
    [
        "811218-9876",  # YYMMDD-XXXX
        "8112189876",  # YYMMDDXXXX
        "19811218-9876",  # YYYYMMDD-XXXX
        "198112189876",  # YYYYMMDDXXXX
        "811218+9876",  # over a hundred years old
        "811218 9876",  # a space for the dash
        "19811218 – 9876",  # an en dash with spaces, as phones type it
        VALID_COORDINATION,
        "19701063-2391",
        "200503122384",  # born in 2005, with the century
        "050312-2384",
    ],
)
def test_valid_identity_numbers_are_masked_in_any_usual_writing(written: str) -> None:
    masked = mask_personnummer(f"Mitt personnummer är {written}, tack.")
    assert masked.text == f"Mitt personnummer är {MASK}, tack."
    assert masked.count == 1
    assert masked.changed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pnr:811218-9876", f"pnr:{MASK}"),
        ("nr-8112189876", f"nr-{MASK}"),
        ("PNR811218-9876!", f"PNR{MASK}!"),
        ("(19811218-9876)", f"({MASK})"),
    ],
)
def test_words_and_punctuation_around_a_number_do_not_hide_it(text: str, expected: str) -> None:
    assert mask_personnummer(text).text == expected


def test_every_number_in_a_text_is_masked_and_counted() -> None:
    masked = mask_personnummer(f"jag {VALID} och min kollega {VALID_COORDINATION}")
    assert masked.text == f"jag {MASK} och min kollega {MASK}"
    assert masked.count == 2


@pytest.mark.parametrize(
    "text",
    [
        "811218-9877",  # wrong check digit
        "8112189875",
        "19800101-1234",  # wrong check digit (the number in the issue)
        "811318-9876",  # no 13th month
        "811232-9876",  # no 32nd day
        "701093-2391",  # samordningsnummer with day 33 + 60
    ],
)
def test_numbers_failing_the_checksum_or_the_date_are_left_alone(text: str) -> None:
    assert mask_personnummer(text).text == text
    assert not contains_personnummer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hur går det med SD-2026-00012?",
        "Status för ärende SD-2025-81218",
        "fika till 15 på tisdag 2026-11-30 kl 10:00",
        "den 18/12 kl. 09.30",
        "ring mig på 070-123 45 67",
        "ring mig på 0701234569",  # passes Luhn and reads as a date in 2007: a phone number
        "eller 08-123 456 78",
        "+46701234569",
        "kostnadsställe 4711, ansvar 1234567890",
        "projekt 81121898760",  # eleven digits: not an identity number
        "811218-98765",  # five digits after the date
        "organisationsnummer 556677-8899",  # month 66: a company, not a person
        "30 stolar och 2 bord, 1 500 kr",
        "beställ 12 st à 249,50 kr",
    ],
)
def test_ticket_numbers_dates_phones_and_amounts_are_untouched(text: str) -> None:
    masked = mask_personnummer(text)
    assert masked.text == text
    assert masked.count == 0


def test_an_empty_text_stays_empty() -> None:
    assert mask_personnummer("") == mask_personnummer("")
    assert mask_personnummer("").text == ""
