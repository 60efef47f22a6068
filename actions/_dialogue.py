"""What a turn inside an order means besides an answer: digressions, corrections, additions.

Used by the order form's validation: every turn is interpreted before it is taken as the
answer to the question asked, so a question about the price, a status request, thanks, a
correction of another detail or a new need is handled as such and the form then repeats
its question.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from rapidfuzz import fuzz
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions._desk import ServiceInfo, snapshot
from actions._fields import (
    FULL_NAME,
    NAME_LIST,
    defined_slots,
    field_names,
    field_of_slot,
    is_names_field,
    leading_number,
)
from actions._format import format_detail, format_price, format_sla
from nlu._numbers import number_words, word_to_int
from nlu.details import extract_details, is_place_word, names_building, parse_date, parse_time
from nlu.interpret import CANCEL_LATER, LACKS, STOPPED_DOING, Interpretation
from nlu.text import fold, is_content, tokens
from servicedesk.fields import BUILTIN_LABELS, field_labels

__all__ = [
    "RUN_OUT",
    "Turn",
    "answer_and_more",
    "answer_digression",
    "asks_about_order",
    "find_corrections",
    "has_correction_cue",
    "listed_names",
    "named_field",
    "named_value",
    "number_swapped",
    "open_need_besides",
    "other_service",
    "place_stated",
    "read_turn",
    "respelled",
    "restated",
    "value_first",
    "which_place",
    "with_building",
    "without_lead",
]

_PRICE = re.compile(
    r"\b(vad kostar|kostar (det|den)|vad blir (det|priset)|priset?|kostnad\w*|avgift\w*)\b"
)
# A question about what a cost centre is ("vad är ett kostnadsställe?", "vad menas med
# ansvar?"), not about what it costs.
_WHAT_COST_CENTRE = re.compile(
    r"\b(?:vad (?:är|betyder|menas med|innebär)|var (?:hittar|ser) (?:jag|man)|hur vet jag)"
    r"\s+(?:ett |en |mitt |vårt |vilket |det )?(?:kostnadsst[äa]ll\w*|ansvar(?:snummer|et)?\b)"
)
_PERFORMER = re.compile(
    r"\b(vem|vilka) (levererar|utför|gör|fixar|kommer|sköter|ansvarar)\b|\butförare\b"
)
_SLA = re.compile(
    r"\b(hur (lång tid|snabbt|fort|länge)|när (kommer|blir|är) (det|ni|den)|leveranstid|"
    r"utlovad tid)\b"
)
# Asking when the deliverer can come: "när har ni tid?", "vilka dagar kan ni?".
_WHEN_FREE = re.compile(
    r"\b(?:när (?:har ni|har dom|har de|finns det) (?:tid|plats|lediga tider)|när (?:kan|passar) "
    r"(?:ni|dom|de|det)|vilka (?:dagar|tider) (?:har ni|kan ni|finns|passar)|"
    r"vad har ni för (?:tider|dagar)|när är (?:det|ni) ledig\w*)\b"
)
# Lexical cues that must back the classifier before an answer is taken as a digression,
# so that a place or a description is never mistaken for small talk.
_STATUS = re.compile(
    r"\b(status|ärende\w*|sd[- ]?\d|hur går det|har ni fått|beställning\w* jag gjorde)"
)
# A question about an earlier ticket, whatever the classifier says ("hur går det förresten
# med ärendet jag la förra veckan om den trasiga stolen?"): its words are no new need.
_EARLIER_TICKET = re.compile(
    r"\b(?:hur går det (?:\w+ )?med|vad hände med|har ni (?:\w+ ){0,2}?(?:hunnit|kollat|tittat på)|"
    r"status på)\b.*\b(?:ärende\w*|beställning\w*|felanmälan|anmälan)\b|"
    # "innan jag svarar, hur går det med SD-2026-00417?": a ticket by its number
    r"\b(?:hur går det|vad händer|vad hände|status|har ni)\b.{0,40}\bsd[- ]?\d{4}[- ]?\d{2,}\b|"
    r"\b(?:ärendet|beställningen|felanmälan|anmälan) (?:jag|vi) (?:la|lade|gjorde|skickade|"
    r"skrev|har lagt|har gjort)\b|"
    r"\b(?:min|mitt|vår|vårt) (?:förra|tidigare|gamla|senaste|förrförra) "
    r"(?:ärende|beställning|felanmälan|anmälan|bokning)\b|"
    # "har ni fått min felanmälan om skrivaren förra veckan?"
    r"\b(?:fått|sett|läst|tagit emot|fick ni|kom) (?:min|mitt|vår|vårt|den) "
    r"(?:ärende|beställning|felanmälan|anmälan|bokning)\w*\b|"
    # "har ni kollat på det jag skrev till er förra veckan?", "fick aldrig nåt svar"
    r"\b(?:det|det som|den|saken) (?:jag|vi) (?:skrev|skickade|anmälde|felanmälde|beställde|"
    r"frågade om|mejlade)\b(?! nyss)|"
    r"\b(?:har (?:jag|vi) |jag |vi )?(?:fick|fått) (?:aldrig|inget|inte (?:nåt|något)|ännu inget) "
    r"(?:nåt |något )?svar\b|"
    # "min felanmälan om ventilationen från i måndags"
    r"\b(?:min|mitt|vår|vårt) (?:ärende|beställning|felanmälan|anmälan|bokning)\w*\b.{0,60}"
    r"\b(?:i (?:mån|tis|ons|tors|fre|lör|sön)dags|förra veckan|i går|igår|häromdagen|"
    r"för (?:en|två|tre|ett par) (?:dagar|veckor) sedan)\b"
)
_LIST = re.compile(r"\b(mina ärenden|mina beställningar|lista|visa (mina|alla))")
#: The words a greeting begins with (read as a digression here, skipped before the needs
#: of a first message in :mod:`actions.matching`).
GREETING_WORDS = r"hej|hejsan|hallå|tjena|tja|god (?:morgon|dag|kväll)|morsning"
_GREETING = re.compile(rf"^(?:{GREETING_WORDS})\b")
_THANKS = re.compile(r"\b(tack|tackar|hej då|adjö|vi hörs|det var bara)\b")
_BOT = re.compile(r"\b(bot|robot|människa|maskin|ai|automat\w*|dator|riktig person|chattbot)\b")
_UNSURE = re.compile(
    r"\bvet (jag |vi )?(inte|ej)\b|\bingen aning\b|^oklart\b|^osäker\b|\binte (säker|bestämt)\b"
)
_QUESTION_START = re.compile(
    r"^(vad|vem|vilken|vilket|vilka|hur|när|varför|var finns|kan du|kan ni|får jag|går det)\b"
)
_CORRECTION = re.compile(
    r"\b(förresten|ändra|ändring|ska vara|ska va|skulle vara|innan jag glömmer|i ?stället|"
    r"egentligen|rättelse|"
    r"inte \d+|nej|fel|blir vi|vi blir|vi är|det blir|ska det vara|ska det va|"
    r"ska (?:jag|vi) till|(?:jag|vi) ska (?:åka |resa )?till|förlåt|sorry|ursäkta|oj|"
    r"menade|rättare sagt|stavade|stavat|felstavat|felskrivet|skrev fel|vänta|gör det|"
    r"ojdå|hoppsan|just det)\b"
    # "Malmö, inte Göteborg": a value said against another.
    r"|,\s*(?:inte|ej)\s+[\wåäöÅÄÖ]"
)
_REQUEST_CUE = re.compile(
    r"\b(beställa|beställ|boka|vill ha|behöver (också|även|dessutom)?|felanmäl\w*|"
    r"också|även|dessutom|"
    # "kan ni ta med er de gamla stolarna …?": something else to be done
    r"kan (?:ni|du) (?:\w+ )?(?:ta med|hämta|ordna|fixa|skicka|byta|laga|montera))\b"
)
#: Words people use for each detail when they name the one to change.
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "participants": (
        "antal personer",
        "antalet personer",
        "personer",
        "deltagare",
        "antalet",
        "antal deltagare",
        "antalet deltagare",
        "deltagarna",
        "resenärer",
        "antal resenärer",
        "antalet resenärer",
        "gäster",
        "antal gäster",
        "antalet gäster",
    ),
    "quantity": ("antal", "antalet", "stycken", "mängd", "mängden"),
    "date": ("datum", "datumet", "dag", "dagen", "utresa", "utresan"),
    "time": ("tid", "tiden", "klockslag", "klockslaget", "tidpunkt"),
    "location": (
        "plats",
        "platsen",
        "adress",
        "adressen",
        "rum",
        "rummet",
        "lokal",
        "lokalen",
        "stället",
        "var det är",
        "var det ska vara",
    ),
    "destination": (
        "destination",
        "destinationen",
        "resmål",
        "resmålet",
        "vart",
        "dit",
        "mottagare",
        "mottagaren",
        "vart det ska",
        "vart det ska gå",
        "vart den ska",
        "vart de ska",
        "vart dom ska",
    ),
    "return_date": ("hemresa", "hemresan", "hemresedatum", "returdatum", "hemfärd"),
    "description": ("beskrivning", "beskrivningen", "texten"),
}
# A place corrected without naming the detail: "fel ställe – hämtningen ska vara på
# Fritidsgården Stjärnan", "bilen tar jag från Hamngatan 3 istället".
_PLACE_CUE = re.compile(
    r"\bfel (?:ställe|plats|adress|lokal|rum|rummet|byggnad|skola|förskola|hus|avdelning|"
    r"våning|sal|boende)\b|\bi ?stället\b|"
    # "platsen blev fel, de ska sitta i Medborgarhuset"
    r"\b(?:platsen|stället|adressen|lokalen|rummet) (?:blev|var|är) fel\b|"
    r"\bska (?:vara|va|ske|göras|hämtas|levereras) (?:på|i|vid|från)\b|"
    # "mötet är flyttat till Stora salen i Kommunhuset": the meeting itself moved
    r"\b(?:mötet|träffen|utbildningen|eventet|evenemanget|festen|kursen|det) "
    r"(?:är|har|har blivit|blir|ska) (?:flyttat|flyttad|flyttats|flyttas|flytta) "
    r"(?:till|in i|in på)\b"
)
# "det gäller Bibliotek Öster, inte Väster": the place as restated, a proper name.
_PLACE_RESTATED = re.compile(
    r"^(?:nej,?\s*|nä,?\s*|förlåt,?\s*)*(?:det gäller|gäller det|det är|det var)\s+"
    # "det är i Stadshuset": the place after its preposition
    r"(?:(?:i|på|vid|hos)\s+(?=[A-ZÅÄÖ]))?"
    r"(?P<place>[A-ZÅÄÖ0-9][\wåäöÅÄÖ .'-]*?[\wåäöÅÄÖ])\s*(?:,?\s+inte\s+.+)?[.!]?$"
)
# "skrivbordet står på Kulturhuset Forum plan 2": a thing where it is, by the place's name.
_STANDS_AT = re.compile(
    r"\b(?:står|finns|sitter|ligger|hänger)\s+(?:på|i|vid|hos|inne på|uppe på)\s+"
    r"(?P<place>[A-ZÅÄÖ][^,;.!?]*?)\s*(?:,|\boch\b|[.!?]|$)"
)
_SPAN = re.compile(
    rf"\bom (?:{number_words(1, 6)}|\d{{1,2}}) (?:dag|dagar|vecka|veckor|månad|månader)\b"
)
_COUNT_OF_THINGS = re.compile(r"^\d+\s+[a-zåäö]")
_NO_THEN_PLACE = re.compile(
    r"^(?:nej|nä|nope|fel)[,!.:]?\s+(?:det är |det ska vara |i |på |vid )?"
    r"(?P<place>[A-ZÅÄÖ][\wåäöÅÄÖ-]+(?:\s+[\wåäöÅÄÖ-]+)*,?\s+(?:hus|plan|rum|sal|avd\.?|"
    r"avdelning|våning|ingång|entré)\s+[\wåäöÅÄÖ0-9]+)[.!]?$"
)
_VALUE_AFTER = re.compile(
    r"^(?:nej,?\s*)?(?:(?:och|men)\s+)?(?P<name>[a-zåäö ]+?)\s*"
    r"(?:är|blir|ska vara|:)\s+(?P<value>.+)$"
)


@dataclass
class Turn:
    """A person's message inside an order, as the form reads it."""

    text: str
    intent: str
    confidence: float
    low: str = field(init=False)

    def __post_init__(self) -> None:
        self.low = " ".join(self.text.lower().split()).strip(" .!")

    @property
    def is_question(self) -> bool:
        """Whether the message asks something rather than answers."""
        return self.text.rstrip().endswith("?") or bool(_QUESTION_START.match(self.low))


