"""Validate raw rows into records, collecting precise per-row errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from catalogue_sync.errors import RowError
from catalogue_sync.parsing import (
    REQUIRED_DEPARTMENT_COLUMNS,
    REQUIRED_SERVICE_COLUMNS,
    RawRow,
    parse_csv,
    parse_json,
)
from catalogue_sync.sources import SourceLimits, read_source
from servicedesk.catalogue import DepartmentRecord, ServiceRecord

RecordT = TypeVar("RecordT", ServiceRecord, DepartmentRecord)
RowHook = Callable[[int, int], None]

#: The highest price a catalogue service may have, in SEK. Internal services cost far
#: less; a larger figure is a slip in the export (and ``1e308`` fits no database column).
MAX_PRICE_SEK = Decimal(10_000_000)
#: The longest promised time, as ``ServiceRecord`` allows it.
MAX_SLA_HOURS = 1_000_000


@dataclass
class Parsed(Generic[RecordT]):
    """The valid records of a source, the errors of the rejected rows, and their codes."""

    origin: str
    records: list[RecordT] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rejected_codes: set[str] = field(default_factory=set)

    @property
    def rejected_rows(self) -> list[str]:
        """Return the ``where`` label of every rejected row, in source order."""
        return list(dict.fromkeys(error.where for error in self.errors))

    def errors_by_row(self) -> dict[str, list[RowError]]:
        """Return the errors grouped by rejected row, rows in source order (one pass)."""
        grouped: dict[str, list[RowError]] = {}
        for error in self.errors:
            grouped.setdefault(error.where, []).append(error)
        return grouped


def validate_rows(
    rows: Sequence[RawRow],
    model: type[RecordT],
    *,
    origin: str = "",
    on_row: RowHook | None = None,
) -> Parsed[RecordT]:
    """Validate ``rows`` with ``model``; a later row repeating a code is rejected.

    ``on_row(done, total)`` is called after each row, for progress reporting.
    """
    parsed: Parsed[RecordT] = Parsed(origin)
    first_seen: dict[str, str] = {}
    columns = {name: index for index, name in enumerate(model.model_fields)}
    for done, row in enumerate(rows, start=1):
        if on_row is not None:
            on_row(done, len(rows))
        values, errors = _screen(row, model)
        try:
            record = model.model_validate(values)
        except ValidationError as exc:
            errors += _row_errors(row.where, exc)
        if errors:
            errors.sort(key=lambda e: columns.get(e.column or "", -1))
            parsed.errors.extend(errors)
            raw_code = row.values.get("code")
            if isinstance(raw_code, str) and raw_code.strip():
                parsed.rejected_codes.add(raw_code.strip())
            continue
        if record.code in first_seen:
            reason = f"duplicate code {record.code!r}, first on {first_seen[record.code]}"
            parsed.errors.append(RowError(row.where, "code", reason))
            continue
        first_seen[record.code] = row.where
        parsed.records.append(record)
    return parsed


def _number(value: Any) -> Decimal | None:
    """Read ``value`` as a number the way ``ServiceRecord`` does, or None if it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = "".join(value.split())
        try:
            return Decimal(text.replace(",", ".") if "." not in text else text)
        except InvalidOperation:
            return None
    return None


def _screen(row: RawRow, model: type[RecordT]) -> tuple[dict[str, Any], list[RowError]]:
    """Reject numbers too large to be meant before ``model`` sees them.

    ``ServiceRecord`` would fail on a price of ``1e308`` with an arithmetic error rather
    than a row error, and turning an SLA of ``1e999999999`` into an integer takes forever.
    Returns the values to validate (a rejected number replaced by a harmless one, so the
    row's other errors are still found) and the errors of the rejected numbers.
    """
    if model is not ServiceRecord:
        return row.values, []
    values = row.values
    errors: list[RowError] = []
    price = _number(row.values.get("price_sek"))
    if price is not None and price.is_finite() and price > MAX_PRICE_SEK:
        reason = f"must be at most {MAX_PRICE_SEK:,} SEK, got {row.values['price_sek']!r}"
        errors.append(RowError(row.where, "price_sek", reason))
        values = {**values, "price_sek": "0"}
    sla = _number(row.values.get("sla_hours"))
    if sla is not None and sla.is_finite() and sla.copy_abs() > MAX_SLA_HOURS:
        reason = (
            f"must be a positive integer of at most {MAX_SLA_HOURS}, "
            f"got {row.values['sla_hours']!r}"
        )
        errors.append(RowError(row.where, "sla_hours", reason))
        values = {**values, "sla_hours": "1"}
    return values, errors


def _row_errors(where: str, exc: ValidationError) -> list[RowError]:
    errors = []
    for error in exc.errors(include_url=False):
        column = str(error["loc"][0]) if error["loc"] else None
        reason = (
            "is required"
            if error["type"] == "missing"
            else error["msg"].removeprefix("Value error, ")
        )
        errors.append(RowError(where, column, reason))
    return errors


def load_services(
    source: str | Path,
    *,
    timeout: float = 10.0,
    on_row: RowHook | None = None,
    limits: SourceLimits | None = None,
) -> Parsed[ServiceRecord]:
    """Read, parse and validate a service catalogue source.

    Raises:
        CatalogueError: The source as a whole is unusable.
    """
    return _load(
        source, ServiceRecord, REQUIRED_SERVICE_COLUMNS, "services", timeout, limits, on_row
    )


def load_departments(
    source: str | Path, *, timeout: float = 10.0, limits: SourceLimits | None = None
) -> Parsed[DepartmentRecord]:
    """Read, parse and validate a departments source (CSV ``code,name`` or JSON).

    Raises:
        CatalogueError: The source as a whole is unusable.
    """
    return _load(
        source, DepartmentRecord, REQUIRED_DEPARTMENT_COLUMNS, "departments", timeout, limits
    )


def _load(
    source: str | Path,
    model: type[RecordT],
    required: Sequence[str],
    key: str,
    timeout: float,
    limits: SourceLimits | None,
    on_row: RowHook | None = None,
) -> Parsed[RecordT]:
    text = read_source(source, timeout=timeout, limits=limits)
    if text.format == "json":
        rows, errors = parse_json(text.text, key=key)
    else:
        rows, errors = parse_csv(text.text, required=required)
    parsed = validate_rows(rows, model, origin=text.origin, on_row=on_row)
    parsed.errors = sorted(errors + parsed.errors, key=lambda e: _order(e.where))
    return parsed


def _order(where: str) -> int:
    return int(where.rsplit(" ", 1)[-1])
