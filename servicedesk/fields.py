"""The details a service asks for: the eight built-in ones and those a catalogue defines.

A catalogue may define its own fields per service (kostnadsställe, allergier, antal
portioner, a choice, a yes/no): key, Swedish label, question, type, required, and options
or a range. The summary, the ticket, the console and the API show every detail under its
Swedish label.

A field of type ``personnummer`` is the one kind that keeps an identity number: its answer
is checked with the ``personnummer`` package, stored encrypted and shown in clear only to
the agents of the ticket's queue (see :mod:`servicedesk.privacy.sensitive`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

__all__ = [
    "BUILTIN_LABELS",
    "FIELD_TYPES",
    "MAX_CUSTOM_FIELDS",
    "SENSITIVE_TYPES",
    "FieldDefinition",
    "field_labels",
    "labelled_details",
    "sensitive_keys",
]

#: The built-in details, by key, with their Swedish labels.
BUILTIN_LABELS: dict[str, str] = {
    "location": "Plats",
    "description": "Beskrivning",
    "date": "Datum",
    "time": "Tid",
    "quantity": "Antal",
    "participants": "Antal personer",
    "destination": "Destination",
    "return_date": "Hemresa",
    "note": "Övrigt",
}
FIELD_TYPES = ("text", "number", "date", "time", "choice", "yesno", "personnummer")
#: Field types whose answers are encrypted at rest and masked for all but the ticket's queue.
SENSITIVE_TYPES = frozenset({"personnummer"})
#: Catalogue-defined fields one service may have (the dialogue has this many slots).
MAX_CUSTOM_FIELDS = 8
_KEY = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


class FieldDefinition(BaseModel):
    """One catalogue-defined field of a service."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    label: str = Field(min_length=1, max_length=60)
    question: str = Field(default="", max_length=300)
    type: Literal["text", "number", "date", "time", "choice", "yesno", "personnummer"] = "text"
    required: bool = True
    options: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None

    @field_validator("key")
    @classmethod
    def _check_key(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError(
                f"key must be 2-32 characters a-z, 0-9 or _, starting with a letter, got {value!r}"
            )
        if value in BUILTIN_LABELS:
            raise ValueError(f"key {value!r} is a built-in detail; use it in order_fields instead")
        return value

    @field_validator("type", mode="before")
    @classmethod
    def _check_type(cls, value: Any, info: ValidationInfo) -> Any:
        if value not in FIELD_TYPES:
            key = info.data.get("key", "?")
            raise ValueError(
                f"field {key!r}: type must be one of {', '.join(FIELD_TYPES)}, got {value!r}"
            )
        return value

    @field_validator("label", "question")
    @classmethod
    def _strip(cls, value: str) -> str:
        return " ".join(value.split())

    @model_validator(mode="after")
    def _check_kind(self) -> FieldDefinition:
        if self.type == "choice":
            if not 2 <= len(self.options) <= 12 or any(not o.strip() for o in self.options):
                raise ValueError(f"field {self.key!r}: a choice needs 2-12 non-empty options")
        elif self.options:
            raise ValueError(f"field {self.key!r}: options are only for type choice")
        if (self.min is not None or self.max is not None) and self.type != "number":
            raise ValueError(f"field {self.key!r}: min and max are only for type number")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"field {self.key!r}: min {self.min} is above max {self.max}")
        return self

    @property
    def sensitive(self) -> bool:
        """The answer is an identity number: encrypted at rest, shown only to the queue."""
        return self.type in SENSITIVE_TYPES

    @property
    def asked(self) -> str:
        """The question the assistant asks (the label as a question when none is given)."""
        return self.question or f"{self.label}?"


def sensitive_keys(definitions: Sequence[Mapping[str, Any]] = ()) -> frozenset[str]:
    """The keys of the defined fields whose answers are kept encrypted (personnummer)."""
    return frozenset(str(d.get("key")) for d in definitions if d.get("type") in SENSITIVE_TYPES)


def field_labels(definitions: Sequence[Mapping[str, Any]] = ()) -> dict[str, str]:
    """Swedish label by detail key: the built-ins, then the catalogue-defined fields."""
    labels = dict(BUILTIN_LABELS)
    labels.update({str(d.get("key")): str(d.get("label")) for d in definitions if d.get("key")})
    return labels


def labelled_details(
    details: Mapping[str, Any], definitions: Sequence[Mapping[str, Any]] = ()
) -> list[dict[str, str]]:
    """The details as ``[{key, label, value}]`` in a stable order: built-ins first."""
    labels = field_labels(definitions)
    order = [*BUILTIN_LABELS, *(str(d.get("key")) for d in definitions)]
    keys = [k for k in order if k in details] + [k for k in details if k not in order]
    return [
        {
            "key": k,
            "label": labels.get(k, k.replace("_", " ").capitalize()),
            "value": str(details[k]),
        }
        for k in keys
        if details[k] not in (None, "")
    ]
