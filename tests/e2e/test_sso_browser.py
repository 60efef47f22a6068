"""Single sign-on in a real browser: an employee signs in to the web chat through a real
OpenID provider (node-oidc-provider on loopback) and orders a conference room; an agent
signs in to the console through the same provider, finds the order in the queue their group
gives them and takes the conversation over; both log out.

Debian's Chromium through Playwright, the whole stack (Rasa, actions, desk) with SSO on.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_webchat_browser import NUMBER, SUMMARY, _answer, _say
from tests.support.oidc_provider import PASSWORD
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e
expect.set_options(timeout=30_000)


def _provider_login(page: Page, login: str) -> None:
    """Fill in the provider's own login form (on the provider's site, not the desk's)."""
    expect(page.locator("#username")).to_be_visible()
    assert page.url.startswith("http://localhost:"), page.url
    page.fill("#username", login)
    page.fill("#password", PASSWORD)
    page.click("#login")


def test_person_and_agent_sign_in_through_the_provider_order_and_take_over(
    sso_stack: Stack, browser: Browser
) -> None:
    employee = browser.new_context(locale="sv-SE", viewport={"width": 900, "height": 900})
    person = employee.new_page()
    person.set_default_timeout(60_000)
    person.goto(f"{sso_stack.desk_url}/")
    _provider_login(person, "anna")

    # Back in the chat as the provider named her: name and förvaltning known, not asked.
    expect(person.locator("#profile-line")).to_contain_text(
        "Anna Andersson, Kultur- och fritidsförvaltningen"
    )
    expect(person.locator("#profile")).to_be_hidden()
    expect(person.get_by_role("button", name="Logga ut")).to_be_visible()
    expect(person.locator("#send")).to_be_enabled()

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

    desk = browser.new_context(locale="sv-SE", viewport={"width": 1400, "height": 900}).new_page()
    desk.set_default_timeout(60_000)
    desk.goto(f"{sso_stack.desk_url}/konsol")
    _provider_login(desk, "kim")
    # Kim's group gives the Konferens queue, where the order is.
    row = desk.locator("#queue-rows tr", has_text=number)
    expect(row).to_be_visible()
    expect(desk.locator(".top__user")).to_contain_text("Kim Karlsson")
    row.get_by_role("link", name=number).click()
    expect(desk.locator("h1")).to_contain_text(number)
    expect(desk.locator(".facts").first).to_contain_text("Anna Andersson")

    desk.get_by_role("button", name="Ta över samtalet").click()
    expect(desk.locator(".takeover")).to_contain_text("Du har tagit över samtalet")
    expect(person.locator(".msg--bot .msg__bubble").last).to_contain_text("Du pratar nu med")
    desk.fill("#reply", "Hej Anna! Rummet är bokat, vill du ha en projektor också?")
    desk.get_by_role("button", name="Skicka svar").click()
    expect(person.locator(".msg--agent .msg__bubble").last).to_have_text(
        "Hej Anna! Rummet är bokat, vill du ha en projektor också?"
    )

    # Logging out of the chat ends the session here and at the provider.
    person.get_by_role("button", name="Logga ut").click()
    expect(person.locator("h1")).to_have_text("Logga ut")  # the provider asks
    person.get_by_role("button", name="Ja, logga ut").click()
    expect(person.locator("h1")).to_have_text("Du är utloggad")
    assert person.url == f"{sso_stack.desk_url}/auth/utloggad"
    person.goto(f"{sso_stack.desk_url}/")
    expect(person.locator("#username")).to_be_visible()  # asked to sign in again
    assert not [c for c in employee.cookies() if c["name"] == "envagin_chatt_sso"]

    desk.get_by_role("button", name=re.compile("Logga ut")).click()
    expect(desk.locator("h1")).to_have_text("Logga ut")
    desk.get_by_role("button", name="Ja, logga ut").click()
    expect(desk.locator("h1")).to_have_text("Du är utloggad")
    desk.goto(f"{sso_stack.desk_url}/konsol")
    expect(desk.locator("#username")).to_be_visible()
