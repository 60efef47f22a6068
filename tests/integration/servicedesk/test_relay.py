"""The outbox: delivery in order, retries with the channel's retry_after, permanent failures."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from servicedesk import relay
from servicedesk.models import DeliveryState, Message, Requester

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


class Channel:
    """A push channel that records deliveries and fails as told."""

    def __init__(self, failures: dict[str, relay.DeliveryError] | None = None) -> None:
        self.sent: list[tuple[str, str]] = []
        self.failures = dict(failures or {})

    async def deliver(self, external_id: str, text: str, buttons: Sequence[dict[str, Any]]) -> None:
        if text in self.failures:
            raise self.failures.pop(text)
        self.sent.append((external_id, text))


def _person(session: Session, external_id: str) -> Requester:
    person = Requester(channel="telegram", external_id=external_id)
    session.add(person)
    session.commit()
    return person


def _drain(factory: sessionmaker[Session], channel: Channel, now: datetime) -> int:
    return asyncio.run(
        relay.drain_outbox(
            session_factory=factory, channel="telegram", deliverer=channel, now=lambda: now
        )
    )


def test_messages_are_delivered_in_order_and_once(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    anna = _person(session, "100")
    for text in ("ett", "två", "tre"):
        relay.enqueue_outbound(session=session, requester=anna, text=text, now=T0)
    session.commit()
    channel = Channel()
    assert _drain(session_factory, channel, T0) == 3
    assert _drain(session_factory, channel, T0) == 0
    assert channel.sent == [("100", "ett"), ("100", "två"), ("100", "tre")]


def test_retry_after_holds_back_the_rest_of_that_persons_messages(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    anna, bo = _person(session, "100"), _person(session, "200")
    relay.enqueue_outbound(session=session, requester=anna, text="a1", now=T0)
    relay.enqueue_outbound(session=session, requester=bo, text="b1", now=T0)
    relay.enqueue_outbound(session=session, requester=anna, text="a2", now=T0)
    session.commit()
    channel = Channel({"a1": relay.DeliveryError("429", retry_after=30)})
    assert _drain(session_factory, channel, T0) == 1
    assert channel.sent == [("200", "b1")]
    assert _drain(session_factory, channel, T0 + timedelta(seconds=10)) == 0
    assert _drain(session_factory, channel, T0 + timedelta(seconds=31)) == 2
    assert channel.sent[1:] == [("100", "a1"), ("100", "a2")]


def test_permanent_failure_is_kept_as_failed(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    anna = _person(session, "100")
    relay.enqueue_outbound(session=session, requester=anna, text="blocked", now=T0)
    session.commit()
    channel = Channel({"blocked": relay.DeliveryError("Forbidden", permanent=True)})
    assert _drain(session_factory, channel, T0) == 0
    session.expire_all()
    message = session.scalars(select(Message)).one()
    assert message.delivery_state == DeliveryState.FAILED
    assert message.last_error == "Forbidden"


def test_dedupe_key_queues_a_message_once(session: Session) -> None:
    anna = _person(session, "100")
    first = relay.enqueue_outbound(session=session, requester=anna, text="x", dedupe_key="k1")
    again = relay.enqueue_outbound(session=session, requester=anna, text="x", dedupe_key="k1")
    session.commit()
    assert first.id == again.id
    assert len(session.scalars(select(Message)).all()) == 1
