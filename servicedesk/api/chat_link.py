"""Linking Telegram to the web chat person: ask for a one-time code, see and end the link.

``POST /api/chat/link`` issues a code for the cookie's person (the page shows it with the
deep link ``https://t.me/<bot>?start=<code>``); the person sends it to the bot, which links
their Telegram user (see :mod:`servicedesk.linking`). ``GET`` tells what is linked and
``DELETE`` unlinks Telegram. The person is always the one of the identity cookie
(:data:`~servicedesk.api.web_identity.WebPersonDep`), never a value the caller sends.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from fastapi import APIRouter, Request, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from servicedesk.api.chat import WEB_CHANNEL, QuietValidationRoute
from servicedesk.api.deps import SettingsDep
from servicedesk.api.schemas import ChatLinkCode, ChatLinkedChannel, ChatLinks
from servicedesk.api.web_identity import WebPersonDep
from servicedesk.link_codes import issue_code
from servicedesk.linking import unlink_channel
from servicedesk.models import Requester, RequesterLink, as_utc
from servicedesk.requesters import find_requester, get_or_create_requester
from servicedesk.settings import Settings

router = APIRouter(prefix="/api/chat", tags=["chat"], route_class=QuietValidationRoute)

TELEGRAM: Literal["telegram"] = "telegram"


def _links(session: Session, person_id: str) -> ChatLinks:
    person = find_requester(session=session, channel=WEB_CHANNEL, external_id=person_id)
    if person is None:
        return ChatLinks()
    rows = session.execute(
        select(RequesterLink.linked_at)
        .join(Requester, Requester.id == RequesterLink.requester_id)
        .where(RequesterLink.person_id == person.id, Requester.channel == TELEGRAM)
        .order_by(RequesterLink.linked_at)
    ).all()
    return ChatLinks(
        linked=[ChatLinkedChannel(channel=TELEGRAM, linked_at=as_utc(at)) for (at,) in rows]
    )


def _read(factory: sessionmaker[Session], person_id: str) -> ChatLinks:
    with factory() as session:
        return _links(session, person_id)


def _issue(factory: sessionmaker[Session], settings: Settings, person_id: str) -> ChatLinkCode:
    with factory() as session:
        person = get_or_create_requester(
            session=session, channel=WEB_CHANNEL, external_id=person_id
        )
        ttl = timedelta(minutes=settings.link_code_minutes)
        issued = issue_code(session=session, person=person, ttl=ttl)
        session.commit()
    username = settings.telegram_bot_username
    return ChatLinkCode(
        code=issued.display,
        command=f"/start {issued.code}",
        deep_link=f"https://t.me/{username}?start={issued.code}" if username else None,
        expires_at=issued.expires_at,
        valid_minutes=round(settings.link_code_minutes),
    )


def _unlink(factory: sessionmaker[Session], person_id: str) -> ChatLinks:
    with factory() as session:
        person = find_requester(session=session, channel=WEB_CHANNEL, external_id=person_id)
        if person is not None:
            unlink_channel(session=session, person=person, channel=TELEGRAM)
            session.commit()
        return _links(session, person_id)


@router.get("/link", response_model=ChatLinks)
async def chat_links(http_request: Request, person: WebPersonDep) -> ChatLinks:
    """The channels linked to the cookie's person."""
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    return await run_in_threadpool(_read, factory, person.id)


@router.post("/link", response_model=ChatLinkCode, status_code=status.HTTP_201_CREATED)
async def chat_link_code(
    http_request: Request, person: WebPersonDep, settings: SettingsDep
) -> ChatLinkCode:
    """Issue a one-time code that links Telegram to the cookie's person.

    The code works once, for ``SERVICEDESK_LINK_CODE_MINUTES`` (10); a new code replaces
    the person's unused one. Only its hash is kept.
    """
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    return await run_in_threadpool(_issue, factory, settings, person.id)


@router.delete("/link", response_model=ChatLinks)
async def chat_unlink(http_request: Request, person: WebPersonDep) -> ChatLinks:
    """Unlink Telegram from the cookie's person; the Telegram chat is told."""
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    return await run_in_threadpool(_unlink, factory, person.id)
