"""Linking this Telegram user to a web chat person: ``/start <code>``, ``/koppla``, unlink.

The deep link ``https://t.me/<bot>?start=<code>`` from the web chat arrives as
``/start <code>``; ``/koppla <code>`` and a code written alone (``ABCDE-FGH23``) do the
same. ``/koppla_fran`` unlinks. Every update is claimed first like any other (a replay is
dropped), and the code itself is never stored: the update record keeps ``[kod]``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.orm import Session
from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram import texts
from bot.telegram.store import CHANNEL, Intake, Store
from servicedesk.link_codes import Outcome
from servicedesk.linking import redeem, unlink_from_person
from servicedesk.models import Requester

__all__ = ["CODE_MESSAGE", "Linking"]

logger = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
#: A code written alone in a message; the dash keeps ordinary words from looking like one.
CODE_MESSAGE = r"^\s*[A-Za-z0-9]{5}-[A-Za-z0-9]{5}\s*$"

_ANSWERS: dict[Outcome, str] = {
    Outcome.LINKED: texts.LINKED,
    Outcome.ALREADY_LINKED: texts.ALREADY_LINKED,
    Outcome.WRONG: texts.LINK_CODE_WRONG,
    Outcome.EXPIRED: texts.LINK_CODE_EXPIRED,
    Outcome.USED: texts.LINK_CODE_USED,
    Outcome.TOO_MANY: texts.LINK_TOO_MANY,
}


class Linking:
    """The link and unlink commands of the bridge, over its store and per-person locks."""

    def __init__(
        self,
        *,
        session_factory: Callable[[], Session],
        store: Store,
        lock: Callable[[int], asyncio.Lock],
        send: Callable[[Context, int, str], Awaitable[None]],
    ) -> None:
        self._sessions = session_factory
        self._store = store
        self._lock = lock
        self._send = send

    async def _db(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(fn, *args, **kwargs)

    def _redeem(self, requester_id: int, code: str) -> Outcome:
        with self._sessions() as session:
            requester = session.get(Requester, requester_id)
            if requester is None or requester.channel != CHANNEL:  # pragma: no cover
                return Outcome.WRONG
            outcome = redeem(session=session, requester=requester, code=code).outcome
            session.commit()
            return outcome

    def _unlink(self, requester_id: int) -> bool:
        with self._sessions() as session:
            requester = session.get(Requester, requester_id)
            done = requester is not None and unlink_from_person(
                session=session, requester=requester
            )
            session.commit()
            return done

    async def _claimed(self, update: Update, kind: str, shown: str) -> tuple[Intake, int] | None:
        """Claim the update (never routed to a takeover thread); None for a replay."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return None
        intake: Intake | None = await self._db(
            self._store.take_in, update_id=update.update_id, user_id=str(user.id),
            kind=kind, text=shown, route=False,
        )  # fmt: skip
        if intake is None:
            logger.info("dropped replayed update %s", update.update_id)
            return None
        return intake, chat.id

    async def link(self, update: Update, context: Context, code: str) -> None:
        """Redeem ``code`` for the Telegram user of ``update`` and answer in Swedish."""
        user = update.effective_user
        if user is None:
            return
        async with self._lock(user.id):
            claimed = await self._claimed(update, "link", "/koppla [kod]")
            if claimed is None:
                return
            intake, chat_id = claimed
            # A malformed code is a try as well: it counts towards the limit.
            outcome: Outcome = await self._db(self._redeem, intake.requester_id, code)
            logger.info("link code for telegram requester %s: %s", intake.requester_id,
                        outcome.value)  # fmt: skip
            await self._send(context, chat_id, _ANSWERS[outcome])
            await self._db(self._store.finish, update.update_id)

    async def on_link_command(self, update: Update, context: Context) -> None:
        """/koppla <code>: link to the web chat person; without a code, say how."""
        if context.args:
            await self.link(update, context, " ".join(context.args[:2]))
            return
        user = update.effective_user
        if user is None:
            return
        async with self._lock(user.id):
            claimed = await self._claimed(update, "link", "/koppla")
            if claimed is not None:
                await self._send(context, claimed[1], texts.LINK_HOW)
                await self._db(self._store.finish, update.update_id)

    async def on_code_message(self, update: Update, context: Context) -> None:
        """A message that is only a code (``ABCDE-FGH23``): link as with /koppla."""
        message = update.effective_message
        if message is not None:
            await self.link(update, context, message.text or "")

    async def on_unlink(self, update: Update, context: Context) -> None:
        """/koppla_fran: unlink this Telegram user from the web chat person."""
        user = update.effective_user
        if user is None:
            return
        async with self._lock(user.id):
            claimed = await self._claimed(update, "unlink", "/koppla_fran")
            if claimed is None:
                return
            intake, chat_id = claimed
            done = await self._db(self._unlink, intake.requester_id)
            await self._send(context, chat_id, texts.UNLINKED if done else texts.NOT_LINKED)
            await self._db(self._store.finish, update.update_id)
