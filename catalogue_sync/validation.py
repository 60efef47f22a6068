"""Validate raw rows into records, collecting precise per-row errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import ValidationError

from catalogue_sync.errors import RowError
from catalogue_sync.parsing import (
    REQUIRED_DEPARTMENT_COLUMNS,
    REQUIRED_SERVICE_COLUMNS,
    RawRow,
    parse_csv,
    parse_json,
)
from catalogue_sync.sources import read_source
from servicedesk.catalogue import DepartmentRecord, ServiceRecord

RecordT = TypeVar("RecordT", ServiceRecord, DepartmentRecord)
RowHook = Callable[[int, int], None]


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
    for done, row in enumerate(rows, start=1):
        if on_row is not None:
            on_row(done, len(rows))
        try:
            record = model.model_validate(row.values)
        except ValidationError as exc:
            parsed.errors.extend(_row_errors(row.where, exc))
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


def _row_errors(where: str, exc: ValidationError) -> list[RowError]:
    errors = []
    for error in exc.errors(include_url=False):
        column = str(error["loc"][0]) if error["loc"] else None
        reason = "is required" if error["type"] == "missing" else error["msg"]
        errors.append(RowError(where, column, reason))
    return errors


def load_services(
    source: str | Path, *, timeout: float = 10.0, on_row: RowHook | None = None
) -> Parsed[ServiceRecord]:
    """Read, parse and validate a service catalogue source.

    Raises:
        CatalogueError: The source as a whole is unusable.
    """
    return _load(source, ServiceRecord, REQUIRED_SERVICE_COLUMNS, "services", timeout, on_row)


def load_departments(source: str | Path, *, timeout: float = 10.0) -> Parsed[DepartmentRecord]:
    """Read, parse and validate a departments source (CSV ``code,name`` or JSON).

    Raises:
        CatalogueError: The source as a whole is unusable.
    """
    return _load(source, DepartmentRecord, REQUIRED_DEPARTMENT_COLUMNS, "departments", timeout)


def _load(
    source: str | Path,
    model: type[RecordT],
    required: Sequence[str],
    key: str,
    timeout: float,
    on_row: RowHook | None = None,
) -> Parsed[RecordT]:
    text = read_source(source, timeout=timeout)
    if text.format == "json":
        rows, errors = parse_json(text.text, key=key)
    else:
        rows, errors = parse_csv(text.text, required=required)
    parsed = validate_rows(rows, model, origin=text.origin, on_row=on_row)
    parsed.errors = sorted(errors + parsed.errors, key=lambda e: _order(e.where))
    return parsed


def _order(where: str) -> int:
    return int(where.rsplit(" ", 1)[-1])
