"""Measure first-message details: ``python -m nlu.details_eval --cases FILE --catalogue-json J``.

FILE is a CSV with ``text,service,location,destination,date,return_date,time,quantity,
participants``; an empty cell means the detail must not be prefilled. A field of a row
counts only when it is one of that service's ``order_fields`` in the catalogue JSON.
Each row is run through :func:`nlu.details.extract_details` with "now" fixed (default
2026-11-30 10:00 Europe/Stockholm). A prediction is correct when it equals the gold
value after case-folding, trimming and removing trailing punctuation (a location also
ignoring a leading "i/på/vid/till "). Prints aggregate numbers only, and as the last
line one JSON object with per-field precision, recall, support and predictions.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from nlu.details import TZ, extract_details

__all__ = ["DETAIL_FIELDS", "load_order_fields", "main", "matches", "normalize", "score"]

DETAIL_FIELDS = (
    "location", "destination", "date", "return_date", "time", "quantity", "participants",
)  # fmt: skip
DEFAULT_NOW = datetime(2026, 11, 30, 10, 0, tzinfo=TZ)
_TRAILING = re.compile(r"[\s.,;:!?]+$")
_LEADING_PREP = re.compile(r"^(?:i|på|vid|till)\s+")


def normalize(field: str, value: str) -> str:
    """The form a value is compared in: case-folded, trimmed, no trailing punctuation."""
    text = _TRAILING.sub("", value.casefold().strip())
    if field == "location":
        text = _LEADING_PREP.sub("", text)
    return text.strip()


def matches(field: str, predicted: str, gold: str) -> bool:
    """Whether a prediction equals the gold value (both normalised)."""
    return normalize(field, predicted) == normalize(field, gold)


def load_order_fields(path: Path) -> dict[str, list[str]]:
    """``{service code: order_fields}`` from the generated catalogue JSON."""
    with path.open(encoding="utf-8") as f:
        services = json.load(f)
    return {s["code"]: list(s.get("order_fields") or []) for s in services}


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def score(
    rows: Sequence[Mapping[str, str]],
    order_fields: Mapping[str, Sequence[str]],
    now: datetime = DEFAULT_NOW,
) -> dict[str, Any]:
    """Per-field and micro precision/recall of ``extract_details`` on labelled rows."""
    counts = {f: {"correct": 0, "predicted": 0, "support": 0} for f in DETAIL_FIELDS}
    for row in rows:
        fields = list(order_fields.get(row.get("service", "").strip(), []))
        found = extract_details(row.get("text", ""), fields, now)
        for field in DETAIL_FIELDS:
            if field not in fields:
                continue
            gold = normalize(field, row.get(field) or "")
            predicted = normalize(field, found.get(field, ""))
            counts[field]["support"] += bool(gold)
            counts[field]["predicted"] += bool(predicted)
            counts[field]["correct"] += bool(predicted) and predicted == gold
    report: dict[str, Any] = {"n": len(rows), "fields": {}}
    for field, c in counts.items():
        report["fields"][field] = {
            "precision": _ratio(c["correct"], c["predicted"]),
            "recall": _ratio(c["correct"], c["support"]),
            "support": c["support"],
            "predicted": c["predicted"],
        }
    correct = sum(c["correct"] for c in counts.values())
    report["micro_precision"] = _ratio(correct, sum(c["predicted"] for c in counts.values()))
    report["micro_recall"] = _ratio(correct, sum(c["support"] for c in counts.values()))
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Score the cases and print the aggregate numbers; the last line is JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, required=True)
    parser.add_argument("--catalogue-json", type=Path, required=True)
    parser.add_argument("--now", type=datetime.fromisoformat, default=DEFAULT_NOW)
    args = parser.parse_args(argv)
    now: datetime = args.now if args.now.tzinfo else args.now.replace(tzinfo=TZ)
    with args.cases.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    order_fields = load_order_fields(args.catalogue_json)
    unknown = sum(1 for r in rows if r.get("service", "").strip() not in order_fields)
    report = score(rows, order_fields, now)
    print(f"cases={report['n']} unknown_services={unknown} now={now.isoformat()}")
    for field, m in report["fields"].items():
        print(
            f"{field:<13} precision={m['precision']:.3f} recall={m['recall']:.3f} "
            f"support={m['support']} predicted={m['predicted']}"
        )
    print(f"micro precision={report['micro_precision']:.3f} recall={report['micro_recall']:.3f}")
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
