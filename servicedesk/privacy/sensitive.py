"""Personnummer fields: the one place an identity number is kept, encrypted, for one queue.

A catalogue may give a service a field of type ``personnummer`` (a new employee's number
for the anställningsavtal). Everywhere else numbers are masked on arrival
(:mod:`.masking`); for such a field the number must be kept, yet never reach Rasa's
tracker, the transcript, the ticket's details or a log in clear. So:

1. The action that asks the question records a :class:`~servicedesk.models.SensitivePrompt`
   for the conversation (:func:`expect_personnummer`).
2. The channel that receives the next message (web chat, Telegram bridge) calls
   :func:`protect_inbound` instead of masking alone: a valid number is encrypted into a
   :class:`~servicedesk.models.SensitiveValue` and replaced by :data:`CAPTURED`; a number
   that fails the check digit or date by :data:`REJECTED`. Only that text goes on.
3. The form's validation sees the placeholder and takes the masked form
   (``19850312-****``, :func:`captured_answer`) as the slot value, so the tracker, the
   summary and the ticket's details hold only that.
4. The ticket action moves the encrypted value onto the ticket (:func:`attach_to_ticket`).
5. The desk shows it decrypted only to agents whose queues name the ticket's category
   (:func:`may_read_clear`, :func:`revealed_values`); everyone else sees the masked form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from personnummer import personnummer as _pnr
from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from servicedesk.fields import sensitive_keys
from servicedesk.models import (
    Agent,
    SensitivePrompt,
    SensitiveValue,
    Ticket,
    as_utc,
    utcnow,
)
from servicedesk.privacy.field_crypto import FieldCipher, InvalidToken
from servicedesk.privacy.masking import CANDIDATE, MASK, mask_personnummer

__all__ = [
    "CAPTURED",
    "MASKED_FORM",
    "PROMPT_LIFETIME",
    "REJECTED",
    "UNATTACHED_LIFETIME",
    "Protected",
    "attach_to_ticket",
    "captured_answer",
    "delete_for_tickets",
    "discard_unsent",
    "expect_personnummer",
    "forget_prompt",
    "may_read_clear",
    "normalise",
    "protect_inbound",
    "revealed_values",
    "sweep_unattached",
]

#: What the bot receives instead of a number that was kept encrypted.
CAPTURED = "[personnummer sparat krypterat]"
#: What the bot receives instead of a number that failed the check (it asks again).
REJECTED = "[felaktigt personnummer borttaget]"
#: The masked form the person, the tracker and the ticket's details see.
MASKED_FORM = re.compile(r"^\d{8}-\*{4}$")
#: A prompt older than this no longer makes the channel keep a number (it masks again).
PROMPT_LIFETIME = timedelta(minutes=30)
#: Answers never sent with an order are deleted after this long.
UNATTACHED_LIFETIME = timedelta(days=1)


@dataclass(frozen=True)
class Protected:
    """A person's text as it may go on, and what was done to it."""

    text: str
    #: Numbers removed by the ordinary masking (the person is told once).
    masked: int = 0
    #: A number was kept encrypted for the prompted field.
    captured: bool = False
    #: A number-like answer to the prompted field failed the check.
    rejected: bool = False


def normalise(text: str) -> str | None:
    """The number in 12-digit form with a dash (``19850312-1234``), or None if invalid.

    Unlike the masking, ten bare digits starting with 0 are accepted here: asked for a
    personnummer, someone born 2000-2009 may well write it that way.
    """
    candidate = text.strip().replace("–", "-").replace(" ", "")
    try:
        number = _pnr.Personnummer(candidate)
    except _pnr.PersonnummerException:
        return None
    digits = number.format(True)
    return f"{digits[:8]}-{digits[8:]}"


def _masked(number: str) -> str:
    return f"{number[:8]}-****"


def expect_personnummer(
    *, session: Session, conversation_id: str, service_code: str, field_key: str,
    now: datetime | None = None,
) -> None:  # fmt: skip
    """The next message of ``conversation_id`` answers this personnummer field. Caller commits."""
    prompt = session.get(SensitivePrompt, conversation_id)
    if prompt is None:
        prompt = SensitivePrompt(conversation_id=conversation_id)
        session.add(prompt)
    prompt.service_code, prompt.field_key = service_code, field_key
    prompt.asked_at = now or utcnow()


def forget_prompt(*, session: Session, conversation_id: str) -> None:
    """No personnummer field is being asked in ``conversation_id`` now. Caller commits."""
    session.execute(
        delete(SensitivePrompt).where(SensitivePrompt.conversation_id == conversation_id)
    )


def _live_prompt(session: Session, conversation_id: str, now: datetime) -> SensitivePrompt | None:
    prompt = session.get(SensitivePrompt, conversation_id)
    if prompt is not None and as_utc(prompt.asked_at) < now - PROMPT_LIFETIME:
        session.delete(prompt)
        return None
    return prompt


