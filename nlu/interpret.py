"""One interpretation step: what does this turn mean?

Every caller (the actions, inside and outside a form; ``make eval``; the benchmark) asks
:meth:`Interpreter.interpret` and gets one :class:`Interpretation`: the intent, the ranked
catalogue services with calibrated scores, what to do about them (``match``, ``choose`` or
``none``) and a confidence. It combines three signals:

* the intent classifier (Rasa's NLU model: its ranking is passed in),
* the lexical catalogue matcher (:mod:`nlu.matcher`, BM25 over the catalogue's own words),
* sentence embeddings (:mod:`nlu.embeddings`): similarity of the request to each service's
  name, description, keywords and example requests; and a semantic intent head
  (:mod:`nlu.heads`) learnt from the intents' training examples and the reference
  catalogue's example requests (:func:`reference_services`), blended with the classifier's
  ranking.

Decision rules (the thresholds live in :data:`THRESHOLDS`, chosen by cross-validation and
on a tuning set, with the figures in docs/benchmarks.md):

1. A conversational intent (greeting, status, cancel, human, …) that the classifier holds
   with at least ``keep_intent`` confidence stands.
2. A catalogue match of at least ``strong`` is a request, whatever else was said: a
   strong match is never answered "out of scope".
3. Out of scope needs both to agree: the classifier says so (or falls back) *and* no
   service is strong; a hesitant "out of scope" (below ``keep_oos``) also yields to any
   service candidate above ``choose``, and one below ``keep_oos_match`` to one clear
   service (``match``); below ``keep_oos_at_work`` when that service is backed by the
   catalogue's own words and the message speaks of the workplace ("vi", "kommunens").
4. Otherwise a request (or a detail, ``inform``) is routed by the fused service scores.
5. A request whose best service is short of ``strong`` and not backed by the catalogue's own
   words, and that is nearer (by ``background_margin``) to a service of the *background*
   than to any service of this catalogue, asks for something this desk does not offer
   (:data:`NO_SERVICE`); so does one whose words belong to one background service (in one
   lexical index with the catalogue) when the embeddings agree on that service. The
   background (:func:`background_services`) is a broad list of
   the internal services Swedish municipalities run plus the default catalogue; every
   background service that a service of this catalogue resembles (passage similarity of
   ``background_overlap`` or more, the same name, or a keyword that is one of the
   catalogue's own words) is left out, so a catalogue never competes with itself; and a
   request whose words the best service names (its name, keywords or the things its
   description lists: "fönsterputs" in an extra-cleaning service) is never set aside.
6. What a service's description says it does not do ("Hotell, taxi och hyrbil ingår inte.",
   "Gäller inte privata flyttar.", "Jobbmobiler har en egen tjänst.") is no word of it
   (:func:`nlu.text.positive_description`). A service among the three best that is asked
   for such a thing, and names none of the message's other needs, keeps only
   ``excluded_factor`` of its score; a request for a thing that one service excludes and
   no other offers, whose best service names none of its other needs, is out of scope
   (:data:`NO_SERVICE`), like rule 5.
"""

from __future__ import annotations

import csv
import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from nlu import embeddings
from nlu._lexicon import stem, stop_words
from nlu._numbers import number_words, word_to_int
from nlu._synonyms import PHRASES, synonyms
from nlu.details import is_place_word, is_room
from nlu.heads import SoftmaxHead
from nlu.matcher import RAW_LEAD_RATIO, CatalogueMatcher, Match, ServiceDoc, calibrate
from nlu.text import (
    excluded_parts,
    fold,
    lemma,
    positive_description,
    restore_diacritics,
    tokens,
    without_colon_endings,
)

__all__ = [
    "CANCEL_LATER",
    "CONVERSATIONAL",
    "LACKS",
    "NO_SERVICE",
    "ONE_WISHED",
    "RECORD_KEY",
    "STOPPED_DOING",
    "THRESHOLDS",
    "Evidence",
    "Interpretation",
    "Interpreter",
    "Thresholds",
    "classifier_ranking",
    "lending_services",
    "lending_texts",
    "lending_vectors",
    "reference_examples",
    "reference_services",
]

#: The key under which Rasa's parse data carries the interpretation step's reading.
RECORD_KEY = "envagin_interpretation"
REQUEST = "request_service"
INFORM = "inform"
OOS = "out_of_scope"
FALLBACK = "nlu_fallback"
#: The reason of a request that no service of the catalogue is near (intent out of scope).
NO_SERVICE = "request, no catalogue service"
#: The background of services a request may be meant for (rule 5).
BACKGROUND_FILES = (
    Path(__file__).resolve().parent / "data" / "background_services.csv",
    Path(__file__).resolve().parent.parent / "data" / "tjanstekatalog.csv",
)
#: The catalogue whose example requests teach the semantic intent head what a request
#: sounds like, whatever catalogue is synced.
REFERENCE_FILE = BACKGROUND_FILES[1]
#: Services of other catalogues with the requests staff wrote for them, for a catalogue
#: without example requests to borrow from (:mod:`nlu.lending_corpus` writes it).
LENDING_FILE = Path(__file__).resolve().parent / "data" / "lending_services.csv"
#: The lending sources left out of every interpretation step and of the borrowed training
#: data (comma-separated): ``make eval`` on a tuning catalogue leaves its own requests out
#: (:func:`nlu.evaluate.leave_out`), in this process, in Rasa's pipeline and in the sync.
LEND_EXCLUDE_ENV = "ENVAGIN_LEND_EXCLUDE"


def left_out() -> list[str]:
    """The lending sources :data:`LEND_EXCLUDE_ENV` leaves out (none unless an evaluation
    set them)."""
    return [s.strip() for s in os.environ.get(LEND_EXCLUDE_ENV, "").split(",") if s.strip()]


#: Intents that are about the conversation, not about a catalogue service.
CONVERSATIONAL = frozenset(
    {
        "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "help",
        "ticket_status", "cancel_ticket", "list_tickets", "human_handoff",
    }
)  # fmt: skip


# Asking for a person needs a word for it; the classifier alone confuses "handläggare" in
# an order with a request to talk to one.
_HANDOFF_CUE = re.compile(
    r"människa|person\b|servicedesk|kundtjänst|support|prata|tala|snacka|"
    r"chatta|ringa|ring |koppla|kontakt|någon som|en riktig|med er\b|^/human|"
    r"\bpersonal\b|inte (?:med )?(?:en )?(?:bot|robot|dator)|ingen (?:bot|robot)|"
    r"ge mig en (?:handläggare|människa|person)"
)

# A greeting before a request or thanks after it ("hej behöver en bil imorgon", "boka
# konferensrum tack") wraps the request: the request is what the message says.
_SOCIAL = frozenset({"greet", "thank", "goodbye"})
_GREETING_LEAD = re.compile(
    r"^(?:hej|hejsan|hejhej|hej hej|hallå|tjena|tja|tjabba|god morgon|godmorgon|god dag|"
    r"goddag|god eftermiddag|morrn|morsning|hello|hi)\b[\s!,.:;-]*"
)
_THANKS_TAIL = re.compile(
    r"[\s,.!-]*(?:tack|tack tack|tackar|tack så mycket|tusen tack|tack på förhand|"
    r"tack i förväg|tacksam för svar|mvh|hälsningar)[\s!.]*$"
)
_SOCIAL_REST = re.compile(r"^(?:tack|tackar|tusen tack|okej|ok|bra|hej då|vi hörs|ha det)\b")


def _social_wrapped(low: str) -> bool:
    """Whether a message is a greeting or thanks around something else that is said."""
    rest = _THANKS_TAIL.sub("", _GREETING_LEAD.sub("", low)).strip(" ,.!?")
    if rest == low.strip(" ,.!?") or len(rest.split()) < 2:
        return False
    return not _SOCIAL_REST.match(rest)


