"""Single sign-on against a real OpenID provider (node-oidc-provider) on loopback.

The desk runs as its own process with SSO on; a test is a browser without JavaScript (httpx
keeping both sites' cookies and following redirects) that fills in the provider's login form.
Refusals (wrong audience, expired ID token) come from provider instances set up to misbehave
that way: the one with its clock behind issues already-expired tokens, the other addresses its
ID tokens to another client.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from servicedesk.api.web_identity import COOKIE_NAME, SSO_COOKIE_NAME
from servicedesk.console.auth import COOKIE_NAME as CONSOLE_COOKIE
from servicedesk.models import Agent, AgentRole, ConsoleSession, Requester, WebSession
from servicedesk.sso import subject_id
from tests.support.oidc_provider import (
    ACCOUNTS,
    Account,
    OidcProvider,
    meta_refresh,
    sign_in,
    start_desk,
    start_provider,
)
from tests.support.processes import Process, free_port, run_app


@dataclass
class Desk:
    """A desk with SSO on, and the provider it trusts."""

    url: str
    database_url: str
    provider: OidcProvider
    process: Process
    env: dict[str, str]

    def browser(self) -> httpx.Client:
        """A fresh browser (cookie jar) pointed at the desk."""
        return httpx.Client(base_url=self.url, timeout=30)

    def rows(self, model: type) -> list:
        engine = create_engine(self.database_url)
        try:
            with Session(engine) as session:
                found = list(session.scalars(select(model)))
                session.expunge_all()
                return found
        finally:
            engine.dispose()

    def count(self, model: type) -> int:
        engine = create_engine(self.database_url)
        try:
            with Session(engine) as session:
                return int(session.scalar(select(func.count()).select_from(model)) or 0)
        finally:
            engine.dispose()


def _desk(tmp: Path, catalogue: bool = True, **provider_options: object) -> Iterator[Desk]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    provider = start_provider(tmp, url, **provider_options)  # type: ignore[arg-type]
    try:
        process, env = start_desk(tmp, port, provider.desk_env(url), catalogue=catalogue)
        try:
            yield Desk(url, env["SERVICEDESK_DATABASE_URL"], provider, process, env)
        finally:
            process.stop()
    finally:
        provider.stop()


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    yield from _desk(tmp_path_factory.mktemp("sso"))


def _account(login: str) -> Account:
    return next(a for a in ACCOUNTS if a.login == login)


def test_a_person_signs_in_to_the_chat_as_the_provider_names_them(desk: Desk) -> None:
    with desk.browser() as browser:
        landed = sign_in(browser, "/", "anna")
        assert landed.status_code == 200 and str(landed.url) == f"{desk.url}/"
        assert "En väg in" in landed.text
        # The desk issued no random identity: the person is the provider's.
        assert browser.cookies.get(COOKIE_NAME) is None
        assert browser.cookies.get(SSO_COOKIE_NAME, domain="127.0.0.1")
        profile = browser.get("/api/chat/profile").json()
    # Name from the claims, förvaltning from the group mapping, so the form is not asked.
    assert profile == {
        "name": "Anna Andersson", "department": "KFF",
        "department_name": "Kultur- och fritidsförvaltningen", "saved": True, "signed_in": True,
    }  # fmt: skip
    [anna] = [r for r in desk.rows(Requester) if r.email == "anna.andersson@kommun.example"]
    assert anna.channel == "web"
    assert anna.external_id == subject_id(desk.provider.issuer, _account("anna").sub)


def test_the_same_person_is_the_same_requester_at_every_login(desk: Desk) -> None:
    for _ in range(2):
        with desk.browser() as browser:
            assert sign_in(browser, "/", "anna").status_code == 200
    wanted = subject_id(desk.provider.issuer, _account("anna").sub)
    assert [r.external_id for r in desk.rows(Requester)].count(wanted) == 1


def test_the_forvaltning_claim_is_taken_when_the_provider_sends_one(desk: Desk) -> None:
    with desk.browser() as browser:
        sign_in(browser, "/", "bo")
        profile = browser.get("/api/chat/profile").json()
    assert profile["department"] == "SBF" and profile["saved"] is True
    assert profile["name"] == "Bo Berg"


def test_the_chat_asks_for_sign_in_and_its_api_refuses_strangers(desk: Desk) -> None:
    with desk.browser() as browser:
        page = browser.get("/")
        assert page.status_code == 303
        assert page.headers["location"] == "/auth/logga-in?next=/"
        start = browser.get("/auth/logga-in?next=/")
        assert start.status_code == 302
        assert start.headers["location"].startswith(f"{desk.provider.issuer}/auth?")
        assert "code_challenge_method=S256" in start.headers["location"]
        assert "nonce=" in start.headers["location"] and "state=" in start.headers["location"]
        refused = browser.get("/api/chat/profile")
        assert refused.status_code == 401
        assert "inte inloggad" in refused.json()["detail"]
        # A made-up session key is nobody.
        browser.cookies.set(SSO_COOKIE_NAME, "x" * 43, domain="127.0.0.1")
        assert browser.get("/api/chat/profile").status_code == 401


def test_logout_ends_the_session_so_a_copied_cookie_no_longer_works(desk: Desk) -> None:
    with desk.browser() as browser:
        sign_in(browser, "/", "anna")
        copied = browser.cookies.get(SSO_COOKIE_NAME, domain="127.0.0.1")
        leaving = browser.post("/auth/logga-ut")
        assert leaving.status_code == 200 and "Du loggas ut" in leaving.text
        assert browser.cookies.get(SSO_COOKIE_NAME, domain="127.0.0.1") is None
        # On to the provider's logout (end_session_endpoint), which asks and comes back.
        provider_logout = meta_refresh(leaving)
        assert provider_logout is not None
        assert provider_logout.startswith(f"{desk.provider.issuer}/session/end?")
        confirm = browser.get(provider_logout, follow_redirects=True)
        xsrf = confirm.text.split('name="xsrf" value="')[1].split('"')[0]
        done = browser.post(
            f"{desk.provider.issuer}/session/end/confirm",
            data={"xsrf": xsrf, "logout": "yes"}, follow_redirects=True,
        )  # fmt: skip
        assert str(done.url) == f"{desk.url}/auth/utloggad"
        assert "Du är utloggad" in done.text
        # The provider's session is over too: the chat sends the person to its login form.
        again = browser.get("/", follow_redirects=True)
        assert "/interaction/" in str(again.url) and 'id="username"' in again.text
    with httpx.Client(base_url=desk.url, timeout=30) as thief:
        thief.cookies.set(SSO_COOKIE_NAME, copied or "", domain="127.0.0.1")
        assert thief.get("/api/chat/profile").status_code == 401


def test_an_agent_signs_in_to_the_console_with_role_and_queues_from_groups(desk: Desk) -> None:
    with desk.browser() as browser:
        door = browser.get("/konsol")
        assert door.status_code == 303
        page = sign_in(browser, "/konsol", "kim")
        assert page.status_code == 200 and "Du är inloggad" in page.text
        assert meta_refresh(page) == "/konsol"
        queue = browser.get("/konsol")
        assert queue.status_code == 200 and "Kim Karlsson" in queue.text
    [kim] = [a for a in desk.rows(Agent) if a.display_name == "Kim Karlsson"]
    assert kim.role == AgentRole.AGENT and kim.queues == ["IT"]
    assert kim.sso_subject == subject_id(desk.provider.issuer, _account("kim").sub)
    with desk.browser() as browser:
        sign_in(browser, "/konsol", "ada")
        assert browser.get("/konsol/lasloggen").status_code != 403
    [ada] = [a for a in desk.rows(Agent) if a.display_name == "Ada Admin"]
    assert ada.role == AgentRole.ADMIN and ada.queues == []  # the admin group has every queue


def test_someone_in_no_mapped_group_is_refused_from_the_console(desk: Desk) -> None:
    agents_before = desk.count(Agent)
    with desk.browser() as browser:
        refused = sign_in(browser, "/konsol", "olle")
        assert refused.status_code == 403
        assert "Du har inte tillgång till konsolen" in refused.text
        assert browser.cookies.get(CONSOLE_COOKIE) is None
        assert browser.get("/konsol").status_code == 303
    assert desk.count(Agent) == agents_before
    assert not [a for a in desk.rows(Agent) if a.display_name == "Olle Okänd"]


def test_console_logout_ends_the_session_here_and_at_the_provider(desk: Desk) -> None:
    with desk.browser() as browser:
        sign_in(browser, "/konsol", "kim")
        copied = browser.cookies.get(CONSOLE_COOKIE)
        assert browser.get("/konsol").status_code == 200
        leaving = browser.post("/konsol/logga-ut")
        assert leaving.status_code == 200
        target = meta_refresh(leaving)
        assert target is not None and target.startswith(f"{desk.provider.issuer}/session/end?")
    with httpx.Client(base_url=desk.url, timeout=30) as thief:
        thief.cookies.set(CONSOLE_COOKIE, copied or "")
        assert thief.get("/konsol").status_code == 303


def test_the_token_form_is_closed_while_single_sign_on_is_on(desk: Desk) -> None:
    created = run_app(["-m", "servicedesk", "create-agent", "nyckel-anna"], desk.env)
    token = created.stdout.strip().splitlines()[-1].strip()
    with desk.browser() as browser:
        form = browser.get("/konsol/logga-in")
        assert form.status_code == 303 and form.headers["location"].startswith("/auth/logga-in")
        refused = browser.post("/konsol/logga-in", data={"token": token, "next": "/konsol"})
        assert refused.status_code == 403 and "organisationskonto" in refused.text
        assert browser.cookies.get(CONSOLE_COOKIE) is None


def test_a_callback_that_no_login_here_began_is_refused(desk: Desk) -> None:
    sessions_before = desk.count(WebSession)
    with desk.browser() as browser:
        refused = browser.get("/auth/callback", params={"code": "abc", "state": "made-up"})
        assert refused.status_code == 400
        assert "Inloggningen godkändes inte" in refused.text
    assert desk.count(WebSession) == sessions_before


@pytest.fixture(scope="module")
def wrong_audience_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    yield from _desk(
        tmp_path_factory.mktemp("sso-aud"), catalogue=False, name="oidc-wrong-aud",
        id_token_audience="en-annan-app",
    )  # fmt: skip


def test_an_id_token_for_another_client_is_refused_and_nothing_is_stored(
    wrong_audience_desk: Desk,
) -> None:
    desk = wrong_audience_desk
    with desk.browser() as browser:
        refused = sign_in(browser, "/", "anna")
        assert refused.status_code == 401
        assert "utfärdat för en annan tjänst" in refused.text
        assert browser.cookies.get(SSO_COOKIE_NAME, domain="127.0.0.1") is None
        assert browser.get("/api/chat/profile").status_code == 401
    assert desk.count(Requester) == 0 and desk.count(WebSession) == 0


@pytest.fixture(scope="module")
def late_clock_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    yield from _desk(
        tmp_path_factory.mktemp("sso-exp"), catalogue=False, name="oidc-late-clock",
        clock_offset_seconds=-1800,
    )  # fmt: skip


def test_an_expired_id_token_is_refused_and_nothing_is_stored(late_clock_desk: Desk) -> None:
    desk = late_clock_desk
    with desk.browser() as browser:
        refused = sign_in(browser, "/konsol", "kim")
        assert refused.status_code == 401
        assert "hade redan gått ut" in refused.text
        assert browser.cookies.get(CONSOLE_COOKIE) is None
    assert desk.count(Agent) == 0 and desk.count(ConsoleSession) == 0
