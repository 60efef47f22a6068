"""The operator command line: migrate, create-agent, ensure-admin."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from servicedesk.agents import authenticate
from servicedesk.cli import app
from servicedesk.db import get_engine
from servicedesk.models import Agent, AgentRole

runner = CliRunner()


def test_migrate_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(app, ["migrate", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "latest schema" in result.output


def test_create_agent_prints_a_working_token_once(sqlite_url: str) -> None:
    result = runner.invoke(
        app, ["create-agent", "eva", "--role", "admin", "--name", "Eva Ek", "--database-url",
              sqlite_url],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    with Session(get_engine(sqlite_url)) as session:
        agent = authenticate(session=session, token=token)
        assert agent is not None
        assert (agent.username, agent.display_name, agent.role) == (
            "eva",
            "Eva Ek",
            AgentRole.ADMIN,
        )
    again = runner.invoke(app, ["create-agent", "eva", "--database-url", sqlite_url])
    assert again.exit_code == 1


def test_ensure_admin_prints_token_and_urls_only_the_first_time(sqlite_url: str) -> None:
    first = runner.invoke(app, ["ensure-admin", "--database-url", sqlite_url])
    assert first.exit_code == 0, first.output
    for url in ("http://localhost:8000/", "/docs", "/health"):
        assert url in first.output
    second = runner.invoke(app, ["ensure-admin", "--database-url", sqlite_url])
    assert second.exit_code == 0
    assert len(second.output.strip().splitlines()) == 1
    with Session(get_engine(sqlite_url)) as session:
        admins = session.scalars(select(Agent).where(Agent.role == AgentRole.ADMIN)).all()
        assert len(admins) == 1
