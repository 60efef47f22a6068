"""Peer (c) of the benchmark: plain TF-IDF character n-grams (private to nlu.benchmark).

What a team would build in an afternoon with scikit-learn: services ranked by cosine
similarity between the request and each service's catalogue text, intents by a
logistic regression over the same kind of features. scikit-learn is only in the Rasa
environment, so it is imported when a peer is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nlu.matcher import ServiceDoc

NGRAMS = (2, 5)


def _vectorizer() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True)


class TfidfServiceMatcher:
    """Rank services by cosine similarity of char_wb TF-IDF vectors of the catalogue text."""

    def __init__(self, services: Sequence[ServiceDoc]) -> None:
        self.codes = [s.code for s in services]
        texts = [
            " ".join([s.name, s.category, s.description, *s.keywords]).lower() for s in services
        ]
        self._vectorizer = _vectorizer()
        self._matrix = self._vectorizer.fit_transform(texts)

    def rank(self, text: str, limit: int = 3) -> list[str]:
        """Codes of the ``limit`` most similar services, best first."""
        query = self._vectorizer.transform([text.lower()])
        # Rows are L2-normalised, so the dot product is the cosine similarity.
        sims = (self._matrix @ query.T).toarray().ravel()
        order = sorted(range(len(self.codes)), key=lambda i: (-sims[i], self.codes[i]))
        return [self.codes[i] for i in order[:limit]]


class TfidfIntentClassifier:
    """Intent classifier: char_wb TF-IDF features and a logistic regression."""

    def __init__(self) -> None:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        self._model = make_pipeline(
            _vectorizer(), LogisticRegression(C=10, max_iter=1000, random_state=7)
        )

    def fit(self, texts: Sequence[str], intents: Sequence[str]) -> TfidfIntentClassifier:
        """Train on the examples."""
        self._model.fit([t.lower() for t in texts], list(intents))
        return self

    def predict(self, text: str) -> str:
        """The most probable intent of one message."""
        return str(self._model.predict([text.lower()])[0])
