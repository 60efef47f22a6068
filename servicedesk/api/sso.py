"""Single sign-on with OpenID Connect (Authlib): login, callback and logout for both doors.

Authorization Code flow with PKCE (S256), ``state`` and ``nonce``; the ID token's signature
(JWKS from the provider's discovery document), issuer, audience, expiry and nonce are checked
by Authlib. The flow's short-lived data (state, nonce, code verifier, where to go after) lives
in a signed cookie limited to ``/auth``. A refused login stores nothing and shows a Swedish page.

* Web chat: ``/auth/logga-in?next=/`` → provider → ``/auth/callback`` → a server-side web
  session (:mod:`servicedesk.web_sessions`) for the person the provider vouched for.
* Console: ``/auth/logga-in?till=konsol`` → … → a console session for the agent the
  provider's groups make (:func:`servicedesk.sso.provision_agent`); no mapped group: refused.
* Logout ends the local session, then the provider's (``end_session_endpoint``) if it has one.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import warnings
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, FastAPI, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from joserfc import errors as jose_errors
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.sessions import SessionMiddleware

from servicedesk.api.deps import SettingsDep
from servicedesk.api.notices import ACCESSIBILITY_PATH, PRIVACY_PATH
from servicedesk.api.web_identity import SSO_COOKIE_NAME
from servicedesk.console import auth as console_auth
from servicedesk.settings import Settings
from servicedesk.sso import SsoIdentity, agent_grant, identity_from_claims, provision_agent
from servicedesk.sso import update_requester as update_sso_requester
from servicedesk.web_sessions import end_web_session, start_web_session, web_session_seconds

with warnings.catch_warnings():
    # Authlib 1.9 would rather use the httpx2 fork; the desk stays on httpx, which Authlib
    # still supports (and the desk's error handling below is written for).
    import authlib.deprecate  # noqa: F401 - its import turns its warnings on; then one goes off

    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.starlette_client import OAuth, OAuthError

__all__ = ["install", "logged_out_page", "router"]

log = logging.getLogger(__name__)

CALLBACK_PATH = "/auth/callback"
LOGGED_OUT_PATH = "/auth/utloggad"
STATE_COOKIE = "envagin_inloggning"
_CONSOLE = "konsol"
_TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "notice_templates"))
_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)
_HEADERS = {"Content-Security-Policy": _CSP, "Cache-Control": "no-store"}
_HOME_LINKS = [("/", "Till chatten"), ("/konsol", "Till konsolen")]
_AGAIN = "Försök logga in igen. Händer det igen, kontakta servicedesken."

router = APIRouter(tags=["sign-in"], include_in_schema=False)


def install(app: FastAPI, settings: Settings) -> None:
    """Register the provider with Authlib and the flow's cookie, when single sign-on is on."""
    if not settings.oidc_enabled:
        return
    issuer = (settings.oidc_issuer or "").rstrip("/")
    discovery = settings.oidc_discovery_url or f"{issuer}/.well-known/openid-configuration"
    secret = settings.oidc_client_secret
    oauth = OAuth()
    app.state.oidc = oauth.register(
        "provider",
        client_id=settings.oidc_client_id,
        client_secret=secret.get_secret_value() if secret else None,
        server_metadata_url=discovery,
        client_kwargs={
            "scope": settings.oidc_scopes,
            "code_challenge_method": "S256",
            "timeout": settings.http_timeout_seconds,
        },
    )
    # Its own key: these cookies can never pass for anything else signed with the secret key.
    state_key = hmac.new(settings.secret_key.encode(), b"oidc-state", hashlib.sha256).hexdigest()
    app.add_middleware(
        SessionMiddleware, secret_key=state_key, session_cookie=STATE_COOKIE, max_age=900,
        path="/auth", same_site="lax", https_only=console_auth.cookie_secure(settings),
    )  # fmt: skip


def _client(request: Request) -> Any:
    client = getattr(request.app.state, "oidc", None)
    if client is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, detail="Inloggning via organisationskonto används inte här."
        )
    return client


def _base_url(request: Request, settings: Settings) -> str:
    return (settings.oidc_redirect_base_url or str(request.base_url)).rstrip("/")


def _page(
    request: Request,
    title: str,
    paragraphs: list[str],
    code: int = 200,
    links: list[tuple[str, str]] | None = None,
    refresh: str | None = None,
) -> HTMLResponse:
    context = {
        "title": title, "paragraphs": paragraphs, "refused": code >= 400, "refresh": refresh,
        "links": _HOME_LINKS if links is None else links,
        "privacy_path": PRIVACY_PATH, "accessibility_path": ACCESSIBILITY_PATH,
    }  # fmt: skip
    return _TEMPLATES.TemplateResponse(
        request, "inloggning.html", context, status_code=code, headers=_HEADERS
    )