def read_turn(tracker: Tracker) -> Turn:
    """The latest message with the intent the interpretation step gave it."""
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    return Turn(
        text=str(message.get("text") or ""),
        intent=str(intent.get("name") or ""),
        confidence=float(intent.get("confidence") or 0.0),
    )


# A question that states a need of one's own is an answer to "Beskriv kort vad det gäller"
# ("vi vill köpa in nya lekredskap till förskolan, finns det avtal?").
_OWN_NEED = re.compile(r"\b(?:vi|jag) (?:vill|behöver|ska|skulle|har|önskar|måste|funderar)\b")


def answer_digression(
    turn: Turn, service: ServiceInfo, dispatcher: CollectingDispatcher, tracker: Tracker,
    *, free_text: bool = False,
) -> bool:  # fmt: skip
    """Answer a turn that is not an answer (question, status, thanks, …); True if it was one.

    With ``free_text`` (a description is asked), a question that states the person's own
    need is the answer, unless it asks about price, deliverer or time.
    """
    from actions.tickets import report_list, report_status  # import cycle: tickets -> _desk

    name = service.name
    if turn.is_question or turn.intent in ("help",):
        if _WHAT_COST_CENTRE.search(turn.low):
            # "vad är ett kostnadsställe? jag är ny": what the detail asked for is.
            dispatcher.utter_message(response="utter_digression_cost_centre")
            return True
        if CANCEL_LATER.search(turn.low):
            dispatcher.utter_message(response="utter_digression_cancel_later", name=name)
            return True
        if _PRICE.search(turn.low) or _PERFORMER.search(turn.low) or _SLA.search(turn.low):
            # "vad kostar en taxi?" while a room is booked: about the service it names.
            service = _asked_about(turn, service)
            name = service.name
        if _PRICE.search(turn.low):
            price = format_price(service)
            if service.price_sek == 0 and price.startswith("ingår"):
                # "ingår i avtal": not "kostar ingår i avtal"
                dispatcher.utter_message(
                    response="utter_digression_price_included", name=name, price=price
                )
                return True
            dispatcher.utter_message(response="utter_digression_price", name=name, price=price)
            return True
        if _PERFORMER.search(turn.low):
            dispatcher.utter_message(
                response="utter_digression_performer", name=name, performer=service.performer
            )
            return True
        if _SLA.search(turn.low):
            dispatcher.utter_message(
                response="utter_digression_sla", name=name, sla=format_sla(service.sla_hours)
            )
            return True
        if _WHEN_FREE.search(turn.low):
            # "när har ni tid? vi är flexibla": the desk cannot see the deliverer's diary;
            # the person says the day that suits, and the deliverer confirms it.
            dispatcher.utter_message(
                response="utter_digression_when_free", name=name, performer=service.performer,
                sla=format_sla(service.sla_hours),
            )  # fmt: skip
            return True
    if (turn.intent == "ticket_status" and _STATUS.search(turn.low)) or _EARLIER_TICKET.search(
        turn.low
    ):
        report_status(dispatcher, tracker)
        return True
    if turn.intent == "list_tickets" and _LIST.search(turn.low):
        report_list(dispatcher, tracker)
        return True
    if turn.intent == "greet" and _GREETING.match(turn.low) and len(turn.low.split()) <= 3:
        dispatcher.utter_message(response="utter_digression_greet", name=name)
        return True
    if turn.intent in ("thank", "goodbye") and _THANKS.search(turn.low):
        dispatcher.utter_message(response="utter_digression_thank", name=name)
        return True
    if turn.intent == "bot_challenge" and _BOT.search(turn.low):
        dispatcher.utter_message(response="utter_iamabot")
        return True
    own_need = _OWN_NEED.search(turn.low) and not _UNSURE.search(turn.low)
    if free_text and own_need and len(turn.low.split()) >= 5:
        return False
    if turn.intent == "help" or (turn.is_question and turn.intent != "inform"):
        dispatcher.utter_message(response="utter_digression_help", name=name)
        return True
    if _UNSURE.search(turn.low) and len(turn.low.split()) <= 8:
        dispatcher.utter_message(response="utter_digression_unsure")
        return True
    return False


def _asked_about(turn: Turn, current: ServiceInfo) -> ServiceInfo:
    """The service a question about price, deliverer or time names clearly ("vem levererar
    fikat?" while a room is booked), else the current one ("vad kostar det?")."""
    # Only the sentence that asks: "Hur lång tid tar det innan den kommer? Skrivaren är
    # helt slut." asks about the order (toner), the printer is why.
    asking = [
        sentence for sentence in re.split(r"(?<=[.!?])\s+", turn.low)
        if any(asked.search(sentence) for asked in (_PRICE, _PERFORMER, _SLA))
    ]  # fmt: skip
    rest = " ".join(asking) or turn.low
    for asked in (_PRICE, _PERFORMER, _SLA):
        rest = asked.sub(" ", rest)
    if not any(is_content(w) for w in tokens(rest)):
        return current  # "hur lång tid tar det?": nothing named but the order itself
    snap = snapshot()
    reading = snap.interpreter.interpret(rest)
    if reading.outcome != "match" or reading.service in (None, current.code):
        return current
    if reading.top_score < _ASKED_ABOUT_SCORE:
        return current
    if any(m.code == current.code and m.score >= _ASKED_ABOUT_OWN for m in reading.services[:3]):
        # "vem levererar maten?" while food for a meeting is ordered: the order's own
        # thing, though the word reads a little better as a meal fault
        return current
    return snap.services.get(reading.service or "", current)


#: A question names another service this surely to be answered about it.
_ASKED_ABOUT_SCORE = 0.55
#: ... unless the current order is among its three best at this score or more: the
#: question's thing is the order's own too.
_ASKED_ABOUT_OWN = 0.45


# What comes before a detail's name: "nej, jag vill ändra på …".
_NAMED_PREFIX = re.compile(r"^(nej,?\s*)?(jag vill |vill )?(ändra|byta|rätta)?\s*(på )?")


def named_field(turn: Turn, service: ServiceInfo) -> str | None:
    """The detail a message names without a value ("ändra datumet", "antal personer")."""
    words = _NAMED_PREFIX.sub("", turn.low).strip(" ,.!")
    labels = field_labels(service.fields)
    for f in service.order_fields:
        names = {*FIELD_WORDS.get(f, ()), labels.get(f, f).lower()}
        if words in names:
            return f
    if words and len(words.split()) <= 2:
        # a catalogue-defined detail in another form ("kostnadsstället" for "Kostnadsställe")
        return _field_for_name(words, service)
    return None


def named_fields(turn: Turn, service: ServiceInfo) -> list[str]:
    """The details a message names without values: one ("ändra datumet") or several
    ("datum och antal", "tiden, platsen"), each a detail of the service; else empty."""
    one = named_field(turn, service)
    if one is not None:
        return [one]
    words = _NAMED_PREFIX.sub("", turn.low).strip(" ,.!")
    pieces = [p for p in re.split(r"\s*(?:,|\boch\b|\bsamt\b|&|\+)\s*", words) if p.strip()]
    if len(pieces) < 2:
        return []
    found: list[str] = []
    for piece in pieces:
        field_name = named_field(Turn(piece, turn.intent, turn.confidence), service)
        if field_name is None:
            return []
        if field_name not in found:
            found.append(field_name)
    return found


# "ändra tiden till 13", "namnet ska vara Lena Berg, inte Lena Borg", "datumet ska vara
# fredag istället", "antalet är 5": a detail named with its new value.
_NAMED_VALUE = re.compile(
    r"^(?:(?:nej|nä|vänta|förlåt|oj|sorry|ursäkta|och|men|förresten|just det|"
    r"innan jag glömmer|en sak till|apropå det|för övrigt|btw|åh|ah|rättelse|"
    r"korrigering|ändring|fel av mig|hoppsan|oops)[,!.:]?\s+)*"
    r"(?:(?:jag|vi) (?:vill|skulle vilja) |kan (?:du|ni) |snälla |du kan )?"
    r"(?:(?P<verb>ändra på|ändra|byt ut|byt|byta|rätta|sätt|flytta)\s+)?"
    r"(?P<name>[a-zåäö][a-zåäö ]{1,40}?)"
    r"(?:\s+(?P<link>till|ska vara|skall vara|ska va|skulle vara|skulle va|ska bli|ska stå|är|"
    r"blir)\s*:?|\s*:)"
    r"\s+(?P<value>.+?)"
    r"(?:\s*,?\s*(?:och )?(?:inte|ej|i ?stället för)\s+.+?)?\s*(?:i ?stället)?[.!]?$"
)


#: A detail's name misspelt ("kostnadställe") is still its name: words this long, this alike
#: (rapidfuzz ratio) to one of the detail's names.
_FIELD_TYPO_MIN_LENGTH = 7
_FIELD_TYPO_RATIO = 88.0

# What follows a detail's name when it is no value ("tiden till mötet räcker inte", "platsen
# är fel"): read by the other rules.
# ("datum och tid: onsdag kl 13" names two details: the other rules read it)
_VALUE_LINK = re.compile(
    r"^,?\s*(?:(?:det|den|de|dom)\s+)?(?:ska|skall|skulle)\s+(?:vara|va|bli)\s+(?=\S)|"
    r"^,?\s*(?:det|den)\s+(?:är|blir)\s+(?=\S)",
    re.IGNORECASE,
)
_LINK_FIRST = re.compile(
    r"(?:till|ska|skall|är|blir|var|blev|fel|inte|och|samt|eller|plus)\b|[,&+]", re.IGNORECASE
)


def named_then_value(turn: Turn, service: ServiceInfo) -> tuple[str, str] | None:
    """(detail, new value) for a detail's name (one or two words) followed by its value and
    nothing else, as the answer to "Vad vill du ändra?" ("destination Rådhuset", "antal 9",
    "plats: rum 214"); None when the message does not begin with one of the service's
    details."""
    said = re.sub(r"^(?:nej|nä)[,!.]?\s+", "", turn.text.strip(), flags=re.IGNORECASE)
    words = said.split()
    if not 2 <= len(words) <= 8:
        return None
    for size in (1, 2):
        if len(words) <= size:
            break
        name = " ".join(words[:size]).lower().rstrip(":")
        # "kostnadsstället, det ska va 3140": the value after its link
        value = _VALUE_LINK.sub("", " ".join(words[size:]).strip(" ,.!"))
        if not value or _LINK_FIRST.match(value) or ":" in value:
            continue
        field_name = _field_for_name(name, service)
        if field_name is not None and field_name != "description":
            return field_name, value
    return None


def _field_for_name(name: str, service: ServiceInfo) -> str | None:
    """The service's detail that ``name`` names: a word for it, its Swedish label or the
    label's first word in any form ("namnet" for "Namn på kortinnehavare")."""
    name = " ".join(name.split())
    name = re.sub(r"^(?:på |om )", "", name)
    labels = field_labels(service.fields)
    for f in service.order_fields:
        label = labels.get(f, f).lower()
        if name in {*FIELD_WORDS.get(f, ()), label, f.lower()}:
            return f
    fields = service.order_fields
    if name in FIELD_WORDS["quantity"] and "quantity" not in fields and "participants" in fields:
        return "participants"  # "antal" where the count is of people (a room's, a meal's)
    first = name.split()[0]
    defined = {str(d.get("key")): d for d in service.fields}
    if " " not in name and len(name) >= _FIELD_TYPO_MIN_LENGTH:
        # "kostnadställe", "destinatonen": a detail's name misspelt by a letter or two
        for f in service.order_fields:
            names = {*FIELD_WORDS.get(f, ()), labels.get(f, f).lower(), f.lower()}
            names |= set(field_names(defined.get(f, {})))
            if any(fuzz.ratio(name, n) >= _FIELD_TYPO_RATIO for n in names if " " not in n):
                return f
    for f in service.order_fields:
        if f in FIELD_WORDS:
            continue  # the built-ins are named by their words above
        # The label's first word, and the other names the field goes by (its longer label
        # words, a word its question gives in brackets: "fel ansvar" for "Kostnadsställe").
        heads = [re.split(r"[ ,(/]", labels.get(f, f).lower())[0]]
        heads += [n for n in field_names(defined.get(f, {})) if " " not in n]
        for head in heads:
            if len(head) >= 4 and first.startswith(head) and len(first) - len(head) <= 3:
                return f  # "namnet (på kortinnehavaren)" for "Namn på kortinnehavare"
    return None


