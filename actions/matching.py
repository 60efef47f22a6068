"""Match a request against the catalogue, present the service and start the order form."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._conversation import DETAIL_FIELDS, latest_text
from actions._desk import ServiceInfo, get_service_info, snapshot
from actions._dialogue import (
    GREETING_WORDS,
    LOOSE_PARTS,
    OPEN,
    OPEN_LEAST,
    RUN_OUT,
    need_cue,
    only_place,
    queue_key,
)
from actions._fields import (
    FIELD_SLOTS,
    SKIP,
    custom_details,
    defined_slots,
    is_personnummer,
    mentioned,
    only_mentions,
    without_mentions,
)
from actions._format import format_price, format_sla, name_in_sentence
from actions.order_form import NO_PENDING_NUMBER, local_now, passed
from nlu._lexicon import lemma_set, stem
from nlu._numbers import number_words
from nlu._synonyms import synonyms
from nlu.details import extract_details, is_place_word, names_building
from nlu.interpret import ONE_WISHED, Interpretation, past_the_story
from nlu.text import fold, is_content, lemma, restore_diacritics, terms, tokens, word_terms

# Words that say "I want to order/report" and nothing about what: not a description.
_GENERIC = frozenset(
    [
        "vilja",
        "behöva",
        "önska",
        "beställa",
        "beställning",
        "boka",
        "bokning",
        "felanmäla",
        "felanmälan",
        "anmäla",
        "anmälan",
        "fråga",
        "undra",
        "hjälp",
        "hjälpa",
        "ha",
        "få",
        "kunna",
        "skulle",
        "gärna",
        "tack",
        "hej",
        "ny",
        "nya",
        # "Två saker: 1) … 2) …" announces needs; it is none itself.
        "sak",
        "grej",
        # Saying only that something is wrong does not describe what is wrong.
        "funka",
        "fungera",
        "strula",
        "krångla",
        "problem",
        "fel",
        "trasig",
        # "vi har ett problem som behöver lösas": nor does saying it must be fixed.
        "lösa",
        "fixa",
        "åtgärda",
        "sönder",
        "ordentlig",
        "ordentligt",
    ]
)
#: Details a next service takes over from the previous order in the same message.
CARRIED = ("date", "time", "location", "participants", "destination", "return_date")
#: A part of a message is a need of its own when its best service scores at least this.
_SECOND_NEED_SCORE = 0.6
# "låter som en traktor sen igår": "sen" before a time is "since", not "then".
# Times of the day ("lunch", "förmiddagen").
_DAY_TIME = r"(?:lunch|frukost|rast|morgon|förmiddag|eftermiddag)(?:en)?\b"
_SINCE = (
    r"\s+(?:i ?går|i ?förrgår|i morse|i helgen|i [a-zåäö]+s\b|förra\b|dess\b|länge\b|"
    r"ett tag|en (?:vecka|månad|stund|tid)|(?:två|tre|fyra|flera|några|ett par) "
    r"(?:dagar|veckor|månader)|början|årsskiftet|jul|sommar|"
    # "wifit har legat nere sen lunch": since a time of the day ("sen lunch till 12" asks)
    rf"{_DAY_TIME}(?!\s+(?:till|för|åt)\b))"
)
# "barn- och utbildningsförvaltningen" is one name: "och" after a hyphen never splits.
# "höj och sänkbara" is one thing too, and "står och rinner" one doing.
_SPLIT = re.compile(
    r"(,|;|\bsamt\b|\bplus\b|\s\+\s|(?<!- )(?<!höj )(?<!höja )(?<!står )(?<!sitter )(?<!ligger )"
    # ("från och med måndag", "till och med fredag": one phrase of time)
    r"(?<!från )(?<!till )"
    rf"\b(?:och|o)\b|\b(?:sen|sedan)\b(?!{_SINCE})|"
    # ("vi har också fått en ny boende …": one clause)
    # ("Kollegieblocken är också slut": one clause)
    r"(?<!\bhar )(?<!\bhade )(?<!\bstår )(?<!\bfinns )(?<!\bligger )(?<!\bär )(?<!\bvar )"
    # ("på Ekbackens förskola där jag också jobbar har …": "också" in a clause of its own)
    r"(?<!\bdär jag )(?<!\bdär vi )(?<!\bsom jag )(?<!\bsom vi )"
    r"\b(?:också|även)\b|"
    # a sentence's end ("… nån kommer ramla. och hallen …"), not "kl. 13" or "t.ex. ";
    # a list's numbers ("1) ett rum 2) fika").
    r"(?<!\bkl)(?<!\bca)(?<!\bex)(?<!\bnr)(?<!\bbl\.a)[.!]\s+(?=[A-ZÅÄÖ]|\d+ [a-zåäö]{2})|"
    r"\b\d\)\s*|"
    # after a question only with a word that adds a need ("… imorgon? Dessutom behöver …";
    # "… till Kulturhuset? Vi behöver dem i övermorgon" says when)
    r"\?\s+(?=(?:Dessutom|Också|Även|Sen|Sedan|Och|Plus|Samt|Förresten|En sak till|"
    r"En grej till)\b)|"
    # ... or with a need of its own, a thing wanted by name ("… för 14 personer? Vi vill
    # gärna ha fika till det mötet också"), not a thing said before ("… dem", "… det")
    r"\?\s+(?=(?:Vi|Jag) (?:vill|behöver|skulle vilja|önskar)(?: gärna| också| även)?"
    r"(?: ha| beställa| boka| få)? (?!dem\b|dom\b|den\b|det\b|de\b|detta\b|dessa\b)"
    r"(?:en |ett |lite |några )?[a-zåäö]{3,})|"
    # ... also typed in lower case after a word ("bara svart skärm. skulle behöva …")
    r"(?<=[a-zåäö]{4})[.!]\s+(?=[a-zåäö]{2})|"
    # a list written one item a line ("1. en bärbar dator", "- en mobil")
    r"\n\s*(?:\d{1,2}[.)]|[-*•])\s+|"
    # ... or without marks, one line each ("Norrgårdens förskola: taklampan …", and in
    # lower case as typed on a phone: "kranen droppar\nvi behöver förkläden"); a line that
    # goes on with the sentence before is joined back (:data:`_GOES_ON_LINE`)
    r"\n\s*(?=\S))"
)
# A line that goes on with the line before: it begins with a word that binds it to what
# was said ("för 12 personer", "och så …", "som ska …"), or the line before ends open.
_GOES_ON_LINE = re.compile(r"^(?:och|o|men|som|så|eller|att|samt|plus|kl|klockan|ca)\b")
# "Och mobiltelefoner också, samma antal": as many as of the need before.
_SAME_COUNT = re.compile(
    r"(?:och )?(?:samma antal|lika många|lika mycket)(?: till| som (?:förut|innan|ovan|dom|de))?"
    r"(?: också| med)?[.!]?"
)
# Help with carrying things ("behöver bärhjälp", "hjälp att bära skrivbord"): the things
# said with it or listed right after it are what is carried, not an order of them.
_CARRYING = re.compile(r"\b(?:bärhjälp|bära|bär|lyfta|packa|hjälp att flytta)\b")
# A move ("Vi ska flytta ekonomienheten …"), and things counted after it ("ungefär 12
# arbetsplatser med skrivbord och hyllor"): what is moved, not an order of them.
_MOVING = re.compile(r"\bflytta(?:r|s)?\b")
# A thing said by whose or what it is ("veckans meny", "kvartalets nyhetsbrev").
_WHOSE_THING = re.compile(r"[a-zåäö]{3,}s [a-zåäö]{3,}[.!]?")
# Things we have ("vi har tre gamla bokhyllor") and a thing said next ("ett skrivbord …").
_WE_HAVE_THINGS = re.compile(
    r"^(?:vi|jag) har (?:\d{1,4}|två|tre|fyra|fem|sex|en|ett|några|lite)\b"
)
_A_THING_START = re.compile(
    rf"^(?:och )?(?:en|ett|\d{{1,4}}|{number_words(2, 20)}|några)\s+"
    r"(?:gammal |gamla |gammalt )?[a-zåäö]{3,}"
)
_COUNTED_THINGS = re.compile(
    rf"^(?:ca |cirka |ungefär |runt |typ )?"
    rf"(?:\d{{1,4}}|{number_words(2, 20)}|några|ett par|en del|flera)\s+[a-zåäö]{{3,}}"
)


def _only_things(part: str) -> bool:
    """Whether a part only names things ("ungefär 10 skåp", "hyllor"): no verb, no word
    that asks for something, no "att"."""
    low = part.strip().lower()
    return not (_has_verb(part) or need_cue(low) or low.startswith("att "))


# A part that is only a count in units ("5 kartonger", "ca 20 st"); "två projektorer"
# may be a need of its own.
_COUNT_ONLY = re.compile(
    r"(?:ca |cirka |ungefär |runt |typ )?(?:\d+|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|"
    r"tolv|femton|tjugo|trettio|fyrtio|femtio|hundra)(?: (?:st|stycken|kartong|kartonger|"
    r"låda|lådor|paket|förpackning|förpackningar|förp|buntar|rulle|rullar|exemplar|ex|par|"
    r"set|pall|pallar|flaska|flaskor|burk|burkar|påse|påsar|dunk|dunkar|ask|askar|säck|"
    r"säckar|liter|kilo|kg))?"
)
# How many of the thing just named are needed, said with a word for needing and nothing
# else ("har inga munskydd kvar, vi behöver 4 kartonger"): the amount, not a need of its
# own (the cartons of a move are a thing: "flyttkartonger").
_COUNT_WANTED = re.compile(
    r"(?:(?:vi|jag) (?:behöver|skulle behöva|vill ha|tar|beställer)|det behövs) (?:nog |väl )?"
    + _COUNT_ONLY.pattern
    + r"(?: (?:av (?:dem|dom|de|det|varje)|till att börja med))?[.!]?"
)
# How many people, and where: "11 pers i lilla mötesrummet på Solrosens förskola".
_PEOPLE_THERE = re.compile(
    rf"(?:ca |cirka |ungefär |runt )?(?:\d{{1,3}}|{number_words(2, 20)}) "
    r"(?:pers|personer|deltagare|gäster)\.?(?:\s+(?:i|på|vid)\s+[^,.;!?]+)?[.!]?"
)
# Where the writer is: "…, sitter i Kommunhuset rum 412" (no room is booked).
_WHERE_ONE_IS = re.compile(
    r"(?:(?:jag|vi) )?(?:sitter|jobbar|håller till|befinner (?:mig|oss)) "
    r"(?:i|på|vid) [^,.;!?]+[.!]?"
)
# How many would do: "2 paket skulle räcka", "ett tiotal räcker".
_ENOUGH = re.compile(
    rf"(?:{_COUNT_ONLY.pattern}|ett tiotal|ett par|några)\s+(?:skulle räcka|räcker|blir bra|"
    r"är nog|borde räcka)(?:\s+(?:gott|bra))?[.!]?"
)
# "och vi har nästan slut på handskar också": the word that adds a need may end the part.
_ADDING = frozenset({"också", "även"})
# "… och sen städning av plan 4": "sen" before a part adds a need ("sen i höstas" does not).
_THEN = frozenset({"sen", "sedan"})
# Another need told as remembered, with the moment it came to mind ("medan jag satt och
# skrev schemat kom jag på att …", "och innan jag glömmer, …").
_REMEMBERED = re.compile(
    r"(?:\b(?:och\s+)?(?:medan|när|nu när|då)\s[^.!?,]{0,60}?\s)?"
    r"\b(?:kom jag på att|jag kom på att|kom jag att tänka på att|kom jag ihåg att)\s+|"
    r"\b(?:och\s+)?innan jag glömmer[,:]?\s+|"
    # "Och när jag ändå skriver så har vi nästan inga handskar kvar": another matter, said
    # while writing
    r"\b(?:och\s+)?(?:när|medan|nu när) jag (?:ändå|ändå nu|nu ändå) (?:skriver|hör av mig|"
    r"håller på)(?:\s+till er)?[,:]?\s+(?:så\s+)?|"
    # "Men en sak till som jag nästan glömde: …", "en grej till:"
    r"\b(?:men\s+|och\s+)?(?:en|ett) (?:sak|grej|ärende) till(?: som jag (?:\w+ )?glömde"
    r"(?: att (?:säga|nämna|ta upp))?)?\s*[:,–-]\s*",
    re.IGNORECASE,
)


# "de har varken datorer eller nycklar till lärarrummet": two things missing.
_NEITHER = re.compile(
    r"\b(?:har|fick|får|finns(?: det)?) (?:ju )?varken (?P<one>[^.!?,;]{2,40}?) eller "
    r"(?P<two>[^.!?,;]{2,60}?)(?: kvar)?(?=[.!?,;]|$)",
    re.IGNORECASE,
)


def _neither(match: re.Match[str]) -> str:
    """What "har varken X eller Y" ("det finns varken tvål eller papper kvar") is read as:
    X needed and Y needed, two parts."""
    return f"behöver {match['one']} och behöver {match['two']}"


def _remembered(match: re.Match[str]) -> str:
    """What a remembered need's lead is read as: a word that adds a need."""
    before = match.string[: match.start()].rstrip()
    return "Dessutom " if not before or before[-1] in ".!?" else "dessutom "


# A lead that announces a list after a colon: what it is for ("Till vårt nya kontor på
# Storgatan 8: tre skärmar, nycklar …") or that it is one ("behöver vi tre saker: …").
_LIST_LEAD = re.compile(
    # a greeting may come first ("Hej! Inför introdagen … behöver vi:"), and the list may
    # start on the next line ("…behöver vi:\n- ett konferensrum …")
    r"^(?:(?:hej|hejsan|hallå|god morgon|tjena)\b[!,.]?\s+)?"
    r"(?:(?:till|inför|för|åt)\b[^:.!?\n]{2,80}|[^:.!?\n]{0,80}\b(?:saker|sakerna|grejer|"
    r"grejor|följande|behöver|behövs|önskar|felanmälningar|fel|ärenden|beställningar)\b"
    # "några saker från Ekbackens äldreboende:", "Två felanmälningar:"
    r"(?:\s+att \w+)?(?:\s+(?:från|på|till|för|åt|i)\s[^:.!?\n]{2,60})?)[ \t]*"
    # "hej behöver till styrgruppsmötet onsdag kl 9\n- ett konferensrum …": a list's marks
    # on the next lines end the lead as a colon does
    r"(?::\s+(?=\S)|\n(?=[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]))",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[-*•])$")
# The mark that begins the first thing of a list ("- ett rum", "1) fika").
_FIRST_MARK = re.compile(r"^(?:\d{1,2}[.)]|[-*•])\s+")
# "fönsterputs, ca 20 fönster, samt en extra städning": "samt" and "plus" add a need as
# "också" does, unless what follows only adds a little to the one before ("plus lite frukt").
_AND_ALSO = frozenset({"samt", "plus", "+"})
# "och så ska vi …", "och så behöver vi …": after "och", "så" adds a thing to be done.
_SO_ALSO = re.compile(r"^så\s+(?:ska|skall|behöver|behövs|vill|måste|skulle)\b")
# "fika till det": a pronoun that refers back to the scene is no clause.
_BACK_REFERENCE = re.compile(r"\s+(?:till|för|åt|under) (?:det|den|dem|dom|oss)\s*$")
# ... or names a thing right after a need ("dator, mobiltelefon och ett konto"): a noun
# phrase, not a clause that goes on about the need before it: "finns det nåt digitalt?",
# "kan posten ta det?", "två hyllor som ska bäras", "den gamla är från 2016".
_CLAUSE = re.compile(
    r"\?|\bde\b(?!\s+(?:\w+a|två|tre|fyra|fem)\b)|"
    r"\b(?:det|detta|som|är|var|finns|fanns|jag|du|vi|ni|man|han|hon|hen|dom|"
    r"kan|ska|måste|har|hade|ligger|står|"
    r"blir|blev|går|gick|brukar|brukade|nåt|något|vad|hur|när|vem|varför)\b"
)
# A part that starts with a preposition or an adverb modifies the need before it, and so
# does one that goes on with the same subject ("…, hämtar vid stadshuset") or adds a
# little to it ("plus lite frukt").
_MODIFIER = re.compile(
    r"^(?:till|med|för|på|i|vid|från|av|om|inför|efter|under|åt|utan|mellan|hos|"
    r"gärna|helst|typ|ca|cirka|runt|kanske|dvs|alltså|bara|lite|lite grann|"
    r"hämtar|hämtas|lämnar|lämnas|kommer|börjar|slutar|startar|"
    # "…, levereras till Kulturhuset": where the thing ordered goes
    r"levereras|leverera|leverans|skickas|serveras|dukas|körs)\b"
)
# A first part that sets the scene rather than asks: "ska på konferens i Umeå, behöver
# tåg dit och hotell", "en ny vikarie börjar hos oss, hon behöver passerkort …".
# Occasions a need is for ("planeringsdag", "hybridmöte", "öppet hus"): the scene of an
# order, not what is ordered.
_OCCASIONS = (
    r"(?:kickoff|möte|workshop|konferens|utbildning|kurs|fest|julfest|julbord|avslutning|"
    r"studiedag|planeringsdag|personaldag|kalas|besök|seminarium|föräldramöte|träff|jubileum|"
    r"öppet hus|invigning|evenemang|event|mässa|firande|avtackning|prisutdelning|temadag|"
    r"föreläsning|sammanträde|examen|disputation|apt|kursdag|"
    # "vi har haft loppis i dagrummet", "julmarknaden i aulan"
    r"loppis|\w*marknad|disco|konsert|föreställning|vernissage|"
    # "utvecklingsdag", "friskvårdsdag" (not "tisdag", "torsdag")
    r"\w{4,}sdag|kompetensdag)"
)
# "vi ska ha föräldramöte på torsdag", "Styrgruppen har lunchmöte …": the occasion the
# needs are for.
_HAVE_OCCASION = re.compile(
    r"^(?:vi|jag|[a-zåäö]{3,}(?:en|et|na)) (?:har|har haft|hade|ska ha|anordnar|håller i) "
    rf"(?:en |ett |vår |vårt )?(?:\w+ )?\w*{_OCCASIONS}\b"
)
_SCENE = re.compile(
    r"\b(?:börjar|har börjat|ska börja|slutar|ska på|åker på|ska åka på|ska iväg|"
    rf"ska resa|reser till)\b|{_HAVE_OCCASION.pattern}|"
    # "Vi är 14 från ekonomienheten som ska ha workshop på tisdag"
    rf"\bsom (?:ska ha|har|ska hålla i|anordnar) (?:en |ett )?(?:\w+ )?\w*{_OCCASIONS}\b|"
    # premises left or moved out of ("Vi lämnar lokalen på Storgatan 12 efter nyår")
    r"\b(?:lämnar|ska lämna|flyttar ut ur|ska flytta ut ur|flyttar från|ska flytta från) "
    r"(?:lokalen|lokalerna|kontoret|huset|byggnaden|paviljongen|fastigheten)\b"
)
# "vi ska ha …", "vi har …": what a group holds; and a later need "efteråt".
_WE_HAVE = re.compile(r"^(?:vi|jag) (?:ska ha|har|håller|anordnar)\b")
_AFTERWARDS = re.compile(r"\b(?:efteråt|efter det|efter den|efter dem|efter dom|efterpå)\b")
# A group that meets: "nämnden sammanträder", "vi träffas".
_GATHERS = re.compile(r"\b(?:sammanträder|träffas|möts|samlas)\b")
_OCCASION_WORD = re.compile(rf"\w*{_OCCASIONS}")
# A sentence ends at its mark, or at a smiley that stands for one ("… i Kommunhuset :) Vi
# har …").
_SENTENCE = re.compile(
    r"(?:(?<=[.!?])|(?<=[:;]-[)(DP])|(?<=[:;][)(DP])|(?<=[\u2600-\u27bf\U0001f300-\U0001faff]))"
    r"\s+(?=[A-ZÅÄÖ])"
)
# Who writes, by name: "det är Mona på ekonomiavdelningen", "jag heter Ali och …".
_INTRODUCED = re.compile(
    # ("Det är Lena, kokerska …" starts a message too; "Det är Vallaskolan" is a place)
    r"^(?:[Dd]et är|[Hh]är är|[Jj]ag heter|[Jj]ag är) "
    r"(?![A-ZÅÄÖ]\w*(?:skolan|gården|huset|boendet|hemmet|centralen|kontoret|biblioteket|"
    r"hallen|parken|torget|vägen|gatan)\b)[A-ZÅÄÖ][a-zåäö]+"
    r"(?:\s+(?:på|från|i|och|här|som skriver)\b|[,.!]|$)|"
    # "Maria i köket på Solgården här."
    r"^[A-ZÅÄÖ][a-zåäö]+ (?:i|på|från) (?:[\wåäöÅÄÖ-]+ ){0,4}?[\wåäöÅÄÖ-]+ här[.!]?$"
)
# When a thing is wanted, in a clause ("smörgåsar till alla när vi börjar").
# ("en tjänstemobil innan hon börjar")
_WHEN_CLAUSE = re.compile(
    r"\s+(?:när|innan|tills) (?:vi|ni|de|dom|hon|han|hen|jag|mötet|alla|det) [a-zåäö]+"
    # ("… av våra gamla rum när vi har flyttat ut.")
    r"(?:\s+[a-zåäö]+){0,2}[\s.!]*$"
)
_LOWER_SENTENCE = re.compile(r"(?<=[a-zåäö]{3}[.!])\s+(?=[a-zåäö]{2})")
#: The whole message names one service this surely while its first part names another:
#: two needs ("fika och nån som hjälper till med projektorn").
_WHOLE_SURE = 0.85
# "behöver både rörmokare och nån som suger upp vattnet": what follows "både … och" is one.
_BOTH = re.compile(r"\bbåde\b")


# "hjälp att flytta ett arkivskåp och tre skrivbord", "kan ni hämta två soffor och ett bord":
# what is listed after a verb's object is more of that object, not a need of its own ("vi
# behöver ett rum och lunch" lists needs).
_VERB_OBJECT = re.compile(
    r"\b(?:att|kan ni|kan du|ska ni|som kan)\s+"
    r"(?!ha\b|få\b|beställa\b|boka\b|köpa\b|låna\b|hyra\b|ordna\b|fixa\b)[a-zåäö]{3,}a\b|"
    # "folk som bär skrivbord, stolar och kartonger": things carried are one need
    r"\b(?:nån|någon|folk|personal|några) som (?:kan )?(?:bär|lyfter|flyttar|hämtar|kör|"
    r"packar|monterar|lagar|tömmer|bära|lyfta|hämta|köra|packa|montera|laga|tömma)\b"
)


# "bärhjälp med möbler och kartonger": what comes with the need is listed after "med";
# not after one definite thing, which is the occasion ("hjälp med flytten och fika till
# mötet", "hjälp med städningen och en ny nyckel", "hjälp med projektorn och fika till
# mötet": two needs).
_WITH_THING = re.compile(r"\bmed\s+(?![a-zåäö]+(?:[^e]en|et|orn|eln)$|[a-zåäö]{3,}an$)[a-zåäö]+$")


# Things that are somewhere: "ligger det krossat glas", "det står skräp".
_THERE_LIES = re.compile(
    r"\b(?:(?:ligger|låg|står|stod|flyter|flöt|hänger|hängde) det|"
    r"det (?:ligger|låg|står|stod|flyter|flöt|hänger|hängde))\b"
)


# What is done to a thing, then the thing: "grundlig rengöring av hela huset", "byte av
# lysrör i …" — the things listed after it ("…, golv, väggar, skåp och lampor") are more
# things the same act is done to, not needs of their own.
_ACT_OF = re.compile(
    r"\b[a-zåäö]{2,}(?:ing|tvätt|byte|flytt|puts|översyn|reparation|sanering)\s+av\s+"
    r"[^,.;:!?]*$"
)
# Help with a thing: "nån som hjälper till med projektorn".
_HELP_WITH = re.compile(r"\bhjälp\w*(?: till)? med\s+(?:[a-zåäö-]+\s+){0,2}[a-zåäö-]+$")
#: The most words a thing listed after such an act has.
_ACT_OF_THING_WORDS = 2


def _bare_verb(part: str) -> bool:
    """Whether a part is a verb in the present tense alone, perhaps with its particle
    ("städar", "stänger av"): it says what the one before it does, not a thing."""
    words = tokens(part)
    if not 1 <= len(words) <= 2 or (len(words) == 2 and words[1] not in _PARTICLES):
        return False
    word, known = words[0], lemma_set()
    if lemma(word) in (word[:-2], word[:-3]):
        return False  # a plural noun ("stolar", "kartonger")
    return (word.endswith("ar") and word[:-1] in known) or (
        word.endswith("er") and word[:-2] + "a" in known
    )


# "… och behöver skruvas fast", "och måste bytas ut snarast": a passive verb after a modal,
# with no subject or thing of its own.
_PASSIVE_MORE = re.compile(
    r"(?:behöver|måste|ska|skall|bör)\s+(?:nog\s+|snart\s+|också\s+)?[a-zåäö]{3,}as"
    r"(?:\s+(?:fast|upp|ut|om|bort|av|in|ner|på|igen|dit|hit))?"
    r"(?:\s+(?:snarast|snart|direkt|idag|i dag|omgående|asap))?[.!]?"
)


# Verbs that tell what happened or will happen ("fick bara smörgås", "vi ska laga lunch"):
# modals and the common strong past forms, which the endings below do not show.
_TOLD = re.compile(
    r"\b(?:ska|skall|skulle|måste|brukar|kommer att|fick|var|blev|kom|gick|sov|åt|drack|"
    r"tog|gav|satt|låg|stod|såg|hann|fanns)\b"
)


# Something not done or missing ("internposten inte har hämtats", "ingen har städat").
_NOT_DONE = re.compile(r"\b(?:inte|ej|aldrig|ingen|inget|inga)\b")
# A word that adds a need just before a part ("… plus att", "… och så", "dessutom").
_ADDED_BEFORE = re.compile(r"\b(?:plus(?: att)?|och så|dessutom|samt|även|också)[\s,]*$")
# People as the subject of what is told ("barnen fryser", "ett tiotal elever fick …"): what
# happens to them, not to a thing.
_PEOPLE_TOLD = re.compile(
    r"^(?:och |så |men |nu )?(?:barnen|eleverna|de boende|boende|personalen|kollegorna|"
    r"besökarna|brukarna|patienterna|gästerna|de minsta|alla|många|flera|folk|vi|"
    r"(?:ett|en) \w+tal \w+|\d+ (?:barn|elever|personer|boende))\b"
)


