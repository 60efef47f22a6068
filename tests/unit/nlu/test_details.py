"""Swedish date, time and quantity parsing for order forms."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from nlu.details import (
    TimeResult,
    confirmation,
    extract_details,
    parse_date,
    parse_day_been,
    parse_quantity,
    parse_time,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("idag", date(2026, 3, 18)),
        ("imorgon", date(2026, 3, 19)),
        ("i morgon", date(2026, 3, 19)),
        ("i övermorgon", date(2026, 3, 20)),
        ("på torsdag", date(2026, 3, 19)),
        ("onsdag", date(2026, 3, 25)),  # today is Wednesday: the next one
        ("nästa tisdag", date(2026, 3, 24)),
        ("fredag nästa vecka", date(2026, 3, 27)),
        ("den 24 mars", date(2026, 3, 24)),
        ("12/3", date(2027, 3, 12)),  # passed this year: next year
        ("2026-12-03", date(2026, 12, 3)),
        ("12 mars 2027", date(2027, 3, 12)),
        ("den 3:e april", date(2026, 4, 3)),
        # a bare number answering the date question is a day of the month
        ("24", date(2026, 3, 24)),
        ("15", date(2026, 4, 15)),
    ],
)
def test_parse_date(text: str, expected: date, now: datetime) -> None:
    found = parse_date(text, now)
    assert found is not None and found.value == expected and not found.in_past


def test_next_week_is_monday_and_approximate(now: datetime) -> None:
    found = parse_date("nästa vecka", now)
    assert found is not None and found.value == date(2026, 3, 23) and found.approximate


def test_past_date_is_flagged(now: datetime) -> None:
    found = parse_date("2025-01-10", now)
    assert found is not None and found.in_past


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i dag", date(2026, 3, 18)),
        ("i morse", date(2026, 3, 18)),
        ("igår", date(2026, 3, 17)),
        ("i går", date(2026, 3, 17)),
        ("i förrgår", date(2026, 3, 16)),
        ("i måndags", date(2026, 3, 16)),
        ("i onsdags", date(2026, 3, 11)),  # today is Wednesday: a week ago
        ("i fredags", date(2026, 3, 13)),
        ("den 10 mars", date(2026, 3, 10)),  # this year's, not next year's
        ("12/3", date(2026, 3, 12)),
        ("den 20 december", date(2025, 12, 20)),  # it has been: last year's
        ("den 15", date(2026, 3, 15)),
        ("den 25", date(2026, 2, 25)),  # this month's is still to come: last month's
        ("2026-03-01", date(2026, 3, 1)),
    ],
)
def test_the_day_something_happened_is_read_backwards(
    text: str, expected: date, now: datetime
) -> None:
    found = parse_day_been(text, now)
    assert found is not None and found.value == expected and not found.approximate


def test_a_day_still_to_come_is_no_day_it_happened(now: datetime) -> None:
    found = parse_day_been("på fredag", now)
    assert found is not None and found.value == date(2026, 3, 20)  # the form says "not yet"
    vague = parse_day_been("förra veckan", now)
    assert vague is not None and vague.approximate
    assert parse_day_been("maten var kall", now) is None


def test_a_faults_first_message_keeps_a_past_day_and_drops_a_coming_one(now: datetime) -> None:
    fields = ("location", "date", "description")
    said = "igår fick vi fem portioner för lite på Solrosen"
    assert extract_details(said, fields, now, happened=True)["date"] == "2026-03-17"
    assert "date" not in extract_details(said, fields, now)  # an order's day is ahead
    said = "maten i fredags var kall"
    assert extract_details(said, fields, now, happened=True)["date"] == "2026-03-13"
    assert "date" not in extract_details("maten på fredag blir fel", fields, now, happened=True)


def test_impossible_or_missing_date_is_none(now: datetime) -> None:
    assert parse_date("31/2", now) is None
    assert parse_date("vi behöver fika", now) is None
    # no year nobody said ("15" was read as 2115, "2115" as a year)
    assert parse_date("45", now) is None
    assert parse_date("2115", now) is None


def test_a_bare_number_in_a_message_is_no_date(now: datetime) -> None:
    # "15" at the summary is a count (or nothing), never a day
    assert "date" not in extract_details("15", ("date", "participants"), now)
    assert extract_details("den 15", ("date",), now) == {"date": "2026-04-15"}


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("kl 10", time(10), None),
        ("kl. 13.30", time(13, 30), None),
        ("10:15", time(10, 15), None),
        ("13-15", time(13), time(15)),
        ("mellan 9 och 11", time(9), time(11)),
        ("klockan tio", time(10), None),
        ("halv tre", time(14, 30), None),
        ("kvart i nio", time(8, 45), None),
        ("förresten, ändra tiden till kvart över nio", time(9, 15), None),
        ("kvart över 2", time(14, 15), None),
        ("tio i tre", time(14, 50), None),
        ("kl fem över halv tio", time(9, 35), None),
        ("vid lunch", time(12), None),
        ("runt lunchtid", time(12), None),
        ("kl 10 vid lunch", time(10), None),
        # the clock said as what the time is to be
        ("klockan ska vara 12", time(12), None),
        ("nej, tiden blir halv tre", time(14, 30), None),
    ],
)
def test_parse_time(text: str, start: time, end: time | None) -> None:
    found = parse_time(text)
    assert found is not None and found.valid and (found.start, found.end) == (start, end)


@pytest.mark.parametrize("text", ["vi blir 20 i tre grupper", "fem i tre grupper", "10 i 3"])
def test_a_count_is_no_time(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("och vi blir 3 eftersom Sanna följer med", "3"),
        ("vi blir tolv på mötet", "12"),
        ("vi blir 3", "3"),
    ],
)
def test_how_many_we_will_be_with_why_or_where_after_it(text: str, count: str) -> None:
    assert extract_details(text, ["participants"], _NOV30) == {"participants": count}


def test_impossible_time_is_invalid() -> None:
    found = parse_time("kl 25")
    assert found is not None and not found.valid


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        ("15 personer", 15, False),
        ("tjugo", 20, False),
        ("femton", 15, False),
        ("tjugofem", 25, False),
        ("ett", 1, False),
        ("en", 1, False),
        ("ca 20", 20, True),
        ("runt 20", 20, True),
        ("ungefär tjugo", 20, True),
        ("ett tjugotal", 20, True),
    ],
)
def test_parse_quantity(text: str, value: int, approximate: bool) -> None:
    found = parse_quantity(text)
    assert found is not None and found.valid
    assert (found.value, found.approximate) == (value, approximate)


@pytest.mark.parametrize("text", ["-5", "0", "20000"])
def test_absurd_quantity_is_invalid(text: str) -> None:
    found = parse_quantity(text)
    assert found is not None and not found.valid


def test_extract_details_from_a_first_message(now: datetime) -> None:
    fields = ["date", "time", "participants", "location"]
    found = extract_details("fika till 15 personer på tisdag kl 10", fields, now)
    assert found == {"date": "2026-03-24", "time": "10:00", "participants": "15"}


def test_extract_details_does_not_take_time_or_day_for_a_quantity(now: datetime) -> None:
    fields = ["date", "time", "participants"]
    assert extract_details("boka rum den 20 kl 10", fields, now) == {
        "date": "2026-03-20",
        "time": "10:00",
    }
    found = extract_details("konferensrum den 12 april kl 13-15 för tjugo personer", fields, now)
    assert found == {"date": "2026-04-12", "time": "13:00-15:00", "participants": "20"}


def test_extract_details_only_returns_requested_fields(now: datetime) -> None:
    assert extract_details("10 stolar imorgon", ["quantity", "location"], now) == {"quantity": "10"}


@pytest.mark.parametrize(
    ("text", "value"),
    [("ett trettiotal", 30), ("ca 15", 15), ("kanske 10", 10), ("tjugo ungefär", 20),
     ("20-ish", 20), ("10-12 personer", 12), ("ett 20-tal", 20)],
)  # fmt: skip
def test_approximate_counts_are_flagged(text: str, value: int) -> None:
    found = parse_quantity(text)
    assert found is not None and (found.value, found.approximate) == (value, True)


@pytest.mark.parametrize(
    ("text", "answer"),
    [("ja", True), ("Ja!", True), ("japp", True), ("det stämmer", True), ("nej", False),
     ("nej, 18", False), ("det stämmer inte", False), ("20", None), ("", None), ("👍", None)],
)  # fmt: skip
def test_confirmation(text: str, answer: bool | None) -> None:
    assert confirmation(text) is answer


def test_bad_empty_long_and_emoji_input_give_nothing(now: datetime) -> None:
    for text in ("", "   ", "🙂🙂🙂", "asdf qwerty", "x" * 5000):
        assert parse_quantity(text) is None
        assert parse_date(text, now) is None
        assert parse_time(text) is None
    long_text = "vi vill ha fika " * 300 + "för 12 personer på fredag"
    assert extract_details(long_text, ["participants", "date"], now)["participants"] == "12"


def test_how_many_we_will_be_outweighs_the_storys_other_counts(now: datetime) -> None:
    story = (
        "Tre nya kollegor började i mars och två har gått i pension. På APT:n nästa onsdag "
        "vill vi bjuda på fika. Vi blir 14 st. Förra året var vi 30 men nu är det bara vi."
    )
    assert extract_details(story, ["participants"], now)["participants"] == "14"
    assert extract_details("fika på fredag, vi blir tio", ["participants"], now) == {
        "participants": "10"
    }


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("nej, 26 blir det, två till anmälde sig nyss", "26"),
        ("30 blev vi till slut", "30"),
        ("tolv är vi", "12"),
    ],
)
def test_the_count_said_before_who_it_is(now: datetime, text: str, count: str) -> None:
    assert extract_details(text, ["participants"], now) == {"participants": count}


def test_a_word_before_blir_det_is_no_count(now: datetime) -> None:
    assert extract_details("nej det blir bra så", ["participants"], now) == {}


def test_a_paper_size_is_no_count(now: datetime) -> None:
    assert extract_details("Behöver beställa kopieringspapper, A4", ["quantity"], now) == {}
    assert extract_details("10 paket A4-papper", ["quantity"], now) == {"quantity": "10"}


def test_mixed_swedish_and_english_details(now: datetime) -> None:
    found = extract_details("meeting på torsdag kl 14 för 8 personer please", _FIELDS, now)
    assert found == {"date": "2026-03-19", "time": "14:00", "participants": "8"}


_FIELDS = ["date", "time", "participants"]


# --- first messages: places, destinations, return dates and counts ------------------------

_NOV30 = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))  # a Monday
_PLACE = ["location", "date", "time", "participants"]
_TRAVEL = ["destination", "date", "return_date", "participants"]
_TRANSPORT = ["location", "destination", "date"]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Boka ett rum i kommunhuset, sal B", "kommunhuset, sal B"),
        ("Vi ses på Björkskolan hus C", "Björkskolan hus C"),
        ("Det är halt vid entrén till Västra skolan", "entrén till Västra skolan"),
        ("Mötet är i rum 214", "rum 214"),
        ("Fika på äldreboendet Solgården", "äldreboendet Solgården"),
        ("Leverera fika till matsalen på Solgården", "matsalen på Solgården"),
        ("Lunch, rum 214", "rum 214"),
        ("fika pa forskolan Larkan", "forskolan Larkan"),
        ("Det är kallt i hela huset på Bergsgatan 14", "Bergsgatan 14"),
        ("Vi lämnar lokalen på Parkgatan 4 om två veckor", "Parkgatan 4"),
        # the office at a street address is the address; an office on a floor is kept
        ("Kan ni hämta två skåp från kontoret på Storgatan 8", "Storgatan 8"),
        ("Lampan i kontoret på plan 3 blinkar", "kontoret på plan 3"),
        # "under", "ovanför" link two places; alone they say when ("under mötet").
        ("Vattenläcka i källaren under Björkskolan", "källaren under Björkskolan"),
        ("Fika i rum 12 under mötet", "rum 12"),
        # a room called by a name, without its article
        ("Smörgåsar till 12 kl 11, mötesrum Tallen på Stadshuset", "mötesrum Tallen på Stadshuset"),
        ("Boka konferensrum Linden i Rådhuset på fredag", "konferensrum Linden i Rådhuset"),
        (
            "Lampan i förrådet ovanför gymnastiksalen på Östra skolan är trasig",
            "förrådet ovanför gymnastiksalen på Östra skolan",
        ),
    ],
)
def test_a_place_phrase_is_the_location(text: str, place: str) -> None:
    assert extract_details(text, _PLACE, _NOV30).get("location") == place


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Björkskolan hus C: i klassrum 12 blinkar lysröret",
            "Björkskolan hus C, klassrum 12",
        ),
        ("Björkskolan, i klassrum 12 blinkar lysröret", "Björkskolan, klassrum 12"),
        # A greeting or a person's name first is no building.
        ("Hej, i klassrum 12 blinkar lampan", "klassrum 12"),
        ("Lisa här, i rum 214 funkar inte datorn", "rum 214"),
    ],
)
def test_a_building_said_first_as_a_heading_goes_with_the_room(text: str, place: str) -> None:
    assert extract_details(text, _PLACE, _NOV30).get("location") == place


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # a named place's genitive first: the place is the whole phrase, not its room
        ("Ekbackens skola hus B", "Ekbackens skola hus B"),
        ("Tallbackens förskola, avdelning Ugglan", "Tallbackens förskola, avdelning Ugglan"),
        ("Solgårdens kök", "Solgårdens kök"),
        # a kind of place or a person's thing first is no named place
        ("Skolans kök är smutsigt", None),
        ("Lisas dator är trasig", None),
    ],
)
def test_a_named_place_said_first_in_the_genitive(text: str, place: str | None) -> None:
    assert extract_details(text, _PLACE, _NOV30).get("location") == place


@pytest.mark.parametrize(
    "text",
    [
        "Fika på torsdag", "Ett rum i morgon", "Kaffe i eftermiddag", "Rum på förmiddagen",
        "Papperskorgarna på jobbet är fulla", "Fika i helgen", "Projektorn i mötet strular",
        "Fika på mötet", "Det är inte städat i klassrummet", "Jag kommer inte in i Teams",
        "Rum till mötet i Umeå, vi åker bil", "Handskar från centrallagret",
        "Ring mig på 070-123 45 67", "Fika i matsalen", "Det är halt vid entrén",
        "Toaletten i personalrummet är trasig",
    ],
)  # fmt: skip
def test_times_vague_words_systems_and_trips_are_not_locations(text: str) -> None:
    assert "location" not in extract_details(text, _PLACE, _NOV30)


@pytest.mark.parametrize(
    ("text", "fields", "expected"),
    [
        ("Tåg till Malmö på fredag", _TRAVEL, {"destination": "Malmö", "date": "2026-12-04"}),
        ("Hotell i Umeå", _TRAVEL, {"destination": "Umeå"}),
        ("Resa till mässan i Jönköping", _TRAVEL, {"destination": "Jönköping"}),
        ("Tåg Stockholm–Göteborg", _TRAVEL, {"destination": "Göteborg"}),
        ("Bud från kommunhuset till Björkskolan", _TRANSPORT,
         {"location": "kommunhuset", "destination": "Björkskolan"}),
        ("Flytt från rum 12 till rum 20 på Solgården", _TRANSPORT,
         {"location": "rum 12", "destination": "rum 20 på Solgården"}),
    ],
)  # fmt: skip
def test_destinations(text: str, fields: list[str], expected: dict[str, str]) -> None:
    assert extract_details(text, fields, _NOV30) == expected


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Till Luleå den 10 december, hem den 12 december", "2026-12-10", "2026-12-12"),
        ("Till Luleå på onsdag, tillbaka på fredag", "2026-12-02", "2026-12-04"),
        ("Till Luleå den 14 januari och hem dagen efter", "2027-01-14", "2027-01-15"),
        ("Hotell i Luleå 3–5 maj", "2027-05-03", "2027-05-05"),
        ("Hotell i Luleå den 3 till 5 maj", "2027-05-03", "2027-05-05"),
        ("Hotell i Luleå mellan 3 och 5 maj", "2027-05-03", "2027-05-05"),
        ("Hotell i Luleå 2 nätter från den 9 december", "2026-12-09", "2026-12-11"),
        ("Hotell i Luleå natten till den 10 december", "2026-12-09", "2026-12-10"),
        ("Hotell i Luleå från måndag till onsdag nästa vecka", "2026-12-07", "2026-12-09"),
    ],
)
def test_first_and_last_day_of_a_trip(text: str, first: str, last: str) -> None:
    found = extract_details(text, _TRAVEL, _NOV30)
    assert (found.get("date"), found.get("return_date")) == (first, last)


def test_a_range_without_a_return_field_gives_the_first_day_and_no_time() -> None:
    found = extract_details("Rum mellan 3 och 5 maj", _PLACE, _NOV30)
    assert found == {"date": "2027-05-03"}


@pytest.mark.parametrize(
    ("text", "fields", "expected"),
    [
        ("Vi behöver tre kontorsstolar", ["quantity"], {"quantity": "3"}),
        ("Tryck 50 exemplar", ["quantity"], {"quantity": "50"}),
        ("10 paket papper", ["quantity"], {"quantity": "10"}),
        ("40 ex av broschyren, 24 sidor", ["quantity"], {"quantity": "40"}),
        ("Rum för 12 personer", ["participants"], {"participants": "12"}),
        ("Vi blir 20", ["participants"], {"participants": "20"}),
        ("Fika till 15", ["participants"], {"participants": "15"}),
        ("Resa för mig och två kollegor", ["participants"], {"participants": "3"}),
        ("Fika med 7 externa gäster", ["participants"], {"participants": "7"}),
        ("2 datorer och 3 skärmar", ["quantity"], {}),
        ("Ring 070-123 45 67", ["quantity"], {}),
        ("Gäller SD-2026-00042", ["quantity"], {}),
        ("Budgeten för 2027", ["quantity"], {}),
        ("Fika vecka 50", ["participants"], {}),
        ("Fika kl 14.30", ["participants"], {}),
        ("Stolen kom för tre veckor sedan", ["quantity"], {}),
        ("Datorn i rum 214", ["quantity"], {}),
        ("Jag behöver en ny dator", ["quantity"], {}),
        ("Hotell 2 nätter, 3 rum", ["participants"], {}),
    ],
)  # fmt: skip
def test_counts_with_their_thing(text: str, fields: list[str], expected: dict[str, str]) -> None:
    assert extract_details(text, fields, _NOV30) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maten den 20 november var kall", {}),  # said about last week, not next year
        ("Fika nästa vecka", {}),  # a week is not a day
        ("Städning innan den 14 december", {}),
        # the evening before the day said is another event's, not a deadline before it
        ("Extra städning fredag, efter vernissagen kvällen innan.", {"date": "2026-12-04"}),
        ("Den 4 december har vi fest och vill ha storstädning innan", {}),
        ("Möte sedan torsdag", {}),
        ("Fika i eftermiddag", {"date": "2026-11-30"}),
        ("Rum imorn kl 9", {"date": "2026-12-01", "time": "09:00"}),
        ("Rum fre 13-15", {"date": "2026-12-04", "time": "13:00-15:00"}),
        ("Rum fredag kvart över nio", {"date": "2026-12-04", "time": "09:15"}),
        ("Rum för 10-12 personer", {"participants": "12"}),
    ],
)
def test_first_message_dates_and_times(text: str, expected: dict[str, str]) -> None:
    assert extract_details(text, ["date", "time", "participants"], _NOV30) == expected


def test_descriptions_are_never_prefilled() -> None:
    fields = ["location", "description", "date"]
    found = extract_details("Det läcker från taket i rum 214 sedan i morse", fields, _NOV30)
    assert found == {"location": "rum 214"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("papperskorgarna i rum 3 och 4 har inte tömts", {"location": "rum 3 och 4"}),
        ("fönsterputs på plan 1 och 2 i stadshuset", {"location": "plan 1 och 2 i stadshuset"}),
        ("städning i rum 3 och 4", {"location": "rum 3 och 4"}),
        # A count after "och" is no second room.
        ("boka sal 3 och 20 stolar på fredag", {"location": "sal 3"}),
        ("extra städning i rum 12 och 2023 års arkiv", {"location": "rum 12"}),
    ],
)
def test_two_rooms_joined_by_och_are_one_place(text: str, expected: dict[str, str]) -> None:
    assert extract_details(text, ["location"], _NOV30) == expected


def test_long_repetitive_messages_stay_fast() -> None:
    fields = ["location", "destination", "date", "quantity"]
    for text in ("i rum 1 " * 2000, "matsalen på Solgården " * 1000, "12 " * 3000):
        extract_details(text, fields, _NOV30)  # no recursion error, no quadratic blow-up


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("om tre veckor", date(2026, 12, 21)),
        ("om 10 dagar", date(2026, 12, 10)),
        ("om en vecka", date(2026, 12, 7)),
        ("om två månader", date(2027, 1, 30)),
    ],
)
def test_a_span_from_today_is_a_date(text: str, expected: date) -> None:
    found = parse_date(text, datetime(2026, 11, 30, 10, 0))
    assert found is not None and found.value == expected


def test_a_span_that_is_not_days_or_weeks_is_not_a_date() -> None:
    assert parse_date("om en stund", datetime(2026, 11, 30, 10, 0)) is None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("halv 8 till 16", time(7, 30), time(16, 0)),
        ("halv 8-halv 10", time(7, 30), time(9, 30)),
        ("halv 8", time(7, 30), None),
    ],
)
def test_half_past_with_a_digit_is_a_clock(text: str, start: time, end: time | None) -> None:
    assert parse_time(text) == TimeResult(start, end)


def test_a_time_corrected_within_the_first_message_is_the_later_one() -> None:
    now = datetime(2026, 11, 30, 10, 0)
    text = "behöver ljudtekniker på onsdag kl 14, nej förlåt kl 13, till ett stormöte i aulan"
    assert extract_details(text, ["time"], now)["time"] == "13:00"
    assert extract_details("fika på onsdag kl 14", ["time"], now)["time"] == "14:00"


# -- numbers that are codes, not counts; words typed without å/ä/ö ---------------------


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("boka aulan på Lindskolan den 10 dec kl 18-20 för föräldramöte åk 9", ["participants"]),
        ("tjänsteresa till Göteborg i morgon, tåget går 06.10, ansvar 3300", ["participants"]),
        ("kodlåset på dörren i hus 4 funkar inte, koden 1234 går inte in", ["quantity"]),
        ("tjänstetelefon till nyanställd undersköterska, helst iPhone 15", ["quantity"]),
        ("fönstertvätt på alla fönster på plan 1 och 2 i stadshuset", ["quantity"]),
        ("rum för 3-partssamtal med Kerstin Ek onsdag 15", ["participants"]),
        ("borttappad nyckel till förrådet på Tallbacka avd 1, behöver ny", ["quantity"]),
    ],
)
def test_codes_and_labels_are_not_counts(text: str, fields: list[str]) -> None:
    found = extract_details(text, fields, _NOV30)
    assert not any(f in found for f in fields), found


def test_two_head_counts_in_one_story_are_asked_not_guessed() -> None:
    story = (
        "hos oss i hemtjänsten är vi ungefär 30 anställda, men nu vill jag att de 12 i "
        "nattpatrullen får gå en e-utbildning"
    )
    assert "participants" not in extract_details(story, ["participants"], _NOV30)
    # An age is no head count: "vi är ett 20-tal" stands.
    party = "bullar och kaffe, kollegan fyller 50 den 11 dec, kl 14, vi är ett 20-tal"
    assert extract_details(party, ["participants"], _NOV30) == {"participants": "20"}


def test_the_count_said_before_inte_is_the_one_meant() -> None:
    assert extract_details("vänta, vi blir 18 inte 14", ["participants"], _NOV30) == {
        "participants": "18"
    }


def test_words_typed_without_swedish_letters_are_read_and_places_kept_as_written() -> None:
    found = extract_details(
        "julbord for arbetslaget tisdag nasta vecka kl 12 i matsalen pa Lindskolan",
        ["date", "time", "location"],
        _NOV30,
    )
    assert found["date"] == "2026-12-08"
    assert found["time"] == "12:00"
    assert found.get("location") in (None, "matsalen pa Lindskolan")


def test_where_things_are_sent_is_not_where_the_order_is() -> None:
    text = "vi har pärmar som ska levereras till stadsarkivet"
    assert "location" not in extract_details(text, ["location", "date"], _NOV30)


def test_a_room_told_apart_by_its_adjective_is_prefilled_a_bare_room_is_asked() -> None:
    fields = ["location", "date"]
    found = extract_details("fika på torsdag i lilla sammanträdesrummet", fields, _NOV30)
    assert found["location"] == "lilla sammanträdesrummet"
    assert "location" not in extract_details("fika på torsdag i matsalen", fields, _NOV30)


def test_where_a_letter_is_sent_is_not_the_place() -> None:
    text = "200 affischer till vårmarknaden samt skicka ett rekommenderat brev till tingsrätten"
    assert "location" not in extract_details(text, _PLACE, _NOV30)


def test_a_clock_said_as_the_time_to_be_is_no_count() -> None:
    now = datetime(2026, 11, 30, 10, 0)
    found = extract_details("vi blir 17 och klockan ska vara 12", ["participants", "time"], now)
    assert found == {"participants": "17", "time": "12:00"}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Vi ska flytta kontoret från Västra vägen 12 till Solviks äldreboende", "Västra vägen 12"),
        ("Det läcker på Norra vägen 5 sedan i morse", "Norra vägen 5"),
        ("På Åkerlunds gruppbostad rinner det vatten under diskbänken", "Åkerlunds gruppbostad"),
    ],
)
def test_a_street_named_with_an_adjective_keeps_its_number_and_a_bostad_is_a_place(
    text: str, place: str
) -> None:
    assert extract_details(text, ["location", "destination"], _NOV30)["location"] == place


def test_the_number_of_a_flat_is_where_not_how_many() -> None:
    text = "det rinner vatten under diskbänken i lägenhet 4"
    found = extract_details(text, ["location", "participants", "quantity"], _NOV30)
    assert found == {"location": "lägenhet 4"}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("ytterdörren på granbackens förskola går inte att låsa", "Granbackens förskola"),
        ("lampan i matsalen på kvarnbyskolan är trasig", "matsalen på kvarnbyskolan"),
        ("Ytterdörren på granbackens förskola går inte att låsa", None),  # capitals: as typed
        ("vi på nya skola behöver stolar", None),
        ("lampan på vår förskola är trasig", None),
    ],
)
def test_a_place_name_typed_in_lower_case_is_a_name(text: str, place: str | None) -> None:
    found = extract_details(text, ("location",), _NOV30).get("location")
    assert found == place


def test_a_quarter_named_as_one_word_is_a_place() -> None:
    now = datetime(2026, 12, 7, 9, 0)
    found = extract_details("på kulturkvarteret står en kran och droppar", ("location",), now)
    assert found == {"location": "kulturkvarteret"}


@pytest.mark.parametrize(
    ("text", "count"),
    [
        # after a floor and a comma, a number with its own thing counts it
        ("fönsterputs i kommunhuset plan 3, 24 fönster", "24"),
        ("kontoret plan 2, 3 stolar", "3"),
        # a list of floors or rooms counts nothing
        ("plan 1 och 2", None),
    ],
)
def test_a_count_after_a_numbered_place(text: str, count: str | None) -> None:
    assert extract_details(text, ["location", "quantity"], _NOV30).get("quantity") == count


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Beställning fönsterputs kommunhuset plan 3", "kommunhuset plan 3"),
        ("fika 10 pers stadshuset sal B kl 14", "stadshuset sal B"),
        # a part of a building is no building of its own
        ("trapphuset plan 2 lampan trasig", "plan 2"),
    ],
)
def test_a_building_written_small_before_its_floor_or_room(text: str, place: str) -> None:
    assert extract_details(text, _PLACE, _NOV30).get("location") == place


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("ett paket med handlingar som ska köras till Familjecentralen", "Familjecentralen"),
        ("två kartonger till Vårdcentralen", "Vårdcentralen"),
    ],
)
def test_a_centre_named_as_one_word_is_where_a_transport_goes(
    text: str, place: str, now: datetime
) -> None:
    assert extract_details(text, ("location", "destination"), now) == {"destination": place}


def test_the_day_said_first_is_the_day_it_happened(now: datetime) -> None:
    said = "Det kom 30 portioner för lite i dag, och matsalen var ostädad sen i går"
    found = parse_day_been(said, now)
    assert found is not None and found.value == date(2026, 3, 18)
    found = parse_day_been("maten i fredags var kall, och i dag igen", now)
    assert found is not None and found.value == date(2026, 3, 13)
