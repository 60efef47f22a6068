"""The bridge's database work: seen updates, who the person is, the name/förvaltning questions.

Every method runs in its own session and commits; the bridge calls them in a worker thread
so the event loop never waits on the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from servicedesk.conversations import conversation_id
from servicedesk.models import (
    Department,
    Requester,
    TelegramButton,
    TelegramChat,
    TelegramUpdate,
    as_utc,
    utcnow,
)
from servicedesk.privacy import claim_notice, mask_personnummer
from servicedesk.privacy.field_crypto import FieldCipher, field_cipher
from servicedesk.privacy.sensitive import Protected, protect_inbound
from servicedesk.relay import active_takeover, route_inbound
from servicedesk.requesters import _begin_sqlite_transaction, get_or_create_requester
from servicedesk.settings import get_settings

__all__ = ["CHANNEL", "Intake", "Store"]

CHANNEL = "telegram"


@dataclass(frozen=True)
class Intake:
    """What the bridge knows about a fresh update once it has been taken on."""

    requester_id: int
    external_id: str
    #: False while a desk agent holds the conversation: stored in the thread, bot silent.
    to_bot: bool
    step: str | None
    name: str | None
    department_code: str | None
    #: The person's text with any personnummer masked: the only text the bridge uses further.
    text: str = ""
    #: A personnummer was removed and the person has not been told yet in this conversation.
    tell_masked: bool = False

    @property
    def knows_person(self) -> bool:
        """Name and förvaltning are both known."""
        return bool(self.name and self.department_code)


#: A claim still "processing" after this long was left by a bridge that stopped mid-update.
STALE_AFTER = timedelta(minutes=5)


class Store:
    """Database operations of the bridge over a session factory."""

    def __init__(
        self, session_factory: Callable[[], Session], cipher: FieldCipher | None = None
    ) -> None:
        self._sessions = session_factory
        #: Encrypts personnummer field answers; from the settings when not given.
        self._cipher = cipher

    def _claim(self, session: Session, update_id: int, user_id: str, kind: str, text: str) -> bool:
        seen = session.get(TelegramUpdate, update_id)
        if seen is None:
            _begin_sqlite_transaction(session)
            try:
                with session.begin_nested():
                    session.add(
                        TelegramUpdate(
                            update_id=update_id, user_id=user_id, kind=kind, text=text,
                            status="processing", replays=0, received_at=utcnow(),
                        )
                    )  # fmt: skip
                return True
            except IntegrityError:
                seen = session.get(TelegramUpdate, update_id)
                if seen is None:  # pragma: no cover - the conflict was not ours
                    raise
        stale = seen.status == "processing" and as_utc(seen.received_at) < utcnow() - STALE_AFTER
        if seen.status == "failed" or stale:
            # Rasa was down the first time, or the bridge stopped while handling it (the
            # claim is older than any handling takes): a redelivery gets a second chance.
            # A repeated turn cannot open a second ticket: the conversation has moved on.
            seen.status, seen.error, seen.received_at = "processing", None, utcnow()
            return True
        seen.replays += 1
        return False

    def take_in(
        self, *, update_id: int, user_id: str, kind: str, text: str, route: bool = True
    ) -> Intake | None:
        """Claim the update and route the person's text; None for an update seen before.

        The claim, the requester and (during a takeover) the stored message are committed
        together, so a replay of the same ``update_id`` is dropped. A personnummer in the
        text is masked before anything is stored (see :mod:`servicedesk.privacy`), or kept
        encrypted when it answers a personnummer field the bot just asked
        (:mod:`servicedesk.privacy.sensitive`); the bot then gets a placeholder.
        """
        masked = mask_personnummer(text)
        with self._sessions() as session:
            if not self._claim(session, update_id, user_id, kind, masked.text):
                session.commit()
                return None
            requester = get_or_create_requester(
                session=session, channel=CHANNEL, external_id=user_id
            )
            protected = Protected(text=masked.text, masked=masked.count)
            to_bot = True
            if route:
                held = active_takeover(session=session, requester=requester) is not None
                protected = protect_inbound(
                    session=session, conversation_id=conversation_id(CHANNEL, user_id),
                    text=text, cipher=self._field_cipher(), may_capture=not held,
                )  # fmt: skip
                claimed = session.get(TelegramUpdate, update_id)
                if claimed is not None:
                    claimed.text = protected.text
                routed = route_inbound(
                    session=session, requester=requester, text=protected.text,
                    dedupe_key=f"telegram:{update_id}",
                )  # fmt: skip
                to_bot = routed.to_bot
            chat = session.get(TelegramChat, requester.id)
            told = protected.masked > 0 and claim_notice(session=session, requester=requester)
            intake = Intake(
                requester_id=requester.id,
                external_id=requester.external_id,
                to_bot=to_bot,
                step=chat.step if chat is not None else None,
                name=requester.name,
                department_code=requester.department_code,
                text=protected.text,
                tell_masked=told,
            )
            session.commit()
            return intake

    def _field_cipher(self) -> FieldCipher:
        if self._cipher is None:
            self._cipher = field_cipher(get_settings().field_key.get_secret_value())
        return self._cipher

    def finish(self, update_id: int, error: str | None = None) -> None:
        """Mark the update done, or failed with ``error`` (its text stays kept)."""
        with self._sessions() as session:
            seen = session.get(TelegramUpdate, update_id)
            if seen is not None:
                seen.status = "failed" if error else "done"
                seen.error = error
                session.commit()

    def update_status(self, update_id: int) -> tuple[str, int] | None:
        """Return ``(status, replays)`` of an update, if seen."""
        with self._sessions() as session:
            seen = session.get(TelegramUpdate, update_id)
            return (seen.status, seen.replays) if seen is not None else None

    def _chat(self, session: Session, requester_id: int) -> TelegramChat:
        chat = session.get(TelegramChat, requester_id)
        if chat is None:
            chat = TelegramChat(requester_id=requester_id, updated_at=utcnow())
            session.add(chat)
        return chat

    def ask(self, requester_id: int, step: str | None, pending_text: str | None = None) -> None:
        """Set the question being asked; keep ``pending_text`` unless None."""
        with self._sessions() as session:
            chat = self._chat(session, requester_id)
            chat.step = step
            if pending_text is not None:
                chat.pending_text = pending_text
            chat.updated_at = utcnow()
            session.commit()

    def save_name(self, requester_id: int, name: str) -> None:
        """Store the person's name and ask for the förvaltning next."""
        with self._sessions() as session:
            requester = session.get(Requester, requester_id)
            if requester is not None:
                requester.name = name
            self._chat(session, requester_id).step = "department"
            session.commit()

    def save_department(self, requester_id: int, code: str) -> tuple[str, str | None] | None:
        """Store the förvaltning; return its name and the message that waited, or None."""
        with self._sessions() as session:
            department = session.get(Department, code)
            requester = session.get(Requester, requester_id)
            if department is None or requester is None or not department.active:
                return None
            requester.department_code = department.code
            chat = self._chat(session, requester_id)
            pending, chat.step, chat.pending_text = chat.pending_text, None, None
            session.commit()
            return department.name, pending

    def departments(self) -> list[tuple[str, str]]:
        """Return the active förvaltningar as ``(code, name)``, by name."""
        with self._sessions() as session:
            stmt = select(Department).where(Department.active.is_(True)).order_by(Department.name)
            return [(d.code, d.name) for d in session.scalars(stmt)]

    def find_department(self, text: str) -> str | None:
        """Return the code of the one förvaltning whose code or name matches ``text``."""
        wanted = text.strip().lower()
        if not wanted:
            return None
        with self._sessions() as session:
            stmt = select(Department.code).where(
                Department.active.is_(True),
                (func.lower(Department.code) == wanted) | (func.lower(Department.name) == wanted),
            )
            exact = session.scalars(stmt).first()
            if exact is not None:
                return exact
            found = [
                d.code
                for d in session.scalars(select(Department).where(Department.active.is_(True)))
                if wanted in d.name.lower()
            ]
            return found[0] if len(found) == 1 else None

    def keep_payload(self, key: str, payload: str) -> None:
        """Keep a button payload too long for Telegram's callback data."""
        with self._sessions() as session:
            if session.get(TelegramButton, key) is None:
                session.add(TelegramButton(key=key, payload=payload))
                try:
                    session.commit()
                except IntegrityError:  # another message kept the same payload first
                    session.rollback()

    def payload(self, key: str) -> str | None:
        """Return a kept button payload."""
        with self._sessions() as session:
            button = session.get(TelegramButton, key)
            return button.payload if button is not None else None
