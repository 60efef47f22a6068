"""Measure the catalogue matcher: ``python -m nlu.matcher_eval CASES.csv CATALOGUE``.

CASES.csv has ``text,intent,service``; CATALOGUE is the catalogue CSV or the
generated JSON. Prints service top-1/top-3 accuracy on request_service rows, how
often other rows would be decided "match", and decision latency p50/p99.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

from nlu.matcher import CatalogueMatcher, ServiceDoc


def load_catalogue(path: Path) -> list[ServiceDoc]:
    """Services from a catalogue CSV (tjanstekatalog format) or JSON list."""
    with path.open(encoding="utf-8") as f:
        rows = json.load(f) if path.suffix == ".json" else list(csv.DictReader(f))
    return [ServiceDoc.from_dict(r) for r in rows]


def main(argv: list[str]) -> int:
    """Run the evaluation and print one summary line per measure."""
    cases_path, catalogue_path = Path(argv[0]), Path(argv[1])
    matcher = CatalogueMatcher(load_catalogue(catalogue_path))
    with cases_path.open(encoding="utf-8") as f:
        cases = list(csv.DictReader(f))
    top1 = top3 = requests = others = false_match = 0
    latencies = []
    for case in cases:
        start = time.perf_counter()
        decision = matcher.decide(case["text"])
        ranked = [m.code for m in matcher.rank(case["text"], limit=3)]
        latencies.append(time.perf_counter() - start)
        if case["intent"] == "request_service":
            requests += 1
            top1 += ranked[:1] == [case["service"]]
            top3 += case["service"] in ranked
        else:
            others += 1
            false_match += decision.outcome == "match"
    latencies.sort()

    def pct(q: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))]

    n = max(requests, 1)
    print(f"requests={requests} top1={top1 / n:.3f} top3={top3 / n:.3f}")
    print(f"other={others} decided_match={false_match / max(others, 1):.3f}")
    print(f"latency_ms p50={pct(0.5):.2f} p99={pct(0.99):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
