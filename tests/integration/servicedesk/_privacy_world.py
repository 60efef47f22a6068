"""A small world of people, tickets, messages, feedback and Rasa conversations of known ages.

Shared by the retention and the export/erasure tests. The tracker store is written by
Rasa's own ``SQLTrackerStore`` (run in the Rasa environment), on SQLite next to a SQLite
desk database and on a throw-away PostgreSQL database next to a PostgreSQL one.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from psycopg import sql
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from servicedesk import tickets
from servicedesk.models import (
    Attachment,
    Base,
    DeliveryState,
    Department,
    Feedback,
    FeedbackAnswer,
    Message,
    MessageDirection,
    Requester,
    Service,
    TelegramUpdate,
    Ticket,
    TicketKind,
    TicketState,
)
from servicedesk.privacy.tracker import EVENTS
from tests.integration.servicedesk.conftest import PG_URL_TEMPLATE, _pg_admin
from tests.support.processes import rasa_env

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
WRITER = Path(__file__).resolve().parents[2] / "support" / "rasa_tracker_writer.py"

#: Words only the person Anna wrote or was told; none may survive her erasure.
ANNA_NAME = "Anna Andersson"
ANNA_ID = "anna-7f3c"
ANNA_TEXTS = (
    "skrivaren i rum 214 luktar bränt",
    "Hej Anna, skrivaren är lagad",
    "Bra jobbat av teknikern Kalle",
    "min chef heter Birgitta",
)


def days_ago(days: float) -> datetime:
    """``NOW`` minus ``days``."""
    return NOW - timedelta(days=days)


@dataclass
class TrackerStore:
    """A tracker store for one test: the desk's URL and the spec Rasa's writer needs."""

    url: str
    spec: dict[str, Any]

    def write(self, conversations: dict[str, list[list[Any]]]) -> None:
        """Save ``conversations`` through Rasa's SQLTrackerStore."""
        python = rasa_env() / "bin" / "python"
        spec = json.dumps({**self.spec, "conversations": conversations})
        env = {**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
        subprocess.run([str(python), str(WRITER), spec], check=True, env=env, timeout=120)

    def events(self, sender: str | None = None) -> list[dict[str, Any]]:
        """Every event row (of ``sender``), oldest first."""
        engine = create_engine(self.url)
        try:
            stmt = select(EVENTS).order_by(EVENTS.c.id)
            if sender is not None:
                stmt = stmt.where(EVENTS.c.sender_id == sender)
            with engine.connect() as conn:
                return [dict(row) for row in conn.execute(stmt).mappings()]
        finally:
            engine.dispose()


@pytest.fixture
def tracker_store(db_url: str, tmp_path: Path) -> Iterator[TrackerStore]:
    """Rasa's tracker store of the same kind as the desk database, empty."""
    if db_url.startswith("sqlite"):
        path = tmp_path / "rasa_tracker.db"
        yield TrackerStore(f"sqlite:///{path}", {"dialect": "sqlite", "db": str(path)})
        return
    name = f"rasa_tracker_test_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield TrackerStore(
            PG_URL_TEMPLATE.format(name=name),
            {"dialect": "postgresql", "host": "127.0.0.1", "port": 5432, "db": name,
             "username": "postgres"},
        )  # fmt: skip
    finally:
        with _pg_admin() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _service(session: Session, code: str, category: str) -> None:
    session.add(
        Service(
            code=code, kind=TicketKind.FAULT, category=category, name=f"Tjänst {code}",
            description="", price_sek=Decimal(0), price_unit="", performer="IT", sla_hours=16,
            order_fields=[], keywords=[],
        )
    )  # fmt: skip


def _ticket(
    session: Session,
    person: Requester,
    service: str,
    *,
    opened_days_ago: float,
    closed_days_ago: float | None,
    text: str = "",
    cancel: bool = False,
) -> Ticket:
    ticket, _ = tickets.create_ticket(
        session=session, requester=person, kind=TicketKind.FAULT, channel=person.channel,
        conversation_id=f"{person.channel}:{person.external_id}", service_code=service,
        title=f"Tjänst {service}", details={"beskrivning": text or "trasig dator"},
        transcript=[{"from": "user", "text": text or "datorn startar inte"}],
        now=days_ago(opened_days_ago),
    )  # fmt: skip
    if closed_days_ago is not None:
        path = (
            [TicketState.CANCELLED]
            if cancel
            else [TicketState.IN_PROGRESS, TicketState.DELIVERED, TicketState.CLOSED]
        )
        for state in path:
            tickets.transition(
                session=session, ticket=ticket, to_state=state, actor="agent:eva",
                comment=f"Notering om {person.name}", now=days_ago(closed_days_ago),
            )  # fmt: skip
    return ticket


def _message(
    session: Session, person: Requester, ticket: Ticket | None, text: str, age: float
) -> None:
    session.add(
        Message(
            requester_id=person.id, ticket_id=ticket.id if ticket else None,
            channel=person.channel, direction=MessageDirection.OUTBOUND, author="agent",
            text=text, buttons=[], delivery_state=DeliveryState.DELIVERED,
            created_at=days_ago(age),
        )
    )  # fmt: skip


