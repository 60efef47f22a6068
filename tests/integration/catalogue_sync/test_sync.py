"""Syncing into a real (migrated SQLite) database: counts, retirement, transactions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue_sync import SyncOptions, run_sync
from servicedesk.catalogue import (
    catalogue_version,
    get_service,
    list_active_services,
    list_departments,
)
from servicedesk.models import Requester, Ticket, TicketKind
from tests.integration.catalogue_sync.conftest import DEPARTMENTS_CSV, SERVICES_CSV

Sessions = Callable[[], Session]


def sync(source: Path | str, db_url: str, nlu_dir: Path | None = None, **kw: object):  # type: ignore[no-untyped-def]
    return run_sync(SyncOptions(source=str(source), database_url=db_url, nlu_dir=nlu_dir, **kw))  # type: ignore[arg-type]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_default_catalogue_and_departments_are_imported(db_url: str, session: Sessions) -> None:
    report = sync(SERVICES_CSV, db_url, departments=str(DEPARTMENTS_CSV))
    assert report.exit_code == 0
    assert report.service_counts is not None and len(report.service_counts.added) == 41
    with session() as s:
        assert len(list_active_services(session=s)) == 41
        assert len(list_departments(session=s)) == 10
        service = get_service(session=s, code="KON-03")
        assert service is not None and str(service.price_sek) == "0.60"
        assert service.kind is TicketKind.ORDER and service.content_hash


def test_second_run_is_idempotent(db_url: str, session: Sessions) -> None:
    sync(SERVICES_CSV, db_url, departments=str(DEPARTMENTS_CSV))
    with session() as s:
        before = catalogue_version(session=s)
    report = sync(SERVICES_CSV, db_url, departments=str(DEPARTMENTS_CSV))
    counts = report.service_counts
    assert counts is not None and (counts.added, counts.changed, counts.retired) == ([], [], [])
    assert len(counts.unchanged) == 41
    assert report.department_counts is not None and report.department_counts.changed == []
    with session() as s:
        assert catalogue_version(session=s) == before


def test_changed_row_is_updated(db_url: str, session: Sessions, catalogue_copy: Path) -> None:
    sync(catalogue_copy, db_url)
    edit(catalogue_copy, "Fönsterputs,", "Fönsterputsning,")
    report = sync(catalogue_copy, db_url)
    assert report.service_counts is not None and report.service_counts.changed == ["LOK-04"]
    with session() as s:
        service = get_service(session=s, code="LOK-04")
        assert service is not None and service.name == "Fönsterputsning"


def test_removed_row_is_retired_and_keeps_its_tickets(
    db_url: str, session: Sessions, catalogue_copy: Path
) -> None:
    sync(catalogue_copy, db_url)
    with session() as s, s.begin():
        requester = Requester(channel="web", external_id="u1")
        s.add(requester)
        s.flush()
        s.add(
            Ticket(
                number="SD-2025-00001",
                service_code="LOK-05",
                kind=TicketKind.FAULT,
                requester_id=requester.id,
                channel="web",
                conversation_id="c1",
            )
        )
    lines = catalogue_copy.read_text(encoding="utf-8").splitlines(keepends=True)
    catalogue_copy.write_text(
        "".join(ln for ln in lines if not ln.startswith("LOK-05,")), encoding="utf-8"
    )
    report = sync(catalogue_copy, db_url)
    assert report.service_counts is not None and report.service_counts.retired == ["LOK-05"]
    with session() as s:
        retired = get_service(session=s, code="LOK-05")
        assert retired is not None and not retired.active and retired.retired_at is not None
        assert "LOK-05" not in {x.code for x in list_active_services(session=s)}
        ticket = s.scalars(select(Ticket)).one()
        assert ticket.service is not None and ticket.service.code == "LOK-05"
    report = sync(SERVICES_CSV, db_url)
    assert report.service_counts is not None and report.service_counts.reactivated == ["LOK-05"]
    with session() as s:
        back = get_service(session=s, code="LOK-05")
        assert back is not None and back.active and back.retired_at is None


def test_no_retire_keeps_missing_services(
    db_url: str, session: Sessions, catalogue_copy: Path
) -> None:
    sync(catalogue_copy, db_url)
    edit(catalogue_copy, "LOK-05,", "LOK-99,")
    report = sync(catalogue_copy, db_url, retire=False)
    assert report.service_counts is not None and report.service_counts.retired == []
    with session() as s:
        assert len(list_active_services(session=s)) == 42


def test_rejected_row_does_not_retire_its_service(
    db_url: str, session: Sessions, catalogue_copy: Path
) -> None:
    sync(catalogue_copy, db_url)
    edit(catalogue_copy, "Lokalvård,24,location;description", "Lokalvård,abc,location;description")
    report = sync(catalogue_copy, db_url)
    assert report.exit_code == 2
    assert report.service_counts is not None and report.service_counts.retired == []
    with session() as s:
        kept = get_service(session=s, code="LOK-01")
        assert kept is not None and kept.active and kept.sla_hours == 24


def test_strict_mode_writes_nothing(db_url: str, session: Sessions, catalogue_copy: Path) -> None:
    sync(catalogue_copy, db_url)
    edit(catalogue_copy, "Storstädning,", ",")
    edit(catalogue_copy, "kr per fönster", "kr per ruta")
    report = sync(catalogue_copy, db_url, strict=True)
    assert report.exit_code == 1 and "strict" in (report.fatal or "")
    assert report.service_counts is None
    with session() as s:
        window = get_service(session=s, code="LOK-04")
        assert window is not None and window.price_unit == "kr per fönster"


def test_file_without_valid_rows_changes_nothing(
    db_url: str, session: Sessions, tmp_path: Path
) -> None:
    sync(SERVICES_CSV, db_url)
    broken = tmp_path / "broken.csv"
    header = SERVICES_CSV.read_text(encoding="utf-8").splitlines()[0]
    broken.write_text(f"{header}\nX-1,nonsense,C,N,,0,,,1,,\n", encoding="utf-8")
    report = sync(broken, db_url)
    assert report.exit_code == 1 and "no valid services" in (report.fatal or "")
    with session() as s:
        assert len(list_active_services(session=s)) == 41


def test_dry_run_rolls_back(db_url: str, session: Sessions, nlu_dir: Path) -> None:
    report = sync(SERVICES_CSV, db_url, nlu_dir, dry_run=True)
    assert report.service_counts is not None and len(report.service_counts.added) == 41
    assert report.export is None and not nlu_dir.exists()
    with session() as s:
        assert list_active_services(session=s) == []


def test_catalogue_version_changes_with_content(
    db_url: str, session: Sessions, catalogue_copy: Path
) -> None:
    sync(catalogue_copy, db_url)
    with session() as s:
        first = catalogue_version(session=s)
    edit(catalogue_copy, "kr per fönster", "kr per ruta")
    sync(catalogue_copy, db_url)
    with session() as s:
        assert catalogue_version(session=s) != first
        assert first.startswith("41:41:")
    assert datetime.now(UTC).year >= 2025
