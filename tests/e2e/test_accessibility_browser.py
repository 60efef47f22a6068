"""Accessibility in a real browser: axe-core finds nothing serious or critical on the web
chat (before and during an order, with the Telegram link panel open), the console, the
notice pages and the single sign-on pages (refusals, "Du är inloggad", logout); a whole order and a
console takeover work with the keyboard alone, with visible focus; the conversation is a
live region screen readers announce; the first message says it is an automated assistant.

Runs Debian's Chromium headless through Playwright against the real stack, like
``test_webchat_browser.py``; axe-core is vendored (``tests/support/axe.min.js``).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from servicedesk.api.chat import SLOW_TEXT
from servicedesk.relay import HANDBACK_TEXT
from tests.e2e.test_sso_browser import _provider_login
from tests.support.axe import assert_accessible, run_axe
from tests.support.processes import wait_for
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e
NUMBER = re.compile(r"SD-\d{4}-\d{5}")
SUMMARY = "Stämmer det här?"
# Rasa answers within a second or two, but a loaded 2-core machine can be much slower.
expect.set_options(timeout=30_000)

# The konferensrum form's questions, each answered by what it asks for (see
# test_webchat_browser.py), so a reworded or reordered form still works.
ANSWERS = (
    (re.compile(r"kostnadsställe", re.IGNORECASE), "4410"),
    (re.compile(r"hur många|antal|personer|deltagare", re.IGNORECASE), "12 personer"),
    (re.compile(r"datum|vilken dag", re.IGNORECASE), "på torsdag"),
    (re.compile(r"\btid\b|klockan|vilken tid", re.IGNORECASE), "kl 10"),
    (re.compile(r"\bvar\b|plats|adress|lokal|byggnad", re.IGNORECASE), "Rådhuset"),
)

# What the focused element is, and whether its focus can be seen (an outline or a shadow).
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {
    id: el.id, tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || "").trim(),
    action: el.dataset ? el.dataset.action || "" : "", href: el.getAttribute("href") || "",
    visible: outline || style.boxShadow !== "none",
  };
}"""


def _focused(page: Page) -> dict[str, str | bool] | None:
    found: dict[str, str | bool] | None = page.evaluate(_FOCUSED)
    return found


def _tab_to(page: Page, matches: object, backwards: bool = False, limit: int = 60) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches; each stop shows its focus."""
    assert callable(matches)
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        focused = _focused(page)
        if focused is None:
            continue
        assert focused["visible"], f"no visible focus on {focused}"
        if matches(focused):
            return
        seen.append(focused)
    raise AssertionError(f"not reached with {key}; focus went through {seen}")


def _wait_for_bot(page: Page) -> str:
    """Wait for the assistant's answer (past "Jag jobbar på det" on a slow turn); return it."""
    expect(page.locator(".msg").last).to_have_class(re.compile(r"\bmsg--bot\b"))
    expect(page.locator("#typing")).to_be_hidden()
    last = page.locator(".msg--bot .msg__bubble").last
    expect(last).not_to_have_text(SLOW_TEXT, timeout=120_000)
    return last.inner_text()


def _type_and_send(page: Page, text: str) -> str:
    """Type into the focused message box and press Enter; return the bot's answer."""
    assert (_focused(page) or {}).get("id") == "message"
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    expect(page.locator(".msg--user .msg__bubble").last).to_have_text(text)
    return _wait_for_bot(page)


def _answer(question: str) -> str:
    for pattern, answer in ANSWERS:
        if pattern.search(question):
            return answer
    raise AssertionError(f"The test does not know how to answer {question!r}")


