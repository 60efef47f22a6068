"""Swedish date, time and quantity parsing for order forms."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from nlu.details import confirmation, extract_details, parse_date, parse_quantity, parse_time


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


def test_impossible_or_missing_date_is_none(now: datetime) -> None:
    assert parse_date("31/2", now) is None
    assert parse_date("vi behöver fika", now) is None


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
    ],
)
def test_parse_time(text: str, start: time, end: time | None) -> None:
    found = parse_time(text)
    assert found is not None and found.valid and (found.start, found.end) == (start, end)


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


def test_mixed_swedish_and_english_details(now: datetime) -> None:
    found = extract_details("meeting på torsdag kl 14 för 8 personer please", _FIELDS, now)
    assert found == {"date": "2026-03-19", "time": "14:00", "participants": "8"}


_FIELDS = ["date", "time", "participants"]
