"""Validation of the order form; its required slots come from the service's order_fields.

Every turn inside the form is read before it is taken as an answer (see
:mod:`actions._dialogue`): questions, status requests, thanks and the like are answered
and the form repeats its question; a correction of another detail is applied; a new need
is offered as a switch. The last required slot, ``confirmed``, is the summary: "ja"
completes the form, and corrections, additions and named details are handled there too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions._desk import ServiceInfo, get_service_info, snapshot
from actions._dialogue import (
    MORE_NEED,
    OPEN,
    OPEN_LEAST,
    WE_NEED,
    Turn,
    answer_and_more,
    answer_digression,
    asks_about_order,
    describe_changes,
    find_corrections,
    has_correction_cue,
    listed_names,
    named_fields,
    named_then_value,
    named_value,
    need_cue,
    number_swapped,
    of_this_occasion,
    only_place,
    open_besides,
    open_need_besides,
    other_service,
    place_stated,
    queue_key,
    read_turn,
    relative_count,
    relative_moment,
    respelled,
    restated,
    same_text,
    swapped,
    which_place,
    with_building,
    without_lead,
)
from actions._fields import (
    FIELD_SLOTS,
    PERSONNUMMER_INVALID,
    PERSONNUMMER_LOST,
    PERSONNUMMER_NEEDED,
    SKIP,
    bare_answer,
    code_and_rest,
    defined_slots,
    field_of_slot,
    is_personnummer,
    kept_personnummer,
    number_already_given,
    number_for_another,
    number_not_an_answer,
    read_answer,
    said_option,
    serves_not_diet,
    slot_of,
    taken_as,
)
from actions._format import format_date, format_detail
from nlu._lexicon import lemma_set
from nlu._numbers import TENS, UNITS, number_words, word_to_int
from nlu.details import (
    MONTHS,
    confirmation,
    extract_details,
    is_place_word,
    names_building,
    parse_date,
    parse_day,
    parse_day_been,
    parse_quantity,
    parse_time,
)
from nlu.interpret import CALL_FIRST, DELIVERER_CONTACT
from nlu.text import fold, is_content, lemma, split_compound, terms, tokens, word_terms
from servicedesk.fields import BUILTIN_LABELS
from servicedesk.privacy.sensitive import CAPTURED, MASKED_FORM, REJECTED
from servicedesk.settings import get_settings

Slots = dict[str, Any]
_MIN_FREE_TEXT = 2
CONFIRMED = "confirmed"
#: ``confirm_step`` while the person is choosing what to change.
CHANGING = "change"
_YES_PAYLOAD = "/affirm"
_NO_PAYLOAD = "/deny"


_BARE_HOUR = re.compile(r"\d{1,2}(?:[.:]\d{2})?")


def local_now() -> datetime:
    """Now in the desk's time zone (the clock every day and time is read against)."""
    return datetime.now(ZoneInfo(get_settings().timezone))


_LEADING_PREPOSITION = re.compile(r"^(i|på|vid|till|hos|utanför|inne i|uppe på)\s+", re.IGNORECASE)


def _free_text(slot: str, value: Any, dispatcher: CollectingDispatcher) -> Slots:
    text = str(value or "").strip()
    if slot in ("location", "destination"):
        text = _LEADING_PREPOSITION.sub("", text)  # "i kommunhuset, sal B" is the place
    if len(text) < _MIN_FREE_TEXT or (slot == "description" and not re.search(r"[^\W\d_]", text)):
        # "15" says nothing of what it is about: a count or a time, not a description.
        dispatcher.utter_message(response="utter_too_short")
        return {slot: None}
    if bare_answer(text):
        dispatcher.utter_message(response="utter_free_text_needed")
        return {slot: None}
    return {slot: text[:1000]}


def _place_with_details(slot: str, text: str, service: ServiceInfo, t: Tracker) -> Slots:
    """The place (or destination) an answer names as one clean phrase, with the other
    details of this order it also gives that are still open ("tre kontorsstolar till
    Rådhuset plan 2": the place, and 3 as the count); empty when the answer gives nothing
    beside the place (it is then the place as written)."""
    now = local_now()
    # Only this order's fields, never a description (extract_details leaves it out).
    found = extract_details(text, service.order_fields, now, happened=service.kind == "fault")
    place = found.get(slot)
    extra = {k: v for k, v in found.items() if k != slot and not t.get_slot(k)}
    if "time" in extra and passed(extra.get("date") or t.get_slot("date"), extra["time"], now):
        extra.pop("time")  # a time already past is asked for, with the reason, as an answer
    return {slot: place, **extra} if place and extra else {}


# Words that say a when of their own (not "det går bra").
_WHEN_CORE = frozenset(
    [
        "snart",
        "snarast",
        "asap",
        "omgående",
        "direkt",
        "genast",
        "idag",
        "imorgon",
        "ikväll",
        "morgon",
        "övermorgon",
        "förmiddag",
        "förmiddagen",
        "eftermiddag",
        "eftermiddagen",
        "kväll",
        "kvällen",
        "vecka",
        "veckan",
        "veckor",
        "dag",
        "dagar",
        "kl",
        "klockan",
        "måndag",
        "tisdag",
        "onsdag",
        "torsdag",
        "fredag",
        "lördag",
        "söndag",
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ]
)
# ... and the words said around them: "så snart som möjligt, helst senast fredag nästa
# vecka" answers the place question with a time.
_WHEN_WORDS = _WHEN_CORE | frozenset(
    [
        "så",
        "som",
        "möjligt",
        "helst",
        "senast",
        "gärna",
        "tidigast",
        "innan",
        "före",
        "efter",
        "till",
        "den",
        "på",
        "i",
        "om",
        "eller",
        "och",
        "nästa",
        "nästkommande",
        "morgonen",
        "det",
        "går",
        "bra",
        "funkar",
        "fungerar",
        "tack",
        "men",
        "alltså",
        "typ",
        "ungefär",
        "runt",
        "cirka",
        "ca",
        "vid",
        "halv",
        "kvart",
        "över",
        "denna",
        "detta",
        "iövermorgon",
        # "det måste vara klart till kl 8 på morgonen"
        "måste",
        "ska",
        "skulle",
        "vara",
        "va",
        "klart",
        "klar",
        "färdigt",
        "färdig",
        "gjort",
        "senare",
        "än",
        "vi",
        "behöver",
        "ha",
    ]
)


# Sentences of one message ("Ekhagsskolan, elevhälsan. Kostnadsställe ska vara 6610").
_SENTENCES = re.compile(r"(?<=[a-zåäö0-9])[.!]\s+(?=[A-ZÅÄÖ])")
# An answer taken back in the same message: "8 lådor, nej gör det 12 lådor", "Rådhuset,
# nej förlåt, Stadshuset plan 2": what is said after the taking back is the answer.
_SAID_OVER = re.compile(
    r"^(?P<first>.+?)[,.;!]?\s+(?:nej|nä|nää|eller nej|nej förresten|förlåt|sorry|oj)[,!.]?\s+"
    r"(?:(?:förlåt|sorry|vänta|förresten)[,!.]?\s+)?"
    r"(?:gör det|ta|skriv|säg|det ska vara|det blir|vi tar|snarare|jag menar|menar)?\s*"
    r"(?P<again>[^,;]+?)[.!]?$",
    re.IGNORECASE,
)


def said_over(slot: str, text: str) -> str | None:
    """The answer said again after taking the first one back in the same message, when
    both read as answers to ``slot`` (a count, a day, a time or a place); else None."""
    over = _SAID_OVER.match(text.strip())
    if over is None:
        return None
    first, again = over["first"], over["again"]
    now = local_now()
    if slot in ("quantity", "participants"):
        a, b = parse_quantity(first), parse_quantity(again)
        ok = a is not None and b is not None and b.valid
    elif slot in ("date", "return_date"):
        ok = parse_date(first, now) is not None and parse_date(again, now) is not None
    elif slot == "time":
        a_t, b_t = parse_time(first), parse_time(again)
        ok = a_t is not None and b_t is not None and b_t.valid
    elif slot in ("location", "destination"):
        ok = (
            len(first) >= _MIN_FREE_TEXT
            and len(again) >= _MIN_FREE_TEXT
            and (names_building(again) or any(is_place_word(w) for w in again.lower().split()))
        )
    else:
        ok = False
    return again if ok else None


# Numbers that belong to a when: "om två veckor", "den 12", "kl 10.30", "12/3".
_NUMBER_IN_WHEN = re.compile(
    r"\bom (?:\d+|en|ett|två|tre|fyra|fem|sex) (?:dag|dagar|vecka|veckor|månad|månader)\b|"
    r"\bden \d{1,2}(?::?e)?\b|\bkl\.? ?\d{1,2}(?:[:.]\d{2})?\b|\b\d{1,2}[/.-]\d{1,2}\b"
)
# Counts said in words, one to twenty ("två", "tolv", "tjugo").
_COUNT_WORDS = frozenset(w for w, n in {**UNITS, **TENS}.items() if 1 <= n <= 20)


def _when_not_where(
    text: str, service: ServiceInfo, t: Tracker, *, counted: bool = False
) -> Slots | None:
    """At a place question, an answer that only says when ("så snart som möjligt, helst
    senast fredag nästa vecka"): the day and time it names that this order still needs
    (perhaps none); None when the answer may name a place. At a count question
    (``counted``) only a day or a time said in words is no count ("helst till måndag om
    två veckor")."""
    allowed = _WHEN_WORDS | _COUNT_WORDS if counted else _WHEN_WORDS
    words = [w for w in re.findall(r"[^\W_]+|\d+", text.lower())]
    if not words or any(not (w in allowed or w.isdigit()) for w in words):
        return None
    if not any(w in _WHEN_CORE or w.isdigit() for w in words):
        return None  # "det går bra" says no when either
    if counted:
        rest = _NUMBER_IN_WHEN.sub(" ", text.lower())
        if any(w in _COUNT_WORDS or w.isdigit() for w in re.findall(r"[^\W_]+", rest)):
            return None  # "tre till fredag": a count (and a day)
    now = local_now()
    found = extract_details(text, ("date", "time"), now)
    if not found and (counted or any(w.isdigit() for w in words)):
        return None  # "214" alone may be a room, "två" a count
    return {k: v for k, v in found.items() if k in service.order_fields and not t.get_slot(k)}