# Words that place a message at work: "we" (the unit), the kommun's, its staff and units.
_AT_WORK = re.compile(
    r"\b(?:vi|vår|vårt|våra|oss|kommunens|kommunen|tjänste\w+|personal\w*|enhet\w*|"
    r"avdelning\w*|avd|förvaltning\w*|boende\w*|brukar\w*|elev\w*|skolans|förskolans)\b"
)
# A question about how a service is had: its price, lead time, who provides it, how
# to get it ("vad kostar det att trycka 2000 broschyrer?", "hur långt innan måste man
# beställa mat till ett möte?"), not how to do something oneself ("hur putsar man …").
_SERVICE_QUESTION = re.compile(
    r"\b(?:vad kostar|hur mycket kostar|vad tar ni|"
    r"hur (?:långt|lång tid|länge|tidigt|många dagar) (?:innan|i förväg|före|får|tar)|"
    r"vem (?:bokar|beställer|ordnar|fixar|ansvarar för|tar hand om|kan hjälpa)|"
    r"hur (?:gör|bär) (?:man|jag|vi) (?:sig )?(?:åt )?(?:för att|när) (?:få|boka|beställa|"
    r"låna|hyra|ordna|anmäla|ändra|avboka)|"
    r"hur (?:beställer|bokar|lånar|hyr|ordnar|anmäler|avbokar|får) (?:man|jag|vi)|"
    r"(?:var|vart|hos vem) (?:beställer|bokar|anmäler|lånar|vänder) (?:man|jag|vi))\b"
)
# The ticket intents are about tickets: without a word for one ("ärende", "beställning",
# "hur går det", "avboka", …) a fault description the classifier read as "status" is not.
_TICKET_INTENTS = frozenset({"ticket_status", "cancel_ticket", "list_tickets"})
_TICKET_CUE = re.compile(
    r"ärende|beställ|anmäl|bokning|bokade|status|hur går det|hur ligger|vad händer|"
    r"när kommer|kommer ni|har ni|har någon|fått svar|svar på|\bsd-?\d|"
    # a number of a ticket, not of a thing ("datorn har nummer MK-4471", "serienummer")
    r"(?<!\bhar )(?<![a-zåäö])nummer\b(?!\s+(?!sd)[a-zåäö]{1,4}-?\d)|"
    r"avbok|avbryt|ta bort|stryk|makulera|återkalla|ångra|glöm|behövs inte|"
    r"inte längre|mina|lista|visa|följa upp|uppföljning|^/|"
    r"strunta|skippa|låt bli|avstå|släpp det|en annan gång|inte aktuellt|nej tack"
)
# A goodbye needs a word for one: "hej, det har inte städats hos oss" is not a farewell.
_GOODBYE_CUE = re.compile(
    r"hej ?då|hejdå|hej hej|adjö|vi hörs|vi ses|ha det|ha en (?:bra|trevlig)|"
    r"trevlig (?:helg|kväll|dag|jul)|tack för (?:hjälpen|idag|nu)|det var allt|"
    r"det var (?:bara )?det\b|det var bara|det är bra så|inget mer|\btack|^bye|^ses\b|"
    r"^god ?natt|^hörs"
)
# Urgency in a message: "akut", "vattnet forsar", "det är halkrisk", "nu!!".
_URGENT = re.compile(
    r"\bakut\w*|\bbråttom\b|\bomgående\b|\bgenast\b|\bdirekt\b|\bsnarast\b|!!|"
    r"\bså (?:fort|snabbt) som möjligt\b|\bkom (?:fort|snabbt)\b|\bnu på en gång\b|"
    r"\b(?:forsar|sprutar|svämmar|översvämn\w*|vattnet stiger|står under vatten)\b|"
    r"\b(?:brand|brinner|rök|röklukt|gaslukt|inbrott|krossad\w*|farlig\w*|halkrisk|"
    r"livsfarlig\w*|går inte att låsa|kan inte låsa|ingen värme|strömmen har gått)\b|"
    # what smells or sparks of fire ("det luktar bränt från fläkten")
    r"\bluktar (?:bränt|bränd\w*|rök|el|plast)\b|\bbrandlukt\b|\bgnistr\w*|\bgnistor\b|\bosar\b"
)
#: What a thing has stopped doing ("fläkten har slutat dra", "lampan slutat lysa"): read by
#: :data:`_BROKEN` here and by the need cues of :mod:`actions._dialogue`.
STOPPED_DOING = r"fungera|funka|gå|lysa|värma|dra|suga|kyla|spola|ladda|tända|låsa|stänga"
# A thing said not to work or to be in a bad state: "elementet är iskallt", "kranen läcker".
_BROKEN = re.compile(
    # (the thing may come after the verb: "i matsalen är elementen iskalla")
    r"\b(?:är|blev|har blivit|har varit) (?:(?!inte\b|ej\b)[a-zåäö]{3,} )?(?:helt )?"
    r"(?:trasig\w*|sönder|iskall\w*|kall\w*|"
    r"stopp|söndrig\w*|paj|ur funktion|igensatt|igentäppt)\b|"
    r"\b(?:fungerar|funkar|startar|lyser|tänds) inte\b|\bläcker\b|\bdroppar\b|"
    r"\bgår inte att\b|\bhar gått (?:sönder|av)\b|"
    rf"\bslutat (?:{STOPPED_DOING})\b|"
    # what a thing does not do ("elementet blir inte varmt", "fläkten drar inte")
    r"\bblir inte (?:varm\w*|kall\w*)|\b(?:värmer|kyler|drar|spolar|stänger|låser) inte\b|"
    r"\bgår inte igång\b|"
    # a thing that turns itself off or overheats ("laptopen blir jättevarm och stänger av
    # sig själv", "projektorn stängde av sig", "laddaren blir glödhet")
    r"\bstäng(?:er|de|des|s) (?:\w+ )?av sig\b|\bhänger sig\b|\bkraschar\b|"
    r"\bblir (?:jätte|väldigt |så |för |glöd)?(?:varm|het)\b|"
    # a sound or a sight that is wrong ("lampan flimrar", "kåpan vrålar och skramlar")
    r"\b(?:flimrar|blinkar|surrar|piper|tjuter|skramlar|vrålar|gnisslar|brummar|läcker)\b"
)
# A service that is the catalogue's acute one: "Akut sanering", "jour", "samma dag".
_ACUTE_SERVICE = re.compile(r"\bakut\w*|\bjour\w*|\bomedelbar\w*|\bsamma dag\b|\bdygnet runt\b")
# ... not one that says it is not: "Fel i byggnad och installationer som inte är akuta".
_NOT_ACUTE = re.compile(
    r"\b(?:inte|ej|icke)(?:\s+(?:är|vara|blir))?\s+(?:akut\w*|brådskande)|\bicke-akut\w*"
)
# A service that moves what people already have, by its name or keywords ("Flytthjälp",
# "Intern flytt och bärhjälp").
_MOVING_SERVICE = re.compile(r"\bflytt\w*|\bbärhjälp\w*|\bomflyttning\w*")
# A message that wants things moved ("behöver flytta två skrivbord", "hjälp att bära
# bokhyllorna"), not new ones ("vi flyttar in och behöver nya skrivbord"): read with å/ä/ö
# restored.
_DRIVEN_BETWEEN = re.compile(
    r"\b(?:köra|kör|köras|körs|bära|bär|bäras|frakta|fraktas|få ner|få upp|forsla)\b"
    r"(?=[^.!?]{0,60}\bfrån\b[^.!?]{1,60}\btill\b)|"
    r"\b(?:köras|fraktas|bäras)\s+(?:över\s+|iväg\s+)?(?=till\b)",
    re.IGNORECASE,
)
# ("en gammal kyl och två bokhyllor som ska köras från hemtjänstens lokal till
# möbelförrådet": things driven from one place to another, :data:`_DRIVEN_BETWEEN`)
_WANTS_MOVED = re.compile(
    r"\bflytta(?:s)?\b(?!\s+in\b)|\bbära\b|\bbärhjälp\b|\bmontera isär\b|\bflytt av\b|"
    + _DRIVEN_BETWEEN.pattern
)
# A move said outright: things driven from one place to another, or "Flytt av … till …".
_MOVE_SAID = re.compile(
    r"\bflytt av\b[^.!?]{1,80}\btill\b|\bflytta(?:s)?\b[^.!?]{0,60}\bfrån\b[^.!?]{1,60}\btill\b|"
    + _DRIVEN_BETWEEN.pattern
)
# A service done indoors or outdoors, by its description ("klotter inomhus",
# "klottersanering utomhus", "Skötsel av gårdar och utemiljö").
_INDOORS_SERVICE = re.compile(r"\binomhus\b|\binne i (?:\w+ )?byggnad\w*")
_OUTDOORS_SERVICE = re.compile(
    r"\butomhus\b|\butemiljö\w*|\bpå tomte[nr]\w*|\butvändig\w*|"
    # what is only ever done outdoors ("Plogning, skottning och sandning av skolgårdar")
    r"\bsnöröjning\w*|\bplogning\w*|\bsnöskottning\w*|\bgräsklippning\w*"
)
# Where a message says the thing is: indoors ("väggen i foajén") or outdoors ("på
# fasaden"); read with å/ä/ö restored.
_INDOOR_PLACE = re.compile(
    r"\b(?:inomhus|inne i|foajé\w*|korridor\w*|trapphus\w*|toalett\w*|klassrum\w*|"
    r"personalrum\w*|omklädningsrum\w*|matsal\w*|aula\w*|entréhall\w*|kontoret|"
    r"tvättstug\w*|hissen)\b"
)
_OUTDOOR_PLACE = re.compile(
    r"\b(?:utomhus|utanför|gården|skolgård\w*|fasad\w*|utsidan|ytterväggen|parkering\w*|"
    r"lekplats\w*|gångväg\w*|cykelställ\w*|staket\w*|planket|busskur\w*|sandlåd\w*|"
    r"klätterställning\w*|rutschkan\w*)\b"
)
# A service that mends things, by its name or keywords ("Reparation av möbler", "lagning").
_MENDING_SERVICE = re.compile(r"\breparat\w*|\breparera\w*|\blagning\w*|\blaga\b|\bjustering\w*")
# A message that wants a thing mended, not a new one ("kontorsstolen behöver lagas",
# "ryggen har lossnat", "kan ni reparera …"); read with å/ä/ö restored.
_WANTS_MENDED = re.compile(
    r"\blaga[rs]?\b|\blagad\b|\breparera\w*|\blossna(?:t|de)\b|\bgått sönder\b|\bhar gått av\b|"
    r"\bgick (?:sönder|av)\b|"
    r"\bär (?:trasig|sönder)\w*\b|\btrasig\w*\b|\bsitter löst?\b|\bvinglar\b|\bsjunker\b|"
    r"\b(?:har|hade) fastnat\b|\bsitter fast\b|\bkärvar\b"
)
# What cannot be done with a thing ("det går inte att låsa dörren", "går inte att stänga
# ordentligt").
_CANNOT_BE_USED = re.compile(
    r"\bgår (?:det |den |dörren )?inte (?:längre )?att (?:låsa|stänga|öppna|starta|spola|tända|"
    r"släcka|ladda|använda|skriva ut|dra ut|fälla|höja|sänka)\b"
)
# A new thing wished for ("vi behöver en ny", "kan vi få nya").
_NEW_WISHED = re.compile(r"\b(?:en|ett|nån|någon|något|några|få) ny(?:a|tt)?\b|\bnya\b")
# New things counted ("två nya skrivbord som går att höja"): things ordered, not mended.
_COUNTED_NEW = re.compile(rf"\b(?:\d+|{number_words(2, 20)}|några|flera)\s+nya\b")
# A thing wished for by its article ("skulle jag behöva ett höj- och sänkbart skrivbord"),
# not an act wished for ("behöver en justering", "behöver hjälp"): a thing to order.
ONE_WISHED = re.compile(
    # (someone wishes it, not the thing itself: "stolen behöver ett nytt hjul" is mending)
    r"(?:\b(?:vi|jag|hon|han|hen|de|dom)\s+(?:behöver|skulle behöva|vill ha|önskar|beställer)|"
    r"\b(?:behöver|önskar|beställer) (?:vi|jag)|\bskulle (?:vi|jag) (?:behöva|vilja ha)|"
    r"\bvill (?:vi|jag) ha|^(?:behöver|önskar|beställa|beställer|vill ha))\s+"
    rf"(?:ett|en|\d+|{number_words(2, 20)})\s+(?:nytt?\s+|nya\s+)?"
    r"(?![\w-]*(?:ning|ring|tion|hjälp|service|översyn)\b)[a-zåäö]"
)
# A message that wants things put together or up ("skruva ihop ett skåp", "montera").
_WANTS_MOUNTED = re.compile(
    r"\bmontera\w*|\bmontering\w*|\bskruva\w*|\bsätt(?:a)? (?:ihop|upp|fast)\b|"
    r"\binstallera\w*|\bhänga upp\b"
)
# A service of things used again ("Möbler från Återbruket", "begagnade möbler"), by its
# name, keywords or description.
_USED_WORDS = r"\båterbruk\w*|\bbegagna\w*|\båteranvän\w*|\bsecond ?hand\b"
_REUSE_SERVICE = re.compile(_USED_WORDS)
# A message that wants a used thing rather than a new one ("begagnade barnstolar", "ingen
# budget för nyköp", "sånt som redan finns på lagret", "stolar som andra kontor ställt av"),
# or the other way round ("splitternya, alltså inte från något förråd").
_WANTS_USED = re.compile(
    rf"{_USED_WORDS}|\bblivit över\b|\bblir över\b|"
    r"\bblev över\b|\bställt av\b|\binlämnade\b|\bredan finns (?:på|i) (?:lagret|förrådet)\b|"
    r"\bingen budget för (?:nyköp|nytt|nya)\b|\bhellre\b[^.!?]{0,40}\bän (?:att )?köpa? nytt\b|"
    # "sånt som redan använts så vi slipper köpa nytt", "skrivbord som andra skolor inte
    # behöver längre? vi tar gärna slitna"
    r"\bredan (?:har )?använts\b|\bslipper (?:att )?köpa nytt\b|\binte behöver längre\b|"
    r"\bgärna slitna\b"
)
# Things to be taken off one's hands, said so ("kan någon köra bort en gammal soffa",
# "grejer som ska till tippen", "vart gör vi av en utsliten madrass", "kan någon annan
# verksamhet få dem?").
_TAKEN_OFF = (
    r"\b(?:köra|forsla|frakta) bort\b|\btill tippen\b|\bvart gör (?:vi|jag|man) av\b|"
    r"\bkan (?:någon|nån) annan (?:\w+ )?få (?:dem|dom|de|den|det)\b"
)
# ... unless it gives things away ("begagnade stolar som ska bort", "kan ni hämta …").
# The words both readings of giving away share.
_GIVING = (
    r"\bska (?:bort|slängas|lämnas)\b|\b(?:måste|behöver|bör) bort\b|\bbli av med\b|"
    r"\bskänka\b|\bbehövs inte\b|\bvill ingen ha\b|"
    # things to be thrown away ("ska slänga 10 trasiga stolar", "måste tas om hand")
    r"\b(?:ska|vill|behöver|måste) (?:\w+ )?(?:slänga|kasta|kassera)\b|\btas om hand\b|"
    + _TAKEN_OFF
)
_GIVES_AWAY = re.compile(_GIVING + r"|\bska hämtas\b|\bhämta\w*\b|\blämna\w*\b|\bta hand om\b")
# Things said to be given away, in so many words (not "hämta", "lämnat": fetched, left):
# "… som ingen här vill ha, kan ni ta dom", "skrivbord som vi inte använder längre".
_GIVEN_AWAY = re.compile(
    _GIVING + r"|\bingen (?:\w+ ){0,2}(?:vill ha|behöver|använder)\b|"
    r"\bkan ni ta (?:dom|dem|de)\b|\b(?:vi|ingen) (?:\w+ )?inte (?:längre )?(?:använder|behöver)\b"
)
# What should have been done and was not ("ingen har städat vårt kontor på hela veckan",
# "papperskorgarna har inte tömts", "städarna har inte kommit"): a fault of a service that
# was due, not an order of more of it; read with å/ä/ö restored.
_NOT_DONE = re.compile(
    r"\bingen (?:har |hade )?(?:\w+ )?(?:städat|tömt|dammsugit|torkat|moppat|rengjort|skurat)\b|"
    r"\b(?:har|hade|blev|blir) (?:\w+ )?inte (?:\w+ )?(?:städats|tömts|dammsugits|torkats|"
    r"rengjorts|skurats|moppats)\b|"
    r"\b(?:städ\w*|lokalvård\w*) (?:har |hade )?(?:inte|aldrig) (?:kommit|dykt upp|varit här)\b|"
    r"\bhar glömt (?:att |bort att )?(?:städa|tömma)\b"
)
# Worn-out things to be fetched ("kan ni hämta en massa gamla datorskärmar", "hämta en
# trasig kyl och en frys"): taken away, however the things themselves read (a computer, a
# broken fridge).
_FETCH_WORN = re.compile(
    r"\bhämta\w*\s+(?:\w+\s+){0,3}?(?:gamla|gammal|gammalt|trasig\w*|uttjänt\w*|kasserad\w*|"
    r"utsliten|utslitna|utslitet|sönder\w*|oanvänd\w*)\b"
)
# Things given away in words that say nothing else ("ska slängas", "till tippen"; not
# "ska lämnas", which may be a room left clean).
_CLEARLY_GIVEN = re.compile(
    r"\bska (?:bort|slängas|kasseras)\b|\b(?:ska|vill|behöver|måste) (?:\w+ )?"
    r"(?:slänga|kasta|kassera)\b|\bbli av med\b|\bingen (?:\w+ ){0,2}vill ha\b|"
    r"\b(?:vi|ingen) (?:\w+ )?inte (?:längre )?(?:använder|behöver)\b|" + _TAKEN_OFF
)
# What was delivered said not to be what was ordered ("det som kom hade nötter i såsen,
# fast det skulle vara nötfritt", "vi beställde 20 portioner men fick 15", "vi fick fel
# specialkost"): a fault of the delivery, not a new order of the same thing; read with
# å/ä/ö restored. Not a wish ("men det skulle vara bra med …").
_NOT_AS_ORDERED = re.compile(
    r"\b(?:fast|men|trots att)\s+(?:det|den|de|dom|maten|vi|han|hon|hen|"
    # ... whose portion it was ("fast hennes låda skulle vara utan")
    r"(?:hennes|hans|hens|deras|vår|vårt|våra|barnets|elevens|brukarens)\s+\w+)\s+skulle\s+(?:ha\s+)?"
    r"(?:vara|varit|få|fått)\s+(?!bra\b|skönt\b|trevligt\b|fint\b|kul\b|perfekt\b|toppen\b|"
    r"smidigt\b|praktiskt\b|tacksamt\b|roligt\b|gott\b|najs\b)|"
    r"\b(?:vi|jag)\s+(?:hade\s+)?beställ(?:de|t)\b[^.!?]{0,60}?\b(?:men|fast)\s+(?:vi\s+|jag\s+)?"
    r"(?:fick|kom|det kom|levererades|blev)\b|"
    r"\b(?:fick|kom|levererades|skickades|levererade)\s+(?:vi\s+|ni\s+)?(?:\w+\s+){0,2}?fel\s+"
    r"(?:sort|mat|kost|specialkost|antal|vara|varor|saker|leverans|portioner)\b"
)
# A service that takes things away rather than gives them ("Hämtning av möbler för
# återbruk").
_TAKES_AWAY = re.compile(
    r"\bhämtning\w*|\bbortforsling\w*|\bavyttring\w*|\binlämning\w*|"
    # ... or what is thrown away ("Avfall och återvinning på arbetsplatsen")
    r"\bavfall\b|\bgrovavfall\b|\bgrovsopor\b|\bskrot\b"
)
_WANTS_NEW = re.compile(
    r"\bsplitternya?\b|\bhelt nya?\b|\binte (?:från|ur) (?:något|nåt|ett) (?:förråd|lager)\b|"
    r"\binte begagna\w*"
)
# "lägg till en person", "två personer till", "vi blir en person fler": people counted.
_PEOPLE_COUNT = rf"(?:\d+|{number_words(1, 10)}|några)\s+(?:extra\s+)?person(?:er)?"
_PEOPLE_ADDED = re.compile(
    rf"\b(?:lägg till|lägga till|plussa på|plus|blir|vi är|ta med)\s+{_PEOPLE_COUNT}\b|"
    rf"\b{_PEOPLE_COUNT}\s+(?:till|fler|extra|mer|färre|mindre)\b"
)
# Asking outright for a person wins over a need named in the same message ("kan jag få
# prata med en person och inte en bot? vårt passerkort har slutat funka").
# A wish that whoever does the job get in touch first, or how to reach them ("kan den som
# ska laga det ringa mig innan?", "ring mig innan ni kommer", "hur når jag dem?"): about
# the order's deliverer, not a request to talk to the service desk.
DELIVERER_CONTACT = re.compile(
    r"\b(?:den|de|dom|han|hon|hen|någon|nån) som (?:ska |kommer (?:att )?)?[a-zåäö]+\b"
    r"[^.!?]{0,40}?\b(?:ringa|kontakta|höra av sig|sms:a|messa|slå en signal)\b|"
    r"\b(?:ringa|ring|kontakta|sms:a|messa) (?:mig|oss) (?:innan|före|först|i förväg|när)\b|"
    r"\bhur (?:når|kontaktar|får tag på|nås) (?:jag|vi|man)? ?(?:dem|dom|de|den|honom|henne|"
    r"hen|utföraren|teknikern|vaktmästaren|hantverkaren)\b|"
    # a number to call ("Finns det något nummer man kan ringa …?", "vilket nummer ringer
    # man om det blir värre?")
    r"\b(?:finns det|har ni|har de|har dom|får jag|kan jag få|kan vi få)\s+"
    r"(?:något |ett |nåt |ert |deras )?(?:telefon)?nummer\b|"
    r"\bvilket (?:telefon)?nummer (?:ringer|kan|ska|når|gäller)\b|"
    r"\bvart (?:ringer|vänder) (?:jag|man|vi)\b"
)
# ... by asking for a number to call: no wish for a person in this chat now, even when it
# says who would be spoken to ("… ringa och prata med någon på fastighet om det blir värre").
_NUMBER_ASKED = re.compile(
    r"\b(?:telefon)?nummer\b[^.!?]{0,40}?\b(?:ringa|ringer|ring)\b|\bvart (?:ringer|vänder)\b"
)
# ... of which this part asks that they call or write first.
CALL_FIRST = re.compile(
    r"\b(?:ringa|ring|kontakta|höra av sig|sms:a|messa|slå en signal)\b[^.!?]{0,20}?"
    r"\b(?:innan|före|först|i förväg)\b"
)
_EXPLICIT_HANDOFF = re.compile(
    r"\b(?:prata|tala|snacka|chatta) med (?:en |någon |er )?(?:riktig |levande |verklig )?"
    r"(?:person|människa|handläggare|servicedesk\w*|kundtjänst|någon på)|"
    r"\binte (?:med )?(?:en |någon )?(?:bot|robot|chattbot|maskin)\b|"
    r"\bkoppla (?:mig|vidare)\b|\bvill ha en (?:människa|riktig person)\b"
)
# "ta bort min felanmälan om skrivaren": cancelling one's own ticket, whatever it was about.
# "kan ni ta bort det" after "massa tags på gungställningen": removing a thing that a
# service of the catalogue deals with, not cancelling; only a word for a ticket or one's
# own makes "ta bort" a cancellation.
_REMOVAL = re.compile(r"\b(?:ta bort|tas bort|stryk|få bort)\b")
_TICKET_WORD = re.compile(
    r"ärende|beställ|bokning|bokade|anmälan|\border|\bsd-?\d|\bmin\b|\bmitt\b|\bmina\b"
)
_CANCEL_CUE = re.compile(
    r"\b(?:avboka|avbryt|ta bort|stryk|makulera|återkalla|ångra|dra tillbaka)\b.{0,25}"
    r"\b(?:min|mitt|mina|den|det|vår|vårt)\b.{0,25}"
    r"(?:ärende|beställning|bokning|anmälan|felanmälan)"
    # "skippa ärendet", "strunta i beställningen": dropping the order being made.
    r"|\b(?:skippa|strunta i|glöm|avbryt|stryk|släpp|ta bort)\s+(?:hela\s+)?"
    r"(?:ärendet|beställningen|bokningen|anmälan|felanmälan)\b"
)
# Asking whether an order can be cancelled later is a question, not a cancellation ("kan
# jag avboka rummet sen om mötet blir inställt?").
CANCEL_LATER = re.compile(
    r"\b(?:kan|får|går det att) (?:jag |man |vi )?(?:avboka|avbryta|ångra|ställa in)\b"
    r".{0,60}\b(?:sen|senare|efteråt|i efterhand|om (?:mötet|det|den|vi|jag)|fram till|"
    r"hur sent|dagen innan|samma dag)\b"
    r"|\bhur (?:sent|långt innan) (?:kan|får|går det att) (?:jag |man |vi )?(?:avboka|avbryta)"
    r"|\bvad händer om (?:jag|vi|man) (?:avbokar|avbryter|ställer in)"
    r"|\bkostar det (?:något |nåt )?att (?:avboka|avbryta)"
    # "om mötet blir inställt, hur avbokar jag rummet då?": how, or what if it is called off
    r"|\bhur (?:gör (?:jag|man|vi) (?:för att|om (?:jag|man|vi) vill) |ska (?:jag|man|vi) )?"
    r"(?:avbokar|avbryter|ångrar|avboka|avbryta|ångra)(?: (?:jag|man|vi))?\b"
    r"|\bom (?:mötet|det|den|dagen|kursen|resan|eventet|evenemanget) (?:\w+ )?(?:blir inställ\w*|"
    r"ställs in|inte blir av)\b.{0,40}\b(?:avboka|avbryta|ångra|avbokar|avbryter)"
)
# The services are for the kommun's premises and staff, never for a private home or errand.
_PRIVATE_CUE = re.compile(
    r"\bprivat\w*|hemma hos mig|\bhemma\b.{0,20}\b(?:mitt|min|mina)\b|"
    # a home of one's own moved to ("jag flyttar till ny lägenhet i helgen")
    r"\b(?:jag|vi) (?:flyttar|ska flytta) (?:till|in i) (?:en |ett )?(?:ny |nytt |större |"
    r"mindre )?(?:lägenhet|villa|radhus|bostad|etta|tvåa|trea)\b|"
    r"\bmin (?:nya |gamla )?(?:lägenhet|villa|bostad|familj|fru|man|sambo|mamma|pappa|bil|"
    r"sommarstuga|dotter|son|tomt|trädgård|\w*kalender)\b|"
    r"\bmitt (?:hus|hem|radhus|badrum hemma|kök hemma)\b|\bmina (?:ungar|barn)\b|"
    r"\båt mig och (?:mina|min|barnen|familjen)"
)
# A thing or duty of work named beside a private one ("arbetstelefonen", "beredskap").
_WORK_THING = re.compile(
    r"\b(?:arbets|tjänste|jobb)(?:telefon|mobil|dator|kort|bil|mejl|konto)\w*|"
    r"\b(?:beredskap|jour)\b|\bi tjänsten\b|\bpå jobbet\b"
)
# Commands meant for a phone, speaker or smart home assistant, not a service desk.
_DEVICE_CUE = re.compile(
    r"^(?:hej \w+[,!]? )?(?:"
    r"väck mig|påminn mig|ställ (?:in )?(?:ett|en) (?:alarm|larm|timer|väckning)|"
    r"sätt (?:på|igång) (?:musik|radio|en timer|ett alarm|ett larm|tv)|"
    r"(?:spela|pausa|stoppa) (?:upp |av )?(?:musik|låten|radio|p\d|spotify|podd|nästa)|"
    r"nästa låt|(?:höj|sänk) volymen|byt (?:till|kanal)|"
    r"(?:tänd|släck|dimma) (?:lampan|lamporna|ljuset|taklampan)"
    r"(?: i (?:vardagsrummet|sovrummet|köket|hallen))?$|"
    r"(?:dra|fäll) (?:upp|ner|ned) (?:persiennerna|rullgardinen|gardinerna)|"
    # (a phrase to translate, not a text of work: "översätta ett beslut om bistånd")
    r"översätt(?!\w*\s+(?:ett|en|vårt|vår|våra|mitt|min|mina|hela|några|dokument\w*|brev\w*|"
    r"beslut\w*|texter|texten|broschyr\w*|informationen|blanketten?|\d+\s+sidor)\b)|"
    r"ring (?:till )?(?:mamma|pappa|min|\w+)$|sms:?a|skicka ett sms|"
    r"lägg (?:in|till) .{1,60} i (?:min )?\w*kalender|"
    r"starta (?:dammsugaren|robotdammsugaren)|skicka (?:tillbaka )?(?:robot)?dammsugaren"
    r")"
    # And: a device, a timer, one's calendar, messages, the weather, recipes, shopping
    # lists, food delivery and trivia are for other assistants. Service
    # requests about the same things name a fault or ask the desk ("lampan i taket är
    # trasig", "kan ni höja värmen, det är 17 grader"), not the device's own commands.
    r"|^(?:kan du |snälla |hej \w+[,!]? )?(?:"
    r"(?:tänd|släck|dimma|dämpa) (?:\w+ )?(?:lampan|lamporna|ljuset|belysningen|taklampan)|"
    r"(?:slå|sätt|stäng) (?:på|av) (?:\w+ )?(?:kaffe\w+|kontakten|\w*lampan|lamporna|"
    r"ljuset|tv:?n|radion|fläkten|dammsugaren|tvättmaskinen|diskmaskinen|bluetooth|wi-?fi|"
    r"ljudet|musiken)\b|"
    r"(?:stäng|öppna|dra (?:upp|ner|ned)|fäll (?:upp|ner|ned)) (?:\w+ )?"
    r"(?:rullgardin\w*|persienn\w*|gardin\w*|markis\w*)|"
    r"(?:gör|ställ|sätt) (?:\w+ ){0,4}(?:ljusare|mörkare|varmare|kallare)\b|"
    r"(?:höj|sänk|ställ|sätt) (?:\w+ )?(?:termostaten|värmen|temperaturen) "
    r"(?:med |till |på )?\d+|(?:ställ|sätt) (?:in )?termostaten|"
    r"(?:posta|tweeta|twittra)\b|hitta min (?:telefon|mobil)|"
    r"(?:lås|lås upp) (?:ytter|front|garage|alt)?dörren$"
    r")"
    r"|^(?:kan du )?(?:skicka|skriv|läs upp|svara på) (?:ett |en |mitt |mina |de |det )?"
    r"(?:nya |senaste )?(?:mejl|mail|e-?post|meddelande|meddelanden|sms)\w*\b"
    r"(?! till (?:er|servicedesk\w*|support\w*|it\b))|"
    r"\b(?:sätt|ställ in|starta|stoppa|avbryt|pausa) (?:en |ett )?timer(?:n)?\b|"
    r"\btimer på \d|\bstoppur|\bväckarklocka|"
    r"\b(?:mina|några) påminnelser|påminnelser (?:har jag|idag)|"
    r"\b(?:i|från|till|ur) (?:min )?kalendern?\s*$|"
    r"\bhar jag (?:några |något |ett |fler )?möten?\b|\bmitt nästa möte|"
    r"\bvad har jag för möten|\bflytta (?:mitt |mötet|möte)\b.{0,30}\btill (?:klockan|kl)\b|"
    r"\bhar jag fått (?:några |något |nya )?(?:mejl|mail|meddelanden|sms)|"
    r"\b(?:hur blir|hur är|vad säger) vädret|\bväder(?:et)? (?:imorgon|i morgon|idag|ikväll|"
    r"i helgen)|\bväderprognos|\bkommer det (?:att )?(?:regna|snöa)\b|"
    r"\bbehöver jag (?:ta med )?(?:ett )?(?:paraply|jacka|mössa|vantar)\b|"
    r"\bläs upp nyheterna|"
    r"\brecept (?:på|till|med)\b|\bvad kan jag laga\b|\bhur gör man (?:en |ett )?(?:god |bra )?"
    r"(?:kopp kaffe|\w*kaka|\w*kakor|pannkak\w*)|"
    r"\b(?:inköps|handlings|shopping)listan\b|"
    r"\bfoodora\b|\bwolt\b|\buber\b|\bhämtmat\b|\btake-?away\b|"
    r"\b(?:mat|pizza|sushi|thaimat) hem\b|mitt vanliga ställe|\bmin matleverans|"
    r"\bhur säger man\b(?! upp)|"
    r"\bskämt\b|\bvits(?:ar)?\b"
)


