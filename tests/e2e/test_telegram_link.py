"""One person across channels, end to end: a web chat person links Telegram with a one-time
code, and their tickets follow them. The real desk, Rasa, action server and database, and
the real python-telegram-bot bridge against the fake Bot API."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.telegram import texts
from servicedesk.link_codes import CODE_TTL, issue_code
from servicedesk.linking import LINKED_WEB_NOTICE, UNLINKED_TELEGRAM_NOTICE, UNLINKED_WEB_NOTICE
from servicedesk.links import person_requester_ids
from servicedesk.models import Requester, utcnow
from tests.e2e.test_telegram import new_user, order_fika, say, start_bridge
from tests.support.fake_telegram import FakeTelegram
from tests.support.processes import Process, wait_for
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e
expect.set_options(timeout=30_000)
NUMBER = re.compile(r"SD-\d{4}-\d{5}")


@pytest.fixture(scope="module")
def bridge(
    stack: Stack, fake: FakeTelegram, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Process]:
    proc = start_bridge(stack, fake, tmp_path_factory.mktemp("telegram-link"), "telegram-link")
    try:
        yield proc
    finally:
        proc.stop()


def _text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("text", "")) for m in messages)


def _web_person(stack: Stack) -> str:
    """A new web chat person who has filled in the name and förvaltning form."""
    name = f"link-{uuid.uuid4().hex[:8]}"
    saved = stack.visitor(name).http.put(
        "/api/chat/profile", json={"name": "Lina Holm", "department": "SEF"}
    )
    assert saved.status_code == 200, saved.text
    return name


def _web_order(stack: Stack, name: str) -> str:
    stack.chat_through_fields(name, "fika till 6 personer på fredag kl 14")
    summary = _text(stack.chat_through_fields(name, "Rådhuset rum 7"))
    assert "Stämmer det här?" in summary, summary
    found = NUMBER.search(_text(stack.chat_through_fields(name, "ja")))
    assert found
    return found.group(0)


def _code(stack: Stack, name: str) -> dict[str, Any]:
    issued = stack.visitor(name).http.post("/api/chat/link")
    assert issued.status_code == 201, issued.text
    body: dict[str, Any] = issued.json()
    return body


def _wait_web_message(stack: Stack, name: str, text: str) -> None:
    """Wait until the desk hands web person ``name`` the message ``text``."""

    def arrived() -> bool:
        got = stack.visitor(name).http.get("/api/chat/messages").json()
        return any(m["text"] == text for m in got)

    wait_for(arrived, timeout=30, what=f"{text!r} in the web chat")


def test_a_linked_person_sees_the_same_tickets_on_the_web_and_in_telegram(
    stack: Stack, bridge: Process, fake: FakeTelegram
) -> None:
    name = _web_person(stack)
    on_web = _web_order(stack, name)
    issued = _code(stack, name)
    assert issued["command"] == f"/start {issued['code'].replace('-', '')}"
    user = new_user()

    # The deep link's /start <code>: linked at once, the name and förvaltning come along.
    assert say(fake, user, issued["command"], "kopplat")[-1] == texts.LINKED
    _wait_web_message(stack, name, LINKED_WEB_NOTICE)
    linked = stack.visitor(name).http.get("/api/chat/link").json()["linked"]
    assert [entry["channel"] for entry in linked] == ["telegram"]

    listed = "\n".join(say(fake, user, "visa mina ärenden", "Dina senaste ärenden"))
    assert on_web in listed
    in_telegram = order_fika(fake, user)  # no name question: the profile came with the link
    assert on_web != in_telegram
    assert in_telegram in _text(stack.chat(name, "visa mina ärenden"))
    cancelled = _text(stack.chat(name, f"avboka ärende {in_telegram}"))
    assert f"Ärende {in_telegram} är nu makulerat" in cancelled


def test_wrong_used_and_expired_codes_get_a_clear_answer_and_link_nothing(
    stack: Stack, bridge: Process, fake: FakeTelegram, sessions: sessionmaker[Session]
) -> None:
    name = _web_person(stack)
    issued = _code(stack, name)
    first, second = new_user(), new_user()
    assert say(fake, first, f"/koppla {issued['code']}", "kopplat")[-1] == texts.LINKED
    # The same code from a second Telegram user: used, and that user is linked to no one.
    assert say(fake, second, issued["command"], "använd")[-1] == texts.LINK_CODE_USED
    assert say(fake, second, "/start ABCDE-FGH23", "känner jag inte")[-1] == texts.LINK_CODE_WRONG

    with sessions() as session:
        person = session.scalars(
            select(Requester).where(
                Requester.channel == "web", Requester.external_id == stack.web_id(name)
            )
        ).one()
        old = issue_code(session=session, person=person, now=utcnow() - CODE_TTL * 2)
        session.commit()
    assert say(fake, second, old.display, "gått ut")[-1] == texts.LINK_CODE_EXPIRED
    with sessions() as session:
        lone = session.scalars(
            select(Requester).where(
                Requester.channel == "telegram", Requester.external_id == str(second)
            )
        ).one()
        assert person_requester_ids(session=session, requester=lone) == [lone.id]
        # Issuing the expired code replaced the unused one: the person still has the first link.
        assert len(person_requester_ids(session=session, requester=person)) == 2


def test_guessing_codes_is_stopped_after_a_few_tries(bridge: Process, fake: FakeTelegram) -> None:
    user = new_user()
    for guess in ("AAAAA-BBBB2", "AAAAA-BBBB3", "AAAAA-BBBB4", "AAAAA-BBBB5", "AAAAA-BBBB6"):
        assert say(fake, user, f"/koppla {guess}", "känner jag inte")[-1] == texts.LINK_CODE_WRONG
    assert say(fake, user, "/koppla AAAAA-BBBB7", "för många")[-1] == texts.LINK_TOO_MANY


def test_unlinking_from_either_side_stops_the_tickets_following(
    stack: Stack, bridge: Process, fake: FakeTelegram
) -> None:
    name = _web_person(stack)
    on_web = _web_order(stack, name)
    user = new_user()
    say(fake, user, _code(stack, name)["command"], "kopplat")
    assert on_web in "\n".join(say(fake, user, "visa mina ärenden", "Dina senaste ärenden"))

    # From Telegram: /koppla_fran, confirmed in both chats.
    assert say(fake, user, "/koppla_fran", "inte längre kopplat")[-1] == texts.UNLINKED
    _wait_web_message(stack, name, UNLINKED_WEB_NOTICE)
    assert stack.visitor(name).http.get("/api/chat/link").json() == {"linked": []}
    assert "inga ärenden" in "\n".join(say(fake, user, "visa mina ärenden", "inga ärenden"))
    assert say(fake, user, "/koppla_fran", "inget att ta bort")[-1] == texts.NOT_LINKED

    # From the web chat: the Telegram chat is told through the desk's outbox.
    say(fake, user, _code(stack, name)["command"], "kopplat")
    before = len(fake.sent(user))
    removed = stack.visitor(name).http.delete("/api/chat/link")
    assert removed.status_code == 200 and removed.json() == {"linked": []}
    fake.wait_sent(user, before, lambda t: t == UNLINKED_TELEGRAM_NOTICE)
    assert "inga ärenden" in "\n".join(say(fake, user, "visa mina ärenden", "inga ärenden"))


def test_a_code_lives_only_a_short_while(stack: Stack) -> None:
    name = _web_person(stack)
    issued = _code(stack, name)
    # The desk and the test read the same machine's clock.
    lifetime = datetime.fromisoformat(issued["expires_at"]) - utcnow()
    assert timedelta(minutes=5) < lifetime <= timedelta(minutes=10)
    assert issued["valid_minutes"] == 10
    assert issued["deep_link"] is None  # the stack names no bot username


def test_the_web_chat_page_links_and_unlinks_telegram_in_a_browser(
    stack: Stack, bridge: Process, fake: FakeTelegram, browser: Browser
) -> None:
    context = browser.new_context(locale="sv-SE", viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{stack.desk_url}/")
        page.fill("#profile-name", "Maja Lind")
        page.select_option("#profile-department", index=1)
        page.click("#profile button[type=submit]")
        expect(page.locator("#profile")).to_be_hidden()

        toggle = page.locator("#link-toggle")
        expect(toggle).to_have_text("Koppla Telegram")
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        page.get_by_role("button", name="Hämta kod").click()
        expect(page.locator("#link-code")).to_have_text(re.compile(r"^[A-Z2-9]{5}-[A-Z2-9]{5}$"))
        command = page.locator("#link-command").inner_text()
        assert int(page.evaluate("document.documentElement.scrollWidth")) <= 375

        user = new_user()
        assert say(fake, user, command, "kopplat")[-1] == texts.LINKED
        # The desk tells the page, which then shows the link (pushed; at most ~10 s between
        # processes).
        expect(page.locator(".msg__bubble", has_text=LINKED_WEB_NOTICE)).to_be_visible(
            timeout=45_000
        )
        expect(toggle).to_have_text("Telegram kopplat")
        expect(page.locator("#link-since")).to_contain_text("Telegram är kopplat till dig sedan")

        before = len(fake.sent(user))
        page.get_by_role("button", name="Koppla från Telegram").click()
        expect(page.locator("#link-status")).to_have_text(
            "Klart! Telegram är inte längre kopplat till dig."
        )
        expect(toggle).to_have_text("Koppla Telegram")
        fake.wait_sent(user, before, lambda t: t == UNLINKED_TELEGRAM_NOTICE)
    finally:
        context.close()
