"""The Telegram handlers: one per kind of update, all funnelled through one person's lock.

A fresh update is claimed in the database before anything else (a replay is dropped),
then the desk decides whether the bot may answer (``route_inbound``); the name and
förvaltning are asked once; everything else goes to Rasa and Rasa's replies come back.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.orm import Session
from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.telegram import texts
from bot.telegram.deliverer import send_text
from bot.telegram.files import IncomingFile, SavedFile, save_file
from bot.telegram.formatting import DEPARTMENT_PREFIX, LONG_PAYLOAD_PREFIX, department_keyboard
from bot.telegram.linking import Linking
from bot.telegram.rasa_client import RasaUnavailableError, ask_rasa
from bot.telegram.store import Intake, Store
from servicedesk.privacy import NOTICE, mask_personnummer

__all__ = ["Bridge"]

logger = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
#: The Bot API's getFile serves files up to 20 MB.
MAX_DOWNLOAD = 20 * 1024 * 1024


class Bridge:
    """Telegram ⇄ Rasa for one bot, with the desk's takeover and identity rules."""

    def __init__(
        self,
        *,
        session_factory: Callable[[], Session],
        rasa_url: str,
        relay_secret: str,
        http: httpx.AsyncClient,
        attachments: Path,
    ) -> None:
        self._sessions = session_factory
        self.store = Store(session_factory)
        self._folder = attachments
        self._rasa_url = rasa_url
        self._relay_secret = relay_secret
        #: Seconds before the person is told "Jag jobbar på det …" (the answer still comes).
        self.reply_wait_seconds = 8.0
        self._http = http
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.linking = Linking(
            session_factory=session_factory, store=self.store,
            lock=self._locks.__getitem__, send=self._send,
        )  # fmt: skip

    async def _db(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def _send(self, context: Context, chat_id: int, text: str, buttons: Any = ()) -> None:
        await send_text(context.bot, chat_id, text, buttons, self.store.keep_payload)

    async def on_start(self, update: Update, context: Context) -> None:
        """/start: ask who the person is once, else let the assistant greet.

        ``/start <code>`` (the web chat's deep link) links the user to the web chat person.
        """
        if context.args:
            await self.linking.link(update, context, context.args[0])
            return
        await self._on_text(update, context, "/greet", start=True)

    async def on_text(self, update: Update, context: Context) -> None:
        """A text message."""
        assert update.effective_message is not None
        await self._on_text(update, context, update.effective_message.text or "")

    async def _on_text(
        self, update: Update, context: Context, text: str, start: bool = False
    ) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        async with self._locks[user.id]:
            intake: Intake | None = await self._db(
                self.store.take_in, update_id=update.update_id, user_id=str(user.id),
                kind="start" if start else "text", text=text,
            )  # fmt: skip
            if intake is None:
                logger.info("dropped replayed update %s", update.update_id)
                return
            text = intake.text  # a personnummer is masked from here on
            if intake.tell_masked:
                await self._send(context, chat.id, NOTICE)
            if not intake.to_bot:
                await self._db(self.store.finish, update.update_id)
                return
            forward = await self._identity(context, chat.id, intake, text, start)
            if forward is not None:
                await self._converse(
                    context, chat.id, intake.external_id, update.update_id, forward
                )
            else:
                await self._db(self.store.finish, update.update_id)

    async def _identity(
        self, context: Context, chat_id: int, intake: Intake, text: str, start: bool
    ) -> str | None:
        """Ask for name and förvaltning when needed; return what to send to Rasa, if anything."""
        said = text.strip()
        if said.lower() in texts.CHANGE_DEPARTMENT_PHRASES:
            await self._db(self.store.ask, intake.requester_id, "department")
            await self._ask_department(context, chat_id, texts.CHANGE_DEPARTMENT)
            return None
        if intake.step == "name":
            if not said or said.startswith("/") or len(said) > 200:
                await self._send(context, chat_id, texts.ASK_NAME_AGAIN)
                return None
            await self._db(self.store.save_name, intake.requester_id, said)
            await self._ask_department(context, chat_id, texts.ASK_DEPARTMENT.format(name=said))
            return None
        if intake.step == "department":
            code = await self._db(self.store.find_department, said)
            if code is None:
                await self._ask_department(context, chat_id, texts.DEPARTMENT_NOT_FOUND)
                return None
            return await self._department_chosen(context, chat_id, intake.requester_id, code)
        if not intake.knows_person:
            pending = None if start else text
            if intake.name:
                await self._db(self.store.ask, intake.requester_id, "department", pending)
                await self._ask_department(
                    context, chat_id, texts.ASK_DEPARTMENT.format(name=intake.name)
                )
            else:
                await self._db(self.store.ask, intake.requester_id, "name", pending)
                await self._send(context, chat_id, texts.ASK_NAME)
            return None
        return text

    async def _ask_department(self, context: Context, chat_id: int, question: str) -> None:
        departments = await self._db(self.store.departments)
        await context.bot.send_message(
            chat_id=chat_id, text=question, reply_markup=department_keyboard(departments)
        )

    async def _department_chosen(
        self, context: Context, chat_id: int, requester_id: int, code: str
    ) -> str | None:
        saved = await self._db(self.store.save_department, requester_id, code)
        if saved is None:
            await self._ask_department(context, chat_id, texts.DEPARTMENT_NOT_FOUND)
            return None
        name, pending = saved
        await self._send(context, chat_id, texts.DEPARTMENT_SAVED.format(department=name))
        if pending:
            return str(pending)
        await self._send(context, chat_id, texts.WHAT_CAN_I_DO)
        return None

    async def on_button(self, update: Update, context: Context) -> None:
        """A pressed inline button: acknowledge, remove the keyboard, act on its payload."""
        query, user, chat = update.callback_query, update.effective_user, update.effective_chat
        if query is None or user is None or chat is None:
            return
        data = query.data or ""
        async with self._locks[user.id]:
            title = _button_title(query.message, data)
            is_department = data.startswith(DEPARTMENT_PREFIX)
            intake: Intake | None = await self._db(
                self.store.take_in, update_id=update.update_id, user_id=str(user.id),
                kind="button", text=title, route=not is_department,
            )  # fmt: skip
            if intake is None:
                logger.info("dropped replayed update %s", update.update_id)
                return
            await query.answer()
            if query.message is not None:
                await context.bot.edit_message_reply_markup(
                    chat_id=chat.id, message_id=query.message.message_id, reply_markup=None
                )
            payload: str | None
            if is_department:
                code = data.removeprefix(DEPARTMENT_PREFIX)
                payload = await self._department_chosen(context, chat.id, intake.requester_id, code)
            elif not intake.to_bot:
                payload = None
            elif data.startswith(LONG_PAYLOAD_PREFIX):
                payload = await self._db(self.store.payload, data.removeprefix(LONG_PAYLOAD_PREFIX))
            else:
                payload = data
            if payload:
                await self._converse(
                    context, chat.id, intake.external_id, update.update_id, payload
                )
            else:
                await self._db(self.store.finish, update.update_id)

    async def _converse(
        self, context: Context, chat_id: int, sender: str, update_id: int, text: str
    ) -> None:
        """Send ``text`` to Rasa and its replies to the chat; tell the person if Rasa fails."""
        turn = asyncio.ensure_future(
            ask_rasa(
                client=self._http, rasa_url=self._rasa_url, secret=self._relay_secret,
                external_id=sender, message=text, message_id=f"tg-{update_id}",
            )
        )  # fmt: skip
        try:
            try:
                replies = await asyncio.wait_for(asyncio.shield(turn), self.reply_wait_seconds)
            except TimeoutError:
                # Slow, not lost: say so, then deliver the answer when it comes.
                await self._send(context, chat_id, texts.WORKING_ON_IT)
                replies = await turn
        except RasaUnavailableError as exc:
            logger.warning("update %s kept as failed: %s", update_id, exc)
            await self._db(self.store.finish, update_id, str(exc))
            await self._send(context, chat_id, texts.TECHNICAL_ERROR)
            return
        for reply in replies:
            await self._send(context, chat_id, reply.text, reply.buttons)
        await self._db(self.store.finish, update_id)

    async def on_file(self, update: Update, context: Context) -> None:
        """A photo or document: stored and attached to the person's ticket."""
        message, user, chat = update.effective_message, update.effective_user, update.effective_chat
        if message is None or user is None or chat is None:
            return
        found = _file_of(message)
        if found is None:
            return
        file_id, incoming = found
        incoming = replace(incoming, caption=mask_personnummer(incoming.caption).text)
        async with self._locks[user.id]:
            intake = await self._db(
                self.store.take_in, update_id=update.update_id, user_id=str(user.id),
                kind="file", text=incoming.caption, route=False,
            )  # fmt: skip
            if intake is None:
                return
            if incoming.size > MAX_DOWNLOAD:
                await self._send(context, chat.id, texts.FILE_TOO_BIG)
                await self._db(self.store.finish, update.update_id)
                return
            try:
                content = bytes(await (await context.bot.get_file(file_id)).download_as_bytearray())
            except TelegramError as exc:
                await self._db(self.store.finish, update.update_id, f"download failed: {exc}")
                await self._send(context, chat.id, texts.TECHNICAL_ERROR)
                return
            saved: SavedFile = await self._db(
                save_file, session_factory=self._sessions, folder=self._folder,
                incoming=replace(incoming, update_id=update.update_id, content=content),
            )  # fmt: skip
            await self._db(self.store.finish, update.update_id)
            if saved.during_takeover:
                return
            if saved.ticket_number:
                reply = texts.FILE_SAVED.format(file=incoming.file_name, number=saved.ticket_number)
            else:
                reply = texts.FILE_SAVED_NO_TICKET.format(file=incoming.file_name)
            await self._send(context, chat.id, reply)

    async def on_other(self, update: Update, context: Context) -> None:
        """Stickers, locations and the like: say what the assistant understands."""
        chat = update.effective_chat
        if chat is not None and update.effective_user is not None:
            intake = await self._db(
                self.store.take_in, update_id=update.update_id,
                user_id=str(update.effective_user.id), kind="other", text="", route=False,
            )  # fmt: skip
            if intake is not None:
                await self._send(context, chat.id, texts.UNSUPPORTED)
                await self._db(self.store.finish, update.update_id)


def _file_of(message: Message) -> tuple[str, IncomingFile] | None:
    """Return the Bot API file id and what is known of a photo or document."""
    user_id = str(message.from_user.id) if message.from_user else ""
    caption = message.caption or ""
    if message.photo:
        photo = message.photo[-1]  # the largest size
        return photo.file_id, IncomingFile(
            update_id=0, user_id=user_id, source_id=photo.file_unique_id,
            file_name=f"bild_{photo.file_unique_id}.jpg", content_type="image/jpeg",
            caption=caption, content=b"", size=photo.file_size or 0,
        )  # fmt: skip
    if message.document:
        doc = message.document
        return doc.file_id, IncomingFile(
            update_id=0, user_id=user_id, source_id=doc.file_unique_id,
            file_name=doc.file_name or f"fil_{doc.file_unique_id}",
            content_type=doc.mime_type or "", caption=caption, content=b"",
            size=doc.file_size or 0,
        )  # fmt: skip
    return None


def _button_title(message: Any, data: str) -> str:
    """Return the title of the pressed button, for the desk's thread."""
    markup = getattr(message, "reply_markup", None)
    for row in getattr(markup, "inline_keyboard", ()) or ():
        for button in row:
            if button.callback_data == data:
                return str(button.text)
    return data