def has_correction_cue(turn: Turn) -> bool:
    """Whether the message says it changes something ("nej", "förresten", "ska vara", …)."""
    return bool(_CORRECTION.search(turn.low))


# An afterthought inside a clause: "ska förresten vara" is "ska vara".
_INNER_AFTERTHOUGHT = re.compile(
    r"\b(ska|skall|skulle|är|blir)\s+(?:förresten|egentligen|också|faktiskt)\s+(?=\S)",
    re.IGNORECASE,
)


def named_value(turn: Turn, service: ServiceInfo) -> tuple[str, str] | None:
    """(detail, new value) when the message names a detail with its new value."""
    if _INNER_AFTERTHOUGHT.search(turn.text):
        # "kostnadsstället ska förresten vara 6610" is "kostnadsstället ska vara 6610"
        turn = Turn(_INNER_AFTERTHOUGHT.sub(r"\1 ", turn.text), turn.intent, turn.confidence)
    said = turn.text.strip()
    wrong = (
        _WRONG_FIELD.match(said)
        or _FIELD_WAS_WRONG.match(said)
        or _WRONG_THEN_VALUE.match(said)
        or _WRONG_NOT_BUT.match(said)
    )
    if wrong is None and (named := _WRONG_NAMED.match(said)) is not None:
        # "fel ansvar, jag kastade om siffrorna. 4183 ska det vara": the detail said to be
        # wrong, why, then its value in a sentence of its own.
        last = re.split(r"(?<=[.!?;])\s+", named["rest"].strip())[-1]
        later = _LATER_VALUE.match(last) or _LATER_VALUE_FIRST.match(last)
        if later is not None:
            wrong = _WRONG_FIELD.match(f"fel {named['name']}, det ska vara {later['value']}")
    if wrong is not None:
        field_name = _field_for_name(wrong["name"].lower(), service)
        if field_name == "location" or re.search(r"\b(?:inte|ej)\b", wrong["value"]):
            return None  # a place, or "Storgatan 14 inte 12": the place rules and swaps read it
        said_value = wrong["value"].strip()
        if wrong.re is _WRONG_THEN_VALUE:
            # "fel ansvar, jag skrev fel. 4401 ska det vara": the value is in the sentence
            # that "ska det vara" ends.
            said_value = re.split(r"(?<=[.!?])\s+", said_value)[-1]
        value = _value_only(said_value)
        return (field_name, value) if field_name and value else None
    delivered = _DELIVERED_TO.match(said)
    if delivered is not None:
        # "nej, leveransen ska till Stadsbiblioteket plan 2, inte kulturhuset": where it
        # goes, when the service asks that; else the place.
        place = next((f for f in ("destination", "location") if f in service.order_fields), None)
        value = re.sub(r"\s+i ?stället$", "", delivered["value"].strip(" ,.!"), flags=re.I)
        if not names_building(value):
            return None  # "det ska till avdelning Linden, inte Björken": part of the place
        return (place, value) if place and value else None
    match = _NAMED_VALUE.match(turn.text.strip().lower())
    if not match:
        bare = _NAME_NUMBER.match(turn.low)
        field_name = _field_for_name(bare["name"], service) if bare else None
        if bare is None or field_name in (None, "location", "destination", "description"):
            return None  # a place with a number ("rum 214") is read by the place rules
        return (field_name, bare["value"].strip())
    name = match.group("name").strip()
    field_name = _field_for_name(name, service)
    if field_name is None:
        return None
    if match.group("link") == "till" and not match.group("verb"):
        return None  # "tiden till mötet räcker inte": "till" changes only after "ändra"
    start, end = match.span("value")
    said = re.split(r"[.!?]\s", turn.text.strip()[start:end])[0]  # "… matsalen. festen blev …"
    value = _AFTERTHOUGHT.sub("", said).strip(" ,.!")
    if _says_wrong(value):
        return None  # "rummet är fel, det är 216 inte 214": says what is wrong, not the value
    return (field_name, value) if value else None


# "leveransen ska till Stadsbiblioteket plan 2, inte kulturhuset", "det ska levereras till
# hus C i stället": where what is ordered goes.
_DELIVERED_TO = re.compile(
    r"^(?:(?:nej|nä|vänta|förlåt|oj|rättelse|förresten|just det|och|men)[,!.:]?\s+)*"
    r"(?:leveransen|det|de|dom|allt|alltihop|paketet|grejerna|sakerna|maten|fikat|lunchen|"
    r"möblerna|stolarna|varorna)\s+(?:ska|skall|måste)\s+"
    r"(?:levereras\s+|skickas\s+|köras\s+|komma\s+|bäras\s+)?till\s+(?P<value>.+?)"
    r"(?:\s*,?\s*(?:och )?(?:inte|ej|i ?stället för)\s+.+?)?\s*(?:i ?stället)?[.!]?$",
    re.IGNORECASE,
)

# "kostnadsställe 6130", "och antal 36": a detail's name and a number right after it.
_NAME_NUMBER = re.compile(
    r"^(?:(?:nej|nä|vänta|förlåt|oj|sorry|och|men|förresten|samt|rättelse|korrigering)"
    r"[,!.]?\s+)*"
    r"(?:(?:ändra|byt|rätta)\s+(?:på\s+)?)?"
    r"(?P<name>[a-zåäö][a-zåäö ]{1,30}?)\s*:?\s+(?P<value>\d[\d :./-]{0,15}?)"
    # "kostnadsställe 4131, jag skrev fel": an apology after the value is no part of it
    r"(?:\s*[,.!;]\s*(?:(?:jag|ja)\s+(?:skrev|sa|tog|angav|råkade\s+skriva)\s+fel|"
    r"(?:det\s+)?blev\s+fel|förlåt|sorry|mitt\s+fel|oj)\b.*)?\s*[.!]?$"
)


def _says_wrong(value: str) -> bool:
    """Whether what follows a detail's name says it is wrong ("rummet är fel, …") rather
    than giving its value."""
    wrong = re.match(r"(?:(?:blev|blir|var|är)\s+)?(?:fel|felaktig|inte rätt)\b", value.lower())
    return wrong is not None


# "fel kostnadsställe, det ska va 7140 för det är IFO som betalar": a detail said to be
# wrong, then its value.
# "oj skrev fel kostnadsställe, …", "jag har angett fel datum, …": who wrote it wrong.
_WROTE = (
    r"(?:(?:jag|vi)\s+)?(?:har\s+)?(?:skrev|skrivit|angav|angett|uppgav|uppgett|fyllde i|"
    r"fyllt i|sa|sagt|gav|gett|valde|valt)\s+"
)
_WRONG_FIELD = re.compile(
    r"^(?:(?:nej|nä|oj|förlåt|sorry|vänta|ursäkta)[,!.]?\s+)*"
    rf"(?:{_WROTE})?fel\s+(?P<name>[a-zåäöA-ZÅÄÖ]{{3,}}"
    r"(?:\s+[a-zåäö]{2,})?)\s*[,.!:;–—-]\s*(?:det\s+)?(?:ska (?:vara|va|bli)|är|blir|gäller|"
    r"rätt är|(?:vi|jag) (?:behöver|vill ha|ska ha|blir|är))\s*:?\s+(?P<value>.+)$",
    re.IGNORECASE,
)
# "fel kostnadsställe, inte 4410 utan 4470": the detail said to be wrong, the value it has
# and the one it should have.
_WRONG_NOT_BUT = re.compile(
    r"^(?:(?:nej|nä|oj|förlåt|sorry|vänta|ursäkta)[,!.]?\s+)*"
    rf"(?:{_WROTE})?fel\s+(?P<name>[a-zåäöA-ZÅÄÖ]{{3,}}(?:\s+[a-zåäö]{{2,}})?)\s*[,.!:;–—-]?\s*"
    r"(?:det\s+(?:ska (?:vara|va)|är)\s+)?(?:inte|ej)\s+[^,.;!?]{1,40}?,?\s+utan\s+(?P<value>.+)$",
    re.IGNORECASE,
)
# "fel kostnadsställe 5521 ska det va": the detail said to be wrong, its value, then the
# words that confirm it.
_WRONG_THEN_VALUE = re.compile(
    rf"^(?:(?:nej|nä|oj|förlåt|sorry|vänta|ursäkta)[,!.]?\s+)*(?:{_WROTE})?fel\s+"
    r"(?P<name>[a-zåäöA-ZÅÄÖ]{3,}(?:\s+[a-zåäö]{2,})?)[,:]?\s+(?P<value>\S+(?:\s+\S+){0,3}?)"
    r",?\s+ska det (?:vara|va|bli)[.!]?$",
    re.IGNORECASE,
)
# "fel ansvar, jag kastade om siffrorna. 4183 ska det vara": the detail said to be wrong
# and what follows, read for the value in its last sentence.
_WRONG_NAMED = re.compile(
    r"^(?:(?:nej|nä|oj|förlåt|sorry|vänta|ursäkta)[,!.]?\s+)*"
    rf"(?:{_WROTE})?fel\s+(?P<name>[a-zåäöA-ZÅÄÖ]{{3,}}(?:\s+[a-zåäö]{{2,}})?)\s*[,.!:;–—-]\s*"
    r"(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL,
)
# That last sentence: "det ska vara 4183", "rätt är 4183" or "4183 ska det vara".
_LATER_VALUE = re.compile(
    r"^(?:det\s+)?(?:ska (?:vara|va|bli)|rätt är|rätt nummer är)\s*:?\s+(?P<value>[^.!?]+)[.!]?$",
    re.IGNORECASE,
)
_LATER_VALUE_FIRST = re.compile(
    r"^(?P<value>\S+(?:\s+\S+){0,3}?),?\s+ska det (?:vara|va|bli)[.!]?$", re.IGNORECASE
)
# Where a value said in words ends: a reason after it ("… för det är IFO som betalar").
_REASON = re.compile(r"\s*(?:,|\bför att\b|\bför det\b|\beftersom\b|\bså\b|\bdå\b).*$")


# "namnen blev fel – det ska va Sara Lindqvist", "kostnadsstället blev fel, jag kastade om
# siffrorna. det ska va 5620".
_FIELD_WAS_WRONG = re.compile(
    r"^(?:(?:nej|nä|oj|ojdå|förlåt|sorry|vänta|ursäkta|förresten)[,!.]?\s+)*"
    r"(?P<name>[a-zåäö]{3,}(?:\s+[a-zåäö]{2,})?)\s+(?:blev|är|var|har blivit)\s+fel\b.*?"
    r"\b(?:det\s+)?(?:ska (?:vara|va|bli)|skulle (?:vara|va)|rätt är|ska det vara)\s*:?\s+"
    r"(?P<value>.+)$",
    re.IGNORECASE,
)


