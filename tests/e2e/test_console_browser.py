"""A real browser round trip: the employee escalates in the web chat, an agent takes over in
the console, they talk, the agent hands back and the bot answers again.

Runs Debian's Chromium (``/usr/bin/chromium``) headless through Playwright; no browser is
downloaded. The stack (Rasa, actions, desk) is the real one from ``tests/support/stack``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from servicedesk.relay import HANDBACK_TEXT
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e
NUMBER = re.compile(r"SD-\d{4}-\d{5}")
# Where to keep screenshots for the README (docs/), when asked to.
SCREENSHOT_DIR = os.environ.get("CONSOLE_SCREENSHOT_DIR")
# Rasa answers within a second or two, but a loaded 2-core machine can be much slower.
expect.set_options(timeout=30_000)


def _chat(page: Page, text: str) -> None:
    page.fill("#message", text)
    page.press("#message", "Enter")


def _shot(page: Page, name: str) -> None:
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / name), full_page=True)


def test_agent_takes_over_replies_and_hands_back_in_a_real_browser(
    stack: Stack, browser: Browser
) -> None:
    employee = browser.new_context(
        locale="sv-SE", viewport={"width": 900, "height": 900}
    ).new_page()
    employee.set_default_timeout(60_000)
    asked: list[str] = []  # the employee page's calls for the desk's messages
    employee.on(
        "request",
        lambda r: (
            asked.append(r.url)
            if "/api/chat/messages" in r.url or "/chat/stream" in r.url
            else None
        ),
    )
    employee.goto(f"{stack.desk_url}/")
    # First visit: the page asks for name and förvaltning once (optional).
    expect(employee.locator("#profile")).to_be_visible()
    employee.fill("#profile-name", "Kim Berg")
    employee.select_option("#profile-department", index=1)
    department = employee.locator("#profile-department option").nth(1).inner_text()
    employee.get_by_role("button", name="Spara").click()
    expect(employee.locator("#profile-line")).to_contain_text(f"Kim Berg, {department}")
    expect(employee.locator("#profile")).to_be_hidden()
    _chat(employee, "jag vill prata med en människa på servicedesken")
    bot = employee.locator(".msg--bot .msg__bubble")
    expect(bot.last).to_contain_text(NUMBER)
    number_match = NUMBER.search(bot.last.inner_text())
    assert number_match is not None
    number = number_match.group(0)

    desk = browser.new_context(locale="sv-SE", viewport={"width": 1400, "height": 900}).new_page()
    desk.set_default_timeout(60_000)
    desk.goto(f"{stack.desk_url}/konsol")
    expect(desk.locator("h1")).to_have_text("Logga in")
    desk.fill("#token", "fel-nyckel")
    desk.click("button[type=submit]")
    expect(desk.locator(".alert")).to_contain_text("Inloggningsnyckeln stämmer inte")
    desk.fill("#token", stack.admin_token)
    desk.click("button[type=submit]")
    row = desk.locator("#queue-rows tr", has_text=number)
    expect(row).to_contain_text("Eskalerat")
    _shot(desk, "console-queue.png")
    row.get_by_role("link", name=number).click()
    expect(desk.locator("h1")).to_contain_text(number)
    expect(desk.locator(".transcript")).to_contain_text("prata med en människa")
    expect(desk.locator(".facts").first).to_contain_text(f"Kim Berg, {department}")

    desk.get_by_role("button", name="Ta över samtalet").click()
    expect(desk.locator(".takeover")).to_contain_text("Du har tagit över samtalet")
    expect(employee.locator(".msg--bot .msg__bubble").last).to_contain_text("Du pratar nu med")

    desk.fill("#reply", "Hej! Jag heter Administratör på servicedesken. Vad gäller det?")
    desk.get_by_role("button", name="Skicka svar").click()
    agent_bubble = employee.locator(".msg--agent .msg__bubble")
    expect(agent_bubble.last).to_have_text(
        "Hej! Jag heter Administratör på servicedesken. Vad gäller det?"
    )
    # The reply was pushed over the page's event stream, not fetched by polling.
    assert any("/api/chat/stream" in url for url in asked), asked
    assert not any("/api/chat/messages" in url for url in asked), asked

    _chat(employee, "Skrivaren på plan 3 i Rådhuset fungerar inte")
    expect(desk.locator("#thread .msg--person").last).to_contain_text(
        "Skrivaren på plan 3 i Rådhuset fungerar inte"
    )
    # The bot stayed silent: the employee's last bubble is their own message.
    expect(employee.locator(".msg").last).to_have_class(re.compile(r"msg--user"))
    _shot(desk, "console-ticket.png")

    desk.get_by_role("button", name="Lämna tillbaka till assistenten").click()
    expect(desk.locator(".takeover")).to_contain_text("Assistenten sköter samtalet")
    expect(employee.locator(".msg--bot .msg__bubble").last).to_have_text(HANDBACK_TEXT)

    _chat(employee, "hej")
    expect(employee.locator(".msg").last).to_have_class(re.compile(r"msg--bot"))
    expect(employee.locator(".msg--bot .msg__bubble").last).not_to_have_text(HANDBACK_TEXT)
    _shot(employee, "webchat.png")
