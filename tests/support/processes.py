"""Start and stop the real processes (Rasa, action server, desk) for integration tests."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import httpx

from servicedesk.secrets import SECRET_VARIABLES

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.25) -> None:
    """Poll ``check`` until it returns True, failing with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


def rasa_env() -> Path:
    """Return the Rasa environment built by the Makefile (RASA_ENV)."""
    env = os.environ.get("RASA_ENV")
    if not env or not (Path(env) / "bin" / "rasa").exists():
        raise RuntimeError(
            "RASA_ENV is not set to a built Rasa environment; run the tests via `make test`"
        )
    return Path(env)


def trained_model() -> Path:
    """Return the trained model that `make train` writes."""
    model = REPO / "models" / "current.tar.gz"
    if not model.exists():
        raise RuntimeError(f"{model} is missing; run `make train` (make test does)")
    return model


class Process:
    """A child process with its log file; stopped (and its log shown on failure) by the owner."""

    def __init__(self, name: str, args: list[str], env: Mapping[str, str], log_dir: Path) -> None:
        self.name = name
        self.args, self.env, self.log_dir = list(args), dict(env), log_dir
        self.log_path = log_dir / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            args, cwd=REPO, env=dict(env), stdout=self._log, stderr=subprocess.STDOUT
        )

    def alive(self) -> bool:
        """Return True while the process runs."""
        return self.proc.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        """Return the end of the process log."""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def crash(self) -> None:
        """Kill the process at once (SIGKILL), as a crash or an OOM kill would."""
        if self.alive():
            self.proc.kill()
            self.proc.wait(timeout=15)
        self._log.close()

    def again(self) -> Process:
        """The same command started anew (its log in ``<name>-again.log``)."""
        return Process(f"{self.name}-again", self.args, self.env, self.log_dir)

    def stop(self) -> None:
        """Terminate the process (kill after a grace period) and close its log."""
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log.close()


def base_env(database_url: str) -> dict[str, str]:
    """Return the environment for child processes using ``database_url``."""
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "SERVICEDESK_DATABASE_URL": database_url,
            "SERVICEDESK_ENVIRONMENT": "test",
            "SERVICEDESK_CATALOGUE_CACHE_SECONDS": "0",
            # Fresh random secrets per stack, as `make run` writes them into .env.
            **{name: secrets.token_hex(32) for name in SECRET_VARIABLES},
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "RASA_TELEMETRY_ENABLED": "false",
        }
    )
    return env


def run_app(args: list[str], env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a command of the app environment (this interpreter) and fail loudly on error."""
    result = subprocess.run(
        [sys.executable, *args], cwd=REPO, env=dict(env), capture_output=True, text=True
    )
    if result.returncode not in (0, 2):
        raise RuntimeError(
            f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result
