"""The web chat person is who the desk's signed cookie says, never who the caller claims.

Rasa is the stand-in from conftest (it records what reaches its relay channel); the
victim's messages and tickets are real rows in the database.
"""

from __future__ import annotations

import string
from http.server import ThreadingHTTPServer

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from servicedesk import relay
from servicedesk.api import create_app
from servicedesk.api.web_identity import COOKIE_NAME, cookie_value, new_person_id
from servicedesk.models import Requester
from servicedesk.requesters import get_or_create_requester
from servicedesk.settings import Settings
from tests.integration.servicedesk.test_api import DeskClient

VICTIM = "0123456789abcdef0123456789abcdef"


def _settings(db_url: str, rasa_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test", "database_url": db_url, "rasa_url": rasa_url,
        "action_server_url": rasa_url, "http_timeout_seconds": 3, "run_jobs": False,
        "secret_key": "a-test-secret-key-that-is-long-enough-0123",
    }  # fmt: skip
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture
def settings(db_url: str, fake_rasa: ThreadingHTTPServer) -> Settings:
    """Desk settings wired to the stand-in Rasa."""
    return _settings(db_url, f"http://127.0.0.1:{fake_rasa.server_port}")


@pytest.fixture
def client(settings: Settings) -> DeskClient:
    """A browser-like client (it keeps cookies) of the desk."""
    return DeskClient(create_app(settings))


@pytest.fixture
def victim_message(session: Session) -> str:
    """Something the desk queued for the victim; returns its text."""
    person = get_or_create_requester(session=session, channel="web", external_id=VICTIM)
    session.flush()
    relay.enqueue_outbound(session=session, requester=person, text="Ditt ärende SD-2026-00001")
    session.commit()
    return "Ditt ärende SD-2026-00001"


def _senders(fake_rasa: ThreadingHTTPServer) -> list[str]:
    return [body["sender"] for body in fake_rasa.received]  # type: ignore[attr-defined]


def test_a_first_request_gets_a_signed_httponly_lax_cookie_and_keeps_it(
    client: DeskClient, fake_rasa: ThreadingHTTPServer
) -> None:
    first = client.post("/api/chat", json={"message": "hej"})
    assert first.status_code == 200
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Max-Age=31536000" in cookie
    assert "Secure" not in cookie  # plain http in a test environment
    person = client.web_person_id
    assert person is not None and len(person) == 32
    second = client.post("/api/chat", json={"message": "hej igen"})
    assert "set-cookie" not in second.headers  # the same person, nothing new to set
    assert _senders(fake_rasa) == [f"web:{person}", f"web:{person}"]


def test_the_cookie_is_secure_over_https_and_when_the_setting_says_so(
    settings: Settings, db_url: str, fake_rasa: ThreadingHTTPServer
) -> None:
    over_https = DeskClient(create_app(settings), base_url="https://desk")
    assert "Secure" in over_https.get("/").headers["set-cookie"]
    forced = _settings(db_url, settings.rasa_url, cookie_secure=True)
    assert "Secure" in DeskClient(create_app(forced)).get("/").headers["set-cookie"]


def test_the_page_issues_the_cookie_and_a_visit_renews_the_same_person(
    client: DeskClient,
) -> None:
    first = client.get("/")
    assert first.status_code == 200
    person = client.web_person_id
    assert person is not None
    again = client.get("/")
    assert again.headers["set-cookie"].startswith(f"{COOKIE_NAME}=")
    assert client.web_person_id == person


def test_a_sender_in_the_body_or_query_is_ignored(
    client: DeskClient, fake_rasa: ThreadingHTTPServer, victim_message: str
) -> None:
    response = client.post("/api/chat", json={"sender": VICTIM, "message": "visa mina ärenden"})
    assert response.status_code == 200
    own = client.web_person_id
    assert own is not None and own != VICTIM
    assert _senders(fake_rasa) == [f"web:{own}"]
    client.post("/api/chat/restart", json={"sender": VICTIM})
    assert _senders(fake_rasa)[-1] == f"web:{own}"
    polled = client.get("/api/chat/messages", params={"sender": VICTIM, "after": 0})
    assert polled.status_code == 200
    assert victim_message not in polled.text


@pytest.mark.parametrize(
    "forged",
    [
        VICTIM,  # the bare id, unsigned
        cookie_value("another-key-" * 4, VICTIM),  # signed with another key
        "f" * 32 + "." + "A" * 43,  # a made-up signature
    ],
    ids=["unsigned", "other-key", "made-up-signature"],
)
def test_a_forged_cookie_gets_a_fresh_identity_never_the_victims(
    client: DeskClient, fake_rasa: ThreadingHTTPServer, victim_message: str, forged: str
) -> None:
    client.cookies[COOKIE_NAME] = forged
    polled = client.get("/api/chat/messages", params={"after": 0})
    assert polled.status_code == 200
    assert polled.json() == []
    fresh = client.web_person_id
    assert fresh is not None and fresh != VICTIM
    client.post("/api/chat", json={"message": "visa mina ärenden"})
    assert _senders(fake_rasa) == [f"web:{fresh}"]


def test_a_tampered_cookie_of_a_real_person_names_nobody(
    client: DeskClient, settings: Settings, victim_message: str
) -> None:
    genuine = cookie_value(settings.secret_key, new_person_id())
    person, signature = genuine.split(".", 1)
    # The victim's id under someone else's signature; a signature with its first character
    # changed; and one with the last character changed only in the two bits base64 does not
    # use there (43 characters carry 32 bytes), which decodes to the same signature and
    # must name nobody either.
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    last = alphabet[alphabet.index(genuine[-1]) ^ 1]
    first = "B" if signature[0] == "A" else "A"
    for tampered in (
        f"{VICTIM}.{signature}",
        f"{person}.{first}{signature[1:]}",
        genuine[:-1] + last,
    ):
        client.cookies = {COOKIE_NAME: tampered}
        assert client.get("/api/chat/messages").json() == []
        assert client.web_person_id not in (None, VICTIM, person)


def test_only_the_victims_own_cookie_reads_their_messages(
    client: DeskClient, victim_message: str
) -> None:
    assert client.get("/api/chat/messages").json() == []
    client.as_web_person(VICTIM)
    assert [m["text"] for m in client.get("/api/chat/messages").json()] == [victim_message]


def test_a_refused_turn_still_keeps_the_new_identity(
    db_url: str, closed_port: int, session: Session
) -> None:
    offline = DeskClient(create_app(_settings(db_url, f"http://127.0.0.1:{closed_port}")))
    response = offline.post("/api/chat", json={"message": "hej"})
    assert response.status_code == 503
    person = offline.web_person_id
    assert person is not None  # the cookie came with the error answer
    filed = session.scalars(select(Requester).where(Requester.external_id == person)).one()
    assert filed.channel == "web"
