"""Absurd numbers are row errors with line, column and reason, never a crash or a hang;
absurd sources are refused as a whole with a clear reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from catalogue_sync import CatalogueError, load_services
from catalogue_sync.sources import SourceLimits
from tests.support.deadline import finishes as finishes_within
from tests.unit.catalogue_sync.conftest import GOOD_ROW, HEADER

Write = Callable[..., Path]
T = TypeVar("T")
CATALOGUE = Path(__file__).resolve().parents[3] / "data" / "tjanstekatalog.csv"


def finishes(work: Callable[[], T], deadline: float = 30.0) -> T:
    """Run ``work``; a hang (an integer of a billion digits) fails the test instead of
    stalling it."""
    return finishes_within(work, deadline, "the parse")


def csv_with_price(write_file: Write, price: str) -> Path:
    row = GOOD_ROW.replace(",0,ingår", f",{price},ingår")
    assert row != GOOD_ROW
    return write_file("p.csv", f"{HEADER}\n{GOOD_ROW.replace('LOK-01', 'LOK-00')}\n{row}\n")


@pytest.mark.parametrize(
    ("price", "reason"),
    [
        ("1e308", "must be at most 10,000,000 SEK, got '1e308'"),
        ("1E+308", "must be at most 10,000,000 SEK, got '1E+308'"),
        ("1e999999999", "must be at most 10,000,000 SEK, got '1e999999999'"),
        ("10000000.01", "must be at most 10,000,000 SEK, got '10000000.01'"),
        ('"10 000 001"', "must be at most 10,000,000 SEK, got '10 000 001'"),
        ("inf", "must be a number ≥ 0 with at most 2 decimals, got 'inf'"),
        ("-inf", "must be a number ≥ 0 with at most 2 decimals, got '-inf'"),
        ("nan", "must be a number ≥ 0 with at most 2 decimals, got 'nan'"),
        ("-1", "must be a number ≥ 0 with at most 2 decimals, got '-1'"),
        ("-1e308", "must be a number ≥ 0 with at most 2 decimals, got '-1e308'"),
    ],
)
def test_an_absurd_price_is_a_row_error(write_file: Write, price: str, reason: str) -> None:
    parsed = finishes(lambda: load_services(csv_with_price(write_file, price)))
    assert [r.code for r in parsed.records] == ["LOK-00"]
    assert [str(e) for e in parsed.errors] == [f"line 3, column price_sek: {reason}"]
    assert parsed.rejected_codes == {"LOK-01"}


@pytest.mark.parametrize("price", ["10000000", "10 000 000,00", "0.60"])
def test_prices_up_to_ten_million_are_accepted(write_file: Write, price: str) -> None:
    parsed = load_services(csv_with_price(write_file, f'"{price}"'))
    assert parsed.errors == [] and len(parsed.records) == 2


def test_the_other_errors_of_a_row_with_an_absurd_price_are_reported_too(
    write_file: Write,
) -> None:
    row = GOOD_ROW.replace(",0,ingår", ",1e308,ingår").replace(",fault,", ",repair,")
    parsed = load_services(write_file("p.csv", f"{HEADER}\n{row}\n"))
    assert [(e.column, e.reason.split(",")[0]) for e in parsed.errors] == [
        ("kind", "must be one of order"),
        ("price_sek", "must be at most 10"),
    ]


def json_service(**changes: object) -> dict[str, object]:
    item: dict[str, object] = {
        "code": "IT-01", "kind": "fault", "category": "IT", "name": "Felanmälan IT",
        "price_sek": 0, "sla_hours": 16, "order_fields": ["description"],
    }  # fmt: skip
    return {**item, **changes}


def test_absurd_json_numbers_are_row_errors_without_hanging(write_file: Write) -> None:
    # Raw JSON numbers: json.dumps would write 1e308 as a float, so spell them out.
    items = [
        json.dumps(json_service()),
        json.dumps(json_service(code="IT-02")).replace('"price_sek": 0', '"price_sek": 1e308'),
        json.dumps(json_service(code="IT-03")).replace(
            '"sla_hours": 16', '"sla_hours": 1e999999999'
        ),
        json.dumps(json_service(code="IT-04")).replace('"price_sek": 0', '"price_sek": Infinity'),
        json.dumps(json_service(code="IT-05")).replace('"price_sek": 0', '"price_sek": NaN'),
    ]
    path = write_file("n.json", "[" + ",".join(items) + "]")
    parsed = finishes(lambda: load_services(path))
    assert [r.code for r in parsed.records] == ["IT-01"]
    assert [str(e) for e in parsed.errors] == [
        "item 1, column price_sek: must be at most 10,000,000 SEK, got Decimal('1E+308')",
        "item 2, column sla_hours: must be a positive integer of at most 1000000, "
        "got Decimal('1E+999999999')",
        "item 3, column price_sek: must be a number ≥ 0 with at most 2 decimals, got inf",
        "item 4, column price_sek: must be a number ≥ 0 with at most 2 decimals, got nan",
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "not valid JSON: maximum recursion depth"),
        ('[{"sla_hours": ' + "1" * 5000 + "}]", "not valid JSON: Exceeds the limit"),
    ],
)
def test_json_that_python_cannot_hold_is_refused_as_a_whole(
    write_file: Write, content: str, reason: str
) -> None:
    with pytest.raises(CatalogueError, match=reason):
        load_services(write_file("deep.json", content))


def test_a_file_over_the_size_limit_is_refused(write_file: Write) -> None:
    size = CATALOGUE.stat().st_size
    with pytest.raises(CatalogueError) as info:
        load_services(CATALOGUE, limits=SourceLimits(max_bytes=size - 1))
    assert f"larger than the maximum of {size - 1:,} bytes" in str(info.value)
    assert len(load_services(CATALOGUE, limits=SourceLimits(max_bytes=size)).records) == 41


def test_errors_are_grouped_by_row_in_source_order(write_file: Write) -> None:
    rows = [f"X-{n},nonsense,C,N,,0,,,abc,," for n in range(1_000)]
    path = write_file("bad.csv", "\n".join([HEADER, *rows, GOOD_ROW]) + "\n")
    parsed = load_services(path)
    assert len(parsed.records) == 1 and len(parsed.errors) == 2_000
    grouped = parsed.errors_by_row()
    assert list(grouped) == parsed.rejected_rows == [f"line {n}" for n in range(2, 1_002)]
    assert [e.column for e in grouped["line 1001"]] == ["kind", "sla_hours"]
