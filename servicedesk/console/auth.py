"""Console sessions: an agent logs in with their token once and gets a signed cookie.

The cookie holds the agent id and a fingerprint of the agent's token hash, signed and
time-stamped with the desk's secret key; a new token or a deactivated agent ends every
session. State-changing requests made with the cookie must carry the session's CSRF
token in the ``X-CSRF-Token`` header (or a ``csrf`` form field).
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from servicedesk.models import Agent
from servicedesk.settings import Settings

COOKIE_NAME = "envagin_konsol"
CSRF_HEADER = "X-CSRF-Token"
SESSION_SECONDS = 12 * 3600
_SALT = "en-vag-in.console"


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt=_SALT)


def _fingerprint(agent: Agent) -> str:
    return agent.token_hash[:16]


def issue_cookie(settings: Settings, agent: Agent) -> str:
    """Return the signed cookie value for ``agent``."""
    return _serializer(settings).dumps({"a": agent.id, "t": _fingerprint(agent)})


def agent_from_cookie(session: Session, settings: Settings, value: str | None) -> Agent | None:
    """Return the active agent of a valid, unexpired cookie, else None."""
    if not value:
        return None
    try:
        data = _serializer(settings).loads(value, max_age=SESSION_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), int):
        return None
    agent = session.get(Agent, data["a"])
    if agent is None or not agent.active or data.get("t") != _fingerprint(agent):
        return None
    return agent


def agent_from_request(request: Request, session: Session, settings: Settings) -> Agent | None:
    """Return the agent logged in to the console by the request's cookie, else None."""
    return agent_from_cookie(session, settings, request.cookies.get(COOKIE_NAME))


def csrf_token(settings: Settings, cookie_value: str) -> str:
    """The CSRF token bound to one session cookie."""
    key = settings.secret_key.encode()
    return hmac.new(key, b"csrf:" + cookie_value.encode(), hashlib.sha256).hexdigest()


def csrf_ok(settings: Settings, cookie_value: str, presented: str | None) -> bool:
    """Tell whether ``presented`` is the CSRF token of ``cookie_value``."""
    return bool(presented) and hmac.compare_digest(
        csrf_token(settings, cookie_value), presented or ""
    )


def cookie_secure(settings: Settings) -> bool:
    """Whether the cookie is sent over HTTPS only (default: in production)."""
    if settings.cookie_secure is not None:
        return settings.cookie_secure
    return settings.environment == "production"