@dataclass(frozen=True)
class Thresholds:
    """Every number the interpretation step decides with (see the module docstring)."""

    # Values chosen by `make tune` on the tuning set (two-stage grid, 5-fold CV); see
    # docs/benchmarks.md for the figures. Held-out sets are never used here.
    #: Fused service score for one clear service, with ``margin`` over the runner-up.
    match: float = 0.5
    margin: float = 0.08
    #: Fused service score for offering the top candidates to choose from.
    choose: float = 0.45
    #: A classifier this sure of a request offers candidates from ``choose_low`` up.
    #: 0.7 since the fifth session of 2026-12-02 (was 0.8), chosen with ``keep_oos_at_work``
    #: on all eleven tuning sets with cached evidence: mean intent 0.9451 -> 0.9478 (unseen
    #: catalogues 1, 8, 9, 11 gain), no set loses out-of-scope recall or top-1.
    sure_request: float = 0.7
    choose_low: float = 0.3
    #: ... and so does a request backed by the catalogue's own words (a lexical score of
    #: ``lexical_floor_min``), however sure: "mitt kort går inte in på plan 4" offers the
    #: card service rather than "not a service of this desk". True since the seventh
    #: session of 2026-12-01: set A intent 0.982 -> 0.988, catalogue 7 one gained and one
    #: out-of-scope lost, no other tuning set moves.
    choose_own_words: bool = True
    #: ... and so does a request (the top intent) whose best service leads the runner-up
    #: by this much and is also the nearest by meaning ("getingbo under takfoten" and a
    #: pest-control service at 0.40, the next at 0.19). 0.2 since the third 2026-12-04
    #: session, on the ten tuning catalogues and sets A-C, E: catalogue 31 +2, nothing lost
    #: (0.15: +1 more on 31; without the agreement of the embeddings catalogue 17 lost one
    #: out-of-scope).
    request_lead: float = 0.2
    #: A service this strong makes the turn a request (unless rule 1 holds).
    strong: float = 0.9
    #: Classifier confidence at which a conversational intent stands.
    keep_intent: float = 0.4
    #: Classifier confidence at which "out of scope" stands against candidates below ``strong``.
    keep_oos: float = 0.4
    #: ... and against one clear service (a ``match``: ``match`` score, ``margin`` ahead).
    keep_oos_match: float = 0.5
    #: A service whose description says it does not do what the message asks ("Hotell och
    #: taxi ingår inte" and "beställ en taxi …"), and which names none of the message's
    #: other needs, keeps this share of its fused score (rule 6).
    excluded_factor: float = 0.5
    #: A service that rule 6 let fall out of the three best still says what the message's
    #: words mean when, before the fall, it was at least this part of the best's score
    #: ("björken … behöver fällas": grounds care excludes felling, 0.7 of the best;
    #: scrap collection that excludes "lysrör", 0.15 of a blinking tube's fault).
    fallen_near: float = 0.5
    #: Weight of the semantic similarity in the fused service score (0 = lexical only).
    #: 0.4 since the sixth session of 2026-12-01 (was 0.5 from `make tune` on set A): on
    #: all tuning sets together, default and unseen catalogues, nothing lost and unseen
    #: catalogues 2, 6 and 7 top-1 +0.016 / +0.007 / +0.007 (0.35 loses on sets A and C).
    semantic_weight: float = 0.4
    #: How far above the catalogue's median similarity counts as a full semantic match.
    semantic_scale: float = 0.06
    #: Weight of the catalogue's example requests in the fused service score.
    example_weight: float = 0.5
    #: How far above the median example similarity counts as a full example match.
    example_scale: float = 0.08
    #: Weight of the semantic intent head in the intent distribution (0 = classifier only).
    intent_head_weight: float = 0.35
    #: Weight of the service head (learnt from the catalogue's example requests).
    service_head_weight: float = 0.2
    #: An urgent message ("vattnet forsar", "akut", "halkrisk") lifts the fused score of
    #: this catalogue's acute services (named or described as such, or promised within
    #: ``acute_hours``) among its three best by this much. Chosen on all eleven tuning sets
    #: in the fifth session of 2026-12-02: 0.05-0.1 gain one top-1 on unseen catalogue 8 and
    #: change nothing else; 0.2 loses one on catalogue 9; lowering acute services for a
    #: calm message (0.05) cost intent accuracy on set A and catalogue 8, so it is not done.
    urgent_lift: float = 0.1
    acute_hours: float = 8.0
    #: A message that wants a used thing (or a new one, said against a used one) puts the
    #: best service of things used again (or the best other one) first, when its three
    #: best hold both kinds ("begagnade barnstolar": the re-use store, not new furniture;
    #: a service that takes things away, "Hämtning av möbler för återbruk", is none).
    #: Measured on tuning catalogue 44 (fifth session of 2026-12-05).
    used_first: bool = True
    #: A lead over the runner-up that makes the best service clear at any score >= choose.
    clear_margin: float = 0.25
    #: A semantic similarity lead over the runner-up that makes the best service clear.
    semantic_lead: float = 0.03
    #: When the fused best service is also the lexical best, with a calibrated lexical
    #: score of at least ``lexical_floor_min`` and a clear raw lead, its score is at least
    #: ``lexical_floor`` times the lexical score: a word the embeddings do not know
    #: ("jättehalt") must not drown a clear catalogue match. 0.8 since the sixth session
    #: of 2026-12-01 (was 0.7): no request set changes; one exact keyword of one service
    #: ("20 kollegieblock") is a match, not a choice (dialogue tuning E 0.871 -> 0.886).
    lexical_floor: float = 0.8
    lexical_floor_min: float = 0.65
    #: The same floor for a best lexical service the fused ranking puts below the top:
    #: only from this lexical score.
    lexical_floor_below: float = 0.75
    #: Rule 5: how much nearer (example-request similarity) a background service must be
    #: than this catalogue's best for a request to be "not a service of this desk"
    #: (a value above 1 switches the rule off).
    background_margin: float = 0.01
    #: ... and how much nearer by passage similarity (name, description, keywords).
    background_passage_margin: float = 0.02
    #: ... each widened by this when the catalogue has one clear service (``match``).
    background_clear_extra: float = 0.01
    #: A background service this similar (passage to passage) to a service of the
    #: catalogue is left out of the background.
    background_overlap: float = 0.9
    #: A background service whose words score this (calibrated, in one index with the
    #: catalogue), with the catalogue's best short of it and clearly behind, asks only
    #: ``background_words_margin`` / ``background_words_passage`` of the embeddings.
    background_words: float = 0.9
    #: ... or this much when no word of the message is one of this catalogue's and its
    #: best service is only a candidate to choose ("vi behöver en tolk på somaliska" in a
    #: catalogue without interpreters). Chosen on all tuning sets in the seventh session
    #: of 2026-12-01: unseen catalogue 6 intent 0.930 -> 0.940 and out-of-scope recall
    #: 0.76 -> 0.80, no other set moves (plateau 0.6-0.7; 0.5 loses one of set A).
    background_words_alone: float = 0.65
    background_words_margin: float = 0.005
    background_words_passage: float = -0.01
    #: A clear service backed by the catalogue's own words, in a message about the
    #: workplace ("vi", "kommunens", "tjänstebilen"), needs this much "out of scope".
    keep_oos_at_work: float = 0.9
    work_match: float = 0.6
    #: ... and a thing said not to work ("lampan ovanför min arbetsplats flimrar", 0.55)
    #: with one clear fault service at this score. 0.5 since the fourth 2026-12-05
    #: session (was ``work_match``): tuning dialogue X one plain case gained; tuning sets
    #: A, B, C, E, the tuning device commands and tuning catalogue 42 unchanged.
    broken_match: float = 0.5
    #: ... and so does one the semantic intent head reads as a request this surely.
    semantic_request: float = 0.95
    #: ... and a question about how that service is had needs this much.
    keep_oos_asked: float = 0.95
    #: An urgent message ("vattnet forsar", "halkrisk") whose one clear service is this
    #: catalogue's acute one needs this much (more than any confidence: it is never
    #: refused). Third 2026-12-05 session, from tuning dialogue Z: a pipe flooding a
    #: kitchen was refused at classifier "out of scope" 0.96 beside a 0.78 acute match.
    keep_oos_urgent: float = 1.01
    #: A service of a catalogue without example requests borrows those of a lending
    #: service (:func:`lending_services`: the reference catalogue and the tuning
    #: catalogues' requests) whose passage is this similar to its own, and
    #: ``lend_margin`` more similar than to any other service of the catalogue:
    #: "Flytthjälp" here learns how staff ask for "Flytthjälp" there. Chosen on tuning
    #: catalogues 46, 44, 42, 40, 38 (sixth 2026-12-05 session; 0.88-0.92 and 0.02-0.05
    #: are a plateau); held-out catalogue 45 top-1 0.806 -> 0.944 (docs/benchmarks.md).
    #: Checked again with true leave-one-out and 44 lending catalogues (2026-12-05 night
    #: session, tuning 50, 48, 46): 0.90, 0.92 and 0.94 give mean intent 0.908–0.910 and
    #: top-1 within 0.007; kept.
    lend_similarity: float = 0.9
    lend_margin: float = 0.03
    #: At most this many borrowed requests per service teach Rasa's classifier (the most
    #: similar lenders' first; :func:`borrowed_requests`): about what a catalogue writes of
    #: its own. With 44 lending catalogues a service of a new one borrowed ~200, and
    #: "out of scope" was read as a request more often (tuning catalogue 50, left out of
    #: the lenders: out-of-scope recall 0.78 -> 0.68).
    lend_training_cap: int = 30
    #: (The embeddings keep every borrowed request: capped at 30 or 60 per service there
    #: too, tuning catalogues 50, 48, 46 lost top-1 0.006–0.02 and intent up to 0.02.)
    #: Whether the service head learns from the borrowed requests too.
    lend_to_head: bool = True
    #: Whether example similarity is told against each service's usual nearness once
    #: requests are borrowed (:meth:`nlu.embeddings.ServiceVectors.calibrated`).
    lend_calibrate: bool = True
    #: A mending service this close behind an order of new things goes first when the
    #: message wants a thing mended (0 switches it off).
    mend_window: float = 0.15
    #: A service done where the message says the thing is (indoors or out) this close
    #: behind one whose description says it is done at the other place goes first: the
    #: place is said outright, so the window is wider than ``mend_window`` (graffiti "vid
    #: cykelstället utanför" read 0.21 closer to indoor graffiti; tuning catalogues 70, 68
    #: and 66 unchanged at 0.25).
    place_window: float = 0.25
    #: How much better the catalogue's own words must match a fault that is not acute for
    #: it to go before an acute one close ahead when nothing urgent is said.
    calm_lexical_lead: float = 0.2
    #: One service far ahead of every other (this score, ``clear_lead`` ahead) in a
    #: message the semantic intent head reads as a request this surely needs
    #: ``keep_oos_at_work`` "out of scope" too ("flytta ett piano från aulan till
    #: musiksalen": 0.82 against 0.11, classifier 0.77 out of scope).
    clear_top: float = 0.75
    clear_lead: float = 0.5
    clear_request: float = 0.9


THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Interpretation:
    """What one turn means."""

    intent: str
    confidence: float
    outcome: Literal["match", "choose", "none"]
    services: tuple[Match, ...] = ()
    classifier_intent: str = ""
    classifier_confidence: float = 0.0
    reason: str = ""
    intents: Mapping[str, float] = field(default_factory=dict)

    @property
    def service(self) -> str | None:
        """The one clear service, when the outcome is ``match``."""
        return self.services[0].code if self.outcome == "match" and self.services else None

    @property
    def top_score(self) -> float:
        """The best service score (0 when the catalogue is empty)."""
        return self.services[0].score if self.services else 0.0

    def to_record(self, text: str) -> dict[str, Any]:
        """This reading of ``text`` as plain JSON (Rasa's parse data carries it on)."""
        return {
            "text": text, "intent": self.intent, "confidence": float(self.confidence),
            "outcome": self.outcome,
            "services": [[m.code, float(m.score)] for m in self.services],
            "classifier_intent": self.classifier_intent,
            "classifier_confidence": float(self.classifier_confidence), "reason": self.reason,
            "intents": {k: round(float(v), 4) for k, v in self.intents.items()},
        }  # fmt: skip

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Interpretation:
        """The reading :meth:`to_record` wrote (``KeyError``/``ValueError`` if malformed)."""
        outcome = str(record["outcome"])
        if outcome not in ("match", "choose", "none"):
            raise ValueError(f"unknown outcome {outcome!r}")
        return cls(
            intent=str(record["intent"]), confidence=float(record["confidence"]),
            outcome=outcome,  # type: ignore[arg-type]
            services=tuple(Match(str(c), float(s)) for c, s in record["services"]),
            classifier_intent=str(record.get("classifier_intent") or ""),
            classifier_confidence=float(record.get("classifier_confidence") or 0.0),
            reason=str(record.get("reason") or ""),
            intents={str(k): float(v) for k, v in (record.get("intents") or {}).items()},
        )  # fmt: skip


def classifier_ranking(parse: Mapping[str, Any]) -> dict[str, float]:
    """Rasa's intent ranking as {intent: confidence}, without the fallback pseudo-intent."""
    ranking: dict[str, float] = {}
    for item in parse.get("intent_ranking") or []:
        name = str(item.get("name") or "")
        if name and name != FALLBACK and name not in ranking:
            ranking[name] = float(item.get("confidence") or 0.0)
    intent = parse.get("intent") or {}
    name = str(intent.get("name") or "")
    if name and name != FALLBACK and name not in ranking:
        ranking[name] = float(intent.get("confidence") or 0.0)
    return ranking


@dataclass(frozen=True)
class Evidence:
    """What the three signals say about one message, before any threshold is applied."""

    #: Calibrated lexical matcher score per service code.
    lexical: Mapping[str, float]
    #: Semantic similarity per service code (None without embeddings).
    similarity: Mapping[str, float] | None
    #: The intent classifier's ranking.
    classifier: Mapping[str, float]
    #: The semantic intent head's probabilities (empty without embeddings).
    semantic_intents: Mapping[str, float] = field(default_factory=dict)
    #: Uncalibrated lexical scores, best first (the lead between them is not saturated).
    raw: tuple[tuple[str, float], ...] = ()
    #: The message itself (for the few intents that need a word to back them).
    text: str = ""
    #: Similarity to each service's nearest example requests (services that have some).
    examples: Mapping[str, float] | None = None
    #: The service head's probabilities (services that have example requests).
    service_probs: Mapping[str, float] | None = None
    #: Similarity to each background service's nearest example requests (rule 5), in
    #: the order of :attr:`Interpreter.background_overlap`.
    background: tuple[float, ...] | None = None
    #: Semantic similarity to each background service (same order), as ``similarity``.
    background_similarity: tuple[float, ...] | None = None
    #: Rule 5's words: the best uncalibrated score of a kept background service and of
    #: this catalogue's services, in one index over both (rarer words weigh more), and
    #: that background service's position in :attr:`background`.
    joint_lexical: tuple[float, float, int] | None = None
    #: As ``examples``, but the services' own (or made-up) example requests only, none
    #: borrowed: rule 5 sets them beside the background's, which are made up alike.
    #: None when nothing was borrowed (``examples`` then says the same).
    own_examples: Mapping[str, float] | None = None

    @property
    def rule5_examples(self) -> Mapping[str, float] | None:
        """The example similarities rule 5 compares with the background's."""
        return self.examples if self.own_examples is None else self.own_examples


# "hur putsar man …", "hur gör man …": advice asked for, not a service.
_HOW_ONE_DOES = re.compile(r"\bhur \w+ man\b")


def _csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a service CSV that have a code and a name; none if it is missing."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError:
        return []
    return [row for row in rows if row.get("code") and row.get("name")]


