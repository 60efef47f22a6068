"""A real OpenID provider on loopback: node-oidc-provider, run by ``tests/support/oidc``.

The provider package is pinned in ``tests/support/oidc/package-lock.json`` and installed with
``npm ci`` the first time a test needs it (from the npm registry, like Chromium from Debian's;
nothing is fetched while the product runs). Its issuer is ``http://localhost:<port>`` while
the desk is ``http://127.0.0.1:<port>``: two sites, as a desk and Entra ID are.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from tests.support.processes import REPO, Process, base_env, free_port, run_app, wait_for

HERE = Path(__file__).resolve().parent / "oidc"
NODE = shutil.which("node") or "/usr/bin/node"
CLIENT_ID = "envagin-desk"
#: Group ids as the provider's ``groups`` claim carries them (Entra ID sends object ids).
EMPLOYEE_GROUP = "grp-kultur-medarbetare"
AGENT_GROUP = "grp-servicedesk-it"
ADMIN_GROUP = "grp-servicedesk-admin"
UNKNOWN_GROUP = "grp-okand-grupp"
PASSWORD = "rätt-lösenord-1"  # a test account's password


@dataclass(frozen=True)
class Account:
    """A test account at the provider."""

    login: str
    sub: str
    claims: dict[str, Any]


MAIL = "kommun.example"
ACCOUNTS = (
    # An employee whose förvaltning comes from a group (Kultur- och fritidsförvaltningen).
    Account("anna", "00u-anna-0001",
            {"name": "Anna Andersson", "email": f"anna.andersson@{MAIL}",
             "groups": [EMPLOYEE_GROUP]}),
    # An employee whose förvaltning comes from a claim of its own.
    Account("bo", "00u-bo-0002",
            {"name": "Bo Berg", "email": f"bo.berg@{MAIL}", "forvaltning": "SBF", "groups": []}),
    # A service desk agent in the IT queue group.
    Account("kim", "00u-kim-0003",
            {"name": "Kim Karlsson", "email": f"kim.karlsson@{MAIL}", "groups": [AGENT_GROUP]}),
    # An administrator.
    Account("ada", "00u-ada-0004",
            {"name": "Ada Admin", "email": f"ada.admin@{MAIL}",
             "groups": [ADMIN_GROUP, AGENT_GROUP]}),
    # Someone whose only group the desk does not know.
    Account("olle", "00u-olle-0005",
            {"name": "Olle Okänd", "email": f"olle@{MAIL}", "groups": [UNKNOWN_GROUP]}),
)  # fmt: skip


def ensure_installed() -> None:
    """Install the pinned provider with ``npm ci`` unless that exact version is there."""
    lock = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))
    wanted = lock["packages"]["node_modules/oidc-provider"]["version"]
    installed = HERE / "node_modules" / "oidc-provider" / "package.json"
    if installed.exists() and json.loads(installed.read_text())["version"] == wanted:
        return
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE, check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


@dataclass
class OidcProvider:
    """A running provider and what a desk needs to use it."""

    issuer: str
    client_secret: str
    process: Process
    accounts: tuple[Account, ...] = field(default=ACCOUNTS)

    def desk_env(self, desk_url: str, **overrides: str) -> dict[str, str]:
        """The desk's settings for this provider (``overrides`` by variable name)."""
        env = {
            "SERVICEDESK_OIDC_ENABLED": "true",
            "SERVICEDESK_OIDC_ISSUER": self.issuer,
            "SERVICEDESK_OIDC_CLIENT_ID": CLIENT_ID,
            "SERVICEDESK_OIDC_CLIENT_SECRET": self.client_secret,
            "SERVICEDESK_OIDC_REDIRECT_BASE_URL": desk_url,
            "SERVICEDESK_OIDC_DEPARTMENT_CLAIM": "forvaltning",
            "SERVICEDESK_OIDC_GROUP_DEPARTMENTS": json.dumps({EMPLOYEE_GROUP: "KFF"}),
            "SERVICEDESK_OIDC_AGENT_GROUPS": json.dumps(
                {AGENT_GROUP: {"role": "agent", "queues": ["IT"]}, ADMIN_GROUP: {"role": "admin"}}
            ),
        }
        env.update(overrides)
        return env

    def stop(self) -> None:
        """Stop the provider."""
        self.process.stop()


