"""Web chat relay: the page posts here and the desk forwards to Rasa's REST channel.

While a desk agent has taken over the person's conversation the message goes to the
ticket thread instead and the bot stays silent; what the desk sends to the person is
picked up by the page from ``GET /api/chat/messages`` (see :mod:`servicedesk.relay`).

After a reload the page restores the conversation from ``GET /api/chat/history`` (Rasa's
tracker merged with the desk's messages), and "Börja om" (``POST /api/chat/restart``)
restarts the bot's conversation for the same person, who keeps their tickets.

Who the person is comes only from the desk's signed identity cookie
(:mod:`servicedesk.api.web_identity`); no route reads a sender from the caller.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from servicedesk import outbox_signal, relay
from servicedesk.api.deps import SettingsDep
from servicedesk.api.schemas import (
    MAX_CHAT_MESSAGE_CHARS,
    MAX_DB_INT,
    ChatButton,
    ChatHistory,
    ChatHistoryEntry,
    ChatMessage,
    ChatPushed,
    ChatRequest,
)
from servicedesk.api.web_identity import WebPersonDep
from servicedesk.conversations import conversation_id
from servicedesk.http_client import shared_client
from servicedesk.models import DeliveryState, Message, MessageDirection, as_utc
from servicedesk.privacy import NOTICE, claim_notice, forget_notice
from servicedesk.privacy.field_crypto import field_cipher
from servicedesk.privacy.sensitive import protect_inbound
from servicedesk.rasa_rest import (
    RESTART_COMMAND,
    RasaConversation,
    RasaUnavailableError,
    fetch_conversation,
    send_message,
)
from servicedesk.requesters import find_requester, get_or_create_requester
from servicedesk.settings import Settings

logger = logging.getLogger(__name__)

WEB_CHANNEL = "web"
UNAVAILABLE_DETAIL = "Assistenten går inte att nå just nu. Försök igen om en liten stund."
HISTORY_UNAVAILABLE_DETAIL = (
    "Den tidigare konversationen går inte att hämta just nu. Du kan fortsätta skriva som vanligt."
)
_LIMIT = f"{MAX_CHAT_MESSAGE_CHARS:,}".replace(",", " ")  # Swedish digit grouping: 2 000
TOO_LONG_DETAIL = f"Meddelandet är för långt (högst {_LIMIT} tecken)."


def _quiet_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Validation errors without the ``input`` FastAPI would echo back.

    What the person wrote stays out of error responses (a message of 50 000 characters is
    not sent back to them), and an over-long message gets a short reason with the limit.
    """
    quiet = []
    for error in errors:
        item = {k: v for k, v in dict(error).items() if k != "input"}
        loc = item.get("loc") or ()
        if item.get("type") == "string_too_long" and tuple(loc)[-1:] == ("message",):
            item["msg"] = TOO_LONG_DETAIL
        quiet.append(item)
    return quiet


