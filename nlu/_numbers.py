"""Swedish number words (private to nlu and the actions that read counts)."""

from __future__ import annotations

import re

UNITS = {
    "noll": 0, "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6,
    "sju": 7, "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tretton": 13,
    "fjorton": 14, "femton": 15, "sexton": 16, "sjutton": 17, "arton": 18,
    "aderton": 18, "nitton": 19,
}  # fmt: skip
TENS = {
    "tjugo": 20, "trettio": 30, "trätti": 30, "fyrtio": 40, "förti": 40, "femtio": 50,
    "sextio": 60, "sjuttio": 70, "åttio": 80, "nittio": 90,
}  # fmt: skip


def number_words(low: int, high: int) -> str:
    """A regex alternation of the number words for ``low``..``high`` ("en|ett|två|…"), in
    counting order, for patterns that read counts said in words."""
    return "|".join(w for w, n in UNITS.items() if low <= n <= high and w != "aderton")


_HUNDRED = re.compile(r"^(?:(\w+?)?hundra)?(.*)$")
_THOUSAND = re.compile(r"^(?:(\w+?)?tusen)?(.*)$")


def _below_hundred(word: str) -> int | None:
    if word in UNITS:
        return UNITS[word]
    for tens_word, tens in TENS.items():
        if word.startswith(tens_word):
            rest = word[len(tens_word) :]
            if not rest:
                return tens
            unit = UNITS.get(rest)
            return tens + unit if unit and 0 < unit < 10 else None
    return None


def _below_thousand(word: str) -> int | None:
    match = _HUNDRED.match(word)
    if not match or "hundra" not in word:
        return _below_hundred(word)
    head, rest = match.groups()
    count = 1 if not head else _below_hundred(head)
    low = _below_hundred(rest) if rest else 0
    if count is None or low is None:
        return None
    return count * 100 + low


def word_to_int(word: str) -> int | None:
    """Value of a Swedish number word ("tjugofem" -> 25, "tvåhundra" -> 200), else None."""
    word = word.lower().strip()
    if "tusen" not in word:
        return _below_thousand(word)
    match = _THOUSAND.match(word)
    if not match:
        return None
    head, rest = match.groups()
    count = 1 if not head else _below_thousand(head)
    low = _below_thousand(rest) if rest else 0
    if count is None or low is None:
        return None
    return count * 1000 + low
