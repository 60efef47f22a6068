"""Ticket numbers: SD-YYYY-NNNNN, sequential per year, unique under concurrency."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from servicedesk.models import Requester, TicketKind
from servicedesk.tickets import create_ticket, next_ticket_number


def test_numbers_are_zero_padded_and_count_per_year(session: Session) -> None:
    first = next_ticket_number(session=session, year=2025)
    second = next_ticket_number(session=session, year=2025)
    other_year = next_ticket_number(session=session, year=2026)
    assert (first, second, other_year) == ("SD-2025-00001", "SD-2025-00002", "SD-2026-00001")
    assert re.fullmatch(r"SD-\d{4}-\d{5}", first)


def test_committed_numbers_are_never_handed_out_again(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as first, first.begin():
        assert next_ticket_number(session=first, year=2025) == "SD-2025-00001"
    with session_factory() as rolled_back:
        assert next_ticket_number(session=rolled_back, year=2025) == "SD-2025-00002"
        rolled_back.rollback()  # nothing used it, so nothing was lost
    with session_factory() as second, second.begin():
        assert next_ticket_number(session=second, year=2025) == "SD-2025-00002"
        assert next_ticket_number(session=second, year=2025) == "SD-2025-00003"


def test_ticket_year_follows_stockholm_time(session: Session, requester: Requester) -> None:
    new_years_eve_utc = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 in Stockholm
    ticket, _ = create_ticket(
        session=session,
        requester=requester,
        kind=TicketKind.QUESTION,
        channel="rest",
        conversation_id="c",
        now=new_years_eve_utc,
    )
    assert ticket.number == "SD-2026-00001"


def test_concurrent_creates_get_distinct_sequential_numbers(
    session_factory: sessionmaker[Session], requester: Requester
) -> None:
    threads, per_thread = 8, 25
    now = datetime(2025, 6, 1, 12, tzinfo=UTC)

    def create_many(worker: int) -> list[str]:
        numbers = []
        for i in range(per_thread):
            with session_factory() as sess, sess.begin():
                person = sess.get_one(Requester, requester.id)
                ticket, created = create_ticket(
                    session=sess,
                    requester=person,
                    kind=TicketKind.ORDER,
                    channel="rest",
                    conversation_id=f"w{worker}",
                    idempotency_key=f"w{worker}-{i}",
                    now=now,
                )
                assert created
                numbers.append(ticket.number)
        return numbers

    with ThreadPoolExecutor(threads) as pool:
        numbers = [n for batch in pool.map(create_many, range(threads)) for n in batch]
    total = threads * per_thread
    assert len(set(numbers)) == total
    assert sorted(numbers) == [f"SD-2025-{i:05d}" for i in range(1, total + 1)]
