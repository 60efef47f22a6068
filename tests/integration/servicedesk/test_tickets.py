"""Creating tickets, the state machine, cancelling, escalating and the queries."""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from servicedesk import tickets
from servicedesk.models import Requester, Service, Ticket, TicketEvent, TicketKind, TicketState
from servicedesk.tickets import NotOwnerError, TransitionError

S = TicketState
NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
ALLOWED = {
    (S.NEW, S.RECEIVED), (S.NEW, S.CANCELLED), (S.NEW, S.IN_PROGRESS),
    (S.RECEIVED, S.IN_PROGRESS), (S.RECEIVED, S.WAITING), (S.RECEIVED, S.CANCELLED),
    (S.IN_PROGRESS, S.DELIVERED), (S.IN_PROGRESS, S.WAITING), (S.IN_PROGRESS, S.CANCELLED),
    (S.WAITING, S.IN_PROGRESS), (S.WAITING, S.CANCELLED),
    (S.DELIVERED, S.CLOSED), (S.DELIVERED, S.IN_PROGRESS),
}  # fmt: skip


def _open(session: Session, requester: Requester, **kwargs: object) -> Ticket:
    fields: dict[str, object] = {
        "kind": TicketKind.ORDER,
        "channel": "rest",
        "conversation_id": "conv-1",
        "now": NOW,
    }
    fields.update(kwargs)
    ticket, created = tickets.create_ticket(session=session, requester=requester, **fields)  # type: ignore[arg-type]
    assert created
    return ticket


@pytest.fixture
def service(session: Session) -> Service:
    svc = Service(
        code="MOB-01", kind=TicketKind.ORDER, category="Möbler", name="Boka möbler",
        price_sek=Decimal("450.00"), sla_hours=48,
    )  # fmt: skip
    session.add(svc)
    session.commit()
    return svc


def test_create_ticket_records_details_sla_and_a_created_event(
    session: Session, requester: Requester, service: Service
) -> None:
    ticket = _open(
        session, requester, service_code="MOB-01", details={"antal": 12}, title="Stolar",
        transcript=[{"from": "user", "text": "boka möbler"}], actor="bot",
    )  # fmt: skip
    session.commit()
    assert ticket.state is S.NEW
    assert ticket.sla_deadline is not None
    assert ticket.sla_deadline.replace(tzinfo=UTC) == NOW + timedelta(hours=48)
    assert ticket.details == {"antal": 12}
    [event] = ticket.events
    assert (event.kind, event.actor, event.to_state) == ("created", "bot", "ny")
    assert event.data["channel"] == "rest"


def test_create_ticket_refuses_an_unknown_service(session: Session, requester: Requester) -> None:
    with pytest.raises(ValueError, match="NOPE"):
        _open(session, requester, service_code="NOPE")


def test_same_idempotency_key_twice_gives_one_ticket_and_one_created_event(
    session: Session, requester: Requester
) -> None:
    first = _open(session, requester, idempotency_key="conv-1:order:1")
    session.commit()
    again, created = tickets.create_ticket(
        session=session, requester=requester, kind=TicketKind.ORDER, channel="rest",
        conversation_id="conv-1", idempotency_key="conv-1:order:1",
    )  # fmt: skip
    assert (again.id, created) == (first.id, False)
    assert session.scalar(select(func.count()).select_from(Ticket)) == 1
    assert session.scalar(select(func.count()).select_from(TicketEvent)) == 1


