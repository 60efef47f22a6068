"""Web chat logins made by single sign-on, kept on the server like console sessions.

The cookie holds a random key; ``web_sessions`` keeps its SHA-256 and the person id. Signing
out revokes the row, so a copy of the cookie is worthless afterwards; a session also ends
after ``oidc_session_hours``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from servicedesk.models import WebSession, as_utc, utcnow
from servicedesk.settings import Settings

__all__ = ["end_web_session", "person_of_session", "start_web_session", "web_session_seconds"]

#: Keys are ``secrets.token_urlsafe(32)`` (43 characters); anything much longer is not one.
_MAX_KEY_CHARS = 128


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def web_session_seconds(settings: Settings) -> int:
    """How long an SSO web chat login lasts at most (also the cookie's ``Max-Age``)."""
    return int(settings.oidc_session_hours * 3600)


def start_web_session(
    *, session: Session, settings: Settings, person_id: str, now: datetime | None = None
) -> str:
    """Start a web chat session for ``person_id``; return the key for its cookie."""
    now = now or utcnow()
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    key = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            key_hash=_key_hash(key), person_id=person_id, created_at=now,
            expires_at=now + timedelta(seconds=web_session_seconds(settings)),
        )
    )  # fmt: skip
    session.flush()
    return key


def person_of_session(
    *, session: Session, value: str | None, now: datetime | None = None
) -> str | None:
    """The person id of the live session whose key is ``value``, else None."""
    if not value or len(value) > _MAX_KEY_CHARS:
        return None
    found = session.scalars(
        select(WebSession).where(WebSession.key_hash == _key_hash(value))
    ).one_or_none()
    if found is None or found.revoked_at is not None:
        return None
    if as_utc(found.expires_at) <= (now or utcnow()):
        return None
    return found.person_id


def end_web_session(*, session: Session, value: str | None, now: datetime | None = None) -> bool:
    """Revoke the session whose key is ``value``; tell whether there was a live one."""
    if not value or len(value) > _MAX_KEY_CHARS:
        return False
    result = session.execute(
        update(WebSession)
        .where(WebSession.key_hash == _key_hash(value), WebSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return bool(getattr(result, "rowcount", 0))
