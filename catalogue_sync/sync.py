"""Run one catalogue sync: read and validate, upsert in one transaction, export NLU data.

Guards refuse a sync, changing nothing, when its result is implausible: a source that
would retire more than a share of the active services (a truncated export), or a
catalogue too large for the NLU data to stay usable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from catalogue_sync.errors import CatalogueError
from catalogue_sync.nlu_export import (
    BORROWED_NLU,
    DEFAULT_NLU_DIR,
    ExportResult,
    data_sizes,
    render_borrowed_yaml,
    render_files,
    write_files,
)
from catalogue_sync.sources import SourceLimits, describe_size
from catalogue_sync.validation import Parsed, load_departments, load_services
from catalogue_sync.warm import borrowed_for_training, warm_embeddings
from servicedesk.catalogue import (
    DepartmentRecord,
    ServiceRecord,
    SyncCounts,
    list_active_services,
    upsert_departments,
    upsert_services,
)
from servicedesk.db import make_engine
from servicedesk.models import Service
from servicedesk.settings import Settings, get_settings

ProgressHook = Callable[[str, int, int], None]
"""Called as ``hook(phase, done, total)`` with phase ``"validating"`` or ``"writing"``."""

_NAMED_CODES = 10


@dataclass
class SyncOptions:
    """What to sync and how; mirrors the command-line options.

    The limits left ``None`` come from the settings (``SERVICEDESK_CATALOGUE_*``).
    """

    source: str
    departments: str | None = None
    database_url: str | None = None
    nlu_dir: Path | None = DEFAULT_NLU_DIR
    strict: bool = False
    retire: bool = True
    dry_run: bool = False
    timeout: float = 10.0
    #: Retire however many services the source leaves out (skips the share guard).
    allow_retire: bool = False
    #: Largest share (0-1) of the active services one sync may retire.
    max_retire_share: float | None = None
    #: Seconds the whole download of an http(s) source may take.
    download_deadline: float | None = None
    #: Largest source accepted, in bytes.
    max_download_bytes: int | None = None
    #: Most services the catalogue may have.
    max_services: int | None = None
    #: Largest generated NLU data (catalogue.json + catalogue_nlu.yml), in bytes.
    max_nlu_bytes: int | None = None
    #: Where to embed the synced catalogue before its files are written (None: not at all;
    #: ``--embed`` on the command line: ``nlu.training.DEFAULT_CACHE_DIR``).
    embeddings_cache: Path | None = None


@dataclass(frozen=True)
class Limits:
    """The limits of one sync, resolved from the options and the settings."""

    max_retire_share: float
    source: SourceLimits
    max_services: int
    max_nlu_bytes: int

    @classmethod
    def of(cls, options: SyncOptions) -> Limits:
        """Take each limit from ``options``, else from the settings; check their ranges.

        Raises:
            CatalogueError: A limit is out of range.
        """
        share = _pick(options.max_retire_share, lambda s: s.catalogue_max_retire_share)
        if not 0 <= share <= 1:
            raise CatalogueError(
                "the largest share of active services to retire must be between 0 and 1 "
                f"(0.2 is 20%), got {share:g}"
            )
        limits = cls(
            max_retire_share=share,
            source=SourceLimits(
                deadline=_pick(
                    options.download_deadline, lambda s: s.catalogue_download_deadline_seconds
                ),
                max_bytes=_pick(
                    options.max_download_bytes, lambda s: s.catalogue_max_download_bytes
                ),
            ),
            max_services=_pick(options.max_services, lambda s: s.catalogue_max_services),
            max_nlu_bytes=_pick(options.max_nlu_bytes, lambda s: s.catalogue_max_nlu_bytes),
        )
        if limits.max_services < 1 or limits.max_nlu_bytes < 1:
            raise CatalogueError("the maximum number of services and NLU size must be positive")
        return limits


T = TypeVar("T")


def _pick(given: T | None, setting: Callable[[Settings], T]) -> T:
    """Return ``given``, or the setting when it is None (settings are read only then)."""
    return setting(get_settings()) if given is None else given


def _percent(share: float) -> str:
    return f"{share * 100:.3g}%"


@dataclass
class SyncReport:
    """Everything a sync did or refused to do, for the summary and the exit code."""

    dry_run: bool = False
    services: Parsed[ServiceRecord] | None = None
    departments: Parsed[DepartmentRecord] | None = None
    service_counts: SyncCounts | None = None
    department_counts: SyncCounts | None = None
    export: ExportResult | None = None
    #: Seconds the catalogue's embeddings took (None: not embedded by the sync).
    embeddings_seconds: float | None = None
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

    Nothing is written when the source is unusable, has no valid rows, has any error in
    strict mode, would retire more than the allowed share of the active services, or
    would make the catalogue larger than its limits. Otherwise the valid rows are
    applied in one transaction.
    """
    report = SyncReport(dry_run=options.dry_run)
    try:
        limits = Limits.of(options)
        _load(options, limits, report, progress)
        url = options.database_url or get_settings().database_url
        prepare_database(url)
        _write(options, limits, report, url, progress)
    except CatalogueError as exc:
        report.fatal = str(exc)
    except SQLAlchemyError as exc:
        report.fatal = f"database error, nothing written: {exc}"
    except ValidationError as exc:  # the SERVICEDESK_* settings
        problems = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        report.fatal = f"configuration error, nothing written: {problems}"
    return report


