"""A personnummer field: kept encrypted when it answers the asked question, masked anywhere
else, decrypted only for agents of the ticket's queue (and recorded), withheld from
exports, gone on erasure and when an order is never sent."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal
from http.server import ThreadingHTTPServer

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from servicedesk import tickets
from servicedesk.console import auth as console_auth
from servicedesk.models import (
    AgentRole,
    ReadLogEntry,
    Requester,
    SensitivePrompt,
    SensitiveValue,
    Service,
    Ticket,
    TicketKind,
    utcnow,
)
from servicedesk.privacy import MASK, NOTICE
from servicedesk.privacy.field_crypto import InvalidToken, field_cipher
from servicedesk.privacy.persons import erase_person, export_person
from servicedesk.privacy.retention import run_retention
from servicedesk.privacy.sensitive import (
    CAPTURED,
    PROMPT_LIFETIME,
    REJECTED,
    attach_to_ticket,
    captured_answer,
    expect_personnummer,
)
from servicedesk.settings import Settings
from tests.integration.servicedesk.test_api import DeskClient, _client
from tests.integration.servicedesk.test_desk import _token

#: Valid by date and Luhn (a test number); the same with its check digit broken.
PNR, PNR_FULL, PNR_MASKED = "811218-9876", "19811218-9876", "19811218-****"
WRONG = "811218-9875"
DIGITS = re.compile(r"811218\D{0,3}987")
FIELD = {
    "key": "personnummer", "label": "Personnummer för den som anställs",
    "type": "personnummer", "required": False,
}  # fmt: skip
CIPHER = field_cipher(Settings(environment="test").field_key.get_secret_value())


@pytest.fixture
def client(db_url: str, fake_rasa: ThreadingHTTPServer) -> DeskClient:
    """A desk client (one browser: it keeps the web chat's identity cookie)."""
    return _client(db_url, f"http://127.0.0.1:{fake_rasa.server_port}")


@pytest.fixture
def service(session: Session) -> Service:
    """HR's recruitment service with an optional personnummer field."""
    found = Service(
        code="HR-02", kind=TicketKind.ORDER, category="HR", name="Rekryteringsstöd",
        description="", price_sek=Decimal(0), price_unit="", performer="HR", sla_hours=120,
        order_fields=["description", "personnummer"], keywords=[], fields=[FIELD],
    )  # fmt: skip
    session.add(found)
    session.commit()
    return found


def _web_person(client: DeskClient, session: Session) -> str:
    """The conversation id of the client's web chat person (made by a first message)."""
    assert client.post("/api/chat", json={"message": "hej"}).status_code == 200
    session.expire_all()
    person = session.scalars(select(Requester).where(Requester.channel == "web")).one()
    return f"web:{person.external_id}"


def _ask(session: Session, conversation: str, asked_at: object = None) -> None:
    expect_personnummer(
        session=session, conversation_id=conversation, service_code="HR-02",
        field_key="personnummer", now=asked_at,  # type: ignore[arg-type]
    )  # fmt: skip
    session.commit()


def _last_sent(fake_rasa: ThreadingHTTPServer) -> str:
    return str(fake_rasa.received[-1]["message"])  # type: ignore[attr-defined]


def test_an_asked_personnummer_is_kept_encrypted_and_rasa_gets_a_placeholder(
    client: DeskClient, session: Session, service: Service, fake_rasa: ThreadingHTTPServer
) -> None:
    conversation = _web_person(client, session)
    _ask(session, conversation)
    replies = client.post("/api/chat", json={"message": f"Hon har {PNR}"}).json()
    assert _last_sent(fake_rasa) == f"Hon har {CAPTURED}"
    assert NOTICE not in [r["text"] for r in replies], "nothing was removed: it was kept"
    session.expire_all()
    kept = session.scalars(select(SensitiveValue)).one()
    assert (kept.conversation_id, kept.field_key, kept.ticket_id) == (
        conversation,
        "personnummer",
        None,
    )
    assert DIGITS.search(kept.ciphertext) is None
    assert CIPHER.decrypt(kept.ciphertext) == PNR_FULL
    assert kept.masked == PNR_MASKED
    assert session.get(SensitivePrompt, conversation) is None, "one answer per question"
    answer = captured_answer(
        session=session, conversation_id=conversation, service_code="HR-02",
        field_key="personnummer",
    )  # fmt: skip
    assert answer == PNR_MASKED


def test_a_number_that_fails_the_check_reaches_rasa_as_rejected_and_is_not_kept(
    client: DeskClient, session: Session, service: Service, fake_rasa: ThreadingHTTPServer
) -> None:
    conversation = _web_person(client, session)
    _ask(session, conversation)
    client.post("/api/chat", json={"message": WRONG})
    assert _last_sent(fake_rasa) == REJECTED
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(SensitiveValue)) == 0
    assert session.get(SensitivePrompt, conversation) is not None, "the question still waits"


