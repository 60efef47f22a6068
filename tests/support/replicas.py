"""The production profile with two of each server behind HAProxy, started from the same
Procfile.production and deploy/haproxy.cfg as `make run-production`, on free ports."""

from __future__ import annotations

import csv
import io
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from deploy.supervise import read_procfile, shell_command
from servicedesk.api.web_identity import COOKIE_NAME
from servicedesk.rasa_rest import CONVERSATION_HEADER
from tests.support.processes import (
    REPO,
    Process,
    base_env,
    free_port,
    rasa_env,
    trained_model,
    wait_for,
)
from tests.support.stack import Stack, seed_database

HAPROXY = os.environ.get("HAPROXY_PATH", "/usr/sbin/haproxy")
#: The processes the tests start (the Telegram bridge needs a token and is left out).
SERVERS = ("rasa1", "rasa2", "actions1", "actions2", "desk1", "desk2")


def haproxy_missing() -> str | None:
    """Why the balancer cannot start, or None when Debian's haproxy is installed."""
    if shutil.which(HAPROXY) is None:
        return f"HAProxy is not installed at {HAPROXY} (apt-get install haproxy)"
    return None


@dataclass
class Replicas:
    """A running two-replica profile: ``stack`` talks through the balancer."""

    stack: Stack
    desk_urls: dict[str, str]
    stats_url: str
    processes: dict[str, Process] = field(default_factory=dict)

    def server_states(self) -> dict[str, str]:
        """HAProxy's view of each replica: ``{"rasa1": "UP", "desk2": "DOWN", …}``."""
        table = httpx.get(f"{self.stats_url}/;csv", timeout=5).text.lstrip("# ")
        return {
            row["svname"]: row["status"].split()[0]
            for row in csv.DictReader(io.StringIO(table))
            if row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def wait_balanced(self, *names: str, state: str = "UP", timeout: float = 240) -> None:
        """Wait until HAProxy sees every named replica (default: all) in ``state``."""
        wanted = names or SERVERS

        def seen() -> bool:
            for name in wanted:
                proc = self.processes[name]
                if state == "UP" and not proc.alive():
                    raise RuntimeError(f"{name} exited:\n{proc.log_tail()}")
            states = self.server_states()
            return all(states.get(name) == state for name in wanted)

        wait_for(seen, timeout, f"HAProxy to see {', '.join(wanted)} {state}")

    def rasa_replica_of(self, conversation: str) -> str:
        """The Rasa replica the balancer sends ``conversation`` (``web:…``) to."""
        response = httpx.get(
            f"{self.stack.rasa_url}/conversations/{conversation}/tracker",
            params={"token": self.stack.env["SERVICEDESK_RASA_TOKEN"], "include_events": "NONE"},
            headers={CONVERSATION_HEADER: conversation},
            timeout=30,
        )
        response.raise_for_status()
        return response.headers["X-Envagin-Replica"]

    def desk_client(self, name: str, desk: str) -> httpx.Client:
        """A client for web chat person ``name`` that talks to one desk directly."""
        cookie = self.stack.visitor(name).http.cookies.get(COOKIE_NAME)
        assert cookie, "the person has no identity cookie yet"
        client = httpx.Client(base_url=self.desk_urls[desk], timeout=120)
        client.cookies.set(COOKIE_NAME, cookie)
        return client

    def kill(self, name: str) -> None:
        """SIGKILL replica ``name``, as a crash or an OOM kill would."""
        self.processes[name].crash()

    def restart(self, name: str) -> None:
        """Start replica ``name`` again and wait until the balancer sends it work."""
        self.processes[name] = self.processes[name].again()
        self.wait_balanced(name)

    def stop(self) -> None:
        """Stop every process (the balancer last)."""
        self.stack.stop()
        for proc in reversed(self.processes.values()):
            proc.stop()


def start_replicas(tmp: Path, database_url: str, extra_env: dict[str, str]) -> Replicas:
    """Seed the desk database, then start Procfile.production's processes on free ports."""
    env = base_env(database_url)
    env.update(extra_env)
    token = seed_database(tmp, env)
    binds = {name: f"127.0.0.1:{free_port()}" for name in ("PUBLIC", "RASA", "ACTIONS", "STATS")}
    ports = {name: free_port() for name in SERVERS}
    env.update({f"ENVAGIN_{name}_BIND": bind for name, bind in binds.items()})
    for name, port in ports.items():
        env[f"ENVAGIN_{name.upper()}_PORT"] = str(port)
        env[f"ENVAGIN_{name.upper()}"] = f"127.0.0.1:{port}"
    env.update(
        {
            "APP_ENV": str(Path(sys.executable).parent.parent),
            "RASA_ENV": str(rasa_env()),
            "ENVAGIN_MODEL": str(trained_model()),
            "ENVAGIN_CATALOGUE_JSON": str(tmp / "nlu" / "catalogue.json"),
            "SERVICEDESK_RASA_URL": f"http://{binds['RASA']}",
            "SERVICEDESK_ACTION_SERVER_URL": f"http://{binds['ACTIONS']}",
            "ACTION_ENDPOINT_URL": f"http://{binds['ACTIONS']}/webhook",
        }
    )
    stack = Stack(
        database_url=database_url,
        desk_url=f"http://{binds['PUBLIC']}",
        rasa_url=f"http://{binds['RASA']}",
        action_url=f"http://{binds['ACTIONS']}",
        admin_token=token,
        env=env,
    )
    replicas = Replicas(
        stack=stack,
        desk_urls={n: f"http://127.0.0.1:{ports[n]}" for n in ("desk1", "desk2")},
        stats_url=f"http://{binds['STATS']}",
    )
    entries = {e.name: e for e in read_procfile(REPO / "Procfile.production")}
    try:
        for name in ("balancer", *SERVERS):
            replicas.processes[name] = Process(name, shell_command(entries[name]), env, tmp)
        wait_for(lambda: bool(replicas.server_states()), 30, "the balancer's status page")
        replicas.wait_balanced()
    except BaseException:
        replicas.stop()
        raise
    return replicas


def count_lines(path: Path, needle: str) -> int:
    """How many lines of ``path`` contain ``needle`` (0 when it does not exist yet)."""
    if not path.exists():
        return 0
    return sum(needle in line for line in path.read_text(errors="replace").splitlines())
