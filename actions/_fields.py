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
from nlu._numbers import number_words
from nlu.details import (
    confirmation,
    extract_details,
    is_place_word,
    parse_date,
    parse_quantity,
    parse_time,
)
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
_SKIP_WORDS = re.compile(
    r"^(?:hoppa över|hoppa|nej|nä|-|–|vet ej|vet inte|"
    # "inga allergier", "nej, ingen specialkost", "inga alls"
    r"(?:nej,? )?(?:inga|ingen|inget)(?: (?:allergier|allergi|specialkost|alls|särskilda|"
    r"speciella|behov|önskemål))*)[.!]?$"
)


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
        "inga",
        "vet",
        "ej",
    ]
)
#: ... of which these may well answer a catalogue-defined question ("Allergier?" "ingen").
_NONE_WORDS = frozenset(["ingen", "inget", "inga"])


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


def defined_slots(service: ServiceInfo) -> list[tuple[str, dict[str, Any]]]:
    """(slot, definition) of each catalogue-defined field, in the service's order."""
    return list(zip(FIELD_SLOTS, service.fields, strict=False))


def custom_details(service: ServiceInfo, slots: dict[str, Any]) -> dict[str, str]:
    """The answers to the defined fields, by their keys (for the ticket and the summary)."""
    found = {}
    for slot, field in defined_slots(service):
        value = slots.get(slot)
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


#: A text field whose question asks for a number ("Skriv numret, till exempel 4410").
_ASKS_NUMBER = re.compile(r"\b(?:numret|nummer|numren|siffrorna)\b", re.IGNORECASE)
#: Label words that name nothing on their own.
_LABEL_FILLER = frozenset(["och", "eller", "för", "på", "till", "med", "den", "det", "som", "att"])
_LINK = r"(?:\s*(?:är|blir|=|:|nr\.?|nummer|nummer är)\s*|\s+)"
_DIGITS = re.compile(r"\d[\d -]*\d|\d")


def leading_number(text: str) -> str | None:
    """The number ``text`` starts with ("7140 för det är IFO", "1234-5"), else None."""
    found = _DIGITS.match(text.strip())
    return found.group(0).strip() if found else None


def _named_number(name: str) -> str:
    """A pattern for a field named with a number after it ("kostnadsställe 6040")."""
    return rf"(?<!\w){re.escape(name)}\w{{0,3}}{_LINK}\d[\d -]*"


#: How people shorten a field's name in a chat ("kst 2250", "tel 070-…").
_SHORT_NAMES = {
    "kostnadsställe": ("kst",),
    "telefonnummer": ("tel", "tfn", "telnr"),
}


def field_names(field: dict[str, Any]) -> list[str]:
    """How a message may name a catalogue-defined field: its label, the label's longer
    words, its key, and a word the question gives in brackets ("Vilket kostnadsställe
    (ansvar) …"); longest first."""
    label = str(field.get("label") or "").lower().strip()
    names = {label, str(field.get("key") or "").lower().replace("_", " ")}
    names |= {w for w in re.findall(r"[a-zåäö]+", label) if len(w) >= 5}
    names |= {
        w for w in re.findall(r"\(([a-zåäö ]{4,30})\)", str(field.get("question") or "").lower())
    }
    names = {n for n in names if n and n not in _LABEL_FILLER}
    names |= {short for name, shorts in _SHORT_NAMES.items() if name in names for short in shorts}
    return sorted(names, key=len, reverse=True)