def start_provider(
    tmp: Path,
    desk_url: str,
    *,
    name: str = "oidc",
    clock_offset_seconds: int = 0,
    id_token_audience: str | None = None,
) -> OidcProvider:
    """Start a provider that knows the desk at ``desk_url`` as client ``envagin-desk``.

    Args:
        tmp: Where the config and the log go.
        desk_url: The desk's base URL (its redirect URIs are registered from it).
        name: The process (and log file) name.
        clock_offset_seconds: Run the provider's clock this far off (negative: behind, so its
            ID tokens are expired when they arrive).
        id_token_audience: Make the provider address ID tokens to this client instead.
    """
    ensure_installed()
    port = free_port()
    secret = secrets.token_hex(32)
    config = {
        "port": port,
        "issuer": f"http://localhost:{port}",
        "clockOffsetSeconds": clock_offset_seconds,
        "idTokenAudience": id_token_audience,
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": secret,
                "redirect_uris": [f"{desk_url}/auth/callback"],
                "post_logout_redirect_uris": [f"{desk_url}/auth/utloggad"],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
            }
        ],
        "accounts": [
            {"login": a.login, "password": PASSWORD, "sub": a.sub, "claims": a.claims}
            for a in ACCOUNTS
        ],
    }
    config_path = tmp / f"{name}.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    args = [NODE, str(HERE / "provider.js"), str(config_path)]
    process = Process(name, args, dict(os.environ), tmp)
    issuer = f"http://localhost:{port}"
    provider = OidcProvider(issuer=issuer, client_secret=secret, process=process)
    discovery = f"http://127.0.0.1:{port}/.well-known/openid-configuration"

    def up() -> bool:
        if not process.alive():
            raise RuntimeError(f"the OpenID provider exited:\n{process.log_tail()}")
        return httpx.get(discovery, timeout=2).status_code == 200

    try:
        wait_for(up, timeout=60, what="the OpenID provider")
    except BaseException:
        process.stop()
        raise
    return provider


def sign_in(http: httpx.Client, start: str, login: str, password: str = PASSWORD) -> httpx.Response:
    """Open ``start`` on the desk, fill in the provider's login form as ``login`` and return
    the answer the browser ends at (redirects followed, as a browser does)."""
    form = http.get(start, follow_redirects=True)
    assert "/interaction/" in str(form.url), f"not at the provider's login: {form.url}"
    action = re.search(r'action="([^"]+)"', form.text)
    assert action is not None, form.text
    return http.post(
        urljoin(str(form.url), action.group(1)),
        data={"username": login, "password": password},
        follow_redirects=True,
    )


def meta_refresh(page: httpx.Response) -> str | None:
    """Where a page that goes on by itself (``<meta http-equiv="refresh">``) goes."""
    found = re.search(r'http-equiv="refresh" content="0;url=([^"]+)"', page.text)
    return found.group(1).replace("&amp;", "&") if found else None


def start_desk(
    tmp: Path, port: int, extra_env: dict[str, str], *, catalogue: bool = True
) -> tuple[Process, dict[str, str]]:
    """Migrate a fresh SQLite database (with the catalogue's förvaltningar) and start a desk
    alone (no Rasa) on ``port`` with ``extra_env``; return the process and its env."""
    env = base_env(f"sqlite:///{tmp / 'desk.db'}")
    env.update(extra_env)
    run_app(["-m", "servicedesk", "migrate"], env)
    if catalogue:
        run_app(
            ["-m", "catalogue_sync", str(REPO / "data" / "tjanstekatalog.csv"),
             "--departments", str(REPO / "data" / "forvaltningar.csv"),
             "--nlu-dir", str(tmp / "nlu")],
            env,
        )  # fmt: skip
    args = ["-m", "servicedesk", "serve", "--host", "127.0.0.1", "--port", str(port)]
    desk = Process("desk", [sys.executable, *args], env, tmp)

    def up() -> bool:
        if not desk.alive():
            raise RuntimeError(f"the desk exited:\n{desk.log_tail()}")
        return httpx.get(f"http://127.0.0.1:{port}/dina-uppgifter", timeout=2).status_code == 200

    try:
        wait_for(up, timeout=120, what="the desk")
    except BaseException:
        desk.stop()
        raise
    return desk, env
