"""Field-weighted BM25 index over catalogue services (private to nlu.matcher)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise

from rapidfuzz import fuzz, process

from nlu import _lexicon
from nlu._synonyms import PARTICLES, PHRASES, particle_forms, synonyms
from nlu.details import place_names_apart
from nlu.text import fold, is_content, lemma, passive_verb, stem, terms, tokens, word_groups

# Keywords and the name are what users say; the description is the definition.
FIELD_WEIGHTS = {"name": 3.0, "keywords": 3.0, "category": 1.5, "description": 1.0}
K1 = 1.2
B = 0.5
FUZZY_CUTOFF = 82.0  # rapidfuzz ratio (0-100) for a typo to count as a known term
FUZZY_MIN_LEN = 5
FOLD_WEIGHT = 0.9  # a term found only after folding å/ä/ö counts slightly less
PHRASE_BONUS = 0.45
PART_WEIGHT = 0.5  # a compound part is weaker evidence than the whole word
UNMATCHED_PART_WEIGHT = 0.8  # ... unless the whole compound is unknown to the catalogue
SYNONYM_WEIGHT = 0.7  # a synonym, phrase or particle verb counts less than the word itself
# "efter utbildningen", "i personalrummet", "till lunchen": the word after such a
# preposition is usually the setting of the request, not what is asked for.
CONTEXT_PREPOSITIONS = frozenset({"efter", "inför", "under", "i", "till", "från"})
CONTEXT_WEIGHT = 0.6
# Words that say something is broken, not what ("skrivaren är trasig": the printer names
# the fault's service; furniture repair's words are full of "trasig" too).
STATE_WORDS = frozenset({"trasig", "trasigt", "trasiga", "sönder"})
STATE_WEIGHT = 0.5
# "skicka nån som …", "skicka hit folk": sending a person, not a thing (no courier).
_SEND = frozenset({"skicka", "skickar"})
_SOMEONE = frozenset({"nån", "någon", "nan", "nagon", "folk", "personal"})


# A place named in a service's name or keywords ("Boka sammanträdesrum i Stadshuset",
# "Gästgivarsalen") says where it is delivered, not what it is: it weighs as much as a
# word of the description, so every message about that building is not drawn to it.
PLACE_NAME_WEIGHT = 1.0


def _context_positions(words: list[str]) -> set[int]:
    """Positions of the first content word after a context preposition."""
    found = set()
    for i, word in enumerate(words):
        if word in CONTEXT_PREPOSITIONS:
            nxt = next((j for j in range(i + 1, len(words)) if is_content(words[j])), None)
            if nxt is not None:
                found.add(nxt)
    return found


def lemma_sequence(text: str) -> tuple[str, ...]:
    """Lemmas of all tokens, stop words included, for phrase matching."""
    return tuple(lemma(t) for t in tokens(text) if not t.isdigit())


def _contains(seq: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(seq[i : i + n] == phrase for i in range(len(seq) - n + 1))


class Bm25Index:
    """BM25F over weighted term bags with fold and fuzzy fall-backs for query terms."""

    def __init__(self, docs: Sequence[dict[str, Sequence[str]]]) -> None:
        self.vocabulary = self._vocabulary(docs)
        self.bags: list[dict[str, float]] = [self._bag(d) for d in docs]
        self.phrases = [self._phrases(d) for d in docs]
        self.lengths = [sum(b.values()) for b in self.bags]
        self.avg_length = sum(self.lengths) / max(len(self.lengths), 1)
        df = Counter(t for bag in self.bags for t in bag)
        n = len(self.bags)
        # idf is divided by the idf of a term unique to one service, so scores mean the
        # same for a 10-service and a 200-service catalogue (1.0 = one unique word).
        top = math.log(1 + (max(n, 2) - 0.5) / 1.5)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) / top for t, f in df.items()}
        self.folded: dict[str, str] = {}
        for term in sorted(self.idf):
            self.folded.setdefault(fold(term), term)
        self.fuzzy_keys = sorted(t for t in self.idf if len(t) >= FUZZY_MIN_LEN - 1)
        # Postings: a query touches only the documents that hold one of its terms, so its
        # cost follows the postings of its words, not the size of the catalogue.
        self.postings: dict[str, list[int]] = {}
        for doc, bag in enumerate(self.bags):
            for term in bag:
                self.postings.setdefault(term, []).append(doc)
        self.phrase_starts: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for doc, phrases in enumerate(self.phrases):
            for phrase in phrases:
                self.phrase_starts.setdefault(phrase[0], []).append((doc, phrase))

    @staticmethod
    def _vocabulary(docs: Iterable[dict[str, Sequence[str]]]) -> frozenset[str]:
        stops = _lexicon.stop_words()
        words = {lemma(t) for d in docs for texts in d.values() for x in texts for t in tokens(x)}
        return frozenset(w for w in words if w not in stops and not w.isdigit())

    def _bag(self, doc: dict[str, Sequence[str]]) -> dict[str, float]:
        bag: dict[str, float] = {}
        for field, texts in doc.items():
            weight = FIELD_WEIGHTS.get(field, 1.0)
            for text in texts:
                places: list[str] = []
                if weight > PLACE_NAME_WEIGHT:
                    text, places = place_names_apart(text)
                for term in set(terms(text, self.vocabulary)):
                    bag[term] = bag.get(term, 0.0) + weight
                for term in set(terms(" ".join(places), self.vocabulary)):
                    bag[term] = bag.get(term, 0.0) + PLACE_NAME_WEIGHT
        return bag

    @staticmethod
    def _phrases(doc: dict[str, Sequence[str]]) -> list[tuple[str, ...]]:
        seqs = [lemma_sequence(x) for f in ("name", "keywords") for x in doc.get(f, ())]
        return [s for s in seqs if len(s) >= 2]

    def resolve(self, term: str) -> tuple[str, float] | None:
        """Map a query term to an index term with a weight: exact, folded or fuzzy."""
        if term in self.idf:
            return term, 1.0
        folded = self.folded.get(fold(term))
        if folded is not None:
            return folded, FOLD_WEIGHT
        if len(term) < FUZZY_MIN_LEN or term in _lexicon.forms():
            return None
        hit = process.extractOne(
            term, self.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
        )
        return (hit[0], hit[1] / 100.0) if hit else None

    def exact(self, term: str) -> str | None:
        """The index term for a lemma or its stem, without fold or fuzzy fall-backs."""
        if term in self.idf:
            return term
        stemmed = stem(term)
        return stemmed if stemmed in self.idf else None

    def _alternatives(self, group: tuple[str, ...]) -> dict[str, float]:
        found: dict[str, float] = {}
        for term in group:
            hit = self.resolve(term)
            if hit is not None and hit[1] > found.get(hit[0], 0.0):
                found[hit[0]] = hit[1]
        for other in synonyms(group[0]):
            index_term = self.exact(other)
            if index_term is not None and found.get(index_term, 0.0) < SYNONYM_WEIGHT:
                found[index_term] = SYNONYM_WEIGHT
        return found

    def query_groups(self, text: str) -> list[tuple[float, dict[str, float]]]:
        """Per query token/part: its weight and the index terms it resolves to (the
        word itself, a synonym), plus phrases and particle verbs ("dela ut")."""
        out = []
        words = tokens(text)
        context = _context_positions(words)
        for position, token in enumerate(words):
            if not is_content(token):
                continue
            scale = CONTEXT_WEIGHT if position in context else 1.0
            if token in STATE_WORDS:
                scale *= STATE_WEIGHT
            if token in _SEND and position + 1 < len(words) and words[position + 1] in _SOMEONE:
                continue  # "kan ni skicka nån som skruvar ihop …": the need is what they do
            part_weight = UNMATCHED_PART_WEIGHT
            for i, group in enumerate(word_groups(token, self.vocabulary)):
                found = self._alternatives(group)
                if found:
                    out.append((scale * (part_weight if i else 1.0), found))
                    part_weight = PART_WEIGHT if i == 0 else part_weight
        for term in self._multiword_terms(words):
            out.append((SYNONYM_WEIGHT, {term: 1.0}))
        return out

    def _multiword_terms(self, words: list[str]) -> list[str]:
        """Index terms for known phrases ("ska bort") and particle verbs ("delats ut")."""
        found = []
        for phrase, meaning in PHRASES.items():
            n = len(phrase)
            if any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1)):
                found.append(meaning)
        for verb, particle in pairwise(words):
            if particle in PARTICLES:
                base = passive_verb(verb) or lemma(verb)
                found.extend(particle_forms(base, particle))
        hits = (self.exact(t) for t in found)
        return list(dict.fromkeys(h for h in hits if h is not None))

    def _term_score(self, term: str, doc: int) -> float:
        tf = self.bags[doc].get(term, 0.0)
        if not tf:
            return 0.0
        norm = K1 * (1 - B + B * self.lengths[doc] / self.avg_length)
        return self.idf[term] * tf * (K1 + 1) / (tf + norm)

    def candidates(self, text: str) -> dict[int, float]:
        """Raw BM25F score of each document that shares a term or phrase with ``text``
        (every other document scores 0): per query group its best variant."""
        found: dict[int, float] = {}
        for weight, variants in self.query_groups(text):
            best: dict[int, float] = {}
            for term, w in variants.items():
                for doc in self.postings.get(term, ()):
                    score = w * self._term_score(term, doc)
                    if score > best.get(doc, 0.0):
                        best[doc] = score
            for doc, score in best.items():
                found[doc] = found.get(doc, 0.0) + weight * score
        seq = lemma_sequence(text)
        bonus: dict[int, int] = {}
        for start in set(seq):
            for doc, phrase in self.phrase_starts.get(start, ()):
                if _contains(seq, phrase):
                    bonus[doc] = bonus.get(doc, 0) + 1
        for doc, count in bonus.items():
            found[doc] = found.get(doc, 0.0) + PHRASE_BONUS * count
        return found

    def scores(self, text: str) -> list[float]:
        """Raw BM25F score of every document, in document order."""
        out = [0.0] * len(self.bags)
        for doc, score in self.candidates(text).items():
            out[doc] = score
        return out
