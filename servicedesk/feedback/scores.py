"""Reading a 1–10 score from what a person wrote: "8", "åtta", "8/10", "en stark sjua"."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

__all__ = ["SCALE", "ScoreReading", "is_decline", "is_postpone", "is_skip", "read_score"]

SCALE = range(1, 11)

_WORDS = {
    "noll": 0, "ett": 1, "en": 1, "etta": 1, "två": 2, "tvåa": 2, "tre": 3, "trea": 3,
    "fyra": 4, "fyran": 4, "fem": 5, "femma": 5, "sex": 6, "sexa": 6, "sju": 7, "sjua": 7,
    "åtta": 8, "åttan": 8, "nio": 9, "nia": 9, "tio": 10, "tia": 10, "elva": 11, "tolv": 12,
}  # fmt: skip
#: "en"/"ett" are also the article ("en stark sjua"), so they count only when alone.
_ARTICLES = frozenset({"en", "ett"})
_OUT_OF_TEN = re.compile(r"(\d{1,3}|[a-zåäö]+)\s*(?:/|av|of)\s*(?:10|tio)\b")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?(?::?[a-zåäö]+)?|[a-zåäö]+")
_DIGITS_SUFFIX = re.compile(r"^(\d+)(?::?[ae])?$")  # "7", "7a", "7:a"

_POSTPONE = (
    "inte nu", "inte just nu", "senare", "fråga senare", "fråga mig senare", "ta det senare",
    "påminn mig", "inte idag", "en annan gång", "har inte tid",
)  # fmt: skip
_DECLINE = (
    "nej tack", "nej", "nä", "nej, tack", "vill inte", "vill inte svara", "avstår",
    "inte intresserad", "nej det vill jag inte", "hoppa över enkäten", "avsluta",
)  # fmt: skip
_SKIP = (
    "nej", "nej tack", "nä", "inget", "ingenting", "inga", "hoppa över", "skippa", "-",
    "nej det är bra", "inget mer", "ingen kommentar", "inga kommentarer", "nix", "nope",
)  # fmt: skip


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFC", text).casefold().strip()
    return re.sub(r"[\s!?.]+$", "", re.sub(r"\s+", " ", folded))


@dataclass(frozen=True)
class ScoreReading:
    """What was read: a score 1–10, or why not (``unclear`` or ``out_of_range``)."""

    value: int | None
    problem: Literal["unclear", "out_of_range"] | None = None


def _numbers(text: str) -> list[int | float]:
    found: list[int | float] = []
    tokens = _TOKEN.findall(text)
    for token in tokens:
        digits = _DIGITS_SUFFIX.match(token)
        if digits:
            found.append(int(digits.group(1)))
        elif re.fullmatch(r"\d+[.,]\d+", token):
            found.append(float(token.replace(",", ".")))
        elif token in _WORDS and (token not in _ARTICLES or len(tokens) == 1):
            found.append(_WORDS[token])
    return found


def read_score(text: str) -> ScoreReading:
    """Read one whole score 1–10 from ``text``; never guesses a default.

    "8", "åtta", "8/10", "8 av 10", "en stark sjua" and "7:a" are read; "ganska bra",
    "7 eller 8" and "7,5" are ``unclear``; "11" and "0" are ``out_of_range``.
    """
    folded = _normalise(text)
    out_of_ten = _OUT_OF_TEN.search(folded)
    numbers = _numbers(out_of_ten.group(1)) if out_of_ten else _numbers(folded)
    if len(numbers) != 1 or isinstance(numbers[0], float):
        return ScoreReading(None, "unclear")
    value = int(numbers[0])
    if value not in SCALE:
        return ScoreReading(None, "out_of_range")
    return ScoreReading(value)


def is_postpone(text: str) -> bool:
    """Tell whether the person asks to answer later ("inte nu")."""
    folded = _normalise(text)
    return folded in _POSTPONE or folded.startswith(("inte nu", "senare", "fråga mig senare"))


def is_decline(text: str) -> bool:
    """Tell whether the person declines the survey ("nej tack")."""
    return _normalise(text).rstrip(",") in _DECLINE


def is_skip(text: str) -> bool:
    """Tell whether the person has no comment ("nej", "hoppa över")."""
    return _normalise(text).rstrip(",") in _SKIP
