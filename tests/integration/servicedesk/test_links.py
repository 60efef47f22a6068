"""One person across channels: link codes (hashed, short-lived, single use, bounded guessing)
and what follows a linked person: tickets, cancelling, takeovers, replies, export, erasure.
SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from servicedesk import link_codes, relay
from servicedesk.agents import create_agent
from servicedesk.desk import send_to_requester, take_over
from servicedesk.link_codes import MAX_FAILED_ATTEMPTS, Outcome, issue_code
from servicedesk.linking import (
    LINKED_WEB_NOTICE,
    UNLINKED_TELEGRAM_NOTICE,
    UNLINKED_WEB_NOTICE,
    redeem,
    unlink_channel,
    unlink_from_person,
)
from servicedesk.links import person_requester_ids, reply_requester
from servicedesk.models import (
    LinkCode,
    Message,
    MessageDirection,
    Requester,
    RequesterLink,
    Ticket,
    TicketKind,
    TicketState,
    utcnow,
)
from servicedesk.privacy.persons import erase_person, export_person
from servicedesk.settings import Settings
from servicedesk.tickets import (
    NotOwnerError,
    cancel_by_requester,
    create_ticket,
    list_requester_tickets,
)


def _requester(session: Session, channel: str, external_id: str, **kw: str) -> Requester:
    found = Requester(channel=channel, external_id=external_id, **kw)
    session.add(found)
    session.flush()
    return found


def _ticket(session: Session, requester: Requester, title: str) -> Ticket:
    ticket, _ = create_ticket(
        session=session, requester=requester, kind=TicketKind.QUESTION,
        channel=requester.channel, conversation_id=f"{requester.channel}:{requester.external_id}",
        title=title,
    )  # fmt: skip
    return ticket


def _linked(session: Session) -> tuple[Requester, Requester]:
    """A web person with name and förvaltning, and a Telegram user linked with a code."""
    web = _requester(session, "web", "a" * 32, name="Anna Berg")
    telegram = _requester(session, "telegram", "772345678")
    issued = issue_code(session=session, person=web)
    assert redeem(session=session, requester=telegram, code=issued.code).outcome == Outcome.LINKED
    session.commit()
    return web, telegram


def _outbox(session: Session, requester: Requester) -> list[str]:
    stmt = select(Message.text).where(
        Message.requester_id == requester.id, Message.direction == MessageDirection.OUTBOUND
    )
    return list(session.scalars(stmt.order_by(Message.id)))


def test_a_code_is_random_and_stored_only_as_its_hash(session: Session) -> None:
    web = _requester(session, "web", "b" * 32)
    first = issue_code(session=session, person=web)
    session.commit()
    row = session.scalars(select(LinkCode).where(LinkCode.person_id == web.id)).one()
    assert row.code_hash == hashlib.sha256(first.code.encode()).hexdigest()
    assert first.code not in (row.code_hash, str(row.id))
    assert len(first.code) == 10 and set(first.code) <= set(link_codes.ALPHABET)
    assert first.display == f"{first.code[:5]}-{first.code[5:]}"
    assert issue_code(session=session, person=web).code != first.code


def test_a_code_links_telegram_and_the_tickets_follow_the_person(session: Session) -> None:
    web, telegram = _linked(session)
    on_web = _ticket(session, web, "beställt på webben")
    on_telegram = _ticket(session, telegram, "beställt i telegram")
    session.commit()

    for asking in (web, telegram):
        found = {t.number for t in list_requester_tickets(session=session, requester=asking)}
        assert found == {on_web.number, on_telegram.number}
    cancel_by_requester(session=session, ticket=on_web, requester=telegram, actor="t")
    assert on_web.state == TicketState.CANCELLED
    # The Telegram user took the person's name (never asked again) and the page was told.
    assert telegram.name == "Anna Berg"
    assert _outbox(session, web) == [LINKED_WEB_NOTICE]


def test_a_code_written_with_dash_space_or_lower_case_works(session: Session) -> None:
    web = _requester(session, "web", "c" * 32)
    telegram = _requester(session, "telegram", "1001")
    code = issue_code(session=session, person=web).code
    written = f" {code[:5].lower()} {code[5:].lower()} "
    assert redeem(session=session, requester=telegram, code=written).outcome == Outcome.LINKED


def test_an_expired_code_is_refused_and_links_nothing(session: Session) -> None:
    web = _requester(session, "web", "d" * 32)
    telegram = _requester(session, "telegram", "1002")
    long_ago = utcnow() - link_codes.CODE_TTL - timedelta(seconds=1)
    code = issue_code(session=session, person=web, now=long_ago).code
    assert redeem(session=session, requester=telegram, code=code).outcome == Outcome.EXPIRED
    assert person_requester_ids(session=session, requester=telegram) == [telegram.id]


def test_a_code_works_once_and_not_for_a_second_telegram_user(session: Session) -> None:
    web = _requester(session, "web", "e" * 32)
    first = _requester(session, "telegram", "1003")
    second = _requester(session, "telegram", "1004")
    code = issue_code(session=session, person=web).code
    assert redeem(session=session, requester=first, code=code).outcome == Outcome.LINKED
    assert redeem(session=session, requester=second, code=code).outcome == Outcome.USED
    assert redeem(session=session, requester=first, code=code).outcome == Outcome.ALREADY_LINKED
    assert person_requester_ids(session=session, requester=second) == [second.id]
    assert person_requester_ids(session=session, requester=web) == [web.id, first.id]


def test_a_new_code_replaces_the_unused_one(session: Session) -> None:
    web = _requester(session, "web", "f" * 32)
    telegram = _requester(session, "telegram", "1005")
    old = issue_code(session=session, person=web).code
    new = issue_code(session=session, person=web).code
    assert redeem(session=session, requester=telegram, code=old).outcome == Outcome.WRONG
    assert redeem(session=session, requester=telegram, code=new).outcome == Outcome.LINKED


def test_guessing_is_bounded_per_telegram_user(session: Session) -> None:
    web = _requester(session, "web", "1" * 32)
    guesser = _requester(session, "telegram", "1006")
    other = _requester(session, "telegram", "1007")
    code = issue_code(session=session, person=web).code
    for guess in range(MAX_FAILED_ATTEMPTS):
        wrong = redeem(session=session, requester=guesser, code=f"AAAAA-AAA{guess + 2:02d}")
        assert wrong.outcome == Outcome.WRONG
    session.commit()
    # Even the right code is refused unread now; another user is not held back.
    assert redeem(session=session, requester=guesser, code=code).outcome == Outcome.TOO_MANY
    assert person_requester_ids(session=session, requester=guesser) == [guesser.id]
    later = utcnow() + link_codes.ATTEMPT_WINDOW + timedelta(seconds=1)
    fresh = issue_code(session=session, person=web, now=later - timedelta(seconds=1)).code
    linked = link_codes.redeem_code(session=session, requester=guesser, code=fresh, now=later)
    assert linked.outcome == Outcome.LINKED
    assert redeem(session=session, requester=other, code="nonsense").outcome == Outcome.WRONG


def test_unlinking_from_either_side_stops_the_tickets_following(session: Session) -> None:
    web, telegram = _linked(session)
    on_web = _ticket(session, web, "webb")
    assert unlink_from_person(session=session, requester=telegram)
    assert not unlink_from_person(session=session, requester=telegram)
    assert list_requester_tickets(session=session, requester=telegram) == []
    with pytest.raises(NotOwnerError):
        cancel_by_requester(session=session, ticket=on_web, requester=telegram, actor="t")
    assert _outbox(session, web)[-1] == UNLINKED_WEB_NOTICE

    code = issue_code(session=session, person=web).code
    assert redeem(session=session, requester=telegram, code=code).outcome == Outcome.LINKED
    assert unlink_channel(session=session, person=web, channel="telegram") == [telegram]
    assert _outbox(session, telegram)[-1] == UNLINKED_TELEGRAM_NOTICE
    assert session.scalars(select(RequesterLink)).all() == []


def test_a_takeover_holds_both_channels_and_replies_follow_the_person(session: Session) -> None:
    web, telegram = _linked(session)
    agent, _token = create_agent(session=session, username="eva", display_name="Eva")
    ticket = _ticket(session, web, "hjälp")
    take_over(session=session, ticket=ticket, agent=agent)
    session.commit()
    # Both channels are told that a person at the desk answers now.
    assert any("Eva" in text for text in _outbox(session, web))
    assert any("Eva" in text for text in _outbox(session, telegram))

    assert reply_requester(session=session, ticket=ticket).id == web.id
    routed = relay.route_inbound(session=session, requester=telegram, text="skrivet i telegram")
    assert not routed.to_bot and routed.ticket_number == ticket.number
    # The person wrote from Telegram last: the agent's reply goes there.
    assert reply_requester(session=session, ticket=ticket).id == telegram.id
    reply = send_to_requester(session=session, ticket=ticket, agent=agent, text="Svar från Eva")
    assert reply.requester_id == telegram.id and reply.channel == "telegram"


def _settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test", database_url=db_url, tracker_store_url=None, secret_key="k" * 40,
        attachments_dir=tmp_path,
    )  # fmt: skip


def test_export_names_the_linked_channels_and_erasure_covers_them(
    session: Session, db_url: str, tmp_path: Path
) -> None:
    web, telegram = _linked(session)
    on_web, on_telegram = _ticket(session, web, "webb"), _ticket(session, telegram, "tg")
    session.commit()
    settings = _settings(db_url, tmp_path)
    data = export_person(session=session, settings=settings, requester=telegram, actor="t")
    assert data["profile"]["id"] == web.id
    assert {(c["channel"], c["external_id"]) for c in data["channels"]} == {
        ("web", web.external_id), ("telegram", "772345678"),
    }  # fmt: skip
    assert [(c["channel"], c["external_id"]) for c in data["linked_channels"]] == [
        ("telegram", "772345678")
    ]
    assert {t["number"] for t in data["tickets"]} == {on_web.number, on_telegram.number}

    counts = erase_person(session=session, settings=settings, requester=web, mode="delete",
                          actor="t")  # fmt: skip
    assert counts["requesters"] == 2 and counts["linked_channels"] == 1
    assert counts["tickets"] == 2
    session.expire_all()
    left = session.scalars(select(Requester.external_id)).all()
    assert web.external_id not in left and "772345678" not in left
    assert session.scalars(select(LinkCode)).all() == []
