"""The semantic heads: softmax regression on vectors, its cache, and how the
interpretation step blends them (hand-made vectors and evidence: no model needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlu.heads import SoftmaxHead
from nlu.interpret import Evidence, Interpreter
from nlu.matcher import ServiceDoc


def _clusters(seed: int = 3) -> tuple[np.ndarray, list[str], list[str]]:
    """Three labelled clusters of unit vectors around three random directions."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, 384))
    vectors, labels, texts = [], [], []
    for k, name in enumerate(["greet", "request_service", "out_of_scope"]):
        for i in range(20):
            v = centres[k] + 0.6 * rng.normal(size=384)
            vectors.append(v / np.linalg.norm(v))
            labels.append(name)
            texts.append(f"{name} {i}")
    return np.asarray(vectors, dtype=np.float32), labels, texts


def test_the_head_learns_labelled_vectors_and_generalises_to_new_ones() -> None:
    vectors, labels, texts = _clusters()
    head = SoftmaxHead.train(vectors, labels, texts)
    assert head is not None and head.labels == ("greet", "out_of_scope", "request_service")
    fresh, fresh_labels, _ = _clusters(seed=3)  # same centres, new noise below
    rng = np.random.default_rng(99)
    right = 0
    for v, want in zip(fresh, fresh_labels, strict=True):
        noisy = v + 0.02 * rng.normal(size=384)
        probs = head.probabilities(noisy / np.linalg.norm(noisy))
        assert abs(sum(probs.values()) - 1.0) < 1e-4
        right += max(probs, key=lambda k: probs[k]) == want
    assert right == len(fresh)


def test_fewer_than_two_labels_is_nothing_to_learn() -> None:
    vectors, _, texts = _clusters()
    assert SoftmaxHead.train(vectors, ["greet"] * len(vectors), texts) is None


def test_the_weights_are_cached_by_examples_and_labels(tmp_path: Path) -> None:
    vectors, labels, texts = _clusters()
    first = SoftmaxHead.train(vectors, labels, texts, tmp_path)
    files = list(tmp_path.glob("head-*.npz"))
    assert len(files) == 1
    # The cached weights are used: a second training with the same examples reads them.
    stamp = files[0].stat().st_mtime_ns
    second = SoftmaxHead.train(vectors, labels, texts, tmp_path)
    assert files[0].stat().st_mtime_ns == stamp
    assert first is not None and second is not None
    assert first.probabilities(vectors[0]) == pytest.approx(second.probabilities(vectors[0]))
    # Other labels are another model, in another file.
    SoftmaxHead.train(vectors, list(reversed(labels)), texts, tmp_path)
    assert len(list(tmp_path.glob("head-*.npz"))) == 2
    # A damaged file is refitted, not trusted.
    files[0].write_bytes(b"not a model")
    again = SoftmaxHead.train(vectors, labels, texts, tmp_path)
    assert (
        again is not None
        and max(again.probabilities(vectors[0]).items(), key=lambda p: p[1])[0] == labels[0]
    )


SERVICES = [
    ServiceDoc("IT-01", "IT-support", "IT", "Hjälp med datorer", ("dator",)),
    ServiceDoc("FAS-01", "Felanmälan fastighet", "Fastighet", "Fel i byggnad", ("lampa",)),
]


def test_the_intent_head_can_turn_a_hesitant_out_of_scope_into_a_request() -> None:
    interpreter = Interpreter(SERVICES)
    ev = Evidence(
        lexical={"IT-01": 0.55}, similarity=None, text="skärmen flimrar hela tiden",
        classifier={"out_of_scope": 0.5, "request_service": 0.4},
    )  # fmt: skip
    assert interpreter.decide(ev).intent == "out_of_scope"
    semantic = {"request_service": 0.95, "out_of_scope": 0.05}
    blended = interpreter.decide(Evidence(**{**ev.__dict__, "semantic_intents": semantic}))
    assert blended.intent == "request_service"
    assert blended.intents["request_service"] > blended.intents["out_of_scope"]


def test_the_service_head_reorders_close_services_and_spares_those_without_examples() -> None:
    interpreter = Interpreter(SERVICES)
    ev = Evidence(
        lexical={"IT-01": 0.6, "FAS-01": 0.62}, similarity=None, text="skärmen är svart",
        classifier={"request_service": 0.9},
    )  # fmt: skip
    assert interpreter.rank(ev)[0].code == "FAS-01"
    with_head = Evidence(**{**ev.__dict__, "service_probs": {"IT-01": 0.9}})
    ranked = interpreter.rank(with_head)
    assert ranked[0].code == "IT-01"
    # FAS-01 has no examples (not in the head): it keeps its own score.
    assert {m.code: m.score for m in ranked}["FAS-01"] == pytest.approx(0.62)
