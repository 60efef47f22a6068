"""Console sessions: an agent logs in with their token once and gets a session cookie.

The cookie holds nothing but a random key; the session itself lives in the
``console_sessions`` table, which stores only the key's SHA-256. So the server decides:
logging out revokes the session (a copied cookie stops working at once), and a session
also ends when it expires (``console_session_hours``), when nobody has used it for
``console_session_idle_minutes``, when the agent is deactivated
(:func:`revoke_agent_sessions`, and an inactive agent is refused anyway) and when the
agent gets a new token.

State-changing requests made with the cookie must carry the session's CSRF token in the
``X-CSRF-Token`` header (or a ``csrf`` form field).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from fastapi import Request
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from servicedesk.db import session_scope
from servicedesk.models import Agent, ConsoleSession, as_utc, utcnow
from servicedesk.settings import Settings

__all__ = [
    "COOKIE_NAME",
    "CSRF_HEADER",
    "agent_from_cookie",
    "agent_from_request",
    "cookie_secure",
    "csrf_ok",
    "csrf_token",
    "end_session",
    "issue_cookie",
    "revoke_agent_sessions",
    "session_seconds",
    "start_session",
]

COOKIE_NAME = "envagin_konsol"
CSRF_HEADER = "X-CSRF-Token"
#: The default lifetime of a session (``console_session_hours``), for the record.
SESSION_SECONDS = 12 * 3600
#: ``last_seen_at`` is written at most this often per session (the console polls every 2 s).
TOUCH_SECONDS = 60
#: Keys are ``secrets.token_urlsafe(32)`` (43 characters); anything much longer is not one.
_MAX_KEY_CHARS = 128


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _fingerprint(agent: Agent) -> str:
    return agent.token_hash[:16]


def session_seconds(settings: Settings) -> int:
    """How long a session lasts at most, in seconds (also the cookie's ``Max-Age``)."""
    return int(settings.console_session_hours * 3600)


def start_session(
    *, session: Session, settings: Settings, agent: Agent, now: datetime | None = None
) -> str:
    """Start a console session for ``agent`` and return the key for its cookie.

    Sessions that have expired are deleted on the way, so the table stays small.
    """
    now = now or utcnow()
    session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
    key = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            key_hash=_key_hash(key), agent_id=agent.id, token_fingerprint=_fingerprint(agent),
            created_at=now, last_seen_at=now,
            expires_at=now + timedelta(seconds=session_seconds(settings)),
        )
    )  # fmt: skip
    session.flush()
    return key


def issue_cookie(settings: Settings, agent: Agent) -> str:
    """Start a session for ``agent`` in a transaction of its own; return the cookie value.

    For tools and tests that need a logged-in console without going through the form.
    """
    with session_scope(settings.database_url) as db:
        return start_session(session=db, settings=settings, agent=agent)


def _live_session(
    session: Session, settings: Settings, value: str | None, now: datetime
) -> ConsoleSession | None:
    if not value or len(value) > _MAX_KEY_CHARS:
        return None
    found = session.scalars(
        select(ConsoleSession).where(ConsoleSession.key_hash == _key_hash(value))
    ).one_or_none()
    if found is None or found.revoked_at is not None or as_utc(found.expires_at) <= now:
        return None
    idle = timedelta(minutes=settings.console_session_idle_minutes)
    if as_utc(found.last_seen_at) + idle <= now:
        return None
    agent = found.agent
    if not agent.active or found.token_fingerprint != _fingerprint(agent):
        return None
    return found


def agent_from_cookie(
    session: Session, settings: Settings, value: str | None, now: datetime | None = None
) -> Agent | None:
    """Return the active agent of a live session, else None; note that it was used."""
    now = now or utcnow()
    found = _live_session(session, settings, value, now)
    if found is None:
        return None
    if now - as_utc(found.last_seen_at) >= timedelta(seconds=TOUCH_SECONDS):
        found.last_seen_at = now  # written when the request's session commits
    return found.agent


def agent_from_request(request: Request, session: Session, settings: Settings) -> Agent | None:
    """Return the agent logged in to the console by the request's cookie, else None."""
    return agent_from_cookie(session, settings, request.cookies.get(COOKIE_NAME))


def end_session(*, session: Session, value: str | None, now: datetime | None = None) -> bool:
    """Revoke the session of cookie value ``value``; tell whether there was a live one."""
    if not value or len(value) > _MAX_KEY_CHARS:
        return False
    result = session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.key_hash == _key_hash(value), ConsoleSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return bool(getattr(result, "rowcount", 0))


def revoke_agent_sessions(*, session: Session, agent: Agent, now: datetime | None = None) -> int:
    """Revoke every open session of ``agent`` (call it when deactivating an agent).

    Returns:
        How many sessions were revoked.
    """
    result = session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.agent_id == agent.id, ConsoleSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return int(getattr(result, "rowcount", 0))


def csrf_token(settings: Settings, cookie_value: str) -> str:
    """The CSRF token bound to one session cookie."""
    key = settings.secret_key.encode()
    return hmac.new(key, b"csrf:" + cookie_value.encode(), hashlib.sha256).hexdigest()


def csrf_ok(settings: Settings, cookie_value: str, presented: str | None) -> bool:
    """Tell whether ``presented`` is the CSRF token of ``cookie_value``."""
    if not presented:
        return False
    # As bytes: compare_digest refuses str with characters beyond ASCII (a header may have).
    given = presented.encode("utf-8", "surrogateescape")
    return hmac.compare_digest(csrf_token(settings, cookie_value).encode(), given)


def cookie_secure(settings: Settings, request: Request | None = None) -> bool:
    """Whether the cookie is sent over HTTPS only.

    ``cookie_secure`` decides when it is set; otherwise yes in production and whenever
    the request came over HTTPS (also through a proxy uvicorn trusts).
    """
    if settings.cookie_secure is not None:
        return settings.cookie_secure
    return settings.environment == "production" or (
        request is not None and request.url.scheme == "https"
    )
