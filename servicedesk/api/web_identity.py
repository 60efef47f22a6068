"""Who a web chat visitor is: a random person id the desk issues in a signed cookie.

The page never chooses an id. On the first request without a valid cookie the desk makes a
random id and sends it back in an HttpOnly, ``SameSite=Lax`` cookie signed with
``SERVICEDESK_SECRET_KEY`` (itsdangerous); ``Secure`` in production, behind HTTPS or when
``SERVICEDESK_COOKIE_SECURE`` says so. A cookie whose signature does not hold (forged,
tampered with, or signed with an old key) is treated as no cookie: the caller gets a fresh
id, never someone else's. Every chat route takes the person from :data:`WebPersonDep`, so
a ``sender`` in a request body or query is not read at all.

With single sign-on on (``SERVICEDESK_OIDC_ENABLED``) the desk issues no random ids: the
person is the one the identity provider vouched for at login (:mod:`servicedesk.sso`), kept
in a server-side session (:mod:`servicedesk.web_sessions`) whose random key is the cookie
``envagin_chatt_sso``; without a live session the chat routes answer 401.

The cookie is written by :class:`IssueWebIdentity` when the response starts, so it also
reaches the page with an error answer (a 503 while Rasa is down), and the person keeps the
id the desk has already filed them under.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from itsdangerous import BadSignature, Signer
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicedesk.api.deps import SettingsDep
from servicedesk.console.auth import cookie_secure
from servicedesk.settings import Settings
from servicedesk.web_sessions import person_of_session

__all__ = [
    "COOKIE_NAME",
    "SSO_COOKIE_NAME",
    "IssueWebIdentity",
    "WebPerson",
    "WebPersonDep",
    "cookie_value",
    "issue_cookie",
    "new_person_id",
    "person_from_cookie",
    "signed_in_person",
    "web_person",
]

COOKIE_NAME = "envagin_chatt"
#: With single sign-on: the random key of the person's server-side web chat session.
SSO_COOKIE_NAME = "envagin_chatt_sso"
SIGN_IN_AGAIN = "Du är inte inloggad längre. Ladda om sidan för att logga in igen."
#: Keeps these signatures apart from anything else signed with the same secret key.
_SALT = "envagin.webchat.person"
#: The scope key through which a route asks :class:`IssueWebIdentity` to set the cookie.
_SCOPE_KEY = "envagin.web_identity_cookie"
_PERSON_ID = re.compile(r"^[0-9a-f]{32}$")
#: A signed id is 32 + 1 + 43 characters; anything much longer is not one of ours.
_MAX_COOKIE_CHARS = 200


@dataclass(frozen=True)
class WebPerson:
    """The web chat person of one request; ``new`` when the id was issued just now."""

    id: str
    new: bool = False


def new_person_id() -> str:
    """A fresh random person id (128 bits, hex)."""
    return secrets.token_hex(16)


def _signer(secret_key: str) -> Signer:
    return Signer(secret_key, salt=_SALT, digest_method=hashlib.sha256)


def cookie_value(secret_key: str, person_id: str) -> str:
    """The cookie value that names ``person_id``, signed with the desk's ``secret_key``."""
    return _signer(secret_key).sign(person_id).decode("ascii")


def person_from_cookie(secret_key: str, value: str | None) -> str | None:
    """The person id a cookie value names, or None when it is missing or not signed by us."""
    if not value or len(value) > _MAX_COOKIE_CHARS:
        return None
    try:
        person_id = _signer(secret_key).unsign(value.encode("utf-8", "surrogateescape"))
    except BadSignature:
        return None
    found = person_id.decode("ascii", "replace")
    if not _PERSON_ID.match(found):
        return None
    # Only the one encoding we issue: base64 lets the last character of the signature
    # differ in bits it does not use, and such a "tampered" value must name nobody.
    return found if hmac.compare_digest(value, cookie_value(secret_key, found)) else None


def issue_cookie(request: Request, settings: Settings, person_id: str) -> None:
    """Have the response set (or renew) the identity cookie of ``person_id``."""
    carrier = Response()
    carrier.set_cookie(
        COOKIE_NAME,
        cookie_value(settings.secret_key, person_id),
        max_age=int(settings.web_identity_days * 86400),
        path="/",
        httponly=True,
        samesite="lax",
        secure=cookie_secure(settings, request),
    )
    header = carrier.headers["set-cookie"]
    holder = request.scope.get(_SCOPE_KEY)
    if isinstance(holder, list):
        holder[:] = [header]


def signed_in_person(request: Request) -> str | None:
    """With single sign-on: the person id of the request's live web chat session, else None."""
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    with factory() as session:
        return person_of_session(session=session, value=request.cookies.get(SSO_COOKIE_NAME))


def web_person(request: Request, settings: SettingsDep) -> WebPerson:
    """The person the request's identity cookie names; a new one (and cookie) without it.

    With single sign-on the person of the live SSO session, and 401 without one.
    """
    if settings.oidc_enabled:
        signed_in = signed_in_person(request)
        if signed_in is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=SIGN_IN_AGAIN)
        return WebPerson(id=signed_in)
    found = person_from_cookie(settings.secret_key, request.cookies.get(COOKIE_NAME))
    if found is not None:
        return WebPerson(id=found)
    person = WebPerson(id=new_person_id(), new=True)
    issue_cookie(request, settings, person.id)
    return person


WebPersonDep = Annotated[WebPerson, Depends(web_person)]


class IssueWebIdentity:
    """ASGI middleware writing the identity cookie a route asked for, whatever its answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        holder: list[str] = []
        scope[_SCOPE_KEY] = holder

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and holder:
                MutableHeaders(scope=message).append("set-cookie", holder[0])
            await send(message)

        await self.app(scope, receive, send_with_cookie)
