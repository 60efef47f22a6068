"""Command line for operators: migrate, manage agents and run the desk."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from servicedesk.agents import create_agent, ensure_admin
from servicedesk.db import session_scope
from servicedesk.feedback.cli import report_app
from servicedesk.migrate import upgrade_database
from servicedesk.models import AgentRole
from servicedesk.privacy.cli import person_app, retention_command
from servicedesk.secrets import ensure_env_file
from servicedesk.settings import require_settings

app = typer.Typer(
    help="En väg in: service desk administration.", no_args_is_help=True, add_completion=False
)

UrlOption = Annotated[
    str | None, typer.Option("--database-url", help="Database URL (default: from settings).")
]


@app.command()
def migrate(database_url: UrlOption = None) -> None:
    """Create or upgrade the database schema (alembic upgrade head)."""
    upgrade_database(database_url)
    typer.echo("Database is at the latest schema revision.")


@app.command("create-agent")
def create_agent_command(
    username: Annotated[str, typer.Argument(help="Login name of the agent.")],
    role: Annotated[AgentRole, typer.Option(help="Agent role.")] = AgentRole.AGENT,
    name: Annotated[str, typer.Option("--name", help="Display name.")] = "",
    queue: Annotated[
        list[str] | None,
        typer.Option("--queue", help="Service category the agent works (repeat; none = all)."),
    ] = None,
    database_url: UrlOption = None,
) -> None:
    """Create a desk agent and print its bearer token (shown only this once)."""
    try:
        with session_scope(database_url) as session:
            agent, token = create_agent(
                session=session, username=username, display_name=name, role=role, queues=queue
            )
            typer.echo(f"Created {agent.role.value} {agent.username!r}. Token (shown once):")
    except ValueError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(token)


@app.command("init-secrets")
def init_secrets(
    env_file: Annotated[Path, typer.Option(help="The dotenv file to complete.")] = Path(".env"),
) -> None:
    """Write a random value for each missing secret into ``.env`` (development; run once).

    Secrets already set in the file or in the environment are kept. Production refuses to
    start with a missing, default or short secret, so there they must be set explicitly.
    """
    added = ensure_env_file(env_file)
    if added:
        typer.echo(f"Wrote new random secrets to {env_file}: {', '.join(added)}")


@app.command("ensure-admin")
def ensure_admin_command(
    base_url: Annotated[str, typer.Option(help="Where the desk is served.")] = (
        "http://localhost:8000"
    ),
    database_url: UrlOption = None,
) -> None:
    """Create the first admin agent if there is none, and print its token once."""
    with session_scope(database_url) as session:
        token = ensure_admin(session=session)
    if token is None:
        typer.echo("An admin agent already exists; no new token was created.")
        return
    base = base_url.rstrip("/")
    typer.echo("Created the admin agent. Its token is shown only this once:")
    typer.echo(f"  {token}")
    typer.echo(f"Web chat:  {base}/")
    typer.echo(f"Console:   {base}/konsol  (log in with the token above)")
    typer.echo(f"API docs:  {base}/docs")
    typer.echo(f"Health:    {base}/health")


jobs_app = typer.Typer(help="Periodic desk work (idle takeovers, feedback invitations, retention).")
app.add_typer(jobs_app, name="jobs")
app.add_typer(report_app, name="report")
app.add_typer(person_app, name="person")
app.command("retention")(retention_command)


@jobs_app.command("run-once")
def jobs_run_once(database_url: UrlOption = None) -> None:
    """Run every periodic job once and print what each did."""
    import asyncio

    from servicedesk.db import get_sessionmaker
    from servicedesk.jobs import JobContext, run_once
    from servicedesk.settings import get_settings

    settings = get_settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    ctx = JobContext(settings=settings, session_factory=get_sessionmaker(settings.database_url))
    for name, count in asyncio.run(run_once(ctx)).items():
        if count is None:
            typer.echo(f"{name}: skipped (another desk is running it)")
        else:
            typer.echo(f"{name}: {'failed' if count < 0 else count}")


@app.command("read-log")
def read_log_command(
    ticket: Annotated[str | None, typer.Option("--ticket", help="Only this ticket.")] = None,
    agent: Annotated[str | None, typer.Option("--agent", help="Only this agent.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 100,
    database_url: UrlOption = None,
) -> None:
    """Print who read which ticket, transcript, thread or feedback comment, newest first."""
    from servicedesk.read_log import list_reads

    with session_scope(database_url) as session:
        records, total = list_reads(
            session=session, ticket_number=ticket, agent_username=agent, limit=limit
        )
    for r in records:
        when = f"{r.at:%Y-%m-%d %H:%M:%S}Z"
        typer.echo(f"{when}\t{r.agent}\t{r.what}\t{r.ticket_number or '-'}\t{r.via}")
    typer.echo(f"{len(records)} of {total} reads")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    reload: Annotated[bool, typer.Option(help="Reload on code changes.")] = False,
) -> None:
    """Run the desk (API, web chat, health) with uvicorn."""
    import uvicorn  # imported here so the other commands start fast

    require_settings()  # refuses weak secrets in production, with the variable's name
    uvicorn.run("servicedesk.api.app:create_app", factory=True, host=host, port=port, reload=reload)
