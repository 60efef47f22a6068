"""The bridge's store: an update is taken on once, a failed one again, takeovers win."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.telegram.files import IncomingFile, save_file
from bot.telegram.store import STALE_AFTER, Store
from servicedesk.models import (
    Agent,
    Attachment,
    Message,
    Requester,
    SensitiveValue,
    TelegramUpdate,
    Ticket,
    TicketKind,
)
from servicedesk.privacy import MASK
from servicedesk.privacy.field_crypto import field_cipher
from servicedesk.privacy.sensitive import CAPTURED, expect_personnummer
from servicedesk.relay import start_takeover


def _ticket(session: Session, requester: Requester, number: str) -> Ticket:
    ticket = Ticket(
        number=number, kind=TicketKind.QUESTION, requester_id=requester.id, channel="telegram",
        conversation_id=requester.external_id, title="Fråga",
    )  # fmt: skip
    session.add(ticket)
    session.flush()
    return ticket


def test_the_same_update_is_taken_on_once(sessions: sessionmaker[Session]) -> None:
    store = Store(sessions)
    first = store.take_in(update_id=7, user_id="42", kind="text", text="hej")
    assert first is not None and first.to_bot and not first.knows_person
    assert store.take_in(update_id=7, user_id="42", kind="text", text="hej") is None
    store.finish(7)
    assert store.take_in(update_id=7, user_id="42", kind="text", text="hej") is None
    assert store.update_status(7) == ("done", 2)


def test_a_failed_update_is_kept_and_taken_on_again(sessions: sessionmaker[Session]) -> None:
    store = Store(sessions)
    store.take_in(update_id=8, user_id="42", kind="text", text="boka rum")
    store.finish(8, "Rasa at http://x gave no answer")
    with sessions() as session:
        kept = session.get(TelegramUpdate, 8)
        assert kept is not None and kept.status == "failed" and kept.text == "boka rum"
    assert store.take_in(update_id=8, user_id="42", kind="text", text="boka rum") is not None


def test_name_and_department_are_asked_and_the_waiting_message_returned(
    sessions: sessionmaker[Session],
) -> None:
    store = Store(sessions)
    intake = store.take_in(update_id=9, user_id="43", kind="text", text="fika till 5")
    assert intake is not None
    store.ask(intake.requester_id, "name", "fika till 5")
    store.save_name(intake.requester_id, "Bo Ek")
    again = store.take_in(update_id=10, user_id="43", kind="text", text="service")
    assert again is not None and again.step == "department" and again.name == "Bo Ek"
    assert store.find_department("service") == "SEF"
    assert store.find_department("förvaltningen") is None  # ambiguous
    assert store.save_department(intake.requester_id, "SEF") == (
        "Serviceförvaltningen",
        "fika till 5",
    )
    known = store.take_in(update_id=11, user_id="43", kind="text", text="hej")
    assert known is not None and known.knows_person and known.step is None


def test_during_a_takeover_the_text_goes_to_the_thread(sessions: sessionmaker[Session]) -> None:
    store = Store(sessions)
    intake = store.take_in(update_id=20, user_id="44", kind="text", text="hej")
    assert intake is not None
    with sessions() as session:
        requester = session.get(Requester, intake.requester_id)
        assert requester is not None
        agent = Agent(username="eva", token_hash="x" * 64)
        session.add(agent)
        ticket = _ticket(session, requester, "SD-2026-00001")
        start_takeover(session=session, ticket=ticket, agent=agent)
        session.commit()
    held = store.take_in(update_id=21, user_id="44", kind="text", text="skärmen är svart")
    assert held is not None and held.to_bot is False
    with sessions() as session:
        texts = session.scalars(select(Message.text).where(Message.author == "person")).all()
        assert texts == ["skärmen är svart"]


def test_a_file_goes_to_the_ticket_named_in_the_caption(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    store = Store(sessions)
    intake = store.take_in(update_id=30, user_id="45", kind="file", text="", route=False)
    assert intake is not None
    with sessions() as session:
        requester = session.get(Requester, intake.requester_id)
        assert requester is not None
        _ticket(session, requester, "SD-2026-00002")
        _ticket(session, requester, "SD-2026-00003")
        session.commit()
    incoming = IncomingFile(
        update_id=30, user_id="45", source_id="u1", file_name="../../etc/passwd",
        content_type="text/plain", caption="gäller sd-2026-00002", content=b"data",
    )  # fmt: skip
    saved = save_file(session_factory=sessions, folder=tmp_path / "files", incoming=incoming)
    assert saved.ticket_number == "SD-2026-00002"
    with sessions() as session:
        stored = session.scalars(select(Attachment)).one()
        assert (tmp_path / "files" / stored.path).read_bytes() == b"data"
        assert ".." not in stored.path
    other = save_file(
        session_factory=sessions, folder=tmp_path / "files",
        incoming=IncomingFile(
            update_id=31, user_id="45", source_id="u2", file_name="bild.jpg",
            content_type="image/jpeg", caption="", content=b"jpg",
        ),
    )  # fmt: skip
    assert other.ticket_number == "SD-2026-00003"  # the latest open one


def test_an_update_left_processing_by_a_stopped_bridge_is_taken_on_again(
    sessions: sessionmaker[Session],
) -> None:
    store = Store(sessions)
    assert store.take_in(update_id=11, user_id="42", kind="text", text="boka rum") is not None
    # Still being handled: a quick redelivery is a duplicate.
    assert store.take_in(update_id=11, user_id="42", kind="text", text="boka rum") is None
    with sessions() as session:
        claim = session.get(TelegramUpdate, 11)
        assert claim is not None
        claim.received_at = datetime.now(UTC) - STALE_AFTER - timedelta(seconds=1)
        session.commit()
    again = store.take_in(update_id=11, user_id="42", kind="text", text="boka rum")
    assert again is not None
    assert store.take_in(update_id=11, user_id="42", kind="text", text="boka rum") is None


def test_a_personnummer_is_masked_before_the_update_is_kept_and_told_once(
    sessions: sessionmaker[Session],
) -> None:
    store = Store(sessions)
    first = store.take_in(update_id=90, user_id="77", kind="text", text="mitt pnr 811218-9876")
    assert first is not None
    assert first.text == "mitt pnr [personnummer borttaget]"
    assert first.tell_masked is True
    second = store.take_in(update_id=91, user_id="77", kind="text", text="igen 8112189876")
    assert second is not None and second.tell_masked is False
    plain = store.take_in(update_id=92, user_id="77", kind="text", text="ring 070-123 45 67")
    assert plain is not None and plain.text == "ring 070-123 45 67"
    with sessions() as session:
        kept = session.scalars(select(TelegramUpdate.text).order_by(TelegramUpdate.update_id))
        assert list(kept) == [
            "mitt pnr [personnummer borttaget]",
            "igen [personnummer borttaget]",
            "ring 070-123 45 67",
        ]


def test_an_asked_personnummer_is_kept_encrypted_and_only_a_placeholder_goes_on(
    sessions: sessionmaker[Session],
) -> None:
    cipher = field_cipher("a-test-key-that-is-long-enough-0123456789")
    store = Store(sessions, cipher)
    with sessions() as session:
        expect_personnummer(
            session=session, conversation_id="telegram:44", service_code="HR-02",
            field_key="personnummer",
        )  # fmt: skip
        session.commit()
    intake = store.take_in(update_id=20, user_id="44", kind="text", text="811218-9876")
    assert intake is not None and intake.text == CAPTURED and not intake.tell_masked
    later = store.take_in(update_id=21, user_id="44", kind="text", text="och 811218-9876")
    assert later is not None and later.text == f"och {MASK}", "one answer per question"
    with sessions() as session:
        kept = session.scalars(select(SensitiveValue)).one()
        assert kept.conversation_id == "telegram:44"
        assert cipher.decrypt(kept.ciphertext) == "19811218-9876"
        records = [u.text for u in session.scalars(select(TelegramUpdate))]
        assert records == [CAPTURED, f"och {MASK}"]