# "det är 30 fönster inte 24", "föreläsningen börjar 10, inte 9": a number said against
# the one the order has.
_NUMBER_NOT = re.compile(
    r"\b(?P<new>\d{1,4}(?:[.:]\d{2})?)\s+(?:[a-zåäö]+\s+)?,?\s*(?:och\s+)?"
    r"(?:inte|ej|istället för)\s+(?P<old>\d{1,4}(?:[.:]\d{2})?)\b"
    r"|\b(?P<new2>\d{1,4}(?:[.:]\d{2})?),\s*(?:inte|ej)\s+(?P<old2>\d{1,4}(?:[.:]\d{2})?)\b"
    # "30 var fel, det är 36 fönster": the wrong number first, then the right one.
    r"|\b(?P<old3>\d{1,4}(?:[.:]\d{2})?)\s+(?:[a-zåäö]+\s+)?(?:var|är|blev)\s+fel\b"
    r"[^\d]{0,40}?(?P<new3>\d{1,4}(?:[.:]\d{2})?)\b"
    # "nej inte 12 utan 15": the wrong number first, "utan" before the right one.
    r"|\b(?:inte|ej)\s+(?P<old4>\d{1,4}(?:[.:]\d{2})?)\s+(?:[a-zåäö]+\s+)?,?\s*utan\s+"
    r"(?P<new4>\d{1,4}(?:[.:]\d{2})?)\b"
)
_NAMED_WRONG = re.compile(
    r"\bfel\s+(?P<a>[a-zåäö]{3,})\b|"
    r"\b(?!det\b|den\b|allt\b|jag\b)(?P<b>[a-zåäö]{3,})\s+(?:blev|var|är)\s+fel\b"
)


def number_swapped(turn: Turn, service: ServiceInfo, values: dict[str, Any]) -> dict[str, str]:
    """A number said against the one a detail has: "det är 30 fönster inte 24" changes the
    count that is 24; "det var fel tid – föreläsningen börjar 10, inte 9" changes the time
    that is 09:00. Empty when no detail has the wrong number."""
    match = _NUMBER_NOT.search(turn.low)
    if match is None:
        return {}
    new = match["new"] or match["new2"] or match["new3"] or match["new4"]
    old = match["old"] or match["old2"] or match["old3"] or match["old4"]
    named = _NAMED_WRONG.search(turn.low)
    field_name = _field_for_name(named["a"] or named["b"], service) if named else None
    if field_name == "time":
        clock, wrong = parse_time(f"kl {new}"), parse_time(f"kl {old}")
        had = str(values.get("time") or "")
        if clock and wrong and clock.valid and wrong.valid and had.startswith(wrong.as_text()):
            return {"time": clock.as_text()}
    for count in ("quantity", "participants"):
        if count in service.order_fields and str(values.get(count) or "") == old and new.isdigit():
            return {count: new}
    return {}


def _value_only(said: str) -> str:
    """The value at the start of ``said``: a number alone, else the words before a reason."""
    return leading_number(said) or _REASON.sub("", said.strip()).strip(" .!")


# ", jag stavade fel", ", sorry": what follows the new value is not part of it.
_AFTERTHOUGHT = re.compile(
    r"\s*[,;-]\s*(?:jag|vi|det|sorry|förlåt|tack|oj|hade|blev|skrev)\b.*$"
    # ", festen blir där i stället": a clause that says why, not part of the value
    r"|\s*,\s*[a-zåäö]+\s+(?:blir|är|ska|var|hålls|kommer|flyttas|flyttar)\b.*$",
    re.IGNORECASE,
)
# "Stadshuset, sal B ska det vara", "Malmö ska jag till, inte Lund": the value first.
_VALUE_FIRST = re.compile(
    r"^(?:(?:nej|nä|vänta|förlåt|oj|ojdå|oj då|hoppsan|ursäkta|sorry|oj fel|fel)[,!.]?\s+)*"
    r"(?:det är\s+|det var\s+)?"
    r"(?P<value>.+?),?\s+"
    r"(?P<link>ska det (?:vara|va|stå|bli)|gäller det|ska (?:jag|vi) till|(?:jag|vi) ska "
    r"(?:åka |resa )?till|är rätt)\b"
)


# Words that own up to a slip before a value said again ("äh förlåt, 24", "nej vänta, …").
_OWNING_UP = re.compile(
    r"^(?:(?:äh|ähh|eh|öh|asså|alltså|nej|nä|förlåt|oj|oops|sorry|vänta|ursäkta|ok|okej|ja|"
    r"just det|fel av mig)[,!.]?\s+)+",
    re.IGNORECASE,
)


def value_first(turn: Turn, service: ServiceInfo) -> dict[str, str]:
    """A place or destination said first and confirmed after ("Stadshuset, sal B ska det
    vara", "Malmö ska jag till, inte Lund")."""
    match = _VALUE_FIRST.match(turn.text.strip())
    if not match:
        return {}
    # "fel ansvar, jag kastade om siffrorna. 4183 ska det vara": the value is in the last
    # sentence only.
    value = re.split(r"[.!?]\s+", match.group("value"))[-1].strip(" ,.!")
    # "äh förlåt, 24 ska det va": the words that own up to a slip are not the value
    value = _OWNING_UP.sub("", value).strip(" ,.!")
    if len(value) < 2 or re.fullmatch(r"[\d\s.:,-]+", value) or len(value.split()) > 6:
        return {}
    if not (value[0].isupper() or any(c.isdigit() for c in value)):
        return {}  # a place is a name or has a number; "maten ska det vara" is no place
    if parse_time(value) is not None:
        return {}  # "kl 11 ska det vara", "tiden, kl 11 ska det vara": a time, no place
    if (counted := re.match(r"\d+\s+([a-zåäö]+)", value.lower())) and not is_place_word(counted[1]):
        return {}  # "4 datorer ska det vara, inte 3": a count with its thing, no place
    if match.group("link").endswith("till") and "destination" in service.order_fields:
        return {"destination": value}
    if "location" in service.order_fields and "destination" not in service.order_fields:
        return {"location": value}
    return {}


# "vi blir tre fler", "två personer till", "lägg till 5 st", "vi blir två färre".
_RELATIVE = re.compile(
    r"\b(?:(?:vi|det) blir|blir vi|vi är|vi kommer|lägg till|plus)?\s*"
    r"(?P<n>\d{1,4}|[a-zåäö]+)\s+(?:(?P<unit>personer|person|pers|st|stycken|deltagare|"
    r"kollegor|kolleger|medarbetare|gäster|elever|barn)\s+)?"
    r"(?P<dir>fler|till|extra|mer|färre|mindre)\b"
)


# "det blir bara jag", "bara vi två": the whole company, said in words.
_ONLY_US = re.compile(
    r"\b(?:det blir|blir det|vi blir|blir vi|vi är|åker|reser|kommer)\s+"
    r"(?:nog\s+|bara\s+|endast\s+|enbart\s+)+(?:jag(?! och)(?:\s+själv)?|mig|"
    rf"vi (?P<n>\d{{1,2}}|{number_words(2, 10)}))\b"
)


# "lägg till 4 fönster i personalrummet också", "lägg till tre personer": an amount added.
_ADD_COUNT = re.compile(
    r"\b(?:lägg till|lägga till|plussa på|ta med)\s+(?P<n>\d{1,4}|[a-zåäö]+)\s+[a-zåäö]{3,}"
)


def relative_count(turn: Turn, service: ServiceInfo, old: dict[str, Any]) -> dict[str, str]:
    """A count changed by an amount ("vänta, vi blir tre fler" with 12 people: 15), for the
    service's count detail that already has a value; empty otherwise."""
    field_name = next((f for f in ("participants", "quantity") if f in service.order_fields), None)
    if field_name is None:
        return {}
    try:
        current = int(str(old.get(field_name) or ""))
    except ValueError:
        return {}
    alone = _ONLY_US.search(turn.low) if field_name == "participants" else None
    if alone is not None:
        # "vänta, det blir bara jag, kollegan kan inte följa med": one person.
        said = alone["n"]
        count = 1 if said is None else int(said) if said.isdigit() else word_to_int(said)
        return {field_name: str(count)} if count and count != current else {}
    if added := _ADD_COUNT.search(turn.low):
        amount = int(added["n"]) if added["n"].isdigit() else word_to_int(added["n"])
        if amount and amount > 0:
            return {field_name: str(current + amount)}
    for m in _RELATIVE.finditer(turn.low):
        amount = int(m["n"]) if m["n"].isdigit() else word_to_int(m["n"])
        if amount is None or amount <= 0:
            continue
        cue = m["unit"] or re.search(r"\b(?:blir|lägg till|plus|är)\b", turn.low)
        ends = re.match(
            r"\s*(?:[,.!?]|$|då\b|också\b|alltså\b|förresten\b|ändå\b|tack\b|"
            r"(?:ska|kommer|följer) med\b)",
            turn.low[m.end() :],
        )
        if m["dir"] in ("till", "mer") and not (cue and ends):
            continue  # "två till mötet", "3 till ett möte": not an amount added
        if m["dir"] == "extra" and m["n"] in ("en", "ett") and not ends:
            continue  # "och så vill vi ha en extra städning": a thing, not one more
        changed = current - amount if m["dir"] in ("färre", "mindre") else current + amount
        return {field_name: str(changed)} if changed > 0 else {}
    return {}


# "en dag senare", "två timmar tidigare", "en halvtimme senare", "dagen efter": a day or a
# time moved by an amount.
_MOVED = re.compile(
    r"\b(?:(?P<n>\d{1,2}|" + number_words(1, 6) + r"|någon|nån)\s+)?"
    r"(?P<unit>dag|dagar|vecka|veckor|timme|timmar|halvtimme|halvtimma|kvart|minuter)\s+"
    r"(?P<dir>senare|tidigare|efter|före|innan)\b"
    r"|\b(?P<whole>dagen|veckan)\s+(?P<wdir>efter|före|innan)\b"
)
# "hem en dag senare", "tillbaka två dagar efter": the way home, not the order's day moved.
_MOVED_ELSE = re.compile(r"\b(?:hem|hemresa|hemresan|tillbaka|retur|åter)\b")
_MINUTES = {"timme": 60, "timmar": 60, "halvtimme": 30, "halvtimma": 30, "kvart": 15, "minuter": 1}


def relative_moment(
    turn: Turn, service: ServiceInfo, old: dict[str, Any], now: datetime
) -> dict[str, str]:
    """The order's day or time moved by an amount ("nej, ta det en dag senare" on Wednesday
    9 December: Thursday 10 December; "en halvtimme tidigare" at 13:00: 12:30), for a detail
    that already has a value and not into the past; empty otherwise."""
    m = _MOVED.search(turn.low)
    if m is None or _MOVED_ELSE.search(turn.low):
        return {}
    later = (m["dir"] or m["wdir"]) in ("senare", "efter")
    if m["whole"]:
        unit, amount = ("dag" if m["whole"] == "dagen" else "vecka"), 1
    else:
        unit = m["unit"]
        said = m["n"]
        if said is None:
            amount = (
                1 if unit in ("dag", "vecka", "timme", "halvtimme", "halvtimma", "kvart") else 0
            )
        elif said.isdigit():
            amount = int(said)
        else:
            amount = word_to_int(said) or (1 if said in ("någon", "nån") else 0)
        if not amount:
            return {}
    sign = 1 if later else -1
    if unit in ("dag", "dagar", "vecka", "veckor"):
        day = str(old.get("date") or "")
        if "date" not in service.order_fields or not day:
            return {}
        try:
            current = date.fromisoformat(day)
        except ValueError:
            return {}
        days = amount * (7 if unit.startswith("veck") else 1)
        moved_to = current + timedelta(days=sign * days)
        return {"date": moved_to.isoformat()} if moved_to >= now.date() else {}
    clock = str(old.get("time") or "")
    if "time" not in service.order_fields or not re.fullmatch(
        r"\d{1,2}:\d{2}(?:-\d{1,2}:\d{2})?", clock
    ):
        return {}
    minutes = sign * amount * _MINUTES[unit]

    def moved(hhmm: str) -> str | None:
        hours, mins = (int(x) for x in hhmm.split(":"))
        total = hours * 60 + mins + minutes
        return f"{total // 60:02d}:{total % 60:02d}" if 0 <= total < 24 * 60 else None

    times = [moved(x) for x in clock.split("-")]
    if any(x is None for x in times) or (
        str(old.get("date") or "") == now.date().isoformat()
        and str(times[0]) <= now.strftime("%H:%M")
    ):
        return {}
    return {"time": "-".join(x for x in times if x)}