# "10 flaskor", "ca 20 personer", "tre st": a count of things said alone (a floor, "2 tr",
# "3 trappor", says where).
_COUNT_ALONE = re.compile(
    # "det är 40 fönster totalt", "vi blir 12 personer"
    r"^(?:(?:det är|det blir|det gäller|det rör sig om|det handlar om|vi är|vi blir|vi har|"
    r"totalt|sammanlagt)\s+)?"
    r"(?:ca\.?\s+|cirka\s+|ungefär\s+|typ\s+)?"
    rf"(?P<n>\d{{1,4}}|{number_words(1, 20)})\s+"
    # "10 flaskor", "typ 30 av varje"
    r"(?:(?P<thing>[a-zåäö]{2,})(?:\s+till)?|av (?:varje|vardera|var|dem|dom|båda))"
    r"(?:\s+(?:totalt|sammanlagt|allt som allt|i allt))?[.!]?$"
)
_FLOOR_WORDS = frozenset({"tr", "trappa", "trappor", "trapp", "vån", "våning", "våningen", "plan"})
# What a number before it counts is time, not things ("12 mars", "2 veckor", "kl 14").
_NOT_COUNTED = _WHEN_CORE | frozenset(
    [
        *(m[:3] for m in MONTHS),
        "sept",
        "timmar",
        "timme",
        "minuter",
        "min",
        "månader",
        "månad",
        "år",
    ]
)
_PEOPLE_WORDS = frozenset(
    {"personer", "person", "pers", "deltagare", "gäster", "elever", "barn", "kollegor"}
)


def _how_many_not_where(text: str, service: ServiceInfo, t: Tracker) -> Slots | None:
    """At a place question (or a day or time question), an answer that only says how many
    ("10 flaskor", "det är 40 fönster totalt"): the count,
    for this order's count detail (perhaps nothing new); None when the answer may be a
    place or the order counts nothing."""
    m = _COUNT_ALONE.match(text.strip().lower())
    if m is None or m["thing"] in _FLOOR_WORDS or m["thing"] in _NOT_COUNTED:
        return None  # "plan 4", "12 mars", "2 veckor": no count
    counts = [f for f in ("quantity", "participants") if f in service.order_fields]
    if not counts:
        return None
    key = counts[0]
    if len(counts) == 2 and m["thing"] in _PEOPLE_WORDS:
        key = "participants"
    said = m["n"]
    number = int(said) if said.isdigit() else word_to_int(said)
    if not number:
        return None
    if str(t.get_slot(key) or "") == str(number):
        return {}
    return {key: str(number)}


def _where_not_how_many(text: str, service: ServiceInfo, t: Tracker) -> Slots | None:
    """At a count question, an answer that only says where ("Stadshuset plan 4": its 4 is
    the floor, not a count): the place when this order asks one and it differs from the
    place it has (perhaps nothing new); None when the answer may be a count."""
    now = local_now()
    said = text.strip(" .!")
    if not re.search(r"[A-Za-zÅÄÖåäö]", said) or not only_place(said, now):
        return None
    place = extract_details(said, ("location",), now).get("location")
    if not place or not names_building(place):
        return None  # "rum 4" alone may be a count of rooms; a building says where
    slot = next((f for f in ("location", "destination") if f in service.order_fields), None)
    if slot is None or same_text(str(t.get_slot(slot) or ""), place):
        return {}
    return {slot: place}


def _date(
    slot: str, value: Any, dispatcher: CollectingDispatcher, happened: bool = False
) -> tuple[Slots, date | None]:
    """The day an answer names; for a fault (``happened``) the day it happened, read
    backwards ("i fredags"), today or before."""
    text = str(value or "").strip()
    now = local_now()
    result = parse_day_been(text, now) if happened else parse_date(text, now)
    if result is None:
        dispatcher.utter_message(response="utter_invalid_date", value=text)
        return {slot: None}, None
    if happened and result.value > now.date():
        shown = format_date(result.value.isoformat())
        dispatcher.utter_message(response="utter_date_not_yet", value=shown)
        return {slot: None}, None
    if happened and result.approximate:
        dispatcher.utter_message(response="utter_date_vague_been")
        return {slot: None}, None
    if result.in_past and not happened:
        dispatcher.utter_message(response="utter_date_in_past", value=result.value.isoformat())
        return {slot: None}, None
    if result.approximate:  # "nästa vecka" is not a day
        vague = "nästa vecka" if "vecka" in text.lower() else "då"
        dispatcher.utter_message(response="utter_date_vague", value=vague)
        return {slot: None}, None
    return {slot: result.value.isoformat()}, result.value


def _start_time(value: str | None) -> time | None:
    if not value:
        return None
    try:
        hour, minute = value.split("-")[0].split(":")
        return time(int(hour), int(minute))
    except ValueError:
        return None


def _day_moved(text: str, t: Tracker) -> Slots:
    """``{"date": …}`` when an answer to another question names a new day for an order
    that asks for one ("i morgon kl 06:30"); else empty."""
    service = get_service_info(t.get_slot("service_code"))
    day = parse_day(text, local_now())
    if service is None or "date" not in service.order_fields or day is None:
        return {}
    if service.kind == "fault":
        return {}  # a fault's day is when it happened, not read forwards from another answer
    if day.in_past or day.approximate or day.value.isoformat() == t.get_slot("date"):
        return {}
    return {"date": day.value.isoformat()}


def passed(day: str | None, clock: str | None, now: datetime) -> bool:
    """Whether ``day`` at ``clock`` (its start) is already past."""
    start = _start_time(clock)
    return bool(day == now.date().isoformat() and start is not None and start <= now.time())


NO_PENDING_NUMBER: Slots = {"number_to_confirm": None, "confirming_number": False}


# "bara jag", "jag själv", "endast mig": one person.
_JUST_ME = re.compile(
    r"(?:(?:bara|endast|enbart|just) (?:jag|mig)(?: själv)?|jag själv|mig själv|jag|"
    r"bara en(?: person)?|en person|(?:det är |vi är )?bara jag(?: själv)?)(?:,? tack)?"
)