def test_first_message_says_it_is_an_automated_assistant_and_links_the_data_page(
    stack: Stack, browser: Browser
) -> None:
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(f"{stack.desk_url}/")
    intro = page.locator("#log > li").first
    expect(intro).to_have_id("intro")
    expect(intro).to_contain_text("automatiska assistent")
    expect(intro).to_contain_text("inte med en människa")
    expect(intro).to_contain_text("prata med en person")
    link = intro.get_by_role("link", name="Så hanteras dina uppgifter")
    expect(link).to_have_attribute("href", "/dina-uppgifter")

    # The conversation is announced to screen readers; the box and buttons have names.
    region = page.get_by_role("log", name="Konversation")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region.locator("#log")).to_be_attached()
    expect(page.get_by_label("Ditt meddelande")).to_have_id("message")
    expect(page.get_by_role("button", name="Skicka")).to_be_visible()
    # The typing indicator is a status with a spoken text, not three unnamed dots.
    typing = page.locator("#typing")
    expect(typing).to_have_attribute("role", "status")
    typing.evaluate("(el) => { el.hidden = false; }")
    expect(typing).to_contain_text("Assistenten skriver")
    assert_accessible(page, "the web chat with the typing indicator shown")
    typing.evaluate("(el) => { el.hidden = true; }")

    # The data page and the accessibility statement, each linked from the chat's footer.
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Så hanteras dina uppgifter")
    for heading in ("Vad som sparas", "Varför", "Vem som kan läsa uppgifterna",
                    "Hur länge uppgifterna sparas", "Dina rättigheter"):  # fmt: skip
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("gallringsbeslut")
    assert_accessible(page, "Så hanteras dina uppgifter")
    page.goto(f"{stack.desk_url}/")
    page.locator(".chat__footer").get_by_role("link", name="Tillgänglighetsredogörelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse")
    expect(page.locator("main")).to_contain_text("delvis förenlig")
    expect(page.get_by_role("heading", name="Tillsyn")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Myndigheten för digital"))).to_have_attribute(
        "href", "https://www.digg.se/tdosanmalan"
    )
    assert_accessible(page, "Tillgänglighetsredogörelse")

    # The check can fail: a button without a name on the same page is a critical finding.
    page.locator("main").evaluate("(m) => m.appendChild(document.createElement('button'))")
    found = {(v["id"], v["impact"]) for v in run_axe(page)}
    assert ("button-name", "critical") in found
    context.close()


