"""Run one catalogue sync: read and validate, upsert in one transaction, export NLU data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from catalogue_sync.errors import CatalogueError
from catalogue_sync.nlu_export import DEFAULT_NLU_DIR, ExportResult, export_nlu
from catalogue_sync.validation import Parsed, load_departments, load_services
from servicedesk.catalogue import (
    DepartmentRecord,
    ServiceRecord,
    SyncCounts,
    list_active_services,
    upsert_departments,
    upsert_services,
)
from servicedesk.db import make_engine
from servicedesk.settings import get_settings

ProgressHook = Callable[[str, int, int], None]
"""Called as ``hook(phase, done, total)`` with phase ``"validating"`` or ``"writing"``."""


@dataclass
class SyncOptions:
    """What to sync and how; mirrors the command-line options."""

    source: str
    departments: str | None = None
    database_url: str | None = None
    nlu_dir: Path | None = DEFAULT_NLU_DIR
    strict: bool = False
    retire: bool = True
    dry_run: bool = False
    timeout: float = 10.0


@dataclass
class SyncReport:
    """Everything a sync did or refused to do, for the summary and the exit code."""

    dry_run: bool = False
    services: Parsed[ServiceRecord] | None = None
    departments: Parsed[DepartmentRecord] | None = None
    service_counts: SyncCounts | None = None
    department_counts: SyncCounts | None = None
    export: ExportResult | None = None
    fatal: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        """Return the number of rejected rows over both sources."""
        return sum(len(p.rejected_rows) for p in (self.services, self.departments) if p)

    @property
    def exit_code(self) -> int:
        """Return 1 on a fatal error, 2 when rows were rejected, else 0."""
        if self.fatal is not None:
            return 1
        return 2 if self.rejected else 0


def prepare_database(url: str) -> None:
    """Bring the schema up to date with Alembic before writing (imported lazily)."""
    from servicedesk.migrate import upgrade_database  # type: ignore[import-not-found,unused-ignore]

    upgrade_database(url)


def run_sync(options: SyncOptions, *, progress: ProgressHook | None = None) -> SyncReport:
    """Sync the catalogue (and departments) into the database and regenerate NLU data.

    Nothing is written when the source is unusable, has no valid rows, or has any
    error in strict mode. Otherwise the valid rows are applied in one transaction.
    """
    report = SyncReport(dry_run=options.dry_run)
    try:
        _load(options, report, progress)
        url = options.database_url or get_settings().database_url
        prepare_database(url)
        _write(options, report, url, progress)
    except CatalogueError as exc:
        report.fatal = str(exc)
    except SQLAlchemyError as exc:
        report.fatal = f"database error, nothing written: {exc}"
    return report


def _load(options: SyncOptions, report: SyncReport, progress: ProgressHook | None) -> None:
    on_row = (lambda done, total: progress("validating", done, total)) if progress else None
    report.services = load_services(options.source, timeout=options.timeout, on_row=on_row)
    if options.departments:
        report.departments = load_departments(options.departments, timeout=options.timeout)
    if options.strict and report.rejected:
        raise CatalogueError(f"{report.rejected} rows rejected in strict mode; nothing written")
    if not report.services.records:
        raise CatalogueError(f"no valid services in {report.services.origin}; nothing written")


def _write(
    options: SyncOptions, report: SyncReport, url: str, progress: ProgressHook | None
) -> None:
    assert report.services is not None
    records = report.services.records
    done = iter(range(1, len(records) + 1))

    def on_record(_code: str) -> None:
        if progress is not None:
            progress("writing", next(done), len(records))

    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            report.service_counts = upsert_services(
                session=session,
                records=records,
                retire_missing=options.retire,
                keep_codes=report.services.rejected_codes,
                on_record=on_record,
            )
            if report.departments is not None:
                report.department_counts = upsert_departments(
                    session=session, records=report.departments.records
                )
            if options.dry_run:
                session.rollback()
                return
            session.commit()
            if options.nlu_dir is not None:
                report.export = _export(session, options.nlu_dir)
    finally:
        engine.dispose()


def _export(session: Session, nlu_dir: Path) -> ExportResult:
    try:
        return export_nlu(list_active_services(session=session), nlu_dir)
    except OSError as exc:
        raise CatalogueError(
            f"the database was updated but writing {nlu_dir} failed: {exc}"
        ) from exc
