"""Errors raised and reported while reading a catalogue source."""

from __future__ import annotations

from dataclasses import dataclass


class CatalogueError(Exception):
    """A fatal problem: the whole source is rejected and nothing is written."""


@dataclass(frozen=True)
class RowError:
    """One problem with one row: where it is, which column, and why.

    ``where`` is ``"line N"`` for CSV (the header is line 1) or ``"item N"`` for JSON
    (the 0-based index in the service list).
    """

    where: str
    column: str | None
    reason: str

    def __str__(self) -> str:
        if self.column is None:
            return f"{self.where}: {self.reason}"
        return f"{self.where}, column {self.column}: {self.reason}"
