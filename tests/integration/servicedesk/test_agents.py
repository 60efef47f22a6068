"""Agents: tokens are stored hashed, authenticate only active agents, first admin once."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from servicedesk.agents import authenticate, create_agent, ensure_admin, hash_token
from servicedesk.models import Agent, AgentRole


def test_token_is_stored_only_as_its_hash(session: Session) -> None:
    agent, token = create_agent(session=session, username="eva")
    session.commit()
    stored = [tuple(row) for row in session.execute(text("SELECT * FROM agents"))]
    assert not any(token in str(value) for row in stored for value in row)
    assert agent.token_hash == hash_token(token)
    assert len(token) >= 40


def test_authenticate_finds_the_agent_by_token(session: Session) -> None:
    agent, token = create_agent(session=session, username="eva", role=AgentRole.ADMIN)
    create_agent(session=session, username="olle")
    assert authenticate(session=session, token=token) is agent
    assert authenticate(session=session, token=token + "x") is None
    assert authenticate(session=session, token="") is None


def test_inactive_agent_cannot_authenticate(session: Session) -> None:
    agent, token = create_agent(session=session, username="eva")
    agent.active = False
    session.flush()
    assert authenticate(session=session, token=token) is None


def test_usernames_are_unique(session: Session) -> None:
    create_agent(session=session, username="eva")
    with pytest.raises(ValueError, match="already exists"):
        create_agent(session=session, username="eva")


def test_ensure_admin_creates_one_admin_only_when_none_exists(session: Session) -> None:
    create_agent(session=session, username="admin")  # an ordinary agent with that name
    token = ensure_admin(session=session)
    assert token is not None
    admin = authenticate(session=session, token=token)
    assert admin is not None
    assert (admin.username, admin.role) == ("admin2", AgentRole.ADMIN)
    assert ensure_admin(session=session) is None
    admins = session.scalars(select(Agent).where(Agent.role == AgentRole.ADMIN)).all()
    assert len(admins) == 1
