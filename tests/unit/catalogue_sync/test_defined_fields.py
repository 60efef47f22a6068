"""Catalogue-defined fields: the format, and precise errors for what is wrong with it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from catalogue_sync import load_services
from tests.unit.catalogue_sync.conftest import GOOD_ROW, HEADER

Write = Callable[..., Path]
CATALOGUE = Path(__file__).resolve().parents[3] / "data" / "tjanstekatalog.csv"
COST = {"key": "kostnadsstalle", "label": "Kostnadsställe", "type": "text"}


def _row(code: str, order_fields: str, fields: object) -> str:
    cell = json.dumps(fields, ensure_ascii=False).replace('"', '""')
    row = GOOD_ROW.replace("LOK-01", code).replace("location;description", order_fields)
    return f'{row},"{cell}"'


def _load(write_file: Write, *rows: str) -> tuple[list[str], list[str]]:
    path = write_file("fields.csv", "\n".join([HEADER + ",fields", *rows]) + "\n")
    parsed = load_services(path)
    return [r.code for r in parsed.records], [str(e) for e in parsed.errors]


def test_the_default_catalogue_defines_cost_centres_and_allergies() -> None:
    records = {r.code: r for r in load_services(CATALOGUE).records}
    lunch = records["KNF-03"]
    assert [f.key for f in lunch.fields] == ["leverans", "allergier", "kostnadsstalle"]
    assert lunch.order_fields[-3:] == ("leverans", "allergier", "kostnadsstalle")
    assert lunch.fields[0].type == "choice" and len(lunch.fields[0].options) == 2
    assert lunch.fields[1].required is False
    priced = [r for r in records.values() if r.kind.value == "order" and r.price_sek > 0]
    assert priced and all("kostnadsstalle" in r.order_fields for r in priced)


def test_files_without_the_fields_column_keep_working(write_file: Write) -> None:
    path = write_file("old.csv", HEADER + "\n" + GOOD_ROW + "\n")
    parsed = load_services(path)
    assert parsed.errors == [] and parsed.records[0].fields == ()


def test_a_defined_field_may_be_named_in_order_fields_or_is_asked_last(write_file: Write) -> None:
    allergies = {"key": "allergier", "label": "Allergier", "required": False}
    codes, errors = _load(
        write_file,
        _row("A-01", "location;kostnadsstalle;description", [COST]),
        _row("A-02", "location", [COST, allergies]),
    )
    assert errors == [] and codes == ["A-01", "A-02"]
    rows = [
        HEADER + ",fields",
        _row("A-01", "location;kostnadsstalle;description", [COST]),
        _row("A-02", "location", [COST, allergies]),
    ]
    parsed = load_services(write_file("both.csv", "\n".join(rows) + "\n"))
    records = {r.code: r for r in parsed.records}
    assert records["A-01"].order_fields == ("location", "kostnadsstalle", "description")
    assert records["A-02"].order_fields == ("location", "kostnadsstalle", "allergier")


def test_each_kind_of_mistake_is_a_precise_row_error(write_file: Write) -> None:
    codes, errors = _load(
        write_file,
        _row("B-01", "location;kostnad", [COST]),  # line 2: unknown name in order_fields
        _row("B-02", "location", [{"key": "Kostnad!", "label": "X"}]),  # 3: bad key
        _row("B-03", "location", [{"key": "location", "label": "Plats"}]),  # 4: built-in
        _row(
            "B-04",
            "location",
            [{"key": "val", "label": "Val", "type": "choice", "options": ["bara ett"]}],
        ),  # 5: one option
        _row(
            "B-05",
            "location",
            [{"key": "antal_x", "label": "X", "type": "number", "min": 10, "max": 2}],
        ),  # 6: min > max
        _row("B-06", "location", [{"key": "farg", "label": "Färg", "type": "colour"}]),  # 7
        _row("B-07", "location", [COST, COST]),  # 8: twice
        _row("B-08", "location", "inte json"),  # 9
        _row("B-09", "location", [{"key": f"f{i}x", "label": "X"} for i in range(9)]),  # 10
    )
    assert codes == []
    by_line = {e.split(",")[0]: e for e in errors}
    assert "column order_fields: unknown order field 'kostnad'" in by_line["line 2"]
    assert "or a field defined in column fields (kostnadsstalle)" in by_line["line 2"]
    assert "column fields" in by_line["line 3"] and "2-32 characters a-z" in by_line["line 3"]
    assert "'location' is a built-in detail" in by_line["line 4"]
    assert "a choice needs 2-12 non-empty options" in by_line["line 5"]
    assert "min 10 is above max 2" in by_line["line 6"]
    assert "column fields" in by_line["line 7"]
    assert "field 'farg': type must be one of text" in by_line["line 7"]
    assert "got 'colour'" in by_line["line 7"]
    assert "defined twice: kostnadsstalle" in by_line["line 8"]
    assert "must be a list of field definitions, got str" in by_line["line 9"]
    assert "at most 8 fields per service, got 9" in by_line["line 10"]
