"""Split CSV or JSON source text into raw rows, each labelled with where it came from."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from catalogue_sync.errors import CatalogueError, RowError

SERVICE_COLUMNS = (
    "code",
    "kind",
    "category",
    "name",
    "description",
    "price_sek",
    "price_unit",
    "performer",
    "sla_hours",
    "order_fields",
    "keywords",
    "fields",
    "examples",
)
REQUIRED_SERVICE_COLUMNS = (
    "code",
    "kind",
    "category",
    "name",
    "price_sek",
    "sla_hours",
    "order_fields",
)
REQUIRED_DEPARTMENT_COLUMNS = ("code", "name")


@dataclass(frozen=True)
class RawRow:
    """One unvalidated row: ``where`` is ``"line N"`` or ``"item N"``."""

    where: str
    values: dict[str, Any]


def parse_csv(text: str, *, required: Sequence[str]) -> tuple[list[RawRow], list[RowError]]:
    """Parse CSV text (``,``, ``;`` or tab delimited, header first) into raw rows.

    Raises:
        CatalogueError: The text is empty, malformed, or the header lacks required columns.
    """
    if not text.strip():
        raise CatalogueError("the file is empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        columns = _check_header(next(reader), required)
        rows: list[RawRow] = []
        errors: list[RowError] = []
        start = reader.line_num + 1
        for fields in reader:
            where, start = f"line {start}", reader.line_num + 1
            if not any(value.strip() for value in fields):
                continue  # blank lines are not rows
            if len(fields) != len(columns):
                reason = f"has {len(fields)} fields, the header has {len(columns)}"
                errors.append(RowError(where, None, reason))
                continue
            values = {col: value for col, value in zip(columns, fields, strict=True) if col}
            rows.append(RawRow(where, values))
    except csv.Error as exc:
        raise CatalogueError(f"line {reader.line_num}: malformed CSV ({exc})") from exc
    return rows, errors


def _delimiter(text: str) -> str:
    header = text.lstrip("\ufeff").splitlines()[0]
    return max((",", ";", "\t"), key=header.count)


def _check_header(header: list[str], required: Sequence[str]) -> list[str]:
    columns = [name.strip().lower() for name in header]
    named = [c for c in columns if c]
    duplicates = sorted({c for c in named if named.count(c) > 1})
    if duplicates:
        raise CatalogueError(f"line 1: duplicate columns in the header: {', '.join(duplicates)}")
    missing = [c for c in required if c not in columns]
    if missing:
        raise CatalogueError(
            f"line 1: the header lacks required columns: {', '.join(missing)} "
            f"(found: {', '.join(named) or 'none'})"
        )
    return columns


def parse_json(text: str, *, key: str) -> tuple[list[RawRow], list[RowError]]:
    """Parse a JSON list of objects, or an object holding that list under ``key``.

    JSON has no header: a missing required key is reported as an error of that item.

    Raises:
        CatalogueError: The text is empty, not JSON, or not shaped as a list of objects.
    """
    if not text.strip():
        raise CatalogueError("the file is empty")
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc
    except (ValueError, RecursionError) as exc:  # an integer of thousands of digits, deep nesting
        raise CatalogueError(f"not valid JSON: {exc}") from exc
    if isinstance(data, dict) and key in data:
        data = data[key]
    if not isinstance(data, list):
        raise CatalogueError(f'expected a JSON list of objects or an object with a "{key}" list')
    rows: list[RawRow] = []
    errors: list[RowError] = []
    for index, item in enumerate(data):
        if isinstance(item, dict):
            values = {str(k).strip().lower(): v for k, v in item.items()}
            rows.append(RawRow(f"item {index}", values))
        else:
            errors.append(RowError(f"item {index}", None, f"must be an object, got {item!r}"))
    return rows, errors
