"""Reading files: delimiters, BOM, JSON shapes, and row errors with line and column."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from catalogue_sync import CatalogueError, load_departments, load_services
from tests.unit.catalogue_sync.conftest import GOOD_ROW, HEADER

Write = Callable[..., Path]
CATALOGUE = Path(__file__).resolve().parents[3] / "data"


def test_default_catalogue_has_41_valid_services() -> None:
    parsed = load_services(CATALOGUE / "tjanstekatalog.csv")
    assert len(parsed.records) == 41
    assert parsed.errors == []


def test_bom_and_semicolon_delimiter_are_detected(write_file: Write) -> None:
    row = GOOD_ROW.replace(",", ";").replace("location;description", '"location;description"')
    row = row.replace("städning;städ", '"städning;städ"')
    path = write_file("bom.csv", "\ufeff" + HEADER.replace(",", ";") + "\n" + row + "\n")
    parsed = load_services(path)
    assert parsed.errors == []
    assert parsed.records[0].code == "LOK-01"
    assert parsed.records[0].order_fields == ("location", "description")


def test_broken_rows_are_reported_with_line_and_column(write_file: Write) -> None:
    rows = [
        GOOD_ROW,  # line 2
        GOOD_ROW.replace("LOK-01,fault", "LOK-02,repair"),  # 3 bad kind
        GOOD_ROW.replace("LOK-01", "LOK-03").replace(",0,", ",-5,"),  # 4 negative price
        GOOD_ROW.replace("LOK-01", "LOK-04").replace("location;desc", "phone;desc"),  # 5
        GOOD_ROW.replace("LOK-01", "LOK-05").replace("Felanmälan lokalvård", ""),  # 6
        GOOD_ROW,  # 7 duplicate code
        GOOD_ROW.replace("LOK-01", "LOK-06").replace(",24,", ",abc,"),  # 8
        GOOD_ROW.replace("LOK-01", "LOK-07"),  # 9 good
    ]
    parsed = load_services(write_file("bad.csv", "\n".join([HEADER, *rows]) + "\n"))
    assert [r.code for r in parsed.records] == ["LOK-01", "LOK-07"]
    messages = [str(e) for e in parsed.errors]
    assert messages[0].startswith("line 3, column kind: must be one of order, fault, question")
    assert messages[1].startswith("line 4, column price_sek: must be a number ≥ 0")
    assert messages[2].startswith("line 5, column order_fields: unknown order field 'phone'")
    assert messages[3] == "line 6, column name: must not be empty"
    assert messages[4] == "line 7, column code: duplicate code 'LOK-01', first on line 2"
    assert messages[5] == "line 8, column sla_hours: must be a positive integer, got 'abc'"
    assert parsed.rejected_rows == [f"line {n}" for n in range(3, 9)]
    assert {"LOK-02", "LOK-06"} <= parsed.rejected_codes


def test_line_numbers_count_multiline_fields_and_blank_lines(write_file: Write) -> None:
    multiline = GOOD_ROW.replace("Brister", '"Brister\növer två rader"')
    bad = GOOD_ROW.replace("LOK-01", "LOK-02").replace(",24,", ",x,")
    path = write_file("ml.csv", f"{HEADER}\n{multiline}\n\n{bad}\n")
    assert [str(e).split(",")[0] for e in load_services(path).errors] == ["line 5"]


def test_wrong_field_count_is_a_row_error(write_file: Write) -> None:
    path = write_file("short.csv", f"{HEADER}\n{GOOD_ROW}\nLOK-02,order\n")
    assert str(load_services(path).errors[0]) == "line 3: has 2 fields, the header has 11"


def test_missing_header_columns_reject_the_file(write_file: Write) -> None:
    path = write_file("hdr.csv", "code,name,kind\nLOK-01,Städ,order\n")
    with pytest.raises(CatalogueError, match="lacks required columns: category, price_sek"):
        load_services(path)


@pytest.mark.parametrize("content", ["", "\ufeff\n  \n"])
def test_empty_file_is_fatal(write_file: Write, content: str) -> None:
    with pytest.raises(CatalogueError, match="empty"):
        load_services(write_file("empty.csv", content))


def test_non_utf8_file_is_fatal(write_file: Write) -> None:
    path = write_file("latin1.csv", (HEADER + "\n" + GOOD_ROW).encode("latin-1"))
    with pytest.raises(CatalogueError, match="save it as UTF-8"):
        load_services(path)


def test_json_list_and_object_forms(write_file: Write) -> None:
    item = {
        "code": "IT-01",
        "kind": "felanmälan",
        "category": "IT",
        "name": "Felanmälan IT",
        "price_sek": 0.6,
        "sla_hours": 16,
        "order_fields": ["description"],
        "keywords": "dator;skrivare",
    }
    as_list = load_services(
        write_file("a.json", json.dumps([item, "x", {**item, "code": "IT-02", "sla_hours": -1}]))
    )
    assert [r.code for r in as_list.records] == ["IT-01"]
    assert [str(e) for e in as_list.errors] == [
        "item 1: must be an object, got 'x'",
        "item 2, column sla_hours: must be a positive integer, got -1",
    ]
    wrapped = load_services(write_file("b.data", json.dumps({"services": [item]})))
    assert wrapped.records[0].keywords == ("dator", "skrivare")
    missing = load_services(write_file("c.json", json.dumps([{"code": "X-1"}])))
    assert "item 0, column kind: is required" in [str(e) for e in missing.errors]


def test_invalid_json_is_fatal(write_file: Write) -> None:
    with pytest.raises(CatalogueError, match="not valid JSON"):
        load_services(write_file("bad.json", "[{"))


def test_departments_file() -> None:
    parsed = load_departments(CATALOGUE / "forvaltningar.csv")
    assert len(parsed.records) == 10
    assert parsed.records[-1].name == "Annat/Vet ej"