class QuietValidationRoute(APIRoute):
    """An API route whose 422 answers leave out the rejected input (see :func:`_quiet_errors`)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                raise RequestValidationError(_quiet_errors(exc.errors())) from None

        return handle


router = APIRouter(prefix="/api", tags=["chat"], route_class=QuietValidationRoute)


async def relay_to_rasa(
    *, settings: Settings, sender: str, message: str, message_id: str | None = None
) -> list[ChatMessage]:
    """Send one web chat message to Rasa's relay channel and return the bot's replies.

    Raises:
        RasaUnavailableError: Rasa is down, too slow, or answered with an error.
    """
    replies = await send_message(
        client=shared_client(), rasa_url=settings.rasa_url, secret=settings.relay_secret,
        channel=WEB_CHANNEL, external_id=sender, message=message, message_id=message_id,
        timeout=settings.rasa_turn_timeout_seconds,
    )  # fmt: skip
    return [ChatMessage(text=r.text, buttons=[ChatButton(**b) for b in r.buttons]) for r in replies]


SLOW_TEXT = "Jag jobbar på det … svaret kommer här så snart det är klart."
#: Told later when a slow turn could not be finished (Rasa went down meanwhile).
SLOW_FAILED_TEXT = (
    "Jag kunde tyvärr inte avsluta det jag arbetade med, eftersom assistenten inte gick att "
    "nå. Skriv ditt senaste meddelande igen om en liten stund – en beställning skickas "
    "aldrig två gånger."
)
#: Turns in flight or recently answered, by (sender, message id): a retry joins the first.
_registries: dict[int, dict[tuple[str, str], asyncio.Task[list[ChatMessage]]]] = {}


def _turn_registry() -> dict[tuple[str, str], asyncio.Task[list[ChatMessage]]]:
    """The turns of this event loop (a second app in the same process gets its own)."""
    return _registries.setdefault(id(asyncio.get_running_loop()), {})


_TURN_MEMORY_SECONDS = 600.0


def _forget_later(key: tuple[str, str]) -> None:
    loop = asyncio.get_running_loop()
    loop.call_later(_TURN_MEMORY_SECONDS, _turn_registry().pop, key, None)


def _deliver_late(factory: sessionmaker[Session], sender: str, turn_id: str,
                  replies: list[ChatMessage]) -> None:  # fmt: skip
    """Queue the answer of a turn the page stopped waiting for (picked up by its polling)."""
    with factory() as session:
        requester = find_requester(session=session, channel=WEB_CHANNEL, external_id=sender)
        if requester is None:
            return
        for index, reply in enumerate(replies):
            relay.enqueue_outbound(
                session=session, requester=requester, author="bot", text=reply.text,
                buttons=[b.model_dump() for b in reply.buttons],
                dedupe_key=f"late:{sender}:{turn_id}:{index}",
            )  # fmt: skip
        session.commit()


def _start_turn(settings: Settings, sender: str, request: ChatRequest
                ) -> asyncio.Task[list[ChatMessage]]:  # fmt: skip
    key = (sender, request.message_id) if request.message_id else None
    turns = _turn_registry()
    if key is not None and key in turns:
        return turns[key]
    task = asyncio.ensure_future(
        relay_to_rasa(
            settings=settings, sender=sender, message=request.message,
            message_id=request.message_id,
        )
    )  # fmt: skip
    if key is not None:
        turns[key] = task
        _forget_later(key)
    return task


def _when_done_deliver(task: asyncio.Task[list[ChatMessage]], factory: sessionmaker[Session],
                       sender: str, turn_id: str) -> None:  # fmt: skip
    def done(finished: asyncio.Task[list[ChatMessage]]) -> None:
        loop = asyncio.get_running_loop()
        if finished.cancelled() or finished.exception() is not None:
            # The person was told "Jag jobbar på det"; silence now would be a lost answer.
            error = None if finished.cancelled() else finished.exception()
            logger.warning("a slow turn failed: %r", error)
            failed = [ChatMessage(text=SLOW_FAILED_TEXT, buttons=[])]
            loop.run_in_executor(None, _deliver_late, factory, sender, turn_id, failed)
            return
        loop.run_in_executor(None, _deliver_late, factory, sender, turn_id, finished.result())

    task.add_done_callback(done)


def _route(
    factory: sessionmaker[Session], settings: Settings, sender: str, text: str
) -> tuple[relay.InboundRoute, bool, str]:
    """Where the message goes, whether to tell the person of a removal, and the text to use.

    A personnummer is masked before anything is stored, or kept encrypted when it answers a
    personnummer field the bot just asked (:mod:`servicedesk.privacy.sensitive`).
    """
    with factory() as session:
        requester = get_or_create_requester(
            session=session, channel=WEB_CHANNEL, external_id=sender
        )
        held = relay.active_takeover(session=session, requester=requester) is not None
        protected = protect_inbound(
            session=session, conversation_id=conversation_id(WEB_CHANNEL, sender), text=text,
            cipher=field_cipher(settings.field_key.get_secret_value()), may_capture=not held,
        )  # fmt: skip
        route = relay.route_inbound(session=session, requester=requester, text=protected.text)
        notify = protected.masked > 0 and claim_notice(session=session, requester=requester)
        session.commit()
        return route, notify, protected.text


def _forget_notice(factory: sessionmaker[Session], sender: str) -> None:
    with factory() as session:
        requester = find_requester(session=session, channel=WEB_CHANNEL, external_id=sender)
        if requester is not None:
            forget_notice(session=session, requester=requester)
            session.commit()


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
    request: ChatRequest,
    person: WebPersonDep,
    settings: SettingsDep,
    http_request: Request,
    response: Response,
) -> list[ChatMessage]:
    """Relay a web chat message of the cookie's person to Rasa and return its replies.

    A caller without a valid identity cookie gets a new person (and the cookie). While the
    desk holds the conversation the message is stored in the ticket thread and the answer
    is an empty list: the agent's reply arrives through ``/api/chat/messages``.

    A personnummer is masked before the message is stored or sent on; the first time in a
    conversation the answer starts with a notice that it was removed. The answer to a
    personnummer field is kept encrypted instead, and the bot gets a placeholder.
    """
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    route, notify, text = await run_in_threadpool(
        _route, factory, settings, person.id, request.message
    )
    if text != request.message:
        request = request.model_copy(update={"message": text})
    notice = [ChatMessage(text=NOTICE, buttons=[])] if notify else []
    if not route.to_bot:
        response.headers["X-Handled-By"] = "desk"
        return notice
    task = _start_turn(settings, person.id, request)
    try:
        return notice + await asyncio.wait_for(
            asyncio.shield(task), timeout=settings.chat_reply_wait_seconds
        )
    except TimeoutError:
        # Slow, not lost: the turn goes on and its answer comes through the outbox. A retry
        # with the same message id joins this turn instead of running it again.
        _when_done_deliver(task, factory, person.id, request.message_id or uuid.uuid4().hex)
        response.headers["X-Turn-Pending"] = "1"
        return [*notice, ChatMessage(text=SLOW_TEXT, buttons=[])]
    except RasaUnavailableError as exc:
        logger.warning("%s", exc)
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=UNAVAILABLE_DETAIL) from exc


#: How long one event stream lasts before the browser reconnects (with Last-Event-ID).
STREAM_SECONDS = 300.0
#: How often a stream looks in the database for messages another process wrote.
STREAM_CHECK_SECONDS = 10.0


def _stream_start(after: int, last_event_id: str | None) -> int:
    if last_event_id and last_event_id.isdigit() and len(last_event_id) <= 18:
        return max(after, min(int(last_event_id), MAX_DB_INT))
    return after


@router.get(
    "/chat/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def chat_stream(
    http_request: Request,
    person: WebPersonDep,
    after: Annotated[int, Query(ge=0, le=MAX_DB_INT)] = 0,
    last_event_id: Annotated[str | None, Header(max_length=40)] = None,
) -> StreamingResponse:
    """Server-sent events: the desk's messages to the cookie's person as they come.

    Each message is one ``message`` event whose ``id`` is the message id, so a browser that
    reconnects (``EventSource`` does so by itself, sending ``Last-Event-ID``) gets exactly
    what came after the last one it saw: nothing lost, nothing twice. A message committed
    in this process wakes the stream at once; messages from other processes are found
    within :data:`STREAM_CHECK_SECONDS`. The stream ends after :data:`STREAM_SECONDS` and
    the browser reconnects. ``GET /api/chat/messages`` (polling) stays as the fallback.
    """
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    start = _stream_start(after, last_event_id)

    async def events() -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STREAM_SECONDS
        last = start
        yield "retry: 3000\n\n"
        while loop.time() < deadline and not await http_request.is_disconnected():
            with outbox_signal.subscribe(WEB_CHANNEL, person.id) as news:
                found = await run_in_threadpool(_pickup, factory, person.id, last)
                for message in found:
                    last = max(last, message.id)
                    yield f"id: {message.id}\nevent: message\ndata: {message.model_dump_json()}\n\n"
                if found:
                    continue
                try:
                    await asyncio.wait_for(news.event.wait(), timeout=STREAM_CHECK_SECONDS)
                except TimeoutError:
                    yield ": still here\n\n"  # keeps proxies from closing an idle stream

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.get("/chat/messages", response_model=list[ChatPushed])
async def chat_messages(
    http_request: Request,
    person: WebPersonDep,
    after: Annotated[int, Query(ge=0, le=MAX_DB_INT)] = 0,
) -> list[ChatPushed]:
    """Messages the desk sent to the cookie's person after message id ``after``.

    Agent replies, hand-back and status notices, feedback invitations. The page polls
    this; a message is marked delivered when it has been handed out.
    """
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    return await run_in_threadpool(_pickup, factory, person.id, after)


@router.post(
    "/chat/restart",
    response_model=list[ChatMessage],
    responses={503: {"description": "Rasa could not be reached"}},
)
async def chat_restart(
    person: WebPersonDep, settings: SettingsDep, http_request: Request
) -> list[ChatMessage]:
    """Start a new conversation with the bot for the same person ("Börja om").

    Sends Rasa's built-in ``/restart`` through the relay channel: the bot forgets the
    conversation (open questions, filled-in answers), while the person keeps their
    identity cookie and with it their tickets, name and förvaltning. Answers the bot's
    replies to the restart (usually none). A takeover by the desk is not ended by this;
    only the bot's conversation restarts.
    """
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    await run_in_threadpool(_forget_notice, factory, person.id)
    try:
        return await relay_to_rasa(settings=settings, sender=person.id, message=RESTART_COMMAND)
    except RasaUnavailableError as exc:
        logger.warning("%s", exc)
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=UNAVAILABLE_DETAIL) from exc


def _desk_history(
    factory: sessionmaker[Session], sender: str, since: datetime | None, limit: int
) -> tuple[list[ChatHistoryEntry], int]:
    """The desk's part of the conversation and the id of the newest desk message handed out.

    The part is the desk's messages already handed to the page and what the person wrote
    while an agent held the conversation, from ``since`` on (older ones belong to a
    conversation left with "Börja om").
    """
    with factory() as session:
        requester = find_requester(session=session, channel=WEB_CHANNEL, external_id=sender)
        if requester is None:
            return [], 0
        stmt = (
            select(Message)
            .where(Message.requester_id == requester.id)
            .order_by(Message.id.desc())
            .limit(limit)
        )
        entries: list[ChatHistoryEntry] = []
        last_id = 0
        for message in reversed(list(session.scalars(stmt))):
            delivered = (
                message.direction == MessageDirection.OUTBOUND
                and message.delivery_state == DeliveryState.DELIVERED
            )
            if delivered:  # also before a restart: the page must not poll for it again
                last_id = message.id
            at = as_utc(message.created_at)
            if since is not None and at < since:
                continue
            if message.direction == MessageDirection.INBOUND:
                entries.append(ChatHistoryEntry(role="user", text=message.text, at=at))
            elif delivered:
                entries.append(
                    ChatHistoryEntry(
                        role="agent" if message.author == "agent" else "bot",
                        text=message.text,
                        at=at,
                        buttons=[
                            ChatButton(
                                title=str(b.get("title", "")), payload=str(b.get("payload", ""))
                            )
                            for b in message.buttons or []
                        ],
                    )
                )
        return entries, last_id


def _bot_history(conversation: RasaConversation) -> list[ChatHistoryEntry]:
    return [
        ChatHistoryEntry(
            role=m.role,
            text=m.text,
            at=datetime.fromtimestamp(m.at, UTC),
            buttons=[ChatButton(**b) for b in m.buttons],
        )
        for m in conversation.messages
    ]


def merge_history(
    bot: list[ChatHistoryEntry], desk: list[ChatHistoryEntry], limit: int
) -> list[ChatHistoryEntry]:
    """Both parts of a conversation in time order, as the page shows them.

    A button press is shown with the button's title rather than its payload, the newest
    ``limit`` messages are kept, and only the last message that is not the person's
    keeps its buttons.
    """
    merged = sorted([*bot, *desk], key=lambda entry: entry.at)  # stable: ties keep order
    titles: dict[str, str] = {}
    shown: list[ChatHistoryEntry] = []
    for entry in merged:
        if entry.role == "user":
            title = titles.get(entry.text)
            shown.append(entry.model_copy(update={"text": title}) if title else entry)
        else:
            titles.update({b.payload: b.title for b in entry.buttons if b.payload and b.title})
            shown.append(entry)
    shown = shown[-limit:] if limit > 0 else []
    last_bot = max((i for i, e in enumerate(shown) if e.role != "user"), default=-1)
    return [
        e if i == last_bot or not e.buttons else e.model_copy(update={"buttons": []})
        for i, e in enumerate(shown)
    ]


@router.get(
    "/chat/history",
    response_model=ChatHistory,
    responses={503: {"description": "Rasa could not be reached"}},
)
async def chat_history(
    http_request: Request,
    settings: SettingsDep,
    person: WebPersonDep,
) -> ChatHistory:
    """The conversation so far, so the page can show it again after a reload.

    The person's and the bot's messages since the conversation began or "Börja om" was
    pressed (from Rasa's tracker), with the desk's messages already handed to the page and
    what the person wrote while an agent held the conversation, in time order. Only the
    last message that is not the person's keeps its buttons.
    """
    try:
        conversation = await fetch_conversation(
            client=shared_client(), rasa_url=settings.rasa_url, token=settings.rasa_token,
            channel=WEB_CHANNEL, external_id=person.id, timeout=settings.http_timeout_seconds,
        )  # fmt: skip
    except RasaUnavailableError as exc:
        logger.warning("%s", exc)
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, detail=HISTORY_UNAVAILABLE_DETAIL
        ) from exc
    since = (
        datetime.fromtimestamp(conversation.started_at, UTC)
        if conversation.started_at is not None
        else None
    )
    limit = settings.chat_history_limit
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    desk, last_id = await run_in_threadpool(_desk_history, factory, person.id, since, limit)
    return ChatHistory(
        messages=merge_history(_bot_history(conversation), desk, limit),
        last_desk_message_id=last_id,
    )