def test_a_whole_order_with_the_keyboard_alone_and_no_serious_axe_findings(
    stack: Stack, browser: Browser
) -> None:
    context = browser.new_context(locale="sv-SE", viewport={"width": 900, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{stack.desk_url}/")
    expect(page.locator("#profile-department option").nth(1)).to_be_attached()
    assert_accessible(page, "the web chat with the profile form")

    # Name and förvaltning: Tab to the field, type, choose with the arrow keys, Tab to Spara.
    _tab_to(page, lambda f: f["id"] == "profile-name")
    page.keyboard.type("Alva Tangent")
    page.keyboard.press("Tab")
    assert (_focused(page) or {}).get("id") == "profile-department"
    page.keyboard.press("ArrowDown")
    _tab_to(page, lambda f: f["text"] == "Spara", limit=3)
    page.keyboard.press("Enter")
    expect(page.locator("#profile-line")).to_contain_text("Alva Tangent")
    expect(page.locator("#profile")).to_be_hidden()
    expect(page.locator("#send")).to_be_enabled()
    assert (_focused(page) or {}).get("id") == "message"  # saving puts the person in the box
    assert_accessible(page, "the web chat, empty conversation")

    question = _type_and_send(page, "jag vill boka konferensrum")
    assert_accessible(page, "the web chat during an order")
    for _ in range(8):
        if SUMMARY in question:
            break
        question = _type_and_send(page, _answer(question))
    assert SUMMARY in question, f"no summary; the last question was {question!r}"

    # At the summary: its answer buttons are a named group with named buttons, and pass axe.
    choices = page.locator(".msg--bot").last.get_by_role("group", name="Svarsalternativ")
    expect(choices.get_by_role("button", name="Ja")).to_be_enabled()
    for name in choices.get_by_role("button").all_inner_texts():
        assert name.strip(), "an answer button without a name"
    assert_accessible(page, "the web chat at the summary with buttons")

    # The buttons sit above the message box: Shift+Tab reaches "Ja", Space presses it.
    _tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Ja", backwards=True)
    page.keyboard.press("Space")
    expect(page.locator(".msg--user .msg__bubble").last).to_have_text("Ja")
    done = _wait_for_bot(page)
    number = NUMBER.search(done)
    assert number is not None, done
    assert (_focused(page) or {}).get("id") == "message"  # back in the box for what comes next
    assert_accessible(page, "the web chat after the order")
    # The order is a real ticket, the person's own.
    ticket = stack.api(f"/api/tickets/{number.group(0)}")
    assert ticket.status_code == 200, ticket.text
    assert ticket.json()["requester"]["name"] == "Alva Tangent"
    context.close()


def _visitor_reads(stack: Stack, name: str, text: str) -> None:
    """Poll the web chat person's messages until ``text`` has come."""

    def arrived() -> bool:
        response = stack.visitor(name).http.get("/api/chat/messages", params={"after": 0})
        response.raise_for_status()
        return any(m.get("text") == text for m in response.json())

    wait_for(arrived, 30, f"{name} to get {text!r}")


def _escalate(stack: Stack, name: str) -> str:
    """The web chat person asks for a human; return the escalated ticket's number."""
    said = stack.chat(name, "jag vill prata med en människa på servicedesken")
    texts = [str(m.get("text", "")) for m in said]

    def numbered() -> bool:
        # A slow first turn answers "Jag jobbar på det"; the real answer comes to the outbox.
        if not any(NUMBER.search(t) for t in texts):
            response = stack.visitor(name).http.get("/api/chat/messages", params={"after": 0})
            texts.extend(str(m.get("text", "")) for m in response.json())
        return any(NUMBER.search(t) for t in texts)

    wait_for(numbered, 120, f"a ticket number for {name}")
    found = next(NUMBER.search(t) for t in texts if NUMBER.search(t))
    assert found is not None
    return found.group(0)


def test_console_login_queue_and_takeover_with_the_keyboard_alone(
    stack: Stack, browser: Browser
) -> None:
    number = _escalate(stack, "tangentbord")

    desk = browser.new_context(locale="sv-SE", viewport={"width": 1400, "height": 900}).new_page()
    desk.set_default_timeout(60_000)
    desk.goto(f"{stack.desk_url}/konsol")
    expect(desk.get_by_role("heading", level=1)).to_have_text("Logga in")
    footer = desk.locator("footer")
    expect(footer.get_by_role("link", name="Tillgänglighetsredogörelse")).to_have_attribute(
        "href", "/tillganglighet"
    )
    expect(footer.get_by_role("link", name=re.compile("Så hanteras"))).to_have_attribute(
        "href", "/dina-uppgifter"
    )
    assert_accessible(desk, "the console login")
    assert (_focused(desk) or {}).get("id") == "token"  # autofocus
    desk.keyboard.type(stack.admin_token)
    desk.keyboard.press("Enter")
    row = desk.locator("#queue-rows tr", has_text=number)
    expect(row).to_contain_text("Eskalerat")
    assert_accessible(desk, "the console queue")
    # The queue refreshes itself; its count is a status a screen reader hears change.
    expect(desk.locator("#queue-total")).to_have_attribute("role", "status")

    # The skip link is the first stop and leads past the menu.
    desk.keyboard.press("Tab")
    assert (_focused(desk) or {}).get("text") == "Hoppa till innehållet"
    _tab_to(desk, lambda f: f["tag"] == "a" and f["text"] == number)
    desk.keyboard.press("Enter")
    expect(desk.get_by_role("heading", level=1)).to_contain_text(number)
    assert_accessible(desk, "the console ticket page")

    _tab_to(desk, lambda f: f["action"] == "takeover")
    desk.keyboard.press("Space")
    expect(desk.locator(".takeover")).to_contain_text("Du har tagit över samtalet")
    # After the page reloads, the reply box has the focus.
    expect(desk.locator("#reply")).to_be_focused()
    assert_accessible(desk, "the console ticket page during a takeover")
    reply = "Hej! Servicedesken här, vad kan jag hjälpa till med?"
    desk.keyboard.type(reply)
    desk.keyboard.press("Tab")
    assert (_focused(desk) or {}).get("text") == "Skicka svar"
    desk.keyboard.press("Enter")
    expect(desk.locator("#thread .msg--agent").last).to_contain_text(reply)
    _visitor_reads(stack, "tangentbord", reply)

    _tab_to(desk, lambda f: f["action"] == "handback", backwards=True)
    desk.keyboard.press("Enter")
    expect(desk.locator(".takeover")).to_contain_text("Assistenten sköter samtalet")
    expect(desk.locator("[data-action=takeover]")).to_be_focused()
    _visitor_reads(stack, "tangentbord", HANDBACK_TEXT)

    # The console's other pages.
    for path, heading in (("/konsol/statistik", "Statistik"),
                          ("/konsol/rapporter/kunddialog", "Kunddialog")):  # fmt: skip
        desk.goto(f"{stack.desk_url}{path}")
        expect(desk.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(desk, f"the console's {heading}")
    desk.context.close()


def test_the_web_chat_with_the_telegram_link_panel_open_has_no_serious_axe_findings(
    stack: Stack, browser: Browser
) -> None:
    context = browser.new_context(locale="sv-SE", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{stack.desk_url}/")
    page.fill("#profile-name", "Linn Panel")
    page.select_option("#profile-department", index=1)
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#profile")).to_be_hidden()
    toggle = page.locator("#link-toggle")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("region", name="Telegram")).to_be_visible()
    assert_accessible(page, "the web chat with the Telegram link panel open")
    page.get_by_role("button", name="Hämta kod").click()
    expect(page.locator("#link-code")).to_have_text(re.compile(r"^[A-Z2-9]{5}-[A-Z2-9]{5}$"))
    assert_accessible(page, "the web chat's link panel showing a code")
    context.close()


def _stay(page: Page, pattern: str) -> None:
    """Keep the page where it is when it goes on to ``pattern`` by itself (a ``<meta
    http-equiv=refresh>``): that navigation gets 204 No Content, which a browser drops."""
    page.route(pattern, lambda route: route.fulfill(status=204))


def test_the_sign_in_pages_have_no_serious_axe_findings(sso_stack: Stack, browser: Browser) -> None:
    desk = sso_stack.desk_url
    heading = "h1"

    # A callback no sign-in here began: the refusal page.
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(f"{desk}/auth/callback?state=okand&code=x")
    expect(page.locator(heading)).to_have_text("Inloggningen godkändes inte")
    assert_accessible(page, "the refused sign-in page")
    # Someone whose groups give no console.
    page.goto(f"{desk}/konsol")
    _provider_login(page, "olle")
    expect(page.locator(heading)).to_have_text("Du har inte tillgång till konsolen")
    assert_accessible(page, "the console refused by group")
    context.close()

    # "Du är inloggad" goes on to the console by itself, "Du loggas ut" to the provider:
    # each is held while axe runs, then left by its own link.
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(f"{desk}/konsol")
    _stay(page, f"{desk}/konsol")
    _provider_login(page, "kim")
    expect(page.locator(heading)).to_have_text("Du är inloggad")
    assert_accessible(page, "Du är inloggad")
    page.unroute(f"{desk}/konsol")
    page.get_by_role("link", name="Öppna konsolen").click()
    expect(page.locator(".top__user")).to_contain_text("Kim Karlsson")
    _stay(page, "http://localhost:*/**")
    page.get_by_role("button", name=re.compile("Logga ut")).click()
    expect(page.locator(heading)).to_have_text("Du loggas ut")
    assert_accessible(page, "Du loggas ut (on to the provider)")
    page.unroute("http://localhost:*/**")
    page.get_by_role("link", name="Logga ut från organisationskontot").click()
    page.get_by_role("button", name="Ja, logga ut").click()
    expect(page.locator(heading)).to_have_text("Du är utloggad")
    assert_accessible(page, "Du är utloggad")
    context.close()