def test_concurrent_creates_with_one_key_make_one_ticket(
    session_factory: sessionmaker[Session], requester: Requester
) -> None:
    workers = 6
    barrier = threading.Barrier(workers)

    def create(_: int) -> tuple[int, bool]:
        with session_factory() as sess:
            person = sess.get_one(Requester, requester.id)
            barrier.wait()
            ticket, created = tickets.create_ticket(
                session=sess, requester=person, kind=TicketKind.FAULT, channel="rest",
                conversation_id="c", idempotency_key="race",
            )  # fmt: skip
            sess.commit()
            return ticket.id, created

    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(create, range(workers)))
    assert len({ticket_id for ticket_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    with session_factory() as sess:
        assert sess.scalar(select(func.count()).select_from(TicketEvent)) == 1


@pytest.mark.parametrize(("from_state", "to_state"), list(itertools.product(S, S)))
def test_transition_follows_the_table(
    session: Session, requester: Requester, from_state: S, to_state: S
) -> None:
    ticket = _open(session, requester)
    ticket.state = from_state
    if (from_state, to_state) in ALLOWED:
        event = tickets.transition(
            session=session, ticket=ticket, to_state=to_state, actor="agent:eva", comment="ok"
        )
        session.commit()
        assert ticket.state is to_state
        assert (event.kind, event.from_state, event.to_state) == (
            "transition", from_state.value, to_state.value,
        )  # fmt: skip
    else:
        with pytest.raises(TransitionError) as caught:
            tickets.transition(session=session, ticket=ticket, to_state=to_state, actor="a")
        assert (caught.value.from_state, caught.value.to_state) == (from_state, to_state)
        assert ticket.state is from_state


def test_transition_moves_updated_at(session: Session, requester: Requester) -> None:
    ticket = _open(session, requester)
    later = NOW + timedelta(hours=2)
    tickets.transition(session=session, ticket=ticket, to_state=S.RECEIVED, actor="a", now=later)
    session.commit()
    session.refresh(ticket)
    assert ticket.updated_at.replace(tzinfo=UTC) == later


def test_cancel_is_refused_for_another_requesters_ticket(
    session: Session, requester: Requester
) -> None:
    ticket = _open(session, requester)
    stranger = Requester(channel="rest", external_id="someone-else")
    session.add(stranger)
    session.flush()
    with pytest.raises(NotOwnerError):
        tickets.cancel_by_requester(session=session, ticket=ticket, requester=stranger, actor="x")
    assert ticket.state is S.NEW


@pytest.mark.parametrize("state", [S.NEW, S.RECEIVED, S.WAITING])
def test_owner_can_cancel_before_work_starts(
    session: Session, requester: Requester, state: S
) -> None:
    ticket = _open(session, requester)
    ticket.state = state
    event = tickets.cancel_by_requester(
        session=session, ticket=ticket, requester=requester, actor="rest:sender-1"
    )
    assert ticket.state is S.CANCELLED
    assert event.to_state == "makulerad"


@pytest.mark.parametrize("state", [S.IN_PROGRESS, S.DELIVERED, S.CLOSED, S.CANCELLED])
def test_owner_cannot_cancel_once_work_has_started(
    session: Session, requester: Requester, state: S
) -> None:
    ticket = _open(session, requester)
    ticket.state = state
    with pytest.raises(TransitionError, match="Requesters cannot cancel"):
        tickets.cancel_by_requester(session=session, ticket=ticket, requester=requester, actor="x")


def test_escalate_marks_the_ticket_and_keeps_the_transcript(
    session: Session, requester: Requester
) -> None:
    ticket = _open(session, requester)
    transcript = [{"from": "user", "text": "jag vill prata med en människa"}]
    event = tickets.escalate(
        session=session, ticket=ticket, reason="human_handoff", actor="bot", transcript=transcript
    )
    session.commit()
    assert (ticket.escalated, ticket.escalation_reason) == (True, "human_handoff")
    assert ticket.transcript == transcript
    assert event.kind == "escalated"
    assert [e.kind for e in ticket.events] == ["created", "escalated"]


def test_queries_filter_and_order_newest_first(
    session: Session, requester: Requester, service: Service
) -> None:
    other = Requester(channel="telegram", external_id="99")
    session.add(other)
    session.flush()
    old = _open(session, requester, now=NOW)
    new = _open(session, requester, now=NOW + timedelta(hours=1), service_code="MOB-01")
    theirs = _open(session, other, now=NOW + timedelta(hours=2), escalated=True)
    tickets.transition(session=session, ticket=old, to_state=S.CANCELLED, actor="a")
    session.commit()

    def numbers(found: list[Ticket]) -> list[str]:
        return [t.number for t in found]

    assert numbers(tickets.list_tickets(session=session)) == [
        theirs.number, new.number, old.number,
    ]  # fmt: skip
    assert numbers(tickets.list_tickets(session=session, escalated=True)) == [theirs.number]
    assert numbers(tickets.list_tickets(session=session, state=S.CANCELLED)) == [old.number]
    assert numbers(tickets.list_tickets(session=session, service_code="MOB-01")) == [new.number]
    assert numbers(tickets.list_tickets(session=session, limit=1, offset=1)) == [new.number]
    assert numbers(
        tickets.list_requester_tickets(session=session, requester=requester, open_only=True)
    ) == [new.number]
    assert tickets.latest_requester_ticket(session=session, requester=requester) is new
    assert tickets.get_ticket(session=session, number=old.number) is old
    assert tickets.get_ticket(session=session, number="SD-1999-00001") is None
