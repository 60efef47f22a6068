"""Larger catalogues for bench-growth, recombined from the real one (no network).

Service ``i`` beyond the real 41 takes a real service as its base (its kind, category,
price, fields and order fields), names it for a variant, an audience and a place
("Utökad fönsterputs för förskolor – Norrskolan"), describes it with the base's
description, a sentence borrowed from a sibling of the same category and what it is
for, and gets the base's keywords, two of the sibling's and the place; its example
requests are the base's, each about the place. So the vocabulary grows with the
catalogue about the way a real one's does (more places and variants, the same trades).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from tests.support.processes import REPO

SOURCE = REPO / "data" / "tjanstekatalog.csv"
VARIANTS = (
    "utökad", "planerad", "akut", "grundläggande", "årlig", "tillfällig", "kompletterande",
    "förebyggande", "särskild", "samordnad", "digital", "lokal", "central", "säsongsvis",
)  # fmt: skip
AUDIENCES = (
    "för förskolor", "för grundskolor", "för gymnasiet", "för äldreboenden",
    "för hemtjänsten", "för LSS-boenden", "för bibliotek", "för fritidsgårdar",
    "för idrottsanläggningar", "för kontor", "för kulturhus", "för räddningstjänsten",
    "för socialtjänsten", "för vattenverket", "för kök och matsalar", "för parkförvaltningen",
    "för nyanställda", "för chefer", "för förtroendevalda", "för elevhälsan",
)  # fmt: skip
PLACES = (
    "Rådhuset", "Stadshuset", "Stadsbiblioteket", "Kulturhuset", "Norrskolan",
    "Söderskolan", "Västra gymnasiet", "Solbackens förskola", "Ekbackens äldreboende",
    "Björkhagens gruppboende", "Simhallen", "Sporthallen", "Medborgarkontoret",
    "Tekniska förvaltningens förråd", "Reningsverket", "Brandstationen", "Musikskolan",
    "Lindängens fritidsgård", "Hamnkontoret", "Kommunförrådet", "Östra vårdcentralen",
    "Kyrkbackens skola", "Furulunds förskola", "Sjöängens äldreboende", "Konsthallen",
)  # fmt: skip


def real_rows() -> list[dict[str, str]]:
    """The real catalogue's rows (CSV columns as strings)."""
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _place_example(example: str, place: str) -> str:
    return f"{example.rstrip(' .?!')} – gäller {place}"


def synthesise(size: int, seed: int = 7) -> list[dict[str, str]]:
    """``size`` services: the real ones first, then recombinations of them."""
    rows = real_rows()
    rng = random.Random(seed)
    by_category: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_category.setdefault(row["category"], []).append(row)
    out = [dict(r) for r in rows[:size]]
    combos = [(v, a, p) for v in VARIANTS for a in AUDIENCES for p in PLACES]
    rng.shuffle(combos)
    for i in range(len(out), size):
        base = rows[i % len(rows)]
        siblings = [r for r in by_category[base["category"]] if r is not base] or rows
        sibling = rng.choice(siblings)
        variant, audience, place = combos[i % len(combos)]
        name = f"{variant.capitalize()} {base['name'][0].lower()}{base['name'][1:]} {audience}"
        borrowed = sibling["description"].split(". ")[0].rstrip(".")
        own_keywords = base["keywords"].split(";")
        extra = rng.sample(
            sibling["keywords"].split(";"), k=min(2, len(sibling["keywords"].split(";")))
        )
        examples = [e for e in base["examples"].split(";") if e.strip()]
        out.append(
            {
                **base,
                "code": f"{base['code']}-{i:04d}",
                "name": f"{name} – {place}",
                "description": (
                    f"{base['description']} {borrowed}. Tjänsten är anpassad {audience} "
                    f"och utförs i första hand på {place}."
                ),
                "keywords": ";".join(dict.fromkeys([*own_keywords, *extra, place.lower()])),
                "examples": ";".join(_place_example(e, place) for e in examples),
            }
        )
    return out


def write_csv(rows: list[dict[str, str]], path: Path) -> Path:
    """Write ``rows`` as a catalogue CSV with the real catalogue's columns."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
