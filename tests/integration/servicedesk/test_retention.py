"""Retention (gallring) on SQLite and PostgreSQL, with a tracker store written by Rasa."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from servicedesk.cli import app
from servicedesk.jobs import JobContext, run_once
from servicedesk.models import (
    Attachment,
    AuditEvent,
    Feedback,
    FeedbackAnswer,
    Message,
    Requester,
    TelegramUpdate,
    Ticket,
    TicketState,
)
from servicedesk.privacy.retention import run_retention
from servicedesk.privacy.scrub import ANONYMOUS_CHANNEL
from servicedesk.settings import Settings, get_settings
from tests.integration.servicedesk._privacy_world import (
    ANNA_ID,
    ANNA_NAME,
    ANNA_TEXTS,
    CONVERSATIONS,
    NOW,
    TrackerStore,
    World,
    build_world,
    every_value,
    tracker_store,
    ts,
)

__all__ = ["tracker_store"]  # the fixture, imported for the tests below


def _settings(db_url: str, tracker: TrackerStore, world: World, **changes: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test", "database_url": db_url, "tracker_store_url": tracker.url,
        "retention_ticket_days": {"Lokalvård": 365}, "secret_key": "k" * 40,
        "attachments_dir": world.attachments_dir,
    }  # fmt: skip
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def world(session: Session, tracker_store: TrackerStore, tmp_path: Path) -> World:
    """The world of :mod:`_privacy_world` with its Rasa conversations."""
    built = build_world(session, tmp_path / "attachments")
    tracker_store.write(CONVERSATIONS)
    return built


def _snapshot(engine: Engine, tracker: TrackerStore) -> tuple[str, int]:
    return every_value(engine), len(tracker.events())


def test_dry_run_reports_what_is_due_and_changes_nothing(
    db_url: str, engine: Engine, session: Session, world: World, tracker_store: TrackerStore
) -> None:
    before = _snapshot(engine, tracker_store)
    result = run_retention(
        session=session, settings=_settings(db_url, tracker_store, world), now=NOW, dry_run=True,
        actor="test",
    )  # fmt: skip
    session.rollback()
    assert result.counts == {
        "tickets_anonymised": 2, "transcripts": 1, "messages": 1, "loose_messages": 1,
        "telegram_updates": 1, "tracker_events": 4 + 6, "tracker_conversations": 2,
        "unsent_personnummer": 0,
    }  # fmt: skip
    by_label = {line.label: line.count for line in result.lines}
    assert by_label["Stängda ärenden – IT"] == 1
    assert by_label["Stängda ärenden – Lokalvård"] == 1
    assert _snapshot(engine, tracker_store) == before
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_run_anonymises_and_deletes_exactly_what_is_due(
    db_url: str, session: Session, world: World, tracker_store: TrackerStore
) -> None:
    settings = _settings(db_url, tracker_store, world)
    result = run_retention(session=session, settings=settings, now=NOW, dry_run=False, actor="t")
    assert result.counts["tickets_anonymised"] == 2
    session.expire_all()

    for old in (world.anna_old_it, world.anna_old_lok):
        ticket = session.get(Ticket, old.id)
        assert ticket is not None
        assert ticket.requester.channel == ANONYMOUS_CHANNEL
        assert ticket.requester.name is None and ticket.requester.department_code == "SOC"
        assert ticket.details == {} and ticket.transcript == []
        assert ANNA_ID not in ticket.conversation_id
        assert all(e.comment is None for e in ticket.events)
        assert ticket.state in (TicketState.CLOSED, TicketState.CANCELLED)  # kept for statistics
    assert session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert not (world.attachments_dir / "anna" / "skrivare.jpg").exists()
    feedback = session.scalars(select(Feedback)).one()
    assert (feedback.overall_score, feedback.comment) == (8, None)
    assert feedback.requester_id != world.anna.id
    assert {a.text for a in session.scalars(select(FeedbackAnswer))} == {""}

    mid = session.get(Ticket, world.anna_mid.id)
    assert mid is not None and mid.requester_id == world.anna.id
    assert mid.transcript == [] and mid.details != {}
    assert session.scalar(select(func.count()).where(Message.ticket_id == mid.id)) == 0
    for kept in (world.anna_recent, world.anna_open, world.olle_ticket):
        ticket = session.get(Ticket, kept.id)
        assert ticket is not None and ticket.transcript != [] and ticket.requester.name
    texts = set(session.scalars(select(Message.text)))
    assert texts == {"Ditt ärende är levererat", "Välkommen tillbaka"}
    assert [u.update_id for u in session.scalars(select(TelegramUpdate))] == [2]
    assert session.get(Requester, world.anna.id) is not None  # she still has tickets

    assert tracker_store.events("telegram:777001") == []
    bo = tracker_store.events("web:bo-1")
    assert bo and min(e["timestamp"] for e in bo) >= ts(5) - 1
    assert [e["type_name"] for e in bo][:2] == ["action", "session_started"]
    assert len(tracker_store.events(f"web:{ANNA_ID}")) == 6  # she has an open ticket

    audit = session.scalars(select(AuditEvent)).one()
    assert (audit.action, audit.actor) == ("retention", "t")
    assert audit.data["tickets_anonymised"] == 2
    assert ANNA_NAME not in repr(audit.data)

    again = run_retention(session=session, settings=settings, now=NOW, dry_run=False, actor="t")
    assert again.total == 0


def test_each_category_keeps_its_own_period(
    db_url: str, session: Session, world: World, tracker_store: TrackerStore
) -> None:
    settings = _settings(
        db_url, tracker_store, world, retention_ticket_days={"IT": 900, "Lokalvård": 365}
    )
    result = run_retention(session=session, settings=settings, now=NOW, dry_run=True, actor="t")
    assert {line.label: line.count for line in result.lines if line.key.startswith("tickets")} == {
        "Stängda ärenden – Lokalvård": 1
    }
    longer = settings.model_copy(update={"retention_ticket_days": {"Lokalvård": 401}})
    result = run_retention(session=session, settings=longer, now=NOW, dry_run=True, actor="t")
    assert [line.label for line in result.lines if line.key.startswith("tickets")] == [
        "Stängda ärenden – IT"
    ]


def test_delete_setting_removes_due_tickets_instead(
    db_url: str, session: Session, world: World, tracker_store: TrackerStore
) -> None:
    settings = _settings(db_url, tracker_store, world, retention_ticket_action="delete")
    result = run_retention(session=session, settings=settings, now=NOW, dry_run=False, actor="t")
    assert result.counts["tickets_deleted"] == 2
    session.expire_all()
    left = set(session.scalars(select(Ticket.id)))
    assert left == {
        world.anna_mid.id, world.anna_recent.id, world.anna_open.id, world.olle_ticket.id
    }  # fmt: skip
    assert session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_the_periodic_job_runs_retention_at_most_once_per_interval(
    db_url: str,
    session_factory: sessionmaker[Session],
    world: World,
    tracker_store: TrackerStore,
    caplog: pytest.LogCaptureFixture,
    closed_port: int,
) -> None:
    # The feedback job runs too: it must find no Rasa (never another engineer's on :5005).
    settings = _settings(
        db_url, tracker_store, world, retention_interval_minutes=60,
        rasa_url=f"http://127.0.0.1:{closed_port}",
    )  # fmt: skip
    ctx = JobContext(settings=settings, session_factory=session_factory, clock=lambda: NOW)
    with caplog.at_level(logging.INFO, logger="servicedesk.privacy"):
        first = asyncio.run(run_once(ctx))
    assert first["retention"] > 0
    logged = "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith("servicedesk.privacy")
    )
    assert "tickets_anonymised=2" in logged and "tracker_events=10" in logged
    assert ANNA_NAME not in logged and ANNA_ID not in logged
    with session_factory() as session:
        assert session.scalar(select(func.count()).where(Message.ticket_id.is_(None))) == 1
    build_more = session_factory()
    build_more.add(
        TelegramUpdate(update_id=3, user_id="1", kind="message", text="x", status="done",
                       received_at=NOW.replace(year=2020))
    )  # fmt: skip
    build_more.commit()
    build_more.close()
    assert asyncio.run(run_once(ctx))["retention"] == 0  # within the interval
    with session_factory() as session:
        assert session.get(TelegramUpdate, 3) is not None


def test_cli_dry_run_prints_a_table_and_keeps_everything(
    db_url: str,
    engine: Engine,
    world: World,
    tracker_store: TrackerStore,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("SERVICEDESK_TRACKER_STORE_URL", tracker_store.url)
    monkeypatch.setenv("SERVICEDESK_ATTACHMENTS_DIR", str(world.attachments_dir))
    monkeypatch.setenv("SERVICEDESK_RETENTION_TICKET_DAYS", '{"Lokalvård": 365}')
    monkeypatch.chdir(tmp_path)  # no .env of the worktree
    get_settings.cache_clear()
    try:
        before = _snapshot(engine, tracker_store)
        dry = CliRunner().invoke(app, ["retention", "--dry-run", "--database-url", db_url])
        assert dry.exit_code == 0, dry.output
        assert "torrkörning" in dry.output and "Lokalvård" in dry.output
        assert _snapshot(engine, tracker_store) == before
        real = CliRunner().invoke(app, ["retention", "--database-url", db_url])
        assert real.exit_code == 0, real.output
        assert "utförd" in real.output
        assert ANNA_TEXTS[3] not in every_value(engine)
    finally:
        get_settings.cache_clear()