@dataclass
class World:
    """The people and tickets of :func:`build_world`."""

    anna: Requester
    olle: Requester
    bo: Requester
    anna_old_it: Ticket  # closed 800 days ago: due (IT keeps 730)
    anna_old_lok: Ticket  # cancelled 400 days ago: due (Lokalvård keeps 365 in the tests)
    anna_mid: Ticket  # closed 100 days ago: only its transcript and messages are due
    anna_recent: Ticket  # closed 10 days ago: nothing due
    anna_open: Ticket  # opened 1000 days ago, still open: nothing due
    olle_ticket: Ticket  # closed 5 days ago
    attachments_dir: Path  # where Anna's photo is


def build_world(session: Session, attachments_dir: Path) -> World:
    """Fill the desk database; see :class:`World` for what is due.

    Anna's old IT ticket has a photo (``attachments_dir/anna/skrivare.jpg``).
    """
    session.add(Department(code="SOC", name="Socialförvaltningen"))
    _service(session, "IT-01", "IT")
    _service(session, "LOK-01", "Lokalvård")
    anna = Requester(channel="web", external_id=ANNA_ID, name=ANNA_NAME, department_code="SOC")
    olle = Requester(channel="telegram", external_id="777001", name="Olle Olsson")
    bo = Requester(channel="web", external_id="bo-1", name="Bo Ek")
    session.add_all([anna, olle, bo])
    session.flush()
    world = World(
        anna=anna, olle=olle, bo=bo,
        anna_old_it=_ticket(session, anna, "IT-01", opened_days_ago=810, closed_days_ago=800,
                            text=ANNA_TEXTS[0]),
        anna_old_lok=_ticket(session, anna, "LOK-01", opened_days_ago=401, closed_days_ago=400,
                             cancel=True),
        anna_mid=_ticket(session, anna, "IT-01", opened_days_ago=120, closed_days_ago=100),
        anna_recent=_ticket(session, anna, "IT-01", opened_days_ago=20, closed_days_ago=10),
        anna_open=_ticket(session, anna, "IT-01", opened_days_ago=1000, closed_days_ago=None),
        olle_ticket=_ticket(session, olle, "IT-01", opened_days_ago=8, closed_days_ago=5),
        attachments_dir=attachments_dir,
    )  # fmt: skip
    _message(session, anna, world.anna_mid, ANNA_TEXTS[1], 101)
    _message(session, anna, world.anna_recent, "Ditt ärende är levererat", 11)
    _message(session, anna, None, ANNA_TEXTS[3], 100)  # loose, due
    _message(session, anna, None, "Välkommen tillbaka", 10)  # loose, not due
    feedback = Feedback(
        ticket_id=world.anna_old_it.id, department_code="SOC", status="answered",
        overall_score=8, feedback_score=7, comment=ANNA_TEXTS[2], requester_id=anna.id,
        answered_at=days_ago(799),
    )  # fmt: skip
    session.add(feedback)
    photo = attachments_dir / "anna" / "skrivare.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 not really a jpeg")
    session.add(
        Attachment(
            requester_id=anna.id, ticket_id=world.anna_old_it.id, channel="web",
            source_id="f1", file_name="skrivare.jpg", path="anna/skrivare.jpg",
            caption=ANNA_TEXTS[0],
        )
    )  # fmt: skip
    session.flush()
    session.add_all(
        [
            FeedbackAnswer(feedback_id=feedback.id, question="overall", score=8, text="åtta"),
            FeedbackAnswer(feedback_id=feedback.id, question="comment", text=ANNA_TEXTS[2]),
        ]
    )
    session.add_all(
        [
            TelegramUpdate(update_id=1, user_id="777001", kind="message", text="hej gamla",
                           status="done", received_at=days_ago(40)),
            TelegramUpdate(update_id=2, user_id="777001", kind="message", text="hej nya",
                           status="done", received_at=days_ago(5)),
        ]
    )  # fmt: skip
    session.commit()
    return world


def ts(days: float) -> float:
    """Unix time ``days`` before ``NOW``."""
    return days_ago(days).timestamp()


#: Rasa conversations: Olle's is idle (all due), Bo's old session is due but not his current
#: one, Anna's is old but she has an open ticket.
CONVERSATIONS: dict[str, list[list[Any]]] = {
    "telegram:777001": [["session", ts(200), ""], ["user", ts(200), "jag heter Olle"]],
    "web:bo-1": [
        ["session", ts(200), ""], ["user", ts(200), "boka rum"], ["bot", ts(199), "Vilket rum?"],
        ["session", ts(5), ""], ["user", ts(5), "hej igen"],
    ],
    f"web:{ANNA_ID}": [
        ["session", ts(300), ""], ["user", ts(300), ANNA_TEXTS[0]], ["bot", ts(300), "Tack Anna"],
    ],
}  # fmt: skip


def every_value(engine: Engine) -> str:
    """Every value of every desk table, as one string (JSON columns decoded)."""
    parts: list[str] = []
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                parts.append(repr(tuple(row)))
    return "\n".join(parts)