def _tells(part: str) -> bool:
    """Whether a part tells something (a verb in the present or past tense, or a modal),
    rather than naming things ("fika till 12 på torsdag")."""
    if _has_verb(part) or _TOLD.search(part.lower()):
        return True
    for word in tokens(part):
        base = lemma(word)
        if base != word and base.endswith("a") and word.endswith(("de", "te", "dde", "tte")):
            return True  # "räckte", "ringde", "stängde"
    return False


def _has_verb(part: str) -> bool:
    """Whether a part has a verb in the present tense ("mikrofonerna krånglar alltid"), so
    it tells rather than names things."""
    for word in tokens(part):
        base = lemma(word)
        if base == word or not base.endswith("a") or base in (word[:-2], word[:-3]):
            continue
        if word.endswith(("ar", "er", "ir", "rs", "as", "es")):
            return True
    return False


# "… nån som torkar upp": a part about someone doing something, which a verb alone after
# it goes on with.
_DOER = re.compile(r"\b(?:nån|någon|folk|personal|några|ni|du) som (?:kan )?[a-zåäö]{3,}")
_PARTICLES = frozenset({"upp", "av", "bort", "ner", "ut", "in", "till", "om", "på", "ihop"})


# A verb in the infinitive and the definite thing it is done to ("storstäda köket", "tömma
# papperskorgarna", "byta alla lysrör"): an act of its own.
_ACT = re.compile(
    # "kan ni boka ett rum … och ordna lunch till alla": a thing ordered with its own verb
    r"^(?:också |även |sen |sedan )?(?:ordna|beställa|boka|fixa|skicka|köpa|hyra)\s+"
    r"(?:(?:oss|mig|också|även)\s+)?(?:en |ett |lite |några )?"
    r"(?!(?:det|den|dom|dem|dessa|detta|till|upp|ihop)\b)[a-zåäö]{3,}|"
    r"^(?:också |även |sen |sedan )?[a-zåäö]{3,}a\s+(?:(?:alla |hela |de |dom |den |det )?"
    r"[a-zåäö]{3,}(?:en|et|na|orna|erna|arna)\b|"
    # "… och skicka 4 nya förvaringsskåp", "och beställa två nya stolar": things counted
    r"(?:\d{1,4}|två|tre|fyra|fem|sex|sju|åtta|nio|tio|några|ett par)\s+(?:nya\s+|extra\s+)?"
    r"[a-zåäö]{3,})"
)


def need_parts(text: str) -> list[str]:
    """The parts of a message that may each carry a need of their own, in the order said
    (see :func:`marked_parts`)."""
    return [part for part, sure in marked_parts(text) if sure]


# "står en kran och droppar", "sitter lampan och blinkar": a thing where it is, then what
# it does.
_POSTURE = re.compile(r"\b(?:står|sitter|ligger|hänger)(?:\s+[\w-]+){0,3}$")

# "kan ni komma och …", "nån som kan gå och …": a verb of coming before "och" and the act.
_COME_AND = re.compile(r"\b(?:komma|kom|kommer|gå|åka|åk|springa)$")


# A consequence of what was just said: "så den går inte att använda", "så vi kommer inte in".
_SO_WHO = r"så (?:att )?(?:den|det|dom|de|vi|jag|ingen|man|barnen|alla)"
_SO_THAT = re.compile(rf"^{_SO_WHO}\s+\w+")


# ("…, så vi behöver tåg dit": what is concluded is the need itself, not a consequence)
_CONSEQUENCE = re.compile(
    rf",\s*{_SO_WHO}\s(?!(?:behöver|behövde|vill ha|ska ha|måste ha|önskar|skulle behöva)\b).*$"
)
# Since when, by a time of the day: "wifit har legat nere sen lunch" names no meal.
_SINCE_MEAL = re.compile(
    rf"\s+(?:ända\s+)?(?:sen|sedan)\s+{_DAY_TIME}",
    re.IGNORECASE,
)


# Someone asked to do something: "måste någon torka upp", "kan ni tömma".
_MODAL_DOER = re.compile(
    r"\b(?:måste|ska|kan|behöver|bör|skulle) (?:någon|nån|ni|du) (?:komma och )?[a-zåäö]{3,}a\b"
)


# "det blir kaffe", "det blev sand": the state a place gets into (a count is a detail:
# "det blir 12 personer och fika kl 10" lists a need).
_IT_BECOMES = re.compile(
    r"\b(?:det|de|dom) (?:blir|blev|brukar bli|kommer att bli|kommer bli) "
    r"(?!(?:\w+ ){0,2}(?:\d|en |ett |två |tre |fyra |fem |sex |sju |åtta |nio |tio ))"
    r"(?:[a-zåäö]+ ){0,2}[a-zåäö]+$"
)


def _one_with_the_part_before(part: str, previous: str, *, comma: bool = False) -> bool:
    """Whether a part split off at "och" (``comma``: at ", och") goes on with the part
    before it, not a need of its own."""
    low, before = part.lower(), previous.lower()
    return (
        # "nån som torkar upp och städar": a verb alone goes on with the same subject.
        (_bare_verb(part) and _DOER.search(restore_diacritics(before)) is not None)
        # "på Björkskolan står en kran och droppar hela tiden": one thing, doing.
        or (_POSTURE.search(before) is not None and _bare_verb(part.split()[0]))
        # "lysröret i korridoren blinkar och surrar": two things the same thing does.
        or (_bare_verb(part) and _bare_verb(previous.split()[-1]))
        # "fläkten … låter som ett flygplan och drar nästan ingenting": a verb without a
        # subject of its own goes on with the clause before.
        or (not comma and _SUBJECTLESS.match(low) is not None and _has_verb(previous))
        # "på Parkgatan 2 är det fullt med löv och skräp på gården": the things "med"
        # lists in a state, not a need of their own; so are the things lying there
        # ("efter helgen ligger det krossat glas och skräp över hela skolgården").
        or (
            (_WITH_THING.search(before) is not None or _THERE_LIES.search(before) is not None)
            and not need_cue(before)
            and not _has_verb(part)
            and not need_cue(low)
        )
        # "nån som hjälper till med projektorn och teams": the things helped with are one
        # need.
        or (
            _HELP_WITH.search(before) is not None
            and not _has_verb(part)
            and not need_cue(low)
            and len(low.split()) <= _ACT_OF_THING_WORDS
        )
        # "kan ni komma och sanda vid entrén": one thing to do, come and do it ("… innan
        # eleverna kommer, och två av bänkarna …" is another thing).
        or (not comma and _COME_AND.search(before) is not None)
        # "måste någon torka upp och göra rent där nere": the same someone, a second act.
        or (
            _MODAL_DOER.search(before) is not None
            and re.match(r"[a-zåäö]{3,}a\b", low) is not None
            and not need_cue(low)
            and _ACT.match(low) is None  # "… och byta lysrören": an act of its own
        )
        # "… efter föräldrakvällen? Det blir kaffe och kakor överallt": what it becomes
        # (a mess of things), not things ordered.
        or (_IT_BECOMES.search(before) is not None and not need_cue(low) and not _has_verb(part))
        # "skåpdörren har lossnat och behöver skruvas fast": what is to be done with the
        # same thing.
        or _PASSIVE_MORE.fullmatch(low) is not None
        # "hämta en gammal soffa och två fåtöljer som vi inte behöver längre": more things
        # to be fetched or moved ("… och två nya skrivbord" are ordered)
        or (
            _HANDLES_THINGS.search(before) is not None
            and _A_THING_START.match(low) is not None
            and not _A_NEW_THING.search(low)
            and not _has_verb(_RELATIVE_TAIL.sub("", part))
            and not need_cue(_RELATIVE_TAIL.sub("", low))
        )
        # "den gamla byrån och fåtöljen där vill ingen ha": two things one clause is about
        # (a thing named as known, "den gamla byrån", is ordered by no one)
        or (
            _DEFINITE_THING.fullmatch(before.strip(" ,")) is not None
            and not _has_verb(previous)
            and not need_cue(before)
        )
    )


# Things fetched, moved or thrown away: "hämta en gammal soffa", "slänga två skåp".
_HANDLES_THINGS = re.compile(
    r"\b(?:hämta|hämtas|ta hand om|ta bort|slänga|kasta|flytta|flyttas|bära|köra bort|"
    r"forsla bort|tömma)\b"
)
# What a thing is, said after it: "… som vi inte behöver längre".
_RELATIVE_TAIL = re.compile(r"\s+som\s.*$", re.IGNORECASE)
# A thing listed and what it is to do: "ett bud som hämtar …", "en tekniker som kan …".
_WHO_DOES = re.compile(
    r"^(?P<thing>(?:och )?(?:en|ett|\d{1,3}|två|tre|fyra|fem)\s+[a-zåäö]{3,})\s+som\s+\S.*$"
)


# A relative clause between commas that says what a place is ("…, som är äldreboendet
# bredvid skolan, …", "…, som ligger vid torget, …"), before the rest of its clause.
_APPOSITION = re.compile(r",\s*som (?:är|ligger|heter)\b[^,.!?\n]{3,60},(?=\s*\S)")


# A person's full name between commas, after the word for who it is.
_NAME_APPOSITION = re.compile(
    r"(?<=[a-zåäö]),\s*(?P<name>[A-ZÅÄÖ][a-zåäö]+(?:\s+[A-ZÅÄÖ][a-zåäö]+)+)\s*,(?=\s*[a-zåäö])"
)


# The verbs that follow a place put first in a clause of its own ("på västerskolan är
# dörren trasig"), besides the present tense (:func:`_has_verb`).
_PLAIN_VERBS = frozenset(
    {"är", "har", "finns", "står", "ligger", "sitter", "hänger", "går", "blir", "var", "hade"}
)


def _short_verb(word: str) -> bool:
    """A verb of one syllable in the present tense ("slår", "går", "ser"): its lemma is the
    word without its "r"."""
    return word.endswith("r") and lemma(word) == word[:-1] and not word.endswith("er")


def _place_then_clause(line: str) -> bool:
    """Whether a line that opens with where ("på västerskolan slår dörren igen", "i köket
    är det fullt av flugor") goes on with a clause of its own: a verb right after the place
    (a few words), as Swedish puts it when the place comes first. A place alone or a place
    and what is there ("på plan 2", "i matsalen som behöver städas") goes on the line
    before."""
    words = line.split()
    for k in range(2, min(len(words), 6)):
        word = words[k].strip(",.!?")
        if word in ("som", "att", "där", "när", "och", "eller"):
            return False
        if word in _PLAIN_VERBS or _has_verb(word) or _short_verb(word):
            return k + 1 < len(words)
    return False


def marked_parts(text: str) -> list[tuple[str, bool]]:
    """The parts of a message that may each carry a need of their own, in the order said.

    The first part always does. A later part does when it asks for something or reports a
    fault (:func:`actions._dialogue.need_cue`), follows "både", goes on a need verb
    ("behöver flytthjälp och att ni hämtar …"), or is a thing listed right after a need: a
    noun phrase ("fika till 10 personer", "ett konto"), not a clause (:data:`_CLAUSE`) and
    not a modifier of the need before it ("till mötet på torsdag").

    Each part is marked ``True`` when it surely may; a sentence of its own that says no
    such thing is kept marked ``False`` ("Vi rensar inför flytten. Pärmarna ska till
    arkivet och …"): it is a need only when it reads clearly as one.
    """
    # "Till terminsstarten behöver vi tre saker: 30 skrivblock, att nån hämtar …": the lead
    # says what the list is for; each thing listed is a need.
    # "Och medan jag skrev schemat kom jag på att fönstren …", "innan jag glömmer, …": what
    # follows is another need, told as remembered.
    text = _NEITHER.sub(_neither, _REMEMBERED.sub(_remembered, text))
    # "… och vid Ängsgården, som är äldreboendet bredvid skolan, är det halt": what the
    # place is, said between commas, is neither a part nor where one ends.
    text = _APPOSITION.sub("", text)
    # "Sen behöver en ny undersköterska, Sara Lind, en nyckel …": who is named between
    # commas, not a part (the one named needs the key).
    text = _NAME_APPOSITION.sub(r" \g<name>", text)
    lead = _LIST_LEAD.match(text)
    listing = lead is not None
    if lead is not None:
        # the first item's own mark goes with the lead ("…behöver vi:\n- ett rum …")
        text = _FIRST_MARK.sub("", text[lead.end() :])
    pieces = _SPLIT.split(text)  # text, delimiter, text, delimiter, …
    parts: list[str] = []
    adding: list[bool] = []  # whether a word that adds a need is next to the part
    sentence: list[bool] = []  # whether the part starts a new sentence
    before_words: list[str] = []  # the word or sign that split each part off
    for i in range(0, len(pieces), 2):
        part = pieces[i].strip()
        before = pieces[i - 1].strip().lower() if i > 0 else ""
        before = "och" if before == "o" else before  # "o" is "och" in chat
        if i > 0 and not before and "\n" in pieces[i - 1]:
            low_part = part.lower()
            if (
                parts
                and part[:1].islower()
                and (
                    _GOES_ON_LINE.match(low_part)
                    or (_MODIFIER.match(low_part) and not _place_then_clause(low_part))
                    or pieces[i - 2].rstrip()[-1:] in (",", ":", "-")
                )
            ):
                parts[-1] = f"{parts[-1]} {part}"
                continue
            before = "-"  # a line of its own is an item of a list
        after = pieces[i + 1].strip().lower() if i + 1 < len(pieces) else ""
        comma = i >= 3 and not pieces[i - 2].strip() and pieces[i - 3].strip() == ","
        if (
            part
            and parts
            and before == "och"
            and _one_with_the_part_before(part, parts[-1], comma=comma)
        ):
            parts[-1] = f"{parts[-1]} {pieces[i - 1].strip()} {part}"
            continue
        if part and parts and before == "," and _SO_THAT.match(part.lower()):
            # "kedjan på gungan har gått av, så den går inte att använda": what follows
            # from the part before is that part's own.
            parts[-1] = f"{parts[-1]}, {part}"
            continue
        if part:
            parts.append(part)
            # "1) ett rum 2) fika": a numbered item is a need of its own.
            then = before in _THEN and not _MODIFIER.match(part.lower())
            also = (before in _AND_ALSO and not _MODIFIER.match(part.lower())) or (
                # "…, och så ska vi annonsera efter en administratör": "och så" lists
                # another thing to be done ("och så kan vi inte jobba" says what follows)
                before == "och" and _SO_ALSO.match(part.lower()) is not None
            )
            adding.append(
                before in _ADDING
                or after in _ADDING
                or then
                or also
                or bool(_LIST_ITEM.match(before))
            )
            sentence.append(before[:1] in (".", "!", "?"))
            before_words.append(before)
    chosen: list[tuple[str, bool]] = []
    previous_was_need, previous_cue = True, False
    unsure_run = False  # whether the parts listed now follow a sentence kept unsure
    # The cues are read with å/ä/ö restored ("behover nan som …"); the parts keep the
    # person's own spelling.
    lows = [restore_diacritics(part).lower() for part in parts]
    # the part before that was read for a need: details said between ("…, vi är 12
    # stycken, och kaffe och bullar till det") are passed over
    before_low, passed_over = "", False
    for index, part in enumerate(parts):
        low = lows[index]
        if index > 0 and not passed_over:
            before_low = lows[index - 1]
        passed_over = False
        cue = need_cue(low) or adding[index] or _SOMEONE_SHALL.search(low) is not None
        # "en tagg till skolan så hon kommer in": what the thing is for is no clause of
        # the thing's own.
        bare = _HEDGE.sub("", _PURPOSE.sub("", _BACK_REFERENCE.sub("", _WHEN_CLAUSE.sub("", low))))
        # "ett bud som hämtar en kartong …": what the thing listed is to do is no clause
        # of its own.
        bare = _WHO_DOES.sub(r"\g<thing>", bare)
        if index == len(parts) - 1:
            # The message's own question mark ("kan vi få fika och sen extra städning
            # efteråt?") does not make its last thing a clause.
            bare = bare.rstrip(" ?")
        # A new sentence is a need only when it says so ("Kostnadsställe 6050." is a detail).
        listed = (
            previous_was_need
            and not sentence[index]
            and not (index > 0 and _VERB_OBJECT.search(before_low))
            and not (
                index > 0 and _ACT_OF.search(before_low) and len(low.split()) <= _ACT_OF_THING_WORDS
            )
            and not _CLAUSE.search(bare)
            and not _MODIFIER.match(low)
        )
        # "behöver en dator med dockningsstation, en tjänstemobil och …": after what comes
        # with a thing ordered, a thing with an article of its own may be the next thing
        # ordered (or one more thing that comes with it): kept unsure, a need only when it
        # reads clearly as one ("fullt med löv, och skräp" lists no order).
        after_with = listed and index > 0 and _WITH_THING.search(before_low) is not None
        with_thing = (
            after_with
            and _A_THING_START.match(low) is not None
            and need_cue(before_low)
            and before_words[index] == ","
        )
        listed = listed and (not after_with or with_thing)
        both = index > 0 and _BOTH.search(lows[index - 1]) is not None
        goes_on = previous_cue and low.startswith("att ")
        # "kan ni putsa fönstren … och storstäda köket": another thing to do, said with its
        # own verb and the thing it is done to.
        another_act = index > 0 and before_words[index] == "och" and _ACT.match(low) is not None
        # "Hon behöver en dator. Och en mobil.": a sentence that only adds a thing to the
        # need before goes on listing it.
        added = (
            sentence[index]
            and previous_was_need
            and _ADDED_THING.match(low) is not None
            and not _CLAUSE.search(bare)
            and not _has_verb(part)
            and not _MODIFIER.match(_ADDED_THING.sub("", low))
        )
        # "…, 40 kartonger gamla verifikationer ska till stadsarkivet": things that are
        # to go somewhere, listed after a need (a sentence of its own stays unsure).
        to_go = (
            index > 0
            and not sentence[index]
            and previous_was_need
            and _THINGS_GO.match(low) is not None
        )
        is_need = index == 0 or cue or listed or both or goes_on or another_act or added or to_go
        if listing and not sentence[index] and not _MODIFIER.match(low):
            is_need = True  # a thing of the list after the lead's colon
        elif sentence[index]:
            listing = False
        if sentence[index]:
            unsure_run = False
        if sentence[index] and not is_need:
            # "… 30 personer. Lunch kl 12 och fika på eftermiddagen.": a sentence that names
            # things lists them as the need before would; each is one only if it reads
            # clearly (a detail, "Kostnadsställe 6050.", does not).
            chosen.append((part, False))
            unsure_run = (
                len(low.split()) <= _LISTED_WORDS
                and not _CLAUSE.search(bare)
                and not _MODIFIER.match(low)
            )
            previous_was_need, previous_cue = unsure_run, False
            continue
        if (
            (not is_need or _ONE_VERB_ASKED.match(low))
            and chosen
            and chosen[-1][0] == parts[index - 1]
            and _ASKED_BACK.match(low)
        ):
            # "Sen har vi tre gamla bokhyllor som ingen vill ha, kan nån komma och hämta
            # dom?": the question asks for what the part before names; so does a request
            # of one verb, though it asks ("…, som ska till stadsarkivet, kan ni hämta?").
            chosen[-1] = (chosen[-1][0], True)
            previous_was_need, previous_cue = True, True
            continue
        if is_need:
            chosen.append((part, not ((unsure_run or with_thing) and listed and not cue)))
        elif index > 0 and before_words[index] in (",", "och") and _in_a_state(low):
            # "…, och gräset bakom hus B är så högt att …": a state said of another thing,
            # kept unsure: it is a fault of its own only when it reads clearly as one.
            chosen.append((part, False))
        elif (
            index > 0
            and before_words[index] == ","
            and _details_only(part)
            and _PEOPLE_OR_WHEN.search(low) is not None
        ):
            # "ett rum på torsdag, det blir 12 personer och fika kl 10": the details of
            # the need before; what is listed after them goes on the list.
            passed_over = True
            continue
        previous_was_need, previous_cue = is_need, cue
    return chosen


# "… och samma dag ska ett bud hämta en kartong …", "ska någon komma och laga": someone
# is to do something for us, a need said as what is to happen.
_SOMEONE_SHALL = re.compile(
    r"\b(?:ska|skulle|måste) (?:ett bud|en bud\w*|någon|nån|ni|en vaktmästare)\s+"
    r"(?:\w+ )?(?:hämta|köra|lämna|komma|bära|leverera|flytta|städa|laga|byta|titta|skicka)\b"
)


# Things, counted or named, that are to go somewhere: "40 kartonger verifikationer ska till
# stadsarkivet" (not "vi ska till Göteborg").
_THINGS_GO = re.compile(
    r"^(?!(?:vi|jag|ni|hon|han|de|dom|det|den)\b)(?:[\w-]+ ){1,5}ska (?:iväg |bort |ut )?till\s\w"
)


# A sentence that begins by adding: "Och en mobil.", "Plus ett passerkort."
_ADDED_THING = re.compile(r"^(?:och|plus|samt|även|också)\s+(?:så\s+|även\s+|också\s+)?")


# A polite hedge after a thing asked for: "fika kl 10 om det går", "… om möjligt tack".
_HEDGE = re.compile(
    r"\s+(?:om det (?:går|är möjligt|finns)|om möjligt|om ni (?:kan|hinner)|i så fall)\b"
    r"[\s,.!?]*(?:tack)?[\s.!?]*$"
)


# What a thing asked for is for, after it: "så hon kommer in", "för att kunna jobba".
_PURPOSE = re.compile(
    r"\s+(?:så att|så|för att)\s+(?:hon|han|hen|vi|jag|de|dom|ni|man|alla|den|det|"
    r"kunna|slippa|få)\b.*$"
)


# A clause that says how a thing is ("gräset är så högt", "flera lysrör har gått"): the
# thing, then a verb of being or of something having happened to it.
_FAULT_STATE = re.compile(
    r"^(?:och |men |sen )?(?!(?:vi|jag|ni|man|hon|han|hen|de|dom|det|den|som)\s)"
    r"(?:[\w:-]+ ){0,4}?[\w:-]+\s+(?:är|har|blir|går|piper|lyser|låter|luktar|"
    # "på Hagaskolan ligger skolgården full av krossat glas", "golvet står under vatten"
    r"ligger|står|rinner|droppar|läcker|blinkar|säger|visar)\b"
)


# A thing that does not do what it should, said after it: "laddar dockningsstationen inte
# datorn", "startar skrivaren inte".
_NOT_DOING = re.compile(
    # ("på Socialkontoret vill skrivaren inte skriva ut nåt")
    r"^(?:och |men |sen )?(?:(?:i|på|vid) (?:[\w-]+ ){1,3}?)?(?:[a-zåäö]{3,}(?:ar|er|r)|vill) "
    r"(?!(?:vi|jag|ni|man|hon|han|hen|de|dom)\s)(?:[\w-]+ ){0,2}inte\b"
)


# A thing that broke down, told as what happened ("mitt i provet stängde datorn av sig och
# ville inte starta igen", "projektorn slocknade", "skrivaren hängde sig"); not what
# someone did not do ("vi ville inte störa").
_BROKE_DOWN = re.compile(
    r"(?<!\bvi )(?<!\bjag )(?<!\bni )(?<!\bman )(?<!\bhon )(?<!\bhan )(?<!\bde )(?<!\bdom )"
    r"\b(?:vill|ville|kunde|gick|orkade) inte (?:starta|gå igång|fungera|funka|tändas|lysa|ladda|"
    r"öppnas|stängas|låsa|spola)\b|"
    r"\b(?:stängde|stängdes) (?:\w+ ){0,4}?av sig\b|"
    r"\b(?:slutade|upphörde) (?:att )?(?:fungera|funka|lysa|ladda|värma|dra|spola)\b|"
    r"\b(?:slocknade|kraschade|hängde sig|dog helt|gick sönder|pajade|la av)\b"
)


# What is happening where nothing is named first: "det forsar in vatten genom taket", "det
# ryker ur elskåpet", "det luktar bränt".
_IT_HAPPENS = re.compile(
    r"^(?:och |men |sen |nu )?(?:så )?det (?:\w+ )?(?:forsar|sprutar|fosser|strömmar|rinner|läcker|"
    r"droppar|regnar|brinner|ryker|osar|gnistrar|luktar (?:bränt|rök|gas|avlopp))\b"
)


def _in_a_state(low: str) -> bool:
    """Whether a part says how a thing is or that it does not work (:data:`_FAULT_STATE`,
    :data:`_NOT_DOING`, :data:`_BROKE_DOWN`, :data:`_IT_HAPPENS`), with or without å/ä/ö."""
    low = restore_diacritics(low)
    return (
        _FAULT_STATE.search(low) is not None
        or _NOT_DOING.search(low) is not None
        or _BROKE_DOWN.search(low) is not None
        or _IT_HAPPENS.search(low) is not None
    )


# A question that asks for something to be done with what was just named ("kan nån komma
# och hämta dom?", "kan ni ta hand om den?").
_ASKED_BACK = re.compile(
    r"^(?:och |men )?(?:kan|skulle|kunde) (?:ni|nån|någon|du) (?:(?:\w+ ){0,3}"
    r"(?:dom|dem|den|det|de|dessa)\b|komma(?: hit| förbi)?$|[a-zåäö]+(?: till)?[\s?!.]*$)"
)
# ... in one verb, with nothing of its own to do it with ("kan ni hämta?", "kan nån
# fixa det?", "kan ni hjälpa till?").
_ONE_VERB_ASKED = re.compile(
    r"^(?:och |men )?(?:kan|skulle|kunde) (?:ni|nån|någon|du) (?:också |även |snälla )?"
    r"[a-zåäö]+(?: (?:till|hit|förbi|dom|dem|den|det|de|dessa))?[\s?!.]*$"
)


def present(dispatcher: CollectingDispatcher, service: ServiceInfo) -> None:
    """Tell the person what the service is, what it costs, who delivers and how fast."""
    dispatcher.utter_message(
        response="utter_service_presentation",
        name=service.name,
        category=service.category,
        description=service.description,
        price=format_price(service),
        performer=service.performer,
        sla=format_sla(service.sla_hours),
    )


# Words of when and how many: a whole word ("stolar" is no "st", "personalköket" no
# "person").
_WHEN = re.compile(
    r"i ?morgon|idag|(?:mån|tis|ons|tors|fre|lör|sön)dag(?:en|ar|s)?|vecka|veckan|veckor|"
    r"dagar|kl|klockan|(?:förmiddag|eftermiddag|morgon|kväll)(?:en)?|januari|februari|mars|"
    r"april|maj|juni|juli|augusti|september|oktober|november|december|personer|person|st|"
    r"stycken|pers|deltagare|gäster|exemplar|ex"
)


