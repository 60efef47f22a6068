"""Settings for every process outside Rasa, read from ``SERVICEDESK_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from servicedesk.secrets import production_problems, weak_secret_problem

REPO_ROOT = Path(__file__).resolve().parent.parent
_PLACEHOLDER = "change-me"


class OidcAgentGroup(BaseModel):
    """What the members of one provider group may do in the console."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["agent", "admin"] = "agent"
    #: Service categories (queues); empty means every queue.
    queues: list[str] = []


class Settings(BaseSettings):
    """One settings class for the desk, the action server, the bridge and catalogue_sync."""

    model_config = SettingsConfigDict(env_prefix="SERVICEDESK_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'servicedesk.db'}"
    rasa_url: str = "http://localhost:5005"
    rasa_token: str = _PLACEHOLDER
    action_server_url: str = "http://localhost:5055"
    secret_key: str = _PLACEHOLDER
    #: Shared with Rasa's relay channel: only the desk relay and the Telegram bridge know it.
    relay_secret: str = ""
    #: Shared with Rasa, which sends it to the action server (endpoints.yml headers).
    action_secret: str = ""
    #: Encrypts the answers of personnummer fields at rest (the desk and the Telegram
    #: bridge need it); see :mod:`servicedesk.privacy.field_crypto`. Changing it makes the
    #: stored numbers unreadable.
    field_key: SecretStr = SecretStr(_PLACEHOLDER)
    timezone: str = "Europe/Stockholm"
    catalogue_cache_seconds: float = 30.0
    http_timeout_seconds: float = 10.0
    #: How long the web chat waits for the bot's answer before saying "Jag jobbar på det"
    #: (the answer is then delivered through the outbox when it comes). The page waits 20 s.
    chat_reply_wait_seconds: float = 8.0
    #: How long a person's turn may take in Rasa before it is given up.
    rasa_turn_timeout_seconds: float = 120.0
    #: The web chat restores at most this many messages of a conversation after a reload.
    chat_history_limit: int = 200
    #: A takeover whose agent has done nothing for this long is ended (with a message).
    takeover_idle_minutes: float = 30.0
    #: How often the desk app sweeps idle takeovers.
    sweep_interval_seconds: float = 30.0
    #: Run the periodic jobs inside the desk app (turn off when cron runs them instead).
    run_jobs: bool = True
    #: Send the console cookie only over HTTPS (on by default in production and over HTTPS).
    cookie_secure: bool | None = None
    #: A console login lasts at most this long, however busy the agent is.
    console_session_hours: float = 12.0
    #: A console login nobody has used for this long is over (an open console polls).
    console_session_idle_minutes: float = 120.0
    #: The web chat's identity cookie lasts this long (renewed whenever the page is opened).
    web_identity_days: float = 365.0
    #: Rasa's tracker store database (SQLAlchemy URL), checked by ``/health`` when set.
    tracker_store_url: str | None = None
    #: Rasa's lock store (``redis://host:port/db``), checked by ``/health`` when set.
    lock_store_url: str | None = None
    #: Larger request bodies are refused with 413 before any route reads them.
    max_request_body_bytes: int = 1_048_576
    #: ``Strict-Transport-Security`` max-age in production (the desk is behind HTTPS there).
    hsts_max_age_seconds: int = 31_536_000
    #: Telegram bridge: the bot token from BotFather, read as the plain TELEGRAM_BOT_TOKEN.
    telegram_bot_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "SERVICEDESK_TELEGRAM_BOT_TOKEN"),
    )
    #: Public HTTPS URL Telegram posts updates to; unset means long polling.
    telegram_webhook_url: str | None = None
    #: Telegram's ``secret_token``; webhook requests without it get 403.
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = 8443
    #: Bot API server (a fake one in the tests, a local Bot API server in some deployments).
    telegram_api_base_url: str = "https://api.telegram.org"
    telegram_outbox_interval_seconds: float = 1.5
    #: The bot's username (without ``@``): the web chat shows the link
    #: ``https://t.me/<username>?start=<code>`` for linking Telegram; unset, only the code.
    telegram_bot_username: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
    #: How long a Telegram link code from the web chat can be used.
    link_code_minutes: float = Field(default=10.0, gt=0, le=60)
    #: Where files sent by people (photos, documents) are stored.
    attachments_dir: Path = REPO_ROOT / "var" / "attachments"

    #: Who runs the service, as the notice pages name it ("Exempels kommun").
    organisation_name: str = "kommunen"
    #: E-mail for questions about personal data (extracts, erasure), shown on /dina-uppgifter.
    privacy_contact_email: str | None = None
    #: E-mail for accessibility problems, shown on /tillganglighet.
    accessibility_contact_email: str | None = None

    #: Kunddialog (feedback): minutes after delivery before the orderer is invited.
    feedback_delay_minutes: float = 60.0
    #: Quiet hours (local time, ``HH:MM``): no invitations or reminders between these.
    feedback_quiet_start: str = "18:00"
    feedback_quiet_end: str = "08:00"
    #: Quiet weekdays (Monday is 0): no invitations on these days at all.
    feedback_quiet_weekdays: list[int] = [5, 6]
    #: At most this many invitations per person in any 30 days.
    feedback_cap_per_30_days: int = 4
    #: Share of delivered tickets invited, per service category (JSON), and otherwise.
    feedback_sampling: dict[str, float] = {}
    feedback_sampling_default: float = 1.0
    #: One reminder this many days after the invitation; the invitation expires after.
    feedback_reminder_days: float = 3.0
    feedback_expiry_days: float = 14.0
    #: A conversation must be this quiet before an invitation interrupts it.
    feedback_idle_seconds: float = 60.0

    #: Retention (gallring). Every period is a placeholder for the kommun's own
    #: gallringsbeslut; see README "Retention (gallring)".
    #: Run the retention job with the periodic jobs (it runs at most once per interval).
    retention_enabled: bool = True
    retention_interval_minutes: float = 60.0
    #: Closed tickets (avslutad, makulerad) are anonymised (or deleted) this many days after
    #: closing, per service category (JSON); other categories and tickets without a service
    #: use the default.
    retention_ticket_days: dict[str, float] = {}
    retention_ticket_days_default: float = 730.0
    #: ``anonymise`` keeps closed tickets for statistics (the person replaced by a
    #: pseudonym, free text removed); ``delete`` removes them.
    retention_ticket_action: Literal["anonymise", "delete"] = "anonymise"
    #: A closed ticket's transcript and its desk messages (thread, outbox) go this many days
    #: after closing; messages on no ticket this many days after they were written.
    retention_transcript_days: float = 90.0
    #: Rasa tracker events (in ``tracker_store_url``) older than this, of conversations with
    #: no open ticket; events of the conversation session Rasa still uses are kept.
    retention_tracker_days: float = 90.0
    #: Telegram update records (``telegram_updates``, which hold the text) go after this.
    retention_telegram_update_days: float = 30.0

    #: Single sign-on (OpenID Connect) for the web chat and the console; see README "Sign-in".
    #: Off: the web chat's identity is the desk's cookie and agents log in with their token.
    oidc_enabled: bool = False
    #: The provider's issuer (Entra ID: ``https://login.microsoftonline.com/<tenant>/v2.0``).
    oidc_issuer: str | None = None
    #: Where the provider's metadata is; by default ``<issuer>/.well-known/openid-configuration``.
    oidc_discovery_url: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_scopes: str = "openid profile email"
    #: The desk's public base URL (``https://desk.example.se``): the redirect URIs registered
    #: with the provider are ``<base>/auth/callback`` and ``<base>/auth/utloggad``. Unset:
    #: the URL the request came to.
    oidc_redirect_base_url: str | None = None
    #: Claims read from the ID token.
    oidc_name_claim: str = "name"
    oidc_email_claim: str = "email"
    oidc_groups_claim: str = "groups"
    #: A claim that holds the förvaltning code directly (unset: only the group mapping).
    oidc_department_claim: str | None = None
    #: Group (id or name, as the groups claim carries it) -> förvaltning code.
    oidc_group_departments: dict[str, str] = {}
    #: Group -> what its members are in the console: ``{"role": "agent"|"admin",
    #: "queues": ["IT", ...]}`` (no queues: every queue). No mapped group: no console.
    oidc_agent_groups: dict[str, OidcAgentGroup] = {}
    #: Clock skew allowed when checking the ID token's times.
    oidc_clock_skew_seconds: int = 60
    #: An SSO login to the web chat lasts at most this long.
    oidc_session_hours: float = 12.0
    #: Break-glass: keep the console's token login while SSO is on (for an admin when the
    #: provider is down). Off by default.
    oidc_allow_token_login: bool = False

    #: catalogue_sync: refuse to retire more than this share (0-1) of the active services in
    #: one run, so a truncated export cannot empty the catalogue (``--allow-retire`` overrides).
    catalogue_max_retire_share: float = 0.2
    #: catalogue_sync: the whole download of an http(s) source must end within this time.
    catalogue_download_deadline_seconds: float = 60.0
    #: catalogue_sync: the largest source (file or download) accepted, in bytes.
    catalogue_max_download_bytes: int = 20_000_000
    #: catalogue_sync: the most services a catalogue may have (the NLU data grows with it).
    catalogue_max_services: int = 5_000
    #: catalogue_sync: the largest generated NLU data (catalogue.json + catalogue_nlu.yml).
    catalogue_max_nlu_bytes: int = 10_000_000

    @model_validator(mode="after")
    def _require_oidc_settings(self) -> Settings:
        if self.oidc_enabled:
            missing = [
                f"SERVICEDESK_OIDC_{name.upper()}"
                for name in ("issuer", "client_id")
                if not (getattr(self, f"oidc_{name}") or "").strip()
            ]
            if missing:
                raise ValueError("single sign-on is on but " + ", ".join(missing) + " is not set")
        return self

    @model_validator(mode="after")
    def _refuse_weak_secrets_in_production(self) -> Settings:
        if self.environment == "production":
            values = {
                "SERVICEDESK_SECRET_KEY": self.secret_key,
                "SERVICEDESK_RASA_TOKEN": self.rasa_token,
                "SERVICEDESK_RELAY_SECRET": self.relay_secret,
                "SERVICEDESK_ACTION_SECRET": self.action_secret,
                "SERVICEDESK_FIELD_KEY": self.field_key.get_secret_value(),
            }
            if self.telegram_webhook_url:
                values["SERVICEDESK_TELEGRAM_WEBHOOK_URL"] = self.telegram_webhook_url
                secret = self.telegram_webhook_secret
                values["SERVICEDESK_TELEGRAM_WEBHOOK_SECRET"] = (
                    secret.get_secret_value() if secret else ""
                )
            problems = production_problems(values)
            if self.oidc_enabled:
                secret = self.oidc_client_secret
                name = "SERVICEDESK_OIDC_CLIENT_SECRET"
                value = secret.get_secret_value() if secret else ""
                if problem := weak_secret_problem(name, value):
                    problems.append(problem)
                if not (self.oidc_issuer or "").startswith("https://"):
                    problems.append("SERVICEDESK_OIDC_ISSUER must be an https:// URL")
            if problems:
                raise ValueError("refusing to run in production: " + "; ".join(problems))
        return self


def require_settings() -> Settings:
    """Return the settings, or exit with one clear line per problem (for process start-up)."""
    try:
        return get_settings()
    except ValidationError as exc:
        problems = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise SystemExit(f"Configuration error: {problems}") from None


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings (cached; tests clear the cache after changing env)."""
    return Settings()