def test_without_a_live_question_the_number_is_masked_as_always(
    client: DeskClient, session: Session, service: Service, fake_rasa: ThreadingHTTPServer
) -> None:
    conversation = _web_person(client, session)
    _ask(session, conversation, asked_at=utcnow() - PROMPT_LIFETIME - timedelta(minutes=1))
    replies = client.post("/api/chat", json={"message": f"mitt pnr är {PNR}"}).json()
    assert _last_sent(fake_rasa) == f"mitt pnr är {MASK}"
    assert replies[0]["text"] == NOTICE
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(SensitiveValue)) == 0


def _ticket_with_number(
    client: DeskClient, session: Session, service: Service, fake_rasa: ThreadingHTTPServer
) -> Ticket:
    """A person answers the field in the web chat, then the order is sent (as the action does)."""
    conversation = _web_person(client, session)
    _ask(session, conversation)
    client.post("/api/chat", json={"message": PNR})
    person = session.scalars(select(Requester).where(Requester.channel == "web")).one()
    ticket, _ = tickets.create_ticket(
        session=session, requester=person, kind=TicketKind.ORDER, channel="web",
        conversation_id=conversation, service_code="HR-02", title="Rekryteringsstöd",
        details={"description": "Ny undersköterska", "personnummer": PNR_MASKED},
        transcript=[{"from": "requester", "text": CAPTURED}],
    )  # fmt: skip
    assert attach_to_ticket(session=session, conversation_id=conversation, ticket=ticket) == 1
    assert attach_to_ticket(session=session, conversation_id=conversation, ticket=ticket) == 0
    session.commit()
    return ticket


def _shown(detail: dict[str, object]) -> str:
    items = detail["detail_items"]
    assert isinstance(items, list)
    return next(str(i["value"]) for i in items if i["key"] == "personnummer")


def test_only_agents_of_the_tickets_queue_see_the_number_and_the_reading_is_logged(
    client: DeskClient, session: Session, service: Service, fake_rasa: ThreadingHTTPServer
) -> None:
    ticket = _ticket_with_number(client, session, service, fake_rasa)
    hr = _token(session, "hanna", AgentRole.AGENT, queues=["HR"])
    it = _token(session, "ivar", AgentRole.AGENT, queues=["IT"])
    admin = _token(session, "chef", AgentRole.ADMIN)
    everywhere = _token(session, "alla", AgentRole.AGENT)  # no queues: sees every queue

    clear = client.get(f"/api/tickets/{ticket.number}", headers=hr).json()
    assert _shown(clear) == PNR_FULL
    assert clear["details"]["personnummer"] == PNR_FULL
    assert clear["protected_fields"] == [
        {"key": "personnummer", "label": "Personnummer för den som anställs", "shown": True}
    ]
    assert client.get(f"/api/tickets/{ticket.number}", headers=it).status_code == 404
    for other in (admin, everywhere):
        masked = client.get(f"/api/tickets/{ticket.number}", headers=other).json()
        assert _shown(masked) == PNR_MASKED
        assert masked["protected_fields"][0]["shown"] is False
        assert DIGITS.search(json.dumps(masked)) is None
    moved = client.post(
        f"/api/tickets/{ticket.number}/transition", json={"to_state": "mottagen"}, headers=hr
    )
    assert _shown(moved.json()) == PNR_MASKED, "only the ticket view decrypts"

    session.expire_all()
    reads = session.execute(
        select(ReadLogEntry.what, ReadLogEntry.via).where(ReadLogEntry.what == "protected_field")
    ).all()
    assert [tuple(r) for r in reads] == [("protected_field", "api")]