def protect_inbound(
    *, session: Session, conversation_id: str, text: str, cipher: FieldCipher,
    may_capture: bool = True, now: datetime | None = None,
) -> Protected:  # fmt: skip
    """The text the channel may store, log and send to Rasa.

    While a personnummer field is asked (and ``may_capture``: no agent holds the
    conversation), the first valid number is encrypted and stored, the others masked; a
    number-like answer that fails the check becomes :data:`REJECTED`. Otherwise every
    valid number is masked as usual. The caller commits.
    """
    moment = now or utcnow()
    prompt = _live_prompt(session, conversation_id, moment) if may_capture else None
    if prompt is None:
        masked = mask_personnummer(text)
        return Protected(text=masked.text, masked=masked.count)
    kept: list[str] = []
    rejected = False
    extra = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal rejected, extra
        number = normalise(f"{match['date']}{match['sep']}{match['tail']}")
        if number is None:
            rejected = True
            return REJECTED
        if kept:
            extra += 1
            return MASK
        kept.append(number)
        return CAPTURED

    protected = CANDIDATE.sub(replace, text)
    if kept:
        _store(session, prompt, kept[0], cipher, moment)
    return Protected(text=protected, masked=extra, captured=bool(kept), rejected=rejected)


def _store(
    session: Session, prompt: SensitivePrompt, number: str, cipher: FieldCipher, now: datetime
) -> None:
    """Keep ``number`` for the prompted field, replacing an earlier unsent answer."""
    session.execute(
        delete(SensitiveValue).where(
            SensitiveValue.conversation_id == prompt.conversation_id,
            SensitiveValue.field_key == prompt.field_key,
            SensitiveValue.ticket_id.is_(None),
        )
    )
    session.add(
        SensitiveValue(
            conversation_id=prompt.conversation_id, service_code=prompt.service_code,
            field_key=prompt.field_key, ciphertext=cipher.encrypt(number),
            masked=_masked(number), created_at=now,
        )
    )  # fmt: skip
    session.delete(prompt)


def _unsent(
    session: Session, conversation_id: str, service_code: str, field_key: str
) -> Select[tuple[SensitiveValue]]:
    return (
        select(SensitiveValue)
        .where(
            SensitiveValue.conversation_id == conversation_id,
            SensitiveValue.service_code == service_code,
            SensitiveValue.field_key == field_key,
            SensitiveValue.ticket_id.is_(None),
        )
        .order_by(SensitiveValue.id.desc())
    )


def captured_answer(
    *, session: Session, conversation_id: str, service_code: str, field_key: str
) -> str | None:
    """The masked form of the number kept for this field of an order not yet sent."""
    found = session.scalars(_unsent(session, conversation_id, service_code, field_key)).first()
    return found.masked if found is not None else None


def attach_to_ticket(*, session: Session, conversation_id: str, ticket: Ticket) -> int:
    """Move the kept answers of the ticket's personnummer fields onto it; how many moved.

    Only an answer whose masked form is what the ticket's details say is taken (the one the
    person confirmed). Calling it again for the same ticket changes nothing.
    """
    if ticket.service is None:
        return 0
    moved = 0
    details = ticket.details or {}
    for key in sensitive_keys(ticket.service.fields or []):
        attached = session.scalars(
            select(SensitiveValue.id).where(
                SensitiveValue.ticket_id == ticket.id, SensitiveValue.field_key == key
            )
        ).first()
        if attached is not None or not details.get(key):
            continue
        stmt = _unsent(session, conversation_id, ticket.service.code, key)
        for value in session.scalars(stmt):
            if value.masked == details[key]:
                value.ticket_id = ticket.id
                moved += 1
                break
    forget_prompt(session=session, conversation_id=conversation_id)
    return moved


def discard_unsent(*, session: Session, conversation_id: str) -> None:
    """The order was given up: its kept answers and any prompt go now. Caller commits."""
    session.execute(
        delete(SensitiveValue).where(
            SensitiveValue.conversation_id == conversation_id, SensitiveValue.ticket_id.is_(None)
        )
    )
    forget_prompt(session=session, conversation_id=conversation_id)


def may_read_clear(agent: Agent, ticket: Ticket) -> bool:
    """Whether ``agent`` may see the ticket's personnummer fields decrypted.

    Only agents whose queues name the ticket's service category: an admin or an agent
    without queues (who sees every queue) gets the masked form like everyone else.
    """
    return ticket.service is not None and ticket.service.category in (agent.queues or [])


def revealed_values(
    *, session: Session, agent: Agent, ticket: Ticket, cipher: FieldCipher
) -> dict[str, str]:
    """The decrypted personnummer fields of ``ticket`` by key, for an agent of its queue.

    Empty for anyone else. A value that does not decrypt (the key was changed) is left out.
    """
    if not may_read_clear(agent, ticket):
        return {}
    shown: dict[str, str] = {}
    stmt = select(SensitiveValue).where(SensitiveValue.ticket_id == ticket.id)
    for value in session.scalars(stmt):
        try:
            shown[value.field_key] = cipher.decrypt(value.ciphertext)
        except InvalidToken:
            continue
    return shown


def delete_for_tickets(session: Session, ticket_ids: Iterable[int]) -> int:
    """Delete the encrypted answers on these tickets (anonymising or deleting them)."""
    ids = list(ticket_ids)
    if not ids:
        return 0
    result = session.execute(delete(SensitiveValue).where(SensitiveValue.ticket_id.in_(ids)))
    return int(result.rowcount)  # type: ignore[attr-defined]


def sweep_unattached(*, session: Session, now: datetime | None = None) -> int:
    """Delete answers never sent with an order, and prompts nobody answered; how many went."""
    moment = now or utcnow()
    session.execute(
        delete(SensitivePrompt).where(SensitivePrompt.asked_at < moment - PROMPT_LIFETIME)
    )
    result = session.execute(
        delete(SensitiveValue).where(
            SensitiveValue.ticket_id.is_(None),
            SensitiveValue.created_at < moment - UNATTACHED_LIFETIME,
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
