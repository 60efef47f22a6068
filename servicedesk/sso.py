"""Single sign-on: who the provider's ID token names, and what that person may do here.

The provider (OpenID Connect; Entra ID in production) vouches for the person with its
``sub``; the desk derives a stable web chat id from issuer and ``sub`` in the same 32-hex
form as its own random ids, so the rest of the desk does not care which it is. Name, e-mail,
förvaltning and the groups come from configured claims; the console role and queues come
only from groups mapped in ``SERVICEDESK_OIDC_AGENT_GROUPS``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicedesk.agents import hash_token
from servicedesk.models import Agent, AgentRole, Department, Requester, utcnow
from servicedesk.privacy import mask_personnummer
from servicedesk.requesters import get_or_create_requester
from servicedesk.settings import Settings

__all__ = [
    "AgentGrant",
    "SsoIdentity",
    "agent_grant",
    "department_of",
    "identity_from_claims",
    "provision_agent",
    "subject_id",
    "update_requester",
]

WEB_CHANNEL = "web"


@dataclass(frozen=True)
class SsoIdentity:
    """The person an ID token names, in the desk's terms."""

    subject: str  # 32 hex characters, stable per issuer and sub
    name: str | None
    email: str | None
    department_claim: str | None
    groups: tuple[str, ...]


@dataclass(frozen=True)
class AgentGrant:
    """The console role and queues a person's groups give; empty queues mean every queue."""

    role: AgentRole
    queues: tuple[str, ...]


def subject_id(issuer: str, sub: str) -> str:
    """The desk's id for the provider's person: 32 hex characters of SHA-256(issuer, sub)."""
    return hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()[:32]


def _text(claims: Mapping[str, Any], name: str | None, limit: int) -> str | None:
    value = claims.get(name) if name else None
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()[:limit]


def identity_from_claims(claims: Mapping[str, Any], settings: Settings) -> SsoIdentity:
    """Read the person from validated ID token claims (``iss`` and ``sub`` are required)."""
    issuer, sub = claims.get("iss"), claims.get("sub")
    if not isinstance(issuer, str) or not isinstance(sub, str) or not sub:
        raise ValueError("the ID token has no iss or sub")
    raw_groups = claims.get(settings.oidc_groups_claim)
    groups = raw_groups if isinstance(raw_groups, list) else []
    return SsoIdentity(
        subject=subject_id(issuer, sub),
        name=_text(claims, settings.oidc_name_claim, 200),
        email=_text(claims, settings.oidc_email_claim, 320),
        department_claim=_text(claims, settings.oidc_department_claim, 16),
        groups=tuple(g for g in groups if isinstance(g, str)),
    )


def department_of(identity: SsoIdentity, settings: Settings) -> str | None:
    """The förvaltning code the claim names, else the first mapped group's, else None."""
    if identity.department_claim:
        return identity.department_claim
    mapping = settings.oidc_group_departments
    return next((mapping[g] for g in identity.groups if g in mapping), None)


def update_requester(*, session: Session, settings: Settings, identity: SsoIdentity) -> Requester:
    """Create or refresh the web chat requester of ``identity`` from the provider's claims.

    A förvaltning the provider tells (and the desk knows) is kept and the profile form is
    not asked; otherwise what the person chose in the form stays.
    """
    requester = get_or_create_requester(
        session=session, channel=WEB_CHANNEL, external_id=identity.subject
    )
    if identity.name:
        requester.name = mask_personnummer(identity.name).text
    requester.email = identity.email
    code = department_of(identity, settings)
    department = session.get(Department, code) if code else None
    if department is not None and department.active:
        requester.department_code = department.code
        if requester.profile_saved_at is None:
            requester.profile_saved_at = utcnow()
    return requester


def agent_grant(identity: SsoIdentity, settings: Settings) -> AgentGrant | None:
    """What the person's groups allow in the console, or None when no group is mapped."""
    matched = [
        settings.oidc_agent_groups[g] for g in identity.groups if g in settings.oidc_agent_groups
    ]
    if not matched:
        return None
    role = AgentRole.ADMIN if any(m.role == "admin" for m in matched) else AgentRole.AGENT
    # A group without queues sees every queue, so it wins over the narrower groups.
    if any(not m.queues for m in matched):
        return AgentGrant(role=role, queues=())
    queues = sorted({q for m in matched for q in m.queues})
    return AgentGrant(role=role, queues=tuple(queues))


def _free_username(session: Session, wanted: str) -> str:
    taken = set(session.scalars(select(Agent.username).where(Agent.username.like(f"{wanted}%"))))
    username, suffix = wanted, 1
    while username in taken:
        suffix += 1
        username = f"{wanted}{suffix}"
    return username


def provision_agent(*, session: Session, identity: SsoIdentity, grant: AgentGrant) -> Agent:
    """Create or update the agent of ``identity``: role and queues follow the groups.

    The agent gets an unusable random token (only its hash is stored): an SSO agent works in
    the console, not with a bearer token.
    """
    agent = session.scalars(
        select(Agent).where(Agent.sso_subject == identity.subject)
    ).one_or_none()
    if agent is None:
        base = (identity.email or identity.name or f"sso-{identity.subject[:8]}").strip()
        agent = Agent(
            username=_free_username(session, base[:90]),
            token_hash=hash_token(secrets.token_urlsafe(32)),
            sso_subject=identity.subject,
        )
        session.add(agent)
    agent.display_name = identity.name or agent.username
    agent.role = grant.role
    agent.queues = list(grant.queues)
    agent.active = True
    session.flush()
    return agent