def test_the_console_shows_the_number_to_the_queue_and_masked_to_others(
    db_url: str, session: Session, service: Service, fake_rasa: ThreadingHTTPServer
) -> None:
    browser = _client(db_url, f"http://127.0.0.1:{fake_rasa.server_port}")
    ticket = _ticket_with_number(browser, session, service, fake_rasa)
    console = _client(db_url, f"http://127.0.0.1:{fake_rasa.server_port}", keep_cookies=False)
    pages = {}
    for name, queues, role in (("hanna", ["HR"], AgentRole.AGENT), ("chef", None, AgentRole.ADMIN)):
        token = _token(session, name, role, queues=queues)["Authorization"].split()[-1]
        login = console.post("/konsol/logga-in", data={"token": token, "next": "/konsol"})
        cookie = {console_auth.COOKIE_NAME: login.cookies[console_auth.COOKIE_NAME]}
        pages[name] = console.get(f"/konsol/arenden/{ticket.number}", cookies=cookie).text
    assert PNR_FULL in pages["hanna"] and "sparas krypterat" in pages["hanna"]
    assert DIGITS.search(pages["chef"]) is None
    assert PNR_MASKED in pages["chef"] and "visas bara för handläggare i kön HR" in pages["chef"]
    session.expire_all()
    reads = session.scalars(
        select(ReadLogEntry.via).where(ReadLogEntry.what == "protected_field")
    ).all()
    assert reads == ["console"]


def test_a_changed_key_or_ciphertext_never_yields_a_number(
    client: DeskClient, session: Session, service: Service, fake_rasa: ThreadingHTTPServer
) -> None:
    _ticket_with_number(client, session, service, fake_rasa)
    kept = session.scalars(select(SensitiveValue)).one()
    with pytest.raises(InvalidToken):
        field_cipher("another-key-entirely-0123456789abcdef").decrypt(kept.ciphertext)
    tampered = kept.ciphertext[:-6] + ("A" if kept.ciphertext[-6] != "A" else "B") + "=" * 5
    with pytest.raises(InvalidToken):
        CIPHER.decrypt(tampered)


def test_export_withholds_the_number_and_erasure_deletes_it(
    client: DeskClient, session: Session, service: Service, fake_rasa: ThreadingHTTPServer
) -> None:
    ticket = _ticket_with_number(client, session, service, fake_rasa)
    settings = Settings(environment="test")
    data = export_person(
        session=session, settings=settings, requester=ticket.requester, actor="cli"
    )
    dumped = json.dumps(data, ensure_ascii=False)
    assert DIGITS.search(dumped) is None
    exported = data["tickets"][0]
    assert exported["details"]["personnummer"] == PNR_MASKED
    assert "kept encrypted" in exported["withheld_fields"]["personnummer"]
    erase_person(
        session=session, settings=settings, requester=ticket.requester, mode="anonymise",
        actor="cli",
    )  # fmt: skip
    assert session.scalar(select(func.count()).select_from(SensitiveValue)) == 0


def test_answers_of_an_order_never_sent_go_after_a_day(
    client: DeskClient, session: Session, service: Service, fake_rasa: ThreadingHTTPServer
) -> None:
    conversation = _web_person(client, session)
    _ask(session, conversation)
    client.post("/api/chat", json={"message": PNR})
    settings = Settings(environment="test")
    today = run_retention(
        session=session, settings=settings, now=utcnow(), dry_run=True, actor="cli"
    )
    assert today.counts["unsent_personnummer"] == 0
    later = utcnow() + timedelta(days=1, minutes=1)
    due = run_retention(session=session, settings=settings, now=later, dry_run=True, actor="cli")
    assert due.counts["unsent_personnummer"] == 1
    run_retention(session=session, settings=settings, now=later, dry_run=False, actor="cli")
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(SensitiveValue)) == 0


def test_no_table_holds_the_number_in_clear(
    client: DeskClient, session: Session, service: Service, fake_rasa: ThreadingHTTPServer
) -> None:
    _ticket_with_number(client, session, service, fake_rasa)
    tables = [
        name
        for (name,) in session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'table'")
            if session.get_bind().dialect.name == "sqlite"
            else text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        )
    ]
    assert "sensitive_values" in tables
    for table in tables:
        for row in session.execute(text(f'SELECT * FROM "{table}"')):
            assert DIGITS.search(repr(tuple(row))) is None, f"the number is in {table}"