def _names_performer(place: str | None, service: ServiceInfo) -> bool:
    """Whether a place found in a message is the deliverer itself ("till stadsarkivet")."""
    if not place or len(place) < 5:
        return False
    found = fold(place.lower()).strip()
    return re.search(rf"\b{re.escape(found)}\b", fold(service.performer.lower())) is not None


def _place(found: dict[str, str], text: str, service: ServiceInfo, now: datetime) -> str | None:
    """The place an order's first message names (only an order's description ignores it):
    the prefilled one, else the one the message names although the service does not ask."""
    if service.kind != "order":
        return None
    return found.get("location") or extract_details(text, ("location",), now).get("location")


# What a description lists a service as helping with ("Tekniker som hjälper till med
# projektor, mikrofoner, ljud och hybridmöten"); an item may be two words long
# ("klottersanering utomhus"), its first content word names it. A list of what is
# delivered ("Lunch, smörgåsar eller middag") is not one: "lunch till 15" still leaves
# what food to say.
_LIST = re.compile(
    r"(?<=\bmed )[a-zåäö-]+(?: [a-zåäö-]+)?(?:, [a-zåäö-]+(?: [a-zåäö-]+)?)+,? "
    r"(?:och|eller) [a-zåäö-]+"
)


def _listed_things(service: ServiceInfo) -> set[str]:
    """The lemmas of the things an order's description lists it as helping with that its
    keywords also name (not "för barn, elever eller brukare": who, not what), beside its
    name."""
    keywords = {lemma(w) for k in service.keywords for w in k.lower().split()}
    named = {lemma(w) for w in tokens(f"{service.name} {service.category}".lower())}
    items = {
        lemma(next((w for w in words if is_content(w)), words[-1]))
        for found in _LIST.finditer(service.description.lower())
        for item in re.split(r", | och | eller ", found[0])
        if (words := item.split())
    }
    return (items & keywords) - named


def describes_something(text: str, service: ServiceInfo, place: str | None = None) -> bool:
    """Whether a first message says more than the service's name ("boka möbler" does not).

    It does when at least one content word is neither in the service's name, category or
    keywords, nor a generic "I want to order" word, a date, a time or a count: "datorn
    krånglar" only names an IT fault, "datorn startar inte efter uppdateringen" describes.
    A place (the ``place`` found in the message, or a word for one) describes a fault
    ("lampan i korridoren är trasig") but not an order: "storstädning av förskolan på
    fredag" says where, not what.
    """
    order = service.kind == "order"
    # An order's keywords that its own description does not use are the particular things
    # it delivers: "6 kontorsstolar" says what is ordered; its name and description ("boka
    # möbler", "lunch till 15" for "Lunch, smörgåsar eller middag …") and a fault's
    # keywords ("datorn krånglar") do not.
    named = [service.name, service.category]
    named += [service.description] if order else list(service.keywords)
    own = set(terms(" ".join(named)))
    # One of the things an order's description lists it as helping with ("projektor,
    # mikrofoner, ljud och hybridmöten"): "hjälp med mikrofonerna" says which.
    listed = _listed_things(service)
    # The place's own words say where, as whole words only: "kontor" of "Björkvikens
    # kontor" is no part of "kontorsstolar".
    at = (
        {lemma(w.lower()) for w in tokens(place)} | {w.lower() for w in tokens(place)}
        if place and order
        else set()
    )
    said = tokens(text)
    if order and _says_which(text, service):
        return True
    for index, word in enumerate(said):
        if not is_content(word) or any(c.isdigit() for c in word) or _WHEN.fullmatch(word.lower()):
            continue
        if order and is_place_word(word.lower()) and (not at or lemma(word.lower()) in at):
            # "storstädning på avdelningen": where, not what ("extrastädning av
            # sammanträdesrummet" where the order's place is the office says which room)
            continue
        if order and _OCCASION_WORD.fullmatch(lemma(word).lower()):
            continue  # "lunch till planeringsdagen": what for, not what
        variants = word_terms(word)
        if order and lemma(word.lower()) in listed:
            return True
        if order and index and said[index - 1].lower() in ("gärna", "helst"):
            return True  # "lunch, gärna smörgåsar": which of what it delivers
        if word.lower() in at or lemma(word.lower()) in at:
            continue  # the place the message names
        if order and _kind_of_own_thing(word.lower(), own):
            return True  # "30 whiteboardpennor" where the description lists "pennor"
        # A place is content too: "lampan i korridoren är trasig" describes the fault.
        if lemma(word) in _GENERIC or variants & own:
            continue
        if any(len(v) >= 5 and v in o for v in variants for o in own):
            continue  # part of one of its own words: "skräp" of "nedskräpning"
        return True
    return False


def _kind_of_own_thing(low: str, own: set[str]) -> bool:
    """Whether a word is a kind of a thing the service names, said with a modifier the
    service does not use ("whiteboardpennor" of "pennor", "kopieringspapper" of "papper";
    not "extrastädning" where "extra" is the service's own word)."""
    if low in own or lemma(low) in own:
        return False
    variants = word_terms(low)
    heads = {h for h in variants & own if len(h) >= 4}
    for modifier in variants - own:
        if len(modifier) < 4 or modifier == low or not low.startswith(modifier):
            continue
        rest = low[len(modifier) :]
        if rest.startswith("s") and not any(rest.startswith(h) for h in heads):
            rest = rest[1:]  # the joining "s" of "kopierings|papper"
        if any(rest.startswith(h[:4]) for h in heads) and is_content(modifier):
            return True
    return False


def _says_which(text: str, service: ServiceInfo) -> bool:
    """Whether an order's message ends with a thing of its own after a comma, one word
    or two ("lunch till 9 personer tisdag kl 11.30, smörgåsar"): which of what the service
    delivers, not its name, a place, a time or a count."""
    pieces = re.split(r"[,;]\s*", text.strip(" .!?"))
    if len(pieces) < 2:
        return False
    last = tokens(pieces[-1])
    name = set(terms(f"{service.name} {service.category}"))
    return 1 <= len(last) <= 2 and all(
        is_content(w)
        and not any(c.isdigit() for c in w)
        and not _WHEN.fullmatch(w.lower())
        and not is_place_word(w.lower())
        and lemma(w) not in _GENERIC
        and not word_terms(w) & name
        for w in last
    )


# "Förra året åkte två av oss till Malmö …": a sentence about an earlier time is a
# story, and its places, counts and days are not this order's.
_EARLIER = re.compile(
    r"\b(?:förra (?:året|gången|veckan|månaden|terminen|hösten|våren|sommaren|vintern)|"
    r"i fjol|för (?:\w+ )?(?:år|veckor|månader|dagar) sedan|senast vi)\b",
    re.IGNORECASE,
)


_CLAUSE_BREAK = re.compile(r"(?:[,;]|\s(?:och|men)\s)")


def _without_the_past(text: str) -> str:
    """The message without its clauses about an earlier time ("Förra året åkte två av oss
    till Malmö", "förra veckan bokade vi rum, nu behöver vi …" keeps what follows the
    comma); the message itself when it has none, or nothing else."""
    if not _EARLIER.search(text):
        return text
    sentences = []
    for sentence in _SENTENCE.split(text.strip()):
        clauses = [c.strip() for c in _CLAUSE_BREAK.split(sentence)]
        kept = [c for c in clauses if c and not _EARLIER.search(c)]
        if kept:
            sentences.append(", ".join(kept))
    return " ".join(sentences) or text


# The words that join a part to the one before: "och så", "sen", "plus", "dessutom".
_JOINER = re.compile(
    r"^(?:(?:och så|och|så|sen|sedan|plus|samt|förresten|dessutom|btw)[,:]?\s+)+",
    re.IGNORECASE,
)


# The words that join a need to the one before and say that it is wished for ("sen vill vi
# ha …", "Dessutom behöver vi …", "… också"): no part of what the need is.
_NEED_LEAD = re.compile(
    _JOINER.pattern + r"(?:(?:vill|behöver|skulle|måste) (?:vi|jag) (?:ha |behöva |vilja ha )?|"
    r"(?:vi|jag) (?:vill ha|behöver|skulle behöva|måste ha) )?",
    re.IGNORECASE,
)
# The words that open another matter than the one just said ("Och så går inte kranen …",
# "Sen är det något knas med luften …", "Dessutom läcker …"); a bare "och" does not.
_ANOTHER_MATTER = re.compile(r"^(?:och så|sen|sedan|dessutom|plus|förresten|en annan sak)\b")
_NEED_TAIL = re.compile(r"[\s,]+(?:också|även)[\s.!]*$", re.IGNORECASE)


def _need_itself(part: str) -> str:
    """A need said after another, as its description: without the words that add it
    ("sen vill vi ha nån som gör rent i salen efter maten också" → "Nån som gör rent i
    salen efter maten")."""
    said = part.strip()
    words = _NEED_TAIL.sub("", _NEED_LEAD.sub("", said)).strip(" ,.")
    if words == said.strip(" ,.") or len(words.split()) < 2:
        return said
    return words[:1].upper() + words[1:]


# "var sin dator", "varsitt kort": one each of the people counted.
_EACH = re.compile(r"\b(?:var sin|var sitt|var sina|varsin|varsitt|varsina|var och en)\b")


def start_order(
    service: ServiceInfo,
    first_text: str | None,
    carried: dict[str, str] | None = None,
    dispatcher: CollectingDispatcher | None = None,
    own_part: str | None = None,
    carried_fields: dict[str, str] | None = None,
    other_parts: Sequence[str] = (),
) -> list[EventType]:
    """Return the events that reset the order, prefill details and let the form start.

    Prefilled details get the checks an answer gets: a time already past today is
    dropped (and the person told why), so the form asks for it. With several needs in
    one message, ``own_part`` is the part that named this service ("lunch till mötet
    kl 12"): its details win over the shared ones, and only it can be the description;
    ``other_parts`` are the other needs' own words, whose details are theirs (the lunch's
    "kl 12" is not the technician's time, said "kl 10" for the whole day).
    """
    events: list[EventType] = [SlotSet(field, None) for field in DETAIL_FIELDS]
    # A count left half-confirmed in an abandoned order must not leak into this one.
    events += [SlotSet(name, value) for name, value in NO_PENDING_NUMBER.items()]
    events += [
        SlotSet(s, None) for s in ("confirmed", "confirm_step", "sla_warned", "note", "place_part")
    ]
    events += [SlotSet(s, None) for s in FIELD_SLOTS]
    events.append(SlotSet("service_code", service.code))
    events.append(SlotSet("first_request", first_text))
    # One key per order: confirming the same order again (a retry after a timeout, or
    # "ja" once more after an outage) answers with the ticket it already made.
    events.append(SlotSet("order_id", uuid.uuid4().hex))
    found: dict[str, str] = {
        k: v for k, v in (carried or {}).items() if k in service.order_fields and v
    }
    now = local_now()
    been = service.kind == "fault"  # a fault's day is the day it happened
    if been and found.get("date", "") > now.date().isoformat():
        found.pop("date")  # a meeting's day carried from another need has not been yet
    if own_part:
        found.update(
            extract_details(
                without_mentions(own_part, service.fields),
                service.order_fields,
                now,
                happened=been,
            )
        )
        before = (carried or {}).get("location")
        if before and _room_of(found.get("location"), before):
            # "… nån som gör rent i salen efter maten" after lunch in "Kulturhuset stora
            # salen": the room of the place already said, not a new place.
            found["location"] = before
    if own_part and first_text:
        # The sentence that named this need says its details before the rest of the
        # message does ("Vi flyttar från Storgatan 12 till Torget 3 … och behöver
        # flytthjälp. Sen behöver 4 av oss passerkort till nya huset": to Torget 3).
        for sentence in _SENTENCE.split(first_text.strip()):
            if own_part.strip() in sentence and sentence.strip() != own_part.strip():
                said = _without_others(sentence, other_parts)
                said = without_mentions(_without_the_past(said), service.fields)
                for key, value in extract_details(
                    said, service.order_fields, now, happened=been
                ).items():
                    # A count of things is its own need's (as below for the whole message).
                    if key != "quantity" and (key != "location" or not _says_where(own_part)):
                        found.setdefault(key, value)
                break
    if first_text:
        plain = without_mentions(_without_the_past(first_text), service.fields)
        # "Hej! Sara här, undersköterska på Lärkans äldreboende. En av de boende har kräkts
        # i korridoren, och …": the place of the sentence that says who writes is where
        # every need is, though a need names its room.
        scene_place = _scene_place(first_text, now) if own_part else None
        # "kranen i personalköket droppar och nån har kräkts i trappan, båda på
        # Sjöviksskolan hus B": where every need is
        if (
            own_part
            and "location" in service.order_fields
            and "location" not in found
            and (for_all := shared_place(first_text, now)) is not None
        ):
            found["location"] = for_all
        details = extract_details(plain, service.order_fields, now, happened=been)
        outside: dict[str, str] = {}
        if other_parts:
            # What is said outside the other needs' words wins; what only they say is
            # carried (the meeting's day, said with its lunch, is the room's day too).
            own_words = _without_others(first_text, other_parts)
            own_words = without_mentions(_without_the_past(own_words), service.fields)
            outside = extract_details(own_words, service.order_fields, now, happened=been)
            details = {**details, **outside}
        for key, value in details.items():
            if own_part and key == "quantity" and not _EACH.search(own_part.lower()):
                # "fönstren putsade, en extra städning och fika till 10 personer": a count
                # of things is its own need's; another need's count is no prefill (but
                # "tre nya … De behöver var sin dator" counts the computers).
                continue
            if (
                own_part
                and key == "location"
                and value != scene_place
                and (
                    _says_where(own_part)
                    or (
                        value != outside.get("location")
                        and _anothers_place(value, own_part, first_text, now)
                    )
                )
            ):
                # "… och gräset bakom hus B är så högt": a need that says where it is is
                # not where the other need is; asked, if its own words give no place.
                # "Hon behöver en dator. … Och ett passerkort till kommunhuset": the place
                # said in another need's own words is that need's (unless it is said
                # outside them too: "Vi flyttar från Tornhuset … och en extra städning
                # av våra gamla rum i Tornhuset").
                continue
            found.setdefault(key, value)
    if own_part and first_text and "location" in service.order_fields and "location" not in found:
        # "… och lysröret i korridoren blinkar. Det är på Ekbackens förskola": where every
        # need is.
        shared = _SHARED_PLACE.search(first_text)
        if shared:
            place = extract_details(shared[0], ("location",), now).get("location")
            if place:
                found["location"] = place
    if (
        first_text
        and "location" in service.order_fields
        and "location" not in found
        and (greeted := greeting_place(first_text)) is not None
    ):
        # "hej från förskolan ekorren! vi behöver: …", "Två saker från Socialkontoret:
        # kranen i personalköket droppar …": where the writer is, each need's place unless
        # it gave its own
        found["location"] = greeted
    described = own_part or _without_their_sentences(first_text, other_parts)
    wants_count = described and "quantity" in service.order_fields and "quantity" not in found
    if wants_count and _one_thing(str(described), service):
        found["quantity"] = "1"
    if described:
        if _names_performer(found.get("location"), service):
            # "kartongerna ska till stadsarkivet" names the deliverer, not the place.
            found.pop("location")
        if "description" in service.order_fields and describes_something(
            described, service, _place(found, described, service, now)
        ):
            found.setdefault(
                "description", _need_itself(described) if own_part else described.strip()
            )
        if not been and passed(found.get("date"), found.get("time"), now):
            if dispatcher is not None:
                dispatcher.utter_message(response="utter_time_passed", value=found["time"])
            found.pop("time")
    place = found.get("location")
    if place and place != (carried or {}).get("location") and not names_building(place):
        # "extra städning i sal A": the room is kept and its building asked ("Var ligger
        # sal A?"); the answer and the room make the place.
        events.append(SlotSet("place_part", found.pop("location")))
    events.extend(SlotSet(field, value) for field, value in found.items())
    events.extend(_defined_fields(service, own_part, first_text, carried_fields or {}, now))
    events.append(SlotSet("match_outcome", "match"))
    return events


def _without_their_sentences(text: str | None, others: Sequence[str]) -> str | None:
    """``text`` without the sentences that hold another need's words ("… Nu märkte jag
    också att vi bara har en halv kartong handskar kvar, kan vi få 3 kartonger till?"
    is the gloves' need, not the meal fault's description); ``text`` itself when that
    would leave too little."""
    if not text or not others:
        return text
    kept = []
    for sentence in _SENTENCE.split(_past_the_scene(text.strip())):
        if any(other.strip() and other.strip() in sentence for other in others):
            # "Fläkten … låter som ett flygplan, och så behöver vi 4 kartonger handskar":
            # the rest of a sentence that holds another need is this need's, when it says
            # enough
            sentence = _JOINER.sub("", _without_others(sentence, others).strip(" ,;:-–"))
            if len(sentence.split()) < _DESCRIBED_WORDS:
                continue
        kept.append(sentence)
    rest = " ".join(s.strip() for s in kept if s.strip())
    return rest if len(rest.split()) >= _DESCRIBED_WORDS else text


#: The fewest words a description kept without other needs' sentences has.
_DESCRIBED_WORDS = 4


def _without_others(text: str, others: Sequence[str]) -> str:
    """``text`` without the words of the other needs said in it (each found as said)."""
    for other in others:
        if other.strip():
            text = text.replace(other.strip(), " ")
    return text


def _scene_place(text: str, now: datetime) -> str | None:
    """The place said in the sentences :func:`_past_the_scene` reads past (who writes,
    from where), None when there is none."""
    said = text.strip()
    rest = _past_the_scene(said)
    if rest == said or not said.endswith(rest):
        return None
    return extract_details(said[: len(said) - len(rest)], ("location",), now).get("location")


# Water running somewhere ("det forsar vatten ur taket", "det rinner längs väggen").
_WATER_RUNS = re.compile(r"\b(?:forsar|rinner|sprutar|strömmar|droppar|läcker|sipprar)\b")
# Words that ask for something to be done ("… och kan någon städa upp", "behöver sanering").
_ASKS_DONE = re.compile(
    r"\b(?:behöv\w*|vill|beställ\w*|boka\w*|städ\w*|sanera\w*|kan (?:ni|någon|nån))\b"
)


# Where the writer is, said in the greeting ("hej från förskolan ekorren! vi behöver: …",
# "hej, två saker från ekbackens skola:"): the first line or sentence, "från" and a place.
_GREETED_FROM = re.compile(
    r"^\s*(?:(?:hej|hejsan|hallå|god morgon|god eftermiddag|tjena|(?:många )?hälsningar)\b[\s,!.]*"
    r"(?:[\wåäö-]+\s+){0,3}?|"
    r"(?:två|tre|fyra|några|ett par)\s+(?:saker|grejer|ärenden|frågor)\s+)"
    r"från\s+(?!och med\b)(?P<place>[^,.!?:;\n]{3,60}?)\s*(?=[,.!?:;\n]|$)",
    re.IGNORECASE,
)
#: Small words of a place that keep their lower case when its name is capitalised.
_PLACE_SMALL_WORDS = frozenset({"på", "i", "vid", "och", "hus", "plan", "rum"})


def greeting_place(text: str) -> str | None:
    """The place a message's greeting says the writer is at (:data:`_GREETED_FROM`), its
    names capitalised as a person would ("förskolan Ekorren"); None when the greeting
    says none, or names no place word, or the place goes on "till" somewhere (a move)."""
    found = _GREETED_FROM.match(text)
    if found is None or re.search(r"\btill\b", found["place"], re.IGNORECASE):
        return None
    words = found["place"].split()
    if not any(is_place_word(w.lower()) for w in words):
        return None
    return " ".join(
        w
        if w.lower() in _PLACE_SMALL_WORDS or is_place_word(w.lower()) or w[:1].isupper()
        else w[:1].upper() + w[1:]
        for w in words
    )


# "…, båda på Sjöviksskolan hus B", "… – alla tre i Rådhuset": one place said for every
# need of the message.
_FOR_ALL = re.compile(
    r"(?:^|[,;:.!?–-]\s*|\boch\s+)(?:det är\s+|de är\s+|dom är\s+)?"
    r"(?:båda|bägge|alla|allihop)(?:\s+(?:två|tre|fyra|sakerna|grejerna|felen|delarna))?"
    r"(?:\s+(?:är|finns|gäller))?\s+(?P<place>(?:på|i|vid)\s+[^,.;!?]+)",
    re.IGNORECASE,
)


def shared_place(text: str, now: datetime) -> str | None:
    """The place a message says for all its needs at once (:data:`_FOR_ALL`), or None."""
    found = _FOR_ALL.search(text)
    if found is None:
        return None
    return extract_details(found["place"], ("location",), now).get("location")


def _anothers_place(place: str, own_part: str, text: str, now: datetime) -> bool:
    """Whether ``place`` is said only inside the words of another need of ``text`` than
    the one of ``own_part``: not in a sentence that sets the scene, not in its own part."""
    own = own_part.strip()
    for part in need_parts(_past_the_scene(text)):
        if own in part or part.strip() in own:
            continue
        if extract_details(part, ("location",), now).get("location") == place:
            return True
    return False


def _room_of(place: str | None, before: str) -> bool:
    """Whether ``place`` is only a room or part ("salen") that the place said before
    ("Kulturhuset stora salen") already names."""
    if not place or place == before:
        return False
    words = [w for w in tokens(place.lower()) if is_content(w)]
    known = tokens(before.lower())
    return bool(words) and len(words) < len(known) and all(w in known for w in words)


# Where all needs of a message are: "Det är på Ekbackens förskola", "Två saker från
# Hagaskolan, …".
_SHARED_PLACE = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:(?:det|allt|båda|bägge|alltihop|detta)(?: (?:sakerna|felen|två))? "
    r"(?:är|gäller|ligger|finns) (?:på|i|vid|hos) [^.!?,]+|"
    r"(?:två|tre|några|ett par) (?:saker|grejer|fel|ärenden) (?:från|på|i|vid) [^.!?,]+)",
    re.IGNORECASE,
)
_WHERE_WORD = re.compile(
    r"\b(?:i|på|vid|utanför|bakom|framför|bredvid|under|ovanför|intill|mot)\s+"
    r"((?:[a-zåäö]+\s+){0,2}[a-zåäö]+)",
    re.IGNORECASE,
)


def _place_words(part: str) -> list[str]:
    """The place words a part names after "i", "på", … ("i matsalen" → "matsalen")."""
    return [w for m in _WHERE_WORD.finditer(part.lower()) for w in m[1].split() if is_place_word(w)]


def _says_where(part: str) -> bool:
    """Whether a part names a place of its own ("bakom hus B", "i köket"), not the same
    place as before ("i samma rum", "där")."""
    return not _SAME_PLACE.search(part.lower()) and bool(_place_words(part))


def _place_words_in(part: str, place: str) -> bool:
    """Whether every place word a part names ("i matsalen") is a word of ``place``."""
    words = _place_words(part)
    return bool(words) and set(words) <= set(tokens(place.lower()))


#: Words between "en"/"ett" and the thing it counts ("ett höj och sänkbart skrivbord").
_ONE_THING_WINDOW = 4
_PER_COPY = re.compile(r"\bper (?:sida|sidor|exemplar|ex|kopia|kopior|blad)\b", re.IGNORECASE)
_NOT_THE_THING = frozenset(
    ["som", "till", "för", "med", "i", "på", "vid", "hos", "från", "åt", "om", "men", "eller"]
)


# Asking for a new one of what was named before: "behöver ett nytt", "vill ha en ny".
_WANTS = r"behöver|vill ha|måste få|ska ha|skulle behöva|kan jag få|kan vi få"
_NEW_ONE = r"(?:ett nytt|en ny|ett till|en till|ett annat|en annan)\s*[.!?]*"
# "… och behöver ett nytt": one thing in place of the one named before.
_A_NEW_ONE = re.compile(rf"\b(?:{_WANTS}|behövs) {_NEW_ONE}$")
# A part that only asks for a new one of what was just named ("behöver ett nytt").
_NEW_ONE_PART = re.compile(rf"(?:och |så )?(?:jag |vi )?(?:{_WANTS}) {_NEW_ONE}")


def _one_thing(text: str, service: ServiceInfo) -> bool:
    """Whether an order says it wants one of the service's things ("ett passerkort till
    Lisa Borg", "en tjänstemobil", "ett höj och sänkbart skrivbord"): "en"/"ett" with one
    of the words of the service's name, keywords or description a few words on, and no
    other count said (the caller has found none in figures or words)."""
    if _PER_COPY.search(service.price_unit):
        return False  # "kopiera ett kompendium" says what, not how many copies
    own = set(terms(" ".join([service.name, service.description, *service.keywords])))
    words = re.findall(r"[a-zåäö]+|[^\w\s]", text.lower())
    replaced = _A_NEW_ONE.search(text.lower())
    if replaced and any(word_terms(w) & own for w in words[: len(words) - 2]):
        return True  # "tappat mitt passerkort, behöver ett nytt": one, in place of it
    for index, word in enumerate(words):
        if word not in ("en", "ett"):
            continue
        if index and words[index - 1] in ("inte", "ej"):
            continue  # "har inte en enda penna kvar": none, not one
        for after in words[index + 1 : index + 1 + _ONE_THING_WINDOW]:
            if not after.isalpha() or after in _NOT_THE_THING:
                break
            if word_terms(after) & own:
                return True
    return False


def _defined_fields(
    service: ServiceInfo,
    own_part: str | None,
    text: str | None,
    carried: dict[str, str],
    now: datetime,
) -> list[EventType]:
    """The catalogue-defined fields a message already answers ("…, kostnadsställe 6040"):
    the part that named this service first (``own_part``, with several needs), then the
    whole message ("Tåg och hotell till Malmö …. Ansvar 2310" gives both orders the
    kostnadsställe), else the answer the order before gave the same field (one meeting's
    kostnadsställe)."""
    events: list[EventType] = []
    for slot, defined in defined_slots(service):
        if is_personnummer(defined):
            continue
        value = None
        for said in (own_part, text):
            if value is None and said:
                value = mentioned(defined, said, now.date())
        if value is None:
            value = carried.get(str(defined.get("key")))
        if value is not None:
            events.append(SlotSet(slot, value))
    return events


