"""Command line: ``python -m catalogue_sync SOURCE [options]``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from catalogue_sync.nlu_export import DEFAULT_NLU_DIR
from catalogue_sync.sync import ProgressHook, SyncOptions, SyncReport, run_sync
from catalogue_sync.validation import Parsed
from servicedesk.catalogue import DepartmentRecord, ServiceRecord

PROGRESS_MIN_ROWS = 200

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
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and diff, then roll back.")
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
    )
    with _progress(console) as hook:
        report = run_sync(options, progress=hook)
    print_report(console, report)
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


def print_report(console: Console, report: SyncReport) -> None:
    """Print the summary table, every rejected row with its errors, and any fatal error."""
    for parsed in (report.services, report.departments):
        if parsed is not None and parsed.errors:
            _print_errors(console, parsed)
    if report.service_counts is not None:
        console.print(_summary(report))
    if report.export is not None:
        changed = ", ".join(p.name for p in report.export.written) or "none (up to date)"
        console.print(f"NLU files written: {changed}")
    if report.dry_run and report.fatal is None:
        console.print("[yellow]Dry run: nothing was written.[/]")
    if report.fatal is not None:
        console.print(f"[bold red]Error:[/] {report.fatal}")


def _print_errors(
    console: Console, parsed: Parsed[ServiceRecord] | Parsed[DepartmentRecord]
) -> None:
    console.print(f"[bold red]Rejected rows in {parsed.origin}:[/]")
    for where in parsed.rejected_rows:
        console.print(f"  [red]{where}[/]")
        for error in (e for e in parsed.errors if e.where == where):
            console.print(f"    {error}", highlight=False)


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