# "vaktmästarna behöver vinteroveraller": what follows a word for needing is the need.
_NEED_VERB = re.compile(
    r"\b(?:behöver|behövs|behöva|vill ha|ska ha|skulle vilja ha|önskar|beställa|beställer|"
    r"vill beställa|saknar|måste få|(?:kan|kunde|skulle) (?:vi|jag|ni|man) få)\s+(?P<need>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# A place said with its preposition ("vid sandlådan", "i matsalen på Ekskolan"): where,
# not what.
_WHERE = re.compile(
    r"\b(?:i|på|vid|utanför|framför|bakom|under|ovanför|bredvid|till)\s+(?:\w+\s+){0,2}?"
    r"(?P<place>\w*(?:rummet|salen|sal|köket|kök|lådan|gården|huset|skolan|förskolan|"
    r"boendet|entrén|korridoren|parkeringen|matsalen|hallen|förrådet|källaren|kontoret|"
    r"avdelningen|taket|takfoten|fasaden|platsen|planen|parken|hemtjänsten|enheten|"
    r"förvaltningen|mottagningen|receptionen|biblioteket|garaget|trapphuset))\b"
    # "på hemtjänsten Norr", "i Rådhuset plan 2": a name or a part after it
    r"(?:\s+(?:(?-i:[A-ZÅÄÖ]\w+)|norr|söder|öst|väst|plan \d+))?",
    re.IGNORECASE,
)


# "Det jag egentligen skriver för är att …", "Anledningen till att jag hör av mig är att
# …": what comes before is a story; what follows is the need.
_WRITING_FOR = re.compile(
    r"\b(?:det jag (?:egentligen |faktiskt |nu |mest )?(?:skriver|hör av mig|mejlar|"
    r"ville säga|vill säga|ville fråga|vill fråga|behöver hjälp med)(?: för| om)? är|"
    r"anledningen (?:till )?(?:att|varför) jag (?:skriver|hör av mig|mejlar)(?: nu)? är|"
    r"det jag (?:egentligen |faktiskt )?(?:skriver|hör av mig) för|"
    # "Men det jag egentligen skulle skriva om: taklamporna …"
    r"det jag (?:egentligen |faktiskt |nu )?(?:skulle|tänkte) (?:skriva|fråga|säga|ta upp|berätta)"
    r"(?: om)?(?=\s*:|,? (?:är|var)\b)(?:,? (?:är|var))?|"
    # "… så det är lite kaos 😅 Men det jag egentligen ville: vi behöver …"
    r"det jag (?:egentligen |faktiskt |nu |mest )?(?:ville|vill)(?: (?:ha hjälp med|fråga om|"
    r"be om|ha|säga|fråga))?(?=\s*:|,? (?:är|var)\b)(?:,? (?:är|var))?"
    r")[:,]?\s+(?:att\s+)?",
    re.IGNORECASE,
)


def past_the_story(text: str) -> str:
    """The words after a lead that says what the message is for ("… men personalen är
    jättesnäll. Det jag egentligen skriver för är att …"), or the message itself."""
    leads = list(_WRITING_FOR.finditer(text))
    if not leads:
        return text
    lead = leads[-1]
    rest = text[lead.end() :].strip()
    return rest if len(rest.split()) >= 3 else text


#: Someone who has none of a thing, up to the thing ("vi har inga datorer", "de har inget
#: kort än", "jag har fortfarande ingen dator"), not of hurry, an idea or time ("vi har
#: ingen brådska", "jag har ingen aning"): a need (:data:`actions._dialogue._NEED_CUE`)
#: and a new one wanted (the idiom below).
LACKS = (
    # (the subject may be the clause's before: "Två nya vikarier börjar på måndag och har
    # inga passerkort")
    r"\b(?:vi|jag|hon|han|hen|de|dom|och) har (?:fortfarande |ännu |än så länge )?"
    r"(?:ingen|inget|inga) (?!(?:som|brådska|bråttom|aning|idé|koll|tid|möjlighet|klagomål|"
    r"problem|synpunkter|frågor|planer)\b)"
)
# "ingen dator" wanted is "ny dator", "inget kort" "nytt kort", "inga stolar" "nya stolar".
_NEW_ONE = {"ingen": "ny", "inget": "nytt", "inga": "nya"}
_NEW_ANY = {"någon": "ny", "något": "nytt", "några": "nya"}


def _wanted_new(lacked: re.Match[str]) -> str:
    """ "vi har inga " → "vi behöver nya ": who lacks it, wanting a new one."""
    words = lacked[0].split()
    return f"{words[0]} behöver {_NEW_ONE[words[-1].lower()]} "


# A lamp or a switch spoken of: "tänds", "lampan", "knappen", "belysningen".
_LAMP_SPOKEN_OF = re.compile(
    r"\b(?:tänds|tändas|lamp\w*|belysning\w*|lysrör\w*|glödlamp\w*|strömbrytar\w*|knappen|"
    r"ljusknapp\w*)\b",
    re.IGNORECASE,
)

# Idioms the sentence embeddings miss, in the plain word ("nån som gör rent där" is
# someone who cleans there).
_IDIOMS: tuple[tuple[re.Pattern[str], Any], ...] = (
    (re.compile(r"\bgör(?:a)? rent\b", re.IGNORECASE), "städa"),
    # a thing that does not work, said in a clause ("för att taklamporna inte tänds"): as
    # in a main clause ("taklamporna tänds inte")
    (
        re.compile(
            r"\b(?:inte|ej)\s+(tänds|fungerar|funkar|startar|lyser|värmer|drar|spolar|stänger|"
            r"låser|laddar|öppnas|stängs|släcks|syns|hörs|går)\b",
            re.IGNORECASE,
        ),
        r"\1 inte",
    ),
    # a thing that came too late was delivered late ("lunchen kom en timme för sent idag")
    (
        re.compile(
            r"(?<!inte )\b(kom|levererades|kommer)\b((?:\s+[\wåäö]+){0,4}?)\s+(för )?sent\b", re.I
        ),
        r"\1\2 \3sent, sen leverans",
    ),
    # what a thing barely does, it does not do ("utsuget drar knappt någonting längre")
    (
        re.compile(
            r"\b(drar|värmer|kyler|fungerar|funkar|lyser|spolar|laddar) "
            r"(?:knappt|nästan (?:ingenting|inget|inte))\b",
            re.IGNORECASE,
        ),
        r"\1 inte",
    ),
    # an indoor temperature said as a number ("det är 16 grader inne hos oss")
    (re.compile(r"\b(?:1[0-7]|[4-9]) ?(?:grader|°c?)\b", re.IGNORECASE), "kallt, för lite värme"),
    (
        re.compile(r"\b(?:2[7-9]|3[0-9]) ?(?:grader|°c?)\b", re.IGNORECASE),
        "för varmt, dålig ventilation",
    ),
    # things driven or carried from one place to another ("kan ni köra hyllorna från gamla
    # biblioteket till nya skolan", "få ner pianot från musiksalen till aulan", "tio sängar
    # … ska köras över till Solbacken")
    (_DRIVEN_BETWEEN, "transport"),
    # a hood or a fan that does not pull is the ventilation ("kåpan ovanför spisarna suger
    # inte längre")
    (re.compile(r"\b(?:spis|im|fläkt)?kåpa(?:n|orna)?\b", re.IGNORECASE), "köksfläkten"),
    (
        re.compile(r"\b(?:suger|drar) (?:inte|dåligt)\b", re.IGNORECASE),
        "ventilationen fungerar inte",
    ),
    # someone to carry what is said between two languages is an interpreter ("någon som
    # kan översätta det vi säger till varandra", "någon som pratar ukrainska med oss",
    # "muntligt för över mellan svenska och pashto", "någon som kan båda språken")
    (
        re.compile(
            r"\böversätt\w*\s+(?:det|vad|allt)\s+(?:som\s+)?(?:vi|hon|han|de|dom|ni|man)\s+säger\b|"
            r"\b(?:någon|nån|en person) som (?:pratar|talar|kan prata|kan tala|kan båda språken)\b|"
            r"\bmuntligt?\b",
            re.IGNORECASE,
        ),
        "en tolk som tolkar",
    ),
    # help to carry things is carrying help ("behöver hjälp att bära skåp och lådor",
    # "någon som bär"), not the things ordered
    (
        re.compile(r"\b(?:hjälp (?:med )?att|folk som|någon som|nån som) (?:bära|bär)\b", re.I),
        "bärhjälp vid flytt",
    ),
    # rooms that must be clean are a cleaning ("de gamla rummen måste vara rena innan …",
    # "det ska vara rent i matsalen till fredag")
    (
        re.compile(
            r"\b(?:vara|bli|blir|är inte|göras|hållas) (?:ordentligt |helt )?(?:rena|rent)\b",
            re.IGNORECASE,
        ),
        "städas",
    ),
    # nothing to call with is a phone wanted ("de har inget att ringa med när de är ute")
    (
        re.compile(r"\b(?:inget|ingenting|inte något|inte nåt) att ringa (?:med|från)\b", re.I),
        "ingen mobiltelefon",
    ),
    # a thing someone lacks is a new one wanted ("vi har inga datorer", "de har inga kort
    # än", "jag har fortfarande ingen dator att jobba på"), not a fault of it; not what a
    # building must have or what has run out ("vi har inget varmvatten", "inga handdukar
    # kvar"), nor a want of hurry or of an idea ("vi har ingen brådska")
    (
        re.compile(
            rf"{LACKS}(?!(?:\w+ ){{0,2}}kvar\b)"
            r"(?!(?:att|värme|ström|el|vatten|varmvatten|internet|uppkoppling|täckning|nät|"
            r"wifi|tvål|papper|toapapper|handdukar|pappershanddukar)\b)",
            re.IGNORECASE,
        ),
        _wanted_new,
    ),
    # ... and so is a thing none of those just named has ("två nya kollegor … och ingen av
    # dem har någon dator heller": computers to order, not a computer that is broken)
    (
        re.compile(
            r"\bingen av (?:dem|dom|de|oss|er)\s+har\s+(?:fått\s+)?(?P<no>någon|något|några)\s+"
            r"(?!(?:som|brådska|aning|idé|koll|tid|möjlighet|problem|av)\b)(?=[a-zåäö]{3,})",
            re.IGNORECASE,
        ),
        lambda m: f"de behöver {_NEW_ANY[m['no'].lower()]} ",
    ),
    # ... and so is a thing listed as lacking, without who lacks it ("… och ingen toner
    # till skrivaren heller", "inga pennor.", "det finns inget kaffe till mötet"): a noun
    # alone, not a thing that does not do something ("ingen dator startar")
    (
        re.compile(
            r"(?P<lead>^|[,;:.!?]\s+|\boch\s+|\bsen\s+)(?:det finns\s+|finns det\s+)?"
            r"(?P<no>ingen|inget|inga)\s+"
            r"(?!(?:som|brådska|bråttom|aning|idé|koll|tid|möjlighet|klagomål|problem|synpunkter|"
            r"frågor|planer|fara|mer|fler|annat|av|svar|värme|ström|el|vatten|varmvatten|"
            r"internet|uppkoppling|täckning|nät|wifi|ljus|luft|signal|tvål|papper|toapapper|"
            r"handdukar|pappershanddukar)\b)"
            r"(?=[a-zåäö]{3,}(?:\s+(?:till|åt|för)\b|\s+(?:heller|alls)\b|\s*[,.!?]|\s*$))",
            re.IGNORECASE,
        ),
        lambda m: f"{m['lead']}behöver {_NEW_ONE[m['no'].lower()]} ",
    ),
    # a drink or food spilt is a spill to clean up, not an order of it ("nån har vält en
    # hel kanna kaffe på heltäckningsmattan", "spillde ut mjölk över hela golvet")
    (
        re.compile(
            r"\b(?:spillt|spillde|spillts|spilld|spillda|vält|välte|vältes|tappat|tappade)\s+"
            r"(?:ut\s+)?(?:[a-zåäö]+\s+){0,3}?(?:kaffe|te|mjölk|saft|juice|läsk|soppa|sås|"
            r"gröt|yoghurt|filmjölk|färg|olja|glass|vin)\b",
            re.IGNORECASE,
        ),
        "spill som behöver städas upp",
    ),
    # food someone cannot take is a special diet ("en ny boende som inte tål laktos", "Elsa
    # tål inte gluten", "han klarar inte av ägg")
    (
        re.compile(
            r"\b(?:(?:tål|tåler|klarar) inte|inte (?:tål|tåler|klarar))\s+(?:av\s+)?"
            r"(?:laktos|gluten|mjölk|mjölkprotein|nötter|jordnötter|ägg|fisk|skaldjur|soja|"
            r"sesam|vete|fläsk|socker)\b",
            re.IGNORECASE,
        ),
        lambda m: f"{m[0]}, specialkost för allergi",
    ),
    # a thing of one's own wanted is a new one ("vår specialpedagog behöver en egen dator,
    # hon delar med tre andra nu")
    (
        re.compile(
            r"\b(?P<lead>(?:behöver|behövs|vill ha|önskar|skulle behöva|få) (?:en|ett)?\s*)"
            r"(?P<own>egen|eget|egna)\b",
            re.IGNORECASE,
        ),
        lambda m: m["lead"] + {"egen": "ny", "eget": "nytt", "egna": "nya"}[m["own"].lower()],
    ),
    # water pouring out of a pipe is a leak, whatever it has wet ("det forsar ur röret under
    # diskhon, halva golvet är blött")
    (
        re.compile(
            r"\b(?:forsar|sprutar|fosser|strömmar|rinner|läcker)\s+(?:\w+\s+){0,2}?"
            r"(?:ur|från|ut ur|ut från)\s+(?:\w+\s+)?(?:röret|rören|ett rör|ledningen|"
            r"vattenledningen|kranen|elementet|avloppet|taket)\b",
            re.IGNORECASE,
        ),
        lambda m: f"{m[0]}, vattenläcka",
    ),
    # no current where there should be is a power cut, whatever went dark with it ("inga
    # lampor funkar, inget i uttagen", "eluttagen är döda", "vi har ingen ström")
    (
        re.compile(
            r"\b(?:inget|ingenting|ingen ström) (?:i|från|på) (?:el)?(?:uttagen|uttaget|"
            r"kontakterna)\b|\b(?:el)?uttag(?:en|et) (?:\w+ ){0,3}?"
            r"(?:är (?:helt )?död[ae]?|funkar inte|fungerar inte)\b|"
            r"\b(?:vi )?(?:har|hade) ingen ström\b|\bströmmen (?:är borta|försvann|gick)\b|"
            r"\bströmlös\w*",
            re.IGNORECASE,
        ),
        lambda m: f"{m[0]}, strömavbrott",
    ),
    # pain from how one works is a matter of ergonomics ("har problem med ryggen", "får ont
    # i nacken av att sitta vid datorn")
    (
        re.compile(
            r"\b(?:ont|värk|problem) (?:i|med) (?:ryggen|nacken|axlarna|axeln|knäna|handleden|"
            r"handlederna|armarna|armen|höften|ländryggen)\b|\bmusarm\b|\bbelastningsskad\w*",
            re.IGNORECASE,
        ),
        lambda m: f"{m[0]}, ergonomi",
    ),
    # being charged for a service is a question about an invoice, whatever service it was
    # ("vi har blivit debiterade två gånger för samma budtransport", "dubbelfakturerade för
    # transporten i maj", "varför belastas förskolan för möblerna …")
    (
        re.compile(
            r"\b(?:(?:blivit|blev|har) (?:dubbel)?(?:debiterade?|fakturerade?)|"
            r"dubbel(?:debiterade?|fakturerade?|debitering)|"
            r"(?:belastas|belastats|belastades|debiteras|debiterats|faktureras|fakturerats) "
            r"(?:\w+ ){0,3}?för)\b",
            re.IGNORECASE,
        ),
        lambda m: f"{m[0]} (fråga om internfakturan, debitering och kostnadsställe)",
    ),
    # a place in the dark where a lamp or a switch is spoken of is a light that does not
    # work ("det är kolsvart i trappan …, det tänds inget när man trycker på knappen"); the
    # dark alone is not (in a power cut it is what follows: "allt har slocknat, inga uttag
    # funkar, det är kolsvart i trapphuset"); nothing that lights is a lamp that does not
    (
        re.compile(
            r"\b(?:(?:kol|beck|natt)?svart|(?:kol|helt |jätte|totalt )?mörkt)\s+(?=(?:i|på|ute på|"
            r"inne i|nere i|uppe i|vid|utanför)\s)",
            re.IGNORECASE,
        ),
        lambda m: (
            "mörkt, belysningen fungerar inte, " if _LAMP_SPOKEN_OF.search(m.string) else m[0]
        ),
    ),
    (re.compile(r"\btänds (?:inget|ingenting|inte något|inte nåt)\b", re.I), "lampan tänds inte"),
    # ice said as what it looks like ("trapporna är blanka som glas", "blankt som en
    # spegel", "som en skridskobana") is a slippery surface
    (
        re.compile(
            r"\b(?:blank|blanka|blankt|hal|hala|halt)\s+som\s+(?:glas|en spegel|is|"
            r"en isbana|en skridskobana|en rink)\b|\bsom en (?:skridskobana|isbana|rink)\b",
            re.IGNORECASE,
        ),
        "spegelblankt och halt",
    ),
    # tags sprayed on a wall are graffiti ("nån har sprejat fula tags över hela väggen"),
    # not the tags that open doors
    (
        re.compile(
            r"\b(?:sprejat|sprayat|sprejade|sprayade|sprejar|sprayar|spreja|spraya|målat|"
            r"ritat)\s+(?:\w+\s+){0,2}?tags\b",
            re.IGNORECASE,
        ),
        "klottrat",
    ),
    # changing offices is a move ("vi byter kontor från plan 2 till plan 4"), and so is
    # moving in with others ("enheten slås ihop med en annan och vi ska in hos dem")
    (
        re.compile(
            r"\b(?:byter|byta|byt) (?:kontor|lokaler|lokal|arbetsrum)\b|"
            r"\bska (?:flytta )?in (?:hos (?:dem|dom|de|er|oss)|"
            r"i (?:de |våra |sina )?nya lokal\w*)",
            re.IGNORECASE,
        ),
        "flytt",
    ),
)


# A school, a preschool or a home said by its proper name after a preposition ("På
# Ekbackens förskola", "vid Västra skolan hus B", "på förskolan Ekorren", "på
# Strandskolan"); not a town or a building that may be what is asked for ("till Luleå",
# "i Rådhuset").
_NAMED_PLACE = re.compile(
    r"\b(?:på|i|vid|hos|utanför)\s+(?:"
    # "förskolan Ekorren", "äldreboendet Solgården"
    r"(?:förskolan|skolan|äldreboendet|gruppboendet)\s+(?-i:[A-ZÅÄÖ])[\wåäö-]+|"
    # "Ekbackens förskola", "Västra skolan hus B", "Solgårdens äldreboende"
    r"(?:(?-i:[A-ZÅÄÖ])[\wåäö-]+\s+){1,2}(?:skolan?|förskolan?|äldreboendet?|gruppboendet?)\b|"
    # "Strandskolan", "Ekbacksboendet" (not "Lindgården": a home, not a yard)
    r"(?-i:[A-ZÅÄÖ])[\wåäö-]*(?:skolan|skola|boendet)\b"
    r")(?:\s+hus\s+(?-i:[A-ZÅÄÖ])\b|\s+plan\s+\d+\b)?",
    re.IGNORECASE,
)


# The kind of a place named ("Strandskolan", "Ekbackens förskola", "Solgårdens äldreboende").
_PLACE_KIND = re.compile(
    r"(förskolan?|skolan?|äldreboendet?|gruppboendet?|boendet)$", re.IGNORECASE
)


def _kind_only(named: re.Match[str]) -> str:
    """A named place as its kind ("på Strandskolan" → "på skolan", "på Ekbackens förskola"
    → "på förskolan"). What kind of place a thing is at may matter (a school's grounds,
    not a street); its name does not."""
    words = named[0].split()
    kind = next((k[1].lower() for w in reversed(words[1:]) if (k := _PLACE_KIND.search(w))), None)
    if not kind:
        return " "
    definite = {"förskola": "förskolan", "skola": "skolan"}
    kind = definite.get(kind, kind if kind.endswith(("n", "t")) else f"{kind}t")
    return f" {words[0].lower()} {kind} "


def _unnamed(text: str) -> str:
    """``text`` with the places it names by their proper names (:data:`_NAMED_PLACE`) said
    by their kind only, when words remain."""
    bare = " ".join(_NAMED_PLACE.sub(_kind_only, text).split())
    return bare if re.search(r"[a-zåäö]{3,}", bare, re.IGNORECASE) else text


def _plain_idioms(text: str) -> str:
    for pattern, plain in _IDIOMS:
        text = pattern.sub(plain, text)
    return text


# The post named as the way a thing cannot go ("det hinner inte gå med internposten",
# "ska inte skickas med posten"): a courier is what is asked for, not the post.
_NOT_BY_POST = re.compile(
    r"\b(?:inte|ej)\s+(?:[a-zåäö]+\s+){0,2}?(?:med|via|på)\s+(?:den\s+)?(?:intern|vanlig)?"
    r"(?:posten|post)\b",
    re.IGNORECASE,
)
# "Sen har vi ett element som inte blir varmt …": "sen" (then) before a verb tells of the
# next matter; it is not "sen" (late) of a late delivery ("lunchen kom sen", "sen leverans").
_THEN_VERB = re.compile(
    r"\b(?:sen|sedan)\s+(?=(?:har|hade|är|var|finns|fanns|vill|behöver|behövs|ska|skall|"
    r"skulle|kan|kunde|blir|måste|undrar|saknas|fattas|så|också|även|går|gick)\b)",
    re.IGNORECASE,
)


# Words that frame a request, not what it is about ("hur anmäler vi det?").
_FRAMING = frozenset(
    {"anmäla", "beställa", "boka", "behöva", "fungera", "utföra", "önska", "undra", "ordna"}
)


# A word for how a thing is ("ostädad", "smutsig", "trasigt"), not for a thing.
_STATE_FORM = re.compile(r"(?:ad|at|ade|ig|igt|iga)$")


def _need_words(text: str) -> str:
    """The words of a message that say what is needed: after a word for needing when it
    has one ("Vaktmästarna behöver vinteroveraller" → "vinteroveraller"), and without
    the places it names ("… under takfoten vid sandlådan"); the message itself when
    neither leaves a word."""
    said = text
    if (need := _NEED_VERB.search(said)) is not None:
        said = need["need"]
    said = _WHERE.sub(" ", said)
    said = " ".join(said.split())
    return said if re.search(r"[a-zåäö]{3,}", said, re.IGNORECASE) else text


def background_services(paths: Sequence[Path] = BACKGROUND_FILES) -> list[ServiceDoc]:
    """The background services (rule 5): each CSV's rows with code, name, category,
    description and keywords (``;``-separated); a missing file is skipped."""
    return [
        ServiceDoc.from_dict({k: v for k, v in row.items() if k != "examples"})
        for path in paths
        for row in _csv_rows(path)
    ]


def _plain(text: str) -> str:
    """``text`` in lower case with single spaces (catalogue_sync writes examples so)."""
    return " ".join(text.lower().split())


def reference_services(path: Path | None = None) -> list[ServiceDoc]:
    """The services of the reference catalogue (the default one, ``data/tjanstekatalog.csv``)
    that have example requests (``;``-separated); none when the file is missing."""
    docs = (ServiceDoc.from_dict(row) for row in _csv_rows(path or REFERENCE_FILE))
    return [doc for doc in docs if doc.examples]


def lending_services(exclude: Iterable[str] = ()) -> list[ServiceDoc]:
    """The services a new catalogue's services may borrow example requests from: the
    reference catalogue's and those of :data:`LENDING_FILE`, but for the sources in
    ``exclude`` (a tuning catalogue evaluated leaves its own requests out)."""
    left_out = set(exclude)
    return [
        *reference_services(),
        *(
            ServiceDoc.from_dict({k: v for k, v in row.items() if k != "source"})
            for row in _csv_rows(LENDING_FILE)
            if row.get("source") not in left_out and row.get("examples")
        ),
    ]


def reference_examples(
    known: Iterable[str], references: Sequence[ServiceDoc] | None = None
) -> tuple[list[str], list[int]]:
    """Every example request of ``references`` (default: :func:`reference_services`), each
    once in catalogue order, and the positions of those not among the ``known`` texts
    (compared in lower case): the whole list is what is embedded and cached, the same for
    every catalogue; the positions are what a catalogue lacks (none for the reference)."""
    docs = reference_services() if references is None else references
    lent = list(dict.fromkeys(e for s in docs for e in s.examples))
    seen = {_plain(t) for t in known}
    return lent, [i for i, e in enumerate(lent) if _plain(e) not in seen]


def _own_words(services: Sequence[ServiceDoc]) -> frozenset[str]:
    """The folded keywords and names of ``services``, and the words they are made of."""
    found: set[str] = set()
    for s in services:
        for phrase in (s.name, *s.keywords):
            folded = " ".join(fold(phrase.lower()).split())
            found.add(folded)
            found.update(w for w in folded.split() if len(w) >= 5)
    return frozenset(found)


def _shares_word(doc: ServiceDoc, words: frozenset[str]) -> bool:
    """Whether a background service's keyword is one of a catalogue's own ``words``: the
    catalogue offers that kind of service, whatever its name."""
    return any(" ".join(fold(k.lower()).split()) in words for k in doc.keywords)


def _listed_kinds(services: Sequence[ServiceDoc]) -> frozenset[str]:
    """The one-word things the services' descriptions list, as lemmas ("Fel i kommunens
    byggnader: dörrar och lås, vattenläckor, värme och ventilation, belysning och el,
    hissar och fönster" lists "hiss" and "belysning")."""
    return frozenset(
        lemma(fold(item))
        for s in services
        for item in embeddings.listed_items(s.description)
        if len(item.split()) == 1 and len(item) >= 4
    )


def _kind_of(doc: ServiceDoc) -> str:
    """A background service's one-word name as a lemma ("Hiss" → "hiss"); "" for a
    longer name."""
    name = fold(doc.name.lower()).split()
    return lemma(name[0]) if len(name) == 1 else ""


_BACKGROUND_PREFIX = "background:"


def lending_texts(docs: Sequence[ServiceDoc]) -> tuple[list[str], list[str]]:
    """What the lenders ``docs`` are embedded as: their passages, and their requests each
    once in order (one list each, so the sync's warm step and the interpreter share the
    cache entries)."""
    passages = [
        embeddings.passage_texts(d.name, d.category, d.description, d.keywords)[0] for d in docs
    ]
    return passages, list(dict.fromkeys(e for d in docs for e in d.examples))


def lending_vectors(embed: embeddings.Embedder, kind: str, texts: Sequence[str]) -> np.ndarray:
    """The vectors of lending ``texts`` ("passage" or "query"), taken from the embedding of
    every lending source's texts when they are among them: one cache entry (filled by the
    sync) whichever sources an evaluation leaves out; else embedded as they are."""
    passages, requests = lending_texts(lending_services())
    every = passages if kind == "passage" else requests
    at = {text: i for i, text in enumerate(every)}
    if texts and all(text in at for text in texts):
        full = embed.passages(every) if kind == "passage" else embed.queries(every, cache=True)
        return full[[at[text] for text in texts]]
    return embed.passages(texts) if kind == "passage" else embed.queries(texts, cache=True)


def lending_matches(
    services: Sequence[ServiceDoc],
    vectors: embeddings.ServiceVectors,
    embed: embeddings.Embedder,
    docs: Sequence[ServiceDoc],
    thresholds: Thresholds,
) -> list[tuple[int, ServiceDoc]]:
    """Which lending service (of ``docs``, each with requests) lends to which service of
    ``services`` without example requests (its position): the one whose passage is
    ``lend_similarity`` similar to it and ``lend_margin`` nearer than to any other."""
    bare = {i for i, s in enumerate(services) if not s.examples}
    if not bare or len(services) < 2 or not docs:
        return []
    passages, _ = lending_texts(docs)
    near = lending_vectors(embed, "passage", passages) @ vectors.full.T  # (lenders, services)
    found: list[tuple[float, int, ServiceDoc]] = []
    for r, doc in enumerate(docs):
        order = np.argsort(-near[r])
        best, second = int(order[0]), int(order[1])
        if (
            best in bare
            and near[r, best] >= thresholds.lend_similarity
            and near[r, best] - near[r, second] >= thresholds.lend_margin
        ):
            found.append((float(near[r, best]), best, doc))
    # The most similar lenders first (stable: equals keep the lenders' order).
    found.sort(key=lambda f: -f[0])
    return [(best, doc) for _, best, doc in found]


def borrowed_requests(
    services: Sequence[ServiceDoc],
    embed: embeddings.Embedder,
    lenders: Sequence[ServiceDoc] | None = None,
    thresholds: Thresholds | None = None,
) -> dict[str, list[str]]:
    """The requests each service of ``services`` without its own borrows (code → requests,
    each once), as the interpretation step borrows them (:func:`lending_matches`; default
    lenders: :func:`lending_services` without the sources :func:`left_out` names). The
    sync writes them as the classifier's training data, so Rasa's classifier, not only the
    embeddings, learns how staff ask for a new catalogue's services."""
    t = thresholds or THRESHOLDS
    if t.lend_similarity > 1:
        return {}
    docs = [d for d in (lending_services(left_out()) if lenders is None else lenders) if d.examples]
    vectors = embeddings.ServiceVectors.build(services, embed)
    found: dict[str, list[str]] = {}
    for best, doc in lending_matches(services, vectors, embed, docs, t):
        found.setdefault(services[best].code, []).extend(doc.examples)
    # The most similar lenders' requests, as many as a catalogue's own examples: many
    # lenders for every service would outweigh what the classifier knows of "out of scope".
    return {
        code: list(dict.fromkeys(texts))[: t.lend_training_cap] for code, texts in found.items()
    }


# Where a thing is, said by its place beside another thing: "ovanför skrivaren", "bakom
# datorn" (not "i", "på": "lampan i köket" names a room; nor "under": "golvet står under
# vatten" says how it is).
# A room, a hall or a floor by its number, and the building after it ("rum 214 i
# Mossbyhuset", "sal 3", "plan 2"): where, not what.
_NUMBERED_ROOM = re.compile(
    r"\b(?:rum|sal|plan|våning|lokal)\s+\d{1,4}[a-z]?\b(?:\s+(?:i|på)\s+(?-i:[A-ZÅÄÖ])[\wåäö-]+)?",
    re.IGNORECASE,
)


def _overlaps(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in spans)


_WHERE_PHRASE = re.compile(
    r"\b(?:ovanför|nedanför|ovanpå|bakom|bredvid|framför|intill|mittemot|"
    r"till (?:höger|vänster) om)\s+(?:den |det |de |en |ett )?[\wåäö-]+",
    re.IGNORECASE,
)


# A message that opens with the thing it wants, then whom or what it is for: "webbkamera
# till mötesrummet …", "headset till tre undersköterskor som ska ha videosamtal".
_THING_FOR = re.compile(
    r"^(?:(?:vi|jag) )?(?:(?:behöver|vill ha|önskar|beställa|skulle behöva) )?"
    r"(?:(?:en|ett|\d{1,3}|två|tre|fyra|fem|sex|tio|några|ny|nya|nytt|fler|extra)\s+){0,2}"
    r"(?P<thing>[a-zåäö]{4,})\s+(?:till|åt|för)\s"
)


#: Rule 7 (:meth:`Interpreter._thing_not_where`): the best service still named by the
#: words outside the place phrase at more than this share of the best of them stands.
_WHERE_LEAD = 0.75


def _where_spans(text: str) -> list[tuple[int, int]]:
    """Where the phrases that say where a thing is lie in ``text``: beside another thing
    ("ovanför skrivaren", :data:`_WHERE_PHRASE`) or in a room ("wifit i matsalen har legat
    nere": "i matsalen"); not a building, which may be what a service offers ("Går det att
    ordna i kommunhuset?" of a room to book)."""
    spans = [m.span() for m in _WHERE_PHRASE.finditer(text)]
    # a room by its number ("ingen har städat vårt kontor …?? rum 214 i Mossbyhuset")
    spans += [m.span() for m in _NUMBERED_ROOM.finditer(text) if not _overlaps(m.span(), spans)]
    low = text.lower()
    # (a room a thing is "i", not a yard it is "på": "på förskolegården" may be what a
    # grounds service is for)
    spans += [
        m.span() for m in _AT_PLACE.finditer(low)
        if m[0].startswith("i ") and is_room(m["place"]) and not _OUTDOOR_PLACE.search(m["place"])
        and not any(s <= m.start() < e for s, e in spans)
    ]  # fmt: skip
    return sorted(spans)


def _change_places(
    ranked: list[tuple[str, float]], one: str, other: str
) -> list[tuple[str, float]]:
    """``ranked`` with the scores of ``one`` and ``other`` exchanged, sorted again."""
    scores = dict(ranked)
    scores[one], scores[other] = scores[other], scores[one]
    return sorted(scores.items(), key=lambda p: (-p[1], p[0]))


def _put_first(ranked: list[tuple[str, float]], wanted: str) -> list[tuple[str, float]]:
    """``ranked`` with ``wanted`` first at the best score; the others keep theirs."""
    rest = [(code, score) for code, score in ranked if code != wanted]
    return [(wanted, ranked[0][1]), *rest]


def _swap_first(ranked: list[tuple[str, float]], wanted: str) -> list[tuple[str, float]]:
    """``ranked`` with ``wanted`` first at the best score and the best in its place: the
    reading, not a tie to choose from (:func:`_put_first` leaves a tie)."""
    top_code, top_score = ranked[0]
    scores = dict(ranked)
    swapped = {wanted: top_score, top_code: scores[wanted]}
    return sorted(((c, swapped.get(c, v)) for c, v in ranked), key=lambda p: -p[1])


def _example_map(vectors: embeddings.ServiceVectors, query: np.ndarray) -> dict[str, float] | None:
    """Each service's example similarity to ``query`` (services that have examples)."""
    found = vectors.example_similarities(query)
    if found is None:
        return None
    return {c: float(v) for c, v in zip(vectors.codes, found, strict=True) if not np.isnan(v)}


def _raw_lead(evidence: Evidence, code: str) -> bool:
    """Whether ``code`` leads the uncalibrated lexical scores clearly (or stands alone)."""
    raw = evidence.raw
    if not raw or raw[0][0] != code:
        return False
    return len(raw) < 2 or raw[1][1] <= RAW_LEAD_RATIO * raw[0][1]


# The words of a description's exclusion that only say it is one ("ingår inte", "har en
# egen tjänst") and a service code in brackets ("(LKR-09)").
_EXCLUSION_WORDS = re.compile(
    r"\b(?:ingår|gäller|omfattar|inkluderar|innefattar|inte|ej|har|hanteras|anmäls|beställs|"
    r"bokas|en|egen|egna|tjänst|tjänster|tjänsten|i)\b|\([^)]*\)",
    re.IGNORECASE,
)
# Getting a thing, said before it in an exclusion ("Köp av nya datorer", "Beställning av
# visitkort"): no word the message must say.
_ACQUIRING = re.compile(
    r"^\s*(?:köp|inköp|anskaffning|beställning|beställningar)\s+av\s+", re.IGNORECASE
)
_EXCLUDED_BREAK = re.compile(
    # "Vilda djur som räv, grävling, rådjur och fåglar ingår inte": the kind and each of the
    # things listed as its examples
    r",\s*|\s+(?:och|eller|samt|inte heller)\s+|"
    r"\s+(?:som|såsom|till exempel|t\.ex\.)\s+(?=[^,.;]+,)",
    re.IGNORECASE,
)


#: One content word as the forms it may be met by: its folded spelling and lemma.
_Word = frozenset[str]
_FRAMING_FOLDED = frozenset(fold(w) for w in _FRAMING)
# Words for what is wrong with a thing, not for a thing: no need of a service's own
# ("Gatlampan … är trasig" names no need of a grounds service that excludes streets).
_FAULT_STATE_FOLDED = frozenset(
    fold(w) for w in ("trasig", "sönder", "laga", "fel", "problem", "krångla", "strula")
)
_STATE_OR_FRAMING = _FAULT_STATE_FOLDED | _FRAMING_FOLDED
# Words that name no other need of a service (rule 6): how a thing is, the framing of a
# request, and whether the thing is new or old ("nya gardiner" is no furniture need).
# (nor does the municipality itself: "Har kommunen något lager där …" asks for no move
# "inom kommunen")
_NO_OTHER_NEED = _STATE_OR_FRAMING | frozenset(
    fold(w) for w in ("ny", "gammal", "kommun", "kommunen", "kommunens")
)


def _content_words(text: str, *, with_synonyms: bool = False) -> list[_Word]:
    """A text's content words (three letters or more, and "ny"), each as its folded forms
    and stem (simplemma reads "buss" as the verb "bussa", and knows no "jobbmobiler");
    ``with_synonyms``: each with its everyday synonyms (five letters or more) too."""
    stop = stop_words()
    said = tokens(text.lower())

    def synonym_forms(word: str) -> frozenset[str]:
        return frozenset(fold(o) for o in synonyms(word) if len(o) >= 5)

    words = [
        frozenset({fold(w), fold(lemma(w)), fold(stem(w))})
        | (synonym_forms(lemma(w)) if with_synonyms else frozenset())
        for w in said
        # ("ny" is the short form of "nya", a word of things excluded: "Nya datorer")
        if (len(w) >= 3 or w == "ny") and w not in stop and not w.isdigit()
    ]
    if with_synonyms:
        # a short phrase stands for the catalogue's word ("istapparna måste tas ner":
        # "nedtagning")
        words += [
            frozenset({fold(word)}) | synonym_forms(word)
            for phrase, word in PHRASES.items()
            if any(tuple(said[i : i + len(phrase)]) == phrase for i in range(len(said)))
        ]
    return words


# Who or where the things are from: "från hemtjänsten", "hos oss på Solgården", "kökets
# arbetskläder" (a definite noun's genitive before the thing).
_WHOSE = re.compile(
    r"\b(?:från|hos)\s+(\w{3,})|\b(\w{3,}(?:ens|ets|ans|nas))\s+(?=\w{3,})|"
    # whom the things are for ("en ny bärbar dator till en nyanställd")
    r"\b(?:till|åt|för)\s+(?:(?:en|ett|vår|våra|min|mina|den|de|dom|två|tre|fyra|\d{1,3})\s+)?"
    r"(?:nya?\s+)?(\w*(?:anställd|anställda|kollega|kollegor|medarbetare|vikarie|vikarier|"
    r"praktikant|praktikanter|chef|chefer))\b"
)


@functools.lru_cache(maxsize=256)
def _whose_words(text: str) -> tuple[_Word, ...]:
    """The words of a message that say whom its things are from ("från hemtjänsten") or
    where they are ("på förskolegården"): no need of their own."""
    low = restore_diacritics(text).lower()
    whose = [w for m in _WHOSE.finditer(low) for w in _content_words(m[1] or m[2] or m[3])]
    where = [
        w
        for m in _AT_PLACE.finditer(low)
        if is_place_word(m["place"])
        for w in _content_words(m["place"])
    ]
    return tuple(whose + where)


# What is to be done, said as a verb ("kemikalierna måste slängas", "pianot ska flyttas",
# "gatan är inte plogad"): the act the service does to the thing, no other need of it.
_ACT_SAID = re.compile(
    r"\b(?:ska|skall|måste|kan|vill|behöver|bör|får|skulle)\s+(?:inte\s+|ni\s+|vi\s+|någon\s+|"
    r"nån\s+|du\s+)?(?:bli\s+)?(?P<verb>[a-zåäö]{3,}(?:a|as))\b|"
    r"\b(?:är|blev|har|har blivit|inte)\s+(?:inte\s+)?(?P<done>[a-zåäö]{3,}(?:ad|at|ade|ats))\b"
)


@functools.lru_cache(maxsize=256)
def _acts_said(text: str) -> tuple[_Word, ...]:
    """The acts a message says are to be done (:data:`_ACT_SAID`), as content words."""
    low = restore_diacritics(text).lower()
    return tuple(w for m in _ACT_SAID.finditer(low) for w in _content_words(m["verb"] or m["done"]))


# Where a thing is: "en räv går in på förskolegården", "ute på skolgården".
_AT_PLACE = re.compile(r"\b(?:på|i|vid|hos|utanför|längs)\s+(?:hela\s+)?(?P<place>[a-zåäö-]{4,})\b")


# The thing a message asks for, named right after the wish: "behöver nya skyddsskor till
# köket", "vi behöver en ljudtekniker som sköter mikrofonerna".
_WANTED_THING = re.compile(
    r"(?:\b(?:behöver|behövs|vill (?:vi |jag )?ha|önskar|beställa|skulle behöva|"
    r"kan (?:vi|jag) (?:få|låna|boka)|kan (?:ni|du|någon|nån) (?:boka|beställa|ordna|skaffa)|"
    r"söker)|^(?:boka|beställ|beställa|hyra|låna))\s+"
    # ("behöver boka ett samtal": what is booked)
    r"(?:(?:boka|beställa|hyra|låna|köpa)\s+)?"
    r"(?:(?:en|ett|några|ny|nya|nytt|fler|extra|två|tre|fyra|fem|\d{1,3})\s+){0,2}"
    # ("beställ 10 paket kopieringspapper": the thing, not its unit)
    r"(?:(?:paket|kartonger|kartong|lådor|förpackningar|st|stycken|par)\s+)?"
    r"(?P<thing>[a-zåäö]{4,})\b"
)


@functools.lru_cache(maxsize=256)
def _wanted_thing(text: str) -> str | None:
    """The thing a message asks for right after its wish ("skyddsskor"), or None."""
    wanted = _WANTED_THING.search(restore_diacritics(text).lower())
    return wanted["thing"] if wanted else None


def _wanted_words(text: str) -> tuple[_Word, ...]:
    """:func:`_wanted_thing` as content words (empty when the message names none)."""
    thing = _wanted_thing(text)
    return tuple(_content_words(thing)) if thing else ()


@functools.lru_cache(maxsize=256)
def _said_words(text: str) -> tuple[_Word, ...]:
    """A message's content words, as rule 6 reads them (ranking and refusal read the
    same message in one turn: computed once)."""
    return tuple(_content_words(restore_diacritics(text)))


@functools.lru_cache(maxsize=256)
def _said_meaning(text: str) -> tuple[_Word, ...]:
    """:func:`_said_words` (word for word) with each word's everyday synonyms among its
    forms: "gympasalen" is the "idrottshall" a room service says it does not book."""
    return tuple(_content_words(restore_diacritics(text), with_synonyms=True))


def _word_meets(wanted: str, said: str) -> bool:
    """The same word, or one is the last part of the other ("buss" and
    "beställningsbuss", "taxi" and "skoltaxi")."""
    if wanted == said:
        return True
    if _act_of(wanted, said) or _act_of(said, wanted):
        return True
    return (len(wanted) >= 4 and said.endswith(wanted)) or (
        len(said) >= 4 and wanted.endswith(said)
    )


def _act_of(noun: str, verb: str) -> bool:
    """Whether ``noun`` names the act of ``verb`` ("bestallning" of "bestalla" or its stem
    "bestall"; folded), for stems of five letters or more ("bokning" and "bok" do not)."""
    stem = noun[:-4] if noun.endswith("ning") else ""
    return len(stem) >= 5 and verb in (stem, f"{stem}a")


def _meets(word: _Word, other: _Word) -> bool:
    return any(_word_meets(a, b) for a in word for b in other)


def _item_in(item: Sequence[_Word], words: Sequence[_Word]) -> bool:
    """Whether every word of ``item`` is among ``words``."""
    return bool(item) and all(any(_meets(w, s) for s in words) for w in item)


def _item_exactly_in(item: Sequence[_Word], words: Sequence[_Word]) -> bool:
    """Whether every word of ``item`` is one of ``words`` in one of its forms."""
    return bool(item) and all(any(w & s for s in words) for w in item)


# The things a word of kind stands for in an exclusion ("Reparation av trasiga möbler ingår
# inte" excludes mending a "kontorsstol"); folded. Read only by rule 6, never by the
# matcher: a chair is no synonym of a table.
_KINDS: dict[str, frozenset[str]] = {
    kind: frozenset(fold(w) for w in things)
    for kind, things in {
        "mobel": (
            "stol", "stolar", "kontorsstol", "skrivbord", "bord", "soffa", "soffor", "fåtölj",
            "hylla", "hyllor", "bokhylla", "skåp", "bänk", "bänkar", "pall", "säng", "sängar",
        ),
        "fordon": ("bil", "bilar", "buss", "bussar", "minibuss", "lastbil", "skåpbil"),
        "kontorsmaterial": (
            "penna", "pennor", "kollegieblock", "block", "pärm", "pärmar", "gem", "häftapparat",
            "kopieringspapper", "post-it", "post-it-lappar", "tejp", "kuvert",
        ),
    }.items()
}  # fmt: skip


def _with_kinds(word: _Word) -> _Word:
    """``word`` with the things it stands for when it names a kind of thing (:data:`_KINDS`)."""
    return word.union(*(_KINDS[f] for f in word if f in _KINDS))


def excluded_items(description: str) -> list[tuple[_Word, ...]]:
    """The things a description says its service does not do, each as its content words
    ("Hotell, taxi och hyrbil ingår inte" → hotell, taxi, hyrbil; "Gäller inte privata
    flyttar" → privata flyttar)."""
    items: list[tuple[_Word, ...]] = []
    for part in excluded_parts(description):
        pieces = [p.strip() for p in _EXCLUDED_BREAK.split(_EXCLUSION_WORDS.sub(" ", part))]
        pieces = [p for p in pieces if p]
        # "Boendes, elevers och personalens privata tvätt": whose things, listed, share
        # what comes after the last one
        last = pieces[-1].split() if pieces else []
        shared = (
            " ".join(last[1:]) if len(last) > 1 and _GENITIVE.fullmatch(last[0].lower()) else ""
        )
        for index, piece in enumerate(pieces):
            if shared and index < len(pieces) - 1 and _GENITIVE.fullmatch(piece.lower()):
                piece = f"{piece} {shared}"
            # "Köp av nya datorer ingår inte": the things bought are what is excluded,
            # however the message asks for them ("behöver en ny bärbar dator")
            words = tuple(
                _with_kinds(_with_owner(w)) for w in _content_words(_ACQUIRING.sub("", piece))
            )
            if words:
                items.append(words)
    return items


# A genitive of a person or a group ("boendes", "hemtjänstbrukares", "personalens").
_GENITIVE = re.compile(r"[a-zåäö]{3,}(?:ares|ndes|des|ens|ets|ers|nas)")


def _with_owner(word: _Word) -> _Word:
    """``word`` with its form without the genitive "s" ("hemtjanstbrukares" also
    "hemtjanstbrukare"), so that "en brukare" meets it."""
    return word | {f[:-1] for f in word if _GENITIVE.fullmatch(f)}


# Whose or where a thing is, said in an exclusion ("Gäller inte hemtjänstbrukares egna
# bostäder", "Boendes privata tvätt"): folded lemmas of people, groups, homes and what is
# one's own.
_OWNERS = frozenset(
    fold(w)
    for w in (
        "brukare", "hemtjänstbrukare", "boende", "elev", "elever", "personal", "personalen",
        "invånare", "medborgare", "förening", "föreningar", "privatperson", "privatpersoner",
        "anhörig", "anhöriga", "hyresgäst", "hyresgäster", "journalist", "journalister",
        "allmänhet", "allmänheten", "privat", "privata", "egen", "egna", "bostad",
        "bostäder", "hem", "hemma", "lägenhet", "lägenheter",
    )
)  # fmt: skip


def _owner_word(word: _Word) -> bool:
    """Whether an exclusion's word says whose or where (:data:`_OWNERS`)."""
    return bool(word & _OWNERS)


class Interpreter:
    """The interpretation step for one catalogue (build once per catalogue version)."""

    def __init__(
        self,
        services: Sequence[ServiceDoc],
        *,
        examples: Sequence[tuple[str, str]] = (),
        embed: embeddings.Embedder | None = None,
        thresholds: Thresholds = THRESHOLDS,
        background: Sequence[ServiceDoc] | None = None,
        references: Sequence[ServiceDoc] | None = None,
        lenders: Sequence[ServiceDoc] | None = None,
    ) -> None:
        self.services = tuple(services)
        # Read once: rank() asks about its three best services on every urgent message.
        self._acute_named = frozenset(
            s.code for s in self.services
            if _ACUTE_SERVICE.search(_NOT_ACUTE.sub(" ", f"{s.name} {s.description}".lower()))
        )  # fmt: skip
        self._reuse = frozenset(
            s.code for s in self.services
            if (
                _REUSE_SERVICE.search(f"{s.name} {' '.join(s.keywords)}".lower())
                or _REUSE_SERVICE.search(s.description.lower().split(".")[0])
            )
            and not _TAKES_AWAY.search(s.name.lower())
        )  # fmt: skip
        # Services that take things away ("Hämtning av möbler för återbruk", "Bortforsling
        # av skrot").
        self._takes_away = frozenset(
            s.code for s in self.services if _TAKES_AWAY.search(s.name.lower())
        )  # fmt: skip
        # Services that move what is there ("Intern flytt och bärhjälp").
        self._moves = self._named_by(_MOVING_SERVICE)
        # Services that mend things ("Reparation av möbler", "Lagning av arbetskläder").
        self._mends = self._named_by(_MENDING_SERVICE)
        # Services whose description says they are done indoors or outdoors ("klotter
        # inomhus" against "klottersanering utomhus"): what is not done is left out.
        said_where = {
            s.code: positive_description(f"{s.name}. {s.description}").lower()
            for s in self.services
        }
        indoors = {c for c, d in said_where.items() if _INDOORS_SERVICE.search(d)}
        outdoors = {c for c, d in said_where.items() if _OUTDOORS_SERVICE.search(d)}
        self._indoors = frozenset(indoors - outdoors)
        self._outdoors = frozenset(outdoors - indoors)
        # Rule 6: what each service's description says it does not do, and whether another
        # service of this catalogue offers it ("Jobbmobiler har en egen tjänst").
        self._positive = {
            s.code: _content_words(
                " ".join([s.name, *s.keywords, positive_description(s.description)])
            )
            for s in self.services
        }
        self._exclusions: dict[str, tuple[tuple[tuple[_Word, ...], bool], ...]] = {}
        for s in self.services:
            own = self._positive[s.code]
            # (a kind of the service's own thing stays excluded: "Teckenspråkstolk ingår
            # inte" of "Språktolk …")
            items = [i for i in excluded_items(s.description) if not _item_exactly_in(i, own)]
            if items:
                self._exclusions[s.code] = tuple(
                    (i, any(_item_in(i, w) for c, w in self._positive.items() if c != s.code))
                    for i in items
                )
        self._sla_hours = {s.code: s.sla_hours for s in self.services}
        self._faults = frozenset(s.code for s in self.services if s.kind == "fault")
        self._category = {s.code: s.category for s in self.services}
        # A fault report mends too: "nyckeln har fastnat i låset" is the lock service's, not
        # an order of new keys (:meth:`_mended_not_new`).
        self._mends_or_reports = self._mends | self._faults
        # Orders of things that neither mend, take away nor move ("Möbelbeställning").
        self._orders_of_things = (
            frozenset(s.code for s in self.services if s.kind == "order")
            - self._mends
            - self._takes_away
            - self._moves
        )
        # Each service's one-word keywords and the words of its name, as folded lemmas.
        self._own_single_words = {
            s.code: frozenset(
                fold(lemma(w.lower()))
                for phrase in (s.name, *s.keywords)
                for w in phrase.split()
                if len(w) >= 4
            )
            for s in self.services
        }
        # Services whose catalogue row gives example requests (the others have made-up ones).
        self._written = frozenset(s.code for s in self.services if s.examples)
        self.thresholds = thresholds
        self.matcher = CatalogueMatcher(self.services)
        self._embed = embed
        self._vectors = embeddings.ServiceVectors.build(self.services, embed) if embed else None
        own_vectors = self._vectors
        if self._vectors is not None and embed is not None:
            self._vectors = self._borrowed(self._vectors, embed, lenders)
        # Rule 5 measures the catalogue by its own examples (None: nothing borrowed).
        self._own_vectors = own_vectors if self._vectors is not own_vectors else None
        self._head: SoftmaxHead | None = None
        if embed is not None and examples:
            texts = [text for text, _ in examples]
            labels = [intent for _, intent in examples]
            vectors = embed.queries(texts, cache=True)
            # The reference catalogue's example requests teach the head how staff ask for
            # a service whatever this catalogue is (its own examples are already here when
            # it is the reference); cached apart, so a new catalogue embeds only its own.
            lent, missing = reference_examples(texts, references)
            if missing:
                # The whole list is embedded (one cache entry for every catalogue, filled
                # by the sync), then what this catalogue lacks is taken.
                found = embed.queries(lent, cache=True)[missing]
                vectors = np.vstack([vectors, found])
                texts = [*texts, *(lent[i] for i in missing)]
                labels = [*labels, *[REQUEST] * len(missing)]
            self._head = SoftmaxHead.train(vectors, labels, texts, embed.cache_dir)
        head_vectors = self._vectors if thresholds.lend_to_head else own_vectors
        self._service_head = (
            head_vectors.example_head(embed.cache_dir) if embed and head_vectors else None
        )
        # Rule 5's background, with how closely each resembles a service of this catalogue.
        self._description_words: dict[str, frozenset[str]] = {}
        self._background: embeddings.ServiceVectors | None = None
        self.background_overlap = np.zeros(0, dtype=np.float32)
        self._joint: CatalogueMatcher | None = None
        self._background_position: dict[str, int] = {}
        # The one-word keywords of the background services unlike any of this catalogue's.
        self._things_elsewhere: frozenset[str] = frozenset()
        if embed is not None and self._vectors is not None and self.services:
            docs = background_services() if background is None else list(background)
            if docs:
                self._background = embeddings.ServiceVectors.build(docs, embed)
                self._background_position = {d.code: i for i, d in enumerate(docs)}
                overlap = self._background.passage_overlap(self._vectors)
                names = {fold(s.name.lower()) for s in self.services}
                words = _own_words(self.services)
                listed = _listed_kinds(self.services)
                same = np.array(
                    [
                        fold(d.name.lower()) in names
                        or _shares_word(d, words)
                        or _kind_of(d) in listed
                        for d in docs
                    ]
                )
                self.background_overlap = np.where(same, 1.0, overlap).astype(np.float32)
                kept = self.background_overlap < thresholds.background_overlap
                self._things_elsewhere = frozenset(
                    fold(lemma(k.lower()))
                    for d, k_ in zip(docs, kept, strict=True)
                    if k_
                    for k in d.keywords
                    if " " not in k.strip() and len(k) >= 4
                )
                # Rule 5 by words: this catalogue and the kept background in one index.
                self._joint = CatalogueMatcher(
                    [*self.services]
                    + [
                        replace(d, code=_BACKGROUND_PREFIX + d.code)
                        for d, k in zip(docs, kept, strict=True)
                        if k
                    ]
                )

    def _borrowed(
        self,
        vectors: embeddings.ServiceVectors,
        embed: embeddings.Embedder,
        lenders: Sequence[ServiceDoc] | None,
    ) -> embeddings.ServiceVectors:
        """``vectors`` with the example requests each service without its own borrows
        from the services of other catalogues that mean the same (``lend_similarity``;
        default :func:`lending_services`)."""
        t = self.thresholds
        bare = [i for i, s in enumerate(self.services) if not s.examples]
        if t.lend_similarity > 1 or not bare or len(self.services) < 2:
            return vectors
        docs = lending_services(left_out()) if lenders is None else list(lenders)
        docs = [d for d in docs if d.examples]
        if not docs:
            return vectors
        _, lent = lending_texts(docs)
        position = {text: i for i, text in enumerate(lent)}
        rows: list[int] = []
        owners: list[int] = []
        for best, doc in lending_matches(self.services, vectors, embed, docs, t):
            for text in dict.fromkeys(doc.examples):
                rows.append(position[text])
                owners.append(best)
        if not rows:
            return vectors
        # Every lending source's requests are embedded and cached once (the sync warms it).
        every = lending_vectors(embed, "query", lent)
        more = vectors.with_examples(every[rows], owners, [lent[i] for i in rows])
        # A service with two dozen borrowed requests is near more messages by chance than
        # one with its own few: each is measured against its usual nearness to requests.
        return more.calibrated(every) if t.lend_calibrate else more

    def with_thresholds(self, thresholds: Thresholds) -> Interpreter:
        """A copy deciding with other thresholds (shares the indexes)."""
        other = object.__new__(Interpreter)
        other.__dict__.update(self.__dict__)
        other.thresholds = thresholds
        return other

    # -- evidence -------------------------------------------------------------------------

    def gather(self, text: str, parse: Mapping[str, Any] | None = None) -> Evidence:
        """Collect the three signals for ``text`` (Rasa's ``parse`` gives the classifier's)."""
        # "det hinner inte gå med internposten": the way it cannot go is no need.
        said = text = without_colon_endings(text)
        text = _THEN_VERB.sub("", _NOT_BY_POST.sub(" ", past_the_story(text))).strip() or said
        raw_scores = self.matcher.raw_scores(_plain_idioms(text))
        lexical = {code: calibrate(raw) for code, raw in raw_scores}
        query = None
        if self._embed is not None and text.strip():
            # The embeddings know words by their proper spelling ("spytt på lågstadiet").
            # A place named by its proper name says where, not what: "På Ekbackens förskola
            # har två taklampor slutat lysa" is read as "… har två taklampor slutat lysa"
            # (names of places the example requests happen to use pull towards them).
            query = self._embed.queries([_plain_idioms(restore_diacritics(_unnamed(text)))])[0]
        similarity = None
        if query is not None and self._vectors is not None:
            sims = self._vectors.similarities(query)
            similarity = {c: float(v) for c, v in zip(self._vectors.codes, sims, strict=True)}
        examples = own_examples = None
        if query is not None and self._vectors is not None:
            examples = _example_map(self._vectors, query)
            if self._own_vectors is not None:
                own_examples = _example_map(self._own_vectors, query)
        semantic_intents = (
            self._head.probabilities(query) if query is not None and self._head else {}
        )
        service_probs = (
            self._service_head.probabilities(query)
            if query is not None and self._service_head
            else None
        )
        background = background_similarity = None
        if query is not None and self._background is not None:
            near = self._background.example_similarities(query)
            if near is not None:
                background = tuple(float(v) for v in np.nan_to_num(near, nan=-1.0))
            background_similarity = tuple(float(v) for v in self._background.similarities(query))
        joint = None
        if self._joint is not None:
            pairs = self._joint.candidates(text)
            elsewhere = [(v, c) for c, v in pairs if c.startswith(_BACKGROUND_PREFIX)]
            score, code = max(elsewhere, default=(0.0, ""))
            joint = (
                score,
                max((v for c, v in pairs if not c.startswith(_BACKGROUND_PREFIX)), default=0.0),
                self._background_position.get(code.removeprefix(_BACKGROUND_PREFIX), -1),
            )
        return Evidence(
            lexical, similarity, classifier_ranking(parse or {}), semantic_intents,
            tuple(raw_scores[:3]), text, examples, service_probs, background,
            background_similarity, joint, own_examples,
        )  # fmt: skip

    # -- decision -------------------------------------------------------------------------

    def rank(self, evidence: Evidence) -> list[Match]:
        """Services by fused score in 0..1, best first."""
        t = self.thresholds
        lexical = evidence.lexical
        if evidence.similarity is None or t.semantic_weight <= 0:
            fused = dict(lexical)
        else:
            sims = evidence.similarity
            median = float(np.median(list(sims.values()))) if sims else 0.0
            w = t.semantic_weight
            fused = {
                code: (1 - w) * lexical.get(code, 0.0)
                + w * min(max((sim - median) / t.semantic_scale, 0.0), 1.0)
                for code, sim in sims.items()
            }
            found = evidence.examples
            if found and t.example_weight > 0:
                # The catalogue's example requests: how close the message is to the way
                # staff ask for each service. A service without examples keeps its own
                # semantic score in their place.
                centre = float(np.median(list(found.values())))
                we = t.example_weight
                fused = {
                    code: (1 - we) * score
                    + we
                    * (
                        min(max((found[code] - centre) / t.example_scale, 0.0), 1.0)
                        if code in found
                        else min(max((sims[code] - median) / t.semantic_scale, 0.0), 1.0)
                    )
                    for code, score in fused.items()
                }
        probs = evidence.service_probs
        if probs and t.service_head_weight > 0:
            # The service head learnt from the example requests; a service without
            # examples keeps its own score in the head's place.
            # Relative to its best service, so the fused score keeps its calibrated scale
            # (match / choose / strong mean the same with and without the head).
            wh = t.service_head_weight
            peak = max(probs.values()) or 1.0
            fused = {
                code: (1 - wh) * score + wh * (probs[code] / peak if code in probs else score)
                for code, score in fused.items()
            }
        ranked = sorted(fused.items(), key=lambda p: (-p[1], p[0]))
        if ranked and lexical and t.lexical_floor > 0:
            best_lexical = max(lexical, key=lambda c: (lexical[c], c))
            at = next((i for i, (code, _) in enumerate(ranked) if code == best_lexical), None)
            # The best service by the catalogue's own words keeps a floor; below the top
            # only when its words are all but certain and the service has no written
            # examples ("putsa rutorna" and a service for "fönsterputs" that the made-up
            # examples rank third).
            # The embeddings are surer of a service with written examples: no floor there.
            below = t.lexical_floor_below if best_lexical not in self._written else 2.0
            least = t.lexical_floor_min if at == 0 else below
            if (
                at is not None
                and lexical[best_lexical] >= least
                and _raw_lead(evidence, best_lexical)
            ):
                score = ranked[at][1]
                ranked[at] = (best_lexical, max(score, t.lexical_floor * lexical[best_lexical]))
                ranked.sort(key=lambda p: (-p[1], p[0]))
        if t.urgent_lift > 0 and ranked and _URGENT.search(evidence.text.lower()):
            acute = {code for code, _ in ranked[:3] if self._is_acute(code, t.acute_hours)}
            ranked = sorted(
                ((code, min(1.0, score + t.urgent_lift) if code in acute else score)
                 for code, score in ranked),
                key=lambda p: (-p[1], p[0]),
            )  # fmt: skip
        ranked = self._calm_not_acute(ranked, evidence)
        ranked = self._used_or_new(ranked, evidence.text.lower())
        restored = restore_diacritics(evidence.text.lower())
        ranked = self._mended_not_new(ranked, restored)
        ranked = self._new_not_mended(ranked, restored)
        ranked = self._taken_not_new(ranked, restored)
        ranked = self._moved_not_new(ranked, restored)
        ranked = self._fault_not_order(ranked, restored)
        ranked = self._missed_not_more(ranked, restored)
        ranked = self._inside_or_out(ranked, restored)
        ranked = self._not_excluded(ranked, evidence.text)
        ranked = self._thing_not_where(ranked, evidence.text)
        ranked = self._thing_before_purpose(ranked, restored)
        return [Match(code, round(score, 4)) for code, score in ranked if score > 0]

    def _thing_not_where(
        self, ranked: list[tuple[str, float]], text: str
    ) -> list[tuple[str, float]]:
        """Rule 7: ``ranked`` with the service of the thing itself first when the best one
        is named only by where the thing is ("lysröret ovanför skrivaren har gått": the
        tube, not the printer; "elementet bakom datorn är kallt"): the catalogue's words
        name the best service in the phrase of place and not in the rest of the message,
        which names another of the three best first."""
        spans = _where_spans(text)
        if len(ranked) < 2 or not spans:
            return ranked
        stripped, places, at = "", [], 0
        for start, end in spans:
            stripped += text[at:start] + " "
            places.append(text[start:end])
            at = end
        stripped += text[at:]
        # (candidates: the services the words name at all, best first)
        rest = dict(self.matcher.candidates(_plain_idioms(stripped)))
        top = ranked[0][0]
        if not rest:
            return ranked
        own = max(rest, key=lambda c: (rest[c], c))
        # the rest of the message names the best service too, or, when it says what is
        # wrong, not clearly less than its own ("elementen är iskalla" names a meal
        # fault's "kall" far below the building's "element" and "iskalla"; "titta på
        # originalkartan … i läsesalen" is what the reading room is for)
        lead = _WHERE_LEAD if _BROKEN.search(stripped.lower()) else 0.0
        if own == top or rest.get(top, 0.0) > lead * rest[own]:
            return ranked
        if top not in dict(self.matcher.candidates(" ".join(places))):
            return ranked  # the best service is not the place's either
        if own not in {code for code, _ in ranked[1:3]}:
            return ranked
        # The two change places: the place's service is not what is asked for.
        return _change_places(ranked, own, top)

    def _excluded_hits(
        self, code: str, said: Sequence[_Word]
    ) -> list[tuple[tuple[_Word, ...], bool]]:
        """The things service ``code`` says it does not do that the message's words
        ``said`` ask for, each with whether another service of this catalogue offers it."""
        own = self._positive.get(code, [])
        # The service's own word said alone is no excluded kind of it: "tolk" is not the
        # "teckenspråkstolk" an interpreting service excludes (a "buss" is a
        # "beställningsbuss" where travel names no bus); said as the excluded thing's own
        # word it is ("tvätten av arbetskläderna" where "Tvätt av arbetskläder ingår inte").
        loose = [w for w in said if not any(w & o for o in own)] if own else said
        return [
            (item, offered)
            for item, offered in self._exclusions.get(code, ())
            if item
            and all(any(w & s for s in said) or any(_meets(w, s) for s in loose) for w in item)
        ]

    def _names_other_need(
        self, code: str, said: Sequence[_Word], hits: Sequence[tuple[tuple[_Word, ...], bool]],
        whose: Sequence[_Word] = (), meaning: Sequence[_Word] = (),
    ) -> bool:  # fmt: skip
        """Whether service ``code``'s own words name a word of the message besides the
        excluded things it asks for, the words that frame a request ("Boka tåg och
        hotell": the train is the travel service's) and ``whose`` (who the things are
        from: "tvätten av arbetskläderna från hemtjänsten" names no other need of a
        service of work clothes for "hemtjänst")."""
        excluded = [w for item, _ in hits for w in item]
        own = self._positive.get(code, [])
        # (``meaning``: the same words with their synonyms; a word that is an excluded
        # thing by its synonym, "gympasalen", names no other need by a part of it, "sal")
        return any(
            word not in whose
            and not (word & _NO_OTHER_NEED)
            and not any(_meets(word, e) for e in excluded)
            and not (i < len(meaning) and any(meaning[i] & e for e in excluded))
            and any(_meets(word, o) for o in own)
            for i, word in enumerate(said)
        )

    def _not_excluded(self, ranked: list[tuple[str, float]], text: str) -> list[tuple[str, float]]:
        """Rule 6: a service among the three best whose description says it does not do
        what the message asks, and which names none of its other needs, falls back
        (``excluded_factor``)."""
        factor = self.thresholds.excluded_factor
        if not self._exclusions or factor >= 1 or not ranked:
            return ranked
        said, meaning = _said_words(text), _said_meaning(text)
        whose = _whose_words(text) + _acts_said(text)
        fallen = set()
        for code, _ in ranked[:3]:
            hits = self._excluded_hits(code, meaning)
            if hits and (
                self._restricts(code, hits, meaning)
                or not self._names_other_need(code, said, hits, whose, meaning)
            ):
                fallen.add(code)
        if not fallen:
            return ranked
        # (a stable sort: a service an earlier rule put first at the same score stays so)
        return sorted(
            ((code, score * factor if code in fallen else score) for code, score in ranked),
            key=lambda p: -p[1],
        )

    def _wants_excluded(self, text: str, ranked: Sequence[Match]) -> bool:
        """Rule 6 by the thing wished for: the thing a message asks for by name right
        after its wish ("behöver nya skyddsskor till köket, storlek 42") is one the best
        service says it does not do, in the same words, and no other service offers it --
        however well the rest of the message (the size, the kitchen) fits that service."""
        wanted = _wanted_words(text)
        if not wanted or not ranked or self.thresholds.excluded_factor >= 1:
            return False
        return any(
            not offered and len(item) == 1 and _item_exactly_in(item, wanted)
            for item, offered in self._exclusions.get(ranked[0].code, ())
        )

    def _refused(self, evidence: Evidence, ranked: Sequence[Match]) -> bool:
        """Rule 6: the message asks for a thing a service of this catalogue says it does not
        do and no other service offers ("Boka hotell i Stockholm" where travel says
        "Hotell … ingår inte"), and the best service names none of its other needs."""
        t = self.thresholds
        if not self._exclusions or not ranked or ranked[0].score >= t.strong:
            return False
        if t.excluded_factor >= 1:
            return False
        said, meaning = _said_words(evidence.text), _said_meaning(evidence.text)
        # Only a service the message is read near says what the words mean: "lysrör" that
        # scrap collection will not take is no refusal of a flickering tube in a corridor.
        near = {m.code for m in ranked[:3]}
        # ... and so does one that was among them until rule 6 let it fall for the very
        # thing asked for ("björken … behöver fällas" where grounds care says "Trädfällning
        # ingår inte")
        # (not a service far behind: scrap collection that will not take "lysrör" is
        # no refusal of a tube that blinks)
        third = ranked[min(2, len(ranked) - 1)].score
        least = max(third, t.fallen_near * ranked[0].score)
        near |= {
            m.code for m in ranked[3:8]
            if m.score / t.excluded_factor >= least and self._excluded_hits(m.code, meaning)
        }  # fmt: skip
        # (what is wrong alone is no thing refused: "… och som har gått sönder har en egen
        # tjänst" refuses no pair of work trousers "gått sönder")
        near_hits = {
            code: self._excluded_hits(code, meaning) for code in self._exclusions if code in near
        }
        hits = [
            hit for code_hits in near_hits.values() for hit in code_hits
            if not hit[1] and not all(w & _STATE_OR_FRAMING for w in hit[0])
        ]  # fmt: skip
        best_hits = [h for h in near_hits.get(ranked[0].code, ()) if not h[1]]
        if self._restricts(ranked[0].code, best_hits, meaning):
            return True  # "möss i sin lägenhet" where pests "gäller inte brukares bostäder"
        whose = _whose_words(evidence.text) + _acts_said(evidence.text)
        return bool(hits) and not self._names_other_need(ranked[0].code, said, hits, whose, meaning)

    def _restricts(
        self, code: str, hits: Sequence[tuple[tuple[_Word, ...], bool]], said: Sequence[_Word]
    ) -> bool:
        """Whether an excluded thing asked for only says whose or where the service's own
        thing is ("Gäller inte hemtjänstbrukares egna bostäder", "Boendes privata tvätt
        ingår inte"): then the service's own words in the message ("möss", "tvätta")
        are no other need of it -- the exclusion is of the very thing, at that place."""
        own = self._positive.get(code, [])
        # (whose, said by a word of whose: "en brukare" is a "hemtjänstbrukare", but "8
        # personer" is no "privatpersoner")
        return any(
            any(_owner_word(w) for w in item)
            and all(
                any(w & x or (_owner_word(x) and _meets(w, x)) for x in said)
                if _owner_word(w)
                else any(_meets(w, o) for o in own)
                for w in item
            )
            for item, _ in hits
        )

    def _mended_not_new(self, ranked: list[tuple[str, float]], low: str) -> list[tuple[str, float]]:
        """``ranked`` with the best mending service first when the message wants a thing
        mended ("en kontorsstol behöver lagas", "ryggen har lossnat") and the best is an
        order of new things close behind which a service that mends is among the three
        best (``mend_window``): "Nya möbler" and "Reparation av möbler" read alike."""
        # (but a broken thing to be taken away wants no mending: "kylskåpet har gått sönder
        # och ska bort")
        wanted = bool(_WANTS_MENDED.search(low)) and not _GIVEN_AWAY.search(low)
        ranked = self._close_behind_first(ranked, self._mends_or_reports, wanted)
        # A thing that cannot be used ("det går inte att låsa dörren till
        # personalingången") is a fault to report when one of the best service's own kind
        # is close behind, unless a new one is wished for ("…, vi behöver en ny").
        cannot = bool(_CANNOT_BE_USED.search(low)) and not (
            _NEW_WISHED.search(low) or _COUNTED_NEW.search(low) or ONE_WISHED.search(low)
        )
        if not cannot or not ranked:
            return ranked
        category = self._category.get(ranked[0][0])
        same_kind = frozenset(c for c in self._faults if self._category.get(c) == category)
        return self._close_behind_first(ranked, same_kind, wanted_kind=True)

    def _new_not_mended(self, ranked: list[tuple[str, float]], low: str) -> list[tuple[str, float]]:
        """``ranked`` with the best order of things first when the message counts new things
        ("två nya skrivbord som går att höja och sänka") or wishes for one ("skulle jag
        behöva ett höj- och sänkbart skrivbord") and wants nothing mended or put
        together, the best is a service that mends, and an order that neither mends, takes
        away nor moves is among the three best within ``mend_window``: the desks' own words
        are in the mending service's description too."""
        t = self.thresholds
        if t.mend_window <= 0 or len(ranked) < 2 or ranked[0][0] not in self._mends:
            return ranked
        if not (_COUNTED_NEW.search(low) or ONE_WISHED.search(low)):
            return ranked
        if _WANTS_MENDED.search(low) or _WANTS_MOUNTED.search(low):
            return ranked
        wanted = self._close_behind(ranked, self._orders_of_things)
        return ranked if wanted is None else _put_first(ranked, wanted)

    def _taken_not_new(self, ranked: list[tuple[str, float]], low: str) -> list[tuple[str, float]]:
        """``ranked`` with the best service that takes things away first when the message
        gives things away ("fem kontorsstolar som ingen här vill ha, kan ni ta dom?") and
        the best is a service of other things close behind which one that takes away is
        among the three best (``mend_window``): "Möbelbeställning" and "Hämtning av möbler"
        read alike."""
        given = bool(_GIVEN_AWAY.search(low))
        worn = _FETCH_WORN.search(low) is not None
        moved = self._close_behind_first(ranked, self._takes_away, given)
        if moved is not ranked or not (
            (_CLEARLY_GIVEN.search(low) and ranked[0][0] in self._orders_of_things)
            # worn-out things to be fetched, whatever reads best (a fault of the things)
            or (worn and ranked[0][0] not in self._takes_away)
        ):
            return moved
        # Things given away in so many words are never an order of the same things, however
        # far behind the service that takes them is ("grejer som ska till tippen"): among
        # the five best, it goes first.
        taker = next((code for code, _ in ranked[1:5] if code in self._takes_away), None)
        return ranked if taker is None else _put_first(ranked, taker)

    def _fault_not_order(
        self, ranked: list[tuple[str, float]], low: str
    ) -> list[tuple[str, float]]:
        """``ranked`` with the best fault of the best service's category first when the
        message says that what was delivered was not what was ordered (:data:`_NOT_AS_ORDERED`)
        and the best is an order: "det som kom hade nötter i såsen, fast det skulle vara
        nötfritt" reports a wrong delivery, though "nötfritt" reads as ordering special
        diets. The fault must be among the three best; how far behind does not matter, the
        words say it outright."""
        if len(ranked) < 2 or ranked[0][0] in self._faults or not _NOT_AS_ORDERED.search(low):
            return ranked
        category = self._category.get(ranked[0][0])
        fault = next(
            (code for code, _ in ranked[1:3]
             if code in self._faults and self._category.get(code) == category),
            None,
        )  # fmt: skip
        return ranked if fault is None else _put_first(ranked, fault)

    def _missed_not_more(
        self, ranked: list[tuple[str, float]], low: str
    ) -> list[tuple[str, float]]:
        """``ranked`` with the best fault first when the message says that what should have
        been done was not (:data:`_NOT_DONE`: "ingen har städat vårt kontor på hela
        veckan"), the best is an order and a fault is among the three best within
        ``place_window``: missed cleaning, not an extra cleaning."""
        t = self.thresholds
        if len(ranked) < 2 or ranked[0][0] in self._faults or not _NOT_DONE.search(low):
            return ranked
        fault = self._close_behind(ranked, self._faults, t.place_window)
        return ranked if fault is None else _put_first(ranked, fault)

    def _named_by(self, pattern: re.Pattern[str]) -> frozenset[str]:
        """The services whose name or keywords ``pattern`` finds."""
        return frozenset(
            s.code for s in self.services
            if pattern.search(f"{s.name} {' '.join(s.keywords)}".lower())
        )  # fmt: skip

    def _thing_before_purpose(
        self, ranked: list[tuple[str, float]], low: str
    ) -> list[tuple[str, float]]:
        """``ranked`` with the service named by the thing a message opens with first, when
        the best service is named by what the thing is for ("webbkamera till mötesrummet":
        the camera ordered, not the room): the thing is, as a whole word, a keyword or a
        word of the name of one service among the three best within ``mend_window``, and
        not of the best. Not when the best is a fault or the thing is said to be wrong."""
        opened = _THING_FOR.match(low)
        if opened is None or len(ranked) < 2 or self.thresholds.mend_window <= 0:
            return ranked
        if ranked[0][0] in self._faults or _BROKEN.search(low):
            return ranked  # "lunchen till Solgården var iskall": the thing is what is wrong
        thing = fold(lemma(opened["thing"]))
        named = [
            code for code, _ in ranked[:3]
            if thing in self._own_single_words.get(code, frozenset())
        ]  # fmt: skip
        if len(named) != 1 or named[0] == ranked[0][0]:
            return ranked
        return (
            _put_first(ranked, named[0]) if self._close_behind(ranked, frozenset(named)) else ranked
        )

    def _moved_not_new(self, ranked: list[tuple[str, float]], low: str) -> list[tuple[str, float]]:
        """``ranked`` with the best moving service first when the message wants things it
        has moved ("behöver flytta två skrivbord och ett skåp tvärs över korridoren") and
        asks for nothing new, the best is an order of things close behind which a moving
        service is among the three best (``mend_window``): "Möbler" and "Intern flytt"
        read alike."""
        wanted = bool(_WANTS_MOVED.search(low)) and not _WANTS_NEW.search(low)
        # a move said outright, from one place to another ("köra över 10 kontorsstolar från
        # Norrby till Lövsta", "Flytt av hemtjänstens kontor till …"), is surer: the window
        # of a place said outright
        outright = _MOVE_SAID.search(low) is not None
        window = self.thresholds.place_window if outright else None
        return self._close_behind_first(ranked, self._moves, wanted, window)

    def _inside_or_out(self, ranked: list[tuple[str, float]], low: str) -> list[tuple[str, float]]:
        """``ranked`` with the best service done where the message says the thing is first
        ("någon har klottrat på väggen i foajén": the service for graffiti indoors, not the
        one for graffiti outdoors), when the best says the other and one that says this
        is among the three best within ``mend_window``."""
        t = self.thresholds
        inside, outside = bool(_INDOOR_PLACE.search(low)), bool(_OUTDOOR_PLACE.search(low))
        if t.mend_window <= 0 or len(ranked) < 2 or inside == outside:
            return ranked
        here, there = (self._indoors, self._outdoors) if inside else (self._outdoors, self._indoors)
        if ranked[0][0] not in there:
            return ranked
        wanted = self._close_behind(ranked, here, t.place_window)
        if wanted is None and inside:
            # "sand och grus överallt i korridoren" where the best is a service done only
            # outdoors (snow clearing and sanding): the next one not done outdoors
            others = frozenset(code for code, _ in ranked[1:3]) - self._outdoors
            wanted = self._close_behind(ranked, others, t.place_window)
        if wanted is None:
            return ranked
        # The best is done at the other place by its own description: it takes the
        # wanted one's score, so the two do not stand tied as a choice.
        return _change_places(ranked, wanted, ranked[0][0])

    def _close_behind(
        self, ranked: list[tuple[str, float]], kind: frozenset[str], window: float | None = None
    ) -> str | None:
        """The best service of ``kind`` among the second and third of ``ranked`` within
        ``window`` (``mend_window`` unless given) of the best; None when there is none."""
        top_score = ranked[0][1]
        window = self.thresholds.mend_window if window is None else window
        return next(
            (code for code, score in ranked[1:3]
             if code in kind and top_score - score <= window),
            None,
        )  # fmt: skip

    def _close_behind_first(
        self, ranked: list[tuple[str, float]], kind: frozenset[str], wanted_kind: bool,
        window: float | None = None,
    ) -> list[tuple[str, float]]:  # fmt: skip
        """``ranked`` with the best service of ``kind`` first when the message wants that
        kind (``wanted_kind``), the best is neither of it nor a fault, and one of it is
        among the three best within ``window`` (``mend_window`` unless given) of the best."""
        t = self.thresholds
        if t.mend_window <= 0 or len(ranked) < 2 or not wanted_kind:
            return ranked
        top_code = ranked[0][0]
        if top_code in kind or top_code in self._faults:
            return ranked
        wanted = self._close_behind(ranked, kind, window)
        return ranked if wanted is None else _put_first(ranked, wanted)

    def _calm_not_acute(
        self, ranked: list[tuple[str, float]], evidence: Evidence
    ) -> list[tuple[str, float]]:
        """``ranked`` with the best fault that is not acute first when the message says
        nothing urgent, the best is an acute fault, and a fault that is not is among the
        three best within ``mend_window`` and matched clearly better by the catalogue's own
        words (``calm_lexical_lead``): "på Östra skolan står en kran och droppar" names the
        ordinary fault's "kran" and "droppar", though it reads like "det sprutar vatten"."""
        t = self.thresholds
        if t.mend_window <= 0 or len(ranked) < 2 or _URGENT.search(evidence.text.lower()):
            return ranked
        top_code, top_score = ranked[0]
        if top_code not in self._faults or not self._is_acute(top_code, t.acute_hours):
            return ranked
        lexical = evidence.lexical
        calm = next(
            (code for code, score in ranked[1:3]
             if code in self._faults and not self._is_acute(code, t.acute_hours)
             and top_score - score <= t.mend_window
             and lexical.get(code, 0.0) - lexical.get(top_code, 0.0) >= t.calm_lexical_lead),
            None,
        )  # fmt: skip
        # Said calmly and in the catalogue's words, the ordinary fault is the reading, not a
        # tie to choose from ("här på stadsbiblioteket droppar kranen i personalköket" is no
        # emergency to ask about).
        return ranked if calm is None else _swap_first(ranked, calm)

    def _used_or_new(self, ranked: list[tuple[str, float]], low: str) -> list[tuple[str, float]]:
        """``ranked`` with the best service of the kind the message wants put first, when
        its three best hold both a service of things used again and another one."""
        if not self.thresholds.used_first or _GIVES_AWAY.search(low):
            return ranked
        top = [code for code, _ in ranked[:3]]
        reuse = [code for code in top if code in self._reuse]
        if not reuse or len(reuse) == len(top):
            return ranked
        if _WANTS_NEW.search(low):
            wanted = next(code for code in top if code not in self._reuse)
        elif _WANTS_USED.search(low):
            wanted = reuse[0]
        else:
            return ranked
        if wanted == top[0]:
            return ranked
        return _put_first(ranked, wanted)

    def is_acute(self, code: str) -> bool:
        """Whether a service is one of this catalogue's acute ones (see :meth:`_is_acute`)."""
        return self._is_acute(code, self.thresholds.acute_hours)

    @staticmethod
    def says_urgent(text: str) -> bool:
        """Whether a message says it is urgent or tells of an emergency (:data:`_URGENT`)."""
        return _URGENT.search(text.lower()) is not None

    def _is_acute(self, code: str, hours: float) -> bool:
        """Whether a service is one of this catalogue's acute ones: named or described as
        such, or promised within ``hours``."""
        sla = self._sla_hours.get(code)
        return code in self._acute_named or (sla is not None and sla <= hours)

    def _outcome(
        self, ranked: Sequence[Match], evidence: Evidence
    ) -> Literal["match", "choose", "none"]:
        t = self.thresholds
        if not ranked or ranked[0].score < t.choose:
            return "none"
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if ranked[0].score >= t.match and ranked[0].score - runner_up >= t.margin:
            return "match"
        if ranked[0].score - runner_up >= t.clear_margin:
            return "match"  # a modest score far ahead of everything else
        # Calibrated lexical scores saturate near 1 ("felanmälan lokalvård" against a
        # service that merely shares "felanmälan"): a clear lead in the raw scores of the
        # same service, or a clear semantic lead, decides too.
        if ranked[0].score < t.match or len(ranked) < 2:
            return "choose"
        top, sims = ranked[0].code, evidence.similarity
        raw_lead = len(evidence.raw) > 1 and _raw_lead(evidence, top)
        semantic_lead = sims is not None and (
            sims.get(top, 0.0) - sims.get(ranked[1].code, 0.0) >= t.semantic_lead
        )
        return "match" if raw_lead or semantic_lead else "choose"

    def _intents(self, evidence: Evidence) -> dict[str, float]:
        t = self.thresholds
        ranking = dict(evidence.classifier)
        semantic = evidence.semantic_intents
        if not semantic or not ranking or t.intent_head_weight <= 0:
            return ranking
        w = t.intent_head_weight
        names = set(ranking) | set(semantic)
        return {n: (1 - w) * ranking.get(n, 0.0) + w * semantic.get(n, 0.0) for n in names}

    def decide(self, evidence: Evidence) -> Interpretation:
        """Apply the decision rules (module docstring) to ``evidence``."""
        t = self.thresholds
        intents = self._intents(evidence)
        ranked = self.rank(evidence)
        outcome = self._outcome(ranked, evidence)
        if (
            outcome == "none"
            and ranked
            and ranked[0].score >= t.choose_low
            and (
                intents.get(REQUEST, 0.0) >= t.sure_request
                or (
                    max(intents, key=lambda k: intents[k], default="") == REQUEST
                    and (
                        (t.choose_own_words and self._own_words_back(evidence))
                        or self._clearly_ahead(evidence, ranked)
                    )
                )
            )
        ):
            # Clearly asking for something ("vi behöver 2 skrivbord i morgon") with a
            # middling best service: offer the candidates rather than "no service found".
            outcome = "choose"
        top = ranked[0].score if ranked else 0.0
        said = evidence.text.lower()
        if not _HANDOFF_CUE.search(said) or (
            (_PEOPLE_ADDED.search(said) or DELIVERER_CONTACT.search(said))
            and (not _EXPLICIT_HANDOFF.search(said) or _NUMBER_ASKED.search(said))
        ):
            # "bärbara datorer till nya handläggare" is not a request for a human, nor is
            # "lägg till en person" (one more at the meeting) or "kan den som ska laga det
            # ringa mig innan?" (the deliverer).
            intents = {k: v for k, v in intents.items() if k != "human_handoff"}
        best, confidence = max(intents.items(), key=lambda p: (p[1], p[0]), default=(OOS, 0.0))
        c_intent, c_conf = max(
            evidence.classifier.items(), key=lambda p: (p[1], p[0]), default=("", 0.0)
        )
        base = Interpretation(
            intent=best, confidence=round(confidence, 4), outcome=outcome,
            services=tuple(ranked[:5]), classifier_intent=c_intent,
            classifier_confidence=round(c_conf, 4), intents=intents,
        )  # fmt: skip
        low = " ".join(evidence.text.lower().split())
        bare = low.strip(" .!")
        if bare and (bare.isdigit() or word_to_int(bare) is not None):
            # "8", "åtta": an answer to a question (a score, a count), never a request.
            return replace(base, intent=INFORM, outcome="none", reason="a bare number")
        private = _PRIVATE_CUE.search(low)
        if private and ranked and self._catalogue_says(private.group(0), ranked[0].code):
            private = None  # "får man köra privat med kommunens bil?": a service's own words
        if private and _WORK_THING.search(low):
            # "har ingen täckning på arbetstelefonen, min privata funkar", "har bara privat
            # telefon och ska börja ha beredskap": the private thing is the contrast.
            private = None
        if _DEVICE_CUE.search(low) or (private and best not in CONVERSATIONAL):
            return replace(base, intent=OOS, outcome="none", reason="private or device command")
        if (
            CANCEL_LATER.search(low)
            and (low.rstrip().endswith("?") or "om " in low)
            and not re.search(r"\bsd-?\d", low)
        ):
            return replace(base, intent="help", outcome="none", reason="asks about cancelling")
        if _CANCEL_CUE.search(low):
            return replace(base, intent="cancel_ticket", outcome="none", reason="cancel cue")
        if _EXPLICIT_HANDOFF.search(low) and not (
            # ("Finns det något nummer man kan ringa och prata med någon på fastighet?" asks
            # for a number, not for a person here)
            _NUMBER_ASKED.search(low) and DELIVERER_CONTACT.search(low)
        ):
            # The service the message is about stays ranked: the escalation is routed to it.
            return replace(base, intent="human_handoff", reason="asks for a person")
        uncued = (
            (best in _TICKET_INTENTS and not _TICKET_CUE.search(low))
            or (best == "goodbye" and not _GOODBYE_CUE.search(low))
            or (
                best == "cancel_ticket"
                and outcome == "match"
                and _REMOVAL.search(low) is not None
                and not _TICKET_WORD.search(low)
            )
        )
        if uncued:
            # No word for a ticket or a farewell: the reading stands only when nothing
            # else fits, and then as a plain statement, never as a cancel or a goodbye
            # ("nej, det ska vara på torsdag istället" corrects an order).
            confidence = min(confidence, t.keep_intent - 1e-6)
        wrapped = best in _SOCIAL and outcome != "none" and _social_wrapped(low)
        if best in CONVERSATIONAL and confidence >= t.keep_intent and not wrapped:
            return replace(base, outcome="none", reason="conversational intent")
        if self._wants_excluded(evidence.text, ranked) and best in (REQUEST, INFORM, OOS):
            # Rule 6: the thing asked for is one the best service says it does not do.
            return replace(base, intent=OOS, outcome="none", reason=NO_SERVICE)
        if top >= t.strong:
            return replace(base, intent=REQUEST, confidence=round(top, 4), reason="strong match")
        elsewhere = outcome != "none" and (
            self._refused(evidence, ranked) or self._elsewhere(evidence, ranked, outcome)
        )
        if best in (REQUEST, INFORM):
            if elsewhere and best == REQUEST:
                # Rule 5: asks for a service of some other desk ("städa matsalen" in a
                # catalogue without cleaning).
                return replace(base, intent=OOS, outcome="none", reason=NO_SERVICE)
            if outcome != "none":
                # A detail-heavy order reads as "inform" to the classifier; with a service
                # candidate it is a request.
                return replace(base, intent=REQUEST, reason="request with candidates")
            if best == REQUEST:
                # Worded like a request, but nothing in this catalogue is near it: not a
                # service of this desk ("vi behöver nya kontorsstolar" in a catalogue
                # without furniture). The reply still offers the service desk.
                return replace(base, intent=OOS, reason=NO_SERVICE)
            return replace(base, reason="no service found")
        if best in CONVERSATIONAL:
            # A weak conversational reading: a service candidate wins, else it stands.
            if outcome != "none":
                if elsewhere:
                    return replace(base, intent=OOS, outcome="none", reason=NO_SERVICE)
                return replace(base, intent=REQUEST, reason="weak intent, service found")
            if uncued:
                return replace(base, intent=INFORM, reason="ticket or farewell intent, no cue")
            return replace(base, reason="weak conversational intent")
        # The classifier says out of scope (or nothing). A confident "out of scope" stands
        # against anything short of a strong match; a hesitant one yields to a candidate.
        oos_confidence = intents.get(OOS, 0.0)
        stands = t.keep_oos_match if outcome == "match" else t.keep_oos
        asked = _SERVICE_QUESTION.search(low) is not None
        at_work = (
            outcome == "match"
            and top >= t.work_match
            and self._own_words_back(evidence)
            and (
                _AT_WORK.search(low) is not None
                or asked
                or evidence.semantic_intents.get(REQUEST, 0.0) >= t.semantic_request
            )
        )
        # "elementet i mitt rum är iskallt": a thing said not to work, with one clear fault
        # service backed by the catalogue's own words, is a fault report at work.
        # ... and so is a thing come loose or broken with one clear service that mends
        # such things ("ryggen på min kontorsstol lossnade, kan nån fixa den").
        broken = (
            outcome == "match"
            and top >= t.broken_match
            and (
                (ranked[0].code in self._faults and _BROKEN.search(low) is not None)
                or (ranked[0].code in self._mends and _WANTS_MENDED.search(low) is not None)
            )
            and self._own_words_back(evidence)
        )
        # One service far ahead of all the others, and the embeddings hear a request.
        clear = (
            outcome == "match"
            and top >= t.clear_top
            and top - (ranked[1].score if len(ranked) > 1 else 0.0) >= t.clear_lead
            and evidence.semantic_intents.get(REQUEST, 0.0) >= t.clear_request
            # "hur putsar man fönster hemma …": asks for advice, not for the service.
            and not _HOW_ONE_DOES.search(low)
        )
        if at_work or broken or clear:
            stands = max(stands, t.keep_oos_at_work)
            if asked:
                # "vad kostar det att hyra stora salen …?" with the catalogue's own words
                # behind one service: asked about that service, however sure "out of scope".
                stands = max(stands, t.keep_oos_asked)
        if (
            outcome == "match"
            and _URGENT.search(low) is not None
            and self._is_acute(ranked[0].code, t.acute_hours)
        ):
            # "det forsar vatten ur ett rör under diskbänken": a danger that this
            # catalogue's acute service is for reaches it however sure "out of scope" is.
            stands = max(stands, t.keep_oos_urgent)
        if outcome != "none" and oos_confidence < stands:
            if elsewhere:
                return replace(base, intent=OOS, outcome="none", reason=NO_SERVICE)
            return replace(base, intent=REQUEST, reason="service found despite out of scope")
        return replace(base, intent=OOS, outcome="none", reason="out of scope, no service")

    def _elsewhere(
        self, evidence: Evidence, ranked: Sequence[Match], outcome: Literal["match", "choose"]
    ) -> bool:
        """Rule 5: whether the request is nearer a background service than this catalogue
        (``outcome`` is what the ranking decided: one clear service needs a wider lead)."""
        t = self.thresholds
        near = evidence.background
        examples = evidence.rule5_examples
        if not near or not ranked or not examples or t.background_margin > 1:
            return False
        if ranked[0].score >= t.strong:
            return False
        if self._wanted_elsewhere(evidence.text):
            return True
        if self._described_by(evidence.text, ranked[0].code):
            return False
        kept = self.background_overlap < t.background_overlap
        if self._words_elsewhere(evidence, kept, outcome):
            return True
        if self._own_words_back(evidence):
            return False
        values = np.asarray(near, dtype=np.float32)[kept]
        if not values.size:
            return False
        # One clear service of this catalogue needs a wider lead to be set aside.
        extra = t.background_clear_extra if outcome == "match" else 0.0
        if float(values.max()) - max(examples.values()) < t.background_margin + extra:
            return False
        # The passages must agree: nearer a background service's description too.
        passages = evidence.background_similarity
        if t.background_passage_margin > 1 or not passages or not evidence.similarity:
            return True
        best = float(np.asarray(passages, dtype=np.float32)[kept].max())
        return best - max(evidence.similarity.values()) >= t.background_passage_margin + extra

    def _wanted_elsewhere(self, text: str) -> bool:
        """Rule 5 by the thing wished for: the thing a message asks for by name right after
        its wish ("boka hotell i Göteborg …") is a keyword of a background service unlike
        any of this catalogue's, and no word of this catalogue names it (also as the end
        of a compound): what else the message says ("till konferensen") is the occasion."""
        thing = _wanted_thing(text)
        if thing is None or fold(lemma(thing)) not in self._things_elsewhere:
            return False
        said = _wanted_words(text)
        return bool(said) and not any(
            _meets(said[0], word) for words in self._positive.values() for word in words
        )

    def _clearly_ahead(self, evidence: Evidence, ranked: Sequence[Match]) -> bool:
        """Whether the best service leads the runner-up by ``request_lead`` and the
        embeddings agree (it is also the nearest service by meaning, when they read)."""
        lead = ranked[0].score - (ranked[1].score if len(ranked) > 1 else 0.0)
        if lead < self.thresholds.request_lead:
            return False
        near = evidence.similarity
        return not near or max(near, key=lambda c: near[c]) == ranked[0].code

    def _described_by(self, text: str, code: str) -> bool:
        """Whether a word of what the message needs (five letters or more, no stop word, no
        word that only frames a request) is one that service ``code`` names: in its name,
        its keywords or the things its description lists. "behöver fönsterputs på våning
        2" and "Extra städning: … storstädning, golvvård, fönsterputs …": the catalogue
        says it does that, however near another desk's window-cleaning service is."""
        words = self._description_words.get(code)
        if words is None:
            service = next((s for s in self.services if s.code == code), None)
            named = (
                [service.name, *service.keywords, *embeddings.listed_items(service.description)]
                if service
                else []
            )
            words = frozenset(lemma(w) for w in tokens(" ".join(named)) if len(w) >= 5)
            # ... and a four-letter word the service names itself by, in its name or a
            # keyword ("fika", "bära"): a short word of a description's list is too loose
            own = [service.name, *service.keywords] if service else []
            words |= frozenset(
                lemma(w) for w in tokens(" ".join(own)) if len(w) == 4 and w not in stop_words()
            )
            self._description_words[code] = words
        stop = stop_words()
        # ... in its own word or, for a thing, one that means the same ("lysrör" for
        # "trasig belysning"; a state, "ostädat", says no service's thing)
        return any(
            (len(w) >= 5 or (len(w) == 4 and lemma(w) in words))
            and w not in stop
            and lemma(w) not in _FRAMING
            and (
                lemma(w) in words
                or (
                    not _STATE_FORM.search(lemma(w)) and any(s in words for s in synonyms(lemma(w)))
                )
            )
            for w in tokens(_need_words(text))
        )

    def _own_words_back(self, evidence: Evidence) -> bool:
        """Whether the catalogue's own words back the request (a lexical score of
        ``lexical_floor_min`` or more)."""
        lexical = evidence.lexical
        return bool(lexical) and max(lexical.values()) >= self.thresholds.lexical_floor_min

    def _words_elsewhere(
        self, evidence: Evidence, kept: np.ndarray, outcome: str = "match"
    ) -> bool:
        """Rule 5 by words: the message's words belong to one background service (in one
        index over both, its score is strong and this catalogue's best is clearly behind
        and short of strong: "boka tågresa" against a catalogue whose only "boka" is a
        room), and the embeddings agree on that same service: it is among the two
        nearest background services by examples, and no further than
        ``background_words_margin`` / ``background_words_passage`` from this catalogue's
        best."""
        t = self.thresholds
        joint, near, passages = (
            evidence.joint_lexical,
            evidence.background,
            evidence.background_similarity,
        )
        if joint is None or near is None or passages is None or t.background_words > 1:
            return False
        background, own, position = joint
        needed = (
            t.background_words_alone if own <= 0 and outcome == "choose" else t.background_words
        )
        if position < 0 or not (
            calibrate(background) >= needed
            and calibrate(own) < t.background_words
            and own <= RAW_LEAD_RATIO * background
        ):
            return False
        narrowed = _need_words(evidence.text)
        if narrowed != evidence.text and self._joint is not None:
            # The words said of the need itself (not who needs it, nor where) must belong
            # to that service too: "Vaktmästarna behöver vinteroveraller" asks for work
            # clothes, not for the caretakers' service.
            pairs = self._joint.candidates(narrowed)
            elsewhere = max((v for c, v in pairs if c.startswith(_BACKGROUND_PREFIX)), default=0.0)
            own_said = max(
                (v for c, v in pairs if not c.startswith(_BACKGROUND_PREFIX)), default=0.0
            )
            if not (calibrate(elsewhere) >= needed and own_said <= RAW_LEAD_RATIO * elsewhere):
                return False
        nearest = np.where(kept, np.asarray(near, dtype=np.float32), -1.0).argsort()[::-1][:2]
        return (
            position in nearest
            and (examples := evidence.rule5_examples) is not None
            and evidence.similarity is not None
            and near[position] - max(examples.values()) >= t.background_words_margin
            and passages[position] - max(evidence.similarity.values()) >= t.background_words_passage
        )

    def _catalogue_says(self, words: str, code: str) -> bool:
        """Whether a service's own name or keywords use one of ``words`` (as a word or the
        start of one: "privat" in "privat körning")."""
        service = next((s for s in self.services if s.code == code), None)
        if service is None:
            return False
        own = fold(" ".join([service.name, *service.keywords]).lower()).split()
        return any(
            any(w.startswith(word) for w in own)
            for word in fold(words.lower()).split()
            if len(word) >= 4
        )

    def interpret(self, text: str, parse: Mapping[str, Any] | None = None) -> Interpretation:
        """Interpret one message given Rasa's parse of it (``intent``, ``intent_ranking``).

        When the parse already carries this step's reading of the same text (Rasa's
        pipeline ran the step: :data:`RECORD_KEY`) and every service it names is in this
        catalogue, that reading is the answer: the sentence embedding and the matcher are
        not computed a second time in the action server.
        """
        record = (parse or {}).get(RECORD_KEY)
        if isinstance(record, Mapping) and record.get("text") == text:
            try:
                reading = Interpretation.from_record(record)
            except (KeyError, TypeError, ValueError):
                reading = None
            known = {s.code for s in self.services}
            if reading is not None and all(m.code in known for m in reading.services):
                return reading
        return self.decide(self.gather(text, parse))