# Words that only say when or how many ("tisdag nästa vecka kl 13-15 för 8 personer").
_WHEN_WORDS = (
    "måndag tisdag onsdag torsdag fredag lördag söndag måndagen tisdagen onsdagen torsdagen "
    "fredagen lördagen söndagen idag imorgon morgon förmiddag eftermiddag kväll kvällen "
    "förmiddagen eftermiddagen vecka veckan nästa kommande denna dag dagen datum kl klockan "
    "januari februari mars april maj juni juli augusti september oktober november december "
    "person personer pers deltagare st stycken ungefär cirka ca halvdag heldag timme timmar "
    "halvtimme"
)
_WHEN_AND_HOW_MANY = frozenset(_WHEN_WORDS.split())


def _every_field() -> list[dict[str, Any]]:
    """Every catalogue-defined field of the active services (a part that only names one,
    "kostnadsställe 4410", is no need)."""
    return [f for service in snapshot().services.values() for f in service.fields]


# How many people and when ("det blir 12 personer", "kl 10"), not how many things ("ett
# 20-tal kartonger" are what a move carries).
_PEOPLE_OR_WHEN = re.compile(
    r"\b(?:personer|pers|deltagare|kl|klockan|\d{1,2}[:.]\d{2}|måndag|tisdag|onsdag|torsdag|"
    r"fredag|lördag|söndag|i morgon|imorgon|förmiddag|eftermiddag)\b|"
    # how many we are ("vi är 12 stycken", "vi blir tolv")
    r"^(?:och\s+)?(?:vi är|vi blir|det blir) (?:ca |cirka |ungefär )?\w+(?: st| stycken)?$"
)


def _details_only(part: str) -> bool:
    """Whether a part says only when and how many ("tisdag kl 13-15 för 8 personer", "det
    blir 12 personer")."""
    return not any(
        is_content(w)
        and lemma(w) not in _GENERIC
        and w not in _WHEN_AND_HOW_MANY
        and not re.fullmatch(r"[\d.:–-]+", w)
        for w in tokens(part)
    )


def _no_need(part: str, index: int, defined: list[dict[str, Any]]) -> bool:
    """Whether one part of a message (the ``index``-th) carries no need of its own: only a
    word for ordering ("felanmälan, ventilationen låter"), only a catalogue-defined detail
    ("…, kostnadsställe 6040"), or, after the first, only where ("…, rum Linden, …")."""
    if _details_only(part):
        return True  # "…, tisdag nästa vecka kl 13-15 för 8 personer": details only
    if _NONE_OF.fullmatch(part.lower().strip(" .!")):
        return True  # "…, inga allergier": nothing is asked for
    if _SAME_COUNT.fullmatch(part.lower().strip()):
        return True  # "…, samma antal": how many of the thing before
    if _FALLEN_ILL.search(part.lower()) and not need_cue(part.lower()):
        return True  # "…, och halva gruppen är sjuk": how the day is, no need
    if (
        index == 0
        and _FROM_WHERE.fullmatch(_GREETING_WORD.sub("", part.strip()))
        and not need_cue(part.lower())
    ):
        # "Hej från köket på Lindgårdens äldreboende!\n1. …", "Hälsningar från städet på
        # Björkhagens förskola!": who writes
        return True
    if (lead := _ORDER_WORD_LEAD.match(part)) and only_place(part[lead.end() :], local_now()):
        return True  # "Felanmälan Björkskolan hus C rum 108, fläkten …": the place
    return only_mentions(part, defined) or (index > 0 and only_place(part, local_now()))


# Staff said to be ill or away ("halva gruppen är sjuk", "två är hemma och vabbar"): part
# of the story unless a need is said with it.
_FALLEN_ILL = re.compile(
    r"\b(?:är|blev|blivit|har varit|ligger)\s+(?:\w+\s+)?(?:sjuk|sjuka|sjukskriven|sjukskrivna|"
    r"magsjuk|magsjuka|förkyld|förkylda|hemma sjuk\w*)\b|\bvabbar\b|\bhar sjukanmält\b"
)


# A word of greeting before where one writes from ("Hälsningar från städet på …").
_GREETING_WORD = re.compile(
    r"^(?:(?:många |varma )?hälsningar|hälsning|hej|hejsan|hallå|god morgon)[,!]?\s+(?=från\b)",
    re.IGNORECASE,
)
# Where a message is written from, said after the greeting: "från köket på Lindgården!".
_FROM_WHERE = re.compile(r"från\s+(?!och med\b)[^,.!?\n]{2,60}?[.!]*", re.IGNORECASE)


# A word that only says a message orders or reports something, before what it is about.
_ORDER_WORD_LEAD = re.compile(
    r"^(?:(?:hej|hallå|felanmälan|felanmäla|anmälan|beställning|bokning)[,:!.]?\s+)+",
    re.IGNORECASE,
)


# "inga allergier", "ingen specialkost alls": a part that says there is none of something.
_NONE_OF = re.compile(r"(?:inga|inget|ingen)\s+[a-zåäö-]+(?:\s+(?:alls|heller|här))?")


# What a fault has already done ("…, golvet är redan blött"): more of that fault.
_ALREADY = re.compile(r"\bredan\b")

# A part that is only a greeting ("Hej!", "hej hej").
_GREETING_PART = re.compile(rf"(?:(?:{GREETING_WORDS})[\s!.,]*)+")

_GREETING_LEAD = re.compile(
    rf"^(?:(?:{GREETING_WORDS}|tjenare|god eftermiddag)"
    r"(?:\s+(?:hej|på er|på dig|allihop|alla))?(?:,\s*|\s+))+(?=\S)",
    re.IGNORECASE,
)


_ASIDE = re.compile(r"\s*\((?P<aside>[^()\n]{1,160})\)")


def _own_line(text: str, part: str) -> bool:
    """Whether ``part`` begins a line of its own in a message written as lines ("- 6 nya
    nycklar till förrådet"): a thing of a list, never more of the line before."""
    at = text.find(part)
    if at <= 0 or "\n" not in text[:at]:
        return False
    return not text[text.rfind("\n", 0, at) + 1 : at].strip(" \t-*•–·0123456789.)")


def _past_the_scene(text: str) -> str:
    """The message without a first sentence that only sets the scene ("En ny medarbetare,
    Sara Holm, börjar hos oss nästa måndag. Hon behöver …": the needs are in the rest)."""
    # "hej, på Storgatan 8 blinkar …", "hej vi behöver …": a greeting is no part. A
    # greeting that is a sentence of its own ("Hej! Vi har haft …") stays one: what follows
    # it may be a story, not the first need.
    text = _GREETING_LEAD.sub("", text.strip()) or text.strip()
    head, _, rest = text.partition("\n")
    if (
        rest.strip()
        and _introduces(head.strip(" ,.!"))
        and not need_cue(restore_diacritics(head.lower()))
    ):
        # "hemtjänsten norrby här\nbehöver en bil i morgon kl 8\n…": who writes, on a line
        # of its own before the needs listed one a line
        text = _FIRST_MARK.sub("", rest.strip())
    text = past_the_story(text)  # "… Det jag egentligen skriver för är att …"
    # "… men hon anmärkte på två saker som jag inte kan fixa själv: det sitter fett …": the
    # things announced follow the colon.
    announced = _ANNOUNCED_LIST.search(text)
    if (
        announced is not None
        and _LIST_LEAD.match(text) is None  # (a lead that starts the message is read as one)
        and len(text[announced.end() :].split()) >= _LISTED_WORDS
    ):
        text = _FIRST_MARK.sub("", text[announced.end() :].strip())
    # (what a place is, said between commas, goes as :func:`marked_parts` drops it: the
    # parts are then words of this text)
    text = _APPOSITION.sub("", text)
    # "2 tjänstemobiler (den tredje har redan en egen) och en webbkurs": an aside that
    # tells something is no part of the needs
    text = _ASIDE.sub(lambda m: "" if _tells(m["aside"]) else m[0], text)
    sentences = _SENTENCE.split(text)
    if len(sentences) == 1:
        # typed in lower case on a phone: "… mellan besoken. vi behover boka en bil …"
        sentences = _LOWER_SENTENCE.split(text)
    skip = 0
    if (
        len(sentences) > 2
        and _GREETING_PART.fullmatch(sentences[0].strip().lower())
        and _introduces(sentences[1])
    ):
        # "Hej! Maja här, undersköterska på Rosengården. En av de boende har kräkts …": a
        # greeting said alone, then who writes.
        sentences = sentences[1:]
    first = sentences[0]
    if (
        len(sentences) > 1
        and _introduces(first)
        and not need_cue(restore_diacritics(first.lower()))
        # ... and tells no fault after saying who writes ("Jag jobbar natt på Solgården
        # och … sen började det droppa från taket och nu står det vatten på golvet.")
        and not any(_in_a_state(c) for c in _CLAUSE_SPLIT.split(first.lower())[1:])
        # ... only when a need or a scene follows at once ("Hej, jag är kock på Norrskolan.
        # Hösten har varit tung …" goes on with a story, whose first sentence is no need)
        and (need_cue(restore_diacritics(sentences[1].lower())) or _only_the_scene(sentences[1]))
    ):
        # "det är Mona på ekonomiavdelningen och det är kaos här idag.", "hej jobbar pa
        # hemtjansten och skriver fran mobilen.", "Hej, jag jobbar på ekonomienheten."
        skip = 1
    if len(sentences) > skip + 1 and _only_the_scene(sentences[skip]):
        skip += 1
    if skip:
        return " ".join(sentences[skip:])
    return text


# How many things follow, said mid-message before a colon ("… två saker som jag inte kan
# fixa själv: …").
_ANNOUNCED_LIST = re.compile(
    r"\b(?:två|tre|fyra|fem|några|flera|ett par)\s+(?:saker|grejer|grejor|fel|ärenden|problem|"
    r"beställningar|felanmälningar)\b[^:.!?\n]{0,60}:\s+",
    re.IGNORECASE,
)


# Where one clause of a long sentence ends and the next begins.
_CLAUSE_SPLIT = re.compile(r",\s+|\s+(?:och|men|sen|så)\s+")


def _only_the_scene(sentence: str) -> bool:
    """Whether a sentence only sets the scene, not when it first tells how a thing is
    ("Elementen i klassrum 12 är iskalla, barnen sitter med jackorna på och föräldrarna
    har börjat ringa": a fault, whatever has begun because of it)."""
    low = sentence.lower()
    first = re.split(r"[,;:]\s", low, maxsplit=1)[0]
    if _in_a_state(first) and not _SCENE.search(first) and _FAULT_STATE.match(first):
        return False
    return _sets_the_scene(low)


def _greets_or_introduces(part: str) -> bool:
    """Whether a part only greets or says who writes ("Hej", "Jag är vaktmästare på …")."""
    return _GREETING_PART.fullmatch(part.strip().lower()) is not None or _introduces(part)


def _introduces(sentence: str) -> bool:
    """Whether a sentence says who writes ("det är Mona på ekonomi", "Maja här, …")."""
    return (
        _INTRODUCED.match(sentence) is not None
        or _WHO_I_AM.search(restore_diacritics(sentence.lower())) is not None
    )


def needs_with_parts(
    text: str, whole: Interpretation | None = None
) -> list[tuple[ServiceInfo, str]]:
    """The services that the parts of one message clearly ask for, in the order said.

    Empty unless at least two different services are found ("ett rum på torsdag och
    lunch till mötet"; "dator, mobiltelefon och ett konto"). When the whole message is a
    clear match (``whole``) and its first part names a service, the whole message's
    service must be one of them: parts that all disagree with the message as a whole are
    a misreading, not a second need.
    """
    said, text = text, _past_the_scene(text)
    marked = marked_parts(text)
    parts = [part for part, _ in marked]
    sure = [part for part, is_sure in marked if is_sure]
    listed = _at_listed_places(said, whole)
    if listed:
        return listed  # "… på två ställen: på Storgatan 8 … och på Parkgatan 3 …"
    if len(parts) == 1:
        return _thing_then_clause(text, parts[0], whole)  # (no "och": no second place)
    if not parts:
        return []
    found = _needs_of_parts(text, marked, whole)
    if not found and len(sure) == 1:
        found = _thing_then_clause(text, sure[0], whole)
    return (
        found
        or _part_and_rest(said, marked, whole)
        or _at_both_places(said, whole)
        or _at_two_places(text, parts, whole)
        or _counts_per_place(parts, whole)
    )


# "… ska hämtas på två ställen: på Storgatan 8 är det fyra skrivbord och på Parkgatan 3
# en soffa": the places are announced, then each said with what is there.
_PLACES_ANNOUNCED = re.compile(
    r"\b(?P<prep>på|i|vid) (?:två|tre|fyra|flera|olika) (?:ställen|platser|adresser|skolor|"
    r"förskolor|boenden|byggnader|hus)\s*:\s*"
)
_NEXT_PLACE = re.compile(r"(?:,\s*(?:och\s+)?|\s+och\s+|;\s*)(?=(?:(?:på|i|vid|hos)\s+)?[A-ZÅÄÖ])")


def _at_listed_places(text: str, whole: Interpretation | None) -> list[tuple[ServiceInfo, str]]:
    """The one service ``whole`` reads clearly, once at each place of a list that a lead
    announces ("Vi har gamla möbler som ska hämtas på två ställen: på Storgatan 8 är det
    fyra skrivbord och på Parkgatan 3 en soffa och två fåtöljer"); each need has the lead
    and its own place; empty otherwise."""
    announced = _PLACES_ANNOUNCED.search(text)
    if announced is None or whole is None or whole.outcome != "match" or not whole.services:
        return []
    service = snapshot().services.get(whole.services[0].code)
    if service is None:
        return []
    lead = _GREETING_LEAD.sub("", text[: announced.start()].strip(" ,"))
    places = [
        p.strip(" .!") for p in _NEXT_PLACE.split(text[announced.end() :].strip()) if p.strip()
    ]
    if len(places) < 2 or not all(_ITEM_PLACE.match(p) for p in places):
        return []
    if len({_ITEM_PLACE.match(p)["name"].lower() for p in places}) != len(places):  # type: ignore[index]
        return []
    # ("Ekbackens förskola har 30 fönster": the preposition the lead used, so that the
    # place reads as one)
    return [
        (
            service,
            f"{lead}: {place if _PLACE_FIRST.match(place) else announced['prep'] + ' ' + place}",
        )
        for place in places
    ]


# How many go where: "8 kartonger till Ekbackens förskola", "3 st till Lärkans förskola".
_COUNT_TO_PLACE = (
    rf"(?:{_COUNT_ONLY.pattern})(?: [a-zåäö-]+)? (?:till|åt|för|på|i) "
    # ("till hemtjänsten Norrby": a place word before the name)
    r"(?P<place>(?:[a-zåäö]{4,} )?[A-ZÅÄÖ][\wåäöÅÄÖ-]*(?: [\wåäöÅÄÖ-]+){0,3})"
)
#: How far a count-per-place list's own best service must lead its next when the first
#: part is torn alone.
_PER_PLACE_LEAD = 0.1
_COUNT_TO_PLACE_END = re.compile(rf"(?:^|[\s:,])(?:{_COUNT_TO_PLACE})[.!?]?$")
_COUNT_TO_PLACE_ONLY = re.compile(rf"(?:och |samt |plus )?{_COUNT_TO_PLACE}[.!?]?")


def _counts_per_place(
    parts: Sequence[str], whole: Interpretation | None
) -> list[tuple[ServiceInfo, str]]:
    """One thing ordered to several places, a count for each ("engångsförkläden från
    lagret: 8 kartonger till Ekbackens förskola och 3 kartonger till Lärkans förskola"):
    the first part's service once for each place, each with its own count; empty unless
    the first part reads as a service and ends so, and every later part is only a count
    and a place."""
    if len(parts) < 2:
        return []
    first = _COUNT_TO_PLACE_END.search(parts[0].strip())
    rest = [_COUNT_TO_PLACE_ONLY.fullmatch(p.strip()) for p in parts[1:]]
    if not all(rest):
        return []
    # "behöver handsprit, 10 flaskor till hemtjänsten Norrby och 6 till …": the thing
    # said first on its own, then a count and a place for each
    thing_first = first is None and len(rest) >= 2
    if first is None and not thing_first:
        return []
    places = [first["place"].lower()] if first is not None else []
    places += [m["place"].lower() for m in rest if m is not None]
    if len(set(places)) != len(places):
        return []
    code, reading = _part_service(parts[0])
    if code is None:
        # torn alone: its best service, when that leads the rest clearly
        best = reading.services[:2]
        if (
            not best
            or best[0].score < _TWO_PLACES_LEAST
            or (len(best) > 1 and best[0].score - best[1].score < _PER_PLACE_LEAD)
        ):
            return []
        code = best[0].code
    if whole is not None and code not in {m.code for m in whole.services[:2]}:
        return []  # the message as a whole reads as something else
    service = snapshot().services.get(code)
    if service is None or service.kind != "order":
        return []
    if thing_first:
        thing = parts[0].strip(" ,:")
        return [(service, f"{thing}, {p.strip()}") for p in parts[1:]]
    # the later places' needs say the thing too ("Vi behöver skyddshandskar från lagret: 4
    # kartonger till Norrskolan"), when the first part names it before its count
    thing = parts[0][: first.start()].strip(" ,:") if first is not None else ""
    thing = re.sub(r"\s+(?:till|åt|för|på|i)$", "", thing)  # ("fika till 12 personer …")
    later = [f"{thing}: {p.strip()}" if len(thing.split()) >= 2 else p.strip() for p in parts[1:]]
    return [(service, parts[0].strip())] + [(service, p) for p in later]


# One need at two places, said with "både" ("fönsterputs både på Gläntans förskola och på
# Skogsbrynets förskola", "lysrören blinkar i gympasalarna på både Norrskolan och Södra
# skolan"): each place is an order or a fault report of its own. A place is a name (a
# capital letter) or a floor, room or house with its number.
_PLACE_START = r"(?:[A-ZÅÄÖ]|plan \d|rum \d|hus [A-ZÅÄÖ]\b)"
_BOTH_PLACES = re.compile(
    # ... or a thing not done at either ("varken i Björkskolan hus C eller i idrottshallen")
    r"\b(?:(?P<before>på|i|vid)\s+(?:både|varken)|(?:både|varken)\s+(?P<after>på|i|vid))\s+"
    rf"(?P<one>{_PLACE_START}[^,.;:!?]*?)\s+(?:och|eller)\s+(?:(?:på|i|vid)\s+)?"
    rf"(?P<other>{_PLACE_START}[^,.;:!?]*?)"
    r"(?=\s*(?:[,.;:!?]|$)|\s+(?:och|men|där|som|samt|plus|eftersom|för att)\b)"
)


def _at_both_places(text: str, whole: Interpretation | None) -> list[tuple[ServiceInfo, str]]:
    """The one service ``whole`` reads clearly, once for each of two places said with
    "både" (:data:`_BOTH_PLACES`), each with the message's words at its own place; empty
    when there are no such places or the message is no clear match."""
    both = _BOTH_PLACES.search(text)
    if both is None or whole is None or whole.outcome != "match" or not whole.services:
        return []
    service = snapshot().services.get(whole.services[0].code)
    if service is None:
        return []
    prep = both["before"] or both["after"]
    head, tail = text[: both.start()], text[both.end() :]
    return [
        (service, f"{head}{prep} {both['one']}{_own_counts(tail, both['one'])}".strip()),
        (service, f"{head}{prep} {both['other']}{_own_counts(tail, both['other'])}".strip()),
    ]


# A count said for one place by a short form of its name: "Lärkan har 30 fönster",
# "Ekbacken 18" (after "och").
_COUNT_OF_PLACE = re.compile(
    r"(?:\s+och\s+|,\s*|(?<=[.!?])\s+|^\s*)(?P<name>[A-ZÅÄÖ][a-zåäö]{3,})\s+(?:har\s+)?"
    r"(?P<count>\d{1,4})(?:\s+(?P<unit>[a-zåäö]{3,}))?(?=\s*(?:[,.!?]|\s+och\b|$))"
)


def _own_counts(tail: str, place: str) -> str:
    """``tail`` without the counts said for the other place ("… Lärkan har 30 fönster och
    Ekbacken 18." for "Ekbackens förskola" keeps "Ekbacken 18"): a count goes with the
    place whose name begins as its short form does (four letters alike)."""
    said = list(_COUNT_OF_PLACE.finditer(tail))
    if len(said) < 2:
        return tail
    own = place.split()[0][:4].lower()
    if sum(m["name"][:4].lower() == own for m in said) != 1:
        return tail
    unit = next((m["unit"] for m in said if m["unit"]), None)
    kept, at = "", 0
    for m in said:
        kept += tail[at : m.start()]
        at = m.end()
        if m["name"][:4].lower() == own:
            # ("Ekbacken 18" after "Lärkan har 30 fönster" is 18 fönster)
            lead = tail[m.start() : m.start("name")]
            kept += f"{lead}{m['name']} har {m['count']} {m['unit'] or unit or ''}".rstrip()
    kept += tail[at:]
    return re.sub(r"\s+([.!?,])", r"\1", re.sub(r"\.\s+och\s+", ". ", kept))


# A part that opens with the named place it is about: "På Ekbackens förskola har ingen
# skottat …", "och på Vallaskolan är hela parkeringen en isbana".
_PLACE_PREP = r"(?:[Pp]å|[Ii]|[Vv]id|[Hh]os)"
_PLACE_NAME = r"(?P<name>[A-ZÅÄÖ][\wåäö]+)"
_PLACE_FIRST = re.compile(rf"^(?:och\s+)?{_PLACE_PREP}\s+{_PLACE_NAME}")
# An item of a list of places announced before a colon (:func:`_at_listed_places`): the
# place first, with or without its preposition ("på Storgatan 8 är det …", "Ekbackens
# förskola har 30 fönster").
_ITEM_PLACE = re.compile(rf"^(?:och\s+)?(?:{_PLACE_PREP}\s+)?{_PLACE_NAME}")
#: The least score a part's own reading gives the whole message's service to be its need.
_TWO_PLACES_LEAST = 0.5


def _at_two_places(
    text: str, parts: Sequence[str], whole: Interpretation | None
) -> list[tuple[ServiceInfo, str]]:
    """The one service ``whole`` reads clearly, once for each of two parts that each open
    with a named place of their own and each read as that service ("På Ekbackens förskola
    har ingen skottat vid entrén och på Vallaskolan är hela parkeringen en isbana, folk
    håller på att ramla": two places to clear), the second with the rest of the message;
    empty otherwise."""
    if whole is None or whole.outcome != "match" or not whole.services or len(parts) != 2:
        return []
    service = snapshot().services.get(whole.services[0].code)
    opened = [_PLACE_FIRST.match(part.strip()) for part in parts]
    if service is None or not all(opened):
        return []
    names = {m["name"].lower() for m in opened if m is not None}
    if len(names) != 2:
        return []
    for part in parts:
        reading = _part_service(part)[1]
        if not any(
            m.code == service.code and m.score >= _TWO_PLACES_LEAST for m in reading.services[:2]
        ):
            return []
    second = text[text.find(parts[1]) :].strip() if parts[1] in text else parts[1]
    return [(service, parts[0].strip()), (service, second)]


def told_fault(text: str, whole: Interpretation | None) -> ServiceInfo | None:
    """The fault of a message that tells one fault and then what follows from it
    ("Diskmaskinen i köket har gått sönder, vi ska servera lunch till 250 elever om en
    timme", "Elementen i matsalen är iskalla, eleverna äter lunch med jackan på"), when the
    message as a whole reads as another service (the lunch it names); None otherwise."""
    snap = snapshot()
    best = snap.services.get(whole.services[0].code) if whole and whole.services else None
    if best is None:
        return None
    text = _past_the_scene(text)
    marked = marked_parts(text)
    if not marked:
        return None
    told: list[ServiceInfo] = []
    if (
        len(marked) > 1
        and not _needs_of_parts(text, marked, whole, told)
        and len({s.code for s in told}) == 1
        and best.kind != "fault"
    ):
        return told[0]  # the parts read as one fault and its story
    first = marked[0][0]
    code, _ = _part_service(first)
    if set(terms(first)) & set(terms(" ".join([best.name, *best.keywords]))):
        return None  # "Projektorn … fungerar inte": the thing is the order's own word
    if code is None or code == best.code or snap.services[code].kind != "fault":
        # "Elementen i matsalen på Björkskolan är iskalla": the place's words ("matsalen")
        # pull the thing's reading; read without them
        code = _part_service(_without_place(first))[0]
    fault = snap.services.get(code or "")
    rest = text[text.find(first) + len(first) :].strip(" ,.;:!?")
    if (
        fault is None
        or fault.kind != "fault"
        # the whole reads as a fault of the same kind ("krossad ruta" beside "spruckit"):
        # its own reading stands
        or (best.kind == "fault" and best.category == fault.category)
        or not (
            need_cue(first.lower())
            or _FAULT_SAID.search(first.lower())
            or _in_a_state(first.lower())
        )
        or not rest
        or need_cue(rest.lower())
        or _says_where(rest)
        or not _tells(rest)
    ):
        return None
    return fault


#: A part with more than this share of a message's words is read as the whole message is.
_MOST_OF = 0.6


def _the_one_need(text: str, whole: Interpretation) -> tuple[ServiceInfo, str | None] | None:
    """The service of the one part of a message that asks for something and reads clearly
    as one of the whole message's three best services, past a sentence that sets the
    scene, beside parts that only give details or ask for something no service clearly
    is; else None. With such other parts, the one part too: the order's own words."""
    snap = snapshot()
    defined = _every_field()
    asking = [
        part
        for index, (part, sure) in enumerate(marked_parts(_past_the_scene(text)))
        if sure and not _no_need(part, index, defined)
    ]
    if not asking or (len(asking) == 1 and len(asking[0].split()) > _MOST_OF * len(text.split())):
        return None  # no part asks, or the one that does is most of the message anyway
    # One part reads clearly as a service; any other part that asks names none clearly
    # ("1. vi behöver hårnät 2. lysröret i diskrummet har gått sönder"): the clear one
    # is the order, the others are kept as needs to ask about (:func:`open_needs`).
    clear: list[tuple[str, str]] = []
    for part in asking:
        code, reading = _part_service(part)
        sure = reading.outcome == "match" and reading.service == code
        if code is not None and sure and reading.top_score >= _CLEAR_PART:
            clear.append((code, part))
            continue
        if code is not None:
            return None  # a second service, if less clear: the person chooses
    if len({c for c, _ in clear}) != 1 or clear[0][0] not in {m.code for m in whole.services[:3]}:
        return None
    service = snap.services.get(clear[0][0])
    if service is None:
        return None
    if len(asking) == 1:
        return service, None
    if len(open_needs(text, {service.code})) < len(asking) - 1:
        return None  # an other part would not be asked about: the person chooses
    return service, clear[0][1]


