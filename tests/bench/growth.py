"""`make bench-growth`: how the waits a person feels grow with use and with the catalogue.

(a) Turn latency through the real stack (web chat → desk relay → Rasa → action server, on
free ports) for one conversation at turn 1, 13, 50, 200 and 500 (cheap turns in turn:
greeting, "visa mina ärenden", thanks, a question; the median of the twelve turns ending
there), once with the tracker store as configured (bot/tracker_store.py: a long session at
rest starts anew) and once with Rasa's stock ``SQLTrackerStore``; and for fresh
conversations while the store holds 0, 10 000 and 100 000 events of other people
(written straight into Rasa's ``events`` table, rows copied from what Rasa writes).

(b) Catalogues of 41, 500 and 5 000 services (the real catalogue and recombinations of it):
catalogue_sync time, matcher index build, per-query matcher latency, the catalogue's
embeddings (first build, and cached) and per-query interpretation latency.

The last line printed is one JSON object. A benchmark, not a test: nothing passes or fails.

    python -m tests.bench.growth [--part turns|catalogue|both] [--turns 500]
        [--stores bounded,stock] [--fill 0,10000,100000] [--tracker sqlite|postgresql]
        [--sizes 41,500,5000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.bench import _catalogue_growth, _turn_growth


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> None:
    """Run the chosen parts and print the figures; the last line is JSON."""
    parser = argparse.ArgumentParser(description="Turn and catalogue growth.")
    parser.add_argument("--part", choices=("turns", "catalogue", "both"), default="both")
    parser.add_argument("--turns", type=int, default=500, help="length of the long conversation")
    parser.add_argument("--marks", type=_ints, default=[13, 50, 200, 500])
    parser.add_argument("--fill", type=_ints, default=[0, 10_000, 100_000])
    parser.add_argument("--tracker", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--stores", type=lambda t: t.split(","), default=["bounded", "stock"],
        help="bounded (bot/tracker_store.py, as configured) and/or stock (Rasa's SQLTrackerStore)",
    )  # fmt: skip
    parser.add_argument("--sizes", type=_ints, default=[41, 500, 5000])
    parser.add_argument("--queries", type=int, default=60, help="queries per catalogue size")
    parser.add_argument(
        "--sample", type=int, default=96,
        help="texts embedded per kind to time a first build (the rest is extrapolated)",
    )  # fmt: skip
    args = parser.parse_args()
    result: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
    }
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as tmp_name:
        tmp = Path(tmp_name)
        if args.part in ("turns", "both"):
            result["tracker"] = args.tracker
            for kind in args.stores:
                print(f"(a) turns, {kind} tracker store on {args.tracker} …", flush=True)
                (tmp / kind).mkdir()
                with _turn_growth.running_stack(
                    tmp / kind, args.tracker, stock=kind == "stock"
                ) as (stack, store):
                    result[f"long_conversation_{kind}"] = _turn_growth.long_conversation(
                        stack, store, args.turns, args.marks
                    )
                    if kind == args.stores[0]:
                        result["store_size"] = _turn_growth.store_size(stack, store, args.fill)
        if args.part in ("catalogue", "both"):
            print("(b) catalogue sizes …", flush=True)
            (tmp / "catalogue").mkdir()
            result["catalogue"] = _catalogue_growth.measure(
                tmp / "catalogue", args.sizes, args.queries, args.sample
            )
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["summary"] = _summary(result)
    print(json.dumps(result, ensure_ascii=False))


def _summary(result: dict[str, Any]) -> dict[str, Any]:
    """Growth ratios: the last measured point against the first."""
    out: dict[str, Any] = {}
    for kind in ("bounded", "stock"):
        long = result.get(f"long_conversation_{kind}") or []
        if len(long) >= 3 and long[1]["median_ms_last_12"]["all"]:
            # Turn 1 starts the session; the window of turns 2-13 is the base.
            first = long[1]["median_ms_last_12"]["all"]
            last = long[-1]["median_ms_last_12"]["all"]
            out[f"turn_ms_{kind}_base_vs_last"] = [first, last]
            out[f"turn_growth_ratio_{kind}"] = round(last / first, 2)
    sizes = result.get("store_size") or []
    if len(sizes) >= 2 and sizes[0]["median_ms"]:
        out["store_growth_ratio"] = round(sizes[-1]["median_ms"] / sizes[0]["median_ms"], 2)
    cat = result.get("catalogue") or []
    if len(cat) >= 2:
        first, last = cat[0], cat[-1]
        out["services"] = [first["services"], last["services"]]
        for key in ("matcher_p50_ms", "matcher_p99_ms", "interpret_p50_ms", "interpret_p99_ms"):
            if first.get(key):
                out[f"{key}_ratio"] = round(last[key] / first[key], 2)
    return out


if __name__ == "__main__":
    main()
