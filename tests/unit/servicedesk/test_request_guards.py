"""The request guard's checks and the short error answers, without an app."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from servicedesk.api.errors import MAX_ECHO_CHARS, short_errors, short_input
from servicedesk.api.guards import json_problems, query_problems, text_problems


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("kort", "kort"),
        (None, None),
        (True, True),
        (42, 42),
        (0.5, 0.5),
        (math.inf, "inf"),
        (math.nan, "nan"),
        ({"text": "hej"}, {"text": "hej"}),
        ([1, 2], [1, 2]),
    ],
)
def test_short_input_keeps_small_values_as_they_are(value: Any, expected: Any) -> None:
    assert short_input(value) == expected


@pytest.mark.parametrize(
    "value",
    ["x" * 1_000_000, 10**4000, {"text": "x" * 10_000}, ["y"] * 10_000, {"n": math.inf}],
    ids=["long-text", "huge-int", "big-dict", "big-list", "inf-inside"],
)
def test_short_input_cuts_big_values_to_short_valid_json(value: Any) -> None:
    short = short_input(value)
    assert isinstance(short, str) and len(short) <= MAX_ECHO_CHARS + 1
    json.dumps(short, allow_nan=False)


def test_short_input_survives_an_integer_python_cannot_print() -> None:
    assert short_input(10**5000) == "…"


def test_short_errors_cut_input_and_context() -> None:
    errors = [
        {"type": "string_too_long", "loc": ("body", "text"), "msg": "too long",
         "input": "x" * 5000, "ctx": {"max_length": 4000, "error": ValueError("x" * 900)}},
        {"type": "missing", "loc": ("body", "username"), "msg": "Field required"},
    ]  # fmt: skip
    short = short_errors(errors)
    assert short[0]["input"] == "x" * MAX_ECHO_CHARS + "…"
    assert short[0]["ctx"]["max_length"] == 4000
    assert len(json.dumps(short[0]["ctx"], default=str)) < 400
    assert short[1] == errors[1]


def test_text_problems_locate_every_bad_string_like_fastapi() -> None:
    value = {"a": "ok", "b": ["fine", "n\x00l"], "c": {"d": "\ud800"}, "e\x00": 1}
    problems = text_problems(value, ["body"])
    assert sorted((tuple(p["loc"]), p["type"]) for p in problems) == [
        (("body", "b", 1), "string_nul"),
        (("body", "c", "d"), "string_surrogate"),
        (("body", "e\x00"), "string_nul"),
    ]


def test_a_deep_json_document_is_checked_without_recursion() -> None:
    deep: Any = "\x00"
    for _ in range(50_000):
        deep = [deep]
    assert text_problems(deep, ["body"])[0]["loc"] == ["body", *([0] * 50_000)]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b'{"x": 1e999999}', "finite_number"),
        (b'{"x": [NaN]}', "finite_number"),
        (b'{"x": "\\u0000"}', "string_nul"),
        (b'{"x": "\\udbff"}', "string_surrogate"),
    ],
)
def test_json_problems_find_what_cannot_be_stored(body: bytes, kind: str) -> None:
    assert json_problems(body)[0]["type"] == kind


@pytest.mark.parametrize(
    "body",
    [b'{"x": 1.5e300, "y": "\\ud83d\\udc4d", "z": "\\u00e5"}', b"not json", b"[" * 100_000, b""],
)
def test_json_problems_leave_good_and_unreadable_bodies_alone(body: bytes) -> None:
    assert json_problems(body) == []


def test_query_problems_decode_like_starlette() -> None:
    assert query_problems(b"q=a%00b&x=1")[0]["loc"] == ["query", "q"]
    assert query_problems(b"q=%ED%A0%80&r=%C3%A5") == []  # replaced, not a surrogate
    assert query_problems(b"a%00=1")[0]["loc"] == ["query", "a\x00"]