def _part_and_rest(
    text: str, marked: list[tuple[str, bool]], whole: Interpretation | None
) -> list[tuple[ServiceInfo, str]]:
    """Two needs when one part clearly names a service the whole message cannot be (it is
    not among the part's three best) and the message without that part still clearly names
    the whole's own ("En ny elev med nötallergi börjar …, köket måste veta det. Och vi vill
    ha fika till välkomstmötet …"), in the order said."""
    snap = snapshot()
    if whole is None or whole.service not in snap.services or whole.top_score < _CLEAR_PART:
        return []
    defined = _every_field()
    for index, (part, sure) in enumerate(marked):
        # Only a part that asks in so many words ("vi vill ha fika …"), not a detail.
        if not sure or not need_cue(part.lower()) or _no_need(part, index, defined):
            continue
        if index > 0 and _more_of_it(part):
            continue  # "…, den läcker olja": the thing before, not a need of its own
        own = snap.services[whole.service]
        if (
            index > 0
            and own.kind == "fault"
            and _more_of_the_fault((own, " ".join(p for p, _ in marked[:index])), part)
        ):
            # "nån har slagit sönder glaset i altandörren …, glassplitter överallt och
            # dörren går inte att låsa": the same thing again, as in :func:`_needs_of_parts`
            continue
        code, reading = _part_service(part)
        if code is None or code == whole.service or code not in snap.services:
            continue
        if reading.service != code or not _clear_reading(reading):
            continue
        if whole.service in {m.code for m in reading.services[:3]}:
            continue
        at = text.find(part)
        if at < 0:
            continue
        before, after = text[:at].strip(" ,;."), text[at + len(part) :].strip(" ,;.")
        rest = f"{before}. {after}".strip(" .") if before and after else before or after
        if len(rest.split()) < _LISTED_WORDS:
            continue
        other = snap.interpreter.interpret(rest)
        if other.service != whole.service or other.top_score < _CLEAR_PART:
            continue
        pair = [(snap.services[whole.service], rest), (snap.services[code], part)]
        return pair if len(before.split()) >= _LISTED_WORDS else pair[::-1]
    return []


def _needs_of_parts(
    text: str,
    marked: list[tuple[str, bool]],
    whole: Interpretation | None,
    told: list[ServiceInfo] | None = None,
) -> list[tuple[ServiceInfo, str]]:
    """:func:`needs_with_parts` over the message's ``marked`` parts; each fault whose
    story took in a part that read as another service goes into ``told``."""
    parts = [part for part, _ in marked]
    snap = snapshot()
    defined = _every_field()
    found: list[tuple[ServiceInfo, str]] = []
    first_code = None
    first_sure: float | None = None  # how sure the first found need's own reading is
    every_part_clear = True  # whether each found need is its part's own clear reading
    weak: list[str] = []  # needs of parts that say so but read less than clearly
    took_unsure = False  # whether a sentence that says no need was read as one
    first_matched: str | None = None  # the first need found, when its part reads as a match
    unclear: set[str] = set()  # needs whose part reads less than clearly
    joined: set[int] = set()  # parts read together with the part before them
    own: dict[str, str | None] = {}  # the service each part's words read as alone
    readings: list[Interpretation | None] = []  # each found need's reading when unclear
    # What a list after a colon is for ("till planeringsdagen fredag kl 9 behöver vi:");
    # ``text`` is already past the scene, as :func:`marked_parts` read it.
    listed_for = _LIST_LEAD.match(text)
    lead = listed_for[0].strip(" :\t") if listed_for else None
    # Each thing of a list after a colon is a need of the list ("behöver vi: 16 barnstolar,
    # få två gamla soffor hämtade och …"), not what the first thing is like.
    listing_lead = lead is not None
    last_index = -1  # the part of the last need found
    for index, part in enumerate(parts):
        if index in joined:
            continue
        if (
            (
                index == 0
                # the first thing of a list after a colon is a thing of the list ("Till
                # Myrans förskola behöver vi:\n- nycklar till två nya som börjar"): the
                # lead was the scene
                and lead is None
                and (
                    _sets_the_scene(part.lower())
                    # "Nämnden sammanträder tisdag kl 12 och vi vill beställa lunch": the meeting
                    # the order is for, joined to it by "och" (said alone, its room may be asked
                    # for: "Nämnden sammanträder onsdag kl 9, 11 ledamöter. Vi behöver en sal, …")
                    or (
                        _GATHERS.search(part.lower())
                        and not need_cue(part.lower())
                        and text[text.find(part) + len(part) :].lstrip().startswith("och ")
                    )
                )
            )
            or (
                index == 0
                and _WE_HAVE.match(part.lower()) is not None
                and not need_cue(part.lower()[_WE_HAVE.match(part.lower()).end() :])  # type: ignore[union-attr]
                and any(_AFTERWARDS.search(p.lower()) for p in parts[1:])
            )
        ):
            # "Vi ska ha föräldrakaffe onsdag …, kan någon städa efteråt?": what comes
            # after it is asked for; it is the occasion
            continue  # the scene, not a need
        if _introduces(part) and not need_cue(restore_diacritics(part.lower())):
            # "jag är ny på ekonomikontoret sen i måndags och …": who writes, no need
            continue
        occasion = _HAVE_OCCASION.match(part.lower()) if index > 0 else None
        if occasion is not None and not need_cue(part.lower()[occasion.end() :]):
            # the occasion said after a need ("Projektorn startar inte. Vi ska ha
            # föräldramöte där på torsdag och vill ha hjälp med ljudet")
            continue
        own_line = _own_line(text, part)
        if found and _SAME_AGAIN.search(part.lower()) and _says_where(part):
            # "… och likadant på Lärkans förskola efter deras föräldrakväll", "och på Norrby
            # gruppboende är det samma problem med värmen": the need before again, at
            # another place
            found.append((found[-1][0], part.strip()))
            readings.append(None)
            last_index = index
            continue
        if (
            found
            and last_index == index - 1
            and not own_line
            and (
                _COUNT_ONLY.fullmatch(part.strip().lower())
                or _SAME_COUNT.fullmatch(part.strip().lower())
                # "…, 2 paket skulle räcka": how many of it would do
                or _ENOUGH.fullmatch(part.strip().lower())
                or _COUNT_WANTED.fullmatch(part.strip().lower())
                # "fika till APT:n …, 11 pers i lilla mötesrummet": how many, and where
                or _PEOPLE_THERE.fullmatch(part.strip().lower())
                or _WHERE_ONE_IS.fullmatch(part.strip().lower())
                or _NEW_ONE_PART.fullmatch(_PURPOSE.sub("", part.strip().lower()))
                or _more_of_it(part)
                or (found[-1][0].kind == "order" and _how_it_is_made(part))
                or (_CARRYING.search(found[-1][1].lower()) and _only_things(part))
                # "… flyttar … på måndag, ungefär 30 kartonger och några skrivbord": what is
                # moved ("två nya skrivbord" are ordered)
                or (
                    _MOVING.search(found[-1][1].lower())
                    and _COUNTED_THINGS.match(part.strip().lower())
                    and _only_things(part)
                    and not _A_NEW_THING.search(part.lower())
                )
                # "Hej, jag behöver 200 menyblad utskrivna i färg, veckans meny": what the
                # thing just ordered is, said as a name.
                or (found[-1][0].kind == "order" and _WHOSE_THING.fullmatch(part.strip().lower()))
                # "Vi har tre gamla bokhyllor och ett skrivbord som står i vägen, kan någon
                # ta dem": more things we have, not a need of their own.
                or (
                    _WE_HAVE_THINGS.match(found[-1][1].strip().lower()) is not None
                    and not need_cue(found[-1][1].lower())
                    and _A_THING_START.match(part.strip().lower()) is not None
                    and not need_cue(part.lower())
                )
                or _FORGOTTEN_US.match(part.strip().lower())
                # "en av kontorsstolarna har tappat ett hjul och går inte att sänka": a
                # clause without a subject of its own says more of the thing just named.
                or (_SUBJECTLESS.match(part.strip().lower()) is not None and _after_och(text, part))
                or _the_old_one(found[-1][1], part, text)
                or (
                    found[-1][0].kind == "fault"
                    and not need_cue(part.lower())
                    and not _says_where(part)  # "…, lampan i hallen blinkar": elsewhere
                    and _same_thing_said_on(text, parts[index - 1], part)
                )
                or (
                    found[-1][0].kind == "fault"
                    and _ALREADY.search(part.lower())
                    and not need_cue(part.lower())
                )
                # "Det forsar vatten ur taket här och det rinner längs väggen ner på
                # golvet": the same water, where it goes.
                or (
                    found[-1][0].kind == "fault"
                    and _WATER_RUNS.search(found[-1][1].lower()) is not None
                    and _WATER_RUNS.search(part.lower()) is not None
                    and _ASKS_DONE.search(part.lower()) is None
                )
                # "skärmen är svart fast datorn surrar och lampan på den lyser": a thing
                # on the one just named, how the fault shows.
                or (
                    found[-1][0].kind == "fault"
                    and _ON_IT.search(part.lower()) is not None
                    and not need_cue(part.lower())
                )
                # "Papperskorgarna har inte tömts på hela veckan, och det luktar": how it
                # is, said of "it", when that alone reads as no clear service.
                or (
                    found[-1][0].kind == "fault"
                    and _IT_IS_SO.match(part.strip().lower()) is not None
                    and _after_och(text, part)
                    and _part_service(part)[1].outcome != "match"
                )
                # "Det har inte städats hos oss på flera dagar, golvet är fullt av grus": how
                # it is there, read best as an order of the same kind (a big cleaning), is
                # how the fault shows; a state orders nothing.
                or (
                    found[-1][0].kind == "fault"
                    and not marked[index][1]
                    and not need_cue(part.lower())
                    and not _says_where(part)
                    and _in_a_state(part.lower())
                    and _shows_the_fault(found[-1][0], part)
                )
            )
        ):
            # "… kopieringspapper också, 5 kartonger", "… passerkort och behöver ett nytt",
            # "Min kontorsstol har gått sönder, den sjunker hela tiden": more of the need
            # just said (what the thing just named does), not a need of its own.
            found[-1] = (found[-1][0], f"{found[-1][1]}, {part.strip()}")
            last_index = index
            continue
        earlier = _counted_earlier(found, part, last_index == index - 1)
        if earlier is not None:
            # "Det finns inga kollegieblock kvar … och vi har slut på engångsförkläden …. Vi
            # behöver 10 block och 3 kartonger förkläden": how many of each thing already
            # asked for, said after them all.
            found[earlier] = (found[earlier][0], f"{found[earlier][1]}, {part.strip()}")
            last_index = max(last_index, index)
            continue
        if (
            found
            and not own_line
            and found[-1][0].kind == "fault"
            and _more_of_the_fault(found[-1], part)
        ):
            # "Någon har slagit sönder glaset i entrédörren …, och dörren går inte att
            # låsa": the same thing again; "Toaletterna har inte städats …, det luktar illa
            # och pappret är slut": what has run out where the fault is.
            found[-1] = (found[-1][0], f"{found[-1][1]}, {part.strip()}")
            last_index = index
            continue
        if _no_need(part, index, defined):
            continue
        if found and _CARRYING.search(part.lower()):
            # "Vi ska flytta … och behöver hjälp att bära skrivbord": the carrying is help
            # with the need before when that need is among what the part reads as.
            carried_by, carried_reading = _part_service(part)
            ours = {m.code for m in carried_reading.services[:3]}
            if carried_by != found[-1][0].code and found[-1][0].code in ours:
                found[-1] = (found[-1][0], f"{found[-1][1]}, {part.strip()}")
                last_index = index
                continue
        words = part
        # whether the part was read with the rest of its sentence as another matter
        read_as_sentence = False
        if index > 0 and _POINTS_BACK.match(part.strip()):
            # "… och så har vi ett gammalt skrivbord vi vill bli av med, kan det hämtas
            # samtidigt": what "det" points back to is said since the need before.
            words = _since(parts[index - 1], part, text) or _with_antecedent(part, text)
        code, reading = _part_service(words)
        if (
            marked[index][1]
            # (wished for in words: "det droppar ner i en hink nu" after a leak goes on
            # about it, whatever the whole message reads as)
            and _WISH.search(restore_diacritics(part).lower()) is not None
            and not _in_a_state(part.lower())
            and len(reading.services) > 1
            # (not the service another part asks for: "datorn … har dött helt, och så
            # behöver vi beställa en ny bärbar dator": the whole reads as the order)
            and reading.services[1].code not in {s.code for s, _ in found}
            and reading.services[1].code not in _claimed_later(parts, index)
        ):
            code = _in_whole_context(code, reading, whole, words)
        if code is None and lead is not None and not _reads_as_fault(reading):
            # (a fault torn between two fault services is asked about, not settled by
            # the lead: "Från Ekängens förskola:" says where, not which)
            # "till planeringsdagen …: rum för 15 pers, fika …": a thing of the list read
            # with what the list is for, when it is unclear alone.
            in_context, reading_in_context = _part_service(f"{words} {lead}")
            if in_context is not None and reading_in_context.outcome == "match":
                code = in_context
        if code is None and index > 0 and _asks_for_more(parts, marked, index):
            # "vi har nästan inga engångsförkläden kvar, kan vi få 5 kartonger?": the need
            # and the wish that asks for it, read together.
            together = f"{part}, {parts[index + 1]}"
            code_together, reading_together = _part_service(together)
            if code_together is not None:
                code, reading, words = code_together, reading_together, together
                joined.add(index + 1)
        # "… är det rena isbanan, och på Björkskolan ligger det fullt med skräp och fimpar
        # på skolgården": a state said after a fault, unclear where it was cut off
        in_a_state = _in_a_state(part.lower())
        another_matter = _ANOTHER_MATTER.match(part.strip().lower()) is not None
        state_after_fault = bool(found) and found[-1][0].kind == "fault" and in_a_state
        # "Det har varit en rörig vecka … Fläkten ovanför spisen har börjat låta som ett
        # flygplan och den drar knappt ut nåt längre.": a fault told in a sentence of its own
        # past a story, unclear in its first clause alone
        told_in_sentence = index > 0 and in_a_state
        if (
            not marked[index][1]
            and (found or told_in_sentence)
            and (another_matter or state_after_fault or told_in_sentence)
            and not (reading.outcome == "match" and reading.top_score >= _CLEAR_PART)
        ):
            # "Sen är det något knas med luften i vårt mötesrum, det blir jättevarmt och
            # instängt …": another matter, unclear alone ("mötesrum"), read with the rest
            # of its sentence, which says what is wrong.
            sentence = _sentence_from(text, part)
            if sentence != part:
                code_sentence, reading_sentence = _part_service(sentence)
                if (
                    code_sentence is not None
                    and reading_sentence.outcome == "match"
                    and reading_sentence.top_score >= _CLEAR_PART
                    and (_is_fault(code_sentence) or state_after_fault)
                    # (told in a sentence: the fault the clause itself reads nearest, not
                    # another clause's of the same sentence)
                    and (
                        another_matter
                        or state_after_fault
                        or code_sentence in [m.code for m in reading.services[:2]]
                    )
                ):
                    code, reading, words = code_sentence, reading_sentence, sentence
                    read_as_sentence = True
        own[words] = code
        if (
            code is not None
            and found
            and found[-1][0].kind == "fault"
            and code != found[-1][0].code
            and (snap.services[code].kind != "fault" or _PEOPLE_TOLD.match(words.lower()))
            and not need_cue(words.lower())
            and not _says_where(words)  # "…, och på Ekskolan ligger det skräp": elsewhere
            # "… plus att internposten inte har hämtats": something not done is a need
            and not _NOT_DONE.search(words.lower())
            and not _ADDED_BEFORE.search(text[: max(text.find(part), 0)].lower())
            and _tells(words)
        ):
            # "Elementet blir inte varmt hos de minsta, barnen fryser när de sover middag",
            # "… räckte inte idag, ett tjugotal barn fick bara smörgås till lunch": what
            # happens because of the fault, told without a wish, is the fault's story, not
            # an order of what it names, nor a fault of people ("barnen fryser").
            if told is not None:
                told.append(found[-1][0])
            found[-1] = (found[-1][0], f"{found[-1][1]}, {part.strip()}")
            last_index = index
            continue
        if not marked[index][1]:
            # A sentence that says no need in words is one only when it says what is to be
            # done ("Pärmarna ska till arkivet", not "Konferensen hålls i Göteborg") and
            # reads clearly.
            clear = reading.outcome == "match" and reading.top_score >= _CLEAR_PART
            # "Vi flyttar skolbiblioteket från hus A till hus B måndag nästa vecka": a move
            # planned from one place to another is what is to be done, when its reading
            # leads clearly
            planned_move = _PLANNED_MOVE.search(restore_diacritics(part).lower()) is not None
            clear = clear or (planned_move and _clear_reading(reading))
            named = (
                len(part.split()) <= _LISTED_WORDS
                and not _CLAUSE.search(part.lower())
                and not _has_verb(part)
            )
            service = snap.services.get(code or "")
            said = (
                _TO_BE_DONE.search(restore_diacritics(part).lower())
                or planned_move
                or named
                # how a thing is says a fault or a lack, never a question for the desk
                # ("Hösten har varit tung med mycket sjukfrånvaro" is no HR matter)
                or (
                    clear
                    and _in_a_state(part.lower())
                    and service is not None
                    and service.kind != "question"
                )
                # "Sen är det något knas med luften …, det blir jättevarmt": another
                # matter, whose sentence reads clearly as a fault
                or (clear and service is not None and service.kind == "fault" and read_as_sentence)
                # "Det är blankis utanför entrén": a fault, said as how it is there
                or (
                    clear
                    and service is not None
                    and service.kind == "fault"
                    and _IT_IS.match(part.lower())
                    and not only_place(part, local_now())
                )
                # "Hej! Datorn i receptionen stänger av sig …": the first sentence past a
                # greeting, read clearly as a fault
                or (
                    clear
                    and service is not None
                    and service.kind == "fault"
                    and not found
                    and index > 0
                    and all(_greets_or_introduces(p) for p in parts[:index])
                )
            )
            # (a part read weakly that the whole message names too: "… och wifit har legat
            # nere sen i morse")
            candidate = code or (reading.services[0].code if reading.services else None)
            backed = _backed_by_whole(candidate, reading, whole, found)
            if backed and code is None:
                code, service = candidate, snap.services.get(candidate or "")
            torn_elsewhere = (
                reading.outcome == "choose"
                and code is not None
                and bool(found)
                and found[-1][0].code != code
                and _says_where(part)
                and _says_where(found[-1][1])
            )
            if (
                not clear
                and index > 0
                and (
                    (found and found[-1][0].kind == "fault")
                    # ... or before one ("på Östra skolan är duscharna ostädade och i
                    # Rådhuset blinkar lysröret i trapphuset")
                    or any(
                        snap.services[c].kind == "fault"
                        for c in _claimed_later(parts, index)
                        if c in snap.services
                    )
                    # "Hej! Kopiatorn har börjat säga pappersstopp …": the first part
                    # past a greeting said as a sentence of its own.
                    or (not found and all(_greets_or_introduces(p) for p in parts[:index]))
                    # "… skoskydd och hårnät. Och så går inte kranen vid grovdisken att
                    # stänga": a state said after a word that adds another matter.
                    or (found and another_matter)
                )
                and service is not None
                # (or a state said of another place: "… och på Kulturhuset Spiran är hela
                # gården full av skräp", an order to see to it)
                and (service.kind == "fault" or (service.kind == "order" and _says_where(part)))
                and (reading.outcome == "match" or torn_elsewhere or backed)
                and _in_a_state(part.lower())
            ):
                # "natverket … har legat nere … och pa Solgarden ar elementen iskalla": a
                # state said of another thing beside a fault is a fault of its own when it
                # reads as one (a match), though less than clearly; so is one said of
                # another place, torn between two services ("… och på Ekbackens förskola
                # ligger det krossat glas och skräp i sandlådan": its best one).
                clear = said = True
            if not clear or (reading.service != code and not torn_elsewhere and not backed):
                continue
            if not said:
                continue
            took_unsure = True
        if (
            code is None
            and whole is not None
            and (
                need_cue(words.lower())
                if index
                else (whole.outcome == "choose" or _read_elsewhere(reading, whole))
                # ("det är Leila i mottagningsköket …" says who writes, no need)
                and not _greets_or_introduces(part)
            )
        ):
            # "…, behöver en sal och nån som fixar ljud": a part that asks for something
            # but reads weakly alone is the service the whole message names next; so is
            # the first part, which always carries a need, when the whole message is torn
            # between services ("det är ostädat i vårt mötesrum och dessutom är taklampan
            # trasig") or clearly names one that this part cannot be ("vi behöver ett rum
            # på torsdag och lunch till mötet": the lunch is the rest's).
            code = _runner_up_named(
                reading, whole, {s.code for s, _ in found} | _claimed_later(parts, index),
                _RUNNER_UP_SCORE if index else snap.interpreter.thresholds.choose,
                words if index else None,
            )  # fmt: skip
        if (
            code is None
            and index == 0
            and whole is not None
            and whole.services
            and reading.services
            and _is_fault(reading.services[0].code)
            and reading.services[0].score >= _OWN_BEST_LEAST
            and (_IT_IS.match(words.lower()) or _in_a_state(words.lower()))
        ):
            # "Det är spegelblankt vid personalingången och lampan ovanför dörren är
            # sönder": the whole message is the lamp's, which the rest says clearly; the
            # first state is the fault its own words read as best.
            later = _claimed_later(parts, index)
            # ... unless it reads about as well as the rest's ("Det är mörkt i trapphuset,
            # två lampor har slocknat": the dark is the lamps' fault).
            rest = next(
                (m.score for m in reading.services[:3] if m.code == whole.services[0].code), 0.0
            )
            second = reading.services[1].score if len(reading.services) > 1 else 0.0
            if (
                whole.services[0].code in later
                and reading.services[0].code not in later
                and reading.services[0].score - max(rest, second) >= _OWN_LEAD
            ):
                code = reading.services[0].code
        if (
            code is None
            and index == 0
            and whole is not None
            and _WISH.search(restore_diacritics(words).lower())
        ):
            # "Vi behöver ett rum på torsdag och fika till 12": the first thing asked for,
            # torn alone (a hotel room or a meeting room), is what both its own reading and
            # the whole message see; which of its kind the occasion settles below.
            code = _seen_by_both(reading, whole)
        if (
            found
            and index > 0
            and code is not None
            and code != found[0][0].code
            and not need_cue(words.lower())
            and not listing_lead
            # "skrivaren har pappersstopp" after kopieringspapper: a fault of its own
            and not (_FAULT_SAID.search(words.lower()) and _is_fault(code))
            and (
                (
                    # the first need reads as one this part could be ("vegetarisk buffé"
                    # after a lunch: 0.56), not a mere trace of it ("fika kl 10" after a
                    # room: 0.17)
                    any(
                        m.code == found[0][0].code and m.score >= _SIBLING_SCORE
                        for m in reading.services[:3]
                    )
                    and reading.top_score < _CLEAR_PART
                )
                or asked_by(found[0][0], snap.services.get(code))
                or _its_own_thing(found[0][0], words, reading)
            )
        ):
            # "Lunch till 20 …, vegetarisk buffé" / "…, fisk eller vegetariskt": what the
            # need before is like, or what its own question asks ("Allergier och
            # specialkost"), not a Specialkost order.
            continue
        clearly = reading.service == code and reading.top_score >= _CLEAR_PART
        if (
            not clearly
            and not own_line
            and _goes_on_about(found, index, parts, words, snap.services.get(code or ""))
        ):
            found[-1] = (found[-1][0], f"{found[-1][1]}, {words}")
            continue
        if (
            code is None
            and found
            and index > 0
            and last_index == index - 1
            and _same_line(text, parts[index - 1], part)
            and not need_cue(restore_diacritics(words).lower())
            and not words.rstrip().endswith("?")
        ):
            # "- en kontorsstol på norrvägen har gått sönder, hjulfoten har spruckit": a
            # clause that names no service, said right after a need on its line, says
            # more of that need.
            found[-1] = (found[-1][0], f"{found[-1][1]}, {words.strip()}")
            last_index = index
            continue
        if first_code is None:
            first_code = code  # the first part that names a service ("Hej hej. …" names none)
        said_before = [w for s, w in found if s.code == code]  # this service's needs so far
        again = (
            code is not None
            and bool(said_before)
            and (
                _another_fault(code, words, reading, said_before, own)
                or _another_occasion(code, words, said_before)
            )
        )
        if code and code in snap.services and (again or all(s.code != code for s, _ in found)):
            found.append((snap.services[code], words))
            last_index = index
            readings.append(reading if not clearly else None)
            if first_sure is None:
                first_sure = reading.top_score
                first_matched = code if reading.outcome == "match" else None
            every_part_clear &= clearly
            if not clearly:
                unclear.add(code)
                # "Vi behöver också 4 nya elevbänkar": asked for in so many words
                asked_in_words = (
                    index > 0
                    and len(parts[index - 1].split()) <= _WISH_ALONE
                    and _WISH.search(restore_diacritics(parts[index - 1]).lower())
                    and all(s.category != snap.services[code].category for s, _ in found[:-1])
                )
                if marked[index][1] and not asked_in_words:
                    weak.append(code)
        elif code and found and last_index == index - 1 and found[-1][0].code == code:
            # "Kontorsstolen … har gått sönder, ett hjul har lossnat": more said of the need
            # just named, in words that name the same service: its own words too.
            found[-1] = (found[-1][0], f"{found[-1][1]}, {words}")
            last_index = index
            if clearly:
                # "vi behover plastforklade och handsprit": the need read weakly at first
                # is read clearly by what is said next.
                weak = [c for c in weak if c != code]
    found = _of_one_occasion(found, readings)
    if took_unsure and whole is not None:
        # A sentence read as a need without saying so is taken only beside needs that
        # read clearly too, or the message's own best service ("Därför ska vi flytta … och
        # vi behöver folk som bär skrivbord": the carrying is the move's, not furniture).
        # A first part that reads as a match of its own keeps its need, as does a fault
        # said as a state ("wifit på X har varit nere … och på Y är elementen iskalla").
        # (a message torn between services: its best candidate is its own best service)
        best = whole.service or (whole.services[0].code if whole.services else None)
        found = [
            (s, w)
            for s, w in found
            if s.code not in weak
            or s.code in (best, first_matched)
            or (
                s.kind == "fault"
                and (_in_a_state(w.lower()) or _FAULT_SAID.search(w.lower()) is not None)
            )
            # "… såg jag att nån har sprejat fula tags över hela väggen vid cykelstället":
            # damage someone did, reported, whatever kind of service sees to it; "Och när jag
            # ändå skriver så har vi nästan inga handskar kvar": a lack said in words
            or (
                (_DAMAGE_DONE.search(w.lower()) is not None or _LACK_SAID.search(w.lower()))
                and _part_service(w)[0] == s.code
            )
            # "Och förklädena håller på att ta slut": a lack said in words whose one
            # service stands far ahead of any other
            or _far_ahead(_part_service(w)[1], s.code)
        ]
    found = _one_per_sentence(text, found, unclear)
    if len(found) < 2 or _one_emergency(text, found, whole):
        return []
    wanted = whole.service if whole is not None else None
    # No one service for the message: its best candidate still outweighs a first part
    # that reads less surely than the message ("det är ostädat i vårt mötesrum och …"
    # is a cleaning fault, though its first part alone reads as a room, barely).
    unsure_first = first_sure is not None and whole is not None and first_sure < whole.top_score
    if whole is not None and wanted is None and whole.services and unsure_first:
        wanted = whole.services[0].code
    # A long message read as a whole names its service weakly; needs said in so many words
    # in parts that each read as a match outweigh it ("… Det jag egentligen ville säga är
    # att ventilationen i köket har slutat gå … Och i förrådet står två vagnar som vi vill
    # bli av med").
    weak_whole = whole is not None and whole.top_score < _WHOLE_WEAK
    if (
        wanted
        and first_code
        and all(s.code != wanted for s, _ in found)
        and not every_part_clear
        and not (weak_whole and _all_cued(found))
        and not _each_its_own_place(found)
    ):
        # The first part and the rest disagree with the message as a whole: a misreading,
        # unless every part clearly names its own service ("ny enhetschef börjar nästa
        # vecka, behöver en mobil och ett konto till datorn": the whole reads as a new
        # computer, the parts as a phone and an account) -- or one part alone could be
        # the whole's service, by its own second reading ("… ett rum och fika och en
        # tekniker som kopplar upp skärmen": the meeting's technician, not an IT fault).
        could = [
            i
            for i, (_, w) in enumerate(found)
            if any(
                m.code == wanted and m.score >= _WHOLE_IN_PART
                for m in _part_service(w)[1].services[:3]
            )
        ]
        if len(could) == 1 and _new_not_mended(wanted, found[could[0]][1]):
            return found  # the whole leans to mending; that part wishes for a new thing
        if len(could) != 1 or snap.services.get(wanted) is None:
            return []
        found[could[0]] = (snap.services[wanted], found[could[0]][1])
    return found


