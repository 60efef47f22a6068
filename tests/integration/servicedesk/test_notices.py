"""The notice pages: how personal data is handled and the accessibility statement, in Swedish,
open to anyone, naming the configured organisation and contacts; linked from the chat and the
console."""

from __future__ import annotations

from servicedesk.api import create_app
from servicedesk.settings import Settings
from tests.integration.servicedesk.test_api import DeskClient


def _desk(sqlite_url: str, **extra: str) -> DeskClient:
    settings = Settings(environment="test", database_url=sqlite_url, run_jobs=False, **extra)  # type: ignore[arg-type]
    return DeskClient(create_app(settings))


def test_the_data_page_says_what_is_kept_why_by_whom_how_long_and_how_to_ask(
    sqlite_url: str,
) -> None:
    response = _desk(sqlite_url).get("/dina-uppgifter")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page = response.text
    assert '<html lang="sv">' in page
    assert "<h1>Så hanteras dina uppgifter</h1>" in page
    for heading in ("Vad som sparas", "Varför", "Vem som kan läsa uppgifterna",
                    "Hur länge uppgifterna sparas", "Dina rättigheter"):  # fmt: skip
        assert f"<h2>{heading}</h2>" in page
    assert "gallringsbeslut" in page
    assert "registerutdrag" in page
    assert "automatisk assistent" in page
    assert "mailto:" not in page  # no address configured: the chat is the way to ask


def test_the_pages_name_the_configured_organisation_and_contacts(sqlite_url: str) -> None:
    desk = _desk(
        sqlite_url,
        organisation_name="Exempelby kommun",
        privacy_contact_email="dataskydd@exempelby.se",
        accessibility_contact_email="tillganglighet@exempelby.se",
    )
    privacy = desk.get("/dina-uppgifter").text
    assert "Exempelby kommuns chatt" in privacy
    assert 'href="mailto:dataskydd@exempelby.se"' in privacy
    statement = desk.get("/tillganglighet").text
    assert "Exempelby kommun står" in statement
    assert 'href="mailto:tillganglighet@exempelby.se"' in statement


def test_the_accessibility_statement_follows_diggs_model(sqlite_url: str) -> None:
    response = _desk(sqlite_url).get("/tillganglighet")
    assert response.status_code == 200
    page = response.text
    assert "<h1>Tillgänglighetsredogörelse</h1>" in page
    assert "Kommunen står" in page
    for heading in (
        "Hur tillgänglig är tjänsten?",
        "Vad kan du göra om du inte kan använda delar av tjänsten?",
        "Rapportera brister i tjänstens tillgänglighet",
        "Tillsyn",
        "Teknisk information om tjänstens tillgänglighet",
        "Hur vi testat tjänsten",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert "delvis förenlig" in page
    assert "https://www.digg.se/tdosanmalan" in page
    assert "Bristande förenlighet med lagkraven" in page


def test_the_chat_and_the_console_link_both_pages(sqlite_url: str) -> None:
    desk = _desk(sqlite_url)
    for page in (desk.get("/").text, desk.get("/konsol/logga-in").text):
        assert 'href="/dina-uppgifter"' in page
        assert 'href="/tillganglighet"' in page
    chat = desk.get("/").text
    assert 'role="log" aria-live="polite"' in chat
    assert "automatiska assistent" in chat
