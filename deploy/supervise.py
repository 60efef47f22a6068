"""Run every process of a Procfile, start again any that dies, stop them all on Ctrl-C.

`make run` uses honcho, which stops everything when one process ends: right for
development, wrong for a profile whose point is that a replica may die while the other
carries on. Here a process that exits is started again after a pause (longer each time it
dies soon after starting); the rest keep running. Each line of output is written to
``<log dir>/<name>.log`` and, prefixed with the name, to standard output.

    python -m deploy.supervise Procfile.production --log-dir var/log
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

__all__ = ["ProcfileEntry", "read_procfile", "shell_command"]

_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.+)$")
#: A process that ran at least this long before it died is started again at once.
_STABLE_SECONDS = 30.0
_FIRST_PAUSE, _LONGEST_PAUSE = 1.0, 30.0


@dataclass(frozen=True)
class ProcfileEntry:
    """One ``name: command`` line; the command is run by ``/bin/sh`` (``$VAR`` expanded)."""

    name: str
    command: str


def read_procfile(path: Path) -> list[ProcfileEntry]:
    """The entries of a Procfile, in order; comments and blank lines are skipped.

    Raises:
        ValueError: a line is neither blank, a comment nor ``name: command``.
    """
    entries = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        found = _LINE.match(line)
        if found is None:
            raise ValueError(f"{path}:{number}: expected 'name: command', got {line!r}")
        entries.append(ProcfileEntry(found.group(1), found.group(2)))
    return entries


def shell_command(entry: ProcfileEntry) -> list[str]:
    """The argv that runs ``entry``: the shell replaces itself, so a signal reaches it."""
    return ["/bin/sh", "-c", f"exec {entry.command}"]


@dataclass
class _Child:
    entry: ProcfileEntry
    log: IO[str]
    proc: subprocess.Popen[str] | None = None
    started: float = 0.0
    pause: float = _FIRST_PAUSE
    reader: threading.Thread | None = field(default=None, repr=False)


class Supervisor:
    """Starts the entries, restarts those that exit, stops all on request."""

    def __init__(self, entries: list[ProcfileEntry], log_dir: Path, cwd: Path) -> None:
        log_dir.mkdir(parents=True, exist_ok=True)
        self._cwd = cwd
        self._stopping = threading.Event()
        self._print_lock = threading.Lock()
        self._width = max(len(e.name) for e in entries)
        self._children = [
            _Child(e, (log_dir / f"{e.name}.log").open("a", encoding="utf-8")) for e in entries
        ]

    def _say(self, name: str, text: str) -> None:
        with self._print_lock:
            sys.stdout.write(f"{name:<{self._width}} | {text}\n")
            sys.stdout.flush()

    def _pump(self, child: _Child, stream: IO[str]) -> None:
        for line in stream:
            child.log.write(line)
            child.log.flush()
            self._say(child.entry.name, line.rstrip("\n"))

    def _start(self, child: _Child) -> None:
        child.proc = subprocess.Popen(
            shell_command(child.entry), cwd=self._cwd, env=dict(os.environ), text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, errors="replace",
            start_new_session=True,  # Ctrl-C reaches the supervisor only; it stops them in order
        )  # fmt: skip
        child.started = time.monotonic()
        assert child.proc.stdout is not None
        child.reader = threading.Thread(
            target=self._pump, args=(child, child.proc.stdout), daemon=True
        )
        child.reader.start()
        self._say("supervise", f"started {child.entry.name} (pid {child.proc.pid})")

    def run(self) -> int:
        """Run until :meth:`stop`; returns the exit status for the command line."""
        for child in self._children:
            self._start(child)
        while not self._stopping.wait(0.5):
            for child in self._children:
                if child.proc is None or child.proc.poll() is None:
                    continue
                ran = time.monotonic() - child.started
                child.pause = (
                    _FIRST_PAUSE if ran >= _STABLE_SECONDS else min(child.pause * 2, _LONGEST_PAUSE)
                )
                self._say(
                    "supervise",
                    f"{child.entry.name} exited ({child.proc.returncode}) after {ran:.0f} s; "
                    f"starting it again in {child.pause:.0f} s",
                )
                if self._stopping.wait(child.pause):
                    break
                self._start(child)
        self._stop_all()
        return 0

    def stop(self) -> None:
        """Ask :meth:`run` to stop every process and return."""
        self._stopping.set()

    def _stop_all(self) -> None:
        running = [c for c in reversed(self._children) if c.proc and c.proc.poll() is None]
        for child in running:
            assert child.proc is not None
            child.proc.terminate()
        deadline = time.monotonic() + 20
        for child in running:
            assert child.proc is not None
            try:
                child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.proc.kill()
                child.proc.wait(timeout=5)
            self._say("supervise", f"stopped {child.entry.name}")
        for child in self._children:
            if child.reader is not None:
                child.reader.join(timeout=2)
            child.log.close()


def main(argv: list[str] | None = None) -> int:
    """Command line: supervise the processes of a Procfile."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("procfile", type=Path)
    parser.add_argument("--log-dir", type=Path, default=Path("var/log"))
    parser.add_argument("--only", nargs="*", help="Run only these processes (by name).")
    args = parser.parse_args(argv)
    entries = read_procfile(args.procfile)
    if args.only:
        unknown = sorted(set(args.only) - {e.name for e in entries})
        if unknown:
            parser.error(f"not in {args.procfile}: {', '.join(unknown)}")
        entries = [e for e in entries if e.name in args.only]
    supervisor = Supervisor(entries, args.log_dir, Path.cwd())
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda _signum, _frame: supervisor.stop())
    return supervisor.run()


if __name__ == "__main__":
    raise SystemExit(main())
