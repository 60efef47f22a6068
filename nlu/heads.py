"""Semantic heads: multinomial logistic regression on sentence embeddings.

Two are learnt, both read through the multilingual-e5 sentence embeddings
(:mod:`nlu.embeddings`), so a request worded unlike any example ("skärmen flimrar så fort
jag öppnar Outlook") still lands near the requests it means:

* the **intent head**, from the intents' training examples; the interpretation step
  blends its probabilities with the Rasa classifier's, which reads character n-grams and
  words (``intent_head_weight`` in :data:`nlu.interpret.THRESHOLDS`);
* the **service head**, from the catalogue's example requests (when it has some), blended
  into the fused service score (``service_head_weight``).

Training is plain numpy (softmax regression with L2, full-batch Adam), deterministic, a
few seconds on two cores; the weights are cached on disk keyed by a hash of the examples
and the settings, so the Rasa server and the action server load the same weights and a
process start pays nothing when the training data has not changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["SoftmaxHead"]

#: Inverse L2 strength (as scikit-learn's ``C``): weak, the embeddings are low-noise.
C = 64.0
ITERATIONS = 1000
LEARNING_RATE = 0.1
_VERSION = "softmax-head-1"


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=-1, keepdims=True))


def _fit(x: np.ndarray, y: np.ndarray, k: int) -> np.ndarray:
    """Weights (d + 1, k) minimising mean cross-entropy + ||W||² / (2 C n) (bias unpenalised)."""
    n, d = x.shape
    xb = np.hstack([x.astype(np.float64), np.ones((n, 1))])
    target = np.eye(k)[y]
    lam = 1.0 / (C * n)
    w = np.zeros((d + 1, k))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, ITERATIONS + 1):
        grad = xb.T @ (_softmax(xb @ w) - target) / n
        grad[:-1] += lam * w[:-1]
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= LEARNING_RATE * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


class SoftmaxHead:
    """Label probabilities of a query vector, learnt from labelled example vectors."""

    def __init__(self, labels: Sequence[str], weights: np.ndarray) -> None:
        self.labels = tuple(labels)
        self._w = np.asarray(weights[:-1], dtype=np.float32)
        self._b = np.asarray(weights[-1], dtype=np.float32)

    @classmethod
    def train(
        cls,
        vectors: np.ndarray,
        labels: Sequence[str],
        texts: Sequence[str],
        cache_dir: Path | None = None,
    ) -> SoftmaxHead | None:
        """Fit on example ``vectors`` labelled ``labels`` (cached by ``texts`` and labels).

        None when there is nothing to learn (fewer than two labels).
        """
        names = sorted(set(labels))
        if len(names) < 2 or len(vectors) != len(labels):
            return None
        path = None
        if cache_dir is not None:
            key = hashlib.sha256(
                "\x1f".join(
                    [_VERSION, str(C), str(ITERATIONS), str(LEARNING_RATE), *texts, "\x1e", *labels]
                ).encode()
            ).hexdigest()
            path = cache_dir / f"head-{key[:24]}.npz"
            if path.exists():
                try:
                    with np.load(path) as stored:
                        found = [str(s) for s in stored["labels"]]
                        weights = np.asarray(stored["weights"])
                    if found == names and weights.shape == (vectors.shape[1] + 1, len(names)):
                        return cls(names, weights)
                except (OSError, ValueError, KeyError):
                    pass  # a damaged cache file is refitted
        index = {name: i for i, name in enumerate(names)}
        weights = _fit(vectors, np.asarray([index[label] for label in labels]), len(names))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
            np.savez(tmp, labels=np.asarray(names), weights=weights)
            tmp.replace(path)
        return cls(names, weights)

    def probabilities(self, query: np.ndarray) -> dict[str, float]:
        """{label: probability} for one query vector (384,)."""
        p = _softmax(query.astype(np.float32) @ self._w + self._b)
        return {label: float(v) for label, v in zip(self.labels, p, strict=True)}
