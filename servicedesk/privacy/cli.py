"""``python -m servicedesk retention`` and ``python -m servicedesk person export|erase``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from servicedesk.db import session_scope
from servicedesk.models import Requester, utcnow
from servicedesk.privacy.persons import erase_person, export_person, find_person
from servicedesk.privacy.retention import RetentionResult, run_retention
from servicedesk.settings import Settings, get_settings

person_app = typer.Typer(help="One person's data: export it or erase it (admins).")

UrlOption = Annotated[
    str | None, typer.Option("--database-url", help="Database URL (default: from settings).")
]
PersonArg = Annotated[
    str, typer.Argument(help="Requester id, or conversation id such as web:<id> or telegram:<id>.")
]


def _settings(database_url: str | None) -> Settings:
    settings = get_settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return settings


def retention_table(result: RetentionResult) -> Table:
    """The result as a Rich table (Swedish, like every operator-facing figure)."""
    title = "Gallring – skulle tas bort (torrkörning)" if result.dry_run else "Gallring – utförd"
    table = Table(title=title)
    table.add_column("Vad")
    table.add_column("Regel")
    table.add_column("Antal", justify="right")
    for line in result.lines:
        table.add_row(line.label, line.rule, str(line.count))
    return table


def retention_command(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show what is due; change nothing.")
    ] = False,
    database_url: UrlOption = None,
) -> None:
    """Anonymise or delete what the retention periods say is due (gallring)."""
    settings = _settings(database_url)
    with session_scope(settings.database_url) as session:
        result = run_retention(
            session=session, settings=settings, now=utcnow(), dry_run=dry_run, actor="cli"
        )
    console = Console()
    console.print(retention_table(result))
    if result.tracker_note:
        console.print(result.tracker_note)


def _person_or_exit(session: Session, person: str) -> Requester:
    """The person ``person`` names, or exit 1 with a Swedish message."""
    requester = find_person(session=session, ref=person)
    if requester is None:
        typer.echo(f"Ingen person {person!r} finns.", err=True)
        raise typer.Exit(code=1)
    return requester


@person_app.command("export")
def export_command(
    person: PersonArg,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the JSON here (default: stdout).")
    ] = None,
    database_url: UrlOption = None,
) -> None:
    """Export everything kept about one person as JSON."""
    settings = _settings(database_url)
    with session_scope(settings.database_url) as session:
        requester = _person_or_exit(session, person)
        data = export_person(session=session, settings=settings, requester=requester, actor="cli")
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"Skrev {output}.")


@person_app.command("erase")
def erase_command(
    person: PersonArg,
    delete: Annotated[
        bool,
        typer.Option(
            "--delete/--anonymise",
            help="Delete the person's tickets too, or keep them anonymised (default).",
        ),
    ] = False,
    database_url: UrlOption = None,
) -> None:
    """Erase one person: anonymise their tickets (default) or delete them, and all else."""
    settings = _settings(database_url)
    with session_scope(settings.database_url) as session:
        requester = _person_or_exit(session, person)
        counts = erase_person(
            session=session, settings=settings, requester=requester,
            mode="delete" if delete else "anonymise", actor="cli",
        )  # fmt: skip
    done = "raderade" if delete else "anonymiserade"
    summary = ", ".join(f"{key}={value}" for key, value in counts.items())
    typer.echo(f"Personen är borttagen ({done} ärenden): {summary}")
