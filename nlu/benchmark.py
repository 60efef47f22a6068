"""Peer benchmark: this assistant against Rasa's default pipeline and plain TF-IDF.

``make bench`` (Rasa environment, slow: it trains Rasa's default DIET pipeline 1 + folds
times). Systems, all on the same data:

(a) this assistant: ``config.yml`` (ending in the interpretation step) for intents, and
    ``nlu.interpret.Interpreter`` (lexical matcher + embeddings) for services;
(b) the pipeline ``rasa init`` falls back to in Rasa 3.6 (DIET, 100 epochs) for intents,
    with peer (c)'s TF-IDF matcher for services, since Rasa has no catalogue matcher;
(c) TF-IDF character n-grams: logistic regression for intents, cosine for services.

Two measurements: the evaluation CSV (``--cases``), and stratified k-fold
cross-validation of the NLU training data in ``--data``. Tables go to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlu import embeddings
from nlu.evaluate import OOS, REQUEST, load_cases, score
from nlu.interpret import Interpreter as Interpretation
from nlu.matcher import ServiceDoc
from nlu.text import normalise
from nlu.training import DEFAULT_CACHE_DIR

Interpreter = Callable[[str], tuple[str, list[str]]]  # text -> (intent, top-3 services)
SYSTEMS = {
    "a": "(a) En väg in: interpretation step (classifier + matcher + embeddings)",
    "b": "(b) Rasa 3.6 default pipeline (DIET) + TF-IDF matcher",
    "c": "(c) TF-IDF char n-grams: logistic regression + cosine",
}


@dataclass(frozen=True)
class Example:
    """One training example; ``service`` is set for labelled catalogue requests."""

    text: str
    intent: str
    service: str = ""


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) by the nearest-rank method; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(q * len(ordered) + 0.5) - 1))]


def stratified_folds(labels: Sequence[str], k: int, seed: int = 7) -> list[int]:
    """Fold number (0..k-1) of each item, dealing each label's items round-robin."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        by_label[label].append(i)
    rng = random.Random(seed)
    folds = [0] * len(labels)
    offset = 0
    for label in sorted(by_label):
        items = by_label[label]
        rng.shuffle(items)
        for j, i in enumerate(items):
            folds[i] = (offset + j) % k
        offset += len(items)
    return folds


def service_label(text: str, services: Sequence[ServiceDoc]) -> str:
    """The service whose name or keyword a generated example was built from.

    catalogue_sync writes a service's name and keywords alone or inside a template
    ("vi behöver {x}"); the longest phrase found decides, a tie between services
    leaves the example unlabelled ("").
    """
    padded = f" {normalise(text)} "
    best: dict[str, int] = {}
    for service in services:
        for phrase in (service.name, *service.keywords):
            norm = normalise(phrase)
            if norm and f" {norm} " in padded:
                best[service.code] = max(best.get(service.code, 0), len(norm))
    if not best:
        return ""
    top = max(best.values())
    winners = [code for code, length in best.items() if length == top]
    return winners[0] if len(winners) == 1 else ""


def metrics(
    cases: Sequence[dict[str, str]], results: Sequence[tuple[str, list[str]]]
) -> dict[str, Any]:
    """Headline numbers (as ``make eval``) for interpreted cases."""
    return score(list(cases), [r[0] for r in results], [r[1] for r in results])


def run_cases(interpret: Interpreter, cases: Sequence[dict[str, str]]) -> dict[str, Any]:
    """Interpret every case, timing each message (NLU + matcher)."""
    interpret(cases[0]["text"])  # warm-up: lazy loading is not per-message latency
    results, took = [], []
    for case in cases:
        start = time.perf_counter()
        results.append(interpret(case["text"]))
        took.append(1000 * (time.perf_counter() - start))
    out = metrics(cases, results)
    out["p50_ms"] = round(percentile(took, 0.5), 2)
    out["p99_ms"] = round(percentile(took, 0.99), 2)
    return out


def _systems(
    workdir: Path,
    train_data: Path,
    examples: Sequence[Example],
    services: Sequence[ServiceDoc],
    with_b: bool = True,
) -> dict[str, tuple[Interpreter, float]]:
    """Train the systems on ``train_data``; interpreter and training seconds each."""
    from nlu import _bench_rasa
    from nlu._peers import TfidfIntentClassifier, TfidfServiceMatcher

    ours = Interpretation(services, embed=embeddings.embedder(DEFAULT_CACHE_DIR))
    tfidf = TfidfServiceMatcher(services)
    parse_a, secs_a = _bench_rasa.train(Path("config.yml"), train_data, workdir / "a")
    start = time.perf_counter()
    classifier = TfidfIntentClassifier().fit(
        [e.text for e in examples], [e.intent for e in examples]
    )
    secs_c = time.perf_counter() - start

    def a(text: str) -> tuple[str, list[str]]:
        # The trained pipeline ends in the interpretation step, so its intent is the
        # step's decision; the ranked services come from the same step.
        return parse_a(text), [m.code for m in ours.rank(ours.gather(text))[:3]]

    def c(text: str) -> tuple[str, list[str]]:
        return classifier.predict(text), tfidf.rank(text)

    systems: dict[str, tuple[Interpreter, float]] = {"a": (a, secs_a), "c": (c, secs_c)}
    if with_b:
        parse_b, secs_b = _bench_rasa.train(
            _bench_rasa.default_config(workdir), train_data, workdir / "b"
        )

        def b(text: str) -> tuple[str, list[str]]:
            return parse_b(text), tfidf.rank(text)

        systems["b"] = (b, secs_b)
    return dict(sorted(systems.items()))


