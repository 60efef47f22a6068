"""Catalogue repository: validated service records, upserts with retirement, and lookups."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from servicedesk.fields import MAX_CUSTOM_FIELDS, FieldDefinition
from servicedesk.models import Department, Service, TicketKind, utcnow

__all__ = [
    "ORDER_FIELDS",
    "DepartmentRecord",
    "ServiceRecord",
    "SyncCounts",
    "catalogue_version",
    "get_service",
    "list_active_services",
    "list_departments",
    "upsert_departments",
    "upsert_services",
]

ORDER_FIELDS = (
    "location",
    "description",
    "date",
    "time",
    "quantity",
    "participants",
    "destination",
    "return_date",
)
KIND_ALIASES = {
    "order": TicketKind.ORDER,
    "beställning": TicketKind.ORDER,
    "fault": TicketKind.FAULT,
    "felanmälan": TicketKind.FAULT,
    "question": TicketKind.QUESTION,
    "fråga": TicketKind.QUESTION,
}
_MAX_LENGTHS = {"code": 32, "category": 200, "name": 300, "price_unit": 200, "performer": 200}
_CENT = Decimal("0.01")
#: Example requests per service and the length of one (they become training examples).
MAX_EXAMPLES = 40
MAX_EXAMPLE_LENGTH = 300


def _fail(reason: str) -> PydanticCustomError:
    return PydanticCustomError("catalogue", reason)


def _text(value: Any, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal | float):
        raise _fail(f"must be text, got {value!r}")
    text = " ".join(str(value).split())
    limit = _MAX_LENGTHS.get(column)
    if limit is not None and len(text) > limit:
        raise _fail(f"must be at most {limit} characters, got {len(text)}")
    return text


def _split_list(value: Any, separators: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return re.split(f"[{re.escape(separators)}]", value)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    raise _fail(f"must be a list of text or a '{separators[0]}'-separated text, got {value!r}")


class ServiceRecord(BaseModel):
    """One validated catalogue service as read from a source, before it is stored.

    Validators accept what exports typically contain (Swedish kind names, decimal commas,
    ``;``-separated lists) and raise messages that read well after "column X: ".
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    code: str
    kind: TicketKind
    category: str
    name: str
    description: str = ""
    price_sek: Decimal
    price_unit: str = ""
    performer: str = ""
    sla_hours: int
    #: Catalogue-defined fields (see :mod:`servicedesk.fields`); order_fields may name them.
    #: Declared before order_fields so that its validator sees them.
    fields: tuple[FieldDefinition, ...] = ()
    order_fields: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    #: Example requests in the words staff use ("Så kan det låta"), optional: they teach
    #: the matcher and the intent classifier what the service means beyond its keywords.
    examples: tuple[str, ...] = ()

    @field_validator("code", mode="before")
    @classmethod
    def _check_code(cls, value: Any) -> str:
        code = _text(value, "code")
        if not code:
            raise _fail("must not be empty")
        if " " in code:
            raise _fail(f"must not contain spaces, got {value!r}")
        return code

    @field_validator("kind", mode="before")
    @classmethod
    def _check_kind(cls, value: Any) -> TicketKind:
        kind = KIND_ALIASES.get(str(value).strip().lower()) if isinstance(value, str) else None
        if kind is None:
            raise _fail(
                f"must be one of order, fault, question (or beställning, felanmälan, fråga), "
                f"got {value!r}"
            )
        return kind

    @field_validator("category", "name", mode="before")
    @classmethod
    def _check_required_text(cls, value: Any, info: Any) -> str:
        text = _text(value, info.field_name)
        if not text:
            raise _fail("must not be empty")
        return text

    @field_validator("description", "price_unit", "performer", mode="before")
    @classmethod
    def _check_optional_text(cls, value: Any, info: Any) -> str:
        return _text(value, info.field_name)

    @field_validator("price_sek", mode="before")
    @classmethod
    def _check_price(cls, value: Any) -> Decimal:
        return _parse_price(value)

    @field_validator("sla_hours", mode="before")
    @classmethod
    def _check_sla(cls, value: Any) -> int:
        return _parse_positive_int(value)

    @field_validator("order_fields", mode="before")
    @classmethod
    def _check_order_fields(cls, value: Any, info: ValidationInfo) -> tuple[str, ...]:
        names = _unique(n.strip().lower() for n in _split_list(value, ";,"))
        defined = [f.key for f in info.data.get("fields") or ()]
        unknown = [n for n in names if n not in ORDER_FIELDS and n not in defined]
        if unknown:
            allowed = ", ".join(ORDER_FIELDS)
            raise _fail(
                f"unknown order field {', '.join(map(repr, unknown))}; allowed: {allowed}"
                + (
                    f", or a field defined in column fields ({', '.join(defined)})"
                    if defined
                    else ""
                )
            )
        # A defined field not listed in order_fields is asked after the listed ones.
        return (*names, *(k for k in defined if k not in names))

    @field_validator("fields", mode="before")
    @classmethod
    def _check_fields(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return ()
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as exc:
                raise _fail(f"must be a JSON list of field definitions: {exc}") from None
        if not isinstance(value, list | tuple):
            raise _fail(f"must be a list of field definitions, got {type(value).__name__}")
        if len(value) > MAX_CUSTOM_FIELDS:
            raise _fail(f"at most {MAX_CUSTOM_FIELDS} fields per service, got {len(value)}")
        keys = [d.get("key") for d in value if isinstance(d, dict)]
        twice = sorted({k for k in keys if keys.count(k) > 1 and isinstance(k, str)})
        if twice:
            raise _fail(f"field key(s) defined twice: {', '.join(twice)}")
        return value

    @field_validator("keywords", mode="before")
    @classmethod
    def _check_keywords(cls, value: Any) -> tuple[str, ...]:
        return _unique(" ".join(k.split()) for k in _split_list(value, ";"))

    @field_validator("examples", mode="before")
    @classmethod
    def _check_examples(cls, value: Any) -> tuple[str, ...]:
        items = _unique(" ".join(e.split()) for e in _split_list(value, ";"))
        if len(items) > MAX_EXAMPLES:
            raise _fail(f"at most {MAX_EXAMPLES} examples per service, got {len(items)}")
        long = [e for e in items if len(e) > MAX_EXAMPLE_LENGTH]
        if long:
            raise _fail(
                f"an example must be at most {MAX_EXAMPLE_LENGTH} characters, got {len(long[0])}"
                f" ({long[0][:40]!r}…)"
            )
        return items

    def content_hash(self) -> str:
        """Return a SHA-256 over the canonical content, used to detect changed rows."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class DepartmentRecord(BaseModel):
    """One validated department (förvaltning) row."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    code: str
    name: str

    @field_validator("code", mode="before")
    @classmethod
    def _check_code(cls, value: Any) -> str:
        code = _text(value, "code")
        if not code or " " in code or len(code) > 16:
            raise _fail(f"must be 1-16 characters without spaces, got {value!r}")
        return code

    @field_validator("name", mode="before")
    @classmethod
    def _check_name(cls, value: Any) -> str:
        name = _text(value, "name")
        if not name:
            raise _fail("must not be empty")
        return name


def _unique(items: Any) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        if item and item.casefold() not in seen:
            seen[item.casefold()] = item
    return tuple(seen.values())


def _parse_price(value: Any) -> Decimal:
    reason = f"must be a number ≥ 0 with at most 2 decimals, got {value!r}"
    if isinstance(value, bool):
        raise _fail(reason)
    if isinstance(value, str):
        text = "".join(value.split())  # drops thousands spaces, incl. no-break spaces
        value = text.replace(",", ".") if "." not in text else text
    try:
        price = Decimal(str(value))
    except InvalidOperation:
        raise _fail(reason) from None
    if not price.is_finite() or price < 0 or price != price.quantize(_CENT) or price >= 10**10:
        raise _fail(reason)
    return price.quantize(_CENT)


def _parse_positive_int(value: Any) -> int:
    reason = f"must be a positive integer, got {value!r}"
    if isinstance(value, bool):
        raise _fail(reason)
    digits = isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value)
    whole = isinstance(value, Decimal) and value.is_finite() and value == value.to_integral()
    if not (digits or whole or isinstance(value, int)):
        raise _fail(reason)
    number = int(value)
    if not 0 < number <= 1_000_000:
        raise _fail(reason)
    return number


