"""Requesters are created once per channel identity, also under concurrent first contact."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from servicedesk.models import Requester
from servicedesk.requesters import get_or_create_requester


def test_first_contact_creates_and_later_contact_finds_the_same_requester(
    session: Session,
) -> None:
    first = get_or_create_requester(session=session, channel="rest", external_id="u1")
    session.commit()
    again = get_or_create_requester(session=session, channel="rest", external_id="u1", name="Bo")
    assert again.id == first.id
    assert again.name == "Bo"


def test_same_external_id_on_another_channel_is_another_requester(session: Session) -> None:
    web = get_or_create_requester(session=session, channel="rest", external_id="42")
    telegram = get_or_create_requester(session=session, channel="telegram", external_id="42")
    assert web.id != telegram.id


def test_a_rolled_back_first_contact_leaves_no_requester(session: Session) -> None:
    get_or_create_requester(session=session, channel="rest", external_id="gone")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Requester)) == 0


def test_concurrent_first_contact_yields_one_requester(
    session_factory: sessionmaker[Session],
) -> None:
    workers = 8
    barrier = threading.Barrier(workers)

    def first_contact(_: int) -> int:
        with session_factory() as sess:
            barrier.wait()
            person = get_or_create_requester(session=sess, channel="rest", external_id="same")
            sess.commit()
            return person.id

    with ThreadPoolExecutor(workers) as pool:
        ids = set(pool.map(first_contact, range(workers)))
    assert len(ids) == 1
    with session_factory() as sess:
        assert sess.scalar(select(func.count()).select_from(Requester)) == 1