#: How far a first state's own best must lead the service the rest of the message says
#: clearly, to be a fault of its own beside it.
_OWN_LEAD = 0.1

#: A part's reading of the whole message's own service, among its three best, this sure
#: makes the part that service's need when the parts and the whole disagree.
_WHOLE_IN_PART = 0.5

# How sure a need's reading must be of a service of the other needs' category.
_SIBLING_SCORE = 0.3


def _each_its_own_place(found: Sequence[tuple[ServiceInfo, str]]) -> bool:
    """Whether each need found names a place of its own, no two the same, and reads as a
    match alone ("Wifit har lagt av … på Stadsbiblioteket och på Kulturhuset Spiran är hela
    gården full av skräp"): two matters in two places, whatever the whole reads as."""
    places = [
        str(extract_details(words, ("location",), local_now()).get("location") or "").lower()
        for _, words in found
    ]
    return (
        all(places)
        and len(set(places)) == len(places)
        and all(_part_service(words)[1].outcome == "match" for _, words in found)
    )


def _names_in_name(words: str, service: ServiceInfo) -> bool:
    """Whether a word of ``words`` (or one of its synonyms) is a word of the service's
    name or begins one of its compounds: "flytta" (~"flytt") in "Flytthjälp"."""
    name = [lemma(w) for w in tokens(service.name.lower()) if is_content(w)]
    for w in tokens(words.lower()):
        if not is_content(w) or len(w) < 4:
            continue
        for form in (lemma(w), *synonyms(lemma(w))):
            if len(form) >= 4 and any(n == form or n.startswith(form) for n in name):
                return True
    return False


# The need just said, again: "likadant på …", "samma problem med värmen".
_SAME_AGAIN = re.compile(
    r"\b(?:likadant|likadan|likadana|likaså|detsamma|lika illa|lika dåligt|"
    r"samma (?:sak|problem|fel|grej|behov))\b"
)


def _of_one_occasion(
    found: list[tuple[ServiceInfo, str]], readings: list[Interpretation | None]
) -> list[tuple[ServiceInfo, str]]:
    """Needs said together are for one occasion: a need read weakly ("ett rum", a hotel
    room or a meeting room) is the service of another need's category among its three
    best, when another need reads clearly ("och fika för 12 personer": Konferens). Faults
    are no occasion: a copier's paper jam beside a door that will not close is no fault
    of the building."""
    snap = snapshot()
    # A need is clear when its part reads clearly, or surely enough as its own service
    # ("fika till 14." at 0.68).
    clear = {
        s.category
        for (s, _), r in zip(found, readings, strict=True)
        if r is None
        or (r.outcome == "match" and r.service == s.code and r.top_score >= _RUNNER_UP_SCORE)
    }
    taken = {s.code for s, _ in found}
    out = list(found)
    for index, ((service, words), reading) in enumerate(zip(found, readings, strict=True)):
        if (
            reading is None
            or service.kind == "fault"
            or service.category in clear
            or (reading.top_score >= _RUNNER_UP_SCORE and reading.outcome == "match")
        ):
            continue  # read clearly, or surely enough of its own ("trycka upp program");
            # torn between its best ("ett rum": a hotel room 0.56, a meeting room 0.56),
            # the occasion decides
        if reading.outcome != "match" and not any(
            m.code == service.code for m in reading.services[:1]
        ):
            continue
        for m in reading.services[:3]:
            sibling = snap.services.get(m.code)
            if (
                sibling is not None
                and sibling.category in clear
                and sibling.kind == service.kind
                and m.code not in taken
                and m.score >= _SIBLING_SCORE
                # "flytta 6 skrivbord från …" names moving help in its own verb
                and not _names_in_name(words, service)
            ):
                out[index] = (sibling, words)
                taken.add(m.code)
                break
    return out


# A wish that names no thing of its own: "kan vi få 5 kartonger?", "vill ha ett par till".
_BARE_WISH = re.compile(
    r"^(?:och |men )?(?:kan (?:vi|jag|ni) få|vill (?:vi|jag) ha|behöver (?:vi|jag)|"
    r"skulle (?:vi|jag) kunna få)\b"
)


# "…, det droppar ner på golvet": a clause whose subject is the thing just named.
_IT_GOES_ON = re.compile(r"^(?:och |så )?(?:det|den|dom|de)\b(?! (?:här|där|också|även)\b)")


def _goes_on_about(
    found: list[tuple[ServiceInfo, str]],
    index: int,
    parts: list[str],
    words: str,
    service: ServiceInfo | None,
) -> bool:
    """Whether a part only goes on about the fault named in the part right before it ("Det
    läcker vatten från taket i korridoren, det droppar ner på golvet"): it starts with a
    pronoun for it and reads as a fault of the same kind (category), so it is that
    fault's, not a second one. The caller asks only of a part that does not read clearly
    as its service alone ("… och det är halt vid entrén" is a fault of its own)."""
    if not found or index == 0 or service is None or service.kind != "fault":
        return False
    before, before_words = found[-1]
    if before.kind != "fault" or before.category != service.category:
        return False
    return before_words.endswith(parts[index - 1]) and bool(_IT_GOES_ON.match(words.lower()))


def _asks_for_more(parts: list[str], marked: list[tuple[str, bool]], index: int) -> bool:
    """Whether the part after ``index`` is a short wish that asks for what this part says
    is lacking ("…, kan vi få 5 kartonger?")."""
    if index + 1 >= len(parts) or not marked[index][1]:
        return False
    after = restore_diacritics(parts[index + 1]).lower().strip()
    return len(after.split()) <= _LISTED_WORDS + 2 and _BARE_WISH.match(after) is not None


def _another_fault(
    code: str, words: str, reading: Interpretation, before: list[str],
    own: dict[str, str | None],
) -> bool:  # fmt: skip
    """Whether a part reports a fault of its own to the same fault service as a need found
    before ("lampan i taket blinkar och dörren till förrådet går inte att låsa"): two
    faults, two tickets, each closed on its own. Both must say a fault in words and read
    that service alone (``before``: the words of the needs of that service found before;
    ``own``: the service the words of each part read as alone)."""
    service = snapshot().services.get(code)
    said = _FAULT_SAID.search(words.lower())
    if service is None or service.kind != "fault" or said is None:
        return False
    # A thing of its own that is faulty ("dörren … går inte att låsa"), not more about
    # the same one ("datorn har hängt sig och går inte att starta om").
    if not any(
        w not in _NOT_A_SUBJECT for w in re.findall(r"[a-zåäö]{3,}", said.string[: said.start()])
    ):
        return False
    if reading.service != code or reading.top_score < _FAULT_PART:
        return False
    return (
        len(before) == 1
        and _FAULT_SAID.search(before[0].lower()) is not None
        and own.get(before[0]) == code
    )


def _another_occasion(code: str, words: str, before: list[str]) -> bool:
    """Whether a part orders the same service as a need found before for another day or
    time, in a thing of its own ("en elcykel på tisdag kl 10 och sen en bil på torsdag kl
    13"): two bookings, two tickets."""
    service = snapshot().services.get(code)
    if service is None or service.kind != "order" or len(before) != 1:
        return False
    asked = [f for f in ("date", "time") if f in service.order_fields]
    if not asked or not _OWN_THING.match(words.strip().lower()):
        return False
    now = local_now()
    this = extract_details(words, asked, now)
    that = extract_details(before[0], asked, now)
    differs = [f for f in asked if this.get(f) and that.get(f) and this[f] != that[f]]
    return bool(differs) and all(this.get(f) for f in asked if that.get(f))


# A part that names a thing of its own: "en bil på torsdag", "och sen ett rum till kl 13".
_OWN_THING = re.compile(r"^(?:och |sen |sedan |samt |plus )*(?:en|ett|två|tre|\d+) \w+")


#: A second fault to the same service must read as that service alone at least this
#: surely (a fault said in words reads less surely than a named service).
_FAULT_PART = 0.55
_NOT_A_SUBJECT = frozenset(
    {"och", "men", "som", "det", "den", "dom", "dem", "här", "där", "nu", "igen", "också"}
    | {"även", "helt", "inte", "alls", "lite", "hela", "tiden", "bara", "ju", "väl"}
    | {"dessutom", "sen", "sedan"}
)
# Damage someone did, told ("nån har sprejat tags på väggen", "någon har krossat rutan").
_DAMAGE_DONE = re.compile(
    r"\b(?:har|hade) (?:\w+ ){0,2}?(?:klottrat|sprejat|sprayat|ristat|vandaliserat|krossat|"
    r"slagit sönder|sparkat sönder|brutit upp|tänt eld på|eldat)\b"
)
# A thing that has run out or is about to: "nästan inga handskar kvar", "slut på toner".
# ("har nästan tagit slut", "håller på att ta slut", "börjar ta slut": running out)
_TAKING_OUT = r"(?:har (?:\w+ )?tagit|håller på att ta|börjar ta) slut"
_LACK_SAID = re.compile(
    rf"\b(?:inga|inget|ingen) (?:[\w-]+ ){{0,2}}kvar\b|\bslut på\b|\b{_TAKING_OUT}\b|{RUN_OUT}"
)
# A fault said in words, not a wish: "blinkar", "går inte att låsa", "är slut", "har
# inte städats".
_FAULT_SAID = re.compile(
    r"\b(?:trasig\w*|sönder|läcker|droppar|rinner|blinkar|luktar|fungerar inte|funkar inte|"
    r"går (?:\w+ )?inte (?:att|igång)|startar inte|skriver inte ut|hänger sig|har hängt sig|"
    rf"har fastnat|slutat \w+|{RUN_OUT}|tagit slut|"
    r"har inte (?:blivit |varit )?\w+(?:ats|ts)|"
    r"har inte städats|inte tömts|surrar|piper|lyser inte|stängs inte|låser sig|slocknat|"
    # a sound or a sight that is wrong ("fläkten har börjat låta konstigt", "flimrar")
    r"tänds inte|låter|låta|brummar|tjuter|gnisslar|knarrar|skramlar|flimrar|vrålar|"
    # the order of a clause after "att" ("samt att dörren inte går att låsa")
    r"inte går att|inte fungerar|inte funkar|inte startar|inte tänds|inte lyser|"
    r"börjat \w+|"
    # what is blocked, down or loose ("golvbrunnen är stopp", "wifi:t ligger nere")
    r"(?:är|blivit|blev) stopp|stopp i|igensatt\w*|igentäppt\w*|forsar|"
    r"sprutar|ligger nere|är nere|lossnar|har lossnat|glappar|kärvar|pappers?stopp?|"
    r"(?:har|hade) gått av|"
    # loose parts ("två av bänkarna har lösa ben", "stolen har ett löst hjul")
    rf"{LOOSE_PARTS})\b"
)


def queue_entries(more: Sequence[tuple[ServiceInfo, str]]) -> tuple[list[str], dict[str, str]]:
    """Queue keys and the words of each need after the first, in the order said: a second
    fault to the same service gets a key of its own ("FAS-01#2")."""
    keys: list[str] = []
    parts: dict[str, str] = {}
    for service, part in more:
        key = queue_key(service.code, parts)
        keys.append(key)
        parts[key] = part
    return keys, parts


# A clause that goes on without a subject ("… och går inte att sänka längre", "… och
# låter som ett flygplan"): the subject is the one before. Not a question ("har ni …"), a
# subject after its verb, nor a wish ("behöver", "vill", "ska": "…, behöver två datorer
# till" may be a need).
_SUBJECTLESS = re.compile(
    r"^(?:går|gick|har|hade|är|var|kan|kunde|blir|blev|låter|lät|drar|fungerar|funkar|startar|"
    r"läcker|droppar|lyser|blinkar|piper|luktar|verkar|stänger|slutar|hänger|tappar|glappar|"
    r"rinner|surrar|brummar|gnisslar|skakar|vinglar|sjunker|laddar|fastnar|kärvar|krånglar)\b"
    r"(?!\s+(?:ni|du|vi|jag|man|det|den|de|dom|någon|nån|alla)\b)"
    # nor a subject after its verb ("och sen drar skrivaren in papperet snett": "sen" put
    # the verb first, "skrivaren" is a thing of its own)
    r"(?!\s+(?:inte\s+|ej\s+)?(?!igen\b|sedan\b)[a-zåäö]{2,}(?:en|et|na|rn)\b)"
)


def _after_och(text: str, part: str) -> bool:
    """Whether ``part`` follows "och" in ``text`` (where a subject may be left out: "… har
    tappat ett hjul och går inte att sänka"; after "sen" the verb comes first of its own
    subject: "sen startar inte datorn")."""
    at = text.find(part)
    return at > 0 and re.search(r"\boch[\s,]*$", text[:at].lower()) is not None


# "…, har de glömt bort oss?": a complaint about the need just said, not a need (nor a
# forgotten password).
_FORGOTTEN_US = re.compile(
    r"^(?:och |men |eller )?(?:har|hade) (?:de|dom|ni|någon|nån|alla) (?:helt |bara )?"
    r"(?:glömt|missat|struntat i|tappat) (?:bort )?(?:oss|mig|det|dom|de)\b"
)


# Something has run out ("pappret är slut", "slut på tvål").
_RAN_OUT = re.compile(rf"\b(?:{RUN_OUT}|slut på|har tagit slut|tog slut)\b")
#: How surely a run-out thing must read as the fault before's service to be that fault's.
_RAN_OUT_SAME = 0.4

# A short clause about "it" and how it is, without a thing of its own: "det luktar", "den
# gnisslar fortfarande".
_IT_IS_SO = re.compile(
    r"^(?:och |men |så )?(?:det|den|de|dom) (?!(?:behöv|önska|vill|ska|måste|kan)\w*\b)"
    r"[a-zåäö]+(?: [a-zåäö]+)?[.!]?$"
)
# "lampan på den", "knappen till det": a thing of the one just named, by a pronoun (not
# "på den nya kontorsstolen", a determiner).
_ON_IT = re.compile(
    r"\b(?:på|i|till|från|av|under|bakom|inuti|ovanpå|bredvid) (?:den|det|dem|dom)\b"
    r"(?!\s+(?:här|där|\w+[ae])\b)"
)


# How a fault has gone on since: "vattnet har börjat rinna ut", "det har hunnit bli …".
_DEVELOPS = re.compile(r"^(?:och |så )?(?:[a-zåäö]+ ){1,2}har (?:börjat|hunnit)\s+[a-zåäö]{3,}")


# A part that opens a report or an order of its own: "Sen vill jag anmäla att …", "och så
# ska vi beställa …".
_NEW_REPORT = re.compile(
    r"^(?:och |men )?(?:sen |sedan |dessutom |så )?(?:så )?(?:vill|ska|skulle vilja|måste) "
    r"(?:jag|vi) (?:också |även )?(?:anmäla|felanmäla|beställa|boka)\b"
)


def _more_of_the_fault(fault: tuple[ServiceInfo, str], part: str) -> bool:
    """Whether a part, said somewhere after a fault and not about another place, is more
    of that fault: the same thing again ("… entrédörren …" then "dörren går inte att
    låsa"), or something run out that the fault's service sees to ("pappret är slut");
    never a part that opens a report of its own ("Sen vill jag anmäla att en elev …")."""
    service, words = fault
    low = part.lower()
    if _NEW_REPORT.match(low):
        return False
    if _DEVELOPS.match(low) and _part_service(part)[0] == service.code:
        # "stopp i avloppet …, och vattnet har börjat rinna ut i korridoren": how the
        # same fault has gone on, also where it has spread to.
        return True
    if _says_where(part):
        return False
    if (_FAULT_SAID.search(low) or need_cue(low)) and _the_same_thing(words, part):
        return True
    return _RAN_OUT.search(low) is not None and any(
        m.code == service.code and m.score >= _RAN_OUT_SAME
        for m in _part_service(part)[1].services[:3]
    )


def _backed_by_whole(
    code: str | None,
    reading: Interpretation,
    whole: Interpretation | None,
    found: Sequence[tuple[ServiceInfo, str]],
) -> bool:
    """Whether a part read weakly as a fault of its own is one the whole message names too
    (among its three best, at :data:`_SENTENCE_SEES` or more), of another kind than the
    fault before: "ett barn har kräkts i hallen … och wifit har legat nere sen i morse"
    reads as a spill and, second, as the network."""
    if code is None or whole is None or not reading.services or reading.services[0].code != code:
        return False
    service = snapshot().services.get(code)
    if service is None or service.kind != "fault":
        return False
    if found and found[-1][0].category == service.category:
        return False
    return any(m.code == code and m.score >= _SENTENCE_SEES for m in whole.services[:3])


def _shows_the_fault(fault: ServiceInfo, part: str) -> bool:
    """Whether a state said after a fault reads best as an order, not a fault, and the
    fault's own service is among its three best: how the fault shows ("golvet är fullt av
    grus" after "det har inte städats"), not a need of its own."""
    reading = _part_service(part)[1]
    best = snapshot().services.get(reading.services[0].code) if reading.services else None
    return (
        best is not None
        and best.kind == "order"
        and best.category == fault.category
        and any(m.code == fault.code for m in reading.services[:3])
    )


def _the_same_thing(before: str, part: str) -> bool:
    """Whether the thing a part is about (its first noun of four letters or more) is one
    the words ``before`` named, also as the end of a compound ("dörren" after
    "entrédörren")."""
    said = {lemma(w) for w in tokens(before) if is_content(w) and len(w) >= 4}
    said -= _GENERIC
    own = next(
        (
            lemma(w)
            for w in tokens(part)
            if is_content(w) and len(w) >= 4 and lemma(w) not in _GENERIC
        ),
        None,
    )
    if own is None or len(own) < 4:
        return False
    return any(b == own or (len(b) > len(own) and b.endswith(own)) for b in said)


def _same_thing_said_on(text: str, before: str, part: str) -> bool:
    """Whether ``part`` goes on, after a comma, about a thing the part ``before`` named
    ("Vi kan inte låsa dörren, nyckeln bara snurrar runt i låset": how the fault shows)."""
    at = text.find(before)
    after = text.find(part, at + len(before)) if at >= 0 else -1
    if after < 0 or text[at + len(before) : after].strip() != ",":
        return False
    said = {lemma(w) for w in tokens(before) if is_content(w) and len(w) >= 3}
    return any(
        len(own) >= 3 and any(own.startswith(b) or b.startswith(own) for b in said if len(b) >= 3)
        for own in (lemma(w) for w in tokens(part) if is_content(w) and len(w) >= 3)
        if own not in _GENERIC
    )


def _is_fault(code: str) -> bool:
    """Whether a service of the catalogue is a fault report."""
    service = snapshot().services.get(code)
    return service is not None and service.kind == "fault"


def in_said_order(text: str, keys: list[str], parts: dict[str, str]) -> list[str]:
    """Queue keys in the order their words were said: a need kept to be asked about
    ("golvbrunnen i diskrummet är stopp", two fault services alike) waits between the
    orders said before and after it, not behind them all."""
    low = text.lower()

    def said_at(key: str) -> int:
        words = str(parts.get(key) or "").lower()
        return low.find(words) if words else -1

    ordered = [k for k in keys if not k.startswith(OPEN)]
    for key in (k for k in keys if k.startswith(OPEN)):
        at = said_at(key)
        later = [i for i, k in enumerate(ordered) if at >= 0 and said_at(k) > at]
        ordered.insert(later[0] if later else len(ordered), key)
    return ordered


def queued_code(key: str) -> str:
    """The service code of a queue key ("FAS-01#2" -> "FAS-01")."""
    return key.split("#", 1)[0]


def several_names(needs: Sequence[tuple[ServiceInfo, str]]) -> list[str]:
    """How each need is named back: its service, with its own words when the same
    service comes twice ("felanmälan fastighet (dörren till förrådet går inte att låsa)")."""
    twice = {s.code for s, _ in needs if sum(o.code == s.code for o, _ in needs) > 1}
    # the same service at places of its own is named by its place ("fönsterputs (Gläntans
    # förskola)"); else by the words that asked for it
    now = local_now()
    places = {
        index: extract_details(part, ("location",), now).get("location")
        for index, (s, part) in enumerate(needs)
        if s.code in twice
    }
    named = [p for p in places.values() if p]
    by_place = len(named) == len(places) and len(set(named)) == len(named)
    return [
        name_in_sentence(s.name)
        if s.code not in twice
        else f"{name_in_sentence(s.name)} ({places[index]})"
        if by_place
        else _with_words(name_in_sentence(s.name), part)
        for index, (s, part) in enumerate(needs)
    ]


def _with_words(name: str, part: str) -> str:
    """A service's name with the words that asked for it: "Felanmälan fastighet (dörren …)"."""
    return f"{name} ({part.strip(' ,.;!?')})"


#: A whole message whose best service scores below this names it weakly.
_WHOLE_WEAK = 0.6


def _all_cued(found: list[tuple[ServiceInfo, str]]) -> bool:
    """Whether every need found says in words that it is one (a fault or a wish)."""
    return all(need_cue(restore_diacritics(part).lower()) for _, part in found)


#: A sentence whose reading scores another need below this hardly names it.
_SENTENCE_SEES = 0.45


def _one_emergency(
    text: str, found: list[tuple[ServiceInfo, str]], whole: Interpretation | None
) -> bool:
    """Whether the faults found are the signs of one emergency that the message as a whole
    reads as: it says it is urgent, its service is the catalogue's acute one, and every
    fault found is of that kind of service, in one sentence, none at another place ("det
    är helt mörkt på avdelning 3, inga lampor funkar, inget i uttagen och larmen är
    döda!!" is a power cut, not a lamp and a power cut)."""
    snap = snapshot()
    if whole is None or whole.outcome != "match" or whole.service not in snap.services:
        return False
    acute = snap.services[whole.service]
    if acute.kind != "fault" or not snap.interpreter.is_acute(acute.code):
        return False
    if not snap.interpreter.says_urgent(text):
        return False
    sentences = [s for s in _SENTENCE.split(text.strip()) if s.strip()]
    if len(sentences) != 1:
        return False
    return all(
        s.kind == "fault" and s.category == acute.category and (i == 0 or not _says_where(w))
        for i, (s, w) in enumerate(found)
    )


def _one_per_sentence(
    text: str, found: list[tuple[ServiceInfo, str]], unclear: set[str]
) -> list[tuple[ServiceInfo, str]]:
    """Without the needs that read less than clearly in a sentence that as a whole surely
    names a need found before them and hardly theirs ("Kan vi få kaffe och nåt att äta
    till dem?" is fika, not fika and a lunch)."""
    if len(found) < 2 or not unclear:
        return found
    snap = snapshot()
    sentences = [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]
    kept: list[tuple[ServiceInfo, str]] = []
    for service, words in found:
        start = re.split(r"[.!?]", words.strip())[0].strip()[:24]
        sentence = next((s for s in sentences if start and start in s), None)
        if service.code in unclear and kept and sentence is not None:
            reading = snap.interpreter.interpret(sentence)
            earlier = {s.code for s, _ in kept}
            seen = max((m.score for m in reading.services if m.code == service.code), default=0)
            # ... and barely sees this one ("… konferensrum för 14 pers kl 9 och fika till
            # det" sees the fika too: two needs).
            sure = reading.service in earlier and reading.top_score >= _WHOLE_SURE
            # A part that says so itself ("… och en av taklamporna har slocknat") is a
            # need of its own however the sentence reads.
            says_so = need_cue(words.lower()) and _part_service(words)[0] == service.code
            alone = _stands_out(words, service.code) or says_so
            if sure and seen < _SENTENCE_SEES and not alone:
                continue
        kept.append((service, words))
    return kept


#: A part's own reading leading its second by this much names its service though the
#: sentence around it is read as another's.
_STANDS_OUT = 0.3


