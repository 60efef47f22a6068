"""The web chat's link API: a code for the cookie's person only, the deep link, unlinking."""

from __future__ import annotations

from http.server import ThreadingHTTPServer

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from servicedesk.api.app import create_app
from servicedesk.link_codes import Outcome, code_hash
from servicedesk.linking import UNLINKED_TELEGRAM_NOTICE, redeem
from servicedesk.models import LinkCode, Message, Requester
from servicedesk.settings import Settings
from tests.integration.servicedesk.test_api import DeskClient


@pytest.fixture
def client(db_url: str, fake_rasa: ThreadingHTTPServer) -> DeskClient:
    """A browser-like desk client whose bot is called ``en_vag_in_bot``."""
    backend = f"http://127.0.0.1:{fake_rasa.server_port}"
    settings = Settings(
        environment="test", database_url=db_url, rasa_url=backend, action_server_url=backend,
        http_timeout_seconds=3, telegram_bot_username="en_vag_in_bot",
    )  # fmt: skip
    return DeskClient(create_app(settings))


def test_a_code_comes_with_the_deep_link_and_is_kept_only_hashed(
    client: DeskClient, session: Session
) -> None:
    assert client.get("/api/chat/link").json() == {"linked": []}
    issued = client.post("/api/chat/link")
    assert issued.status_code == 201
    body = issued.json()
    code = body["code"].replace("-", "")
    assert body["deep_link"] == f"https://t.me/en_vag_in_bot?start={code}"
    assert body["command"] == f"/start {code}"
    assert body["valid_minutes"] == 10
    stored = session.scalars(select(LinkCode)).one()
    assert stored.code_hash == code_hash(code)
    person = session.get(Requester, stored.person_id)
    assert person is not None and person.external_id == client.web_person_id


def test_redeemed_code_shows_as_linked_and_delete_unlinks_and_tells_telegram(
    client: DeskClient, session: Session
) -> None:
    code = client.post("/api/chat/link").json()["code"]
    telegram = Requester(channel="telegram", external_id="55501")
    session.add(telegram)
    session.flush()
    assert redeem(session=session, requester=telegram, code=code).outcome == Outcome.LINKED
    session.commit()
    linked = client.get("/api/chat/link").json()["linked"]
    assert [entry["channel"] for entry in linked] == ["telegram"]

    # Another browser (another person) sees nothing linked and unlinks nothing.
    other = DeskClient(client.app)
    assert other.request("DELETE", "/api/chat/link").json() == {"linked": []}
    assert client.get("/api/chat/link").json()["linked"] != []

    assert client.request("DELETE", "/api/chat/link").json() == {"linked": []}
    session.expire_all()
    told = session.scalars(select(Message.text).where(Message.requester_id == telegram.id))
    assert list(told) == [UNLINKED_TELEGRAM_NOTICE]
