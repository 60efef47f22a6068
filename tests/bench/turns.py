"""`make bench-turns`: how fast this assistant's turns are next to a bare Rasa rule bot.

Both run on free ports on this machine: the bare bot (tests/bench/bare_bot: the same
tokenizer, featurizers and classifier as config.yml, rules only, Rasa's REST channel, the
in-memory tracker) and this stack as `make run` starts it (desk, Rasa with the
interpretation step, action server, SQLite). Every conversation sends the same script, an
order from greeting to "ja"; the loads run interleaved, bare and stack in turn, so a
neighbour's burst on a shared machine hits both:

* one client, conversations one after another (the per-turn latency, p50 compared),
* 20 conversations at once (turns per second, errors),
* then 50 conversations at once (the p99 latency).

Finally the resident memory of the stack's processes is read from /proc. The last line
printed is one JSON object: ``turn_p50_ratio``, ``turns_per_s_20``, ``p99_ms_50_users``,
``rss_mb_total`` and the raw figures. A benchmark, not a test: nothing here passes or fails.

    python -m tests.bench.turns [--rounds 2] [--single 5] [--per-worker 2]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import httpx

from servicedesk.settings import Settings
from tests.support.processes import REPO, Process, base_env, free_port, rasa_env, wait_for
from tests.support.stack import Stack, WebVisitor, start_stack

BARE = REPO / "tests" / "bench" / "bare_bot"
SCRIPT = (
    "hej",
    "fika till 10 personer på torsdag kl 14",
    "Rådhuset rum 2",
    "inga",
    "4410",
    "ja",
)
SLOW_TEXT = "Jag jobbar på det"


class Conversation(Protocol):
    """One person talking to one bot."""

    def say(self, text: str) -> str:
        """Send ``text`` and return the bot's answer as text; raise on an error."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...


class BareConversation:
    """A person talking to the bare bot through Rasa's REST channel."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=120)
        self.sender = f"bench-{uuid.uuid4().hex}"

    def say(self, text: str) -> str:
        response = self.http.post(
            "/webhooks/rest/webhook", json={"sender": self.sender, "message": text}
        )
        response.raise_for_status()
        answer = " ".join(str(m.get("text") or "") for m in response.json())
        if not answer:
            raise RuntimeError("the bare bot answered nothing")
        return answer

    def close(self) -> None:
        self.http.close()


class StackConversation:
    """A person in this assistant's web chat (the desk's identity cookie, its relay)."""

    def __init__(self, stack: Stack) -> None:
        self.visitor = WebVisitor(stack.desk_url, stack.env["SERVICEDESK_SECRET_KEY"])

    def say(self, text: str) -> str:
        response = self.visitor.say(text, timeout=120)
        response.raise_for_status()
        answer = " ".join(str(m.get("text") or "") for m in response.json())
        if not answer or SLOW_TEXT in answer:
            raise RuntimeError(f"no answer in time: {answer!r}")
        return answer

    def close(self) -> None:
        self.visitor.close()


@dataclass
class Load:
    """The outcome of one load: every turn's latency, errors and the wall time."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0

    def add(self, other: Load) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.wall += other.wall

    def figures(self) -> dict[str, float | int]:
        turns = len(self.latencies)
        return {
            "turns": turns,
            "errors": self.errors,
            "p50_ms": round(_percentile(self.latencies, 50) * 1000, 1),
            "p90_ms": round(_percentile(self.latencies, 90) * 1000, 1),
            "p99_ms": round(_percentile(self.latencies, 99) * 1000, 1),
            "turns_per_s": round(turns / self.wall, 2) if self.wall else 0.0,
        }


def _percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def _conversation(start: Callable[[], Conversation]) -> Load:
    load = Load()
    talk = start()
    try:
        for text in SCRIPT:
            began = time.perf_counter()
            try:
                talk.say(text)
            except (httpx.HTTPError, RuntimeError, ValueError):
                load.errors += 1
            else:
                load.latencies.append(time.perf_counter() - began)
    finally:
        talk.close()
    return load


def run_load(start: Callable[[], Conversation], workers: int, per_worker: int) -> Load:
    """``workers`` people at once, each holding ``per_worker`` conversations in a row."""

    def worker() -> Load:
        done = Load()
        for _ in range(per_worker):
            done.add(_conversation(start))
        return done

    total = Load()
    began = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        for result in pool.map(lambda _i: worker(), range(workers)):
            total.add(result)
    total.wall = time.perf_counter() - began
    return total


