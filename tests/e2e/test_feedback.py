"""Kunddialog end to end: a ticket delivered through the desk API, the invitation in the web
chat, four scores and a comment through the chat relay, and the report showing them."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from servicedesk.db import make_engine
from servicedesk.feedback.sweep import run_sweep
from servicedesk.models import Feedback, Ticket, utcnow
from servicedesk.settings import Settings
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e
NUMBER = re.compile(r"SD-\d{4}-\d{5}")


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def desk_post(stack: Stack, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{stack.desk_url}{path}",
        json=body,
        headers={"Authorization": f"Bearer {stack.admin_token}"},
        timeout=30,
    )


def pushed(stack: Stack, sender: str, after: int = 0) -> list[dict[str, Any]]:
    response = stack.visitor(sender).http.get(
        "/api/chat/messages", params={"after": after}, timeout=10
    )
    response.raise_for_status()
    return list(response.json())


def wait_for_pushed(stack: Stack, sender: str, needle: str, timeout: float = 30) -> list[Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = pushed(stack, sender)
        if needle in texts(found):
            return found
        time.sleep(0.5)
    raise AssertionError(f"no pushed message with {needle!r}: {texts(pushed(stack, sender))}")


def sweep_now(stack: Stack, number: str) -> None:
    """Run the feedback sweep as the desk does, without delay or quiet hours."""
    settings = Settings(
        environment="test", database_url=stack.database_url, rasa_url=stack.rasa_url,
        rasa_token=stack.env["SERVICEDESK_RASA_TOKEN"],
        feedback_delay_minutes=0, feedback_quiet_start="00:00", feedback_quiet_end="00:00",
        feedback_quiet_weekdays=[], feedback_idle_seconds=0,
    )  # fmt: skip
    engine = make_engine(stack.database_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        asyncio.run(run_sweep(settings=settings, session_factory=factory, now=utcnow()))
        # The desk's own sweep (one hour's delay by default) may have opened the row first.
        with factory() as session:
            ticket_id = select(Ticket.id).where(Ticket.number == number).scalar_subquery()
            session.execute(
                update(Feedback)
                .where(Feedback.ticket_id == ticket_id, Feedback.status == "pending")
                .values(due_at=utcnow() - timedelta(minutes=1))
            )
            session.commit()
        asyncio.run(run_sweep(settings=settings, session_factory=factory, now=utcnow()))
    finally:
        engine.dispose()


def set_department(stack: Stack, sender: str, code: str) -> None:
    """The person answers the page's name and förvaltning form."""
    saved = stack.visitor(sender).http.put("/api/chat/profile", json={"department": code})
    assert saved.status_code == 200, saved.text


def test_a_delivered_ticket_is_surveyed_in_the_web_chat_and_reported(stack: Stack) -> None:
    sender = f"e2e-fb-{uuid.uuid4().hex[:10]}"
    stack.chat_through_fields(sender, "fika till 6 personer på fredag kl 14")
    stack.chat_through_fields(sender, "kommunhuset rum 101")
    match = NUMBER.search(texts(stack.chat_through_fields(sender, "ja")))
    assert match, "no ticket was opened"
    number = match.group(0)
    set_department(stack, sender, "KLK")

    for state in ("pågår", "levererad"):
        moved = desk_post(stack, f"/api/tickets/{number}/transition", {"to_state": state})
        assert moved.status_code == 200, moved.text

    sweep_now(stack, number)
    invitation = wait_for_pushed(stack, sender, "Återkoppling")
    assert number in texts(invitation)
    first_question = next(m for m in invitation if "Återkoppling" in m["text"])
    assert [b["title"] for b in first_question["buttons"]][:10] == [str(n) for n in range(1, 11)]

    assert "Motsvarad förväntan" in texts(stack.chat_through_fields(sender, "8"))
    reask = texts(stack.chat_through_fields(sender, "ganska bra"))
    assert "från 1 till 10" in reask and "Motsvarad förväntan" in reask
    assert "Bemötande" in texts(stack.chat_through_fields(sender, "åtta"))
    assert "Samlad bedömning" in texts(stack.chat_through_fields(sender, "8/10"))
    assert "kommentar" in texts(stack.chat_through_fields(sender, "en stark sjua"))
    assert "Tack för dina svar" in texts(
        stack.chat_through_fields(sender, "Fikat kom i tid men kaffet var kallt")
    )

    today = utcnow().date()
    first, last = today - timedelta(days=1), today + timedelta(days=1)
    report = httpx.get(
        f"{stack.desk_url}/api/reports/feedback",
        params={"from": first.isoformat(), "to": last.isoformat()},
        headers={"Authorization": f"Bearer {stack.admin_token}"},
        timeout=30,
    )  # fmt: skip
    assert report.status_code == 200, report.text
    body = report.json()
    klk = next(r for r in body["rows"] if r["key"] == "KLK")
    assert klk["current"] == {
        "count": 1, "overall": "7.00", "communication": "8.00",
        "expectation": "8.00", "treatment": "8.00",
    }  # fmt: skip
    assert {
        "ticket_number": number,
        "text": "Fikat kom i tid men kaffet var kallt",
    }.items() <= next(c for c in body["comments"] if c["ticket_number"] == number).items()
