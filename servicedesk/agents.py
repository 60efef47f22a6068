"""Desk agents (handläggare) and their bearer tokens; only token hashes are stored."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicedesk.models import Agent, AgentRole

__all__ = ["ADMIN_USERNAME", "authenticate", "create_agent", "ensure_admin", "hash_token"]

ADMIN_USERNAME = "admin"


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest stored in place of ``token``."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_agent(
    *,
    session: Session,
    username: str,
    display_name: str = "",
    role: AgentRole = AgentRole.AGENT,
    queues: list[str] | None = None,
) -> tuple[Agent, str]:
    """Create an agent and return it with its bearer token, which is shown only this once.

    Raises:
        ValueError: ``username`` is empty or already taken.
    """
    username = username.strip()
    if not username:
        raise ValueError("Agent username must not be empty")
    if session.scalars(select(Agent).where(Agent.username == username)).first() is not None:
        raise ValueError(f"Agent {username!r} already exists")
    token = secrets.token_urlsafe(32)
    agent = Agent(
        username=username,
        display_name=display_name or username,
        role=role,
        token_hash=hash_token(token),
        active=True,
        queues=list(queues or []),
    )
    session.add(agent)
    session.flush()
    return agent, token


def authenticate(*, session: Session, token: str) -> Agent | None:
    """Return the active agent holding ``token``, or None for unknown or inactive ones."""
    if not token:
        return None
    stmt = select(Agent).where(Agent.token_hash == hash_token(token), Agent.active.is_(True))
    return session.scalars(stmt).one_or_none()


def ensure_admin(*, session: Session) -> str | None:
    """Create the first admin agent when there is no admin yet.

    Returns:
        The new admin's token, or None when an admin already existed.
    """
    existing = session.scalars(select(Agent).where(Agent.role == AgentRole.ADMIN)).first()
    if existing is not None:
        return None
    # An ordinary agent may already be called "admin"; pick "admin2", "admin3", ... then.
    taken = set(session.scalars(select(Agent.username)))
    username, suffix = ADMIN_USERNAME, 1
    while username in taken:
        suffix += 1
        username = f"{ADMIN_USERNAME}{suffix}"
    _agent, token = create_agent(
        session=session, username=username, display_name="Administratör", role=AgentRole.ADMIN
    )
    return token
