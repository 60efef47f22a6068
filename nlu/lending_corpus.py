"""Build ``nlu/data/lending_services.csv``: services of other kommuns' catalogues with the
requests staff wrote for them, for a new catalogue's services to borrow from.

A catalogue synced without example requests has only requests made from its own words
(:func:`nlu.embeddings.synthetic_examples`). A service that means the same as one of
these (its passage nearly the same, and nearer to it than to any other service of the new
catalogue) borrows the written requests: "Flytthjälp" in a new catalogue learns how staff
ask for moving help elsewhere (:meth:`nlu.interpret.Interpreter._borrowed`).

The sources are the tuning catalogues of ``tests/eval/`` (their requests were read for
errors and tuned on; no held-out set is one). Each row keeps its ``source``, so that
``make eval`` on a tuning catalogue leaves its own requests out (leave one catalogue out).

    python -m nlu.lending_corpus        # rewrite nlu/data/lending_services.csv
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

__all__ = ["LENDING_FILE", "TUNING_SOURCES", "build"]

ROOT = Path(__file__).resolve().parent.parent
LENDING_FILE = Path(__file__).resolve().parent / "data" / "lending_services.csv"
#: The tuning catalogues (tests/eval/README.md says which sets are tuning and which held
#: out; a held-out set is never a source).
TUNING_SOURCES = (
    "other", "other2", "other6", "other7", "other8", "other9", "other11", "other17",
    "other18", "other31", "other38", "other40", "other42", "other44", "other46", "other48",
    "other50",
    # Held out until the 2026-12-05 night session (aggregates only, never read for
    # errors), then made lending sources: more kommuns' ways of asking for more kinds of
    # service. The newest held-out catalogues (39, 41, 43, 45, 47, 49) stay held out.
    "other3", "other4", "other5", "other10", "other12", "other13", "other14", "other15",
    "other16", "other19", "other20", "other21", "other22", "other23", "other24", "other25",
    "other26", "other27", "other28", "other29", "other30", "other32", "other33", "other34",
    "other35", "other36", "other37",
)  # fmt: skip
COLUMNS = ("code", "source", "kind", "category", "name", "description", "keywords", "examples")


def build(
    sources: tuple[str, ...] = TUNING_SOURCES, base: Path = ROOT / "tests" / "eval"
) -> list[dict[str, str]]:
    """One row per service of each source catalogue that has requests in its cases."""
    rows: list[dict[str, str]] = []
    for source in sources:
        requests: dict[str, list[str]] = defaultdict(list)
        with (base / source / "cases.csv").open(encoding="utf-8", newline="") as handle:
            for case in csv.DictReader(handle):
                text = " ".join(case["text"].split())
                if case.get("service") and case["intent"] == "request_service" and text:
                    requests[case["service"]].append(text.replace(";", ","))
        with (base / source / "katalog.csv").open(encoding="utf-8", newline="") as handle:
            for service in csv.DictReader(handle):
                found = requests.get(service["code"])
                if not found:
                    continue
                rows.append({
                    "code": f"{source}:{service['code']}",
                    "source": source,
                    "kind": service.get("kind") or "order",
                    "category": service.get("category", ""),
                    "name": service["name"],
                    "description": service.get("description", ""),
                    "keywords": service.get("keywords", ""),
                    "examples": ";".join(dict.fromkeys(found)),
                })  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=LENDING_FILE)
    args = parser.parse_args()
    rows = build()
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} services, {sum(r['examples'].count(';') + 1 for r in rows)} requests")


if __name__ == "__main__":
    main()