def _bare_model(out: Path) -> Path:
    """Train the bare bot once per change of its files (cached in var/bench)."""
    files = sorted(p for p in BARE.rglob("*.yml"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()[:16]
    model = out / f"bare-{digest}.tar.gz"
    if not model.exists():
        out.mkdir(parents=True, exist_ok=True)
        print(f"Training the bare bot into {model} …", flush=True)
        subprocess.run(
            [
                str(rasa_env() / "bin" / "rasa"), "train", "--quiet",
                "--config", str(BARE / "config.yml"), "--domain", str(BARE / "domain.yml"),
                "--data", str(BARE / "data"), "--out", str(out),
                "--fixed-model-name", model.name.removesuffix(".tar.gz"),
            ],
            check=True, cwd=REPO, env=base_env("sqlite://"), capture_output=True,
        )  # fmt: skip
    return model


@contextmanager
def bare_bot(tmp: Path, model: Path) -> Iterator[tuple[str, Process]]:
    """The bare bot on a free loopback port (in-memory tracker and lock store)."""
    port = free_port()
    proc = Process(
        "bare-rasa",
        [
            str(rasa_env() / "bin" / "rasa"), "run", "--interface", "127.0.0.1",
            "--port", str(port), "--model", str(model),
            "--credentials", str(BARE / "credentials.yml"),
            "--endpoints", str(BARE / "endpoints.yml"),
        ],
        base_env("sqlite://"),
        tmp,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _alive(proc) and httpx.get(url, timeout=2).is_success, 300, "bare bot")
        yield url, proc
    finally:
        proc.stop()


def _alive(proc: Process) -> bool:
    if not proc.alive():
        raise RuntimeError(f"{proc.name} exited:\n{proc.log_tail()}")
    return True


def _rss_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory (MB) of ``pid`` and its children."""
    rss = peak = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        status = Path(f"/proc/{one}/status")
        if not status.exists():
            continue
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss += int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak += int(line.split()[1]) / 1024
    return rss, peak


def _memory(processes: list[Process]) -> dict[str, dict[str, float]]:
    found = {}
    for proc in processes:
        rss, peak = _rss_mb(proc.proc.pid)
        found[proc.name] = {"rss_mb": round(rss, 1), "peak_mb": round(peak, 1)}
    return found


def main() -> None:
    """Run the benchmark and print the figures; the last line is JSON."""
    parser = argparse.ArgumentParser(description="Turns of this stack next to a bare Rasa bot.")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds")
    parser.add_argument("--single", type=int, default=5, help="one-client conversations/round")
    parser.add_argument("--per-worker", type=int, default=2, help="conversations per worker")
    parser.add_argument("--concurrent", type=int, default=20, help="people at once (turns/s)")
    parser.add_argument("--users", type=int, default=50, help="people at once (p99)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    model = _bare_model(REPO / "var" / "bench")
    with tempfile.TemporaryDirectory(prefix="bench-turns-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "bare").mkdir()
        (tmp / "stack").mkdir()
        with bare_bot(tmp / "bare", model) as (bare_url, bare_proc):
            print("Starting this stack …", flush=True)
            # As `make run` has it: the test stacks re-read the catalogue on every call (so a
            # test's sync shows at once); a running desk keeps it for the configured time.
            cache = Settings.model_fields["catalogue_cache_seconds"].default
            stack = start_stack(
                tmp / "stack", extra_env={"SERVICEDESK_CATALOGUE_CACHE_SECONDS": str(cache)}
            )
            try:
                result = _measure(args, bare_url, bare_proc, stack)
            finally:
                stack.stop()
    result["load_average_before"] = [round(x, 2) for x in load_before]
    print(json.dumps(result, ensure_ascii=False))


def _measure(
    args: argparse.Namespace, bare_url: str, bare_proc: Process, stack: Stack
) -> dict[str, object]:
    def bare() -> Conversation:
        return BareConversation(bare_url)

    def ours() -> Conversation:
        return StackConversation(stack)

    print("Warming up …", flush=True)
    run_load(bare, 2, 1)
    run_load(ours, 2, 1)
    loads = {key: Load() for key in ("bare_1", "stack_1", "bare_20", "stack_20")}
    for number in range(1, args.rounds + 1):
        for key, start, workers, each in (
            ("bare_1", bare, 1, args.single),
            ("stack_1", ours, 1, args.single),
            ("bare_20", bare, args.concurrent, args.per_worker),
            ("stack_20", ours, args.concurrent, args.per_worker),
        ):
            done = run_load(start, workers, each)
            loads[key].add(done)
            print(f"round {number} {key}: {done.figures()}", flush=True)
    for key, start in (("bare_50", bare), ("stack_50", ours)):
        loads[key] = run_load(start, args.users, 1)
        print(f"{key}: {loads[key].figures()}", flush=True)
    memory = _memory(stack.processes)
    bare_memory = _memory([bare_proc])
    figures = {key: load.figures() for key, load in loads.items()}
    bare_p50 = float(figures["bare_1"]["p50_ms"]) or 1.0
    return {
        "turn_p50_ratio": round(float(figures["stack_1"]["p50_ms"]) / bare_p50, 2),
        "turns_per_s_20": figures["stack_20"]["turns_per_s"],
        "errors_20": figures["stack_20"]["errors"],
        "p99_ms_50_users": figures["stack_50"]["p99_ms"],
        "errors_50": figures["stack_50"]["errors"],
        "rss_mb_total": round(sum(m["rss_mb"] for m in memory.values()), 1),
        "rss_peak_mb_total": round(sum(m["peak_mb"] for m in memory.values()), 1),
        "loads": figures,
        "memory": memory,
        "bare_memory": bare_memory,
        "concurrent": args.concurrent,
        "users": args.users,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
    }


if __name__ == "__main__":
    main()
