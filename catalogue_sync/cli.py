"""Command line: ``python -m catalogue_sync SOURCE [options]``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from catalogue_sync.nlu_export import DEFAULT_NLU_DIR
from catalogue_sync.sync import ProgressHook, SyncOptions, SyncReport, run_sync
from catalogue_sync.validation import Parsed
from nlu.training import DEFAULT_CACHE_DIR
from servicedesk.catalogue import DepartmentRecord, ServiceRecord

PROGRESS_MIN_ROWS = 200
#: Row errors printed by default; the rest are counted (a broken export has thousands).
MAX_PRINTED_ERRORS = 50

app = typer.Typer(add_completion=False, help="Sync the service catalogue into the database.")


@app.command()
def sync(
    source: Annotated[str, typer.Argument(help="Catalogue CSV/JSON file or http(s) URL.")],
    departments: Annotated[
        str | None, typer.Option(help="Departments CSV (code,name) to upsert.")
    ] = None,
    strict: Annotated[bool, typer.Option(help="Reject the whole file on any error.")] = False,
    database_url: Annotated[
        str | None, typer.Option(help="Database URL (default: SERVICEDESK_DATABASE_URL).")
    ] = None,
    nlu_dir: Annotated[
        Path, typer.Option(help="Where to write the generated NLU files.")
    ] = DEFAULT_NLU_DIR,
    no_retire: Annotated[
        bool, typer.Option("--no-retire", help="Keep services missing from the source.")
    ] = False,
    allow_retire: Annotated[
        bool,
        typer.Option(
            "--allow-retire",
            help="Retire the services missing from the source even when they are more than "
            "--max-retire-share of the active ones.",
        ),
    ] = False,
    max_retire_share: Annotated[
        float | None,
        typer.Option(
            help="Refuse to retire more than this share (0-1) of the active services "
            "(default: SERVICEDESK_CATALOGUE_MAX_RETIRE_SHARE, 0.2).",
        ),
    ] = None,
    max_services: Annotated[
        int | None,
        typer.Option(
            help="Refuse a catalogue of more services "
            "(default: SERVICEDESK_CATALOGUE_MAX_SERVICES, 5000).",
        ),
    ] = None,
    download_deadline: Annotated[
        float | None,
        typer.Option(
            help="Seconds the whole download of a URL may take "
            "(default: SERVICEDESK_CATALOGUE_DOWNLOAD_DEADLINE_SECONDS, 60).",
        ),
    ] = None,
    max_errors: Annotated[
        int, typer.Option(help="Print at most this many row errors, then how many more.")
    ] = MAX_PRINTED_ERRORS,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and diff, then roll back.")
    ] = False,
    embed: Annotated[
        bool,
        typer.Option(
            "--embed",
            help="Embed the synced catalogue before writing its files, so the Rasa and "
            "action servers find its vectors cached instead of embedding it inside a "
            "person's turn (make catalogue does).",
        ),
    ] = False,
) -> None:
    """Validate SOURCE, upsert its services, retire missing ones and regenerate NLU data.

    Exit codes: 0 ok, 2 some rows rejected, 1 fatal (nothing written).
    """
    console = Console()
    options = SyncOptions(
        source=source,
        departments=departments,
        database_url=database_url,
        nlu_dir=nlu_dir,
        strict=strict,
        retire=not no_retire,
        dry_run=dry_run,
        allow_retire=allow_retire,
        max_retire_share=max_retire_share,
        max_services=max_services,
        download_deadline=download_deadline,
        embeddings_cache=DEFAULT_CACHE_DIR if embed else None,
    )
    with _progress(console) as hook:
        report = run_sync(options, progress=hook)
    print_report(console, report, max_errors=max(max_errors, 0))
    raise typer.Exit(report.exit_code)


@contextmanager
def _progress(console: Console) -> Iterator[ProgressHook]:
    """Yield a hook that shows a progress bar for large files, or always on a terminal."""
    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    )
    tasks: dict[str, TaskID] = {}

    def hook(phase: str, done: int, total: int) -> None:
        if total <= PROGRESS_MIN_ROWS and not console.is_terminal:
            return
        if phase not in tasks:
            bar.start()
            tasks[phase] = bar.add_task(phase.capitalize(), total=total)
        bar.update(tasks[phase], completed=done)

    try:
        yield hook
    finally:
        bar.stop()


def print_report(
    console: Console, report: SyncReport, *, max_errors: int = MAX_PRINTED_ERRORS
) -> None:
    """Print the summary table, the first ``max_errors`` row errors, and any fatal error."""
    budget = max_errors
    for parsed in (report.services, report.departments):
        if parsed is not None and parsed.errors:
            budget = _print_errors(console, parsed, budget)
    if report.service_counts is not None:
        console.print(_summary(report))
    for note in report.notes:
        console.print(f"[yellow]Note:[/] {escape(note)}", highlight=False)
    if report.embeddings_seconds is not None:
        console.print(f"Catalogue embeddings ready in {report.embeddings_seconds:.1f} s")
    if report.export is not None:
        changed = ", ".join(p.name for p in report.export.written) or "none (up to date)"
        console.print(f"NLU files written: {changed}")
    if report.dry_run and report.fatal is None:
        console.print("[yellow]Dry run: nothing was written.[/]")
    if report.fatal is not None:
        console.print(f"[bold red]Error:[/] {escape(report.fatal)}", highlight=False)


def _print_errors(
    console: Console, parsed: Parsed[ServiceRecord] | Parsed[DepartmentRecord], budget: int
) -> int:
    """Print rejected rows with their errors until ``budget`` errors are printed.

    Then say how many more there are. One pass over the errors; returns the budget left.
    """
    console.print(f"[bold red]Rejected rows in {escape(parsed.origin)}:[/]", highlight=False)
    by_row = parsed.errors_by_row()
    shown_rows = shown_errors = 0
    for where, errors in by_row.items():
        if shown_errors >= budget:
            break
        console.print(f"  [red]{where}[/]")
        for error in errors[: budget - shown_errors]:
            console.print(f"    {error}", highlight=False, markup=False)
        shown_errors += min(len(errors), budget - shown_errors)
        shown_rows += 1
    hidden_errors = len(parsed.errors) - shown_errors
    if hidden_errors:
        console.print(
            f"  … and {hidden_errors:,} more errors ({len(by_row) - shown_rows:,} more "
            "rejected rows) not shown; --max-errors shows more",
            highlight=False,
        )
    return budget - shown_errors


def _summary(report: SyncReport) -> Table:
    table = Table(title="Catalogue sync" + (" (dry run)" if report.dry_run else ""))
    table.add_column("outcome")
    table.add_column("services", justify="right")
    table.add_column("departments", justify="right")
    rows = ("added", "changed", "unchanged", "retired", "reactivated")
    for outcome in rows:
        table.add_row(
            outcome, *(_count(report, kind, outcome) for kind in ("service", "department"))
        )
    rejected = [len(p.rejected_rows) if p else 0 for p in (report.services, report.departments)]
    table.add_row("rejected", *(str(n) for n in rejected))
    return table


def _count(report: SyncReport, kind: str, outcome: str) -> str:
    counts = report.service_counts if kind == "service" else report.department_counts
    return "-" if counts is None else str(len(getattr(counts, outcome)))


def main() -> None:
    """Entry point for ``python -m catalogue_sync``."""
    app(prog_name="catalogue_sync")