# "Lisa Holm, Ahmed Ali och Peter Ek": people's full names listed.
FULL_NAME = r"[A-ZÅÄÖ][a-zåäöé-]+(?:\s+[A-ZÅÄÖ][a-zåäöé-]+)+"
NAME_LIST = re.compile(rf"{FULL_NAME}(?:\s*(?:,|och|&)\s*{FULL_NAME})*")
# "vår nya undersköterska Maja Holm", "till nya vikarien Ali Rahimi": a person named
# after what they work as.
_ROLE = (
    r"\b(?:(?:ny|nya|nye|vår|vår nya|min|min nya)\s+)?[a-zåäö]*(?:vikarie|kollega|medarbetare|"
    r"sköterska|lärare|praktikant|elev|chef|anställd|assistent|vårdare|kock|mästare|"
    r"handläggare|pedagog|skötare|rektor|sekreterare|ekonom|konsult|student|biträde|"
    r"tekniker|samordnare|koordinator|ledare)(?:n|en|na|a|e)?"
)
# "… passerkort till Lisa Holm och Ahmed Noor": whom the order is for, by full name.
_FOR_PEOPLE = re.compile(
    rf"(?:\btill|\båt|\bför|\bheter|\bnamnen?|:|{_ROLE})\s+(?P<names>{NAME_LIST.pattern})"
)
# "… nästa vecka, Lisa Holm och Ahmed Nouri.", "Lisa Holm och Ahmed Nouri börjar …": people
# named on their own, as a list said apart or as the ones who start.
_PEOPLE_APART = re.compile(
    rf"(?:^|[.!?:]\s+|,\s+)(?P<names>{FULL_NAME}(?:\s*(?:,|och|&)\s*{FULL_NAME})+)"
    r"(?=\s*(?:[.,;!?]|$)|\s+(?:börjar|ska|behöver|kommer)\b)"
    rf"|(?:^|[.!?]\s+)(?P<one>{FULL_NAME})(?=\s+(?:börjar|ska börja)\b)"
)


def _a_place(names: str) -> bool:
    """Whether capitalised words read as names are a place ("Björkskolan Hus C")."""
    return any(is_place_word(w.lower()) for w in names.split())


# "inga allergier", "ingen specialkost": a field said to have nothing.
_NONE_OF = r"\b(?:inga|ingen|inget)\s+(?:kända\s+|särskilda\s+)?"
# ... and nothing more said of it ("inga allergier förutom en glutenfri" says more).
_NOTHING_MORE = r"(?=\s*(?:$|[,.;!]|och\b|tack\b))(?![,\s]*(?:förutom|utom|men)\b)"


_COUNT_WORD = rf"(?:\d+|{number_words(1, 12)})"
# One special diet as people say it in an order: "glutenfritt", "två vegetariska",
# "en med nötallergi", "3 st laktosfria", "en som är vegan", "celiaki".
_DIET = (
    r"(?:gluten|laktos|mjölk|mjölkprotein|nöt|jordnöts|ägg|fisk|soja|socker|fläsk)"
    r"(?:-|\s)?fri(?:tt|a|)\b"
    r"|vegetari(?:sk|skt|ska|an|aner)\b|vegan(?:sk|skt|ska|er)?\b|pescetari\w*"
    r"|[a-zåäö]{3,}allergi\b|allergisk mot [a-zåäö]+|celiaki\b|halal\b|koscher\b"
    r"|[a-zåäö]{3,}intoleran(?:t|ta|s)\b"
)
_DIET_SAID = re.compile(
    rf"(?<![\w-])(?:(?:varav\s+)?{_COUNT_WORD}\s+(?:st\.?\s+)?"
    rf"(?:(?:av\s+(?:dem|oss|deltagarna)\s+)?(?:med|som\s+(?:är|äter|har))\s+)?)?"
    rf"(?:{_DIET})",
    re.IGNORECASE,
)


def is_diet_field(field: dict[str, Any]) -> bool:
    """A catalogue-defined text field for allergies or special diets (its key or label
    says so: "Allergier och specialkost")."""
    words = f"{field.get('key', '')} {field.get('label', '')}".lower()
    return (
        field.get("type", "text") == "text" and re.search(r"allergi|specialkost", words) is not None
    )


