"""The feedback sweep with a controllable clock and a fake Rasa: send, remind, expire, resume."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from servicedesk.feedback._rasa import RasaConversations, RasaError
from servicedesk.feedback.sweep import run_sweep
from servicedesk.models import Feedback, Message
from servicedesk.settings import Settings
from tests.integration.feedback.conftest import DELIVERED, DeliverFn
from tests.support.http_server import serve_http

SETTINGS = Settings(environment="test", feedback_idle_seconds=60)
DUE = DELIVERED + timedelta(hours=1)


class FakeRasa:
    """Records triggers and answers like Rasa; can be down or busy."""

    def __init__(self) -> None:
        self.triggered: list[tuple[str, dict[str, str]]] = []
        self.down = False
        self.states: dict[str, dict[str, Any]] = {}

    async def state(self, sender: str) -> dict[str, Any]:
        if self.down:
            raise RasaError("connection refused")
        return self.states.get(sender, {"active_loop": {}, "latest_event_time": None})

    async def trigger(self, sender: str, entities: dict[str, str]) -> list[dict[str, Any]]:
        if self.down:
            raise RasaError("connection refused")
        self.triggered.append((sender, entities))
        kind = entities["feedback_kind"]
        return [
            {"recipient_id": sender, "text": f"{kind} {entities['ticket_number']}"},
            {
                "recipient_id": sender,
                "text": "Återkoppling?",
                "buttons": [{"title": "8", "payload": "8"}],
            },
        ]


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


def sweep(factory: sessionmaker[Session], rasa: FakeRasa, now: datetime, **settings: Any) -> int:
    chosen = SETTINGS.model_copy(update=settings) if settings else SETTINGS
    return asyncio.run(run_sweep(settings=chosen, session_factory=factory, now=now, rasa=rasa))


def rows(session: Session) -> list[Feedback]:
    session.expire_all()
    return list(session.scalars(select(Feedback).order_by(Feedback.id)))


def outbox(session: Session) -> list[Message]:
    return list(
        session.scalars(select(Message).where(Message.author == "bot").order_by(Message.id))
    )


def test_the_invitation_waits_for_its_delay_then_arrives_once(
    session: Session, session_factory: sessionmaker[Session], deliver: DeliverFn, rasa: FakeRasa
) -> None:
    ticket = deliver()
    sweep(session_factory, rasa, DUE - timedelta(minutes=1))
    assert rasa.triggered == [] and rows(session)[0].status == "pending"
    sweep(session_factory, rasa, DUE)
    sweep(session_factory, rasa, DUE + timedelta(minutes=1))
    sender = f"web:{ticket.requester.external_id}"
    assert rasa.triggered == [(sender, {"ticket_number": ticket.number, "feedback_kind": "invite"})]
    row = rows(session)[0]
    assert row.status == "invited" and row.invited_at is not None
    sent = outbox(session)
    assert [m.text for m in sent] == [f"invite {ticket.number}", "Återkoppling?"]
    assert sent[1].buttons == [{"title": "8", "payload": "8"}]
    assert {m.ticket_id for m in sent} == {ticket.id}
    assert sent[0].dedupe_key == f"feedback:{ticket.number}:invite:0"


def test_nothing_is_sent_in_quiet_hours(
    session: Session, session_factory: sessionmaker[Session], deliver: DeliverFn, rasa: FakeRasa
) -> None:
    deliver(at=datetime(2026, 3, 13, 16, 0, tzinfo=DELIVERED.tzinfo))  # Friday 17:00 local
    sweep(session_factory, rasa, datetime(2026, 3, 14, 10, 0, tzinfo=DELIVERED.tzinfo))
    assert rasa.triggered == []
    sweep(session_factory, rasa, datetime(2026, 3, 16, 7, 5, tzinfo=DELIVERED.tzinfo))  # Mon 08:05
    assert len(rasa.triggered) == 1


def test_when_rasa_is_down_the_invitation_stays_due(
    session: Session, session_factory: sessionmaker[Session], deliver: DeliverFn, rasa: FakeRasa
) -> None:
    deliver()
    rasa.down = True
    sweep(session_factory, rasa, DUE)
    assert rows(session)[0].status == "pending" and outbox(session) == []
    rasa.down = False
    sweep(session_factory, rasa, DUE + timedelta(minutes=1))
    assert rows(session)[0].status == "invited" and len(outbox(session)) == 2


def test_a_person_in_the_middle_of_something_is_not_interrupted(
    session: Session, session_factory: sessionmaker[Session], deliver: DeliverFn, rasa: FakeRasa
) -> None:
    ticket = deliver()
    sender = f"web:{ticket.requester.external_id}"
    rasa.states[sender] = {"active_loop": {"name": "service_form"}}
    sweep(session_factory, rasa, DUE)
    rasa.states[sender] = {"active_loop": {}, "latest_event_time": DUE.timestamp() - 10}
    sweep(session_factory, rasa, DUE)
    assert rasa.triggered == []
    sweep(session_factory, rasa, DUE + timedelta(minutes=2))
    assert len(rasa.triggered) == 1


def test_a_survey_left_unanswered_does_not_block_the_next_message(
    session: Session, session_factory: sessionmaker[Session], deliver: DeliverFn, rasa: FakeRasa
) -> None:
    ticket = deliver()
    sender = f"web:{ticket.requester.external_id}"
    rasa.states[sender] = {"active_loop": {"name": "feedback_form"}, "latest_event_time": 1.0}
    sweep(session_factory, rasa, DUE)
    assert len(rasa.triggered) == 1


def test_at_most_four_invitations_per_person_in_thirty_days(
    session: Session, session_factory: sessionmaker[Session], deliver: DeliverFn, rasa: FakeRasa
) -> None:
    first = deliver()
    person = first.requester
    weekdays = (1, 2, 3, 6)  # Wednesday to Friday, then Monday
    for day in weekdays:
        deliver(at=DELIVERED + timedelta(days=day), person=person)
    for day in (0, *weekdays):
        for hour in range(4):  # one survey message per person and sweep
            sweep(session_factory, rasa, DUE + timedelta(days=day, hours=hour))
    statuses = [(r.status, r.skip_reason) for r in rows(session)]
    assert statuses[:4] == [("invited", None)] * 4
    assert statuses[4] == ("skipped", "cap")
    invites = [e for _, e in rasa.triggered if e["feedback_kind"] == "invite"]
    assert len(invites) == 4


def test_one_reminder_after_three_days_then_expiry_after_fourteen(
    session: Session, session_factory: sessionmaker[Session], deliver: DeliverFn, rasa: FakeRasa
) -> None:
    deliver()
    sweep(session_factory, rasa, DUE)
    sweep(session_factory, rasa, DUE + timedelta(days=2))
    assert len(rasa.triggered) == 1
    sweep(session_factory, rasa, DUE + timedelta(days=3))
    sweep(session_factory, rasa, DUE + timedelta(days=6))
    kinds = [entities["feedback_kind"] for _, entities in rasa.triggered]
    assert kinds == ["invite", "reminder"]
    assert rows(session)[0].reminder_sent_at is not None
    sweep(session_factory, rasa, DUE + timedelta(days=14))
    row = rows(session)[0]
    assert row.status == "expired" and row.expired_at is not None


def test_a_postponed_survey_is_asked_again_by_the_one_reminder(
    session: Session, session_factory: sessionmaker[Session], deliver: DeliverFn, rasa: FakeRasa
) -> None:
    deliver()
    sweep(session_factory, rasa, DUE)
    row = rows(session)[0]
    row.status = "postponed"
    session.commit()
    sweep(session_factory, rasa, DUE + timedelta(days=3))
    sweep(session_factory, rasa, DUE + timedelta(days=7))
    assert [e["feedback_kind"] for _, e in rasa.triggered] == ["invite", "reminder"]


def test_a_paused_survey_is_offered_again_when_the_person_is_done(
    session: Session, session_factory: sessionmaker[Session], deliver: DeliverFn, rasa: FakeRasa
) -> None:
    ticket = deliver()
    sweep(session_factory, rasa, DUE)
    row = rows(session)[0]
    row.status = "paused"
    session.commit()
    rasa.states[f"web:{ticket.requester.external_id}"] = {"active_loop": {"name": "service_form"}}
    sweep(session_factory, rasa, DUE + timedelta(minutes=5))
    assert len(rasa.triggered) == 1
    rasa.states.clear()
    sweep(session_factory, rasa, DUE + timedelta(minutes=10))
    assert [e["feedback_kind"] for _, e in rasa.triggered] == ["invite", "resume"]
    row = rows(session)[0]
    assert (row.status, row.resume_count) == ("invited", 1)
    assert outbox(session)[-1].dedupe_key == f"feedback:{ticket.number}:resume1:1"


def test_a_person_gets_one_survey_message_per_sweep(
    session: Session, session_factory: sessionmaker[Session], deliver: DeliverFn, rasa: FakeRasa
) -> None:
    first = deliver()
    deliver(person=first.requester)
    sweep(session_factory, rasa, DUE)
    assert [e["ticket_number"] for _, e in rasa.triggered] == [first.number]
    sweep(session_factory, rasa, DUE + timedelta(minutes=2))
    assert len(rasa.triggered) == 2


def test_declined_and_answered_surveys_get_no_reminder(
    session: Session, session_factory: sessionmaker[Session], deliver: DeliverFn, rasa: FakeRasa
) -> None:
    deliver()
    deliver()
    sweep(session_factory, rasa, DUE)
    first, second = rows(session)
    first.status, second.status = "declined", "answered"
    session.commit()
    sweep(session_factory, rasa, DUE + timedelta(days=4))
    sweep(session_factory, rasa, DUE + timedelta(days=15))
    assert len(rasa.triggered) == 2
    assert [r.status for r in rows(session)] == ["declined", "answered"]


class _RasaApi(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.calls.append(("GET", self.path, None))  # type: ignore[attr-defined]
        self._json({"sender_id": "x", "active_loop": {}, "latest_event_time": None})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.calls.append(("POST", self.path, body))  # type: ignore[attr-defined]
        self._json({"tracker": {}, "messages": [{"recipient_id": "x", "text": "Hej!"}]})

    def _json(self, payload: object) -> None:
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def rasa_api() -> Iterator[ThreadingHTTPServer]:
    with serve_http(_RasaApi, calls=[]) as server:
        yield server


def test_the_rasa_client_triggers_the_external_event_with_the_token(
    rasa_api: ThreadingHTTPServer,
) -> None:
    client = RasaConversations(f"http://127.0.0.1:{rasa_api.server_port}", "s3cret", 5)
    assert asyncio.run(client.state("web user/1"))["active_loop"] == {}
    messages = asyncio.run(client.trigger("web user/1", {"ticket_number": "SD-2026-00001"}))
    assert messages == [{"recipient_id": "x", "text": "Hej!"}]
    (_, get_path, _), (_, post_path, body) = rasa_api.calls  # type: ignore[attr-defined]
    assert urlparse(get_path).path == "/conversations/web%20user%2F1/tracker"
    post = urlparse(post_path)
    assert post.path == "/conversations/web%20user%2F1/trigger_intent"
    assert parse_qs(post.query) == {"token": ["s3cret"], "output_channel": ["collector"]}
    assert body == {
        "name": "EXTERNAL_feedback_invitation",
        "entities": {"ticket_number": "SD-2026-00001"},
    }


def test_the_rasa_client_reports_an_unreachable_server(closed_port: int) -> None:
    client = RasaConversations(f"http://127.0.0.1:{closed_port}", "t", 2)
    with pytest.raises(RasaError):
        asyncio.run(client.trigger("x", {}))