# "det är matsalen, inte aulan", "Storgatan 14 inte 12", "inte Göteborg utan Malmö".
_SWAP = re.compile(
    r"^(?:(?:nej|nä|förlåt|oj|sorry|förresten|(?:men |och )?vänta|(?:och|men)(?= det\b)|"
    # "Förresten skrev jag fel förskola – det gäller …": who wrote which detail wrong
    r"(?:(?:jag |vi )?(?:skrev|skrivit|angav|angett) (?:jag |vi )?)?fel \w+|"
    r"(?:jag |vi )?(?:har )?(?:skrev|skrivit|angav|angett) fel|"
    r"\w+ (?:är|var|blev) fel|(?:jag )?(?:menade|menar))\s*[,!.–—-]?\s+)*"
    r"(?:(?:det|den|de|dom|platsen|adressen) (?:är|var|ska vara på|ska vara i|ska va på|"
    r"ska va i|ska vara vid|ska va vid|ska vara|ska va|gäller|ska till|"
    r"ska levereras till|ska skickas till)\s+)?"
    # ("det var inte plan 2 utan plan 3" is the next kind: "utan" says which is new)
    r"(?P<new>[^,.!?]+?),?\s+(?:och\s+)?(?:inte|ej)\s+(?P<old>(?:(?!\butan\b)[^,.!?])+?)[.!]?$"
    # ("… utan bäckdalsskolan, jag blandade ihop dom": a remark may follow)
    r"|\binte\s+(?P<old2>[^,.!?]+?),?\s+utan\s+(?P<new2>[^,.!?]+?)(?:[.!]?$|[.!,]\s)"
    # "inte Malmö, Lund": the denied value first, the new one after a comma
    r"|^(?:nej,?\s+)?(?:inte|ej)\s+(?P<old3>[^,.!?]+?),\s*(?P<new3>[^,.!?]+?)[.!]?$",
    re.IGNORECASE,
)
# "Malmö ska jag till, inte Lund": the words that link the value are not part of it.
_SWAP_LINK = re.compile(
    r"\s+(?:ska det (?:vara|va|stå|bli)|ska (?:jag|vi) till|(?:jag|vi) ska (?:åka |resa )?till|"
    # "det är Parkgatan 5 vi flyttar till, inte Parkgatan 3"
    r"(?:jag|vi|de|dom) (?:flyttar|åker|reser|ska flytta|ska åka|ska resa) till|"
    r"gäller det|är rätt)$",
    re.IGNORECASE,
)
#: How alike a word said spelled right must be to the word it replaces (rapidfuzz ratio).
_RESPELL_MIN = 70.0
#: The details a swapped word may be in, in order.
_SWAPPABLE = ("location", "destination", "description")


def swapped(turn: Turn, values: dict[str, Any]) -> dict[str, str]:
    """A word of a detail said wrong and its right one ("det är matsalen, inte aulan" with
    the place "aulan på Björkskolan": "matsalen på Björkskolan"); empty when the wrong word
    is in none of the order's free-text details."""
    text = turn.text.strip()
    # The whole message, else its last sentence that says which ("jag skrev fel ställe.
    # det är Norrgårdens äldreboende, inte Solhaga").
    tried = (text, *reversed(re.split(r"(?<=[.!?])\s+", text)[1:]))
    match = next((found for said in tried if (found := _SWAP.search(said))), None)
    if match is None:
        return {}
    new = _SWAP_LINK.sub("", (match["new"] or match["new2"] or match["new3"] or "").strip()).strip()
    wrong = (match["old"] or match["old2"] or match["old3"] or "").strip()
    # "det ska inte vara Stadshuset utan Kulturhuset": the verb before the denied value
    wrong = re.sub(r"^(?:vara|va|bli|ligga|ske)\s+", "", wrong, flags=re.IGNORECASE)
    if not re.match(r"(?:i|på|vid|till)\s", wrong, re.IGNORECASE):
        # "det är i sal B, inte sal A", "det ska vara till Myrans förskola, inte Vikens"
        new = re.sub(r"^(?:i|på|vid|till)\s+", "", new, flags=re.IGNORECASE)
    else:
        # "det ska inte till lönnskolan utan bäckdalsskolan": the place is "lönnskolan";
        # "inte i Stadshuset utan i Kulturhuset": the places are the names
        wrong = re.sub(r"^(?:i|på|vid|till)\s+", "", wrong, flags=re.IGNORECASE)
        new = re.sub(r"^(?:i|på|vid|till)\s+", "", new, flags=re.IGNORECASE)
    if not new or not wrong or len(wrong) > 60 or new.lower() == wrong.lower():
        return {}
    if wrong.isdigit() and _COUNT_OF_THINGS.match(new):
        return {}  # "det ska vara 4 stolar, inte 3": a count, not the 3 of "Parkvägen 3"
    head = new.split()
    # "Storgatan 14 inte 12": the wrong one is "Storgatan 12".
    candidates = [f"{' '.join(head[:-1])} {wrong}", wrong] if len(head) > 1 else [wrong]
    # A catalogue-defined text detail ("Namn på kortinnehavare") before the description.
    defined = [k for k in values if k.startswith("field_")]
    for slot in (*_SWAPPABLE[:-1], *defined, _SWAPPABLE[-1]):
        value = values.get(slot)
        if not isinstance(value, str) or not value:
            continue
        for old in candidates:
            # ("inte Ängsbacken" at "Ängsbackens förskola": the name in the genitive)
            found = re.search(rf"(?<!\w){re.escape(old)}s?(?!\w)", value, re.IGNORECASE)
            if found:
                after = value[found.end() :]
                said = _without_repeat(new, after)
                kind = re.match(r"\s+([a-zåäö]+)\b", after.lower())
                last = said.split()[-1].lower() if said.split() else ""
                if (
                    kind and is_place_word(kind[1]) and len(last) >= 4
                    and (is_place_word(last) or kind[1].endswith(last))
                ):  # fmt: skip
                    # "inte Ekebo utan Norrgårdens boende" at "Ekebo äldreboende": the new
                    # name says its kind of place itself.
                    after = after[kind.end() :]
                before = value[: found.start()]
                if before.strip(" ,") and before.strip(" ,").lower() in said.lower():
                    # "det ska va på Kommunhuset plan 4, inte plan 3": the new value says
                    # the building itself.
                    before = ""
                return {slot: f"{before}{said}{after}"}
    return {}


def _without_repeat(new: str, after: str) -> str:
    """``new`` without the words that the detail already says right after the swapped
    word: "lysröret som blinkar hela tiden" before "blinkar hela tiden" is "lysröret"."""
    words, following = new.split(), after.lower().split()
    for size in range(len(words) - 1, 0, -1):
        tail = [w.lower().strip(",.!") for w in words[-size:]]
        if [w.strip(",.!") for w in following[:size]] == tail:
            kept = words[:-size]
            while kept and kept[-1].lower() in ("som", "att", "och", "där"):
                kept.pop()
            return " ".join(kept) if kept else new
    return new


# "kan du ändra så det står Lina Ekström", "det ska stå Lena Lindqvist": the words to put in.
_SHOULD_READ = re.compile(
    r"\b(?:(?:ändra|rätta|fixa|skriv om)(?: det)? så (?:att )?det står|det ska stå|"
    r"det skulle stå|skriv istället|ska det stå)\s*:?\s+(?P<new>[^,.!?;]+)",
    re.IGNORECASE,
)


def restated(turn: Turn, values: dict[str, Any]) -> dict[str, str]:
    """The words a detail should read, put in place of the words they share a word with
    ("kan du ändra så det står Lina Ekström" with the names "Lina Ek": "Lina Ekström");
    empty when no text detail shares a word with them."""
    match = _SHOULD_READ.search(turn.text)
    if match is None:
        return {}
    new = match["new"].strip().split()
    ordered = sorted(values, key=lambda k: (k == "description", k in _SWAPPABLE))
    for slot in ordered:
        value = values.get(slot)
        if not isinstance(value, str) or not value:
            continue
        old = value.split()
        for i, word in enumerate(new):
            for j, other in enumerate(old):
                if len(word) < 3 or word.lower() != other.lower().strip(",.;"):
                    continue
                start, end = j - i, j - i + len(new)
                if start < 0 or end > len(old) + 1:
                    continue
                # "Lina Ek, Ahmed Ali": the comma after the replaced words stays.
                last = old[min(end, len(old)) - 1][-1]
                tail = last if last in ",;" else ""
                replaced = [*old[:start], *new[:-1], new[-1] + tail, *old[end:]]
                changed = " ".join(replaced)
                return {slot: changed} if changed != value else {}
    return {}


def listed_names(turn: Turn, service: ServiceInfo, values: dict[str, Any]) -> dict[str, str]:
    """People's full names said for a service's names field ("nej, tre kort: Lisa Holm,
    Ahmed Ali och Peter Ek"), when they differ from the names the order has; else empty.
    A names field is a catalogue-defined text field whose key or label says "namn"."""
    slot = next((slot for slot, f in defined_slots(service) if is_names_field(f)), None)
    if slot is None:
        return {}
    found = max(NAME_LIST.findall(turn.text), key=len, default="")
    old = str(values.get(slot) or "")
    if not found or found == old:
        return {}
    people, had = re.findall(FULL_NAME, found), re.findall(FULL_NAME, old)
    if len(people) < 2 and not old:
        return {}
    # Only a list that names at least one person the order has, and more people than it.
    if old and not any(n in found for n in had):
        return {}
    return {slot: found} if len(people) > len(had) else {}


# "jag stavade fel, Lindqvist med q ska det va", "det stavas Lindqvist".
_RESPELL = re.compile(r"\b(?:stavade|stavat|stavas|felstavat|felskrivet|skrev fel|stavningen)\b")
_NAME_WORD = re.compile(r"\b[A-ZÅÄÖ][\wåäöÅÄÖ-]{2,}")


def respelled(turn: Turn, values: dict[str, Any]) -> dict[str, str]:
    """A word said spelled right ("oj jag stavade fel, Lindqvist med q ska det va") put in
    place of the nearest differently spelled word of a text detail ("Lena Lindkvist och
    Ahmed Yusuf": "Lena Lindqvist och Ahmed Yusuf"); empty without a spelling cue or when no
    detail has a word near enough."""
    if not _RESPELL.search(turn.low):
        return {}
    best: tuple[float, str, int, int, str] | None = None
    right = re.sub(r"\b(?:inte|ej)\s+\S+", " ", turn.text)  # "inte Eckbacken" is the wrong one
    for said in _NAME_WORD.findall(right):
        for slot, value in values.items():
            if not isinstance(value, str):
                continue
            for word in re.finditer(r"[\wåäöÅÄÖ-]{3,}", value):
                old = word.group(0)
                # "Eckbackens" with "Ekbacken" said: the genitive s stays.
                stem, ending = (old[:-1], "s") if old.endswith("s") else (old, "")
                for form, suffix in ((old, ""), (stem, ending)):
                    if form.lower() == said.lower():
                        break
                    score = fuzz.ratio(form.lower(), said.lower())
                    if score >= _RESPELL_MIN and (best is None or score > best[0]):
                        best = (score, slot, word.start(), word.end(), said + suffix)
    if best is None:
        return {}
    _, slot, start, end, said = best
    old = str(values[slot])[start:end]
    # Every detail that has the misspelled word gets the right one: the names field and
    # the description that repeats the name ("passerkort till Lisa Borg …") stay alike.
    changes = {}
    for key, value in values.items():
        if isinstance(value, str):
            new = re.sub(rf"(?<![\wåäöÅÄÖ-]){re.escape(old)}(?![\wåäöÅÄÖ-])", said, value)
            if new != value:
                changes[key] = new
    return changes


# "fel rum, det är sal B", "förresten, fel förskola, det gäller förskolan Lärkan".
_WRONG_PLACE_THEN = re.compile(
    r"^(?:(?:nej|nä|förresten|oj|vänta|förlåt|sorry)[,!.]?\s+)*fel\s+"
    r"(?:ställe|plats|adress|lokal|rum|rummet|byggnad|skola|förskola|hus|avdelning|våning|"
    r"plan|sal|kök|boende|kontor)[,.!]?\s+(?:det\s+)?(?:ska (?:vara|det vara)|är|gäller|"
    r"var|rätt är)\s+(?:(?:på|i|vid|hos)\s+)?(?P<place>\S.*?)(?:,?\s+(?:inte|ej)\s+[^,]+)?[.!]?$",
    re.IGNORECASE,
)
# A part of a place: "sal B", "rum 214", "avdelning 3", "plan 2".
_PLACE_PART = re.compile(
    r"^(?:(?:i|på)\s+)?(?P<head>sal|salen|rum|rummet|plan|våning|hus|avdelning|avd|korridor|"
    r"entré|ingång|klassrum|[a-zåäö]+(?:gatan|vägen|gränd|torget|allén|stigen|backen|plan))"
    r"\s+(?P<id>[\wåäöÅÄÖ-]{1,20})$",
    re.IGNORECASE,
)