@dataclass
class SyncCounts:
    """Codes per outcome of an upsert; ``reactivated`` are retired rows that came back."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)


def list_active_services(*, session: Session) -> list[Service]:
    """Return the active services ordered by code."""
    return list(session.scalars(select(Service).where(Service.active).order_by(Service.code)))


def get_service(*, session: Session, code: str) -> Service | None:
    """Return the service with ``code`` (active or retired), or None."""
    return session.get(Service, code)


def list_departments(*, session: Session, active_only: bool = True) -> list[Department]:
    """Return departments ordered by code, by default only the active ones."""
    query = select(Department).order_by(Department.code)
    if active_only:
        query = query.where(Department.active)
    return list(session.scalars(query))


def upsert_services(
    *,
    session: Session,
    records: Sequence[ServiceRecord],
    retire_missing: bool = True,
    now: datetime | None = None,
    keep_codes: Collection[str] = (),
    on_record: Callable[[str], None] | None = None,
) -> SyncCounts:
    """Insert new services, update changed ones and retire those missing from ``records``.

    Args:
        session: Open session; the caller commits or rolls back.
        records: Validated services, unique by code.
        retire_missing: Set active services not in ``records`` inactive (never deletes).
        now: Timestamp for ``updated_at``/``retired_at`` (default: current UTC time).
        keep_codes: Codes never retired by this run (e.g. their source rows were rejected).
        on_record: Called with each code as it is processed (progress reporting).
    """
    now = now or utcnow()
    counts = SyncCounts()
    existing = {s.code: s for s in session.scalars(select(Service))}
    for record in records:
        _upsert_one(session, existing.get(record.code), record, now, counts)
        if on_record is not None:
            on_record(record.code)
    if retire_missing:
        seen = {r.code for r in records} | set(keep_codes)
        for code, service in sorted(existing.items()):
            if service.active and code not in seen:
                service.active, service.retired_at, service.updated_at = False, now, now
                counts.retired.append(code)
    session.flush()
    return counts


def _upsert_one(
    session: Session,
    service: Service | None,
    record: ServiceRecord,
    now: datetime,
    counts: SyncCounts,
) -> None:
    digest = record.content_hash()
    if service is None:
        service = Service(code=record.code, created_at=now)
        session.add(service)
        counts.added.append(record.code)
    elif not service.active:
        counts.reactivated.append(record.code)
    elif service.content_hash != digest:
        counts.changed.append(record.code)
    else:
        counts.unchanged.append(record.code)
        return
    for name, value in record.model_dump(exclude={"code"}).items():
        setattr(service, name, list(value) if isinstance(value, tuple) else value)
    service.content_hash, service.updated_at = digest, now
    service.active, service.retired_at = True, None


def upsert_departments(*, session: Session, records: Sequence[DepartmentRecord]) -> SyncCounts:
    """Insert new departments, rename changed ones and reactivate returning ones."""
    counts = SyncCounts()
    existing = {d.code: d for d in session.scalars(select(Department))}
    for record in records:
        department = existing.get(record.code)
        if department is None:
            session.add(Department(code=record.code, name=record.name, active=True))
            counts.added.append(record.code)
        elif department.name != record.name or not department.active:
            department.name, department.active = record.name, True
            counts.changed.append(record.code)
        else:
            counts.unchanged.append(record.code)
    session.flush()
    return counts


def catalogue_version(*, session: Session) -> str:
    """Return a cheap fingerprint of the catalogue that changes whenever a sync changes it."""
    total, active, latest = session.execute(
        select(
            func.count(Service.code),
            func.coalesce(func.sum(case((Service.active, 1), else_=0)), 0),
            func.max(Service.updated_at),
        )
    ).one()
    stamp = latest.isoformat() if isinstance(latest, datetime) else str(latest or "")
    return f"{total}:{active}:{stamp}"
