"""Generate Swedish ``request_service`` training examples from a service's name and keywords.

The choice of templates is deterministic (a SHA-256 of code and phrase), so the same
catalogue always yields the same training data and Rasa retrains only when it changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from servicedesk.models import TicketKind

# (template, when it applies): "any"; "booking" only for services collected with a date
# or time ("boka kollegieblock" reads oddly); "object" only for a keyword in definite
# form ("datorn fungerar inte"), never a service name ("akut sanering fungerar inte").
TEMPLATES: dict[TicketKind, tuple[tuple[str, str], ...]] = {
    TicketKind.ORDER: (
        ("jag vill beställa {x}", "any"),
        ("kan vi få {x}", "any"),
        ("vi behöver {x}", "any"),
        ("boka {x}", "booking"),
    ),
    TicketKind.FAULT: (
        ("felanmälan {x}", "any"),
        ("jag vill göra en felanmälan om {x}", "any"),
        ("problem med {x}", "any"),
        ("{x} fungerar inte", "object"),
    ),
    TicketKind.QUESTION: (
        ("jag har en fråga om {x}", "any"),
        ("hur gör jag med {x}", "any"),
        ("behöver hjälp med {x}", "any"),
    ),
}
# A question about how an order is had (its price, lead time, who provides it) asks for
# the service too: "vad kostar partytält?" is not out of scope in a catalogue that lends
# them. One per order service, about one of its things.
QUESTIONS: tuple[str, ...] = (
    "vad kostar {x}",
    "hur beställer man {x}",
    "vem ordnar {x}",
    "hur långt i förväg måste man beställa {x}",
    "hur gör jag för att få {x}",
)
_BOOKING_FIELDS = frozenset({"date", "time"})
# Leading words of a service name that repeat what a template already says.
_NAME_PREFIXES = ("felanmälan av ", "felanmälan ", "beställning av ", "beställ ", "boka ")
# Endings of Swedish verbs, adjectives and participles ("reparera", "kallt", "isigt",
# "ostädat", "krånglar", "läcker"); such words do not fit "jag vill beställa {x}".
_NOT_NOUN_ENDINGS = ("a", "igt", "at", "lt", "ts", "ar", "er")
# A single word this short ("post", "bud", "lön") says little alone; put it in a sentence.
_GENERIC_MAX_LETTERS = 4
_EXTRA_TEMPLATED_KEYWORDS = 2


def clean(text: str) -> str:
    """Lower-case, collapse whitespace and drop characters Rasa reads as entity markup."""
    return " ".join(re.sub(r"[\[\]{}()]", " ", text).lower().split())


def _score(code: str, phrase: str) -> int:
    return int(hashlib.sha256(f"{code}|{phrase}".encode()).hexdigest()[:12], 16)


def _noun_like(keyword: str) -> bool:
    return " " not in keyword and not keyword.endswith(_NOT_NOUN_ENDINGS)


def _is_generic(keyword: str) -> bool:
    return " " not in keyword and len(keyword) <= _GENERIC_MAX_LETTERS and _noun_like(keyword)


def _subject(name: str) -> str:
    for prefix in _NAME_PREFIXES:
        if name.startswith(prefix) and name[len(prefix) :].strip():
            return name[len(prefix) :].strip()
    return name


def _applies(condition: str, phrase: str, *, name: bool, booking: bool) -> bool:
    if condition == "booking":
        return booking
    if condition == "object":
        return not name and " " not in phrase and phrase.endswith(("n", "et"))
    return True


def _templated(
    code: str, kind: TicketKind, phrase: str, count: int, *, name: bool, booking: bool
) -> list[str]:
    options = [
        t for t, cond in TEMPLATES[kind] if _applies(cond, phrase, name=name, booking=booking)
    ]
    first_word = phrase.split()[0]
    options = [t for t in options if first_word not in t.replace("{x}", "").split()]
    start = _score(code, phrase) % len(options) if options else 0
    picked = (options[(start + i) % len(options)] for i in range(min(count, len(options))))
    return [template.format(x=phrase) for template in picked]


def service_examples(
    code: str,
    kind: TicketKind,
    name: str,
    keywords: Sequence[str],
    order_fields: Sequence[str] = (),
) -> list[str]:
    """Return the examples for one service, without duplicates, in a stable order.

    The name on its own and in two templates; every keyword on its own, except very
    generic single words, which appear only inside a template; and a couple of other
    noun-like keywords in a template as well.
    """
    booking = bool(_BOOKING_FIELDS.intersection(order_fields))
    name = clean(name)
    words = [w for w in (clean(k) for k in keywords) if w]
    examples = [name, *_templated(code, kind, _subject(name), 2, name=True, booking=booking)]
    for word in words:
        if _is_generic(word):
            examples += _templated(code, kind, word, 1, name=False, booking=booking)
        else:
            examples.append(word)
    extra = sorted(
        (w for w in words if _noun_like(w) and not _is_generic(w)),
        key=lambda w: _score(code, w),
    )
    for word in extra[:_EXTRA_TEMPLATED_KEYWORDS]:
        examples += _templated(code, kind, word, 1, name=False, booking=booking)
    if kind == TicketKind.ORDER and extra:
        thing = extra[-1]
        examples.append(QUESTIONS[_score(code, "?" + thing) % len(QUESTIONS)].format(x=thing))
    return list(dict.fromkeys(examples))


def lookup_entries(names: list[str], keywords: list[str]) -> list[str]:
    """Return the sorted, unique ``service_keyword`` lookup entries."""
    return sorted({c for c in (clean(t) for t in [*names, *keywords]) if c})