def _stands_out(words: str, code: str) -> bool:
    """Whether ``words``, a thing named without a verb, alone read as ``code`` far ahead of
    any other service ("… hon behöver en bärbar dator och en jobbmobil": the phone, though
    the sentence as a whole is the computer's), unlike a vague thing ("… kaffe och nåt att
    äta till dem")."""
    if _has_verb(words) or _CLAUSE.search(words.lower()):
        return False  # "en lampa som lyser orange" says more of the thing before
    own, reading = _part_service(words)
    if own != code or reading.outcome != "match" or not reading.services:
        return False
    return _lead(reading) >= _STANDS_OUT


def asked_by(first: ServiceInfo, other: ServiceInfo | None) -> bool:
    """Whether a catalogue-defined question of ``first`` names ``other`` (a lunch's
    "Allergier och specialkost" names the service Specialkost): a part that reads as
    ``other`` answers that question."""
    if other is None:
        return False
    named = {lemma(w) for w in tokens(other.name) if is_content(w) and lemma(w) not in _GENERIC}
    asked = " ".join(f"{f.get('label') or ''} {f.get('question') or ''}" for f in first.fields)
    return bool(named) and named <= {lemma(w) for w in tokens(asked)}


# A sentence of at most this many words without a verb names things ("Lunch kl 12 och …");
# a longer one tells ("Konferensen hålls i Göteborg den här gången").
_LISTED_WORDS = 4

# "Det är blankis …", "Här är det så kallt": how it is somewhere.
_IT_IS = re.compile(r"^(?:och |men )?(?:det är|här är det|där är det|det har blivit)\b")

# What is to be done, said of a thing ("Pärmarna ska till arkivet", "måste bort").
_TO_BE_DONE = re.compile(r"\b(?:ska|skall|måste|bör)\b")
# A move said as planned, from one place to another: "vi flyttar biblioteket från hus A
# till hus B".
_PLANNED_MOVE = re.compile(
    r"^(?:och |men |sen )?(?:vi|jag|de|dom|enheten|avdelningen|kontoret) (?:flyttar|ska flytta)\b"
    r"(?=.*\bfrån\b)(?=.*\btill\b)"
)

#: A part's own reading this sure (a ``match``) names its need whatever the whole says.
_CLEAR_PART = 0.7
# ... or a part's best service this far ahead of its second, at this score ("och så har
# ingen städat i matsalen": 0.66 against 0.31).
_CLEAR_PART_LEAD = 0.3
_CLEAR_PART_LEADING = 0.6


def _clear_reading(reading: Interpretation) -> bool:
    """Whether a part's reading names its best service clearly: a high score, or a lead."""
    top = reading.top_score
    second = reading.services[1].score if len(reading.services) > 1 else 0.0
    return top >= _CLEAR_PART or (top >= _CLEAR_PART_LEADING and top - second >= _CLEAR_PART_LEAD)


def _its_own_thing(first: ServiceInfo, words: str, reading: Interpretation) -> bool:
    """Whether a part names a thing that ``first`` lists as its own (one of its keywords)
    and reads as ``first`` among its two best: "Behöver tekniker till hybridmötet …,
    mikrofonerna krånglar alltid" says what the technician is for, not an IT fault."""
    if first.code not in {m.code for m in reading.services[:2]}:
        return False
    other = snapshot().services.get(reading.service or "")
    if other is None or other.code == first.code:
        return False

    def words_of(texts: Sequence[str]) -> set[str]:
        return {lemma(w) for k in texts for w in tokens(k.lower()) if is_content(w)}

    # A word the part's own service also names ("fika till samma möte" after a room for
    # the meeting: the fika's service is for meetings too) says nothing of whose it is.
    own = words_of(first.keywords) - words_of([other.name, other.description, *other.keywords])
    return any(is_content(w) and lemma(w) in own for w in tokens(words.lower()))


#: The whole message's next service scores at least this to be a weak part's need (the
#: first part, which always carries a need, asks only the interpretation's ``choose``: a
#: candidate the whole message would offer).
_RUNNER_UP_SCORE = 0.55


def needs_beside(text: str, chosen: str) -> list[tuple[ServiceInfo, str]]:
    """The other needs of a message whose reading was torn between services, once the
    person has picked ``chosen`` among them ("boka ett rum och fixa lunch till mötet" →
    "Boka konferensrum": the lunch is still wanted). A part counts only when it clearly
    names a service of its own (a ``match``, at least :data:`_CLEAR_PART`) and ``chosen``
    is not among its three best: a part that could be the chosen service is the chosen
    service's own words, however it reads alone."""
    # A part that says no need in words counts when it tells of another matter ("Sen har
    # vi ett element som inte blir varmt …" after a delivery).
    parts = [
        part
        for part, sure in marked_parts(_past_the_scene(text))
        if sure or _ANOTHER_MATTER.match(part.strip().lower())
    ]
    if len(parts) < 2:
        return []
    snap = snapshot()
    defined = _every_field()
    found: list[tuple[ServiceInfo, str]] = []
    own_seen = False  # whether some part is the chosen service's own words
    for index, part in enumerate(parts):
        if _no_need(part, index, defined):
            continue
        code, reading = _part_service(part)
        if chosen in {m.code for m in reading.services[:3]}:
            own_seen = True
            continue
        clear = reading.service == code and reading.top_score >= _CLEAR_PART
        if clear and code in snap.services and all(s.code != code for s, _ in found):
            found.append((snap.services[code], part))
    # Without a part that could be the chosen service, the message was not torn between
    # two needs but misread as a whole: nothing is added behind the person's choice.
    return found if own_seen else []


def _read_elsewhere(reading: Interpretation, whole: Interpretation) -> bool:
    """Whether the whole message's best service is none of a part's three best: the whole
    was read from the other parts."""
    return bool(whole.services) and whole.services[0].code not in {
        m.code for m in reading.services[:3]
    }


#: A part of this many words or fewer that asks ("Vi behöver", split off at "också")
#: asks for the part after it.
_WISH_ALONE = 3

# Words that ask for something to be had or done ("behöver lokal", "vill ha fika").
_WISH = re.compile(
    r"\b(?:behöver|behövs|vill (?:vi |jag )?ha|önskar|beställa|beställ|boka|skulle (?:vi |jag )?"
    r"(?:vilja ha|behöva)|kan (?:vi|jag) få)\b"
)


def _runner_up_named(
    reading: Interpretation, whole: Interpretation, taken: set[str], least: float,
    asked_for: str | None = None,
) -> str | None:  # fmt: skip
    """One of the whole message's two best services, not yet ``taken``, that scores at
    least ``least`` there and is among the three best of the part's own ``reading``; else
    None."""
    own = {m.code for m in reading.services[:3]}
    for m in whole.services[:2]:
        if m.code not in taken and m.score >= least and m.code in own:
            return m.code
    # "…. behöver lokal och fika": the part's own best, weak alone ("lokal"), is one of
    # the message's three best, when the part asks for it ("…, går inte att ha lektion
    # där" says how bad a fault is).
    best = reading.services[0] if reading.services else None
    if (
        best is not None
        and asked_for is not None
        and _WISH.search(restore_diacritics(asked_for).lower())
        and best.code not in taken
        and best.score >= _OWN_BEST_LEAST
        and best.code in {m.code for m in whole.services[:3]}
    ):
        return best.code
    return None


def _claimed_later(parts: list[str], index: int) -> set[str]:
    """The services that the parts after ``index`` each read clearly as on their own: the
    whole message's reading of them is theirs, not a weak part's ("På Rådhuset har
    kaffeautomaten slutat fungera, på Stadshuset är toaletterna ostädade …": the cleaning
    fault is the toilets')."""
    claimed = set()
    for part in parts[index + 1 :]:
        code, reading = _part_service(part)
        if code is not None and reading.service == code and reading.top_score >= _CLEAR_PART:
            claimed.add(code)
    return claimed


#: A weak part's own best service counts (when the whole message ranks it among its three
#: best) from this score.
_OWN_BEST_LEAST = 0.3


def _seen_by_both(reading: Interpretation, whole: Interpretation) -> str | None:
    """The best of a part's three best services that the whole message also ranks among
    its three best, when the part sees it at least :data:`_OWN_BEST_LEAST`; else None."""
    seen = {m.code for m in whole.services[:3]}
    return next(
        (m.code for m in reading.services[:3] if m.code in seen and m.score >= _OWN_BEST_LEAST),
        None,
    )


def _since(before: str, part: str, text: str) -> str | None:
    """The words of ``text`` after the part ``before`` up to the end of ``part``, without a
    leading "och"/"men"; None when the parts are not found in that order."""
    start = text.find(before)
    end = text.find(part, start + len(before)) if start >= 0 else -1
    if end < 0:
        return None
    words = text[start + len(before) : end + len(part)].strip(" ,;.?!")
    return re.sub(r"^(?:och|men)\s+", "", words, flags=re.IGNORECASE) or None


def _sets_the_scene(low: str) -> bool:
    """Whether a (lower-case) part only sets the scene: "vi ska ha heldagsmöte med nämnden
    nästa onsdag" (its "ska ha" is the scene's, not a need's), not "vi har möte och
    behöver fika"."""
    if _MEETING_FIRST.match(low) and " med " not in f" {low} " and not need_cue(low):
        return True  # "Styrelsemöte torsdag kl 9 för 10 personer."
    if _ANNOUNCES.search(low):
        return True  # "Morgonrundan klar, hittade tre saker som behöver fixas."
    return _SCENE.search(low) is not None and not need_cue(_SCENE.sub(" ", low))


# Who writes and how: "jobbar på hemtjänsten", "skriver från mobilen mellan besöken".
_WHO_I_AM = re.compile(
    r"^(?:hej,?\s+)?(?:jag\s+)?(?:jobbar|arbetar)(?: (?:natt|kväll|dag|helg)\w{0,2})? "
    r"(?:på|i|som|inom)\b|"
    # "Hej, kokerska här och jag har bara en minut.", "klasslärare i 3B här, …"
    r"^(?:hej,?\s+)?(?:[a-zåäö0-9]+ ){0,3}?[a-zåäö]+ här\b"
    r"(?!\s+(?:är|har|finns|luktar|droppar|läcker|blinkar|brinner))|"
    r"\bskriver (?:på|i) (?:rasten|lunchen|farten|bussen)\b|"
    # "Hej, vaktmästare på Ekbackens förskola."
    r"^(?:hej,?\s+)?(?:jag är\s+)?(?:ny\s+)?\w*(?:mästare|lärare|skötare|sköterska|kokerska|"
    r"kock|chef|assistent|administratör|handläggare|receptionist|ekonom|rektor|vårdare|"
    r"städare|pedagog|sekreterare)\s+(?:på|i|vid|från|inom)\b|"
    r"\bskriver (?:från|på|via) (?:mobilen|telefonen|jobbmobilen|bussen|tåget)\b|"
    # "hej, jag är ny på ekonomikontoret sen i måndags", "jag har precis börjat på Solgården"
    r"^(?:hej,?\s+)?jag (?:är ny(?:anställd)?|har (?:precis |just |nyss )?börjat) (?:här )?"
    r"(?:på|i|vid|inom)\b|"
    # "Hej från köket på Sjöviksskolan.": a greeting from a place, all of the sentence
    r"^(?:hej,?\s+)?från (?:(?:på|i|vid) )?[a-zåäö0-9-]+(?: (?:på|i|vid) [a-zåäö0-9 -]+)?[.!]*$"
)
# How many things the message goes on to tell ("hittade tre saker som behöver fixas"),
# not a fault of a thing ("tre fel på skrivaren").
_ANNOUNCES = re.compile(
    r"\b(?:två|tre|fyra|fem|sex|några|flera|ett par|en del)\s+(?:saker|grejer|grejor|fel|"
    r"ärenden|problem|beställningar|felanmälningar)\b(?!\s+(?:på|i|med|vid|hos)\s)"
)


# "Styrelsemöte torsdag kl 9 för 10 personer.", "Föräldramöte i matsalen kl 15": a part
# that starts with the meeting it is about and asks for nothing ("möte med fika" may).
_MEETING_FIRST = re.compile(
    r"^\w*(?:möte|sammanträde|workshop|konferens|utbildning|kurs|träff|seminarium|"
    r"studiedag|planeringsdag|föreläsning|kickoff|temadag|personaldag)\b"
)


# "den gamla byrån", "våra trasiga stolar": a thing named as known, without a verb.
_DEFINITE_THING = re.compile(
    r"(?:och |samt )?(?:den|det|de|dom|vår|vårt|våra|min|mitt|mina|er|ert|era)"
    r"(?: [a-zåäö-]+){1,3}"
)


# "den gamla har spruckit skärm": the old thing that a new one replaces.
_OLD_ONE = re.compile(
    r"(?:^|,\s*)(?:men |för |eftersom )?(?:den|det|de|dom|min|mitt|mina) (?:gamla|förra) "
    r"(?:har|är|var|gick|går|funkar|fungerar|slutade|kan)\b"
)
# "en ny tjänstemobil": a need for a new thing.
_A_NEW_THING = re.compile(r"\bny(?:a|tt)?\b")


def _the_old_one(need: str, part: str, text: str) -> bool:
    """Whether a part after a need for a new thing says why it is needed ("en ny
    tjänstemobil, den gamla har spruckit skärm"), or goes on about the old one ("… och går
    inte att använda")."""
    if _A_NEW_THING.search(need.lower()) is None:
        return False
    low = part.strip().lower()
    if _OLD_ONE.match(low) is not None:
        return True
    before = text[: max(text.find(part), 0)][-60:].lower()
    return _SUBJECTLESS.match(low) is not None and _OLD_ONE.search(before) is not None


# "kan dom hämtas …": a part whose subject points back to things named before it.
_POINTS_BACK = re.compile(r"^(?:och |men )?kan (?:dom|de|den|det|dessa)\b", re.IGNORECASE)


# A part whose subject is the thing just named ("den sjunker hela tiden", "dom går inte att
# låsa"): "det" is left out, it is as often no thing at all ("det luktar avlopp i köket").
# The word after the pronoun must be a verb ("den sjunker", "dom är"), not a word that
# makes the pronoun an article ("dom vingliga stolarna ska lagas").
_SAME_THING = re.compile(
    r"^(?:och |men |så )?(?P<who>den|dom|de)\s+"
    r"(?:är|har|går|kan|ska|vill|blir|verkar|ser|låter|står|ligger|sitter|funkar|"
    r"[a-zåäö]{2,}(?:ar|er|ir|ur|de|te)\b(?<!arna)(?<!erna))"
)


# How many of a thing are wanted: "vi behöver 10 block", "3 kartonger förkläden till …".
_WANTED_COUNT = re.compile(
    rf"^(?:(?:och )?(?:(?:vi|jag) )?(?:behöver|vill ha|skulle behöva|önskar) )?"
    rf"(?:ca |cirka |ungefär |runt |typ )?(?:\d{{1,4}}|{number_words(2, 20)})\s+"
    r"(?:(?:st|stycken|kartong|kartonger|låda|lådor|paket|förpackningar|buntar|rullar|"
    r"par|set|pall|pallar)\s+)?(?P<thing>[a-zåäö]{3,})\b"
)


def _counted_earlier(
    found: Sequence[tuple[ServiceInfo, str]], part: str, next_to_last: bool
) -> int | None:
    """The need found before the last one (or the last one, when ``part`` does not follow
    it) whose thing ``part`` counts ("10 block" of "inga kollegieblock kvar"): the thing is
    one of the need's words or the last part of one (a short word only in full); None
    otherwise, or when it is a word of another need too."""
    counted = _WANTED_COUNT.match(part.strip().lower())
    if counted is None or not found:
        return None
    thing, thing_stem = fold(counted["thing"]), fold(stem(counted["thing"]))

    def counts(words: str) -> bool:
        for w in tokens(words.lower()):
            word, word_stem = fold(w), fold(stem(w))
            if word == thing or word_stem == thing_stem:
                return True
            if len(thing_stem) >= 4 and (word.endswith(thing) or word_stem.endswith(thing_stem)):
                return True
        return False

    hits = [i for i, (_, words) in enumerate(found) if counts(words)]
    if len(hits) != 1 or (hits[0] == len(found) - 1 and next_to_last):
        return None  # (more of the need just said is read as such elsewhere)
    return hits[0]


def _how_it_is_made(part: str) -> bool:
    """Whether a part only says how the thing just ordered is to be ("…, dubbelsidigt och
    häftat", "laminerade"): a few words that are each a form of an adjective or a
    participle (their lemma differs: "häftat" of "häfta"), not a thing ("fruktfat")."""
    words = [w for w in re.split(r"[\s,]+", part.strip().lower()) if w and w not in ("och", "i")]
    return 0 < len(words) <= 3 and all(
        re.search(r"(?:igt|iga|ig|at|ade|ad|et|t)$", w) is not None and lemma(w) != w for w in words
    )


def _more_of_it(part: str) -> bool:
    """Whether a part says more of the thing just named (its subject points back to it):
    always with "den"; with "dom"/"de" only when it names no service surely of its own."""
    same = _SAME_THING.match(part.strip().lower())
    if same is None:
        return False
    if same["who"] == "den":
        return True  # "den läcker olja": the chair, never a person with a need
    # "dom behöver nya datorer" may be people with a need of their own
    _, reading = _part_service(part)
    return reading.top_score < _CLEAR_PART


def _with_antecedent(part: str, text: str) -> str:
    """The part, or the whole sentence it ends when its subject points back ("Sen har vi
    två gamla soffor …, kan dom hämtas för återbruk?": the sofas are the need)."""
    if not _POINTS_BACK.match(part.strip()):
        return part
    for sentence in _SENTENCE.split(text.strip()):
        if part.strip() in sentence and sentence.strip() != part.strip():
            return sentence.strip()
    return part


# "en sal till ett hybridmöte fredag": the occasion a thing is for ("till ett hybridmöte")
# may name another service; the thing is what is asked for.
_FOR_OCCASION = re.compile(
    r"^(?P<head>.+?)\s+(?:till|för|inför)\s+(?:ett |en |vårt |vår |vårat |det |den |vår )?"
    r"[a-zåäö]*(?:möte|mötet|dag|dagen|konferens|konferensen|utbildning|utbildningen|kurs|"
    r"kursen|workshop|workshopen|seminarium|seminariet|träff|träffen|kickoff|fest|festen)\b"
)


def _only_generic(text: str) -> bool:
    """Whether every content word of ``text`` only frames a need ("behöver", "problem",
    "lösa"): it says that something is needed, not what."""
    return not any(is_content(w) and lemma(w) not in _GENERIC for w in tokens(text))


def _sentence_from(text: str, part: str) -> str:
    """``part`` with the rest of its sentence in ``text`` (to the next full stop, question
    or exclamation mark, or line break); ``part`` itself when it is not found."""
    at = text.find(part)
    if at < 0:
        return part
    rest = text[at + len(part) :]
    end = re.search(r"[.!?]\s|[.!?]$|\n", rest)
    rest = rest[: end.start()] if end else rest
    return (part + rest).strip()


# How far ahead of the next a weak part's one service must be to stand alone.
_FAR_AHEAD = 0.25


def _lead(reading: Interpretation) -> float:
    """How far ``reading``'s best service is ahead of the next (of none: its score)."""
    second = reading.services[1].score if len(reading.services) > 1 else 0.0
    return reading.top_score - second


def _far_ahead(reading: Interpretation, code: str) -> bool:
    """Whether ``reading`` is a match of ``code`` at least ``_FAR_AHEAD`` ahead of the next
    service."""
    return reading.service == code and _lead(reading) >= _FAR_AHEAD


# How close a part's two best readings are for the whole message to choose between them.
_CONTEXT_TIE = 0.15


def _in_whole_context(
    code: str | None, reading: Interpretation, whole: Interpretation | None, words: str = ""
) -> str | None:
    """A part's second reading when its two best are close (``_CONTEXT_TIE``) and the
    message as a whole ranks the second above the first: in "Vi behöver boka ett rum, fika
    och en tekniker … till styrelsemötet" the room is a meeting room, not a hotel room."""
    if code is None or whole is None or len(reading.services) < 2:
        return code
    first, second = reading.services[0], reading.services[1]
    if code != first.code or first.score - second.score > _CONTEXT_TIE:
        return code
    order = [m.code for m in whole.services]
    if second.code in order and (
        first.code not in order or order.index(second.code) < order.index(first.code)
    ):
        if _new_not_mended(second.code, words):
            return code
        return second.code
    return code


def _new_not_mended(code: str, words: str) -> bool:
    """Whether ``words`` wish for one new thing by its article and ``code`` is a service
    that mends ("Och så skulle jag behöva ett höj- och sänkbart skrivbord" beside a fault:
    the new desk, not the mending the message as a whole leans to)."""
    return _mends(snapshot().services.get(code)) and ONE_WISHED.search(words.lower()) is not None


def _same_line(text: str, before: str, part: str) -> bool:
    """Whether ``part`` follows ``before`` in ``text`` with no line break between."""
    start = text.find(before)
    end = text.find(part, start + len(before)) if start >= 0 else -1
    return end >= 0 and "\n" not in text[start + len(before) : end]


def _part_service(part: str) -> tuple[str | None, Interpretation]:
    """The service one part of a message asks for: its own best one, or the best one of the
    thing it names before the occasion it is for, when that one is clear; and the part's
    own reading (interpreted once per catalogue version, for the callers' questions)."""
    # "…, så den går inte att använda": what follows from the need names no service.
    said = _SINCE_MEAL.sub("", _CONSEQUENCE.sub("", part)) or part
    # "och så ett höj- och sänkbart skrivbord": the word that joins it to the need before
    # is no part of what it is.
    return _part_service_of(snapshot().version, _JOINER.sub("", said) or said)


@lru_cache(maxsize=512)
def _part_service_of(version: str, part: str) -> tuple[str | None, Interpretation]:
    """:func:`_part_service` for the catalogue ``version`` (the key of the cache)."""
    snap = snapshot()
    result = snap.interpreter.interpret(part)
    if _only_generic(part):
        # "Vi har ett problem som behöver lösas": says there is a need, not which.
        return None, result
    code = result.service or (
        result.services[0].code
        if result.services and result.top_score >= _SECOND_NEED_SCORE
        else None
    )
    if code is None:
        code = (
            _counted_order(part, result) or _said_fault(part, result) or _counted_need(part, result)
        )
    lacked = _LACKED.search(part) if code is None else None
    if lacked is not None:
        # "och så har vi inga whiteboardpennor kvar i klassrummet": the thing lacked, read
        # alone, when the words around it (where, how it ran out) drown it.
        thing = snap.interpreter.interpret(lacked["thing"])
        found = snap.services.get(thing.service or "")
        if found is not None and found.kind == "order" and thing.outcome == "match":
            # the part reads as its thing does (a clear need of its own)
            return found.code, thing
    if code is None and result.outcome == "choose":
        # "6 nya nycklar till förrådet på mossebo skola": the thing, read without where
        # it goes, when the place's words tear the reading.
        code = _without_place_service(part)
    occasion = _FOR_OCCASION.match(part.strip().lower())
    if occasion is None:
        return code, result
    head = occasion["head"]
    if _only_generic(head):
        return code, result
    own = snap.interpreter.interpret(_NEED_VERB.sub("", head.strip()) or head)
    # The thing alone ("en sal" of "behöver en sal till ett hybridmöte") names the need
    # when it reads surely, or clearly and as one the whole part could be.
    could_be = own.service in {m.code for m in result.services[:3]}
    if own.service and own.service != code and (own.top_score >= _SECOND_NEED_SCORE or could_be):
        return own.service, result
    return code, result


# A thing run out of: "vi har inga whiteboardpennor kvar", "slut på hårnät", "inte ett
# enda kollegieblock kvar" (the thing: up to "kvar", a place or the end).
_LACKED = re.compile(
    r"\b(?:slut på|(?:har|finns)(?:\s+(?:vi|ni|de|dom|det|jag))?\s+"
    r"(?:inga|inget|ingen|inte\s+(?:en|ett|några)(?:\s+enda)?))\s+"
    r"(?P<thing>[a-zåäö-]{4,}(?:\s+(?!kvar\b|i\b|på\b|till\b|vid\b|hos\b)[a-zåäö-]{3,})?)"
    r"(?=\s+(?:kvar|i|på|till|vid|hos)\b|\s*[,.!?]|\s*$)",
    re.IGNORECASE,
)
_WHERE_LEAD = re.compile(r"\s(?:till|på|i|vid|hos)\s", re.IGNORECASE)


def _without_place(part: str) -> str:
    """``part`` without the place it names ("Elementen i matsalen på Björkskolan är
    iskalla" -> "Elementen är iskalla"); ``part`` itself when it names none."""
    place = extract_details(part, ("location",), local_now()).get("location")
    if not place:
        return part
    return " ".join(_place_removed(part, str(place)).split()) or part


def _place_removed(part: str, place: str) -> str:
    """``part`` without ``place`` and the preposition before it ("… på Björkskolan")."""
    return re.sub(
        rf"\s*\b(?:till|på|i|vid|hos|för)?\s*{re.escape(place)}", "", part, flags=re.IGNORECASE
    )


def _without_place_service(part: str) -> str | None:
    """The service a part reads as clearly once the place it names is left out; None when
    it names no place or still reads less than clearly."""
    place = extract_details(part, ("location",), local_now()).get("location")
    if place:
        rest = _place_removed(part, str(place)).strip(" ,.")
    else:
        # a place typed in lower case ("till förrådet på mossebo skola"): what comes
        # before its first preposition
        lead = _WHERE_LEAD.search(part)
        rest = part[: lead.start()].strip(" ,.") if lead else part.strip(" ,.")
    if rest == part.strip(" ,.") or len(rest.split()) < 2:
        return None
    snap = snapshot()
    reading = snap.interpreter.interpret(rest)
    found = snap.services.get(reading.service or "")
    # things to have, not a fault: a fault's place is part of how it is told
    return (
        found.code
        if found and found.kind == "order" and reading.top_score >= _SECOND_NEED_SCORE
        else None
    )


# "tre skärmar", "30 skrivblock": a count before the thing counted.
_COUNTED = re.compile(rf"(?:^|\s)(?:\d{{1,4}}|{number_words(2, 20)})\s+[a-zåäö]{{3,}}")
# How sure the order read for counted things must be, when a fault is as likely.
_COUNTED_ORDER_SCORE = 0.5


