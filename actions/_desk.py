"""Adapter between the actions and servicedesk/: sessions, catalogue snapshot, interpreter."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from nlu import embeddings
from nlu.interpret import Interpreter
from nlu.matcher import ServiceDoc
from nlu.training import DEFAULT_CACHE_DIR, load_examples
from servicedesk import catalogue
from servicedesk.db import session_scope
from servicedesk.settings import get_settings


@dataclass(frozen=True)
class ServiceInfo:
    """A detached snapshot of one active catalogue service."""

    code: str
    kind: str
    category: str
    name: str
    description: str
    price_sek: Decimal
    price_unit: str
    performer: str
    sla_hours: int
    order_fields: tuple[str, ...]
    keywords: tuple[str, ...]
    #: Catalogue-defined fields ({key, label, question, type, required, options, min, max}).
    fields: tuple[dict[str, Any], ...] = ()
    #: Example requests from the catalogue (they teach the interpretation step).
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Snapshot:
    version: str
    services: dict[str, ServiceInfo]
    interpreter: Interpreter
    checked_at: float


_lock = threading.Lock()
_snapshot: _Snapshot | None = None


@contextmanager
def desk_session() -> Iterator[Session]:
    """Open a transaction on the service desk database."""
    with session_scope() as session:
        yield session


def _load(session: Session, version: str) -> _Snapshot:
    infos: dict[str, ServiceInfo] = {}
    for s in catalogue.list_active_services(session=session):
        infos[s.code] = ServiceInfo(
            code=s.code,
            kind=str(s.kind.value if hasattr(s.kind, "value") else s.kind),
            category=s.category,
            name=s.name,
            description=s.description,
            price_sek=Decimal(s.price_sek),
            price_unit=s.price_unit,
            performer=s.performer,
            sla_hours=s.sla_hours,
            order_fields=tuple(s.order_fields or ()),
            keywords=tuple(s.keywords or ()),
            fields=tuple(dict(f) for f in s.fields or ()),
            examples=tuple(s.examples or ()),
        )
    docs = [
        ServiceDoc(
            code=i.code,
            name=i.name,
            category=i.category,
            description=i.description,
            keywords=i.keywords,
            kind=i.kind,
            examples=i.examples,
        )
        for i in infos.values()
    ]
    return _Snapshot(version, infos, build_interpreter(docs), time.monotonic())


def build_interpreter(docs: list[ServiceDoc]) -> Interpreter:
    """The interpretation step for these services (embeddings unless switched off)."""
    if not embeddings.enabled():
        return Interpreter(docs)
    embed = embeddings.embedder(DEFAULT_CACHE_DIR)
    return Interpreter(docs, examples=load_examples(), embed=embed)


def snapshot() -> _Snapshot:
    """Return the catalogue snapshot, rebuilt when the catalogue version changed."""
    global _snapshot
    ttl = get_settings().catalogue_cache_seconds
    with _lock:
        current = _snapshot
        if current is not None and time.monotonic() - current.checked_at < ttl:
            return current
        with desk_session() as session:
            version = catalogue.catalogue_version(session=session)
            if current is not None and current.version == version:
                current = _Snapshot(
                    version, current.services, current.interpreter, time.monotonic()
                )
            else:
                current = _load(session, version)
        _snapshot = current
        return current


def get_service_info(code: str | None) -> ServiceInfo | None:
    """Return the active service with ``code`` or None."""
    if not code:
        return None
    return snapshot().services.get(code)
