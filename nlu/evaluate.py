"""Evaluate the trained assistant on a CSV of ``text,intent,service`` cases.

Runs in the Rasa environment: intents come from the trained Rasa NLU model, services from
the catalogue matcher over a catalogue.json written by catalogue_sync. The last line printed
is one JSON object with the headline numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlu import embeddings
from nlu.interpret import LEND_EXCLUDE_ENV, Interpreter, lending_services
from nlu.lending_corpus import TUNING_SOURCES
from nlu.matcher import ServiceDoc
from nlu.training import DEFAULT_CACHE_DIR, DEFAULT_DATA, load_examples

REQUEST = "request_service"
OOS = "out_of_scope"


def load_cases(path: Path) -> list[dict[str, str]]:
    """Read the evaluation CSV (header text,intent,service)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]
    missing = {"text", "intent"} - set(rows[0] if rows else {})
    if missing:
        raise SystemExit(f"{path}: missing column(s) {sorted(missing)}")
    return [r for r in rows if r["text"]]


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Return the macro-averaged F1 over the gold labels."""
    scores = []
    for label in sorted(set(gold)):
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label and g != label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        denom = 2 * tp + fp + fn
        scores.append(2 * tp / denom if denom else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def score(
    cases: list[dict[str, str]], intents: list[str], ranked: list[list[str]]
) -> dict[str, Any]:
    """Compute the headline metrics."""
    gold = [c["intent"] for c in cases]
    service_rows = [i for i, c in enumerate(cases) if c["intent"] == REQUEST and c.get("service")]
    oos_rows = [i for i, c in enumerate(cases) if c["intent"] == OOS]
    top1 = sum(ranked[i][:1] == [cases[i]["service"]] for i in service_rows)
    top3 = sum(cases[i]["service"] in ranked[i][:3] for i in service_rows)
    oos_ok = sum(intents[i] != REQUEST for i in oos_rows)
    return {
        "n": len(cases),
        "intent_accuracy": round(
            sum(g == p for g, p in zip(gold, intents, strict=True)) / len(cases), 4
        ),
        "intent_macro_f1": round(macro_f1(gold, intents), 4),
        "service_top1": round(top1 / len(service_rows), 4) if service_rows else None,
        "service_top3": round(top3 / len(service_rows), 4) if service_rows else None,
        "oos_recall": round(oos_ok / len(oos_rows), 4) if oos_rows else None,
    }


async def _parse_all(model: Path, texts: list[str]) -> tuple[list[dict[str, Any]], list[float]]:
    # Imported here: only the Rasa environment has Rasa.
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings

    configure_logging_and_warnings(logging.ERROR)
    agent = Agent.load(str(model))
    parses, latencies = [], []
    for text in texts:
        start = time.perf_counter()
        parses.append(await agent.parse_message(text))
        latencies.append(time.perf_counter() - start)
    return parses, latencies


def build_interpreter(
    catalogue_json: Path, data: list[Path] | None = None, lend_exclude: Sequence[str] = ()
) -> Interpreter:
    """The interpretation step the actions use, for the catalogue in ``catalogue_json``
    (its services borrowing no requests from the lending sources in ``lend_exclude``)."""
    services = [ServiceDoc.from_dict(d) for d in json.loads(catalogue_json.read_text("utf-8"))]
    if not embeddings.enabled():
        return Interpreter(services)
    embed = embeddings.embedder(DEFAULT_CACHE_DIR)
    # The assistant's own NLU files and those generated beside this catalogue.
    examples = load_examples(data or (DEFAULT_DATA[0], catalogue_json.parent))
    lenders = lending_services(lend_exclude) if lend_exclude else None
    return Interpreter(services, examples=examples, embed=embed, lenders=lenders)


def own_source(cases: Path) -> list[str]:
    """The lending source that ``cases`` come from, when they are a tuning catalogue's
    requests (``tests/eval/other46/cases.csv``): they must not be lent to themselves."""
    return [cases.parent.name] if cases.parent.name in TUNING_SOURCES else []


def leave_out(sources: Sequence[str]) -> list[str]:
    """Leave the lending ``sources`` out of every interpretation step this process builds
    from now on, the one inside Rasa's pipeline too (:data:`LEND_EXCLUDE_ENV`; read by
    :func:`nlu.interpret.left_out`)."""
    os.environ[LEND_EXCLUDE_ENV] = ",".join(sources)
    return list(sources)


def ms_quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile of seconds, in milliseconds."""
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(len(ordered) * q))], 2)


def main(argv: Sequence[str] | None = None) -> None:
    """Evaluate and print a confusion summary and a final JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=Path, required=True)
    parser.add_argument("--ext-oos", type=Path, help="a second file of out-of-scope cases")
    parser.add_argument("--model", type=Path, default=Path("models/current.tar.gz"))
    parser.add_argument(
        "--catalogue-json", type=Path, default=Path("nlu/data/generated/catalogue.json")
    )
    parser.add_argument("--data", type=Path, nargs="*", help="NLU files for the intent head")
    parser.add_argument("--quiet", action="store_true", help="print only the JSON line")
    args = parser.parse_args(argv)
    cases = load_cases(args.cases)
    ext = load_cases(args.ext_oos) if args.ext_oos else []
    # A tuning catalogue's own requests are in the lending corpus: left out here and in
    # the interpretation step inside Rasa, whose reading comes with each parse.
    exclude = leave_out(own_source(args.cases))
    interpreter = build_interpreter(args.catalogue_json, args.data, exclude)
    texts = [c["text"] for c in cases] + [c["text"] for c in ext]
    parses, nlu_latencies = asyncio.run(_parse_all(args.model, texts))
    results, latencies = [], []
    for text, parse, nlu_seconds in zip(texts, parses, nlu_latencies, strict=True):
        start = time.perf_counter()
        results.append(interpreter.interpret(text, parse))
        latencies.append(nlu_seconds + time.perf_counter() - start)
    main_results = results[: len(cases)]
    intents = [r.intent for r in main_results]
    ranked = [[m.code for m in r.services[:3]] for r in main_results]
    if not args.quiet:
        confusion = Counter(
            (c["intent"], p) for c, p in zip(cases, intents, strict=True) if c["intent"] != p
        )
        print("Intent confusions (gold -> predicted: count):")
        for (g, p), n in confusion.most_common():
            print(f"  {g} -> {p}: {n}")
        print("Intent misses (gold -> predicted [best service]):")
        for c, got in zip(cases, main_results, strict=True):
            if c["intent"] != got.intent:
                best = got.services[0].code if got.services else "-"
                print(f"  {c['intent']} -> {got.intent} [{best}]: {c['text']}")
        print("Service misses (gold -> top 3):")
        for c, r in zip(cases, ranked, strict=True):
            if c["intent"] == REQUEST and c.get("service") and r[:1] != [c["service"]]:
                print(f"  {c['service']} -> {r}: {c['text']}")
    result = score(cases, intents, ranked)
    if ext:
        ext_ok = sum(r.intent != REQUEST for r in results[len(cases) :])
        result["ext_oos_recall"] = round(ext_ok / len(ext), 4)
    result["nlu_p50_ms"] = ms_quantile(nlu_latencies, 0.5)
    result["nlu_p99_ms"] = ms_quantile(nlu_latencies, 0.99)
    result["interpretation_p50_ms"] = ms_quantile(latencies, 0.5)
    result["interpretation_p99_ms"] = ms_quantile(latencies, 0.99)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
