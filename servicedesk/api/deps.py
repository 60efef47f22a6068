"""Dependencies shared by the routers, declared once as ``Annotated`` aliases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from servicedesk.agents import authenticate
from servicedesk.console import auth as console_auth
from servicedesk.models import Agent
from servicedesk.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="Agent token from `create-agent`.")


def get_app_settings(request: Request) -> Settings:
    """Return the settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """Yield a session for one request; commit on success, roll back on error."""
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
# scope="function": the commit runs before the response is sent, so what a person or an
# agent is redirected to (or polls next) already sees the change, and a failed commit is an
# error answer rather than a silent loss after a success was sent.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_current_agent(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Agent:
    """Return the active agent of the bearer token (or console cookie), or answer 401.

    A console cookie on a state-changing request also needs its CSRF token (403 without).
    """
    if credentials is None:
        settings = get_app_settings(request)
        cookie = request.cookies.get(console_auth.COOKIE_NAME)
        agent = console_auth.agent_from_cookie(session, settings, cookie)
        if agent is not None and cookie is not None:
            if request.method not in _SAFE_METHODS and not console_auth.csrf_ok(
                settings, cookie, request.headers.get(console_auth.CSRF_HEADER)
            ):
                raise HTTPException(
                    status.HTTP_403_FORBIDDEN,
                    detail="Sidan är för gammal. Ladda om den och försök igen.",
                )
            return agent
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="Inloggning krävs.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    agent = authenticate(session=session, token=credentials.credentials)
    if agent is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="Ogiltig eller okänd inloggningsnyckel.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return agent


CurrentAgent = Annotated[Agent, Depends(get_current_agent)]