# Only a part of the place was wrong: "fel rum", "fel avdelning", "salen ska vara …".
_PART_WRONG = re.compile(
    r"\bfel (?:rum|rummet|sal|salen|avdelning|våning|plan|hus|korridor|ingång|adress|nummer|"
    r"gatunummer|husnummer)\b|"
    r"\b(?:rummet|salen|avdelningen|våningen|huset) (?:ska vara|är|blir)\b|"
    # "byt till sal 3 istället": the room is changed, in the same building.
    r"\bbyt(?:a)? till\b|\bi ?stället\b|\bhellre\b|\bmenade\b"
)


_WRONG_PART = re.compile(
    r"\bfel (?P<head>rum|sal|avdelning|våning|plan|hus|korridor|ingång)(?:met|en|et)?\b"
)


def with_building(changes: dict[str, Any], old: Any, said: str) -> dict[str, Any]:
    """A changed place that names only a part of the old one, when the message says only
    that part was wrong ("fel rum, det är sal B" after "Stadshuset, sal A"), keeps the rest
    of the old place: "Stadshuset, sal B". "platsen är rum 108" replaces the whole place."""
    new = changes.get("location")
    if not isinstance(new, str) or not isinstance(old, str) or not old.strip():
        return changes
    if not _PART_WRONG.search(said.lower()):
        return changes
    wrong = _WRONG_PART.search(said.lower())
    if wrong is not None and re.fullmatch(r"\d{1,4}[A-Za-z]?", new.strip()):
        # "fel rum, det är 216" at "Rådhuset plan 2, rum 214": the number is the room's.
        new = f"{wrong['head']} {new.strip()}"
    part = _PLACE_PART.match(new.strip())
    if part is None:
        return changes
    head = part["head"].lower().removesuffix("en").removesuffix("met")
    same = re.search(rf"\b{re.escape(head)}\w*\s+[\wåäöÅÄÖ-]{{1,20}}", old, re.IGNORECASE)
    # "det är i sal B, inte sal A": the room in the place's own words, "Kommunhuset sal B".
    bare = re.sub(r"^(?:i|på)\s+", "", new.strip(), flags=re.IGNORECASE)
    if same is None or same.group(0).lower() == bare.lower():
        return changes
    merged = f"{old[: same.start()]}{bare}{old[same.end() :]}"
    return {**changes, "location": merged}


def which_place(
    changes: dict[str, Any], values: dict[str, Any], service: ServiceInfo
) -> dict[str, Any]:
    """A corrected place that is the destination's building, not the place's ("fel våning –
    Kommunhuset plan 4 ska det va" when moving from Vasagatan to Kommunhuset plan 3)
    changes the destination (``values``: the order's place and destination so far)."""
    # "stolarna ska till Tornhuset, inte Medborgarhuset": the place denied last is not
    # part of the new one.
    changes = {
        k: _without_denial(v) if k in ("location", "destination") and isinstance(v, str) else v
        for k, v in changes.items()
    }
    new = changes.get("location")
    if not isinstance(new, str) or "destination" not in service.order_fields:
        return changes
    if changes.get("destination"):
        return changes  # "från Björkskolan till Kommunhuset": both said, each its own
    names = {w.lower() for w in _NAME_WORD.findall(new)}
    to = str(values.get("destination") or "").lower()
    here = str(values.get("location") or "").lower()
    if names and any(n in to for n in names) and not any(n in here for n in names):
        moved = {k: v for k, v in changes.items() if k != "location"}
        return {**moved, "destination": new}
    return changes


_MEANT_PLACE = re.compile(r"\b(?:jag\s+)?menade\s+(?P<place>[^.!?,]+)", re.IGNORECASE)


def place_stated(turn: Turn, service: ServiceInfo) -> str | None:
    """The place a clause states in so many words ("skrivbordet står på Kulturhuset Forum
    plan 2", "platsen är rum 214"), or None."""
    return _stated(turn, service).get("location")


def _stated(turn: Turn, service: ServiceInfo) -> dict[str, str]:
    """A free-text detail stated as "<detail> är <value>" ("platsen är rum 214")."""
    meant = _MEANT_PLACE.search(turn.text)
    if meant and "location" in service.order_fields:
        place = meant["place"].strip()
        if _PLACE_PART.match(place):
            return {"location": place}  # "nej förlåt, jag menade sal 3": with_building merges
    stands = _STANDS_AT.search(turn.text)
    if stands and "location" in service.order_fields and names_building(stands["place"]):
        # "nej jag tänkte fel, skrivbordet står på Kulturhuset Forum plan 2": where the
        # thing is, is where the order is.
        return {"location": stands["place"].strip()}
    wrong = _WRONG_PLACE_THEN.match(turn.text.strip())
    if wrong and "location" in service.order_fields:
        return {"location": wrong.group("place").strip(" ,")}
    restated = _PLACE_RESTATED.match(turn.text.strip())
    if restated and _COUNT_OF_THINGS.match(restated.group("place")):
        restated = None  # "nej, det är 30 fönster" is a count, not a place
    if restated and "location" in service.order_fields:
        return {"location": restated.group("place").strip()}
    # "nej, Västerskolan, hus C": a place said again after "nej".
    again = _NO_THEN_PLACE.match(turn.text.strip())
    only_place = "location" in service.order_fields and "destination" not in service.order_fields
    if again and only_place and len(again.group("place").split()) <= 6:
        return {"location": again.group("place").strip(" .!")}
    match = _VALUE_AFTER.match(turn.low)
    if not match:
        return {}
    name, start = match.group("name").strip(), match.start("value")
    value = turn.text.strip(" .!")[start:] if len(turn.text.strip(" .!")) > start else ""
    if _says_wrong(value):
        return {}  # "rummet är fel, …": what is wrong, not its value
    for f in ("location", "destination", "description"):
        names = {*FIELD_WORDS[f], BUILTIN_LABELS.get(f, f).lower()}
        if f in service.order_fields and name in names and len(value.strip()) >= 2:
            return {f: value.strip()}
    return {}


def _number_named_elsewhere(turn: Turn, service: ServiceInfo, number: str) -> bool:
    """Whether a clause of the turn gives ``number`` as the value of a detail it names that
    is not the count of people ("och kostnadsstället ska vara 5240")."""
    for clause in re.split(r",\s*|\s+och\s+", turn.text):
        named = named_value(Turn(clause.strip(), turn.intent, turn.confidence), service)
        if named is not None and named[0] != "participants" and named[1].strip() == number:
            return True
    return False


#: A bare number at least this large is no count of people.
_MOST_PEOPLE_BARE = 1000
_PEOPLE_AFTER = re.compile(
    r"\s*(?:personer|person|pers|deltagare|gäster|st|stycken|besökare|elever|barn|anställda)\b",
    re.IGNORECASE,
)


def _big_number_bare(text: str, count: Any) -> bool:
    """Whether a count of :data:`_MOST_PEOPLE_BARE` or more is said with no word for people
    after it ("4410", "5120. men vänta …"), so that it is some other number."""
    if count is None or not str(count).isdigit() or int(str(count)) < _MOST_PEOPLE_BARE:
        return False
    found = re.search(rf"(?<!\d){re.escape(str(count))}(?!\d)", text)
    return found is None or _PEOPLE_AFTER.match(text[found.end() :]) is None


# "… och från Medborgarhuset": where a trip or a pickup starts, by its name.
_FROM_NAME = re.compile(r"\bfrån\s+[A-ZÅÄÖ]")

# "från Björkskolan till Kommunhuset": where from and where to, said together.
_FROM_TO = re.compile(r"\bfrån\s+\S.*?\btill\s+\S")


def find_corrections(
    turn: Turn, service: ServiceInfo, now: datetime, *, exclude: tuple[str, ...] = (),
    need_cue: bool = True,
) -> dict[str, str]:  # fmt: skip
    """Details the message changes ("nej, 20 personer", "platsen är rum 214").

    Inside a question, a value for *another* detail counts only with a correction cue
    ("förresten", "ska vara", "nej", …); at the summary (``need_cue=False``) any value does.
    """
    if need_cue and not _CORRECTION.search(turn.low):
        return {}
    turn = _without_negated(turn)
    reason = _MORE_REASON.search(turn.text)
    if reason is not None and re.search(r"\d", turn.text[: reason.start()]):
        # "210 blev det till slut, två klasser till": why the count grew is no count.
        turn = Turn(turn.text[: reason.start()], turn.intent, turn.confidence)
    fields = [f for f in service.order_fields if f not in exclude]
    found = _stated(turn, service) or value_first(turn, service)
    typed = extract_details(turn.text, fields, now, happened=service.kind == "fault")
    if _big_number_bare(turn.text, typed.get("participants")):
        # "4410" alone, "5120. men vänta, …": a number of a thousand or more with no word
        # for people after it is a code typed late, not 4410 people.
        typed.pop("participants")
    if "participants" in typed and _number_named_elsewhere(turn, service, typed["participants"]):
        # "…, och kostnadsstället ska vara 5240": the number is another detail's
        typed.pop("participants")
    if "date" in fields and "date" not in typed and _SPAN.search(turn.low):
        # "då får det bli om en månad": a span is a day when an order's date is changed.
        span = parse_date(turn.low, now)
        if span is not None and not span.in_past and not span.approximate:
            typed["date"] = span.value.isoformat()
    place_cue = bool(_PLACE_CUE.search(turn.low))
    for key, value in typed.items():
        if key == "destination" and _CORRECTION.search(turn.low):
            found.setdefault(key, value)  # "nej, vi flyttar till Rådhuset plan 2"
            continue
        if key == "location" and place_cue:
            found.setdefault(key, value)  # "fel ställe – … på Fritidsgården Stjärnan"
            continue
        if key == "location" and "destination" not in fields and _FROM_NAME.search(turn.text):
            found.setdefault(key, value)  # "kl 9 och från Medborgarhuset": where it starts
            continue
        if key == "location" and "destination" in typed and _FROM_TO.search(turn.low):
            # "nej fel håll, från Björkskolan till Kommunhuset": where from and where to,
            # said again together, change together.
            found.setdefault(key, value)
            continue
        if key in ("location", "destination", "description") and key not in found:
            continue  # a free-text detail is only changed when it is named
        found.setdefault(key, value)
    return {k: v for k, v in found.items() if k in fields}


# ", två klasser till", ", 3 personer till": how many more, said after the new count.
_MORE_REASON = re.compile(
    r",\s*(?:\d{1,3}|en|ett|två|tva|tre|fyra|fem|sex|sju|åtta|atta|nio|tio)\s+"
    r"[a-zåäö]+\s+till\s*[.!]?\s*$",
    re.IGNORECASE,
)


# "det ska inte till Kommunhuset utan till Björkskolan hus C": what is denied before
# "utan" is not the new value.
_NOT_BUT = re.compile(r"\b(?:inte|ej)\s+[^,.;!?]{1,60}?,?\s+utan\s+", re.IGNORECASE)


# "kvart i ett inte kl 1", "20 personer, inte 18": the number denied after the new value.
_NOT_NUMBER = re.compile(
    r",?\s*(?:och\s+)?(?:inte|ej)\s+(?:kl\.?\s*|klockan\s+)?\d{1,4}(?:[.:]\d{2})?\b",
    re.IGNORECASE,
)


# "det är Kommunhuset plan 4 och inte plan 2", "Medborgarhuset, inte Kulturhuset": the
# value denied last, after the new one.
_NOT_LAST = re.compile(r"(?:,\s*|\s+och\s+)(?:och\s+)?(?:inte|ej)\s+[^,.;!?]+[.!]?\s*$")


# "inte torsdag, fredag": the value denied first, the new one after a comma.
_NOT_FIRST = re.compile(r"^(?:nej,?\s+)?(?:inte|ej)\s+[^,.;!?]{1,40},\s*(?=\S)", re.IGNORECASE)


