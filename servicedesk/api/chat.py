"""Web chat relay: the page posts here and the desk forwards to Rasa's REST channel.

While a desk agent has taken over the person's conversation the message goes to the
ticket thread instead and the bot stays silent; what the desk sends to the person is
picked up by the page from ``GET /api/chat/messages`` (see :mod:`servicedesk.relay`).
"""

from __future__ import annotations

import logging
from typing import Annotated

import httpx
from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from servicedesk import relay
from servicedesk.api.deps import SettingsDep
from servicedesk.api.schemas import (
    ChatButton,
    ChatMessage,
    ChatPushed,
    ChatRequest,
    DepartmentPublic,
)
from servicedesk.models import Department
from servicedesk.rasa_rest import RasaUnavailableError, send_message
from servicedesk.requesters import find_requester, get_or_create_requester
from servicedesk.settings import Settings

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["chat"])

WEB_CHANNEL = "web"
UNAVAILABLE_DETAIL = "Assistenten går inte att nå just nu. Försök igen om en liten stund."


async def relay_to_rasa(*, settings: Settings, sender: str, message: str) -> list[ChatMessage]:
    """Send one web chat message to Rasa's relay channel and return the bot's replies.

    Raises:
        RasaUnavailableError: Rasa is down, too slow, or answered with an error.
    """
    async with httpx.AsyncClient(timeout=settings.http_timeout_seconds) as client:
        replies = await send_message(
            client=client, rasa_url=settings.rasa_url, secret=settings.relay_secret,
            channel=WEB_CHANNEL, external_id=sender, message=message,
        )  # fmt: skip
    return [ChatMessage(text=r.text, buttons=[ChatButton(**b) for b in r.buttons]) for r in replies]


class UnknownDepartmentError(ValueError):
    """The page sent a förvaltning code that is not in the departments table."""


def _route(factory: sessionmaker[Session], request: ChatRequest) -> relay.InboundRoute:
    with factory() as session:
        requester = get_or_create_requester(
            session=session, channel=WEB_CHANNEL, external_id=request.sender
        )
        if request.department:
            department = session.get(Department, request.department)
            if department is None or not department.active:
                raise UnknownDepartmentError(request.department)
            requester.department_code = department.code
        if request.name:
            requester.name = request.name
        route = relay.route_inbound(session=session, requester=requester, text=request.message)
        session.commit()
        return route


def _pickup(factory: sessionmaker[Session], sender: str, after: int) -> list[ChatPushed]:
    with factory() as session:
        requester = find_requester(session=session, channel=WEB_CHANNEL, external_id=sender)
        if requester is None:
            return []
        found = relay.pickup_for_requester(session=session, requester=requester, after_id=after)
        pushed = [
            ChatPushed(
                id=m.id,
                author=m.author,
                at=m.created_at,
                text=m.text,
                buttons=[
                    ChatButton(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
                    for b in m.buttons or []
                ],
            )
            for m in found
        ]
        session.commit()
        return pushed


@router.post(
    "/chat",
    response_model=list[ChatMessage],
    responses={503: {"description": "Rasa could not be reached"}},
)
async def chat(
    request: ChatRequest, settings: SettingsDep, http_request: Request, response: Response
) -> list[ChatMessage]:
    """Relay a web chat message to Rasa and return its replies.

    While the desk holds the conversation the message is stored in the ticket thread and
    the answer is an empty list: the agent's reply arrives through ``/api/chat/messages``.
    """
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    try:
        route = await run_in_threadpool(_route, factory, request)
    except UnknownDepartmentError as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=[{"loc": ["body", "department"], "type": "value_error",
                     "msg": f"Unknown förvaltning code {exc.args[0]!r}"}],
        ) from exc  # fmt: skip
    if not route.to_bot:
        response.headers["X-Handled-By"] = "desk"
        return []
    try:
        return await relay_to_rasa(
            settings=settings, sender=request.sender, message=request.message
        )
    except RasaUnavailableError as exc:
        logger.warning("%s", exc)
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=UNAVAILABLE_DETAIL) from exc


def _departments(factory: sessionmaker[Session]) -> list[DepartmentPublic]:
    with factory() as session:
        found = session.scalars(
            select(Department).where(Department.active.is_(True)).order_by(Department.name)
        )
        return [DepartmentPublic.model_validate(d) for d in found]


@router.get("/chat/departments", response_model=list[DepartmentPublic])
async def chat_departments(http_request: Request) -> list[DepartmentPublic]:
    """The förvaltningar the web chat lets a person choose from."""
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    return await run_in_threadpool(_departments, factory)


@router.get("/chat/messages", response_model=list[ChatPushed])
async def chat_messages(
    http_request: Request,
    sender: Annotated[str, Query(min_length=1, max_length=200)],
    after: Annotated[int, Query(ge=0)] = 0,
) -> list[ChatPushed]:
    """Messages the desk sent to this web chat sender after message id ``after``.

    Agent replies, hand-back and status notices, feedback invitations. The page polls
    this; a message is marked delivered when it has been handed out.
    """
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    return await run_in_threadpool(_pickup, factory, sender, after)
