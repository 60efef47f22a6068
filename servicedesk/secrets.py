"""Which secrets the processes need, what makes one weak, and writing random ones to ``.env``.

Standard library only: the Rasa process (its own Python environment) imports this too.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "MIN_SECRET_CHARS",
    "SECRET_VARIABLES",
    "ensure_env_file",
    "production_problems",
    "weak_secret_problem",
]

MIN_SECRET_CHARS = 32
#: Values everyone knows, so never a secret (compared case-insensitively).
KNOWN_DEFAULTS = frozenset(
    {"", "change-me", "changeme", "dev-rasa-token", "secret", "password", "test", "token"}
)
#: Every secret of a running system, by its environment variable.
SECRET_VARIABLES = (
    "SERVICEDESK_SECRET_KEY",  # desk: console sessions, CSRF, signed web chat ids
    "SERVICEDESK_RASA_TOKEN",  # Rasa's HTTP API (--auth-token)
    "SERVICEDESK_RELAY_SECRET",  # desk relay and Telegram bridge -> Rasa's relay channel
    "SERVICEDESK_ACTION_SECRET",  # Rasa -> action server
    "SERVICEDESK_FIELD_KEY",  # desk and bridge: personnummer fields encrypted at rest
)
_WEBHOOK_SECRET = "SERVICEDESK_TELEGRAM_WEBHOOK_SECRET"


def weak_secret_problem(name: str, value: str | None) -> str | None:
    """Return why ``value`` is not acceptable as the secret ``name``, or None if it is."""
    if value is None or not value.strip():
        return f"{name} is not set"
    if value.strip().lower() in KNOWN_DEFAULTS:
        return f"{name} is a well-known default value"
    if len(value) < MIN_SECRET_CHARS:
        return f"{name} is shorter than {MIN_SECRET_CHARS} characters"
    return None


def production_problems(
    env: Mapping[str, str], names: tuple[str, ...] = SECRET_VARIABLES
) -> list[str]:
    """Return every problem with the secrets ``names`` in ``env`` (empty when all are strong).

    The Telegram webhook secret is checked too when a webhook URL is configured.
    """
    checked = list(names)
    if env.get("SERVICEDESK_TELEGRAM_WEBHOOK_URL"):
        checked.append(_WEBHOOK_SECRET)
    return [p for n in checked if (p := weak_secret_problem(n, env.get(n)))]


def ensure_env_file(path: Path, env: Mapping[str, str] | None = None) -> list[str]:
    """Add a random value to ``path`` for each secret that neither it nor ``env`` sets.

    Existing lines are kept; the file is readable by its owner only. Returns the names added.
    """
    env = os.environ if env is None else env
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    present = {line.split("=", 1)[0].strip() for line in lines if "=" in line}
    added = [n for n in SECRET_VARIABLES if n not in present and not env.get(n)]
    if added:
        lines += [f"{name}={secrets.token_hex(32)}" for name in added]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if path.exists():
        path.chmod(0o600)
    return added