def _refused(
    request: Request, reason: str, code: int = status.HTTP_401_UNAUTHORIZED
) -> HTMLResponse:
    return _page(request, "Inloggningen godkändes inte", [reason, _AGAIN], code)


def _safe_next(target: str | None, purpose: str) -> str:
    # Only paths of the desk itself, never an absolute URL (open redirect).
    home = "/konsol" if purpose == _CONSOLE else "/"
    if not target or not target.startswith(home) or "//" in target or "\\" in target:
        return home
    return target


@router.get("/auth/logga-in")
async def sign_in(
    request: Request,
    settings: SettingsDep,
    next_: Annotated[str | None, Query(alias="next", max_length=500)] = None,
    till: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """Send the browser to the provider (Authorization Code with PKCE, state and nonce)."""
    client = _client(request)
    purpose = _CONSOLE if till == _CONSOLE else "chatt"
    redirect_uri = _base_url(request, settings) + CALLBACK_PATH
    try:
        metadata = await client.load_server_metadata()
        issuer = str(metadata.get("issuer", "")).rstrip("/")
        if issuer != (settings.oidc_issuer or "").rstrip("/"):
            log.error(
                "the provider's metadata names issuer %r, configured %r",
                issuer,
                settings.oidc_issuer,
            )
            return _refused(request, "Inloggningstjänsten är fel inställd.", 502)
        found = await client.create_authorization_url(redirect_uri)
    except (httpx.HTTPError, ValueError, RuntimeError) as exc:
        log.warning("the identity provider cannot be reached: %s", exc)
        return _page(
            request, "Inloggningen går inte att nå just nu",
            ["Organisationens inloggningstjänst svarar inte. Försök igen om en stund."], 503,
        )  # fmt: skip
    await client.save_authorize_data(
        request, redirect_uri=redirect_uri, purpose=purpose,
        next=_safe_next(next_, purpose), **found,
    )  # fmt: skip
    return RedirectResponse(found["url"], status.HTTP_302_FOUND)


def _token_problem(exc: Exception) -> str:
    """A Swedish reason for a refused ID token (the precise one goes to the log)."""
    if isinstance(exc, jose_errors.ExpiredTokenError):
        return "Inloggningsbeviset från organisationens inloggningstjänst hade redan gått ut."
    if isinstance(exc, jose_errors.ClaimError) and exc.claim in ("aud", "azp"):
        return "Inloggningsbeviset var utfärdat för en annan tjänst än servicedesken."
    if isinstance(exc, jose_errors.InvalidClaimError) and exc.claim == "iss":
        return "Inloggningsbeviset kom inte från organisationens inloggningstjänst."
    if isinstance(exc, jose_errors.BadSignatureError | jose_errors.InvalidKeyIdError):
        return "Inloggningsbeviset hade ingen giltig underskrift."
    return "Inloggningsbeviset från organisationens inloggningstjänst var inte giltigt."


@router.get(CALLBACK_PATH)
async def callback(request: Request, settings: SettingsDep) -> Response:
    """Check the provider's answer and start the person's (or agent's) session."""
    client = _client(request)
    state = request.query_params.get("state") or ""
    data = await client.framework.get_state_data(request.session, state) if state else None
    if not data:
        return _refused(
            request, "Inloggningen hade gått ut eller påbörjades i en annan webbläsare.", 400
        )
    purpose, target = str(data.get("purpose")), str(data.get("next") or "/")
    try:
        token = await client.authorize_access_token(
            request, leeway=settings.oidc_clock_skew_seconds
        )
    except OAuthError as exc:
        log.warning("sign-in refused by the provider or the flow: %s", exc.error)
        return _refused(request, "Organisationens inloggningstjänst godkände inte inloggningen.")
    except jose_errors.JoseError as exc:
        log.warning("ID token refused: %s", exc)
        return _refused(request, _token_problem(exc))
    except httpx.HTTPError as exc:
        log.warning("the identity provider cannot be reached: %s", exc)
        return _refused(request, "Organisationens inloggningstjänst svarar inte.", 502)
    claims = token.get("userinfo")
    try:
        identity = identity_from_claims(claims or {}, settings)
    except ValueError as exc:
        log.warning("ID token refused: %s", exc)
        return _refused(request, _token_problem(exc))
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    if purpose == _CONSOLE:
        return await _console_login(request, settings, factory, identity, target)
    key = await run_in_threadpool(_start_chat, factory, settings, identity)
    response = RedirectResponse(target, status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        SSO_COOKIE_NAME, key, max_age=web_session_seconds(settings), path="/", httponly=True,
        samesite="lax", secure=console_auth.cookie_secure(settings, request),
    )  # fmt: skip
    return response


def _start_chat(factory: sessionmaker[Session], settings: Settings, identity: SsoIdentity) -> str:
    with factory() as session:
        update_sso_requester(session=session, settings=settings, identity=identity)
        key = start_web_session(session=session, settings=settings, person_id=identity.subject)
        session.commit()
        return key


def _start_console(
    factory: sessionmaker[Session], settings: Settings, identity: SsoIdentity, old: str | None
) -> str | None:
    grant = agent_grant(identity, settings)
    if grant is None:
        return None
    with factory() as session:
        agent = provision_agent(session=session, identity=identity, grant=grant)
        console_auth.end_session(session=session, value=old)
        key = console_auth.start_session(session=session, settings=settings, agent=agent)
        session.commit()
        return key


async def _console_login(
    request: Request,
    settings: Settings,
    factory: sessionmaker[Session],
    identity: SsoIdentity,
    target: str,
) -> Response:
    old = request.cookies.get(console_auth.COOKIE_NAME)
    key = await run_in_threadpool(_start_console, factory, settings, identity, old)
    if key is None:
        log.info("console sign-in refused: no mapped group among %d groups", len(identity.groups))
        return _page(
            request, "Du har inte tillgång till konsolen",
            ["Ditt organisationskonto hör inte till någon grupp som har tillgång till "
             "servicedeskens konsol.",
             "Behöver du arbeta i konsolen, be din chef eller IT-avdelningen att lägga till dig "
             "i rätt grupp."], status.HTTP_403_FORBIDDEN, links=[("/", "Till chatten")],
        )  # fmt: skip
    # The console cookie is SameSite=Strict, so it is not sent on the rest of a redirect
    # chain that began at the provider: this page goes on from the desk's own site.
    response = _page(
        request, "Du är inloggad", ["Konsolen öppnas …"], links=[(target, "Öppna konsolen")],
        refresh=target,
    )  # fmt: skip
    response.set_cookie(
        console_auth.COOKIE_NAME, key, max_age=console_auth.session_seconds(settings),
        path="/", httponly=True, samesite="strict",
        secure=console_auth.cookie_secure(settings, request),
    )  # fmt: skip
    return response


async def _provider_logout(request: Request, settings: Settings) -> str | None:
    """The provider's end-session URL for this desk, or None when it has none."""
    client = getattr(request.app.state, "oidc", None)
    if client is None:
        return None
    try:
        metadata = await client.load_server_metadata()
    except (httpx.HTTPError, ValueError, RuntimeError) as exc:
        log.warning("the identity provider cannot be reached for logout: %s", exc)
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode(
        {
            "client_id": settings.oidc_client_id,
            "post_logout_redirect_uri": _base_url(request, settings) + LOGGED_OUT_PATH,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


async def logged_out_page(request: Request, settings: Settings) -> HTMLResponse:
    """The answer to a logout whose local session has ended: on to the provider's logout.

    A page that goes on by itself rather than a redirect: the console's form may post only
    to the desk (CSP ``form-action 'self'``), which a browser also applies to redirects.
    """
    provider = await _provider_logout(request, settings)
    if provider is None:
        return signed_out(request)
    return _page(
        request, "Du loggas ut",
        ["Du är utloggad från servicedesken. Nu loggas du ut från organisationskontot också …"],
        links=[(provider, "Logga ut från organisationskontot")], refresh=provider,
    )  # fmt: skip


def _end_chat(factory: sessionmaker[Session], value: str | None) -> None:
    with factory() as session:
        end_web_session(session=session, value=value)
        session.commit()


@router.post("/auth/logga-ut")
async def sign_out(request: Request, settings: SettingsDep) -> Response:
    """End the web chat session here (a copied cookie is worthless after), then at the provider."""
    _client(request)
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    await run_in_threadpool(_end_chat, factory, request.cookies.get(SSO_COOKIE_NAME))
    response = await logged_out_page(request, settings)
    response.delete_cookie(
        SSO_COOKIE_NAME, path="/", httponly=True, samesite="lax",
        secure=console_auth.cookie_secure(settings, request),
    )  # fmt: skip
    return response


@router.get(LOGGED_OUT_PATH)
def signed_out(request: Request) -> HTMLResponse:
    """The page the provider sends the browser back to after logout."""
    return _page(
        request, "Du är utloggad",
        ["Du är utloggad från servicedesken. Stäng gärna webbläsaren om du delar dator med "
         "andra."],
        links=[("/", "Logga in i chatten igen"), ("/konsol", "Logga in i konsolen igen")],
    )  # fmt: skip
