"""No default, empty or short secret runs in production; development gets random ones once."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from servicedesk.secrets import (
    MIN_SECRET_CHARS,
    SECRET_VARIABLES,
    ensure_env_file,
    production_problems,
    weak_secret_problem,
)
from servicedesk.settings import Settings

STRONG = "k" * MIN_SECRET_CHARS
FIELDS = {
    "SERVICEDESK_SECRET_KEY": "secret_key",
    "SERVICEDESK_RASA_TOKEN": "rasa_token",
    "SERVICEDESK_RELAY_SECRET": "relay_secret",
    "SERVICEDESK_ACTION_SECRET": "action_secret",
    "SERVICEDESK_FIELD_KEY": "field_key",
}


def _production(**overrides: object) -> Settings:
    values: dict[str, object] = {field: STRONG for field in FIELDS.values()}
    values.update(overrides)
    return Settings(environment="production", **values)  # type: ignore[arg-type]


def test_production_starts_with_strong_secrets() -> None:
    assert _production().environment == "production"


@pytest.mark.parametrize("variable", list(FIELDS))
@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "is not set"),
        ("   ", "is not set"),
        ("change-me", "well-known default"),
        ("dev-rasa-token", "well-known default"),
        ("short-but-random-8f3k", f"shorter than {MIN_SECRET_CHARS}"),
    ],
)
def test_production_refuses_a_weak_secret_and_names_it(
    variable: str, value: str, reason: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _production(**{FIELDS[variable]: value})
    message = str(caught.value)
    assert variable in message
    assert reason in message


def test_production_checks_the_webhook_secret_only_with_a_webhook() -> None:
    assert _production(telegram_webhook_url=None).telegram_webhook_url is None
    with pytest.raises(ValidationError, match="SERVICEDESK_TELEGRAM_WEBHOOK_SECRET is not set"):
        _production(telegram_webhook_url="https://desk.example.se/telegram")
    ok = _production(
        telegram_webhook_url="https://desk.example.se/telegram", telegram_webhook_secret=STRONG
    )
    assert ok.telegram_webhook_secret is not None


def test_development_still_starts_without_secrets() -> None:
    assert Settings(environment="development", secret_key="change-me").secret_key == "change-me"


def test_weak_secret_problem_accepts_a_long_random_value() -> None:
    assert weak_secret_problem("X", "Zq8" * 12) is None
    assert production_problems({name: "Zq8" * 12 for name in SECRET_VARIABLES}) == []


def test_init_secrets_writes_each_missing_secret_once_and_keeps_the_rest(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("SERVICEDESK_RASA_TOKEN=mine-and-long-enough-0000000000000000\nOTHER=1\n")
    added = ensure_env_file(env_file, env={})
    assert set(added) == set(SECRET_VARIABLES) - {"SERVICEDESK_RASA_TOKEN"}
    first = env_file.read_text()
    assert "SERVICEDESK_RASA_TOKEN=mine-and-long-enough" in first and "OTHER=1" in first
    values = dict(line.split("=", 1) for line in first.splitlines())
    assert all(weak_secret_problem(n, values[n]) is None for n in added)
    assert len({values[n] for n in added}) == len(added)
    assert ensure_env_file(env_file, env={}) == []
    assert env_file.read_text() == first
    assert env_file.stat().st_mode & 0o777 == 0o600


def test_init_secrets_leaves_secrets_set_in_the_environment_alone(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    given = {name: STRONG for name in SECRET_VARIABLES}
    assert ensure_env_file(env_file, env=given) == []
    assert not env_file.exists()


SSO = {
    "oidc_enabled": True,
    "oidc_issuer": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
    "oidc_client_id": "11111111-1111-1111-1111-111111111111",
}


@pytest.mark.parametrize("secret", [None, "", "change-me", "kort-hemlighet"])
def test_production_refuses_single_sign_on_with_a_weak_client_secret(secret: str | None) -> None:
    with pytest.raises(ValidationError, match="SERVICEDESK_OIDC_CLIENT_SECRET"):
        _production(**SSO, oidc_client_secret=secret)
    assert _production(**SSO, oidc_client_secret=STRONG).oidc_enabled


def test_production_refuses_single_sign_on_with_a_plain_http_issuer() -> None:
    issuer = "http://login.example/v2.0"
    with pytest.raises(ValidationError, match="SERVICEDESK_OIDC_ISSUER must be an https"):
        _production(**{**SSO, "oidc_issuer": issuer}, oidc_client_secret=STRONG)


def test_single_sign_on_without_issuer_or_client_id_is_refused_in_any_environment() -> None:
    with pytest.raises(
        ValidationError, match="SERVICEDESK_OIDC_ISSUER, SERVICEDESK_OIDC_CLIENT_ID"
    ):
        Settings(environment="development", oidc_enabled=True)
    # Off, nothing about the provider is needed (and a weak secret of it is no concern).
    assert not _production(oidc_client_secret="x").oidc_enabled