def _without_denial(value: str) -> str:
    """A place without the place denied after it ("Tornhuset, inte Medborgarhuset")."""
    kept = _NOT_LAST.sub("", value).strip(" ,.")
    return kept or value


def _without_negated(turn: Turn) -> Turn:
    """The turn without a denied value ("inte X utan Y" keeps "Y"; "kvart i ett inte kl 1"
    keeps "kvart i ett"; "Kommunhuset plan 4 och inte plan 2" keeps "Kommunhuset plan 4";
    "inte torsdag, fredag" keeps "fredag")."""
    text = _NOT_LAST.sub("", _NOT_NUMBER.sub("", _NOT_BUT.sub("", turn.text)))
    text = _NOT_FIRST.sub("", text)
    return turn if text == turn.text else Turn(text, turn.intent, turn.confidence)


#: A queued need whose service is still to be chosen: ``?N``, its words in ``queued_parts``.
OPEN = "?"


def queue_key(code: str, taken: Collection[str]) -> str:
    """The queue key of a need for service ``code``: the code itself, or "FAS-01#2", "#3", …
    when the keys ``taken`` already hold it (the same service a second time)."""
    key, n = code, 1
    while key in taken:
        n += 1
        key = f"{code}#{n}"
    return key


#: A service is offered for such a need when its words score at least this for it.
OPEN_LEAST = 0.25
# A new request said mid-form as more, not instead: "förresten behöver vi också fika",
# "en sak till, hon behöver en mobil", "just det, vi behöver även städning efteråt".
MORE_NEED = re.compile(
    r"\b(?:också|även|dessutom|en sak till|en grej till|och så|samtidigt|passa på|"
    r"till det|förresten|plus|samt|btw)\b"
)


# Words that begin a need said after an answer, at the start of a sentence or a clause
# ("5310. förresten, en stol …", "rum 214. och så skulle jag behöva en skärm", "ja. sen ska
# fyra skrivbord till återbruk").
# ("5 paket av varje. Sen en annan sak: skrivaren …": another matter, said so)
_LEAD_WORDS = (
    r"förresten|dessutom|en sak till|en grej till|och så|btw|"
    r"(?:(?:sen|sedan|och|plus)\s+)?"
    r"(?:en\s+(?:annan|helt annan)\s+(?:sak|grej)|en\s+till\s+(?:sak|grej))"
)
_MORE_AFTER = re.compile(
    rf"(?:[.!?;,:]\s*|\s)(?P<lead>{_LEAD_WORDS})\b|"
    # "… Och gården behöver ses över": a thing of its own that needs something ("och vi
    # behöver …" is read by the other rules)
    r"[.!?;]\s*(?P<then>(?:sen|sedan|och|plus|samt) "
    r"(?:(?!(?:vi|jag|ni|man|dom|de|du)\b)[\wåäöÅÄÖ-]+ ){0,2}?"
    r"(?:ska|skall|behöver|vill|måste|skulle))\b|"
    # "ankomst onsdag. Och jag behöver en bil ur bilpoolen …": taken only when the words
    # name a service surely (see ``WE_NEED``)
    r"[.!?;]\s*(?P<we>och (?:vi|jag) (?:behöver|vill ha|skulle behöva|måste ha))\b|"
    # "kl 13. Och vi har inget rum än heller, kan ni boka …": a sentence that says it adds
    r"[.!?;]\s*(?P<adds>och (?=(?:[\wåäöÅÄÖ-]+ ){1,6}(?:också|även|heller)\b))|"
    # "2250. Och kan vi få kaffe och bullar till mötet?", "Vallmons förskola. Sen är det nån
    # som har sprayat klotter på förrådet": a sentence that asks for more, or tells of more
    r"[.!?;]\s*(?P<asks>(?:och|sen|sedan|plus) (?:kan|kunde|skulle|går) "
    r"(?:ni|vi|man|det|någon|nån|jag)|(?:sen|sedan) (?:är det|har vi|finns det|har det|har "
    r"någon|har nån))\b",
    re.IGNORECASE,
)
_LEAD = re.compile(rf"^(?:och\s+)?(?:{_LEAD_WORDS})\b[\s,:]*", re.IGNORECASE)
#: More said as "och vi/jag behöver …" after an answer: another need only when its words
#: name a service surely (else the message is read as a whole, as before).
WE_NEED = re.compile(r"^och (?:vi|jag) (?:behöver|vill ha|skulle behöva|måste ha)\b", re.IGNORECASE)
_MORE_LEAST_WORDS = 4


_JOINING_END = re.compile(r"(?:[\s,.;:!?]+(?:och|men|så|plus|samt))+[\s,.;:!?]*$", re.IGNORECASE)


def answer_and_more(text: str) -> tuple[str, str] | None:
    """(the answer, the words after it) when an answer goes on to another need with a word
    that adds one ("måndag nästa vecka funkar. förresten, ingen har tömt papperskorgarna");
    None when no such word follows an answer."""
    match = _MORE_AFTER.search(text)
    if match is None:
        return None
    # "rum 412. Och förresten, …": the word that joins them is neither's.
    said = _JOINING_END.sub("", text[: match.start()]).strip(" ,.;:!?–—-")
    group = next(g for g in ("lead", "then", "we", "adds", "asks") if match[g])
    rest = text[match.start(group) :].strip()
    if not said or len(rest.split()) < _MORE_LEAST_WORDS:
        return None
    if _ASKING_START.match(said.lower()):
        # "har ni förresten fått min felanmälan …?": one question with the word inside it
        return None
    return said, rest


# The start of a question with its verb first ("har ni", "kan du", "hur går det"): no answer.
_ASKING_START = re.compile(
    r"(?:har|hade|kan|kunde|får|fick|vet|är|blir|ska|skulle|vill|finns|går|gick|kommer)\s+"
    r"(?:ni|du|jag|vi|det|man|den|han|hon|hen|någon|nån)\b|"
    r"(?:hur|när|vad|vem|vilken|vilket|vilka|varför|var)\b"
)


# Asking about the order rather than for something: "hur lång tid tar det", "undrar …".
_ABOUT_ORDER = re.compile(
    r"\b(?:undrar|vill (?:jag |vi )?veta|hinner ni|går det att|är det möjligt|hur går det|hur lång|"
    r"hur mycket|hur många|när kommer|när blir)\b"
)


def without_lead(words: str) -> str:
    """Words said besides an answer without the word that adds them ("förresten, …")."""
    return _LEAD.sub("", words.strip())


def asks_about_order(low: str) -> bool:
    """Whether words said besides an answer ask about an order (price, deliverer, time,
    an earlier ticket) rather than for something."""
    return any(
        pattern.search(low)
        for pattern in (_PRICE, _PERFORMER, _SLA, _EARLIER_TICKET, _STATUS, _ABOUT_ORDER)
    )


def open_need_besides(
    words: str, current: ServiceInfo, parse: dict[str, Any] | None = None,
    *, other_kind: bool = False,
) -> bool:  # fmt: skip
    """Whether ``words`` could be a need other than ``current`` (asked about when this
    order is done), though they name no service surely (``parse``: Rasa's reading of them,
    when they are the whole message): ``current`` is not among their three best services.

    With ``other_kind`` (words said after an answer), also when this order's service reads
    best but a service of another category is among the three best and near enough
    ("levereras till rummet. sen vill vi ha nån som gör rent i salen efter maten":
    cleaning, 0.40, beside the lunch's 0.50), not far behind a clear reading of this order
    ("sen vill vi ha smörgåsar och sallad": 0.73 against 0.21), and no question of this
    order asks for it ("och så vill vi ha vegetariskt till två" at a lunch)."""
    snap = snapshot()
    ranked = snap.interpreter.interpret(words, parse).services[:3]
    if not ranked or ranked[0].score < OPEN_LEAST:
        return False
    if current.code not in {m.code for m in ranked}:
        return True
    if not other_kind:
        return False
    from actions.matching import asked_by  # import cycle: matching -> _dialogue

    own = next(m.score for m in ranked if m.code == current.code)
    others = [
        m for m in ranked
        if m.code != current.code
        and m.score >= OPEN_LEAST
        and m.code in snap.services
        and snap.services[m.code].category != current.category
        and not asked_by(current, snap.services[m.code])
    ]  # fmt: skip
    return bool(others) and own - others[0].score < _OWN_LEAD


#: How far the current order's service must lead another kind of service in the reading of
#: words said after an answer for them to be more of this order.
_OWN_LEAD = 0.15


#: A reading's service of the current order's category within this much of its best is
#: what is meant ("har vi inget rum än, kan ni boka ett?" at a lunch for a meeting).
_SAME_OCCASION_MARGIN = 0.1


def of_this_occasion(result: Interpretation, current: ServiceInfo) -> str | None:
    """The best service of ``result`` read as part of the current order's occasion: one of
    its category near the best when the best is of another ("ett rum" beside a meeting's
    lunch is a meeting room, not a hotel room), else the best."""
    code = result.service or (result.services[0].code if result.services else None)
    snap = snapshot()
    best = snap.services.get(code or "")
    if best is None or best.category == current.category:
        return code
    for m in result.services[1:3]:
        sibling = snap.services.get(m.code)
        if (
            sibling is not None
            and sibling.code != current.code
            and sibling.category == current.category
            and sibling.kind == best.kind
            and m.score >= result.top_score - _SAME_OCCASION_MARGIN
        ):
            return sibling.code
    return code


# "en sak till: vi har ett paket som ska skickas rekommenderat": a thing to be handled.
_TO_BE_HANDLED = re.compile(r"\bsom ska (?:\w+ )?\w{3,}(?<!kommer)as\b")


# A thing added with "och"/"plus"/"samt" and "en"/"ett": "och ett hotell där för en natt".
_ADDED_ONE = re.compile(r"^(?:och|plus|samt)\s+(?:så\s+)?(?:en|ett)\s+[a-zåäö]{3,}")
#: ... is another service only when it reads as one this surely.
_ADDED_ONE_SCORE = 0.7


def other_service(turn: Turn, current: ServiceInfo, tracker: Tracker) -> ServiceInfo | None:
    """Another catalogue service this message clearly asks for, or None."""
    # "förresten är tvålen slut på personaltoan" reports a need besides this one.
    besides = bool(
        MORE_NEED.search(turn.low) and (need_cue(turn.low) or _TO_BE_HANDLED.search(turn.low))
    )
    # "plus att min jobbdator har blivit jätteseg" inside an order: a need said besides it
    # is read by the catalogue; the classifier, which knows first messages, may call such
    # everyday words out of scope.
    aside = besides and turn.intent == "out_of_scope"
    if turn.intent != "request_service" and not aside:
        return None
    # "och ett hotell där för en natt" at a trip's summary: a thing added that is surely
    # another service (not "och en glutenfri", which says more of a lunch).
    added = _ADDED_ONE.match(turn.low) is not None
    cued = _REQUEST_CUE.search(turn.low) is not None
    if not cued and not besides and not added:
        return None
    if _EARLIER_TICKET.search(turn.low):
        return None  # about an earlier ticket: a question, answered as one
    snap = snapshot()
    result = snap.interpreter.interpret(turn.text, None if aside else tracker.latest_message)
    if aside and result.outcome != "match":
        return None
    unsure = result.outcome != "match" or result.top_score < _ADDED_ONE_SCORE
    if added and not (cued or besides) and unsure:
        return None
    code = of_this_occasion(result, current) if result.service else None
    if code is None or code == current.code or result.top_score < 0.55:
        return None
    return snap.services.get(code)


def describe_changes(changes: dict[str, Any], service: ServiceInfo | None = None) -> str:
    """ "antal personer till 20 och datum till fredag 4 december 2026"; a catalogue-defined
    detail (slot ``field_N``) by its own label."""
    parts = []
    for k, v in changes.items():
        if k in BUILTIN_LABELS:
            parts.append(f"{BUILTIN_LABELS[k].lower()} till {format_detail(k, str(v))}")
        elif service is not None and v and (defined := field_of_slot(service, k)) is not None:
            parts.append(f"{str(defined.get('label') or k).lower()} till {v}")
    return " och ".join(parts)


def same_text(a: str, b: str) -> bool:
    """Whether two messages are the same, ignoring case, spaces and å/ä/ö."""
    return fold(" ".join(a.lower().split())) == fold(" ".join(b.lower().split()))


