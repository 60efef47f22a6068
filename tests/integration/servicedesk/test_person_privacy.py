"""Export and erasure of one person (CLI, admin API) on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from servicedesk.agents import create_agent
from servicedesk.api import create_app
from servicedesk.cli import app
from servicedesk.models import AgentRole, AuditEvent, Feedback, Requester, Ticket
from servicedesk.privacy.persons import erase_person, export_person
from servicedesk.settings import Settings, get_settings
from tests.integration.servicedesk._privacy_world import (
    ANNA_ID,
    ANNA_NAME,
    ANNA_TEXTS,
    CONVERSATIONS,
    TrackerStore,
    World,
    build_world,
    every_value,
    tracker_store,
)
from tests.integration.servicedesk.test_api import DeskClient

__all__ = ["tracker_store"]  # the fixture, imported for the tests below


def _settings(db_url: str, tracker: TrackerStore, world: World) -> Settings:
    return Settings(
        environment="test", database_url=db_url, tracker_store_url=tracker.url,
        secret_key="k" * 40, attachments_dir=world.attachments_dir,
    )  # fmt: skip


@pytest.fixture
def world(session: Session, tracker_store: TrackerStore, tmp_path: Path) -> World:
    """The world of :mod:`_privacy_world` with its Rasa conversations."""
    built = build_world(session, tmp_path / "attachments")
    tracker_store.write(CONVERSATIONS)
    return built


def _assert_anna_is_gone(engine: Engine, tracker: TrackerStore, photos: Path) -> None:
    everything = every_value(engine)
    for needle in (ANNA_NAME, ANNA_ID, *ANNA_TEXTS, "Tack Anna"):
        assert needle not in everything
    assert tracker.events(f"web:{ANNA_ID}") == []
    assert all(ANNA_TEXTS[0] not in (e["data"] or "") for e in tracker.events())
    assert not any(photos.rglob("*.jpg"))


def test_export_holds_the_persons_tickets_messages_feedback_and_conversation(
    db_url: str, session: Session, world: World, tracker_store: TrackerStore
) -> None:
    data = export_person(
        session=session, settings=_settings(db_url, tracker_store, world), requester=world.anna,
        actor="agent:admin",
    )  # fmt: skip
    session.commit()
    json.dumps(data)  # JSON-ready
    assert data["profile"]["name"] == ANNA_NAME and data["profile"]["department"] == "SOC"
    assert data["channels"] == [
        {"channel": "web", "external_id": ANNA_ID, "conversation_id": f"web:{ANNA_ID}"}
    ]
    numbers = {t["number"] for t in data["tickets"]}
    assert numbers == {
        t.number for t in (world.anna_old_it, world.anna_old_lok, world.anna_mid,
                           world.anna_recent, world.anna_open)
    }  # fmt: skip
    assert world.olle_ticket.number not in numbers
    old = next(t for t in data["tickets"] if t["number"] == world.anna_old_it.number)
    assert old["transcript"] == [{"from": "user", "text": ANNA_TEXTS[0]}]
    assert {m["text"] for m in data["messages"]} >= {ANNA_TEXTS[1], ANNA_TEXTS[3]}
    assert data["feedback"][0]["comment"] == ANNA_TEXTS[2]
    assert data["feedback"][0]["scores"]["samlad_bedömning"] == 8
    assert [a["file_name"] for a in data["attachments"]] == ["skrivare.jpg"]
    texts = [e["data"].get("text") for e in data["tracker_events"] if e["type_name"] == "user"]
    assert texts == [ANNA_TEXTS[0]]
    assert {e["sender_id"] for e in data["tracker_events"]} == {f"web:{ANNA_ID}"}
    audit = session.scalars(select(AuditEvent)).one()
    assert (audit.action, audit.actor) == ("person_export", "agent:admin")
    assert audit.data["tickets"] == 5 and ANNA_NAME not in audit.subject


def test_anonymising_erasure_keeps_tickets_but_nothing_of_the_person(
    db_url: str, engine: Engine, session: Session, world: World, tracker_store: TrackerStore
) -> None:
    counts = erase_person(
        session=session, settings=_settings(db_url, tracker_store, world), requester=world.anna,
        mode="anonymise", actor="agent:admin",
    )  # fmt: skip
    assert counts["tickets"] == 5 and counts["tracker_events"] == 6
    session.expire_all()
    _assert_anna_is_gone(engine, tracker_store, world.attachments_dir)
    assert session.scalar(select(func.count()).select_from(Ticket)) == 6
    feedback = session.scalars(select(Feedback)).one()
    assert feedback.overall_score == 8 and feedback.department_code == "SOC"
    olle = session.get(Requester, world.olle.id)
    assert olle is not None and olle.name == "Olle Olsson"
    assert len(tracker_store.events("web:bo-1")) == 10  # another person: untouched
    audit = session.scalars(select(AuditEvent)).one()
    assert audit.action == "person_anonymise" and audit.data["tickets"] == 5


def test_deleting_erasure_removes_the_persons_tickets(
    db_url: str, engine: Engine, session: Session, world: World, tracker_store: TrackerStore
) -> None:
    erase_person(
        session=session, settings=_settings(db_url, tracker_store, world), requester=world.anna,
        mode="delete", actor="cli",
    )  # fmt: skip
    session.expire_all()
    _assert_anna_is_gone(engine, tracker_store, world.attachments_dir)
    assert list(session.scalars(select(Ticket.id))) == [world.olle_ticket.id]
    assert session.scalars(select(AuditEvent.action)).one() == "person_erase"


@pytest.fixture
def desk(
    db_url: str, tracker_store: TrackerStore, world: World, fake_rasa: ThreadingHTTPServer
) -> DeskClient:
    """A desk client whose settings know the tracker store."""
    backend = f"http://127.0.0.1:{fake_rasa.server_port}"
    settings = _settings(db_url, tracker_store, world).model_copy(
        update={"rasa_url": backend, "action_server_url": backend}
    )
    return DeskClient(create_app(settings))


def _bearer(session: Session, username: str, role: AgentRole) -> dict[str, str]:
    _agent, token = create_agent(session=session, username=username, role=role)
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_api_refuses_non_admins_and_lets_admins_export_and_erase(
    desk: DeskClient, engine: Engine, session: Session, world: World, tracker_store: TrackerStore
) -> None:
    agent = _bearer(session, "eva", AgentRole.AGENT)
    admin = _bearer(session, "root", AgentRole.ADMIN)
    person = f"web:{ANNA_ID}"
    assert desk.get(f"/api/persons/{person}/export", headers=agent).status_code == 403
    assert desk.post(f"/api/persons/{person}/erase", json={}, headers=agent).status_code == 403
    assert desk.get("/api/retention", headers=agent).status_code == 403
    assert desk.get(f"/api/persons/{person}/export").status_code == 401
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0

    exported = desk.get(f"/api/persons/{world.anna.id}/export", headers=admin)
    assert exported.status_code == 200
    assert exported.json()["profile"]["name"] == ANNA_NAME
    assert desk.get("/api/persons/web:nobody/export", headers=admin).status_code == 404
    assert desk.get("/api/retention", headers=admin).status_code == 200

    erased = desk.post(f"/api/persons/{person}/erase", json={"mode": "anonymise"}, headers=admin)
    assert erased.status_code == 200, erased.text
    assert erased.json()["counts"]["tickets"] == 5
    _assert_anna_is_gone(engine, tracker_store, world.attachments_dir)
    assert desk.get(f"/api/persons/{person}/export", headers=admin).status_code == 404
    actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["person_export", "person_anonymise"]
    assert session.scalars(select(AuditEvent.actor)).first() == "agent:root"


def test_cli_exports_to_a_file_and_erases(
    db_url: str,
    engine: Engine,
    world: World,
    tracker_store: TrackerStore,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("SERVICEDESK_TRACKER_STORE_URL", tracker_store.url)
    monkeypatch.setenv("SERVICEDESK_ATTACHMENTS_DIR", str(world.attachments_dir))
    monkeypatch.chdir(tmp_path)  # no .env of the worktree
    get_settings.cache_clear()
    try:
        out = tmp_path / "anna.json"
        person = f"web:{ANNA_ID}"
        runner = CliRunner()
        exported = runner.invoke(
            app, ["person", "export", person, "-o", str(out), "--database-url", db_url]
        )
        assert exported.exit_code == 0, exported.output
        assert json.loads(out.read_text(encoding="utf-8"))["profile"]["name"] == ANNA_NAME
        missing = runner.invoke(app, ["person", "export", "web:x", "--database-url", db_url])
        assert missing.exit_code == 1
        erased = runner.invoke(
            app, ["person", "erase", person, "--delete", "--database-url", db_url]
        )
        assert erased.exit_code == 0, erased.output
        _assert_anna_is_gone(engine, tracker_store, world.attachments_dir)
    finally:
        get_settings.cache_clear()