# What an allergy or special-diet answer names: an allergen, a diet, or what a person
# cannot eat ("mjölk", "nötter och mandel", "Anna tål inte laktos", "en diabetiker").
_DIET_WORD = re.compile(
    r"gluten|vete|laktos|mjölk|nöt|mandel|ägg|fisk|skaldjur|räk|soja|sesam|selleri|senap"
    r"|lupin|sulfit|blötdjur|allergi|allergisk|intoleran|celiaki|vegan|vegetari|pesc|halal"
    r"|koscher|fläsk|gris|diabet|socker|specialkost|\bkost\b|tål\b|tåls\b|äter inte"
    r"|kan inte äta|får inte äta",
    re.IGNORECASE,
)
# What is served at a meeting: an answer of only these says what to serve, not a diet.
_SERVED = re.compile(
    r"\b(?:kaffe|te|thé|bullar|bulle|kanelbullar|kaka|kakor|kaffebröd|fikabröd|wienerbröd"
    r"|smörgås(?:ar|tårta)?|mackor|macka|frukt|juice|dricka|läsk|vatten|tårta|lunch|sallad"
    r"|soppa|pizza|godis|choklad|croissanter|scones|muffins|mat)\b",
    re.IGNORECASE,
)


def serves_not_diet(field: dict[str, Any], text: str) -> bool:
    """Whether an answer to an allergy or special-diet field says what to serve instead
    ("kaffe och bullar" to "Finns det allergier eller specialkost?"): it names something
    served and no allergen, diet or thing a person cannot eat."""
    return (
        is_diet_field(field)
        and _SERVED.search(text) is not None
        and _DIET_WORD.search(text) is None
        and _SKIP_WORDS.match(text.strip().lower()) is None
    )


def diets_said(text: str) -> str | None:
    """The special diets an order names ("fika till 15, två glutenfria och en vegan" →
    "två glutenfria, en vegan"), as said; None when it names none or says there are none
    ("inga allergier")."""
    said = []
    text = " ".join(text.split())
    for found in _DIET_SAID.finditer(text):
        value = found.group(0).strip()
        value = re.sub(r"^varav\s+", "", value, flags=re.IGNORECASE)
        if re.search(rf"\b(?:inga|ingen|inget)\s+(?:kända\s+)?{re.escape(value)}", text, re.I):
            continue
        said.append(value)
    return ", ".join(dict.fromkeys(said)) or None


def is_names_field(field: dict[str, Any]) -> bool:
    """A catalogue-defined text field for people's names (its key or label says "namn")."""
    words = f"{field.get('key', '')} {field.get('label', '')}".lower()
    return field.get("type", "text") == "text" and "namn" in words


def mentioned(field: dict[str, Any], text: str, today: date) -> str | None:
    """The value a message gives a catalogue-defined field by naming it ("…, kostnadsställe
    6040", "allergier: två glutenfria"), or a choice's option said in full ("levereras till
    rummet"); None when it names none, or not with a valid value. A personnummer is never
    read from free text here (the channel keeps it encrypted)."""
    kind = field.get("type", "text")
    low = " ".join(text.lower().split())
    if kind == "choice":
        return said_option(field, low)
    if kind not in ("text", "number"):
        return None
    if is_names_field(field):
        flat = " ".join(text.split())
        people = _FOR_PEOPLE.search(flat)
        apart = _PEOPLE_APART.search(flat) if people is None else None
        names = people["names"] if people else apart and (apart["names"] or apart["one"])
        if names and not _a_place(names):
            value, problem = read_answer(field, names, today)
            if problem is None and value is not None:
                return value
    optional_text = kind == "text" and not field.get("required", True)
    for name in field_names(field):
        nothing = rf"{_NONE_OF}{re.escape(name)}\w{{0,3}}{_NOTHING_MORE}"
        if optional_text and re.search(nothing, low):
            value, problem = read_answer(field, "inga", today)
            if problem is None and value is not None:
                return value
        for match in re.finditer(
            rf"(?<!\w){re.escape(name)}\w{{0,3}}{_LINK}(?P<value>[^,.;!?]+)", low
        ):
            said = match["value"].strip()
            number = leading_number(said)
            if number is not None:
                said = number
            elif kind == "number" or not re.match(
                rf"(?<!\w){re.escape(name)}\w{{0,3}}\s*(?:är|blir|:)", low[match.start() :]
            ):
                continue  # a text value in words needs "är" or ":" ("allergier: nötter")
            elif len(said.split()) > 8:
                continue
            start = match.start("value") + (
                match["value"].find(said) if said in match["value"] else 0
            )
            original = " ".join(text.split())[start : start + len(said)] or said
            value, problem = read_answer(field, original, today)
            if problem is None and value is not None:
                return value
    if is_diet_field(field):
        # Diets said in passing ("fika till 15, två glutenfria"): the field's answer.
        diets = diets_said(text)
        if diets is not None:
            value, problem = read_answer(field, diets, today)
            if problem is None and value is not None:
                return value
    return None


