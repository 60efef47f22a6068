"""Borrowed example requests: the corpus they come from and the calibration that keeps a
service with many of them from being near every message by chance."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from nlu.embeddings import ServiceVectors
from nlu.evaluate import leave_out, own_source
from nlu.interpret import (
    LEND_EXCLUDE_ENV,
    LENDING_FILE,
    left_out,
    lending_services,
    reference_services,
)
from nlu.lending_corpus import COLUMNS, TUNING_SOURCES, build

EVAL = Path(__file__).resolve().parents[2] / "eval"


def _vectors(owner: list[int], examples: np.ndarray, services: int) -> ServiceVectors:
    empty = np.zeros((services, examples.shape[1]), np.float32)
    return ServiceVectors(
        [f"S{i}" for i in range(services)], empty, empty, np.arange(services),
        examples, np.asarray(owner), [f"e{i}" for i in range(len(owner))],
    )  # fmt: skip


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def test_the_baseline_is_each_services_mean_k_nearest_similarity_over_the_queries() -> None:
    rng = np.random.default_rng(7)
    owner = [2, 0, 0, 2, 0, 2, 2, 2, 3]  # any order; service 1 has none, 3 one example
    # Unit length, as the sentence embeddings are.
    examples = _unit(rng.normal(size=(9, 16)))
    queries = _unit(rng.normal(size=(40, 16)))
    vectors = _vectors(owner, examples, 4)
    query = queries[0]
    calibrated = vectors.calibrated(queries)
    sims = examples @ queries.T
    usual = {}
    for i in range(4):
        block = sims[np.asarray(owner) == i]
        if len(block):
            usual[i] = np.sort(block, axis=0)[::-1][:2].mean(axis=0).mean()
    mean = np.mean(list(usual.values()))
    raw = vectors.example_similarities(query)
    got = calibrated.example_similarities(query)
    assert raw is not None and got is not None
    for i, expected in usual.items():
        # Less its usual nearness, told against the services' mean (the scale stays).
        assert abs((raw[i] - got[i]) - (expected - mean)) < 1e-4
    # Services without examples stay without (NaN), whatever the calibration.
    found = calibrated.example_similarities(query)
    assert found is not None and np.isnan(found[1])


def test_a_query_that_is_one_of_the_examples_does_not_count_for_it() -> None:
    a, c, d = np.eye(4, dtype=np.float32)[[0, 2, 3]]
    b = np.array([0.9, np.sqrt(1 - 0.81), 0, 0], dtype=np.float32)  # cos(a, b) = 0.9
    vectors = _vectors([0, 0, 1], np.vstack([a, b, c]), 2)
    calibrated = vectors.calibrated(np.vstack([a, b, d]))
    raw = vectors.example_similarities(d)
    got = calibrated.example_similarities(d)
    assert raw is not None and got is not None
    # Service 0's two nearest over the queries a, b, d, itself left out: (0.9, -1) twice
    # and (0, 0): usual -1/30; service 1 (c, no query) 0; their mean -1/60. Counted with
    # itself, service 0's usual would be (1 + 0.9) / 2 twice: 0.633, and it would move
    # down 0.317 instead of up 1/60.
    assert abs((raw[0] - got[0]) - (-1 / 30 + 1 / 60)) < 1e-5
    assert abs((raw[1] - got[1]) - (0 + 1 / 60)) < 1e-5


def test_many_examples_alike_no_longer_lift_their_service_above_one_with_few() -> None:
    rng = np.random.default_rng(3)
    # Service 0 has 60 examples scattered everywhere (near anything by chance), service 1
    # two examples in one direction; the message is in service 1's direction, weakly.
    scattered = rng.normal(size=(60, 32))
    focused = np.tile(np.eye(32)[0], (2, 1)) + rng.normal(scale=0.05, size=(2, 32))
    examples = np.vstack([scattered, focused])
    examples = (examples / np.linalg.norm(examples, axis=1, keepdims=True)).astype(np.float32)
    owner = [0] * 60 + [1] * 2
    vectors = _vectors(owner, examples, 2)
    queries = rng.normal(size=(200, 32))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    message = np.eye(32)[0] * 0.35 + rng.normal(scale=0.16, size=32)
    message = (message / np.linalg.norm(message)).astype(np.float32)
    raw = vectors.example_similarities(message)
    got = vectors.calibrated(queries).example_similarities(message)
    assert raw is not None and got is not None
    assert raw[0] > raw[1]  # by chance, the crowd is nearer
    assert got[1] > got[0]  # told against each one's usual nearness, the focused one wins


def test_the_corpus_is_built_from_tuning_catalogues_only() -> None:
    readme = (EVAL / "README.md").read_text(encoding="utf-8")
    for source in TUNING_SOURCES:
        row = re.search(rf"^\| `{source}/` \|[^\n]*$", readme, re.MULTILINE)
        assert row, source
        # The set's "used for" column says tuning; a held-out set is never a source.
        assert row.group(0).rstrip(" |").split("|")[-1].strip().startswith("**tuning**"), source


def test_the_shipped_corpus_is_what_the_sources_give(tmp_path: Path) -> None:
    with LENDING_FILE.open(encoding="utf-8", newline="") as handle:
        shipped = list(csv.DictReader(handle))
    assert shipped == build(), "run `python -m nlu.lending_corpus` after changing a source"
    assert shipped and set(shipped[0]) == set(COLUMNS)


def test_build_keeps_each_services_requests_and_its_source(tmp_path: Path) -> None:
    source = tmp_path / "other99"
    source.mkdir()
    (source / "katalog.csv").write_text(
        "code,kind,category,name,description,keywords\n"
        "X-01,order,Tolk,Tolkbokning,Bokning av tolk.,tolk;språktolk\n"
        "X-02,fault,Fastighet,Felanmälan,Fel i huset.,fel\n"
        "X-03,order,Tryck,Tryckeri,Tryck.,tryck\n",
        encoding="utf-8",
    )
    (source / "cases.csv").write_text(
        "text,intent,service\n"
        "behöver  en tolk på arabiska;i morgon,request_service,X-01\n"
        "det läcker i taket,request_service,X-02\n"
        "vad blir vädret,out_of_scope,\n"
        "det läcker i taket,request_service,X-02\n",
        encoding="utf-8",
    )
    rows = build(("other99",), tmp_path)
    # X-03 has no requests: nothing to lend. Spaces are tidied, ";" cannot split a request.
    assert [r["code"] for r in rows] == ["other99:X-01", "other99:X-02"]
    assert rows[0]["examples"] == "behöver en tolk på arabiska,i morgon"
    assert rows[1]["examples"] == "det läcker i taket" and rows[1]["kind"] == "fault"
    assert {r["source"] for r in rows} == {"other99"}


def test_a_source_can_be_left_out_and_the_reference_always_lends() -> None:
    every = lending_services()
    without = lending_services(["other46"])
    reference = {s.code for s in reference_services()}
    assert reference <= {s.code for s in without}
    assert any(s.code.startswith("other46:") for s in every)
    assert not any(s.code.startswith("other46:") for s in without)
    assert len(every) - len(without) == sum(s.code.startswith("other46:") for s in every)


def test_a_tuning_catalogues_own_requests_are_never_lent_to_it() -> None:
    assert own_source(EVAL / "other46" / "cases.csv") == ["other46"]
    assert own_source(EVAL / "other45" / "cases.csv") == []  # held out: not a source at all
    assert own_source(EVAL / "heldout_requests.csv") == []


def test_an_evaluation_leaves_its_own_source_out_of_the_step_inside_rasa(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # make eval reads each message through Rasa, whose pipeline runs the interpretation
    # step: that step must leave the tuning catalogue's own requests out as well.
    monkeypatch.delenv(LEND_EXCLUDE_ENV, raising=False)
    assert left_out() == []
    assert leave_out(own_source(EVAL / "other46" / "cases.csv")) == ["other46"]
    assert left_out() == ["other46"]
    leave_out([])
    assert left_out() == []