# A part of a message is a need of its own when it asks for something ("behöver",
# "boka", "också"; not a past "beställde", "bokade", "behövde": the story of an earlier
# order) or reports a fault ("trasigt", "läcker") ...
# Something has run out ("pappret är slut", "är tvålen slut"); "de gamla är helt slut" is
# worn out, no need.
RUN_OUT = r"är (?!helt |alldeles |totalt |typ |rätt |ganska )(?:\w+ )?slut"
# A thing with loose parts ("två av bänkarna har lösa ben", "stolen har ett löst hjul"), not
# a thing solved ("har löst det"): a fault said in words.
LOOSE_PARTS = (
    r"(?:har|med) (?:(?:två |tre |några |flera )?lösa|(?:ett|en) (?:löst|lös)) [a-zåäö]{3,}"
)
_NEED_CUE = re.compile(
    r"\b(?:beställ(?!de\b|des\b|t\b|ts\b)\w*|boka(?!de\b|des\b|t\b|ts\b)\w*|"
    # "två skrivbord som ingen vill ha" wants nothing: the things are the need before's
    r"behöv(?!de\b|des\b|t\b)\w*|(?<!ingen )(?<!inte )vill ha|önskar|ska ha|skulle vilja|"
    r"felanmäl\w*|"
    # "Sen ska jag anmäla att en ny elev har nötallergi": something to report
    r"anmäla|anmäler|"
    r"också|även|dessutom|samtidigt|plus|trasig\w*|sönder|läcker|fungerar inte|funkar inte|saknas|"
    r"saknar|"
    r"har gått sönder|har gått av|slut på|för få|för lite|räcker inte|fattas|"
    # running out ("vi har nästan inga engångsförkläden kvar", "tvålen håller på att ta slut")
    r"(?:inga|inget|ingen|knappt några|lite) (?:\w+ )?kvar|snart slut|på att ta slut|"
    # ... or only a few left ("vi har bara ett par av de gula plastrockarna kvar"), not time
    r"bara (?:ett par|några få|några|en|ett|två|tre|fyra|fem|\d{1,3}) "
    r"(?:(?!(?:dag|dagar|vecka|veckor|timme|timmar|minut|minuter|månad|månader|år)\b)"
    r"[\w-]+ ){0,5}kvar\b|"
    # a thing lacking, said as lacking at all ("bara ett skrivbord och ingen stol alls",
    # "och inga pennor heller"); not a worry or a hurry ("ingen fara alls")
    r"(?:inga|inget|ingen) (?!(?:fara|problem|brådska|bråttom|aning|idé|koll|tid|som|mer|fler|"
    r"annat)\b)[a-zåäö]{3,} (?:alls|heller)\b|"
    # a fault reported in its own words ("kranen där droppar", "har glömt mitt lösenord")
    # ("jag glömde bort det helt" forgot to ask: no need of its own)
    r"droppar|rinner|blinkar|luktar|"
    # what a machine says is wrong ("skrivaren säger bara pappersstopp", "får felmeddelande");
    # "…, det står papperstrassel" says more of the machine just named
    r"(?<!står )(?:pappers?stopp?|papperstrassel|felmeddelande\w*|felkod\w*)|"
    r"(?:glömt|glömde)(?!\s+(?:bort\s+)?(?:det|att|oss|dom|de|den|dem|bort)\b)|"
    r"(?:har )?slocknat|lyser inte|tänds inte|"
    # ... in a clause's word order ("såg jag att lampan i korridoren inte tänds längre")
    r"\binte (?:tänds|lyser|startar|värmer|laddar|spolar|stängs|låser sig|öppnas)\b|"
    # ("så går altandörren till gården inte att stänga": the thing between)
    r"kommer inte in|går (?:\w+ ){0,4}inte att|inte går att|inte fungerar|inte funkar|"
    rf"startar inte|{RUN_OUT}|"
    # things to be rid of ("och så vill vi bli av med två gamla bokhyllor")
    r"bli av med|göra (?:oss|mig) av med|"
    r"hänger sig|har hängt sig|(?:börjat|börjar) hänga sig|skriver inte ut|"
    rf"slutat (?:{STOPPED_DOING}|svara)|"
    r"har fastnat|"
    # a machine that refuses ("vägrade skrivaren i personalrummet", "datorn vägrar starta")
    r"vägrar|vägrade|har vägrat|"
    r"går inte igång|är inte \w+(?:ad|at|ade|ade)|"
    # a wish ("om det går vore det toppen med smörgåsar")
    r"(?:vore|hade varit|skulle vara) (?:det )?(?:toppen|bra|fint|perfekt|super|kanon|guld|"
    r"skönt|härligt|najs|tacksamt)(?: (?:med|om)|(?=[\s.!?,;]*$))|"
    # someone to do it ("nån som fixar", "någon tekniker som fixar ljudet")
    r"(?:nån|någon|folk|personal)(?: [a-zåäö]{4,})? som|"
    # ... by trade ("och en tekniker som fixar så att de på länk hör", "en elektriker som")
    r"\ben (?:person|[a-zåäö]{3,}(?:are|iker|ör|ist|man|mästare)) som (?:kan )?[a-zåäö]{3,}|"
    # someone asked to deal with it ("kan nån ta hand om det?", "kan ni komma och titta")
    r"kan (?:nån|någon|ni) (?:komma (?:hit )?och |hjälpa till (?:och|att|med att) )?(?:ta hand om|"
    r"fixa|titta på|kolla på|laga|åtgärda|städa|plocka|hämta|byta|ordna|rensa|ta bort|sanda|"
    r"skotta|tömma|skicka|leverera|köra ut|ta hit)(?!\s+(?:det|dom|dem|de|den|dessa)\b)|"
    # a sound or a pull that is wrong ("köksfläkten låter som en traktor och drar dåligt")
    r"(?:låter|låta|lät) som (?:en|ett)\b|"
    # the fault just told, again at another place ("och på Vallaskolan ser matsalen
    # likadan ut", "där är det likadant")
    r"\bser (?:\w+ ){0,3}(?:likadan|likadant|likadana|lika illa|lika dåligt) ut\b|"
    r"\bär (?:det )?(?:precis )?(?:likadant|likadan|likadana)\b|"
    # a wish joined to the one before ("… samt att ni hämtar de gamla skrivborden")
    r"(?:^|\b(?:samt|plus|och så|och) )att (?:ni|någon|nån) (?:även |också )?(?:kan )?"
    r"[a-zåäö]{3,}(?:ar|er|ir)\b|"
    # a fault that has begun ("fläkten har börjat låta", "taket har börjat läcka")
    r"börjat (?:låta|lukta|läcka|droppa|blinka|brumma|gnissla|skramla|tjuta|pipa|krångla|"
    r"strula|glappa|knarra|flimra|vingla|lossna|spricka)\b|"
    # a thing with loose parts ("två av bänkarna har lösa ben", "stolen har ett löst hjul")
    rf"{LOOSE_PARTS}|"
    r"(?:drar|värmer|kyler|spolar|suger) (?:dåligt|inte)\b|"
    r"(?:vill|ska|skulle|måste|behöver) (?:vi|jag|hon|han|hen|de|dom|ni) (?:ha|få)|"
    r"kan (?:vi|jag|hon|han|hen|de|dom) få|"
    r"(?:har|hade) inte (?:blivit |varit )?\w+(?:ad|at|ats|ts)|ostädat|är smutsig\w*|"
    # someone who was to come has not ("städaren har inte varit här på hela veckan")
    r"(?:har|hade) inte (?:varit|kommit|dykt upp) (?:hit|här|hos oss|på \w+)|"
    # nobody has done what was to be done ("ingen har moppat där på flera dagar")
    r"ingen har (?:varit här|\w{2,}t\b)|har ingen (?:\w+ )?\w{2,}t\b|"
    # a thing come loose ("på lekplatsen sitter en gunga lös", "hyllan har lossnat")
    r"sitter (?:\w+ ){0,2}lös\w*|lossnat|"
    # what must be done to it ("gräset på gården måste klippas")
    r"måste (?:\w+ )?\w{3,}(?<!kommer)as|"
    # someone must do it ("när det är fixat måste någon torka upp")
    r"måste (?:någon|nån|ni) (?:komma och )?\w{3,}|"
    r"skräp överallt|"
    # a thing that is not there ("på toaletterna finns ingen tvål", "det finns inga handdukar")
    r"finns (?:det )?(?:ingen|inget|inga) (?!som\b)[a-zåäö]{3,}|"
    # a thing someone lacks ("vi har inga datorer", "de har inget kort än"), not a want of
    # hurry or of an idea ("vi har ingen brådska", "jag har ingen aning")
    rf"{LACKS}[a-zåäö]{{3,}}|"
    # something a building must have is missing ("det är ingen värme i gympasalen")
    r"(?:är|finns|har vi) (?:\w+ )?(?:ingen|inget) (?:värme|ström|el|vatten|varmvatten|"
    r"internet|uppkoppling|täckning|nät)|"
    # damage someone has done ("någon har vält ut alla papperskorgar", "nån har sprejat …")
    r"(?:(?:någon|nån|några|ungdomar|folk) har|har (?:någon|nån|några|ungdomar|folk)) "
    r"(?:\w+ )?(?:vält|krossat|sprejat|sprayat|"
    r"klottrat|slagit sönder|brutit upp|förstört|kastat|ritat|skrivit|sparkat|stulit|"
    r"tagit sönder|dumpat|slängt)|"
    # a state that is a fault ("det är halt vid entrén", "toaletten är stopp igen")
    r"är (?:så |väldigt |jätte|helt |fortfarande )?(?:halt|hal|isigt|iskallt|kolsvart|"
    r"becksvart|stopp|igensatt|översvämmat))\b|"
    r"(?<!som )\bska (?:\w+ )?\w{3,}(?<!kommer)as\b|"
    # "och så ska dom vingliga stolarna i dagrummet lagas"
    r"\bska (?:dom|de|den|det|dessa) (?:\w+ ){0,4}\w{3,}(?<!kommer)as\b|"
    # "kan dom hämtas för återbruk?", "kan den lagas?": asking for something to be done
    r"\bkan (?:dom|de|den|det|dessa|de här|dom här) \w{3,}(?<!finn)as\b"
)
# Read folded, so that a need typed without å/ä/ö counts too ("behover nan som stoppar
# lackan"); every cue with å/ä/ö folds to its plain spelling.
_NEED_CUE_FOLDED = re.compile(fold(_NEED_CUE.pattern))


def need_cue(low: str) -> bool:
    """Whether a part asks for something or reports a fault (:data:`_NEED_CUE`), with or
    without å/ä/ö."""
    return _NEED_CUE_FOLDED.search(fold(low)) is not None


def open_besides(turn: Turn, current: ServiceInfo, tracker: Tracker) -> bool:
    """Whether a message said mid-form asks for something besides the current order in
    words that name no service surely ("förresten behöver vi ett rum också"): a need to
    place when this order is done. Not when the current service is among its readings
    (more about this order) or the message changes a detail."""
    if turn.intent != "request_service" or not (MORE_NEED.search(turn.low) and need_cue(turn.low)):
        return False
    if _EARLIER_TICKET.search(turn.low):
        return False
    return open_need_besides(turn.text, current, tracker.latest_message)


# "en sal", "ett rum till": a thing asked for, not a place already there.
_A_THING = re.compile(r"\b(?:en|ett|nån|någon|något|några|fler|ny|nytt|nya)\b")


def only_place(part: str, now: datetime) -> bool:
    """Whether a part of a message only says where ("rum Linden", "kontoret på plan 1",
    "förrådet i hus C"): the place the details read is the whole part."""
    words = part.strip(" ,.;:!?")
    content = [w for w in tokens(words) if is_content(w)]
    if (
        content
        and all(is_place_word(w.lower()) for w in content)
        and not need_cue(words.lower())
        and not _A_THING.search(words.lower())
    ):
        return True  # "…, personalrummet": a room where the need before is wanted
    place = extract_details(words, ("location",), now).get("location")
    return place is not None and " ".join(place.lower().split()) == " ".join(
        re.sub(r"^(?:i|på|vid|till)\s+", "", words.lower()).split()
    )
