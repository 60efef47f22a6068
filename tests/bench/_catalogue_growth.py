"""Catalogue size against sync, index, embeddings and per-query waits (part of bench-growth).

For each size: ``python -m catalogue_sync`` into a fresh SQLite database (timed as a
command, process start included, then again with nothing changed), the matcher's index
built from the ``catalogue.json`` it wrote (as the Rasa process builds it), per-query
matcher and interpretation latency over the tuning set's requests, and the catalogue's
sentence embeddings.

Embedding a catalogue is the model's work per text; at 500 and 5 000 services (6 000 and
60 000 example requests) a first build takes longer than a benchmark run may, so there a
random sample of each kind of text is embedded and the first build is extrapolated from
it (``first_build_extrapolated``). The cache is then filled with random unit vectors of
the right shape through the real cache code, so the cached build and every per-query
figure run the real code on arrays of the real size (a similarity's cost does not depend
on the vectors' values; the query's own embedding is real).
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlu import embeddings
from nlu.embeddings import Embedder, ServiceVectors, passage_texts
from nlu.interpret import Interpreter
from nlu.matcher import CatalogueMatcher, ServiceDoc
from tests.bench._synth_catalogue import synthesise, write_csv
from tests.support.processes import REPO, base_env, run_app

#: Up to this many texts a first build is measured, not extrapolated (the real catalogue).
REAL_BUILD_TEXTS = 1000
#: Queries whose time is split into its parts (each part is timed again).
BREAKDOWN_QUERIES = 20
QUERIES = REPO / "tests" / "eval" / "tuning_requests.csv"


class _RandomModel:
    """Stands in for the embedding model while the cache of a large catalogue is filled."""

    def __init__(self) -> None:
        self.rng = np.random.default_rng(7)

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        found = self.rng.standard_normal((len(texts), embeddings.DIM)).astype(np.float32)
        return np.asarray(found / np.linalg.norm(found, axis=1, keepdims=True), np.float32)

    query = passage = _vectors


class _FillingEmbedder(Embedder):
    def _model(self) -> Any:  # type: ignore[override]
        return _RandomModel()


def _ms(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(0, int(np.ceil(pct / 100 * len(ordered))) - 1)
    return round(ordered[rank] * 1000, 2)


def _timed(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def _texts(docs: Sequence[ServiceDoc]) -> dict[str, list[str]]:
    fulls, parts, examples = [], [], []
    for d in docs:
        full, names = passage_texts(d.name, d.category, d.description, d.keywords)
        fulls.append(full)
        parts += names
        examples += list(d.examples)
    return {"full": fulls, "parts": parts, "examples": examples}


def _sync(csv_path: Path, work: Path) -> tuple[float, float, Path]:
    """Seconds of a first and an unchanged second sync; the catalogue.json written."""
    env = base_env(f"sqlite:///{work / 'desk.db'}")
    # 5 000 services with twelve example requests each make 13.7 MB of NLU data, above the
    # default guard of 10 MB (SERVICEDESK_CATALOGUE_MAX_NLU_BYTES): raised here.
    env["SERVICEDESK_CATALOGUE_MAX_NLU_BYTES"] = str(100_000_000)
    run_app(["-m", "servicedesk", "migrate"], env)
    command = [
        sys.executable,
        "-m",
        "catalogue_sync",
        str(csv_path),
        "--nlu-dir",
        str(work / "nlu"),
    ]
    times = []
    for _ in range(2):
        began = time.perf_counter()
        subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - began)
    return times[0], times[1], work / "nlu" / "catalogue.json"


def _embedding_build(docs: Sequence[ServiceDoc], cache: Path, sample: int) -> dict[str, Any]:
    texts = _texts(docs)
    counts = {kind: len(found) for kind, found in texts.items()}
    out: dict[str, Any] = {"texts": counts}
    real = sum(counts.values()) <= REAL_BUILD_TEXTS
    if real:
        out["first_build_s"] = round(_timed(lambda: ServiceVectors.build(docs, Embedder(cache))), 2)
    else:
        plain = Embedder(None)  # no cache: every text costs what a first build pays
        rng = random.Random(7)
        estimate = 0.0
        for kind, found in texts.items():
            chosen = rng.sample(found, min(sample, len(found)))
            if kind == "examples":
                took = _timed(lambda c=chosen: plain.queries(c, cache=False))
            else:
                took = _timed(lambda c=chosen: plain.passages(c))
            estimate += took / len(chosen) * counts[kind]
        out["first_build_extrapolated_s"] = round(estimate, 1)
        ServiceVectors.build(docs, _FillingEmbedder(cache))
    out["cached_build_s"] = round(_timed(lambda: ServiceVectors.build(docs, Embedder(cache))), 3)
    return out


def _queries(limit: int) -> list[str]:
    with QUERIES.open(encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)][:limit]


def _per_query(docs: Sequence[ServiceDoc], cache: Path, queries: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    matcher: list[CatalogueMatcher] = []
    out["matcher_build_s"] = round(_timed(lambda: matcher.append(CatalogueMatcher(docs))), 3)
    decide = [_timed(lambda q=q: matcher[0].decide(q)) for q in queries]
    out["matcher_p50_ms"], out["matcher_p99_ms"] = _ms(decide, 50), _ms(decide, 99)
    embed = Embedder(cache)
    built: list[Interpreter] = []
    out["interpreter_build_cached_s"] = round(
        _timed(lambda: built.append(Interpreter(docs, embed=embed))), 3
    )
    interpreter = built[0]
    embeddings._recent_query_vector.cache_clear()
    took = [_timed(lambda q=q: interpreter.interpret(q, {})) for q in queries]
    out["interpret_p50_ms"], out["interpret_p99_ms"] = _ms(took, 50), _ms(took, 99)
    # Where the time goes, with each query's vector already at hand (it is cached now).
    vectors = ServiceVectors.build(docs, embed)
    parts: dict[str, list[float]] = {"similarities": [], "example_similarities": [], "gather": []}
    for q in queries[:BREAKDOWN_QUERIES]:
        vector = embed.queries([q])[0]
        parts["similarities"].append(_timed(lambda v=vector: vectors.similarities(v)))
        parts["example_similarities"].append(
            _timed(lambda v=vector: vectors.example_similarities(v))
        )
        parts["gather"].append(_timed(lambda q=q: interpreter.gather(q, {})))
    for name, values in parts.items():
        out[f"{name}_p50_ms"] = _ms(values, 50)
    evidence = [interpreter.gather(q, {}) for q in queries[:BREAKDOWN_QUERIES]]
    decided = [_timed(lambda e=e: interpreter.decide(e)) for e in evidence]
    out["decide_p50_ms"] = _ms(decided, 50)
    return out


def measure(tmp: Path, sizes: Sequence[int], queries: int, sample: int) -> list[dict[str, Any]]:
    """The figures for each catalogue size."""
    texts = _queries(queries)
    CatalogueMatcher([ServiceDoc("W", "värm upp")])  # loads the lexicon, not timed
    rows = []
    for size in sizes:
        work = tmp / str(size)
        work.mkdir()
        csv_path = write_csv(synthesise(size), work / "katalog.csv")
        first, again, catalogue_json = _sync(csv_path, work)
        docs = [ServiceDoc.from_dict(d) for d in json.loads(catalogue_json.read_text("utf-8"))]
        row: dict[str, Any] = {
            "services": len(docs),
            "sync_s": round(first, 2),
            "sync_unchanged_s": round(again, 2),
        }
        print(f"  {size} services: synced in {first:.1f} s", flush=True)
        row["embeddings"] = _embedding_build(docs, work / "cache", sample)
        print(f"  {size} services: embeddings {row['embeddings']}", flush=True)
        row.update(_per_query(docs, work / "cache", texts))
        print(f"  {size} services: {row}", flush=True)
        rows.append(row)
    return rows
