"""The identity issue's "done when" in one run: through the real OpenID provider a person
signs in to the web chat and orders; links Telegram with the code the page shows and sees
the same tickets there; an agent signs in through the provider, sees the linked chats on
the ticket and takes the conversation over, which both chats hear about.

Debian's Chromium through Playwright; the whole stack with single sign-on on; the real
python-telegram-bot bridge against the fake Bot API.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from bot.telegram import texts
from servicedesk.linking import LINKED_WEB_NOTICE
from tests.e2e.test_sso_browser import _provider_login
from tests.e2e.test_telegram import new_user, say, start_bridge
from tests.e2e.test_webchat_browser import NUMBER, SUMMARY, _answer, _say
from tests.support.fake_telegram import FakeTelegram
from tests.support.processes import Process
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _patient_expect() -> Iterator[None]:
    """Three processes and a browser on two busy cores: 60 s per expectation here.

    Set per test, not at import: every browser module sets the global at import time, and
    the last one collected would win.
    """
    expect.set_options(timeout=60_000)
    try:
        yield
    finally:
        expect.set_options(timeout=30_000)


@pytest.fixture(scope="module")
def bridge(
    sso_stack: Stack, fake: FakeTelegram, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Process]:
    """The Telegram bridge of the single sign-on stack."""
    proc = start_bridge(sso_stack, fake, tmp_path_factory.mktemp("sso-telegram"), "sso-telegram")
    try:
        yield proc
    finally:
        proc.stop()


def test_a_signed_in_person_orders_links_telegram_and_an_agent_takes_over(
    sso_stack: Stack, bridge: Process, fake: FakeTelegram, browser: Browser
) -> None:
    employee = browser.new_context(locale="sv-SE", viewport={"width": 900, "height": 900})
    person = employee.new_page()
    person.set_default_timeout(60_000)
    person.goto(f"{sso_stack.desk_url}/")
    # Bo, not Anna: test_sso_browser leaves Anna's conversation taken over by an agent on the
    # same stack, and a taken-over conversation is the agent's until handed back.
    _provider_login(person, "bo")
    expect(person.locator("#profile-line")).to_contain_text("Bo Berg")
    expect(person.locator("#send")).to_be_enabled()  # the history has been loaded

    question = _say(person, "jag vill boka konferensrum")
    for _ in range(8):
        if SUMMARY in question:
            break
        question = _say(person, _answer(question))
    assert SUMMARY in question, f"no summary; the last question was {question!r}"
    person.locator(".msg--bot").last.get_by_role("button", name="Ja").click()
    expect(person.locator(".msg--bot .msg__bubble").last).to_contain_text(NUMBER)
    found = NUMBER.search(person.locator(".msg--bot .msg__bubble").last.inner_text())
    assert found is not None
    number = found.group(0)

    # Link Telegram from the signed-in chat: the code is the SSO person's.
    toggle = person.locator("#link-toggle")
    toggle.click()
    person.get_by_role("button", name="Hämta kod").click()
    expect(person.locator("#link-command")).to_have_text(re.compile(r"^/start [A-Z2-9]{10}$"))
    command = person.locator("#link-command").inner_text()
    user = new_user()
    assert say(fake, user, command, "kopplat")[-1] == texts.LINKED
    expect(person.locator(".msg__bubble", has_text=LINKED_WEB_NOTICE)).to_be_visible(timeout=90_000)
    expect(toggle).to_have_text("Telegram kopplat")
    # The same tickets in Telegram, with no name question: the profile came with the link.
    listed = "\n".join(say(fake, user, "visa mina ärenden", "Dina senaste ärenden"))
    assert number in listed

    desk = browser.new_context(locale="sv-SE", viewport={"width": 1400, "height": 900}).new_page()
    desk.set_default_timeout(60_000)
    desk.goto(f"{sso_stack.desk_url}/konsol")
    _provider_login(desk, "kim")
    row = desk.locator("#queue-rows tr", has_text=number)
    expect(row).to_be_visible()
    row.get_by_role("link", name=number).click()
    expect(desk.locator("h1")).to_contain_text(number)
    channels = desk.locator("#person-channels li")
    expect(channels).to_have_count(2)
    expect(channels.nth(0)).to_contain_text("Webbchatt · ärendet kom härifrån")
    expect(channels.nth(1)).to_contain_text("Telegram, kopplad")

    before = len(fake.sent(user))
    desk.get_by_role("button", name="Ta över samtalet").click()
    expect(desk.locator(".takeover")).to_contain_text("Du har tagit över samtalet")
    expect(person.locator(".msg--bot .msg__bubble").last).to_contain_text("Du pratar nu med")
    fake.wait_sent(user, before, lambda t: "Du pratar nu med" in t)  # both chats are told

    # What the person writes in Telegram reaches the agent; the answer goes back there.
    fake.push(fake.text_update(user, "Kan ni ordna en projektor också?"))
    expect(desk.locator("#thread")).to_contain_text("Kan ni ordna en projektor också?")
    before = len(fake.sent(user))
    desk.fill("#reply", "Ja, projektorn står i rummet.")
    desk.get_by_role("button", name="Skicka svar").click()
    fake.wait_sent(user, before, lambda t: t == "Ja, projektorn står i rummet.")
    employee.close()
    desk.context.close()