def _load(
    options: SyncOptions, limits: Limits, report: SyncReport, progress: ProgressHook | None
) -> None:
    on_row = (lambda done, total: progress("validating", done, total)) if progress else None
    report.services = load_services(
        options.source, timeout=options.timeout, on_row=on_row, limits=limits.source
    )
    if options.departments:
        report.departments = load_departments(
            options.departments, timeout=options.timeout, limits=limits.source
        )
    if options.strict and report.rejected:
        raise CatalogueError(f"{report.rejected} rows rejected in strict mode; nothing written")
    if not report.services.records:
        raise CatalogueError(f"no valid services in {report.services.origin}; nothing written")
    found = len(report.services.records)
    if found > limits.max_services:
        raise CatalogueError(
            f"{report.services.origin} has {found:,} valid services, more than the maximum "
            f"of {limits.max_services:,} (SERVICEDESK_CATALOGUE_MAX_SERVICES or "
            "--max-services); nothing written"
        )


def _write(
    options: SyncOptions,
    limits: Limits,
    report: SyncReport,
    url: str,
    progress: ProgressHook | None,
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
            active_before = session.scalar(
                select(func.count()).select_from(Service).where(Service.active.is_(True))
            )
            counts = upsert_services(
                session=session,
                records=records,
                retire_missing=options.retire,
                keep_codes=report.services.rejected_codes,
                on_record=on_record,
            )
            department_counts = None
            if report.departments is not None:
                department_counts = upsert_departments(
                    session=session, records=report.departments.records
                )
            files = _checked(options, limits, report.services, session, counts, active_before)
            report.service_counts, report.department_counts = counts, department_counts
            if options.dry_run:
                session.rollback()
                return
            session.commit()
        if options.nlu_dir is not None:
            if options.embeddings_cache is not None:
                _warm(files["catalogue.json"], options.embeddings_cache, report)
                files = {**files, **_borrowed(files["catalogue.json"], options, report)}
            report.export = _export(files, options.nlu_dir)
    finally:
        engine.dispose()


def _checked(
    options: SyncOptions,
    limits: Limits,
    source: Parsed[ServiceRecord],
    session: Session,
    counts: SyncCounts,
    active_before: int | None,
) -> dict[str, str]:
    """Refuse what the guards forbid (the caller's transaction is then rolled back).

    Returns the generated NLU files of the catalogue as the sync leaves it.

    Raises:
        CatalogueError: The sync would retire too many services or make the catalogue
            too large.
    """
    before = active_before or 0
    retiring = len(counts.retired)
    if not options.allow_retire and retiring > limits.max_retire_share * before:
        named = ", ".join(counts.retired[:_NAMED_CODES])
        more = retiring - _NAMED_CODES
        raise CatalogueError(
            f"refusing to retire {retiring:,} of {before:,} active services "
            f"({_percent(retiring / before)}), more than the allowed "
            f"{_percent(limits.max_retire_share)} (SERVICEDESK_CATALOGUE_MAX_RETIRE_SHARE or "
            f"--max-retire-share). The source {source.origin} has {len(source.records):,} "
            "valid services: is it truncated, or were the codes changed? Nothing was "
            f"changed. The services it would retire: {named}"
            + (f" and {more:,} more" if more > 0 else "")
            + ". Run again with --allow-retire to retire them anyway."
        )
    session.flush()
    session.expire_all()  # read back what the database holds, as the next sync will
    active = list_active_services(session=session)
    if len(active) > limits.max_services:
        raise CatalogueError(
            f"the catalogue would have {len(active):,} active services, more than the "
            f"maximum of {limits.max_services:,} (SERVICEDESK_CATALOGUE_MAX_SERVICES or "
            "--max-services); nothing written"
        )
    files = render_files(active)
    sizes = data_sizes(files)
    if sum(sizes.values()) > limits.max_nlu_bytes:
        parts = ", ".join(f"{name} {describe_size(size)}" for name, size in sizes.items())
        raise CatalogueError(
            f"the generated NLU data would be {describe_size(sum(sizes.values()))} ({parts}), "
            f"more than the maximum of {describe_size(limits.max_nlu_bytes)} "
            "(SERVICEDESK_CATALOGUE_MAX_NLU_BYTES); nothing written"
        )
    return files


def _warm(catalogue_json: str, cache_dir: Path, report: SyncReport) -> None:
    """Embed the catalogue before its files tell the Rasa process it changed."""
    try:
        report.embeddings_seconds = warm_embeddings(catalogue_json, cache_dir)
    except (OSError, RuntimeError, ValueError) as exc:  # the processes then embed it themselves
        report.notes.append(f"the catalogue's embeddings were not prepared: {exc}")


def _borrowed(catalogue_json: str, options: SyncOptions, report: SyncReport) -> dict[str, str]:
    """``borrowed_nlu.yml`` for the classifier when the catalogue's services without example
    requests borrow some (:func:`catalogue_sync.warm.borrowed_for_training`); an earlier one
    is removed when nothing is borrowed any more."""
    assert options.nlu_dir is not None and options.embeddings_cache is not None
    try:
        borrowed = borrowed_for_training(catalogue_json, options.embeddings_cache)
    except (OSError, RuntimeError, ValueError) as exc:
        report.notes.append(f"no requests were borrowed for the classifier: {exc}")
        return {}
    text = render_borrowed_yaml(borrowed)
    if text is None:
        (options.nlu_dir / BORROWED_NLU).unlink(missing_ok=True)
        return {}
    return {BORROWED_NLU: text}


def _export(files: dict[str, str], nlu_dir: Path) -> ExportResult:
    try:
        return write_files(files, nlu_dir)
    except OSError as exc:
        raise CatalogueError(
            f"the database was updated but writing {nlu_dir} failed: {exc}"
        ) from exc
