"""Choose the interpretation step's thresholds on a tuning set, with k-fold cross-validation.

``make tune TUNE_CASES=…`` (Rasa environment). Never run this on a held-out set: the
held-out sets are only evaluated (``make eval``). Two stages, so the grid stays small:

1. the service ranking (semantic, example and service-head weights) by top-1 then top-3;
2. the intent decision (intent head weight, strong / match / choose / margin / keep) by
   the mean of intent accuracy and out-of-scope recall.

The last line is JSON: the chosen thresholds, their scores on the whole tuning set and
the k-fold estimate (thresholds chosen on k-1 folds, scored on the held-back fold).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from nlu.evaluate import OOS, REQUEST, _parse_all, build_interpreter, load_cases
from nlu.interpret import THRESHOLDS, Evidence, Interpreter, Thresholds

# The grids cover the weights of the signals added last (the two heads) and the decision
# thresholds they interact with; the semantic and example weights and scales were chosen
# on wider grids before (docs/benchmarks.md) and are held at their values here, which keeps
# a 5-fold run to minutes on two cores.
SERVICE_GRID = {
    "service_head_weight": [0.0, 0.2, 0.3, 0.4, 0.5],
}
INTENT_GRID = {
    "intent_head_weight": [0.0, 0.25, 0.35, 0.45],
    "strong": [0.8, 0.9],
    "keep_oos": [0.4, 0.6],
    "keep_oos_match": [0.4, 0.5, 0.6, 0.7],
    "choose": [0.35, 0.45],
    "match": [0.5, 0.6],
}


def _service_score(it: Interpreter, cases: Sequence[dict[str, str]], ev: Sequence[Evidence]
                   ) -> tuple[float, float]:  # fmt: skip
    rows = [i for i, c in enumerate(cases) if c["intent"] == REQUEST and c.get("service")]
    if not rows:
        return 0.0, 0.0
    top1 = top3 = 0
    for i in rows:
        ranked = [m.code for m in it.rank(ev[i])[:3]]
        top1 += ranked[:1] == [cases[i]["service"]]
        top3 += cases[i]["service"] in ranked
    return top1 / len(rows), top3 / len(rows)


def _intent_score(it: Interpreter, cases: Sequence[dict[str, str]], ev: Sequence[Evidence]
                  ) -> float:  # fmt: skip
    got = [it.decide(e).intent for e in ev]
    accuracy = sum(g == c["intent"] for g, c in zip(got, cases, strict=True)) / len(cases)
    oos = [i for i, c in enumerate(cases) if c["intent"] == OOS]
    recall = sum(got[i] != REQUEST for i in oos) / len(oos) if oos else 1.0
    return (accuracy + recall) / 2


def _values(grid: dict[str, list[float]], values: Sequence[float]) -> dict[str, Any]:
    return dict(zip(grid, values, strict=True))


def choose(it: Interpreter, cases: Sequence[dict[str, str]], ev: Sequence[Evidence]) -> Thresholds:
    """The best thresholds on ``cases`` (two-stage grid search)."""
    best_t, best_s = THRESHOLDS, (-1.0, -1.0)
    for values in itertools.product(*SERVICE_GRID.values()):
        t = replace(THRESHOLDS, **_values(SERVICE_GRID, values))
        s = _service_score(it.with_thresholds(t), cases, ev)
        if s > best_s:
            best_t, best_s = t, s
    stage1, best_i = best_t, -1.0
    for values in itertools.product(*INTENT_GRID.values()):
        t = replace(stage1, **_values(INTENT_GRID, values))
        if t.keep_oos_match < t.keep_oos:
            continue  # one clear service never yields more easily than several candidates
        i = _intent_score(it.with_thresholds(t), cases, ev)
        if i > best_i:
            best_t, best_i = t, i
    return best_t


def _metrics(it: Interpreter, cases: Sequence[dict[str, str]], ev: Sequence[Evidence]
             ) -> dict[str, Any]:  # fmt: skip
    top1, top3 = _service_score(it, cases, ev)
    got = [it.decide(e).intent for e in ev]
    oos = [i for i, c in enumerate(cases) if c["intent"] == OOS]
    return {
        "intent_accuracy": round(sum(g == c["intent"] for g, c in zip(got, cases, strict=True))
                                 / len(cases), 4),
        "service_top1": round(top1, 4),
        "service_top3": round(top3, 4),
        "oos_recall": round(sum(got[i] != REQUEST for i in oos) / len(oos), 4) if oos else None,
    }  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    """Tune, cross-validate and print the thresholds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=Path, nargs="+", required=True)
    parser.add_argument("--model", type=Path, default=Path("models/current.tar.gz"))
    parser.add_argument(
        "--catalogue-json", type=Path, default=Path("nlu/data/generated/catalogue.json")
    )
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    cases = [case for path in args.cases for case in load_cases(path)]
    interpreter = build_interpreter(args.catalogue_json)
    parses, _ = asyncio.run(_parse_all(args.model, [c["text"] for c in cases]))
    evidence = [interpreter.gather(c["text"], p) for c, p in zip(cases, parses, strict=True)]
    folds = [i % args.folds for i in range(len(cases))]
    held: dict[str, list[float]] = {}
    for k in range(args.folds):
        train = [i for i, f in enumerate(folds) if f != k]
        test = [i for i, f in enumerate(folds) if f == k]
        t = choose(interpreter, [cases[i] for i in train], [evidence[i] for i in train])
        m = _metrics(
            interpreter.with_thresholds(t), [cases[i] for i in test], [evidence[i] for i in test]
        )
        for key, value in m.items():
            if value is not None:
                held.setdefault(key, []).append(value)
    final = choose(interpreter, cases, evidence)
    result = {
        "thresholds": asdict(final),
        "tuning_set": _metrics(interpreter.with_thresholds(final), cases, evidence),
        "default_thresholds": _metrics(interpreter, cases, evidence),
        f"cv{args.folds}": {k: round(sum(v) / len(v), 4) for k, v in held.items()},
        "n": len(cases),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