def without_mentions(text: str, fields: Any) -> str:
    """``text`` without the catalogue-defined fields it names with a number ("…, om tre
    veckor, kostnadsställe 5120" reads as "…, om tre veckor"): the other details are read
    from what remains."""
    for field in fields:
        for name in field_names(field):
            pattern = rf"[\s,;]*{_named_number(name)}\d?\b"
            text = re.sub(pattern, " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def said_option(field: dict[str, Any], text: str) -> str | None:
    """The one option of a choice a message says, in full ("levereras till rummet") or in
    its own words ("vi hämtar maten i köket" for "Hämtas i köket": every word of the
    option, by its stem); None when it says none or more than one."""
    low = " ".join(text.lower().split())
    options = [str(o) for o in field.get("options") or ()]
    for option in options:
        if re.search(rf"(?<!\w){re.escape(option.lower())}(?!\w)", low):
            return option
    words = re.findall(r"[a-zåäö]+", low)
    found = []
    for option in options:
        stems = [w[:4] for w in re.findall(r"[a-zåäö]{4,}", option.lower())]
        if stems and all(any(w.startswith(stem) for w in words) for stem in stems):
            found.append(option)
    return found[0] if len(found) == 1 else None


def only_mentions(text: str, fields: list[dict[str, Any]]) -> bool:
    """Whether ``text`` is nothing but catalogue-defined fields named with their values
    ("kostnadsställe 6040", "ansvar 4410"), or special diets where some field asks for
    them ("två glutenfria och en vegan"): a detail, not a need of its own."""
    rest = " ".join(text.lower().split())
    found = False
    for field in fields:
        for name in field_names(field):
            rest, count = re.subn(_named_number(name), " ", rest)
            found = found or count > 0
    if any(is_diet_field(f) for f in fields):
        # "…, två glutenfria och en vegan": the diets of an order with an allergy field.
        rest, count = _DIET_SAID.subn(" ", rest)
        found = found or count > 0
    return found and not re.search(
        r"[a-zåäö]{3,}", re.sub(r"\b(?:och|samt|tack|är|nr)\b", " ", rest)
    )


def _without_own_name(field: dict[str, Any], text: str) -> str:
    """An answer without the field's name before it: "kostnadsställe 4410" is "4410",
    "allergier: nötter" is "nötter"; "allergier mot nötter" stays as it is."""
    if field.get("type", "text") not in ("text", "number"):
        return text
    for name in field_names(field):
        link = r"(?:\s*(?P<link>:|är|blir|ska vara|ska va)\s*|\s+)"
        found = re.match(rf"{re.escape(name)}\w{{0,3}}{link}(?P<rest>\S.*)$", text, re.IGNORECASE)
        if found and (found["link"] or found["rest"][0].isdigit()):
            return found["rest"]
    return text


# "8810, och det var inte 40 fönster utan 44", "1450. Ska bli skönt att slippa bussen": a
# number asked for, then words of another matter.
_CODE_THEN_WORDS = re.compile(
    r"^(?P<code>\d[\d -]{0,14}?\d|\d)\s*[.,;:!]\s*(?P<rest>(?:\S+\s+){2,}\S+)$"
)


def code_and_rest(field: dict[str, Any], text: str) -> tuple[str, str] | None:
    """(the number, the words after it) when ``field`` asks for a number and the answer
    gives one and goes on about something else in a sentence of its own; else None."""
    if not _ASKS_NUMBER.search(str(field.get("question") or "")):
        return None
    match = _CODE_THEN_WORDS.match(" ".join(text.split()))
    if match is None or not re.search(r"[a-zåäö]{2,}", match["rest"], re.IGNORECASE):
        return None
    return match["code"], match["rest"]


def read_answer(field: dict[str, Any], text: str, today: date) -> tuple[str | None, str | None]:
    """``(value, None)`` for a valid answer, else ``(None, reason in Swedish)``."""
    text = _without_own_name(field, " ".join(text.split()))
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
    if _ASKS_NUMBER.search(str(field.get("question") or "")):
        if not re.search(r"\d", text):
            # "Vilket kostnadsställe …? Skriv numret": a sentence without a digit is no answer.
            return None, "Här behöver jag ett nummer – skriv det med siffror."
        if _room_numbers(text, today):
            # "Stadshuset sal 3" at the same question: its digit is a room's, not the number.
            return (
                None,
                "Det där ser ut som en plats. Här behöver jag numret – skriv det med siffror.",
            )
    return text[:1000], None


# A number alone, as a kostnadsställe or a phone number is typed.
_BARE_CODE = re.compile(r"\d{3,8}")
# ... of four digits or more: no room or count, surely a code.
_LONG_CODE = re.compile(r"\d{4,8}")


def _code_at_no_number_question(field: dict[str, Any], text: str, code: re.Pattern[str]) -> bool:
    """Whether ``text`` is a bare code typed at a text question that asks for no number."""
    if not code.fullmatch(text.strip(" .!")) or field.get("type", "text") != "text":
        return False
    asked = f"{field.get('question') or ''} {field.get('label') or ''}"
    return _ASKS_NUMBER.search(asked) is None


def number_for_another(
    field: dict[str, Any], text: str, service: ServiceInfo, filled: dict[str, Any]
) -> tuple[str, dict[str, Any]] | None:
    """(slot, definition) of the unanswered catalogue-defined detail a bare number answers,
    when it is typed at a question that asks for no number ("4410" at "Finns det
    allergier …?" is the kostnadsställe asked next); None otherwise."""
    if not _code_at_no_number_question(field, text, _BARE_CODE):
        return None
    for slot, other in defined_slots(service):
        asks = _ASKS_NUMBER.search(str(other.get("question") or ""))
        text_field = other.get("type", "text") == "text"
        if other is not field and asks and text_field and filled.get(slot) in (None, ""):
            return slot, other
    return None


def number_already_given(
    field: dict[str, Any], text: str, service: ServiceInfo, filled: dict[str, Any]
) -> tuple[dict[str, Any], str] | None:
    """(definition, its value) of the answered detail that asks for a number, when a code
    of four digits or more is typed at a question that asks for none ("4410" at "Finns det
    allergier …?" when the kostnadsställe is already 6210): no answer to this question."""
    if not _code_at_no_number_question(field, text, _LONG_CODE):
        return None
    for slot, other in defined_slots(service):
        if other is not field and _ASKS_NUMBER.search(str(other.get("question") or "")):
            value = filled.get(slot)
            if value not in (None, ""):
                return other, str(value)
    return None


def number_not_an_answer(value: str, label: str, current: str) -> str:
    """What the person is told when a code is typed at a question that asks for none."""
    return (
        f"{value} ser ut som ett {label}, och det har jag redan ({current}). Ska det ändras, "
        f'skriv "{label} {value}". Annars svarar du på frågan.'
    )


def _room_numbers(text: str, today: date) -> bool:
    """Whether ``text`` is a place whose numbers are its rooms' ("Stadshuset sal 3")."""
    place = extract_details(text, ("location",), datetime.combine(today, time(12))).get("location")
    return place is not None and all(d in place for d in re.findall(r"\d+", text))


def taken_as(value: str, label: str) -> str:
    """What the person is told when an answer is taken for another detail."""
    return f"Jag tar {value} som {label}."


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
