"""Catalogue-defined fields in the order form: which slot holds which field, and how an
answer of each type is read.

Rasa's form needs a domain slot per question, and a new catalogue must need no
retraining, so the fields a catalogue defines are held in eight generic slots
``field_1`` … ``field_8``, assigned in the order the service defines them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from actions._desk import ServiceInfo, desk_session
from nlu.details import confirmation, parse_date, parse_quantity, parse_time
from servicedesk.privacy import sensitive

FIELD_SLOTS = tuple(f"field_{i}" for i in range(1, 9))
SKIP = "–"
PERSONNUMMER = "personnummer"
#: Said under the question of a personnummer field.
PERSONNUMMER_KEPT = (
    "Numret sparas krypterat och visas bara för handläggarna i den kö som tar hand om ärendet."
)
PERSONNUMMER_INVALID = (
    "Personnumret stämmer inte – datumet eller kontrollsiffran är fel. "
    "Skriv det igen, gärna med tolv siffror: ÅÅÅÅMMDD-NNNN."
)
PERSONNUMMER_NEEDED = (
    "Här behöver jag ett personnummer eller samordningsnummer. "
    "Skriv det med tolv siffror: ÅÅÅÅMMDD-NNNN."
)
PERSONNUMMER_LOST = "Jag kunde inte spara personnumret. Skriv det en gång till, är du snäll."
_SKIP_WORDS = re.compile(r"^(hoppa över|hoppa|inga|ingen|inget|nej|nä|-|–|vet ej|vet inte)[.!]?$")


#: Words that alone are no text detail: a place, a description, a kostnadsställe ("ja"
#: to "Vart ska det?").
_NOT_AN_ANSWER = frozenset(
    [
        "ja",
        "jaa",
        "japp",
        "jo",
        "jepp",
        "visst",
        "absolut",
        "okej",
        "ok",
        "okey",
        "nej",
        "nä",
        "nää",
        "nix",
        "tack",
        "ingen",
        "inget",
        "vet",
        "ej",
    ]
)
#: ... of which these may well answer a catalogue-defined question ("Allergier?" "ingen").
_NONE_WORDS = frozenset(["ingen", "inget"])


def bare_answer(text: str, *, none_is_an_answer: bool = False) -> bool:
    """Whether ``text`` is only yes/no/thanks words ("ja", "ok tack", "nej"): no detail."""
    words = text.lower().strip(" .!?,").split()
    bare = _NOT_AN_ANSWER - _NONE_WORDS if none_is_an_answer else _NOT_AN_ANSWER
    return bool(words) and all(w.strip(".!?,") in bare for w in words)


def slot_of(service: ServiceInfo, name: str) -> str:
    """The form slot of a detail: a built-in's own name, or field_N for a defined one."""
    for index, field in enumerate(service.fields):
        if field.get("key") == name:
            return FIELD_SLOTS[index]
    return name


def field_of_slot(service: ServiceInfo, slot: str) -> dict[str, Any] | None:
    """The definition held in ``slot`` (field_N), or None."""
    if slot not in FIELD_SLOTS:
        return None
    index = FIELD_SLOTS.index(slot)
    return service.fields[index] if index < len(service.fields) else None


def custom_details(service: ServiceInfo, slots: dict[str, Any]) -> dict[str, str]:
    """The answers to the defined fields, by their keys (for the ticket and the summary)."""
    found = {}
    for index, field in enumerate(service.fields):
        value = slots.get(FIELD_SLOTS[index])
        if value not in (None, ""):
            found[str(field["key"])] = str(value)
    return found


def is_personnummer(field: dict[str, Any] | None) -> bool:
    """The field keeps an identity number (encrypted; see servicedesk.privacy.sensitive)."""
    return field is not None and field.get("type") == PERSONNUMMER


def buttons_for(field: dict[str, Any]) -> list[dict[str, str]]:
    """Answer buttons: the options of a choice, Ja/Nej, and "Hoppa över" when optional."""
    buttons: list[dict[str, str]] = []
    if field.get("type") == "choice":
        buttons = [{"title": str(o), "payload": str(o)} for o in field.get("options") or ()]
    elif field.get("type") == "yesno":
        buttons = [{"title": "Ja", "payload": "ja"}, {"title": "Nej", "payload": "nej"}]
    if not field.get("required", True):
        buttons.append({"title": "Hoppa över", "payload": "hoppa över"})
    return buttons


def read_answer(field: dict[str, Any], text: str, today: date) -> tuple[str | None, str | None]:
    """``(value, None)`` for a valid answer, else ``(None, reason in Swedish)``."""
    text = " ".join(text.split())
    kind = field.get("type", "text")
    low = text.lower()
    if not field.get("required", True) and _SKIP_WORDS.match(low):
        return SKIP, None
    if kind == "number":
        found = parse_quantity(text)
        if found is None or not found.valid:
            return None, "Skriv ett antal med siffror, till exempel 12."
        low_limit, high_limit = field.get("min"), field.get("max")
        if (low_limit is not None and found.value < low_limit) or (
            high_limit is not None and found.value > high_limit
        ):
            return None, f"Antalet ska vara mellan {low_limit or 0} och {high_limit or 'uppåt'}."
        return str(found.value), None
    if kind == "choice":
        options = [str(o) for o in field.get("options") or ()]
        for i, option in enumerate(options, start=1):
            if low in (option.lower(), str(i)) or (option.lower().startswith(low) and len(low) > 2):
                return option, None
        return None, "Välj ett av alternativen: " + ", ".join(options) + "."
    if kind == "yesno":
        answer = confirmation(text)
        if answer is None:
            return None, "Svara ja eller nej."
        return ("Ja" if answer else "Nej"), None
    if kind == "date":
        day = parse_date(text, datetime.combine(today, time(12)))
        if day is None or day.in_past:
            return None, 'Skriv ett datum framåt i tiden, till exempel "på fredag".'
        return day.value.isoformat(), None
    if kind == "time":
        clock = parse_time(text)
        if clock is None or not clock.valid or clock.start is None:
            return None, 'Skriv en tid, till exempel "kl 10".'
        return clock.as_text(), None
    if len(text) < 2:
        return None, "Skriv lite mer, så att den som utför det förstår."
    if bare_answer(text, none_is_an_answer=True):  # "ja" is no kostnadsställe
        return None, "Jag behöver lite mer än ja eller nej här – skriv svaret med egna ord."
    return text[:1000], None


def prompt_for(conversation_id: str, service: ServiceInfo, field: dict[str, Any] | None) -> None:
    """Tell the channels what the next message answers: a personnummer field (keep the
    number encrypted), or anything else (mask it as always)."""
    with desk_session() as session:
        if is_personnummer(field) and field is not None:
            sensitive.expect_personnummer(
                session=session, conversation_id=conversation_id, service_code=service.code,
                field_key=str(field["key"]),
            )  # fmt: skip
        else:
            sensitive.forget_prompt(session=session, conversation_id=conversation_id)


def kept_personnummer(conversation_id: str, service_code: str, key: str) -> str | None:
    """The masked form of the number the channel kept for this field, if any."""
    with desk_session() as session:
        return sensitive.captured_answer(
            session=session, conversation_id=conversation_id, service_code=service_code,
            field_key=key,
        )  # fmt: skip


def discard_personnummer(conversation_id: str) -> None:
    """The order was given up: forget what was kept for it."""
    with desk_session() as session:
        sensitive.discard_unsent(session=session, conversation_id=conversation_id)