def _counted_order(part: str, reading: Interpretation) -> str | None:
    """The order service of a part that counts things and is torn between an order and a
    fault of the same category ("tre skärmar": new equipment, not an IT fault), when it
    says nothing is wrong; None otherwise."""
    snap = snapshot()
    low = part.lower()
    if reading.outcome != "choose" or not _COUNTED.search(low) or _FAULT_SAID.search(low):
        return None
    if need_cue(low) and not re.search(r"\b(?:behöv|vill ha|beställ|önskar)", low):
        return None  # a cue for a fault in other words
    top = [snap.services.get(m.code) for m in reading.services[:2]]
    if len(top) < 2 or top[0] is None or top[1] is None or top[0].category != top[1].category:
        return None
    kinds = {top[0].kind, top[1].kind}
    if kinds != {"order", "fault"}:
        return None
    order = top[0] if top[0].kind == "order" else top[1]
    score = next(m.score for m in reading.services[:2] if m.code == order.code)
    return order.code if score >= _COUNTED_ORDER_SCORE else None


# How far the best order must lead the next service for a part that asks for a number of
# things ("så behöver vi 28 nya elevstolar"), when the part alone is torn.
_COUNTED_NEED_LEAD = 0.12


def _counted_need(part: str, reading: Interpretation) -> str | None:
    """The order service of a part that asks for a number of things in so many words
    ("så behöver vi 28 nya elevstolar"), torn between services but led clearly by one
    order; None otherwise."""
    low = part.lower()
    if reading.outcome != "choose" or len(reading.services) < 2:
        return None
    if not _COUNTED.search(low) or not _ASKS_FOR.search(low) or _FAULT_SAID.search(low):
        return None
    best, second = reading.services[0], reading.services[1]
    found = snapshot().services.get(best.code)
    if found is None or found.kind != "order" or best.score - second.score < _COUNTED_NEED_LEAD:
        return None
    return best.code


_ASKS_FOR = re.compile(r"\b(?:behöv(?:er|s)|vill (?:ha|beställa)|beställa|önskar)\b")


# How far a fault service must lead the next fault service for a part that says what is
# wrong, when the part alone is torn ("Projektorn i aulan går inte igång").
_FAULT_LEAD = 0.1


# A part whose subject is a pronoun ("det luktar …", "den piper"): it names no thing.
_PRONOUN_START = re.compile(r"^(?:och |men |sen |så )?(?:det|den|dom|de|dem)\b")


def _said_fault(part: str, reading: Interpretation) -> str | None:
    """The fault service of a part that says something is wrong and is torn between
    services, when one fault service leads the other faults clearly; None otherwise."""
    if reading.outcome != "choose" or not _FAULT_SAID.search(part.lower()):
        return None
    snap = snapshot()
    faults = [
        m for m in reading.services[:3]
        if (s := snap.services.get(m.code)) is not None and s.kind == "fault"
    ]  # fmt: skip
    if not faults or faults[0].code != reading.services[0].code:
        return None
    interpreter = snap.interpreter
    if (
        not interpreter.says_urgent(part)
        and not interpreter.is_acute(faults[0].code)
        and not _PRONOUN_START.match(part.strip().lower())
    ):
        # Said calmly of a thing named, the acute fault of the same kind is no rival of the
        # ordinary one ("Fläkten … har slutat dra så det blir fullt av os": not the acute
        # building fault); "det luktar i hela avdelningen" names nothing, and may be how
        # the need before shows
        kind = snap.services[faults[0].code].category
        faults = [
            faults[0],
            *(
                m
                for m in faults[1:]
                if not (interpreter.is_acute(m.code) and snap.services[m.code].category == kind)
            ),
        ]
    runner_up = faults[1].score if len(faults) > 1 else 0.0
    return faults[0].code if faults[0].score - runner_up >= _FAULT_LEAD else None


# "behöver en sal", "vi vill boka ett rum": the need's verb, before the thing it names.
_NEED_VERB = re.compile(
    r"^(?:(?:vi|jag)\s+)?(?:behöver|behövs|vill ha|vill boka|vill beställa|ska ha|"
    r"skulle vilja ha|önskar|kan (?:vi|jag) få|boka|beställa|beställer|bokar)\s+",
    re.IGNORECASE,
)


def _thing_then_clause(
    text: str, first_part: str, whole: Interpretation | None
) -> list[tuple[ServiceInfo, str]]:
    """Two needs when the message's only need part is a thing ("fika") that clearly names
    one service and the rest is a clause ("och nån som hjälper till med projektorn") that the
    whole message is surely about; not when the first part is itself a clause that the rest
    goes on about ("har ett avtal som ska till en leverantör, kan posten ta det?")."""
    snap = snapshot()
    if whole is None or whole.service not in snap.services or whole.top_score < _WHOLE_SURE:
        return []
    if first_part.strip() == text.strip() or "?" in text or _CLAUSE.search(first_part.lower()):
        return []
    first = snap.interpreter.interpret(first_part).service
    if first and first != whole.service and first in snap.services:
        whole_text, head = text.strip(), first_part.strip()
        rest = whole_text[len(head) :].strip(" ,;.") if whole_text.startswith(head) else text
        return [(snap.services[first], first_part), (snap.services[str(whole.service)], rest)]
    return []


# Words that ask for something ("vi behöver också låna ett större rum"), which a part
# that names no service clearly must have to be kept as a need of its own.
_ASKS = re.compile(
    r"\b(?:behöver|behövs|behöva|vill ha|skulle vilja|önskar|kan (?:vi|jag|ni) få|"
    r"boka|beställa|också|även|dessutom|"
    # running out asks for more ("och plasthandskarna i lådan är slut")
    rf"{RUN_OUT}|slut på|snart slut|på att ta slut|(?:inga|inget|ingen) (?:\w+ )?kvar)\b"
)


_ASKS_BEFORE = 24
# "det är nästan slut", "de har tagit slut": the thing just named runs out (why it is
# asked for), no need of its own.
_IT_RUNS_OUT = re.compile(rf"(?:och |så )?(?:det|den|dom|de) (?:{RUN_OUT}|{_TAKING_OUT})[\s.!]*")
# The asking words just before a part, to show it back whole ("Vi behöver också låna …").
_ASKS_LEAD = re.compile(
    r"(?:\b(?:vi|jag)\s+)?\b(?:behöver|skulle behöva|vill ha|önskar)(?:\s+\w+)?\s*$"
)


def open_needs(text: str, taken: set[str]) -> list[str]:
    """The parts of a first message that ask for something in so many words but name no
    service clearly, beside the services ``taken`` ("… Vi behöver också låna ett större
    rum att vara i"): kept, to be asked about when those orders are done, instead of lost.
    A part that could be one of the ``taken`` services (among its three best) is that
    order's own words."""
    marked = marked_parts(_past_the_scene(text))
    if len(marked) < 2:
        return []
    defined = _every_field()
    kept = []
    carrying = False  # whether the parts just before ask for help with carrying
    for index, (part, sure) in enumerate(marked):
        if carrying and _only_things(part):
            continue  # "… behöver bärhjälp, ett tjugotal lådor och två skåp": what is carried
        carrying = _CARRYING.search(part.lower()) is not None
        if index == 0 or not sure or _no_need(part, index, defined):
            continue
        if _COUNT_WANTED.fullmatch(part.strip().lower()):
            continue  # "…, vi skulle behöva 12 flaskor": how many of the thing just named
        if _POINTS_TO_IT.match(part.strip().lower()) and _same_line(
            text, marked[index - 1][0], part
        ):
            # "- en kontorsstol där ryggstödet har lossnat, den behöver lagas": what is to
            # be done with the thing just named on the same line is that need's own
            continue
        if _IT_GOES_ON.match(part.strip().lower()) and (
            not _ASKS.search(part.lower()) or _IT_RUNS_OUT.fullmatch(part.strip().lower())
        ):
            # "…, det luktar illa", "Vi behöver handsprit …, det är nästan slut": the thing
            # just named, how it is
            continue
        # The words that ask may stand just before the part ("vi behöver också låna …"
        # is split at "också").
        at = text.find(part)
        low = (text[max(0, at - _ASKS_BEFORE) : at] + " " + part if at >= 0 else part).lower()
        fault = _FAULT_SAID.search(part.lower()) is not None
        if not (_ASKS.search(low) or fault) or not _names_a_thing(part):
            continue
        code, reading = _part_service(part)
        # (a taken service far down is no trace of it: "… ett paket som ska köras till
        # Familjecentralen" beside an archive delivery reads 0.26 as the archive)
        best = {m.code for m in reading.services[:3] if m.score >= _SIBLING_SCORE}
        if not _ASKS.search(low) and not (_reads_as_fault(reading) or _reads_as_mending(reading)):
            continue  # "luktar det konstigt från avloppet": a fault, when it reads as one
        # Its intent is not asked: "låna en större lokal" reads out of scope alone.
        if code is not None or best & taken:
            continue
        if reading.services and reading.top_score >= OPEN_LEAST:
            asked = _ASKS_LEAD.search(low.rsplit(part.lower(), 1)[0]) if at >= 0 else None
            lead = text[at - len(asked[0]) : at] if asked else ""
            words = f"{lead}{part}".strip(" ,;")
            parts = [p for p, _ in marked]
            if _asks_for_more(parts, marked, index):
                # "… bara en halv kartong handskar kvar, kan vi få 3 kartonger till?": the
                # wish that asks for it, and how many, goes with it.
                words = f"{words}, {parts[index + 1].strip()}"
            kept.append(words)
    return kept


# A part about the thing just named: "den behöver lagas", "det måste bort".
_POINTS_TO_IT = re.compile(r"^(?:och\s+)?(?:den|det|de|dom|dessa)\s+(?:behöver|måste|ska|bör)\b")


def _reads_as_fault(reading: Interpretation) -> bool:
    """Whether a part's two best services are both faults (which one is asked)."""
    services = snapshot().services
    best = [services.get(m.code) for m in reading.services[:2]]
    return len(best) == 2 and all(s is not None and s.kind == "fault" for s in best)


# A service whose own words say it mends things ("Montering och reparation av möbler").
_MENDS = re.compile(r"\b(?:reparation\w*|reparera\w*|lagning\w*|lagar|laga)\b")


def _reads_as_mending(reading: Interpretation) -> bool:
    """Whether a part's best service mends things, by its name or description ("två av
    bänkarna har lösa ben" reads as mending furniture, an order, not a fault)."""
    return bool(reading.services) and _mends(snapshot().services.get(reading.services[0].code))


def _mends(service: ServiceInfo | None) -> bool:
    """Whether a service's name or description says it mends things (:data:`_MENDS`)."""
    return (
        service is not None
        and _MENDS.search(f"{service.name} {service.description}".lower()) is not None
    )


# Where and when, not what: "hem fredag nästa vecka".
_NOT_A_THING = _WHEN_AND_HOW_MANY | {"hem", "dit", "hit", "tillbaka", "där", "här"}


def _names_a_thing(part: str) -> bool:
    """Whether a part names something to be had or done beyond when, where and who does it
    ("låna ett större rum", not "hem fredag nästa vecka" or "nån som stänger av")."""
    return any(
        is_content(w)
        and lemma(w) not in _GENERIC
        and w.lower() not in _NOT_A_THING
        and not _bare_verb(w)
        for w in tokens(part)
    )


def open_queue(words: list[str]) -> tuple[list[str], dict[str, str]]:
    """Queue keys and parts for needs still to be placed ("?1": "vi behöver också …")."""
    keys = [f"{OPEN}{i + 1}" for i in range(len(words))]
    return keys, dict(zip(keys, words, strict=True))


# Words that put a need where the order before it was: "här", "där", "samma plats".
_SAME_PLACE = re.compile(r"\b(?:här|där|samma (?:plats|ställe|rum|lokal|adress)|dit|hit)\b")


def elsewhere_fault(service: ServiceInfo, part: str, tracker: Tracker) -> bool:
    """Whether a fault queued beside an order of another kind may be somewhere else: it
    is not said to be there ("här", "samma plats") and the order before was no fault."""
    before = snapshot().services.get(str(tracker.get_slot("service_code") or ""))
    if service.kind != "fault" or before is None or before.kind == "fault":
        return False
    return _SAME_PLACE.search(part.lower()) is None


def _carried(tracker: Tracker) -> tuple[dict[str, str], dict[str, str]]:
    """The shared details and the answered catalogue-defined ones of the order just done."""
    snap = snapshot()
    carried = {f: str(tracker.get_slot(f)) for f in CARRIED if tracker.get_slot(f)}
    before = snap.services.get(str(tracker.get_slot("service_code") or ""))
    answered = custom_details(before, tracker.current_slot_values()) if before else {}
    return carried, {k: v for k, v in answered.items() if v != SKIP}


def _open_buttons(reading: Interpretation) -> list[dict[str, str]]:
    """The services to pick among for a need said in other words, and "Inget av dessa";
    none when no service comes near."""
    snap = snapshot()
    if not reading.services or reading.top_score < OPEN_LEAST:
        return []
    # The best three are choices: one of them may score low and still be the one meant.
    offered = [m.code for m in reading.services[:3] if m.code in snap.services]
    buttons = [
        {"title": snap.services[c].name, "payload": f'/choose_service{{"service_code":"{c}"}}'}
        for c in offered
    ]
    none = {"title": "Inget av dessa", "payload": '/choose_service{"service_code":"none"}'}
    return [*buttons, none]


def typed_pick(text: str, words: str) -> str | None:
    """The code of the offered service whose button title ``text`` types ("extra
    städning", "Extra städning."), "none" for "Inget av dessa", or None when it types
    none of them (the buttons offered for the need said in ``words``)."""
    said = fold(" ".join(text.lower().split()).strip(" .!"))
    for button in _open_buttons(snapshot().interpreter.interpret(words)):
        if fold(button["title"].lower()) == said:
            return str(button["payload"]).split('"service_code":"')[1].rstrip('"}')
    return None


def unsure_lead(text: str) -> tuple[str, list[tuple[ServiceInfo, str]]] | None:
    """(the first part, the needs after it) when a message's first part asks for something
    whose service is unsure while a later part clearly names another service ("skrivarn
    på expeditionen drar in flera papper samtidigt och så skulle vi vilja beställa 2 nya
    skärmar"): the first need is asked about with candidates, the later one queued."""
    marked = marked_parts(_past_the_scene(text))
    snap = snapshot()
    defined = _every_field()
    # Past a first line that only says who writes from where ("Hej från köket på …!").
    first = 0
    while first < len(marked) - 1 and _no_need(marked[first][0], first, defined):
        first += 1
    marked = marked[first:]
    if len(marked) < 2:
        return None
    lead, sure = marked[0]
    if not sure or _sets_the_scene(lead.lower()) or _no_need(lead, first, defined):
        return None
    code, reading = _part_service(lead)
    if code is not None or reading.outcome != "choose" or len(reading.services) < 2:
        return None
    near = {m.code for m in reading.services[:3]}
    after: list[tuple[ServiceInfo, str]] = []
    for index, (part, is_sure) in enumerate(marked[1:], start=first + 1):
        if not is_sure or _no_need(part, index, defined):
            continue
        other, own = _part_service(part)
        clear = own.service == other and own.top_score >= _CLEAR_PART
        new = all(s.code != other for s, _ in after)
        if clear and other in snap.services and other not in near and new:
            after.append((snap.services[str(other)], part))
    return (lead, after) if after else None


def next_need(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """After a ticket: start the next queued need with the shared details carried over, or
    ask which service a need said in other words is (buttons, answered by a pick)."""
    queued = [c for c in (tracker.get_slot("queued_services") or []) if isinstance(c, str)]
    parts = tracker.get_slot("queued_parts")
    parts = parts if isinstance(parts, dict) else {}
    snap = snapshot()
    carried, fields = _carried(tracker)
    while queued:
        code = queued.pop(0)
        part = parts.get(code)
        keep = [SlotSet("queued_services", queued), SlotSet("queued_parts", parts or None)]
        if code.startswith(OPEN):
            if not isinstance(part, str):
                continue
            buttons = _open_buttons(snap.interpreter.interpret(part))
            if not buttons:
                continue
            dispatcher.utter_message(response="utter_open_need", words=part, buttons=buttons)
            pending = {"words": part, "carried": carried, "fields": fields,
                       "first": tracker.get_slot("first_request")}  # fmt: skip
            return [*keep, SlotSet("open_need", pending), SlotSet("match_outcome", "choose")]
        service = snap.services.get(queued_code(code))
        if service is None:
            continue
        # A second fault to the same service is named with its own words.
        name = service.name
        if code != service.code and isinstance(part, str):
            name = _with_words(service.name, part)
        dispatcher.utter_message(response="utter_next_need", name=name)
        present(dispatcher, service)
        # The message that named the needs gives what the order before did not take
        # ("… på måndag, … Och vi vill ha fika … samma dag kl 14": the day); the need's
        # own part wins over it, and only the part can be the description.
        first = tracker.get_slot("first_request")
        shared = carried
        # "förresten, kranen i personalköket droppar": a fault said beside another order
        # is where the fault is, not where that order was (nor where that order's first
        # message said: "ja. sen är lampan i trapphuset trasig" after a fika in rum 310 is
        # asked where the stairwell is).
        elsewhere = isinstance(part, str) and elsewhere_fault(service, part, tracker)
        if elsewhere:
            first = None
        own_place = (
            extract_details(part, ("location",), local_now()).get("location")
            if isinstance(part, str)
            else None
        )
        # "… nån som gör rent i salen" after a fika in "Rådhuset lilla salen": the same room
        before_place = str(carried.get("location") or "")
        said_room = (
            own_place is not None
            and _room_of(own_place, before_place)
            and set(tokens(own_place.lower())) <= set(tokens(before_place.lower()))
        ) or (
            # "… kan ni putsa fönstren i matsalen samtidigt?" after a cleaning of
            # "matsalen på Ängsskolan": the room of the place before, named alone
            own_place is None and isinstance(part, str) and _place_words_in(part, before_place)
        )
        if elsewhere or (isinstance(part, str) and _says_where(part) and not said_room):
            # ... and a need that says where it is ("… och gräset bakom hus B är så
            # högt") takes its own place (or is asked), not the place of the order before.
            shared = {k: v for k, v in carried.items() if k != "location"}
        if (
            isinstance(part, str)
            and _SAME_COUNT.search(part.lower())
            and tracker.get_slot("quantity")
        ):
            # "Och mobiltelefoner också, samma antal": as many as the order before.
            shared = {**shared, "quantity": str(tracker.get_slot("quantity"))}
        events = start_order(
            service, first if isinstance(first, str) and part else None, shared,
            dispatcher=dispatcher, own_part=part if isinstance(part, str) else None,
            carried_fields=fields,
        )  # fmt: skip
        # The message that named both needs stays the one a resent message is compared with.
        events.append(SlotSet("first_request", tracker.get_slot("first_request")))
        return [*events, *keep, FollowupAction("service_form")]
    return []


class ActionMatchService(Action):
    """Rank the catalogue for the message and act on the matcher's decision."""

    def name(self) -> str:
        return "action_match_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = latest_text(tracker)
        pending = tracker.get_slot("open_need")
        if isinstance(pending, dict) and pending.get("words"):
            picked = typed_pick(text, str(pending["words"]))
            if picked is not None:
                # "Extra städning" typed instead of pressing its button: the same pick, with
                # the details the order before shared (they were lost: a new order began).
                chosen = get_service_info(picked) if picked != "none" else None
                return ActionSelectService._place_open_need(dispatcher, tracker, chosen, pending)
        snap = snapshot()
        result = snap.interpreter.interpret(text, tracker.latest_message)
        needs = needs_with_parts(text, result)
        cleared = SlotSet("open_need", None)
        if needs:
            (first, first_part), more = needs[0], needs[1:]
            names = several_names(needs)
            dispatcher.utter_message(
                response="utter_several_needs", first=names[0], rest=", sedan ".join(names[1:])
            )
            present(dispatcher, first)
            keys, words = open_queue(open_needs(text, {s.code for s, _ in needs}))
            self._open_later(dispatcher, words)
            later, later_parts = queue_entries(more)
            queue = [
                SlotSet(
                    "queued_services", in_said_order(text, later + keys, {**later_parts, **words})
                ),
                SlotSet("queued_parts", {**later_parts, **words}),
            ]
            events = start_order(
                first, text, dispatcher=dispatcher, own_part=first_part,
                other_parts=[part for _, part in more],
            )  # fmt: skip
            return [*events, *queue, cleared]
        lead = unsure_lead(text)
        if lead is not None and (buttons := _open_buttons(snap.interpreter.interpret(lead[0]))):
            said, more = lead
            dispatcher.utter_message(
                response="utter_open_need_first", words=said,
                rest=", sedan ".join(name_in_sentence(s.name) for s, _ in more), buttons=buttons,
            )  # fmt: skip
            pending = {"words": said, "carried": {}, "fields": {}, "first": text}
            lead_keys, lead_parts = queue_entries(more)
            return [
                SlotSet("queued_services", lead_keys), SlotSet("queued_parts", lead_parts),
                SlotSet("open_need", pending), SlotSet("match_outcome", "choose"),
            ]  # fmt: skip
        told = told_fault(text, result)
        if told is not None:
            # a fault told with what follows from it, which the whole reads as another need
            return [*self.start_one(dispatcher, text, told, None), cleared]
        service = snap.services.get(result.services[0].code) if result.outcome == "match" else None
        own_part: str | None = None
        # "Vi börjar två nya på ekonomienheten … De behöver 2 passerkort …, kostnadsställe
        # 2140.": the scene and the details blur the whole message; the one part that asks
        # for something names the service clearly.
        one = _the_one_need(text, result) if result.outcome in ("choose", "none") else None
        if one is not None:
            service, own_part = one
        if service is not None:
            return [*self.start_one(dispatcher, text, service, own_part), cleared]
        if result.outcome == "choose":
            buttons = [
                {
                    "title": snap.services[m.code].name,
                    "payload": f'/choose_service{{"service_code":"{m.code}"}}',
                }
                for m in result.services[:3]
                if m.code in snap.services
            ]
            buttons.append(
                {"title": "Något annat", "payload": '/choose_service{"service_code":"none"}'}
            )
            dispatcher.utter_message(response="utter_choose_service", buttons=buttons)
            return [SlotSet("escalation_reason", None), SlotSet("match_outcome", "choose")]
        dispatcher.utter_message(
            response="utter_no_service_match",
            buttons=[{"title": "Prata med servicedesken", "payload": "/human_handoff"}],
        )
        return [SlotSet("escalation_reason", "no_match"), SlotSet("match_outcome", "none")]

    @classmethod
    def start_one(
        cls, dispatcher: CollectingDispatcher, text: str, service: ServiceInfo,
        own_part: str | None = None,
    ) -> list[EventType]:  # fmt: skip
        """Present ``service`` and start its order from ``text`` (``own_part``: the part
        of it that asks for the service), keeping the message's other needs (which name no
        service clearly) to ask about afterwards."""
        present(dispatcher, service)
        keys, words = open_queue(open_needs(text, {service.code}))
        cls._open_later(dispatcher, words)
        events = start_order(
            service, text, dispatcher=dispatcher, own_part=own_part,
            other_parts=list(words.values()),
        )  # fmt: skip
        return [*events, SlotSet("queued_services", keys), SlotSet("queued_parts", words or None)]

    @staticmethod
    def _open_later(dispatcher: CollectingDispatcher, words: dict[str, str]) -> None:
        """Name back each need kept for later, so the person knows it is not lost."""
        for part in words.values():
            dispatcher.utter_message(response="utter_open_need_later", words=part)


class ActionSelectService(Action):
    """Take the service the person picked among the offered candidates."""

    def name(self) -> str:
        return "action_select_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        code = next(tracker.get_latest_entity_values("service_code"), None)
        service = get_service_info(code)
        pending = tracker.get_slot("open_need")
        if isinstance(pending, dict) and pending.get("words"):
            return self._place_open_need(dispatcher, tracker, service, pending)
        if service is None:
            dispatcher.utter_message(
                response="utter_rephrase",
                buttons=[{"title": "Prata med servicedesken", "payload": "/human_handoff"}],
            )
            return [SlotSet("escalation_reason", "no_match"), SlotSet("match_outcome", "none")]
        first_text = _first_request_text(tracker)
        more = needs_beside(first_text, service.code) if first_text else []
        if more:
            dispatcher.utter_message(
                response="utter_several_needs", first=name_in_sentence(service.name),
                rest=", sedan ".join(name_in_sentence(s.name) for s, _ in more),
            )  # fmt: skip
        present(dispatcher, service)
        keys, later = queue_entries(more)
        own = _without_parts(first_text, [w for _, w in more]) if more else None
        return [
            *start_order(
                service,
                first_text,
                dispatcher=dispatcher,
                own_part=own,
                other_parts=[words for _, words in more],
            ),
            SlotSet("queued_services", keys),
            SlotSet("queued_parts", later or None),
        ]

    @staticmethod
    def _place_open_need(
        dispatcher: CollectingDispatcher, tracker: Tracker, service: ServiceInfo | None,
        pending: dict[str, Any],
    ) -> list[EventType]:  # fmt: skip
        """The service picked for a need said in other words: its order, with the details
        the order before shared; none picked: the need is left and the queue goes on."""
        done = SlotSet("open_need", None)
        if service is None:
            dispatcher.utter_message(response="utter_open_need_dropped")
            rest = next_need(dispatcher, tracker)
            return [done, *rest] if rest else [done, SlotSet("match_outcome", "none")]
        present(dispatcher, service)
        carried = pending.get("carried") if isinstance(pending.get("carried"), dict) else {}
        fields = pending.get("fields") if isinstance(pending.get("fields"), dict) else {}
        first = pending.get("first") if isinstance(pending.get("first"), str) else None
        # The message the need was said in gives what its own words do not (as for a
        # queued need); the need's own words win and alone can be the description.
        events = start_order(
            service, first, carried, dispatcher=dispatcher,
            own_part=str(pending["words"]), carried_fields=fields,
        )  # fmt: skip
        return [*events, done]


def _without_parts(text: str | None, parts: Sequence[str]) -> str | None:
    """The words of ``text`` past its scene without the ``parts`` another need said
    ("Kan ni skicka 3 kartonger förkläden till Lindviks vårdboende?" of a message that goes
    on with an element on Bruksgatan 7): the chosen need's own words, None if none are
    left."""
    if not text:
        return None
    own = _past_the_scene(text)
    for part in parts:
        own = own.replace(part, " ")
    own = re.sub(r"\s+", " ", own).strip(" ,;")
    return own if len(own.split()) >= 2 else None


def _first_request_text(tracker: Tracker) -> str | None:
    """Return the text of the request that led to the candidate buttons."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent in ("request_service", "inform"):
            return str(event.get("text") or "") or None
    return None