def _number(slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Slots:
    """An exact count is taken; "ett tjugotal"/"ca 20" is asked back ("Menar du ungefär
    20?", the form's ask response when ``confirming_number``) until a yes or a number."""
    text = str(value or "")
    if slot == "participants" and _JUST_ME.fullmatch(text.strip(" .!").lower()):
        return {slot: "1", **NO_PENDING_NUMBER}  # "bara jag": one person
    pending = tracker.get_slot("number_to_confirm")
    result = parse_quantity(text)
    if result is None and pending:
        answer = confirmation(text)
        if answer is True:
            return {slot: f"cirka {pending}", **NO_PENDING_NUMBER}
        if answer is False:  # the form asks again for the exact number
            return {slot: None, **NO_PENDING_NUMBER}
    if result is None:
        dispatcher.utter_message(response="utter_invalid_number")
        return {slot: None, **NO_PENDING_NUMBER}
    if not result.valid:
        dispatcher.utter_message(response="utter_number_out_of_range", value=result.value)
        return {slot: None, **NO_PENDING_NUMBER}
    if result.approximate and str(result.value) != pending:
        return {slot: None, "number_to_confirm": str(result.value), "confirming_number": True}
    shown = f"cirka {result.value}" if result.approximate else str(result.value)
    return {slot: shown, **NO_PENDING_NUMBER}


def consistent_description(tracker: Tracker, changes: Slots) -> Slots:
    """Keep the description in step with a corrected count ("lunch till 12" -> "till 20")
    or place ("lampan på plan 2 i Rådhuset" -> "plan 3")."""
    description = tracker.get_slot("description")
    if not description:
        return {}
    updated = str(description)
    text = str((getattr(tracker, "latest_message", None) or {}).get("text") or "")
    for count in ("participants", "quantity"):
        old, new = tracker.get_slot(count), changes.get(count)
        if old and new and str(old) != str(new) and str(old).isdigit():
            # "fyra nya bokhyllor" corrected to 5: the count said in words too (not "en"/"ett",
            # which are articles as often as counts)
            said = [w for w, n in UNITS.items() if n == int(old) and n > 1]
            counted = "|".join([re.escape(str(old)), *(said if str(new).isdigit() else [])])
            updated = _recount(updated, counted, str(new), _counted_thing(text, str(new)))
    for place in ("location", "destination"):
        # "det var inte plan 2 utan plan 3": the place as said in the description too
        old, new = tracker.get_slot(place), changes.get(place)
        if old and new and len(str(old)) >= 3 and str(old) != str(new):
            updated = re.sub(rf"(?<!\w){re.escape(str(old))}(?!\w)", str(new), updated)
    return {"description": updated} if updated != description else {}


def _counted_thing(text: str, count: str) -> str | None:
    """The thing a correction counts ("det ska vara 3 datorer" -> "datorer"), if it says one."""
    m = re.search(
        rf"\b{re.escape(count)}\s+(?:(?:st|stycken|nya|till)\s+)?([a-zåäö]{{3,}})", text, re.I
    )
    return m.group(1).lower() if m else None


def _recount(description: str, counted: str, new: str, thing: str | None) -> str:
    """``description`` with the counts ``counted`` (a regex alternation) made ``new``: those
    of the thing the correction names, if the description counts it ("två nya
    fritidspedagoger behöver två datorer" corrected to "3 datorer" keeps the two teachers);
    else every count, when they all count one thing (of two things, which is unknown)."""
    pattern = re.compile(rf"\b(?:{counted})\b", re.I)
    found = list(pattern.finditer(description))
    words = [_word_after(description, m.end()) for m in found]
    if thing and any(_same_word(thing, w) for w in words):
        chosen = [m for m, w in zip(found, words, strict=True) if _same_word(thing, w)]
    elif len(set(words)) <= 1:
        chosen = found
    else:
        return description
    for m in reversed(chosen):
        description = description[: m.start()] + new + description[m.end() :]
    return description


def _same_word(one: str, other: str) -> bool:
    """Whether two words share a stem ("datorer" and "dator", "stolar" and "stol")."""
    stem = min(len(one), len(other), 5)
    return stem >= 3 and one[:stem] == other[:stem]


def _word_after(text: str, at: int) -> str:
    """The word a count at ``at`` counts ("två nya datorer" -> "datorer"), or ""."""
    after = re.match(r"\s+(?:(?:st|stycken|nya|till)\s+)?([a-zåäö]+)", text[at:], re.I)
    return after.group(1).lower() if after else ""


def _offer_switch(d: CollectingDispatcher, current: ServiceInfo, new: ServiceInfo) -> None:
    d.utter_message(
        response="utter_switch_service",
        current=current.name,
        new=new.name,
        buttons=[
            {"title": f"Ja, gå vidare med {new.name}",
             "payload": f'/choose_service{{"service_code":"{new.code}"}}'},
            {"title": f"Nej, fortsätt med {current.name}", "payload": _NO_PAYLOAD},
        ],
    )  # fmt: skip


# "…, inte Stadshuset", "och inte i hus B": a place denied after the new one.
_DENIED_PLACE = re.compile(r"^(?:och\s+)?(?:inte|ej)\s+\S", re.IGNORECASE)


class ValidateServiceForm(FormValidationAction):
    """Ask exactly the details the chosen service needs, and read each turn first."""

    def name(self) -> str:
        return "validate_service_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Validate, and drop a number question left over from an abandoned form."""
        events = list(await super().run(dispatcher, tracker, domain))
        asking_count = tracker.get_slot("requested_slot") in ("quantity", "participants")
        if tracker.get_slot("confirming_number") and not asking_count:
            events += [SlotSet(name, value) for name, value in NO_PENDING_NUMBER.items()]
        return events

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        service = get_service_info(tracker.get_slot("service_code"))
        if service is None:
            return []
        return [*(slot_of(service, name) for name in service.order_fields), CONFIRMED]

    # -- every answer goes through here -----------------------------------------------------

    @staticmethod
    def _this_turn(slot: str, value: Any, tracker: Tracker) -> Turn | None:
        """The person's message, when ``value`` is their answer to the question asked now
        (not a detail prefilled from the first message or set by a button)."""
        if tracker.get_slot("requested_slot") != slot:
            return None
        turn = read_turn(tracker)
        if not turn.text or str(value or "").strip() != turn.text.strip():
            return None
        return turn

    def _answer(
        self, slot: str, value: Any, d: CollectingDispatcher, t: Tracker,
        parse: Callable[[str], Slots],
    ) -> Slots:  # fmt: skip
        turn = self._this_turn(slot, value, t)
        service = get_service_info(t.get_slot("service_code"))
        if turn is None or service is None:
            return parse(str(value or ""))
        if turn.text.startswith("/"):
            return {slot: None}  # e.g. "Nej, fortsätt" after a switch question: ask again
        if t.get_slot("confirming_number") and slot in ("quantity", "participants"):
            return parse(turn.text)
        again = said_over(slot, turn.text)
        if again is not None:
            return parse(again)  # "8 lådor, nej gör det 12 lådor"
        told = self._answer_then_named(slot, turn, service, d, t, parse)
        if told is not None:
            return told
        told = self._answer_then_swapped(slot, turn, service, d, t, parse)
        if told is not None:
            return told
        split = answer_and_more(turn.text)
        if split is not None:
            besides = self._answer_and_need(split, turn.intent, service, d, t, parse, slot)
            if besides is not None:
                return besides
        field = field_of_slot(service, slot)
        if field is not None and code_and_rest(field, turn.text) is not None:
            # "4650. och platsen blev fel, de ska sitta i Medborgarhuset …" at the
            # kostnadsställe question: the number answers it; the rest is read after.
            return parse(turn.text)
        other = other_service(turn, service, t)
        if other is not None and other.code in (t.get_slot("queued_services") or []):
            # "lysrören har slutat lysa, och gräset behöver klippas" while the first of two
            # needs asks its description: the other need is already next, not a switch.
            other = None
        if other is not None:
            if MORE_NEED.search(turn.low):
                # "förresten behöver vi också fika till mötet" while the count is asked: a
                # need besides this one, taken when this order is done; the question stays.
                queued = list(t.get_slot("queued_services") or [])
                if other.code not in queued:
                    d.utter_message(response="utter_need_queued", name=other.name)
                    return {slot: None, **_queue(t, other, turn.text)}
                return {slot: None}
            _offer_switch(d, service, other)
            return {slot: None}
        if (in_parts := _needs_in_parts(turn, service, t, slot)) is not None:
            # "Hej från städet på Ekbackens skola!\n- vi behöver fler skoskydd\n- kranen i
            # personalrummet läcker" under the allergy question: needs of their own, read
            # by their parts (the whole reads as out of scope), taken when this order is
            # done; never the answer.
            for part_service, _ in in_parts:
                d.utter_message(response="utter_need_queued", name=part_service.name)
            return {slot: None, **_queue_all(t, in_parts)}
        if has_correction_cue(turn):
            # "vänta, ändra datumet till torsdag och tiden till kl 11" under another
            # question: both details change, each in its clause.
            several = self._several_changed(turn, service, d, t)
            if several is not None:
                return {slot: None, **several}
        named = named_value(turn, service) if has_correction_cue(turn) else None
        if named is not None:
            name, said = named
            if slot_of(service, name) == slot:
                return parse(said)  # "antalet ska vara 5" answers the question asked
            changed = self._changed(name, said, service, d, t)
            if changed is not None:
                return {slot: None, **changed}
        texts = _text_values(t, service)
        respelling = respelled(turn, texts) or restated(turn, texts)
        if respelling:
            # "oj jag stavade fel, Lindqvist med q ska det va" under another question.
            d.utter_message(response="utter_changed", changes=describe_changes(respelling, service))
            return {slot: None, **respelling} if slot not in respelling else respelling
        relative = relative_count(turn, service, _counts(t)) or relative_moment(
            turn, service, _moment(t), local_now()
        )
        if not relative and has_correction_cue(turn):
            relative = number_swapped(turn, service, _slot_values(t))
        if relative and slot not in relative:
            # "vänta, vi blir tre fler" while the place is asked: the count changes (also
            # when it says "också": "vi blir 9 inte 7, två från ekonomi kommer också"),
            # and so does a place said wrong beside it ("… och det är Uppsala inte
            # Stockholm").
            relative = {**_place_swapped_beside(turn, t, slot, relative), **relative}
            d.utter_message(response="utter_changed", changes=describe_changes(relative, service))
            return {slot: None, **relative, **consistent_description(t, relative)}
        if open_besides(turn, service, t) and not find_corrections(turn, service, local_now()):
            # "förresten behöver vi ett rum också" while the place is asked, naming no
            # service surely: kept, and asked about when this order is done.
            d.utter_message(response="utter_open_need_later", words=turn.text.strip())
            return {slot: None, **_queue_open(t, turn.text.strip())}
        if (slot in ("location", "destination") or slot in FIELD_SLOTS) and _adds_to_need(turn):
            # "åh och toapappret är slut där också" while the place is asked: more about
            # the need, not a place.
            return {slot: None, **_addition(turn, service, t, d)}
        exclude: tuple[str, ...] = (slot,)
        if slot == "time" and (clock := parse_time(turn.text)) is not None and clock.start:
            # "då tar vi i morgon kl 10 istället": a day said with the time is the time
            # answer's own (validate_time moves it), not a correction beside it.
            exclude = ("time", "date")
        changes = find_corrections(turn, service, local_now(), exclude=exclude)
        if not changes and has_correction_cue(turn):
            changes = {k: v for k, v in swapped(turn, _free_values(t)).items() if k != slot}
        elif changes and has_correction_cue(turn):
            # "vänta, vi blir 3 personer och det är Uppsala inte Stockholm": a place said
            # wrong in another clause changes beside the count.
            changes = {**_place_swapped_beside(turn, t, slot, changes), **changes}
        changes = which_place(
            with_building(changes, t.get_slot("location"), turn.text), _free_values(t), service
        )
        if changes:
            d.utter_message(response="utter_changed", changes=describe_changes(changes, service))
            return {slot: None, **changes, **consistent_description(t, changes)}
        contact = _contact_asked(turn, service, t, d)
        if contact is not None:
            return {slot: None, **contact}
        if answer_digression(turn, service, d, t, free_text=slot == "description"):
            return {slot: None}
        first = t.get_slot("first_request")
        if first and same_text(str(first), turn.text):
            return {slot: None}  # the first message sent again (a retry): ask again
        counted = slot in ("quantity", "participants")
        where = _where_not_how_many(turn.text, service, t) if counted else None
        if where is not None:
            # "Stadshuset plan 4" at "Hur många behöver du?": a place, not four of them.
            if where:
                noted = format_detail(*next(iter(where.items())))
                d.utter_message(response="utter_where_not_how_many_noted", place=noted)
            else:
                d.utter_message(response="utter_where_not_how_many")
            return {slot: None, **where}
        asked = {"location": "where", "date": "when", "time": "when"}.get(slot)
        many = _how_many_not_where(turn.text, service, t) if asked else None
        if many is not None:
            # "10 flaskor" at "Var ska det utföras?", "det är 40 fönster totalt" at "Vilket
            # datum gäller det?": the count, and the question asked again.
            if many:
                key, value = next(iter(many.items()))
                noted = f"{BUILTIN_LABELS[key].lower()} {value}"
                d.utter_message(response=f"utter_how_many_not_{asked}_noted", count=noted)
            else:
                d.utter_message(response=f"utter_how_many_not_{asked}")
            return {slot: None, **many}
        if slot in ("location", "destination") or counted:
            when = _when_not_where(turn.text, service, t, counted=counted)
            if when is not None:
                noted = " och ".join(
                    f"{BUILTIN_LABELS[k].lower()} {format_detail(k, str(v))}"
                    for k, v in when.items()
                )
                what = "how_many" if counted else "where"
                if noted:
                    d.utter_message(response=f"utter_when_not_{what}_noted", when=noted)
                else:
                    d.utter_message(response=f"utter_when_not_{what}")
                return {slot: None, **when}
        if slot in ("location", "destination"):
            given = _place_with_details(slot, turn.text, service, t)
            if given:
                # "tre kontorsstolar till Rådhuset plan 2" where the place is asked: the
                # place, and the count it also gives is not asked for next.
                slots = parse(given.pop(slot))
                return {**slots, **given} if slots.get(slot) else slots
        return parse(turn.text)

    def _answer_then_named(
        self, slot: str, turn: Turn, service: ServiceInfo, d: CollectingDispatcher,
        t: Tracker, parse: Callable[[str], Slots],
    ) -> Slots | None:  # fmt: skip
        """The answer, then a sentence that changes another detail by name ("Ekhagsskolan,
        elevhälsan. Kostnadsställe ska förresten vara 6610, inte 6601"): both taken; None
        when the message is not so."""
        sentences = _SENTENCES.split(turn.text.strip())
        if len(sentences) < 2:
            return None
        named = named_value(Turn(sentences[-1], turn.intent, turn.confidence), service)
        if named is None or slot_of(service, named[0]) == slot:
            return None
        first = " ".join(sentences[:-1]).strip(" .!")
        changed = self._read_named(*named, service, d, t)
        if not changed or changed.get(slot_of(service, named[0])) in (None, ""):
            return None
        d.utter_message(response="utter_changed", changes=describe_changes(changed, service))
        return {**parse(first), **changed}

    @staticmethod
    def _answer_then_swapped(
        slot: str, turn: Turn, service: ServiceInfo, d: CollectingDispatcher,
        t: Tracker, parse: Callable[[str], Slots],
    ) -> Slots | None:  # fmt: skip
        """The answer, then another detail said wrong ("28 st. och förlåt, det ska inte
        till lönnskolan utan bäckdalsskolan"): both taken; None when the message is not
        so."""
        head = _ANSWER_HEAD.match(turn.text.strip())
        if head is None or not has_correction_cue(turn):
            return None
        if _NO_ANSWER_HEAD.fullmatch(head["answer"].strip().lower()) or has_correction_cue(
            Turn(head["answer"], turn.intent, turn.confidence)
        ):
            return None  # "oj, fel skola – de ska till …": no answer before the change
        rest = Turn(turn.text.strip()[head.end() :], turn.intent, turn.confidence)
        changes = {k: v for k, v in swapped(rest, _free_values(t)).items() if k != slot}
        if not changes:
            return None
        answered = parse(head["answer"])
        d.utter_message(response="utter_changed", changes=describe_changes(changes, service))
        if answered.get(slot) in (None, ""):
            return {slot: None, **changes}
        return {**answered, **changes}

    @staticmethod
    def _answer_and_need(
        split: tuple[str, str], intent: str, service: ServiceInfo, d: CollectingDispatcher,
        t: Tracker, parse: Callable[[str], Slots], slot: str = "",
    ) -> Slots | None:  # fmt: skip
        """An answer with another need said after it ("5310. förresten, en stol i matsalen
        har fått lös rygg, kan nån laga den?"): the answer is taken and the need kept for
        when this order is done. None when the words after the answer are no other need."""
        said, rest = split
        before = Turn(said, intent, 1.0)
        if before.is_question or asks_about_order(before.low) or before.low in _NO_ANSWER:
            return None  # "vad kostar det? och så undrar jag …": no answer before the rest
        if asks_about_order(rest.lower()):
            # "Rådhuset rum 2. förresten, vad kostar det?": the answer, and the question
            # answered beside it.
            asked = Turn(rest, intent, 1.0)
            return parse(said) if answer_digression(asked, service, d, t) else None
        queued = list(t.get_slot("queued_services") or [])
        changing = Turn(rest, intent, 1.0)
        if has_correction_cue(changing) and find_corrections(
            changing, service, local_now(), exclude=(slot,)
        ):
            # "4520. och det ska va 4 datorer inte 3": a change of this order, not a need
            return None
        other = another_need(rest, service, least=_BESIDES_ANSWER_SURE)
        # The need's own words, without the word that added it ("förresten, …").
        words = without_lead(rest) or rest
        if other is not None:
            if other.code in queued:
                return parse(said)
            d.utter_message(response="utter_need_queued", name=other.name)
            return {**parse(said), **_queue(t, other, words)}
        if WE_NEED.match(rest) and slot not in ("location", "destination"):
            # "… Och vi behöver någon som gör rent där": read as a whole (a place is no
            # such thing: "Ekbackens förskola, matsalen. Och vi behöver …" is the place
            # and a need kept for later)
            return None
        # "Kommunhuset, garaget. Och så ska ett paket med bud till …": a word that adds a
        # need and what is to be done say it as surely as a need word does.
        cued = (
            need_cue(words.lower())
            or _ASKS_FOR_IT.search(words.lower()) is not None
            or (
                words != rest
                and _TO_DO.search(words.lower()) is not None
                and not _CHANGES.match(words.lower())
                and not has_correction_cue(Turn(words, intent, 1.0))
            )
        )
        if cued and open_need_besides(rest, service, other_kind=True):
            # Named back as said when the words alone begin with a verb ("Och så ska ett
            # paket …", not "ska ett paket …").
            shown = rest if _TO_DO.match(words.lower()) else words
            d.utter_message(response="utter_open_need_later", words=shown)
            return {**parse(said), **_queue_open(t, shown)}
        if cued and words != rest and slot in ("location", "destination") and _names_things(words):
            # "Ekbackens förskola, arbetsrummen på övervåningen. Och förresten behöver vi
            # nån som kan sätta upp hyllorna …": never part of the place; more of this
            # order when it reads as this service, else a need asked about later.
            reading = snapshot().interpreter.interpret(words)
            if reading.services and reading.services[0].code == service.code:
                return {**parse(said), **_addition(Turn(words, intent, 1.0), service, t, d)}
            d.utter_message(response="utter_open_need_later", words=words)
            return {**parse(said), **_queue_open(t, words)}
        return None

    # -- the details ------------------------------------------------------------------------

    def validate_location(self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any) -> Slots:
        def parse(text: str) -> Slots:
            slots = _free_text("location", text, d)
            return {**slots, **with_room(slots, t.get_slot("place_part"))}

        return self._answer("location", value, d, t, parse)

    def validate_description(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        return self._answer("description", value, d, t, lambda v: _free_text("description", v, d))

    def validate_destination(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        return self._answer("destination", value, d, t, lambda v: _free_text("destination", v, d))

    def validate_date(self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any) -> Slots:
        service = get_service_info(t.get_slot("service_code"))
        happened = service is not None and service.kind == "fault"

        def parse(text: str) -> Slots:
            slots, parsed = _date("date", text, d, happened)
            if happened or parsed is None:
                return slots
            if passed(parsed.isoformat(), t.get_slot("time"), local_now()):
                d.utter_message(response="utter_time_passed", value=t.get_slot("time"))
                return {"date": parsed.isoformat(), "time": None}
            return slots

        return self._answer("date", value, d, t, parse)

    def validate_return_date(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        def parse(text: str) -> Slots:
            slots, parsed = _date("return_date", text, d)
            departure = t.get_slot("date")
            if parsed and departure and parsed < date.fromisoformat(str(departure)):
                d.utter_message(response="utter_return_before_departure", value=departure)
                return {"return_date": None}
            return slots

        return self._answer("return_date", value, d, t, parse)

    def validate_time(self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any) -> Slots:
        def parse(text: str) -> Slots:
            said = text.strip()
            hour_word = word_to_int(said.lower())
            if _BARE_HOUR.fullmatch(said) or (hour_word is not None and 1 <= hour_word <= 12):
                said = f"kl {said}"  # "ändra tiden till 13": an hour alone is a clock time
            result = parse_time(said)
            if result is None or not result.valid or result.start is None:
                d.utter_message(response="utter_invalid_time", value=text.strip())
                return {"time": None}
            shown = result.as_text()
            # "i morgon kl 06:30 då" after "06:30 har redan passerat": the answer moves the
            # day too, and the time is checked against the day it names.
            moved = _day_moved(text, t)
            service = get_service_info(t.get_slot("service_code"))
            happened = service is not None and service.kind == "fault"
            if not happened and passed(moved.get("date", t.get_slot("date")), shown, local_now()):
                d.utter_message(response="utter_time_passed", value=shown)
                return {"time": None}
            if moved:
                service = get_service_info(t.get_slot("service_code"))
                d.utter_message(response="utter_changed", changes=describe_changes(moved, service))
            return {"time": shown, **moved}

        return self._answer("time", value, d, t, parse)

    def validate_quantity(self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any) -> Slots:
        return self._answer("quantity", value, d, t, lambda v: _number("quantity", v, d, t))

    def validate_participants(
        self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        return self._answer("participants", value, d, t, lambda v: _number("participants", v, d, t))

    # -- catalogue-defined fields (field_1 … field_8) ---------------------------------------

    def _custom(self, slot: str, value: Any, d: CollectingDispatcher, t: Tracker) -> Slots:
        service = get_service_info(t.get_slot("service_code"))
        field = field_of_slot(service, slot) if service else None
        if field is None or service is None:
            return {slot: None}
        if is_personnummer(field):
            return self._personnummer(slot, field, service, value, d, t)

        turn = self._this_turn(slot, value, t)
        if turn is not None and serves_not_diet(field, turn.text):
            # "kaffe och bullar" to the allergy question: what to serve goes into the
            # order's text, and the allergy question is asked again.
            return {slot: None, **_addition(turn, service, t, d)}

        def parse(text: str) -> Slots:
            changes: Slots = {}
            besides: tuple[ServiceInfo, str] | None = None  # a need said after the answer
            split = code_and_rest(field, text)
            if split is not None:
                # "8810, och det var inte 40 fönster utan 44": the number is the answer;
                # what follows changes another detail, asks for another need ("4520. kan ni
                # putsa fönstren där samtidigt förresten?"), or is a remark ("1450. Ska bli
                # skönt att slippa bussen!") that is no part of it.
                text = split[0]
                rest = Turn(split[1], "inform", 1.0)
                changes = find_corrections(rest, service, local_now(), exclude=(slot,))
                # "4630. men vänta, det ska vara Malmö inte Lund, och vi blir 3 som åker":
                # a word said wrong and its right one, beside the count
                word = _swapped_in_clauses(rest, _free_values(t))
                changes.update({k: v for k, v in word.items() if k != slot and k not in changes})
                if not changes and (other_need := _need_besides(split[1], service, t)):
                    besides = (other_need, split[1])
            filled = {name: t.get_slot(name) for name, _ in defined_slots(service)}
            other = number_for_another(field, text, service, filled)
            if other is not None and not changes:
                # "4410" at the allergy question: the kostnadsställe asked next, said early;
                # taken as that, and this question is asked again.
                label = str(other[1].get("label") or other[1].get("key")).lower()
                d.utter_message(text=taken_as(text.strip(" .!"), label))
                return {slot: None, other[0]: text.strip(" .!")}
            given = number_already_given(field, text, service, filled)
            if given is not None and not changes:
                # "4410" at the allergy question, the kostnadsställe already 6210: no
                # allergy; asked again, and told how to change the kostnadsställe.
                label = str(given[0].get("label") or given[0].get("key")).lower()
                d.utter_message(text=number_not_an_answer(text.strip(" .!"), label, given[1]))
                return {slot: None}
            answer, problem = read_answer(field, text, local_now().date())
            if problem is not None:
                d.utter_message(text=problem)
                return {slot: None}
            if changes:
                d.utter_message(
                    response="utter_changed", changes=describe_changes(changes, service)
                )
                return {slot: answer, **changes, **consistent_description(t, changes)}
            if besides is not None:
                d.utter_message(response="utter_need_queued", name=besides[0].name)
                return {slot: answer, **_queue(t, *besides)}
            return {slot: answer}

        return self._answer(slot, value, d, t, parse)

    def _personnummer(
        self, slot: str, field: dict[str, Any], service: ServiceInfo, value: Any,
        d: CollectingDispatcher, t: Tracker,
    ) -> Slots:  # fmt: skip
        """The answer reaches here only as a placeholder: the channel kept the number
        encrypted (or found it invalid). The slot gets the masked form, never the number."""
        text = str(value or "")
        if CAPTURED in text or MASKED_FORM.match(text.strip()):
            kept = kept_personnummer(t.sender_id, service.code, str(field["key"]))
            if kept is not None and (CAPTURED in text or kept == text.strip()):
                return {slot: kept}
            d.utter_message(text=PERSONNUMMER_LOST)
            return {slot: None}
        if REJECTED in text:
            d.utter_message(text=PERSONNUMMER_INVALID)
            return {slot: None}

        def parse(answer: str) -> Slots:
            skipped, _ = read_answer({**field, "type": "text"}, answer, local_now().date())
            if skipped == SKIP and not field.get("required", True):
                return {slot: SKIP}
            d.utter_message(text=PERSONNUMMER_NEEDED)
            return {slot: None}

        return self._answer(slot, value, d, t, parse)

    def _changed(
        self, name: str, said: str, service: ServiceInfo, d: CollectingDispatcher, t: Tracker
    ) -> Slots | None:
        """The slots after a detail named with a new value, read as that detail's answer
        would be (the same checks and messages); None when nothing changes."""
        result = self._read_named(name, said, service, d, t)
        if result is None or result.get(slot_of(service, name)) in (None, ""):
            return result  # told why; the form asks that detail again
        d.utter_message(response="utter_changed", changes=describe_changes(result, service))
        return {**result, **consistent_description(t, result)}

    def _read_named(
        self, name: str, said: str, service: ServiceInfo, d: CollectingDispatcher, t: Tracker
    ) -> Slots | None:
        """A detail's new value read as its answer would be (told why when it is refused);
        None when the detail has no reader."""
        slot = slot_of(service, name)
        validate = getattr(self, f"validate_{slot}", None)
        if validate is None:
            return None
        # The detail's own question is not the one asked now, so the value is parsed as
        # given (ValidateServiceForm._this_turn is None for it).
        result: Slots = dict(validate(said, d, t, None))
        if result.get(slot) in (None, ""):
            return result
        return with_building(result, t.get_slot("location"), t.latest_message.get("text") or "")

    def _several_changed(
        self, turn: Turn, service: ServiceInfo, d: CollectingDispatcher, t: Tracker
    ) -> Slots | None:
        """Two or more details changed in one message, each in a clause of its own
        ("förlåt, vi blir 14 och tiden ska va 13"); None unless two details are found."""
        named: dict[str, str] = {}
        last: str | None = None
        for clause in _CLAUSES.split(turn.text.strip()):
            if last in ("location", "destination") and _DENIED_PLACE.match(clause.strip()):
                continue  # "de ska till Rådhuset, inte Stadshuset": the old place, denied
            if last in ("location", "destination") and only_place(clause, local_now()):
                # "de ska till Hemtjänsten Söder, förrådet i hus C": the place goes on.
                named[last] = f"{named[last]}, {clause.strip(' .!')}"
                continue
            part = Turn(text=clause, intent=turn.intent, confidence=turn.confidence)
            found = named_value(part, service)
            gapped = _GAPPED.match(clause.strip()) if named and found is None else None
            if gapped is not None:
                # "tiden ska vara kl 11 och platsen Kommunhuset plan 4": the verb of the
                # clause before goes for this one too.
                said = f"{gapped['name']} ska vara {gapped['value']}"
                found = named_value(Turn(said, turn.intent, turn.confidence), service)
            if found is None:
                counted = find_corrections(part, service, local_now(), need_cue=False)
                found = next(((k, v) for k, v in counted.items() if k in _PLAIN_VALUES), None)
            if found is None and (place := place_stated(part, service)) is not None:
                found = ("location", place)  # "… skrivbordet står på Kulturhuset plan 2 och …"
            if found is None and (word := swapped(part, _free_values(t))):
                # "nej inte Göteborg utan Malmö, och kostnadsstället ska vara 5240": the
                # word said wrong and its right one, beside another detail
                found = next(iter(word.items()))
            if found is not None:
                named.setdefault(found[0], found[1])
            last = found[0] if found is not None else None
        if len(named) < 2:
            return None
        result: Slots = {}
        for name, said in named.items():
            result.update(self._read_named(name, said, service, d, t) or {})
        shown = {k: v for k, v in result.items() if v not in (None, "")}
        if shown:
            d.utter_message(response="utter_changed", changes=describe_changes(shown, service))
        # One description in step with every count changed (not one per detail).
        return {**result, **consistent_description(t, shown)}

    # -- the summary ------------------------------------------------------------------------

    def validate_confirmed(self, value: Any, d: CollectingDispatcher, t: Tracker, _: Any) -> Slots:
        service = get_service_info(t.get_slot("service_code"))
        turn = self._this_turn(CONFIRMED, value, t)
        if service is None or turn is None:
            return {CONFIRMED: None}
        again: Slots = {CONFIRMED: None, "confirm_step": None}
        if turn.text == _YES_PAYLOAD:
            return {CONFIRMED: "yes", "confirm_step": None}
        if turn.text == _NO_PAYLOAD:
            return {CONFIRMED: None, "confirm_step": CHANGING}
        if turn.text.startswith("/"):
            return again
        more = _yes_and_another(turn, service, t)
        if more is not None:
            # "ja. och så behöver jag tågbiljett dit också": confirmed, and the other need
            # is taken next with what this order already says.
            d.utter_message(response="utter_need_queued_after", name=more[0].name)
            return {CONFIRMED: "yes", "confirm_step": None, **_queue(t, more[0], more[1])}
        unsure = _yes_and_unsure_need(turn, service)
        if unsure is not None:
            # "ja det stämmer. sen vill vi ha nån som gör rent i salen efter maten också":
            # confirmed, and the need that names no service surely is kept and asked about
            # (it was lost: the yes stood alone).
            d.utter_message(response="utter_open_need_later", words=unsure)
            return {CONFIRMED: "yes", "confirm_step": None, **_queue_open(t, unsure)}
        split = _change_then_need(turn)
        if split is not None and (other := other_service(split[1], service, t)) is not None:
            # "Nästan, vi blir 18 och inte 15. Och så vill vi ha kaffe och bullar till mötet
            # också.": the change is made, and the other need is taken after this order.
            changed = self._summary_said(split[0], service, d, t, again)
            d.utter_message(response="utter_need_queued", name=other.name)
            return {**changed, **_queue(t, other, split[1].text)}
        return self._summary_said(turn, service, d, t, again)

    def _summary_said(
        self, turn: Turn, service: ServiceInfo, d: CollectingDispatcher, t: Tracker, again: Slots
    ) -> Slots:
        """What a message at the summary says other than a plain yes or no: another need,
        changes, a question, or something to add."""
        if MORE_NEED.search(turn.low) and not _CHANGE_SAID.search(turn.low):
            # "kan ni ordna fika också? vi räknar med 40 besökare kl 14": another need,
            # with its own details (the 40 are the fika's, not this order's count).
            other = other_service(turn, service, t)
            if other is not None:
                d.utter_message(response="utter_need_queued", name=other.name)
                return {**again, **_queue(t, other, turn.text)}
        several = self._several_changed(turn, service, d, t)
        if several is not None:
            return {**again, **several}
        named = named_value(turn, service)
        if named is None and t.get_slot("confirm_step") == CHANGING:
            # "destination Rådhuset" as the answer to "Vad vill du ändra?", when what
            # follows the name is a value of it ("tiden räcker inte till" is none).
            named = named_then_value(turn, service)
            if named is not None:
                read = self._read_named(*named, service, CollectingDispatcher(), t)
                if not read or read.get(slot_of(service, named[0])) in (None, ""):
                    named = None
        if named is not None:
            changed = self._changed(*named, service, d, t)
            if changed is not None:
                return {**again, **changed}
        texts = _text_values(t, service)
        changes = (
            _option_changed(turn, service, t)
            or number_swapped(turn, service, _slot_values(t))
            or restated(turn, texts)
            or respelled(turn, texts)
            or relative_moment(turn, service, _moment(t), local_now())
            or relative_count(turn, service, _counts(t))
            or find_corrections(turn, service, local_now(), need_cue=False)
        )
        if changes and not set(changes) & _PLAIN_VALUES:
            # "nej förresten, den ska levereras till rummet. och vi blir 22": a count, a
            # day or a time said in another clause changes beside it.
            changes = {**_plain_in_clauses(turn, service), **changes}
        # "nej vi är 3 som åker, och det är Malmö inte Göteborg": a word said wrong is
        # changed beside the count.
        word = _swapped_in_clauses(turn, {**_free_values(t), **_text_fields(t, service)})
        if changes:
            word = {k: v for k, v in word.items() if k in ("location", "destination")}
        # "fel rum, det är 321 inte 312" at "Kommunhuset plan 3, rum 312": the number swapped
        # in the place ("… rum 321") says more than the bare new value ("321").
        kept = {
            k: v for k, v in word.items()
            if k in changes and _BARE_NUMBER.fullmatch(str(changes[k]).strip())
            and str(changes[k]).strip() in str(v)
        }  # fmt: skip
        changes = {**word, **changes, **kept}
        changes = which_place(
            with_building(changes, t.get_slot("location"), turn.text), _free_values(t), service
        )
        # "nej, tre kort: Lisa Holm, Ahmed Ali och Peter Ek": the count and the names.
        changes = {**changes, **listed_names(turn, service, texts)}
        if changes:
            d.utter_message(response="utter_changed", changes=describe_changes(changes, service))
            return {**again, **changes, **consistent_description(t, changes)}
        fields = named_fields(turn, service)
        if fields:
            # "datumet", "datum och antal": each asked again, then the summary
            return {**again, **{slot_of(service, f): None for f in fields}}
        answer = confirmation(turn.text)
        if answer is True:
            return {CONFIRMED: "yes", "confirm_step": None}
        if answer is False:
            return {CONFIRMED: None, "confirm_step": CHANGING}
        other = other_service(turn, service, t)
        if other is not None:
            d.utter_message(response="utter_need_queued", name=other.name)
            return {**again, **_queue(t, other, turn.text)}
        contact = _contact_asked(turn, service, t, d)
        if contact is not None:
            return {**again, **contact}
        if answer_digression(turn, service, d, t):
            return again
        return {**again, **_addition(turn, service, t, d)}


# A short answer, then the rest after a full stop or a comma ("28 st. och förlåt, …").
_ANSWER_HEAD = re.compile(r"^(?P<answer>[^.,!?]{1,40}?)\s*[.,!]\s+(?=\S)")
_NO_ANSWER_HEAD = re.compile(
    r"(?:oj|åh|ah|aj|nej|nä|nope|förlåt|sorry|ursäkta|vänta|hoppsan|oops|hmm|ja|jo|okej|ok|"
    r"fel \w+)(?:\s+(?:då|du|nu))?"
)


# Where a sentence or a clause that may ask for more begins: after ".", "!" or "?", or after
# a comma before "och så", "och även", "och dessutom", "plus", "samt".
_NEED_CLAUSE = re.compile(
    r"(?<=[.!?])\s+(?=\S)|,\s*(?=(?:och (?:så|även|dessutom|också)|plus|samt)\b)|"
    # "nej vi blir 12, och vi vill ha fika också"
    r",?\s+(?=och (?:vi|jag) (?:vill|behöver|skulle (?:vilja|behöva)|önskar)\b)",
    re.IGNORECASE,
)


def _change_then_need(turn: Turn) -> tuple[Turn, Turn] | None:
    """(the change, the need) when a message at the summary changes something and then, in
    a sentence of its own, asks for something more ("Nästan, vi blir 18 och inte 15. Och så
    vill vi ha kaffe och bullar till mötet också.")."""
    text = turn.text.strip()
    # Sentences, and clauses that add something ("nej, det är 34 fönster, och så vill vi ha
    # en extra städning av läsesalen samma dag").
    cuts = [m.start() for m in _NEED_CLAUSE.finditer(text)]
    for k in cuts:
        before, after = text[:k].rstrip(" ,;"), text[k:].strip(" ,;")
        low_after = after.lower()
        if not (MORE_NEED.search(low_after) and need_cue(low_after)):
            continue
        if _CHANGE_SAID.search(before.lower()) is None and not re.search(r"\d", before):
            return None  # nothing changed before it: the need is read with the whole message
        return (
            Turn(before, turn.intent, turn.confidence),
            Turn(after, turn.intent, turn.confidence),
        )
    return None


#: What the deliverer reads in the ticket when the person asked to be called first.
CALL_FIRST_NOTE = "Kontakta beställaren innan ni kommer."


def _contact_asked(
    turn: Turn, service: ServiceInfo, t: Tracker, d: CollectingDispatcher
) -> Slots | None:
    """A wish that the deliverer get in touch first, or a question how to reach them
    (:data:`nlu.interpret.DELIVERER_CONTACT`), asked mid-form: who delivers is said, and a
    wish to be called first goes into the order's note ("Övrigt"), so that it reaches the
    deliverer with the ticket; None when the turn is no such thing."""
    if not DELIVERER_CONTACT.search(turn.low):
        return None
    if not CALL_FIRST.search(turn.low):
        d.utter_message(
            response="utter_digression_contact", name=service.name, performer=service.performer
        )
        return {}
    current = str(t.get_slot("note") or "").strip()
    d.utter_message(response="utter_digression_call_first", performer=service.performer)
    if CALL_FIRST_NOTE in current:
        return {}
    return {"note": f"{_one_stop(current)} {CALL_FIRST_NOTE}" if current else CALL_FIRST_NOTE}


def _one_stop(text: str) -> str:
    """``text`` ending in one full stop, or its own "!"/"?" ("… kvar." stays "… kvar.",
    not "… kvar.."), before an addition is joined to it."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


# A room or house number said alone ("321", "2.14", "12B"): a part of a place, not a place.
_BARE_NUMBER = re.compile(r"\d{1,4}(?:[.:-]\d{1,3})?[A-Za-z]?")


# "nej vi är 3 som åker, och det är Malmö inte Göteborg": each clause may swap a word.
# ("det är Lund, inte Malmö, och vi kommer hem på tisdag": ", inte" stays in its clause)
_SWAP_CLAUSES = re.compile(
    # ("nej, det ska vara Malmö, inte Lund. och vi blir tre": sentences are clauses too)
    r",(?!\s*(?:inte|ej)\b)\s*(?:och\s+|men\s+)?|\s+(?:och|men)\s+(?=det\b)|[.!?]\s+"
)


# A clause that names a detail and its new value without a verb, after one that had it
# ("… och platsen Kommunhuset plan 4").
_GAPPED = re.compile(r"^(?:och |men |samt )?(?P<name>[a-zåäö]+)\s+(?P<value>\S.*)$", re.IGNORECASE)


def _plain_in_clauses(turn: Turn, service: ServiceInfo) -> dict[str, str]:
    """The counts, days and times that the clauses of a message say on their own ("och vi
    blir 22"), when the message has more than one clause."""
    clauses = [c for c in _CLAUSES.split(re.sub(r"[.!?]\s+", ", ", turn.text.strip())) if c]
    found: dict[str, str] = {}
    if len(clauses) < 2:
        return found
    for clause in clauses:
        part = Turn(text=clause, intent=turn.intent, confidence=turn.confidence)
        for key, value in find_corrections(part, service, local_now(), need_cue=False).items():
            if key in _PLAIN_VALUES:
                found.setdefault(key, value)
    return found


def _swapped_in_clauses(turn: Turn, values: dict[str, Any]) -> dict[str, str]:
    """A word said wrong and its right one, in the message or in one of its clauses."""
    return swapped(turn, values) or _swapped_in_a_clause(turn, values)


def _swapped_in_a_clause(turn: Turn, values: dict[str, Any]) -> dict[str, str]:
    """A word said wrong and its right one in one clause of a message that says more
    ("vi blir 3 personer och det är Uppsala inte Stockholm": Uppsala, not the whole)."""
    for clause in _SWAP_CLAUSES.split(turn.text):
        if clause.strip() and clause.strip() != turn.text.strip():
            found = swapped(Turn(clause.strip(), turn.intent, turn.confidence), values)
            if found:
                return found
    return {}


def _place_swapped_beside(
    turn: Turn, t: Tracker, slot: str, taken: dict[str, Any]
) -> dict[str, str]:
    """The place (or destination) said wrong and its right one in a clause of ``turn`` that
    changes beside other details (``taken``), when it is not the question asked."""
    word = _swapped_in_a_clause(turn, _free_values(t))
    return {
        k: v for k, v in word.items()
        if k in ("location", "destination") and k != slot and k not in taken
    }  # fmt: skip


# "det ligger krossat glas i sandlådan, kan nån ta hand om det?": a question that asks
# someone to deal with what was just said makes it a need.
_ASKS_FOR_IT = re.compile(
    r",\s*(?:och |men )?(?:kan|skulle|kunde) (?:ni|nån|någon) (?:\w+ ){0,3}"
    r"(?:det|dom|dem|den|de|dessa)\b"
)


def _needs_in_parts(
    turn: Turn, current: ServiceInfo, t: Tracker, slot: str | None = None
) -> list[tuple[ServiceInfo, str]] | None:
    """The services the parts of a message said mid-form clearly ask for, besides the
    current order and what is already queued, when the message as a whole names none
    (several needs said at once, or a list under a greeting); else None. Asked for a
    description, only parts that ask for something or report a fault in words are needs:
    "dagrummet efter julfesten, golv och bord" describes the cleaning ordered."""
    if len(turn.text.split()) < 6 or has_correction_cue(turn):
        return None
    from actions.matching import _the_one_need, needs_with_parts

    whole = snapshot().interpreter.interpret(turn.text)
    if whole.outcome == "match":
        return None  # one clear service: :func:`other_service` answers for it
    found = needs_with_parts(turn.text, whole)
    if not found and (one := _the_one_need(turn.text, whole)) is not None:
        found = [(one[0], one[1] or turn.text)]
    queued = set(t.get_slot("queued_services") or [])
    found = [(s, p) for s, p in found if s.code != current.code and s.code not in queued]
    if slot == "description":
        found = [(s, p) for s, p in found if need_cue(p.lower())]
    # "Hej från städet på Ekbackens skola!": the place the message names goes with each
    # need that says none of its own, not the current order's place.
    place = extract_details(turn.text, ["location"], local_now()).get("location")
    if place and place != t.get_slot("location"):
        now = local_now()
        found = [
            (s, p if extract_details(p, ["location"], now) else f"{p} på {place}") for s, p in found
        ]
    return found or None


def _need_besides(words: str, current: ServiceInfo, t: Tracker) -> ServiceInfo | None:
    """The other service ``words`` said after an answer clearly ask for, not queued yet."""
    reading = snapshot().interpreter.interpret(words)
    other = other_service(Turn(words, reading.intent, reading.confidence), current, t)
    if other is None or other.code in (t.get_slot("queued_services") or []):
        return None
    return other


def _queue(t: Tracker, other: ServiceInfo, words: str) -> Slots:
    """The queue slots with ``other`` added after the needs already waiting, with the words
    that asked for it."""
    return _queue_all(t, [(other, words)])


def _queue_all(t: Tracker, needs: Sequence[tuple[ServiceInfo, str]]) -> Slots:
    """The queue slots with each of ``needs`` (a service and the words that asked for it)
    added, in turn, after the needs already waiting. An order already waiting is not
    queued twice: the later words, said about it on purpose, become its words ("ja, och
    förresten har vi tre gamla skåp som ska bort" when the furniture pick-up waits); a
    second fault to the same service gets a key of its own ("FAS-01#2")."""
    queued = [str(c) for c in (t.get_slot("queued_services") or [])]
    parts = t.get_slot("queued_parts")
    parts = dict(parts) if isinstance(parts, dict) else {}
    for service, words in needs:
        key = queue_key(service.code, queued) if service.kind == "fault" else service.code
        if key not in queued:
            queued.append(key)
        parts[key] = words
    return {"queued_services": queued, "queued_parts": parts}


def _queue_open(t: Tracker, words: str) -> Slots:
    """The queue slots with a need whose service is still to be chosen added last."""
    queued = list(t.get_slot("queued_services") or [])
    key = f"{OPEN}{sum(str(c).startswith(OPEN) for c in queued) + 1}"
    parts = t.get_slot("queued_parts")
    parts = {**(parts if isinstance(parts, dict) else {}), key: words}
    return {"queued_services": [*queued, key], "queued_parts": parts}


# Words that change this order ("nej, …", "ändra …", "ska vara …"); "vi blir 30" alone may
# be the count of another need said with it ("kan ni ordna fika också? vi blir 30").
_CHANGE_SAID = re.compile(
    r"^(?:nej|nä|fel)\b|\b(?:ändra|ändring|ska vara|ska va|skulle vara|i ?stället|"
    r"inte \d+|menade|rättare sagt|rättelse)\b"
)
# "vi blir 14 och tiden ska va 13": clauses that may each change a detail.
# Lines are clauses too: "deltagare: 12" and "kostnadsställe: 4415" on lines of their own.
_CLAUSES = re.compile(r"\s*(?:[,;\n]|\boch\b)\s*")
# Details whose value a clause states without naming them ("vi blir 14", "på fredag").
_PLAIN_VALUES = frozenset({"participants", "quantity", "date", "time"})


# A yes at the summary with more said after it ("ja tack. en sak till, …").
# "ja", "ja stämmer", "japp, det ser bra ut. tack": the yes, however many words it takes.
_YES_WORD = (
    r"(?:ja|jo|japp|jepp|jajamen|yes|absolut|precis|okej|ok|perfekt|toppen|tack|bra|"
    r"(?:det )?(?:stämmer|ser bra ut|blir bra|är rätt|är bra))"
)
_YES_THEN = re.compile(
    rf"^{_YES_WORD}(?:[\s,.!;:–-]+{_YES_WORD})*\s*[,.!;:–-]?\s+(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL,
)
# What introduces another need after the yes.
_ANOTHER = re.compile(
    r"\b(?:en sak till|och så|också|även|dessutom|förresten|en till|till det|sen vill|"
    r"sen behöver|(?:sen|sedan) (?:ska|skall|måste|skulle)|nästa|samtidigt|passa på)\b|"
    r"\b(?:beställa|beställ|boka|felanmäl\w*|behöver|vill ha)\b|"
    r"^(?:och|plus|samt)\b"  # "ja, och lunch till samma gäng kl 12"
)
_MIN_REST = 8
# What is to be done with a thing ("… ska ett paket med bud till Solgården").
_TO_DO = re.compile(r"\b(?:ska|skall|måste)\b")
# "det ska vara onsdag", "tiden ska …": a detail changed, not a thing to be done.
_CHANGES = re.compile(r"^(?:det|den|de|dom|vi|jag|tiden|datumet|dagen|platsen|antalet)\b")
# How sure a need said after an answer to another question must be of its service: the
# answer was asked for, the need was not ("på torsdag. btw hur lång tid tar det …" is no
# HR errand, "dessutom, kan ni ta med extra mjölk?" no extra cleaning).
_BESIDES_ANSWER_SURE = 0.7
# Words before more that answer nothing ("ok. förresten, …").
_NO_ANSWER = frozenset(
    {"ok", "okej", "ja", "jo", "nej", "nä", "tack", "bra", "hej", "hejsan", "aha", "jaha"}
    | {"jaså", "precis", "absolut", "visst"}
)
# How sure the other need after a yes must be of its service: alone, or with a word
# for a need or a fault.
_ANOTHER_SURE = 0.55
_ANOTHER_SURE_CUED = 0.45


def _more_after_yes(turn: Turn) -> str | None:
    """The words after a yes at the summary when they ask for something or report a fault
    ("ja. sen har vi tre gamla bokhyllor vi vill bli av med", "ser bra ut. sen är lampan
    utanför entrén trasig"); None for a plain yes or too little after it."""
    match = _YES_THEN.match(turn.text.strip())
    if match is None:
        return None
    rest = str(match["rest"]).strip()
    if len(rest) < _MIN_REST or not (_ANOTHER.search(rest.lower()) or need_cue(rest.lower())):
        return None
    return rest


def _yes_and_another(
    turn: Turn, service: ServiceInfo, t: Tracker
) -> tuple[ServiceInfo, str] | None:
    """(another service, its words) when a yes at the summary goes on to ask for another
    catalogue service; None otherwise (a plain yes, or more about this order)."""
    rest = _more_after_yes(turn)
    if rest is None:
        return None
    other = another_need(rest, service)
    if other is None and (said := _with_thing(rest, t, service)) is not None:
        # "ja. kan ni skicka nån som monterar det också …": "det" is this order's thing.
        rest = said
        other = another_need(rest, service)
    return (other, rest) if other is not None else None


def _yes_and_unsure_need(turn: Turn, service: ServiceInfo) -> str | None:
    """The words of a need said after a yes at the summary ("ja. sen vill vi ha nån som gör
    rent i salen efter maten också") that name no service surely but could be one other
    than this order's; None otherwise."""
    rest = _more_after_yes(turn)
    if rest is None:
        return None
    reading = snapshot().interpreter.interpret(rest)
    others = [m for m in reading.services[:3] if m.code != service.code]
    return rest if others and others[0].score >= OPEN_LEAST else None


# "… monterar det", "… hämtar dom": a pronoun that stands for the thing ordered.
_IT = re.compile(r"(?<=\w )(?:det|den|dem|dom|dessa)\b(?! (?:är|var|blir|har|kan|ska)\b)")


def _with_thing(rest: str, t: Tracker, service: ServiceInfo) -> str | None:
    """``rest`` with its first pronoun put as the word for the thing this order is for
    ("skrivbord" of "ett höj och sänkbart skrivbord"), or None when it has no pronoun or
    the order's first message names none of the service's own words."""
    found = _IT.search(rest)
    first = t.get_slot("first_request")
    if found is None or not isinstance(first, str):
        return None
    own = set(terms(" ".join([service.name, *service.keywords])))
    for word in re.findall(r"[a-zåäö]{4,}", first.lower()):
        if word_terms(word) & own:
            return f"{rest[: found.start()]}{word}{rest[found.end() :]}"
    return None


def another_need(
    rest: str, service: ServiceInfo, *, least: float | None = None
) -> ServiceInfo | None:
    """The catalogue service other than ``service`` that words said besides an answer or a
    yes ask for clearly (at least ``least`` sure, when given), or None."""
    snap = snapshot()
    # The whole rest, or its first part ("sen är lampan ovanför entrén trasig också, så det
    # är kolsvart": the lamp is the need, the rest says why).
    first = re.split(r",|\bså (?:det|att|vi|jag)\b", rest)[0].strip()
    if not without_lead(first):
        first = rest  # "förresten, en stol …": the lead word alone says nothing
    for words in dict.fromkeys([rest, first] if len(first) >= _MIN_REST else [rest]):
        result = snap.interpreter.interpret(words, None)
        code = of_this_occasion(result, service)
        if result.intent != "request_service" or code is None or code == service.code:
            continue
        # A fault or a need said in so many words ("sen är lampan … trasig också") may
        # name its service less surely than a bare request does.
        needed = least or (_ANOTHER_SURE_CUED if need_cue(words.lower()) else _ANOTHER_SURE)
        if result.outcome == "none" or result.top_score < needed:
            continue
        return snap.services.get(code)
    return None


_ROOM_FILLER = frozenset(["nya", "gamla", "stora", "lilla", "andra", "och"])


def with_room(slots: Slots, room: Any) -> Slots:
    """The building answered to "Var ligger sal A?" with the room the first message named:
    "Kommunhuset, sal A" (not twice when the answer names the room too)."""
    place = slots.get("location")
    if not isinstance(place, str) or not place or not isinstance(room, str) or not room:
        return {}
    said = fold(place.lower())
    heads = [
        w[:5] for w in re.findall(r"[a-zåäö]{3,}", fold(room.lower())) if w not in _ROOM_FILLER
    ]
    if fold(room.lower()) in said or any(h in said for h in heads):
        # "avdelning Vallmon" for "nya avdelningen", "sal B" for "sal A": the answer says
        # which one.
        return {"place_part": None}
    return {"location": f"{place}, {room}", "place_part": None}


def _text_values(t: Tracker, service: ServiceInfo) -> dict[str, Any]:
    """The order's text details so far, the catalogue-defined ones by slot (for a word
    spelled wrong)."""
    values = _free_values(t)
    for slot, defined in defined_slots(service):
        if defined.get("type", "text") == "text":
            values[slot] = t.get_slot(slot)
    return values


def _text_fields(t: Tracker, service: ServiceInfo) -> dict[str, Any]:
    """The order's catalogue-defined text details so far, by slot (for a word said wrong:
    "det ska vara Emma Lundqvist, inte Emma Lund")."""
    return {
        slot: t.get_slot(slot)
        for slot, defined in defined_slots(service)
        if defined.get("type", "text") == "text" and isinstance(t.get_slot(slot), str)
    }


def _free_values(t: Tracker) -> dict[str, Any]:
    """The order's free-text details so far (for a word said wrong)."""
    return {k: t.get_slot(k) for k in ("location", "destination", "description")}


# More about the need said while a place is asked: "åh och toapappret är slut där också".
_MORE_ABOUT_NEED = re.compile(
    r"^(?:(?:åh|oj|och|förresten|just det|ja|jo|men|å)[,!]?\s+)+.*\b(?:också|även|dessutom)\b|"
    # "skriv också att skrivaren bredvid inte skriver ut": an addition said as one.
    r"^(?:(?:åh|oj|och|förresten|just det|ja|jo|men|å)[,!]?\s+)*"
    r"(?:skriv|lägg till|notera|anteckna)(?: också| även| in)? att\b|"
    r"^(?:(?:åh|oj|och|förresten|just det|men|å)[,!]?\s+)*"
    r"glömde (?:att )?(?:säga|nämna|skriva) att\b"
)


_ALSO = re.compile(r"\b(?:också|även|dessutom)\b")


def _adds_to_need(turn: Turn) -> bool:
    """Whether an answer to the place question adds to the need instead."""
    if not _MORE_ABOUT_NEED.search(turn.low):
        return False
    return not extract_details(turn.text, ("location",), local_now()).get("location")


def _option_changed(turn: Turn, service: ServiceInfo, t: Tracker) -> Slots:
    """A choice answered otherwise at the summary ("ändra så att vi hämtar maten i köket
    istället" for Leverans: "Hämtas i köket")."""
    for slot, defined in defined_slots(service):
        if defined.get("type") != "choice":
            continue
        option = said_option(defined, turn.text)
        if option is not None and option != t.get_slot(slot):
            return {slot: option}
    return {}


def _slot_values(t: Tracker) -> dict[str, Any]:
    """The order's counts and time so far (for a number said against another)."""
    return {**_counts(t), "time": t.get_slot("time")}


def _moment(t: Tracker) -> dict[str, Any]:
    """The order's day and time so far (for a change by an amount: "en dag senare")."""
    return {"date": t.get_slot("date"), "time": t.get_slot("time")}


def _counts(t: Tracker) -> dict[str, Any]:
    """The order's counts so far (for a change by an amount)."""
    return {"participants": t.get_slot("participants"), "quantity": t.get_slot("quantity")}


_ADDING_LEAD = re.compile(
    r"^(?:(?:åh|oj|och|förresten|just det|ja|jo|men|å|lägg till att|lägg till|lägga till att|"
    r"glömde säga att|glömde nämna att|glömde att säga att|"
    r"skriv också att|skriv även att|skriv att|notera att|notera också att|en sak till)"
    r"[,:!.]?\s+)+",
    re.IGNORECASE,
)


def _names_things(words: str) -> bool:
    """Whether words said after an answer name at least two things of their own (not only
    when, a count or the words that ask)."""
    things = [
        w for w in tokens(words.lower())
        if is_content(w) and w not in _WHEN_WORDS and not w.isdigit() and not need_cue(w)
    ]  # fmt: skip
    return len(things) >= 2


def _readable(text: str) -> bool:
    """Whether a text has a word of the language in it (not "asdfgh")."""
    known = lemma_set()
    return any(
        w in known or lemma(w) in known or len(split_compound(w, known)) > 1
        for w in tokens(text.lower())
        if len(w) >= 2 and not w.isdigit()
    )


def _said_again(text: str, service: ServiceInfo, t: Tracker) -> str | None:
    """The detail of the order that ``text`` only says again (the place or destination
    typed as it already stands, or words the description already holds), None otherwise."""
    said = _plain_words(text)
    if not said:
        return None
    for field in ("location", "destination"):
        value = str(t.get_slot(field) or "")
        if field in service.order_fields and value and _plain_words(value) == said:
            return value
    description = _plain_words(str(t.get_slot("description") or ""))
    if len(said.split()) >= 2 and f" {said} " in f" {description} ":
        return text.strip(" .!")
    return None


def _plain_words(text: str) -> str:
    """``text`` lower-case, its words only, single-spaced ("Kulturhuset, plan 2." →
    "kulturhuset plan 2")."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def _addition(turn: Turn, service: ServiceInfo, t: Tracker, d: CollectingDispatcher) -> Slots:
    """Something added at the summary goes into the description (or a note), without the
    words that add it ("lägg till att det gäller kassan": "Det gäller kassan")."""
    text = turn.text.strip()
    if not re.search(r"[^\W\d_]", text):
        # "15" adds nothing a person could read: which detail is it?
        d.utter_message(response="utter_number_unclear", value=text)
        return {}
    if len(text) < _MIN_FREE_TEXT:
        return {}
    if not _readable(text):
        # "asdfgh" adds nothing a person could read either
        d.utter_message(response="utter_not_understood_at_summary")
        return {}
    bare = _ADDING_LEAD.sub("", text).strip()
    if len(bare) >= _MIN_FREE_TEXT:
        text = bare[:1].upper() + bare[1:]
    said = _said_again(text, service, t)
    if said is not None:
        # "Kulturhuset plan 2" typed again at the summary where it is already the place:
        # nothing to add (the summary is shown again).
        d.utter_message(response="utter_already_in_order", value=said)
        return {}
    target = "description" if "description" in service.order_fields else "note"
    current = str(t.get_slot(target) or "").strip()
    first = str(t.get_slot("first_request") or "").strip()
    if not current and target == "description" and first and _ALSO.search(turn.low):
        # "åh och toapappret är slut där också" before the description was asked: "också"
        # adds to what the first message said.
        current = first
    combined = f"{_one_stop(current)} {text}" if current else text
    d.utter_message(response="utter_added_to_description")
    return {target: combined[:2000]}


def sla_warning(service: ServiceInfo, day: str | None, clock: str | None) -> str | None:
    """When the wanted moment is sooner than the service promises, the day in Swedish
    ("i dag", "i morgon", "torsdag 3 december 2026"); else None."""
    if not day or service.sla_hours <= 0 or service.kind == "fault":
        return None  # a fault's day is when it happened; the promise runs from the report
    try:
        wanted_day = date.fromisoformat(day)
    except ValueError:
        return None
    now = local_now()
    start = _start_time(clock) or time(23, 59)
    wanted = datetime.combine(wanted_day, start, tzinfo=now.tzinfo)
    if wanted >= now + timedelta(hours=service.sla_hours):
        return None
    if wanted_day == now.date():
        return "i dag"
    if wanted_day == now.date() + timedelta(days=1):
        return "i morgon"
    return format_date(wanted_day.isoformat())


def _custom_validator(slot: str) -> Any:
    def validate(
        self: ValidateServiceForm, value: Any, d: CollectingDispatcher, t: Tracker, _: Any
    ) -> Slots:
        return self._custom(slot, value, d, t)

    validate.__name__ = f"validate_{slot}"
    return validate


for _slot in FIELD_SLOTS:
    setattr(ValidateServiceForm, f"validate_{_slot}", _custom_validator(_slot))