def _row(name: str, m: dict[str, Any], seconds: float, latency: bool) -> str:
    cells = [m["intent_accuracy"], m["intent_macro_f1"], m["service_top1"], m["service_top3"]]
    cells += [m["oos_recall"]]
    cells += [m["p50_ms"], m["p99_ms"]] if latency else ["–", "–"]
    text = " | ".join("n/a" if c is None else str(c) for c in cells)
    return f"| {name} | {text} | {seconds:.1f} |"


HEADER = (
    "| system | intent acc | intent macro-F1 | service top-1 | service top-3 | OOS recall "
    "| p50 ms | p99 ms | training s |\n|---|---|---|---|---|---|---|---|---|"
)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and write the tables."""
    from nlu import _bench_rasa

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=Path, default=Path("../shared/eval/dev.csv"))
    parser.add_argument("--data", type=Path, default=Path("nlu/data"))
    parser.add_argument(
        "--catalogue-json", type=Path, default=Path("nlu/data/generated/catalogue.json")
    )
    parser.add_argument("--folds", type=int, default=5, help="0: no cross-validation")
    parser.add_argument(
        "--b-folds", type=int, default=5, help="folds on which peer (b) is trained (DIET is slow)"
    )
    parser.add_argument("--workdir", type=Path, default=Path("var/bench"))
    parser.add_argument("--out", type=Path, default=Path("var/bench/results.md"))
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    services = [ServiceDoc.from_dict(d) for d in json.loads(args.catalogue_json.read_text("utf-8"))]
    data, pairs = _bench_rasa.load_examples(args.data)
    examples = [
        Example(text, intent, service_label(text, services) if intent == REQUEST else "")
        for text, intent in pairs
    ]
    cases = load_cases(args.cases)
    lines = [f"## Evaluation set `{args.cases}` ({len(cases)} cases)", "", HEADER]
    full = args.workdir / "full.yml"
    full.write_text(data.nlu_as_yaml(), encoding="utf-8")
    results: dict[str, Any] = {"dev": {}, "cv": {}}
    for key, (interpret, secs) in _systems(args.workdir / "full", full, examples, services).items():
        m = run_cases(interpret, cases)
        results["dev"][key] = {**m, "train_s": round(secs, 1)}
        lines.append(_row(SYSTEMS[key], m, secs, latency=True))
        print(key, json.dumps(results["dev"][key]), flush=True)
    if args.folds > 1:  # --folds 0: the evaluation set only (a few minutes, not ~35)
        results["cv"] = _cross_validate(args, data, examples, services)
        lines += ["", f"## {args.folds}-fold stratified cross-validation of `{args.data}`", ""]
        lines.append(HEADER)
        for key, m in results["cv"].items():
            lines.append(_row(SYSTEMS[key], m, m["train_s"], latency=False))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (args.out.with_suffix(".json")).write_text(json.dumps(results, indent=1), encoding="utf-8")
    print("\n".join(lines))


def _cross_validate(
    args: argparse.Namespace, data: Any, examples: Sequence[Example], services: Sequence[ServiceDoc]
) -> dict[str, dict[str, Any]]:
    from nlu import _bench_rasa

    folds = stratified_folds([e.intent for e in examples], args.folds)
    predicted: dict[str, list[tuple[int, tuple[str, list[str]]]]] = defaultdict(list)
    train_secs: dict[str, list[float]] = defaultdict(list)
    for fold in range(args.folds):
        train_idx = [i for i, f in enumerate(folds) if f != fold]
        path = args.workdir / f"fold{fold}.yml"
        path.write_text(_bench_rasa.subset(data, train_idx).nlu_as_yaml(), encoding="utf-8")
        train = [examples[i] for i in train_idx]
        with_b = fold < args.b_folds
        systems = _systems(args.workdir / f"fold{fold}", path, train, services, with_b)
        for key, (interpret, secs) in systems.items():
            train_secs[key].append(secs)
            for i, f in enumerate(folds):
                if f == fold:
                    predicted[key].append((i, interpret(examples[i].text)))
        print(f"fold {fold} done", flush=True)
    out = {}
    for key, pairs in predicted.items():
        cases = [
            {"text": examples[i].text, "intent": examples[i].intent, "service": examples[i].service}
            for i, _ in pairs
        ]
        m = metrics(cases, [r for _, r in pairs])
        out[key] = {**m, "train_s": round(sum(train_secs[key]) / len(train_secs[key]), 1)}
    return out


__all__ = ["OOS", "Example", "main", "percentile", "service_label", "stratified_folds"]

if __name__ == "__main__":
    main()
