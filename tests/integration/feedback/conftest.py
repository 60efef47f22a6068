"""Feedback integration fixtures: a migrated database (SQLite and PostgreSQL), a catalogue
of two departments and two services, and delivered tickets."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from servicedesk import tickets
from servicedesk.api.app import create_app
from servicedesk.models import Department, Requester, Service, Ticket, TicketKind, TicketState
from servicedesk.settings import Settings
from tests.integration.servicedesk import conftest as _servicedesk

# The servicedesk integration fixtures: migrated SQLite and PostgreSQL databases.
closed_port = _servicedesk.closed_port
db_url = _servicedesk.db_url
engine = _servicedesk.engine
pg_database_url = _servicedesk.pg_database_url
pg_url = _servicedesk.pg_url
session = _servicedesk.session
session_factory = _servicedesk.session_factory
sqlite_url = _servicedesk.sqlite_url

#: Tuesday 2026-03-10 10:00 in Stockholm.
DELIVERED = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def catalogue(session: Session) -> None:
    """Three departments and two services of different categories and performers."""
    session.add_all(
        [
            Department(code="KLK", name="Kommunledningskontoret", active=True),
            Department(code="SOC", name="Socialförvaltningen", active=True),
            Department(code="BUF", name="Barn- och utbildningsförvaltningen", active=True),
            Service(
                code="KNF-02", kind=TicketKind.ORDER, category="Konferens", name="Fika till möte",
                performer="Konferensservice", sla_hours=24, price_sek=Decimal(40),
            ),
            Service(
                code="LOK-01", kind=TicketKind.FAULT, category="Lokalvård",
                name="Felanmälan lokalvård", performer="Lokalvård", sla_hours=24,
            ),
        ]
    )  # fmt: skip
    session.commit()


DeliverFn = Callable[..., Ticket]


@pytest.fixture
def deliver(session: Session, catalogue: None) -> DeliverFn:
    """Open a ticket for a (new or given) person and move it to levererad at ``at``."""
    counter = iter(range(1, 10_000))

    def make(
        *,
        at: datetime = DELIVERED,
        service: str = "KNF-02",
        department: str | None = "KLK",
        person: Requester | None = None,
    ) -> Ticket:
        if person is None:
            person = Requester(
                channel="web", external_id=f"person-{next(counter)}", department_code=department
            )
            session.add(person)
            session.flush()
        ticket, _ = tickets.create_ticket(
            session=session, requester=person, kind=TicketKind.ORDER, channel=person.channel,
            conversation_id=person.external_id, service_code=service, title=service,
            now=at - timedelta(hours=2),
        )  # fmt: skip
        for state in (TicketState.IN_PROGRESS, TicketState.DELIVERED):
            tickets.transition(session=session, ticket=ticket, to_state=state, actor="t", now=at)
        ticket.delivered_at = at
        session.commit()
        return ticket

    return make


class Desk:
    """The desk app in-process over ASGI, on the test's database."""

    def __init__(self, db_url: str) -> None:
        self.settings = Settings(environment="test", database_url=db_url, run_jobs=False)
        self.app = create_app(self.settings)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://desk") as client:
                return await client.get(url, **kwargs)

        return asyncio.run(send())
