"""Metric helpers of the peer benchmark (the benchmark itself runs in `make bench`)."""

from __future__ import annotations

from collections import Counter

from nlu.benchmark import metrics, percentile, service_label, stratified_folds
from nlu.matcher import ServiceDoc


def test_percentile_uses_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([3.0], 0.99) == 3.0
    assert percentile([], 0.5) == 0.0


def test_stratified_folds_spread_every_label_evenly() -> None:
    labels = ["a"] * 10 + ["b"] * 5 + ["c"] * 2
    folds = stratified_folds(labels, 5)
    per_fold = Counter((label, fold) for label, fold in zip(labels, folds, strict=True))
    assert all(per_fold[("a", f)] == 2 and per_fold[("b", f)] == 1 for f in range(5))
    assert sorted(f for label, f in zip(labels, folds, strict=True) if label == "c") != [0, 0]
    assert stratified_folds(labels, 5) == folds  # deterministic


def test_service_label_takes_the_longest_phrase_and_skips_ties() -> None:
    services = [
        ServiceDoc("A", "Fika till möte", keywords=("fika", "kaffe")),
        ServiceDoc("B", "Mat till möte", keywords=("lunch", "kaffe och smörgås")),
        ServiceDoc("C", "Kaffeautomat", keywords=("kaffe",)),
    ]
    assert service_label("vi behöver fika", services) == "A"
    assert service_label("kan vi få kaffe och smörgås", services) == "B"
    assert service_label("kaffe", services) == ""  # A and C both say "kaffe"
    assert service_label("hej", services) == ""


def test_metrics_count_intents_services_and_out_of_scope() -> None:
    cases = [
        {"text": "x", "intent": "request_service", "service": "A"},
        {"text": "y", "intent": "request_service", "service": "B"},
        {"text": "z", "intent": "out_of_scope", "service": ""},
    ]
    results = [("request_service", ["A", "B"]), ("inform", ["A", "B"]), ("out_of_scope", [])]
    found = metrics(cases, results)
    assert found["intent_accuracy"] == round(2 / 3, 4)
    assert (found["service_top1"], found["service_top3"], found["oos_recall"]) == (0.5, 1.0, 1.0)
