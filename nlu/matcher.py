"""Catalogue matcher: which service does a Swedish request mean?

Works for any catalogue: the index is built from each service's name, category,
keywords and description, with no per-service data in code.

Scores: a raw field-weighted BM25 score ``s`` (plus a bonus for multiword keywords
found as phrases) is calibrated to 0..1 with a logistic curve,
``score = 1 / (1 + exp(-(s - SCORE_MID) / SCORE_WIDTH))``; so 0.5 means as strong as
one word unique to a service found in its name or keywords; idf is scaled so this
holds for small and large catalogues alike. ``decide`` answers ``match`` when the best
score reaches ``match_threshold`` and beats the runner-up by ``margin``, ``choose``
when the best reaches ``choose_threshold`` (the top 3 are offered), else ``none``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from nlu._index import Bm25Index
from nlu.text import positive_description, tokens

__all__ = ["CatalogueMatcher", "Decision", "Match", "ServiceDoc"]

SCORE_MID = 1.2
SCORE_WIDTH = 0.45
# A runner-up whose raw score is at most this share of the best one is clearly behind.
RAW_LEAD_RATIO = 0.6
MATCH_THRESHOLD = 0.6
CHOOSE_THRESHOLD = 0.3
MARGIN = 0.15
CHOICES = 3


KIND_BONUS = 0.2
_KIND_CUES = {
    "fault": re.compile(
        r"\b(?:fungerar|funkar|fungerade|funkade|startar|går) inte\b|\bhar inte \w+[st]\b"
        r"|\binte (?:kommit|tömts|städats|levererats|hämtats)\b|\btrasig\w*|\bsönder\b"
        r"|\bläcker\b|\bsaknas\b|\bär slut\b|\bfel (?:på|i|med)\b|\bför (?:få|lite)\b"
        r"|\bkrånglar\b|\bkom aldrig\b|\bförsenad\w*|\bfelanmäl\w*"
        # trouble said in everyday words: "strul med ett fönster", "skrivaren hänger sig"
        r"|\bstrul\w*|\bkrångel\b|\bkrånglig\w*|\bproblem med\b|\bblinkar\b|\bdroppar\b"
        r"|\bhänger sig\b|\blåser sig\b|\bhar slutat (?:fungera|funka)\b"
    ),
    "order": re.compile(r"\bbeställ\w*|\bboka\b|\bvill ha\b|\bkan (?:vi|jag) få\b|\bönskar\b"),
    "question": re.compile(r"\bfråga\w*|\bundrar\b|\bhur (?:gör|fungerar|mycket)\b|\bvarför\b"),
}


def request_kind(text: str) -> str | None:
    """ "fault", "order" or "question" when exactly one kind of cue is in the text."""
    low = " ".join(tokens(text))
    found = [kind for kind, cue in _KIND_CUES.items() if cue.search(low)]
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class ServiceDoc:
    """The text of one catalogue service that the matcher indexes."""

    code: str
    name: str
    category: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    kind: str = "order"
    #: Example requests from the catalogue (optional).
    examples: tuple[str, ...] = ()
    #: The promised time in hours, when the catalogue gives one.
    sla_hours: float | None = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ServiceDoc:
        """Build from catalogue JSON (keywords and examples as lists) or a CSV row (each
        ``;``-separated)."""

        def listed(key: str) -> list[Any]:
            raw = d.get(key) or ()
            return raw.split(";") if isinstance(raw, str) else list(raw)

        return cls(
            code=str(d["code"]),
            name=str(d.get("name") or ""),
            category=str(d.get("category") or ""),
            description=str(d.get("description") or ""),
            keywords=tuple(str(k).strip() for k in listed("keywords") if str(k).strip()),
            kind=str(d.get("kind") or "order"),
            examples=tuple(str(e).strip() for e in listed("examples") if str(e).strip()),
            sla_hours=_hours(d.get("sla_hours")),
        )


def _hours(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Match:
    """A candidate service with a calibrated score in 0..1."""

    code: str
    score: float


@dataclass(frozen=True)
class Decision:
    """What to do with a request: one service, a short list to choose from, or none."""

    outcome: Literal["match", "choose", "none"]
    matches: tuple[Match, ...] = ()


def calibrate(raw: float) -> float:
    """Map a raw BM25 score to 0..1 (logistic around ``SCORE_MID``)."""
    if raw <= 0:
        return 0.0
    return 1.0 / (1.0 + math.exp(-(raw - SCORE_MID) / SCORE_WIDTH))


class CatalogueMatcher:
    """Ranks catalogue services for a request; build once per catalogue version."""

    def __init__(
        self,
        services: Sequence[ServiceDoc],
        *,
        match_threshold: float = MATCH_THRESHOLD,
        choose_threshold: float = CHOOSE_THRESHOLD,
        margin: float = MARGIN,
    ) -> None:
        self.services = tuple(services)
        self.match_threshold = match_threshold
        self.choose_threshold = choose_threshold
        self.margin = margin
        self._index = Bm25Index([_fields(s) for s in self.services])
        self._codes = sorted(s.code for s in self.services)

    def candidates(self, text: str) -> list[tuple[str, float]]:
        """Uncalibrated scores of the services that share a word with ``text``, best first
        (every other service scores 0). Its cost follows the query's words, not the size
        of the catalogue.

        A request that reads as a fault report ("har inte städats", "fungerar inte")
        or as an order ("vill beställa") lifts the services of that kind a little.
        """
        kind = request_kind(text)
        pairs = []
        # "på plan 3" says which floor; a service whose words end in "-plan" is not meant.
        text = _FLOOR.sub(" ", text)
        for doc, score in self._index.candidates(text).items():
            service = self.services[doc]
            pairs.append(
                (service.code, score * (1 + KIND_BONUS) if kind == service.kind else score)
            )
        return sorted(pairs, key=lambda p: (-p[1], p[0]))

    def raw_scores(self, text: str) -> list[tuple[str, float]]:
        """Uncalibrated scores of every service, best first (ties by code)."""
        found = self.candidates(text)
        scored = {code for code, _ in found}
        return found + [(code, 0.0) for code in self._codes if code not in scored]

    def rank(self, text: str, limit: int = 5) -> list[Match]:
        """The ``limit`` best services with calibrated scores, best first."""
        return _calibrated(self.candidates(text)[:limit])

    def decide(self, text: str) -> Decision:
        """Match, offer a choice of the top 3, or give up (``none``)."""
        raw = self.candidates(text)[:CHOICES]
        ranked = _calibrated(raw)
        if not ranked or ranked[0].score < self.choose_threshold:
            return Decision("none")
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        # The logistic curve saturates near 1, so a lead is also judged on raw scores.
        clear_lead = ranked[0].score - runner_up >= self.margin or (
            len(raw) > 1 and raw[1][1] <= RAW_LEAD_RATIO * raw[0][1]
        )
        if ranked[0].score >= self.match_threshold and clear_lead:
            return Decision("match", (ranked[0],))
        choices = tuple(m for m in ranked if m.score >= self.choose_threshold / 2)
        return Decision("choose", choices)


# A floor with its number ("plan 3", "våning 2", "vån. 4").
_FLOOR = re.compile(r"\b(?:plan|planet|våning|våningen|vån\.?)\s*\d{1,2}\b", re.IGNORECASE)


def _calibrated(raw: Sequence[tuple[str, float]]) -> list[Match]:
    return [Match(code, round(calibrate(score), 4)) for code, score in raw if score > 0]


def _fields(service: ServiceDoc) -> dict[str, Sequence[str]]:
    return {
        "name": [service.name],
        "category": [service.category],
        "keywords": list(service.keywords),
        # What the description says the service does not do is no word of it.
        "description": [positive_description(service.description)],
    }
