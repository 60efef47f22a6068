"""A personnummer sent in the web chat never reaches the desk database, Rasa's tracker store
or any process log: it is masked on arrival and the person is told so once."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, inspect, text

from servicedesk.models import utcnow
from servicedesk.privacy import MASK, NOTICE
from tests.e2e.test_feedback import desk_post, set_department, sweep_now, wait_for_pushed
from tests.e2e.test_telegram import bridge, new_user, onboard, say
from tests.support.fake_telegram import FakeTelegram
from tests.support.processes import Process
from tests.support.stack import Stack

__all__ = ["bridge"]  # the Telegram bridge, as a fixture here too (the fake Bot API is in conftest)

pytestmark = pytest.mark.e2e
NUMBER = re.compile(r"SD-\d{4}-\d{5}")
#: Test numbers valid by Luhn and date: a personnummer and a samordningsnummer.
PNR, PNR_DIGITS = "811218-9876", "8112189876"
SAMORDNING, SAMORDNING_DIGITS = "19701063-2391", "197010632391"
#: Each number in any form: with or without the century, with or without a separator.
#: (A bare date fragment such as "701063" also occurs in Rasa's float timestamps.)
NEEDLES = (re.compile(r"811218\D{0,3}9876"), re.compile(r"701063\D{0,3}2391"))


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [str(m.get("text", "")) for m in messages]


def _dump_database(url: str) -> str:
    """Every row of every table of the database at ``url``, as text."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            assert tables, f"no tables in {url}"
            return "\n".join(
                repr(tuple(row))
                for table in tables
                for row in conn.execute(text(f'SELECT * FROM "{table}"'))
            )
    finally:
        engine.dispose()


def _assert_nowhere(stack: Stack, dumps: dict[str, str]) -> None:
    for where, content in dumps.items():
        for needle in NEEDLES:
            found = needle.search(content)
            assert found is None, f"{found.group(0) if found else ''} found in {where}"


def test_a_personnummer_in_an_order_and_a_feedback_comment_is_kept_nowhere(stack: Stack) -> None:
    sender = f"e2e-pnr-{uuid.uuid4().hex[:10]}"
    replies: list[str] = []
    replies += texts(stack.chat_through_fields(sender, "fika till 6 personer på fredag kl 14"))
    where = texts(stack.chat_through_fields(sender, f"kommunhuset rum 101, mitt pnr är {PNR}"))
    assert where[0] == NOTICE
    replies += where
    done = texts(stack.chat_through_fields(sender, "ja"))
    replies += done
    match = NUMBER.search("\n".join(done))
    assert match, f"no ticket was opened: {replies}"
    number = match.group(0)
    ticket = stack.api(f"/api/tickets/{number}").json()
    assert MASK in str(ticket["details"]) + str(ticket["transcript"])

    # The kunddialog after delivery, with a samordningsnummer in the free-text comment.
    set_department(stack, sender, "KLK")
    for state in ("pågår", "levererad"):
        moved = desk_post(stack, f"/api/tickets/{number}/transition", {"to_state": state})
        assert moved.status_code == 200, moved.text
    sweep_now(stack, number)
    wait_for_pushed(stack, sender, "Återkoppling")
    for score in ("8", "8", "8", "7"):
        replies += texts(stack.chat_through_fields(sender, score))
    thanks = texts(stack.chat_through_fields(sender, f"Bra, men ring kollegan {SAMORDNING}"))
    replies += thanks
    assert any("Tack för dina svar" in t for t in thanks), thanks

    today = utcnow().date()
    report = httpx.get(
        f"{stack.desk_url}/api/reports/feedback",
        params={"from": (today - timedelta(days=1)).isoformat(),
                "to": (today + timedelta(days=1)).isoformat()},
        headers={"Authorization": f"Bearer {stack.admin_token}"},
        timeout=30,
    )  # fmt: skip
    comment = next(c for c in report.json()["comments"] if c["ticket_number"] == number)
    assert comment["text"] == f"Bra, men ring kollegan {MASK}"

    assert replies.count(NOTICE) == 1, "the person is told once per conversation"
    logs = {f"log {p.name}": Path(p.log_path).read_text(errors="replace") for p in stack.processes}
    _assert_nowhere(
        stack,
        {
            "desk database": _dump_database(stack.database_url),
            "tracker store": _dump_database(f"sqlite:///{stack.env['RASA_TRACKER_DB']}"),
            **logs,
        },
    )
    # The masked words did reach all of them: the check above looked at the right places.
    assert MASK in _dump_database(stack.database_url)
    assert MASK in _dump_database(f"sqlite:///{stack.env['RASA_TRACKER_DB']}")


def test_a_personnummer_in_telegram_is_masked_before_the_bridge_keeps_or_forwards_it(
    stack: Stack, fake: FakeTelegram, bridge: Process
) -> None:
    user = new_user()
    onboard(fake, user)
    replies = say(fake, user, f"jag vill beställa fika, mitt personnummer är {PNR}", NOTICE)
    assert replies.count(NOTICE) == 1
    later = say(fake, user, f"och min kollegas är {SAMORDNING}, kaffe till 6", "")
    assert NOTICE not in later

    tracker = _dump_database(f"sqlite:///{stack.env['RASA_TRACKER_DB']}")
    assert f"telegram:{user}" in tracker and MASK in tracker
    _assert_nowhere(
        stack,
        {
            "desk database": _dump_database(stack.database_url),
            "tracker store": tracker,
            "bridge log": Path(bridge.log_path).read_text(errors="replace"),
        },
    )
