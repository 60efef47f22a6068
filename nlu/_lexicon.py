"""Lazily loaded Swedish word lists shared by the text tools (private)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import Stemmer

LANG = "sv"

# spaCy's Swedish stop words are a good base, but a few of them carry meaning for a
# service desk ("inne"/"ute" separate indoor from outdoor graffiti, "ny" a new computer).
_KEEP = frozenset({"inne", "ute", "beslut", "nummer", "stor", "stora", "stort", "kr", "kvar"})

# Words the stop list lacks but that only carry politeness or request framing.
_EXTRA_STOP = frozenset(
    {
        "hej", "hallå", "tja", "snälla", "vänligen", "tacksam", "undrar", "behov", "ok",
        # how much, not what: "vi fryser ihjäl"
        "ihjäl", "okej", "kolla", "vilja", "kunde", "någonstans", "ngn", "ngt",
        "pls", "typ",
        "hjälp", "hjälpa", "hel", "hela", "kosta", "pris", "ha", "vara", "bli", "skola",
        "kunna", "få", "göra", "gå", "komma",
        # a preposition ("hemma hos brukare": where, said by "hemma")
        "hos",
    }
)  # fmt: skip


@cache
def stop_words() -> frozenset[str]:
    """Swedish stop words: spaCy's list minus a few service-desk words, plus politeness."""
    from spacy.lang.sv.stop_words import STOP_WORDS

    return frozenset((set(STOP_WORDS) - _KEEP) | _EXTRA_STOP)


@cache
def forms() -> Mapping[str, str]:
    """Simplemma's Swedish dictionary: word form -> lemma (about 960k forms, ~1.5 s)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    return DefaultDictionaryFactory().get_dictionary(LANG)


@cache
def lemma_set() -> frozenset[str]:
    """Known Swedish base forms (the 129k lemmas of simplemma's dictionary)."""
    return frozenset(forms().values())


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


def stem(word: str) -> str:
    """Snowball (Swedish) stem of a lower-case word."""
    return str(_stemmer().stemWord(word))
