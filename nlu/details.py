"""Swedish details for order forms: dates, times, quantities and places.

All functions are pure; "now" is injected (Europe/Stockholm). Conventions:
- a weekday ("på torsdag") is its next occurrence after today; today itself is
  excluded because people say "idag" for today. "nästa torsdag" is the Thursday of
  next calendar week.
- "nästa vecka" is Monday of next week, flagged ``approximate``.
- a day and month without a year ("12 mars", "12/3") that has passed this year means
  next year (like dateparser's PREFER_DATES_FROM=future); explicit past dates are
  returned with ``in_past=True`` so the form can ask again.
- an hour 1-6 said in words ("halv tre", "klockan två") means the afternoon.

``extract_details`` reads a person's whole first message and prefills what it states
plainly: a place ("i kommunhuset, sal B", "till matsalen på Solgården"), a destination
("tåg till Malmö"), a day or a range of days ("3–5 maj", "hem dagen efter"), a clock
time and a count of people or things. It prefers leaving a field empty to guessing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from nlu._numbers import word_to_int

__all__ = [
    "DateResult", "QuantityResult", "TimeResult", "confirmation", "extract_details",
    "is_place_word", "names_building", "parse_date", "parse_day", "parse_day_been",
    "parse_quantity", "parse_time",
]  # fmt: skip

TZ = ZoneInfo("Europe/Stockholm")
MAX_QUANTITY = 10_000
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
    "september", "oktober", "november", "december",
)  # fmt: skip
_MONTH_RE = "|".join(m[:3] + r"\w*" for m in MONTHS)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?::?e|:a)?\s+({_MONTH_RE})\.?(?:\s+(\d{{4}}))?\b")
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_SLASH = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:[/ -](\d{4}|\d{2}))?\b")
_DAY_ONLY = re.compile(r"\bden\s+(\d{1,2})(?::?e|:a)?\b(?!\s*(?:/|\d|\.\d))")
_RELATIVE = (
    ("övermorgon", 2), (r"i\s?morgon|imorgon|i\s?morr?n", 1), (r"i\s?dag|idag", 0),
)  # fmt: skip
# "om två veckor på måndag", "på fredag om en vecka", "veckan efter nästa på onsdag": the
# weekday in a later week.
_WEEK_AFTER_NEXT = re.compile(r"\bveckan\s+efter\s+nästa\b")
_ISO_WEEK = re.compile(r"\b(?:v\.?|vecka|veckan)\s*(\d{1,2})\b")
# "första måndagen i januari", "sista fredagen i december".
_NTH_WEEKDAY = re.compile(
    rf"\b(första|andra|tredje|fjärde|sista)\s+({'|'.join(WEEKDAYS)})(?:en)?\s+i\s+"
    rf"({'|'.join(MONTHS)})\b"
)
_ORDINALS = ("första", "andra", "tredje", "fjärde")
_WEEKDAY = re.compile(rf"\b(nästa\s+)?({'|'.join(WEEKDAYS)})(?:en)?\b")

_CLOCK = r"(?:kl\.?|klockan)"
_HM = r"(\d{1,2})(?:[:.](\d{2}))?"
_RANGE = re.compile(rf"(?:{_CLOCK}\s*|mellan\s+)?\b{_HM}\s*(?:-|–|till|och)\s*{_HM}\b")
_AT = re.compile(rf"{_CLOCK}\s*{_HM}\b|\b(\d{{1,2}})[:](\d{{2}})\b")
# "klockan ska vara 12", "tiden blir halv tre": a clock said as what the time is to be.
_CLOCK_SAID = re.compile(
    r"\b(?:klockan|tiden)\s+(?:ska\s+(?:vara|va|bli)|blir|är|kan\s+vara|ändras\s+till)\s+"
    r"(?=\d|halv\b|kvart\b|[a-zåäö]+\s*(?:$|[,.!?]))"
)
_WORD_TIME = re.compile(rf"(?:{_CLOCK}\s+)?\b(halv\s+)?([a-zåäö]+)\b")
_HALF_DIGIT = re.compile(r"\bhalv\s+(1?\d|2[0-4])\b(?![:.]\d)")

_APPROX = re.compile(
    r"\b(ca\.?|cirka|runt|ungefär|omkring|kring|typ|max|uppåt|kanske|drygt|knappt|nästan)\s*$"
)
_APPROX_AFTER = re.compile(
    r"^(?:-?ish|\s*(?:personer|pers|st|stycken|deltagare)?\s*(?:ungefär|cirka|ca|typ|ish"
    r"|eller så|plus minus|kanske)\b)"
)
_QTY_RANGE = re.compile(r"\b(\d+)\s*(?:-|–|till|à|eller)\s*(\d+)\b")
_QTY = re.compile(r"(-?\d+)(?:\s*-?tal)?|\b([a-zåäö]+?)(tal)?\b")


@dataclass(frozen=True)
class DateResult:
    """A parsed date; ``approximate`` for vague forms, ``in_past`` if before today."""

    value: date
    in_past: bool = False
    approximate: bool = False


@dataclass(frozen=True)
class TimeResult:
    """A time or a time range; ``valid`` is False for impossible times ("kl 25")."""

    start: time | None
    end: time | None = None
    valid: bool = True

    def as_text(self) -> str:
        """ "HH:MM" or "HH:MM-HH:MM"."""
        start = self.start.strftime("%H:%M") if self.start else ""
        return f"{start}-{self.end.strftime('%H:%M')}" if self.end else start


@dataclass(frozen=True)
class QuantityResult:
    """A count; ``approximate`` for "ca 20"/"ett tjugotal", ``valid`` False if <=0 or absurd."""

    value: int
    approximate: bool = False
    valid: bool = True


def _today(now: datetime) -> date:
    return (now.astimezone(TZ) if now.tzinfo else now.replace(tzinfo=TZ)).date()


def _result(value: date, today: date, approximate: bool = False) -> DateResult:
    return DateResult(value, in_past=value < today, approximate=approximate)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_month(day: int, month: int, year: int | None, today: date) -> DateResult | None:
    if year is not None:
        year = year + 2000 if year < 100 else year
        found = _safe_date(year, month, day)
        return _result(found, today) if found else None
    found = _safe_date(today.year, month, day)
    if found is not None and found < today:
        found = _safe_date(today.year + 1, month, day)
    return _result(found, today) if found else None


def _month_number(name: str) -> int:
    return next(i for i, m in enumerate(MONTHS, 1) if name.startswith(m[:3]))


def _explicit_date(text: str, today: date) -> DateResult | None:
    if m := _ISO.search(text):
        found = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return _result(found, today) if found else None
    if m := _DAY_MONTH.search(text):
        year = int(m[3]) if m[3] else None
        return _day_month(int(m[1]), _month_number(m[2]), year, today)
    if m := _SLASH.search(text):
        return _day_month(int(m[1]), int(m[2]), int(m[3]) if m[3] else None, today)
    if m := _DAY_ONLY.search(text):
        found = _safe_date(today.year, today.month, int(m[1]))
        if found is not None and found < today:
            nxt = today.replace(day=1) + timedelta(days=32)
            found = _safe_date(nxt.year, nxt.month, int(m[1]))
        return _result(found, today) if found else None
    return None


_IN_SPAN = re.compile(r"\bom\s+(\d{1,3}|[a-zåäö]+)\s+(dagar|dag|veckor|vecka|månader|månad)\b")


_SPAN_LAST = re.compile(_IN_SPAN.pattern + r"[\s.!?]*$")


def _span_count(m: re.Match[str]) -> int | None:
    """How many days, weeks or months a span ("om tre veckor") says."""
    return int(m[1]) if m[1].isdigit() else word_to_int(m[1])


def _in_span(text: str, today: date) -> DateResult | None:
    """ "om tre veckor", "om 10 dagar", "om en månad": that many days or weeks ahead."""
    m = _IN_SPAN.search(text)
    if m is None:
        return None
    count = _span_count(m)
    if count is None or not 0 < count <= 366:
        return None
    if m[2].startswith("dag"):
        return _result(today + timedelta(days=count), today)
    if m[2].startswith("veck"):
        return _result(today + timedelta(weeks=count), today)
    month = today.month - 1 + count
    year, month = today.year + month // 12, month % 12 + 1
    found = _safe_date(year, month, today.day) or _safe_date(year, month, 28)
    return _result(found, today) if found else None


def _relative_date(text: str, today: date) -> DateResult | None:
    for pattern, days in _RELATIVE:
        if re.search(rf"\b(?:i\s+)?(?:{pattern})\b", text):
            return _result(today + timedelta(days=days), today)
    monday_next = today + timedelta(days=7 - today.weekday())
    if nth := _NTH_WEEKDAY.search(text):
        return _nth_weekday(nth, today)
    if m := _WEEKDAY.search(text):
        wanted = WEEKDAYS.index(m[2])
        later = _later_week(text, today, wanted)
        if later is not None:
            return _result(later, today)
        if m[1] or re.search(r"\bnästa\s+vecka\b", text):
            return _result(monday_next + timedelta(days=wanted), today)
        ahead = (wanted - today.weekday()) % 7 or 7
        return _result(today + timedelta(days=ahead), today)
    if re.search(r"\bnästa\s+vecka\b", text):
        return _result(monday_next, today, approximate=True)
    return None


def _later_week(text: str, today: date, weekday: int) -> date | None:
    """The weekday in the week a phrase names: "om två veckor", "veckan efter nästa",
    "vecka 51" (this year's, or next year's once it has passed); None without one."""
    monday = today - timedelta(days=today.weekday())
    if _WEEK_AFTER_NEXT.search(text):
        return monday + timedelta(weeks=2, days=weekday)
    for span in _IN_SPAN.finditer(text):
        if span[2].startswith("veck"):
            weeks = _span_count(span)
            if weeks is not None and 0 < weeks <= 52:
                return monday + timedelta(weeks=weeks, days=weekday)
            break
    if iso := _ISO_WEEK.search(text):
        week = int(iso[1])
        if 1 <= week <= 53:
            for year in (today.year, today.year + 1):
                try:
                    day = date.fromisocalendar(year, week, weekday + 1)
                except ValueError:
                    continue
                if day >= today:
                    return day
    return None


def _nth_weekday(m: re.Match[str], today: date) -> DateResult | None:
    """ "första måndagen i januari": that weekday of the month, this year or next."""
    weekday, month = WEEKDAYS.index(m[2]), MONTHS.index(m[3]) + 1
    for year in (today.year, today.year + 1):
        days = [
            date(year, month, d)
            for d in range(1, 32)
            if _safe_date(year, month, d) is not None and date(year, month, d).weekday() == weekday
        ]
        day = days[-1] if m[1] == "sista" else days[_ORDINALS.index(m[1])]
        if day >= today:
            return _result(day, today)
    return None


def parse_day(text: str, now: datetime) -> DateResult | None:
    """A day the text names outright ("i morgon", "på fredag", "den 4/12"), never a guess:
    no span and no dateparser, which reads a clock time ("14:00", "13-15") as a date."""
    low = text.lower()
    today = _today(now)
    return _explicit_date(low, today) or _relative_date(low, today)


# The day something happened (a fault's day): "i dag", "i morse", "i går", "i förrgår",
# "i fredags" (the last Friday before today).
_BEEN_TODAY = re.compile(
    r"\b(?:i\s?dag|idag|i\s?morse|i\s?förmiddags|i\s?eftermiddags|i\s?eftermiddag|i\s?kväll"
    r"|i\s?natt|nyss|just\s+nu)\b"
)
_YESTERDAY = re.compile(r"\b(?:i\s?går|igår)\b")
_BEFORE_YESTERDAY = re.compile(r"\bi\s?förrgår\b")
_LAST_WEEKDAY = re.compile(rf"\bi\s+({'|'.join(WEEKDAYS)})s\b")


def parse_day_been(text: str, now: datetime) -> DateResult | None:
    """The day something happened, read backwards in time as a fault report means it:
    "i går", "i förrgår", "i fredags", "i morse", "den 3 december" (this year's when that
    has been, not next year's), "den 5" (this month's, else last month's). A day still to
    come ("på fredag") is returned as it is, after today, so the form can say that it has
    not been yet; "förra veckan" is approximate."""
    low = text.lower()
    today = _today(now)
    # The day said first is the one it happened ("… till lunchen i dag, och dessutom var
    # matsalen inte städad, det låg mat kvar sen i går": today).
    said: list[tuple[int, DateResult]] = []
    if m := _BEFORE_YESTERDAY.search(low):
        said.append((m.start(), _result(today - timedelta(days=2), today)))
    if m := _YESTERDAY.search(low):
        said.append((m.start(), _result(today - timedelta(days=1), today)))
    if m := _LAST_WEEKDAY.search(low):
        back = (today.weekday() - WEEKDAYS.index(m[1])) % 7 or 7
        said.append((m.start(), _result(today - timedelta(days=back), today)))
    if m := re.search(r"\bförra\s+veckan\b", low):
        last_week = today - timedelta(days=today.weekday() + 7)
        said.append((m.start(), _result(last_week, today, approximate=True)))
    if m := _BEEN_TODAY.search(low):
        said.append((m.start(), _result(today, today)))
    if said:
        return min(said, key=lambda found: found[0])[1]
    explicit = _explicit_date(low, today)
    if explicit is not None and explicit.value > today and not _said_year(low):
        earlier = _earlier(explicit.value, low)
        if earlier is not None and earlier <= today:
            return _result(earlier, today)
    if explicit is not None:
        return explicit
    return parse_date(text, now)


def _said_year(low: str) -> bool:
    return bool(re.search(r"\b20\d\d\b", low) or re.search(r"/\d{1,2}[/ -]\d{2}\b", low))


def _earlier(value: date, low: str) -> date | None:
    """The same day one step back: last year's for a day and month, last month's for a
    day of the month alone."""
    if _DAY_MONTH.search(low) or _SLASH.search(low):
        return _safe_date(value.year - 1, value.month, value.day)
    first = value.replace(day=1) - timedelta(days=1)  # the month before
    return _safe_date(first.year, first.month, value.day)


def parse_date(text: str, now: datetime, *, spans: bool = True) -> DateResult | None:
    """A date in Swedish text: relative words, weekdays, "12 mars", "12/3", ISO."""
    low = text.lower()
    today = _today(now)
    bare = low.strip(" .!")
    if bare.isdigit():
        # "15" is a day of the month ("den 15"), never a year (dateparser read 2115).
        return parse_date(f"den {int(bare)}", now) if 1 <= int(bare) <= 31 else None
    if any(p.search(low) for p in (_ISO, _DAY_MONTH, _SLASH)):
        return _explicit_date(low, today)  # an impossible date ("31/2") stays None
    # A span ("om tre veckor") answers the date question; in a first message it is often
    # about something else ("vi flyttar om tre veckor"), so ``spans`` is off there.
    found = _explicit_date(low, today) or _relative_date(low, today)
    if found is None and spans:
        found = _in_span(low, today)
    if found is None and len(low.split()) <= 4:
        found = _dateparser(low, now, today)
    return found


def _dateparser(text: str, now: datetime, today: date) -> DateResult | None:
    """Fallback for short answers the rules miss (dateparser's Swedish is uneven)."""
    try:
        import dateparser
    except ImportError:  # pragma: no cover - optional at run time
        return None
    base = now.astimezone(TZ).replace(tzinfo=None) if now.tzinfo else now
    settings = {
        "PREFER_DATES_FROM": "future", "TIMEZONE": "Europe/Stockholm",
        "RELATIVE_BASE": base, "PREFER_DAY_OF_MONTH": "first",
    }  # fmt: skip
    parsed = dateparser.parse(text, languages=["sv"], settings=settings)
    if parsed is None or (parsed.year > today.year + 2 and not re.search(r"\b\d{4}\b", text)):
        return None  # a year nobody said
    return _result(parsed.date(), today)


def _clock(hour: int, minute: int) -> time | None:
    return time(hour % 24, minute) if 0 <= hour <= 24 and 0 <= minute < 60 else None


def parse_time(text: str) -> TimeResult | None:
    """A clock time or range: "kl 10", "kl. 13.30", "10:15", "13-15", "halv tre"."""
    # "halv 8 till 16": half past seven, as a clock the range rule reads.
    low = _CLOCK_SAID.sub("kl ", text.lower())
    low = _HALF_DIGIT.sub(lambda h: f"{(int(h[1]) - 1) % 24}:30", low)
    m = _RANGE.search(low)
    if m and (re.search(rf"{_CLOCK}|mellan", low[: m.end()]) or low.strip() == m[0].strip()):
        start, end = _clock(int(m[1]), int(m[2] or 0)), _clock(int(m[3]), int(m[4] or 0))
        return TimeResult(start, end) if start and end else TimeResult(None, None, False)
    if m := _AT.search(low):
        hour, minute = (m[1], m[2]) if m[1] else (m[3], m[4])
        start = _clock(int(hour), int(minute or 0))
        return TimeResult(start) if start else TimeResult(None, None, False)
    if _LUNCH.search(low):
        return TimeResult(time(12, 0))
    return _minutes_to(low) or _word_time(low) or _near_time(low) or _day_part_time(low)


# "vid lunch", "runt lunchtid": noon.
_LUNCH = re.compile(
    r"\b(?:vid|runt|framåt|strax före) lunch(?:en|tid|tiden)?\b|\blunchtid(?:en)?\b"
)


# "maten ska va där vid tolv", "runt 14 på fredag": an hour after "vid"/"runt" that ends
# the clause (not "vid två bord").
_NEAR_HOUR = re.compile(
    r"\b(?:vid|runt|framåt|senast|strax efter|strax före)\s+(?:kl\.?\s*|klockan\s+)?"
    r"(\d{1,2}|[a-zåäö]+)(?:[.:](\d{2}))?(?:-?tiden)?"
    r"(?=\s*(?:$|[,.!?;]|på\b|i\b|den\b|och\b|så\b|tack\b|nästa\b|idag\b|i morgon\b|imorgon\b))"
)


# "åtta på morgonen", "tre på eftermiddagen", "mellan nio och elva": hours in words.
_DAY_PART = re.compile(
    r"\b(\d{1,2}|[a-zåäö]+)\s+(?:på|i)\s+(morgonen|förmiddagen|eftermiddagen|kvällen|"
    r"morgon|förmiddag|eftermiddag|kväll)\b"
)
_WORD_RANGE = re.compile(r"\b(?:mellan|från)\s+([a-zåäö]+)\s+(?:och|till)\s+([a-zåäö]+)\b")


def _day_part_time(low: str) -> TimeResult | None:
    if m := _DAY_PART.search(low):
        hour = int(m[1]) if m[1].isdigit() else word_to_int(m[1])
        if hour is not None and 1 <= hour <= 12:
            later = m[2].startswith(("efter", "kväll"))
            return TimeResult(time(hour + 12 if later and hour < 12 else hour, 0))
    if m := _WORD_RANGE.search(low):
        first, last = word_to_int(m[1]), word_to_int(m[2])
        if first is not None and last is not None and 1 <= first <= 12 and 1 <= last <= 12:
            start = _afternoon(first)
            end = last + 12 if last <= 6 or last < first else last
            if start < end:
                return TimeResult(time(start, 0), time(end, 0))
    return None


def _near_time(low: str) -> TimeResult | None:
    for m in _NEAR_HOUR.finditer(low):
        if m[1].isdigit():
            hour = _work_hour(m[1])
        else:
            said = word_to_int(m[1])
            hour = _afternoon(said) if said is not None and 1 <= said <= 12 else None
        start = _clock(hour, int(m[2] or 0)) if hour is not None else None
        if start is not None and 6 <= start.hour <= 22:
            return TimeResult(start)
    return None


def _afternoon(hour: int) -> int:
    """An hour 1-12 said in words as meant at work: 1-6 is the afternoon ("halv tre")."""
    return hour + 12 if hour <= 6 else hour


def _word_time(low: str) -> TimeResult | None:
    for m in _WORD_TIME.finditer(low):
        hour = word_to_int(m[2])
        said_clock = m[0].startswith("kl")
        if hour is None or not (m[1] or said_clock) or not 1 <= hour <= 12:
            continue
        hour = _afternoon(hour)
        return TimeResult(time(hour - 1, 30) if m[1] else time(hour, 0))
    return None


def parse_quantity(text: str) -> QuantityResult | None:
    """A count: "15 personer", "ca 20", "tjugofem", "ett tjugotal" (approximate)."""
    low = text.lower()
    if m := _QTY_RANGE.search(low):  # "10-12": plan for the upper end, but ask
        high = max(int(m[1]), int(m[2]))
        return QuantityResult(high, approximate=True, valid=0 < high <= MAX_QUANTITY)
    found: list[QuantityResult] = []
    for m in _QTY.finditer(low):
        value = int(m[1]) if m[1] else word_to_int(m[2] or "")
        if value is None:
            continue
        approximate = (
            bool(_APPROX.search(low[: m.start()]) or _APPROX_AFTER.match(low[m.end() :]))
            or "tal" in m[0]
        )
        found.append(QuantityResult(value, approximate, valid=0 < value <= MAX_QUANTITY))
        if m[2] not in ("en", "ett"):  # "ett tjugotal": the article is not the count
            return found[-1]
    return found[0] if found else None


_YES = re.compile(
    r"^(?:ja|japp|jepp|jo|jajamen|absolut|precis|stämmer|det stämmer|ok|okej|visst|korrekt)\b"
)
_NO = re.compile(r"^(?:nej|nä|nää|nope|inte riktigt|det stämmer inte)\b")


def confirmation(text: str) -> bool | None:
    """True for a yes ("ja", "stämmer"), False for a no ("nej"), None for anything else."""
    low = " ".join(re.findall(r"[^\W_]+", text.lower()))
    if _NO.match(low):
        return False
    if _YES.match(low):
        return True
    return None


# --------------------------------------------------------------------------------------
# First messages. ``extract_details`` reads a whole message, where numbers, dates and
# place words stand among other things, so every rule below prefers leaving a field
# empty (the form asks) to guessing: a wrong prefill is worse than a question.

_WD = "|".join(WEEKDAYS)
_DASH = r"(?:-|–|—)"
_ORD = r"(?::?e|:a)?"
_MON = rf"({_MONTH_RE})\.?"
_YEAR = r"(?:\s+(\d{4}))?"
_TO = rf"(?:\s*{_DASH}\s*|\s+till(?:\s+och\s+med)?\s+|\s+t\.?\s?o\.?\s?m\.?\s+)"
_DAY_RANGE = re.compile(
    rf"\b(?:från\s+)?(?:den\s+)?(\d{{1,2}}){_ORD}{_TO}(?:den\s+)?(\d{{1,2}}){_ORD}\s+{_MON}{_YEAR}"
)
_BETWEEN_DAYS = re.compile(
    rf"\bmellan\s+(?:den\s+)?(\d{{1,2}}){_ORD}\s+och\s+(?:den\s+)?(\d{{1,2}}){_ORD}\s+{_MON}{_YEAR}"
)
_MONTH_RANGE = re.compile(
    rf"\b(mellan\s+|från\s+)?(?:den\s+)?(\d{{1,2}}){_ORD}\s+{_MON}({_TO}|\s+och\s+)"
    rf"(?:den\s+)?(\d{{1,2}}){_ORD}\s+{_MON}{_YEAR}"
)
_DEN_RANGE = re.compile(
    rf"\b(?:från\s+|mellan\s+)?den\s+(\d{{1,2}}){_ORD}({_TO}|\s+och\s+)(?:den\s+)?(\d{{1,2}}){_ORD}\b"
    r"(?!\s*(?:/|\d|\.\d|[:.]\d|" + _MONTH_RE + r"))"
)
_SLASH_RANGE = re.compile(rf"\b(\d{{1,2}})(?:/(\d{{1,2}}))?\s*{_DASH}\s*(\d{{1,2}})/(\d{{1,2}})\b")
_WEEKDAY_RANGE = re.compile(
    rf"\b(mellan\s+|från\s+)?(?:på\s+)?(nästa\s+)?({_WD})(?:en)?(\s+nästa\s+vecka)?"
    rf"({_TO}|\s+och\s+)(?:på\s+)?"
    rf"(?:nästa\s+)?({_WD})"
    r"(?:en)?\b(\s+nästa\s+vecka)?"
)
_RETURN = re.compile(
    r"\b(?:hem(?:resa|resan|åt|färd|färden)?|tillbaka|retur(?:resa|resan)?"
    r"|åter(?:resa|resan|komst)?|utcheckning(?:en)?|checka[r]?\s+ut)\b([^,.;!?]{0,40})"
)
_DAY_AFTER = re.compile(r"\b(?:dagen|dan)\s+(?:efter|därpå|därefter)\b")
_SAME_DAY = re.compile(r"\bsamma\s+(?:dag|kväll|eftermiddag)\b|\böver\s+dagen\b")
_NIGHTS = re.compile(
    r"\b(\d{1,2}|två|tre|fyra|fem|sex|sju)\s+nätter\b|\b(?:en|1)\s+natt\b|\böver\s+natten\b"
)
_PART_OF_TODAY = re.compile(r"\b(?:i\s?eftermiddag|i\s?förmiddag|i\s?kväll)\b")
_NOT_A_COMING_DAY = re.compile(
    rf"\b(?:sedan|sen|förra|varje|varannan|alla)\s+(?:i\s+)?(?:{_WD})(?:en|ar|arna)?\b"
)
_NIGHT_BEFORE = re.compile(r"\bnatten\s+(?:till|mot)\s+([^,.;!?]{0,30})")
_DEADLINE = re.compile(
    rf"\b(?:före|innan|senast\s+före)\s+(?:på\s+)?(?:den\s+)?(?:(?:{_WD})(?:en)?\b"
    rf"|\d{{1,2}}{_ORD}(?:\s+(?:{_MONTH_RE}))?\b|\d{{1,2}}/\d{{1,2}}\b)"
)
_WEEK = re.compile(r"\b(?:vecka|veckorna|v\.?)\s*\d{1,2}(?:\s*(?:-|–|och|till)\s*\d{1,2})?\b")
_TICKET = re.compile(r"\b[a-zåäö]{1,6}-\d+(?:-\d+)+\b")
_PHONE = re.compile(r"(?:\+46\s?|\b0)\d{1,3}[\s-]?\d{2,4}(?:[\s-]?\d{2,4}){1,3}\b")
_YEAR_ONLY = re.compile(r"\b(?:19[5-9]\d|20\d\d)\b")
_NOT_TIME_AFTER = re.compile(
    rf"\s*(?:{_MONTH_RE}|personer|person|pers|deltagare|st\b|stycken|ex\b|exemplar|kr\b|kronor"
    r"|år\b|dagar|veckor|timmar|minuter|nätter|gäster|[/%]|[.,:]?\d)"
)
_TIME_SPAN = re.compile(
    rf"(?P<pre>{_CLOCK}\s*|mellan\s+(?:{_CLOCK}\s*)?|från\s+(?:{_CLOCK}\s*)?)?"
    rf"\b{_HM}\s*(?P<sep>{_DASH}|till|och)\s*(?:{_CLOCK}\s*)?{_HM}\b"
)
_CLOCK_AT = re.compile(rf"{_CLOCK}\s*{_HM}\b|\b(\d{{1,2}}):(\d{{2}})\b")
_DOTTED = re.compile(r"\b(\d{1,2})\.(00|15|30|45)\b(?!\s*(?:kr|sek|%|[.,]?\d))")
# "kvart över nio", "tio i tre", "fem över halv tio": minutes said before or after an hour.
_KVART = re.compile(
    r"\b(kvart|fem|tio|tjugo|tjugofem|\d{1,2}(?=\s+min))(?:\s+min(?:uter)?)?\s+(över|i)\s+"
    r"(halv\s+)?(\d{1,2}|[a-zåäö]+)\b(?![:.]\d)"
)
# ... and a word for being ready by then ("ska stå framdukad tio i tolv", "senast fem i tre").
_MINUTES_BEFORE = re.compile(
    r"(?:^|\b(?:kl|kl\.|klockan|till|vid|runt|ca|cirka|ungefär|senast|innan|före|"
    r"klar|klart|färdig|färdigt|framdukad|framdukat|serverad|serverat|levererad|levererat|"
    r"på plats))\s*$"
)
_KVART_MINUTES = {"kvart": 15, "fem": 5, "tio": 10, "tjugo": 20, "tjugofem": 25}


def _minutes_to(low: str) -> TimeResult | None:
    """ "kvart över nio" 09:15, "kvart i tre" 14:45, "tio i halv tio" 09:20 (an hour 1-6
    in words is the afternoon, as with "halv tre")."""
    for m in _KVART.finditer(low):
        minutes = _KVART_MINUTES.get(m[1]) or (int(m[1]) if m[1].isdigit() else 0)
        if m[1] != "kvart" and not (
            _MINUTES_BEFORE.search(low[: m.start()])
            and re.match(r"\s*(?:[,.!?]|$)", low[m.end() :])
        ):
            continue  # "fem i tre grupper": minutes only as a whole time ("tio i tre")
        hour = int(m[4]) if m[4].isdigit() else word_to_int(m[4])
        if hour is None or not 1 <= hour <= 12 or not 1 <= minutes <= 29:
            continue
        hour = _afternoon(hour)
        base = hour * 60 - (30 if m[3] else 0)
        total = base + minutes if m[2] == "över" else base - minutes
        return TimeResult(time(total // 60 % 24, total % 60))
    return None


_WORD_CLOCK = re.compile(rf"(?:{_CLOCK}\s+(?:halv\s+)?|\bhalv\s+)[a-zåäö]+")
_COUNT_BEFORE_TIME = frozenset({"för", "ca", "cirka", "ungefär", "runt", "blir", "är", "vecka"})


def _blank(text: str, patterns: Sequence[re.Pattern[str]]) -> str:
    """The text with every match of the patterns replaced by spaces (offsets kept)."""
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * len(m[0]), text)
    return text


def _ahead(value: date, wanted: int, strictly: bool = True) -> date:
    """The first ``wanted`` weekday after (or on, if not ``strictly``) ``value``."""
    days = (wanted - value.weekday()) % 7
    return value + timedelta(days=days or (7 if strictly else 0))


def _span(start: DateResult | None, end: DateResult | None) -> tuple[date, date] | None:
    if start is None or end is None or not 0 < (end.value - start.value).days <= 62:
        return None
    return start.value, end.value


def _date_range(low: str, today: date) -> tuple[tuple[date, date], tuple[int, int]] | None:
    """The first range of days in the text ("3–5 maj", "mellan 3 och 5 maj", "måndag till
    onsdag", "14-16/12") and where it stands."""
    found: list[tuple[int, int, tuple[date, date] | None]] = []
    for pattern in (_DAY_RANGE, _BETWEEN_DAYS):
        for m in pattern.finditer(low):
            month, year = _month_number(m[3]), int(m[4]) if m[4] else None
            end = _day_month(int(m[2]), month, year, today)
            start = _day_month(int(m[1]), month, year, today)
            if start and end and end.value.year > start.value.year and year is None:
                start = _day_month(int(m[1]), month, end.value.year, today)
            found.append((m.start(), m.end(), _span(start, end)))
    for m in _MONTH_RANGE.finditer(low):
        if "och" in m[4] and not (m[1] or "").startswith("mellan"):
            continue
        year = int(m[7]) if m[7] else None
        end = _day_month(int(m[5]), _month_number(m[6]), year, today)
        start = _day_month(int(m[2]), _month_number(m[3]), year, today)
        if start and end and start.value > end.value and year is None:
            start = _day_month(int(m[2]), _month_number(m[3]), end.value.year - 1, today)
        found.append((m.start(), m.end(), _span(start, end)))
    for m in _DEN_RANGE.finditer(low):
        if "och" in m[2] and not m[0].startswith("mellan"):
            continue
        first = _explicit_date(f"den {m[1]}", today)
        last = _explicit_date(f"den {m[3]}", today)
        found.append((m.start(), m.end(), _span(first, last)))
    for m in _SLASH_RANGE.finditer(low):
        end = _day_month(int(m[3]), int(m[4]), None, today) if 1 <= int(m[4]) <= 12 else None
        month = int(m[2]) if m[2] else int(m[4])
        start = _day_month(int(m[1]), month, None, today) if 1 <= month <= 12 else None
        found.append((m.start(), m.end(), _span(start, end)))
    for m in _WEEKDAY_RANGE.finditer(low):
        if "och" in m[5] and not (m[1] or "").startswith("mellan"):
            continue
        # "från måndag nästa vecka till onsdag", "måndag till onsdag nästa vecka"
        first = _relative_date(f"{m[2] or ''}{m[3]}{m[4] or m[7] or ''}", today)
        if first is not None:
            last = DateResult(_ahead(first.value, WEEKDAYS.index(m[6])))
            found.append((m.start(), m.end(), _span(first, last)))
    valid = sorted((s, e, r) for s, e, r in found if r is not None)
    return (valid[0][2], (valid[0][0], valid[0][1])) if valid and valid[0][2] else None


def _recently_passed(value: date, low: str, today: date) -> bool:
    """A day and month moved to next year although it was said about the last weeks
    ("maten den 20 november var kall" on 30 November)."""
    if value.year != today.year + 1 or re.search(r"\b20\d\d\b", low):
        return False
    this_year = _safe_date(today.year, value.month, value.day)
    return this_year is not None and 0 < (today - this_year).days <= 90


def _single_date(low: str, now: datetime, today: date) -> date | None:
    if low.strip(" .!").isdigit():
        return None  # "15" said alone in a message is a count or an hour, not a day
    clean = _NOT_A_COMING_DAY.sub(" ", low)
    # "fönsterputs på Ängsskolan om tre veckor": a span that ends the request is its day;
    # one inside it is often about something else ("vi flyttar om två veckor, behöver
    # kartonger nu").
    found = parse_date(clean, now, spans=_SPAN_LAST.search(clean) is not None)
    if found is None and _PART_OF_TODAY.search(clean):
        found = _result(today, today)
    if found is None or found.in_past or found.approximate:
        return None
    return None if _recently_passed(found.value, clean, today) else found.value


def _return_day(segment: str, departure: date | None, today: date) -> date | None:
    """The day of a return phrase ("hem den 4 december", "tillbaka på fredag")."""
    if _DAY_AFTER.search(segment):
        return departure + timedelta(days=1) if departure else None
    if _SAME_DAY.search(segment):
        return departure
    explicit = _explicit_date(segment, today)
    if explicit is None and departure and (day := re.match(r"\s*(\d{1,2})\b(?!\s*[/.:])", segment)):
        same_month = _safe_date(departure.year, departure.month, int(day[1]))
        if same_month is not None and same_month >= departure:  # "den 20 nov, tillbaka 22"
            return same_month
    found = explicit or _relative_date(segment, today)
    if found is None or found.approximate:
        return None
    value = found.value
    if departure and explicit is None and "nästa" not in segment:
        while value <= departure:
            value += timedelta(days=7)
    if value < today or (departure and value < departure):
        return None
    return value


def _nights(low: str) -> int | None:
    m = _NIGHTS.search(low)
    if m is None:
        return None
    if m[1] is None:
        return 1
    return int(m[1]) if m[1].isdigit() else word_to_int(m[1])


_SAID = (
    (re.compile(r"\bi\s?morr?n\b"), "imorgon"),
    (re.compile(r"\btis\b\.?"), "tisdag"),
    (re.compile(r"\bons\b\.?"), "onsdag"),
    (re.compile(r"\btors\b\.?"), "torsdag"),
    (re.compile(r"\bfre\b\.?"), "fredag"),
    (re.compile(r"\blör\b\.?"), "lördag"),
    (re.compile(r"\bsön\b\.?"), "söndag"),
)
# ("…, efter vernissagen kvällen innan": the evening before the day said, not before it)
_BEFORE_THAT = re.compile(
    r"\b(?:innan|före)\s+dess\b|"
    r"(?<!kvällen )(?<!dagen )(?<!natten )(?<!morgonen )(?<!veckan )\binnan\s*[.!?]*\s*$"
)


def _dates(
    low: str, now: datetime, today: date, happened: bool = False
) -> tuple[date | None, date | None]:
    """The first day and, for trips and stays, the last day of a first message; for a
    fault (``happened``) the day it happened, today or before."""
    for pattern, word in _SAID:
        low = pattern.sub(word, low)
    if _BEFORE_THAT.search(low):
        return None, None  # "den 14 december ... vill ha storstädning innan"
    low = _blank(low, [_TICKET, _PHONE, _DEADLINE])
    if happened:
        been = parse_day_been(low, now)
        if been is None or been.approximate or been.value > today:
            return None, None
        return been.value, None
    if night := _NIGHT_BEFORE.search(low):  # "natten till den 10 december": 9th to 10th
        morning = _explicit_date(night[1], today) or _relative_date(night[1], today)
        if morning is None or morning.approximate:
            return None, None
        evening = morning.value - timedelta(days=1)
        return (evening, morning.value) if evening >= today else (None, None)
    back: date | None = None
    segment = ""
    if m := _RETURN.search(low):
        segment = re.split(r"\b(?:och|men|eller)\b", m[1])[0]
        cut = m.start(1) + len(segment)
        low = low[: m.start()] + " " * (cut - m.start()) + low[cut:]
    rng = _date_range(low, today)
    first = rng[0][0] if rng else _single_date(low, now, today)
    if first is not None and first < today:
        first = None
    if segment:
        back = _return_day(segment, first, today)
    elif first is not None and (nights := _nights(low)) and 0 < nights <= 60:
        back = first + timedelta(days=nights)
    elif rng:
        back = rng[0][1]
    return first, back


def _ok_hours(h1: int, h2: int) -> bool:
    return 6 <= h1 < h2 <= 23


def _work_hour(said: str) -> int | None:
    """An hour as meant at work: "kl 3" is 15, a lone "6" could be either (None)."""
    hour = int(said)
    if len(said) == 1 and 1 <= hour <= 5:
        return hour + 12
    return None if said == "6" else hour


def _first_time(low: str) -> TimeResult | None:
    """A clock time or range in a whole message; a date range or a count is not one."""
    low = _blank(low, [_TICKET, _PHONE, _WEEK, _ISO, _SLASH_RANGE, _DAY_RANGE, _BETWEEN_DAYS])
    low = _blank(low, [_DAY_MONTH, _SLASH])
    for m in _TIME_SPAN.finditer(low):
        if _NOT_TIME_AFTER.match(low[m.end() :]):
            continue
        pre, h1, h2 = (m["pre"] or "").strip(), _work_hour(m[2]), _work_hour(m[5])
        m1, m2 = m[3], m[6]
        if h1 is None or h2 is None or (h1, int(m1 or 0)) >= (h2, int(m2 or 0)):
            continue
        if m["sep"] == "och" and not pre.startswith("mellan"):
            continue
        before = set(low[: m.start()].split()[-1:])
        if pre.startswith("kl"):
            said = True  # "kl 13-15"
        elif pre.startswith(("mellan", "från")) or (m1 and m2):
            said = _ok_hours(h1, h2) or bool(m1 and m2)  # "mellan 9 och 11", "9.00-12.00"
        else:  # "13-15" alone, not "för 10-12"
            said = m["sep"] in "-–—" and 7 <= h1 < h2 <= 22 and not before & _COUNT_BEFORE_TIME
        if not said:
            continue
        start, end = _clock(h1, int(m1 or 0)), _clock(h2, int(m2 or 0))
        if start and end:
            return TimeResult(start, end)
    if at := _CLOCK_AT.search(low):
        said_hour, minute = (at[1], at[2]) if at[1] else (at[3], at[4])
        hour = _work_hour(said_hour)
        start = _clock(hour, int(minute or 0)) if hour is not None else None
        return TimeResult(start) if start else None
    if (dotted := _DOTTED.search(low)) and 6 <= int(dotted[1]) <= 22:
        return TimeResult(time(int(dotted[1]), int(dotted[2])))
    return _minutes_to(low) or _word_time(low) or _near_time(low) or _day_part_time(low)


# -- words ----------------------------------------------------------------------------


_FOLD = str.maketrans("åäöé", "aaoe")


def _fold(word: str) -> str:
    """A word without Swedish letters, as people type it on foreign keyboards ("pa", "koket")."""
    return word.translate(_FOLD)


def _words(text: str) -> frozenset[str]:
    """A set of words, each also without Swedish letters."""
    return frozenset(w for word in text.split() for w in (word, _fold(word)))


def _ends(*endings: str) -> tuple[str, ...]:
    """Word endings, each also without Swedish letters."""
    return tuple(dict.fromkeys(e for ending in endings for e in (ending, _fold(ending))))


# -- counts ---------------------------------------------------------------------------


_PEOPLE = _words(
    "personer person pers deltagare gäster gäst medarbetare anställda kollegor kolleger "
    "elever barn besökare ledamöter chefer lärare pax st stycken styck personal politiker "
    "medlemmar brukare studenter praktikanter vikarier nyanställda kursdeltagare ungdomar "
    "tjänstemän handläggare sjuksköterskor undersköterskor assistenter pedagoger"
)
_THING_UNITS = _words(
    "st stycken styck exemplar ex paket kartonger kartong lådor låda förpackningar "
    "förpackning par set buntar rullar askar ask flaskor pallar kopior sidor blad"
)
_NOT_COUNTED = _words(
    "år åren års veckor vecka veckan veckors dagar dag dagen dagars dygn timmar timme tim "
    "timmars h minuter min minuters månader månad månaders sekunder gånger gång ggr kr "
    "kronor sek procent grader mm cm m meter km mil kg g gram liter l dl gb mb tum nätter "
    "natt nätters rum rummen våningar våning plan lokaler hus byggnader kvart halvdag "
    "heldag timmen klockan kl"
)
_BEFORE_NOT_COUNT = _words(
    "vecka veckan v rum sal salen plan planet våning våningen hus huset nr nummer numret "
    "ärende ärendet ärendenummer lokal ingång port buss linje linjen sida sidan kapitel "
    "version kl klockan konto telefon tel mobil anknytning faktura fakturanummer order "
    "ordernummer à á per år kvart halv sedan sen avdelning paragraf punkt fyller fyllde fyllt "
    # Codes and labels, not counts: "åk 9", "ansvar 3300", "koden 1234", "iPhone 15".
    "åk årskurs klass ansvar ansvaret ansvarsnummer kostnadsställe kostnadsstället kst "
    "projekt projektnummer kod koden pinkod iphone samsung modell avd inte "
    # Where, not how many: "i lägenhet 4", "uppgång 2".
    "lägenhet lägenheten lgh uppgång trapphus trappa block sektion korridor flygel byggnad "
    "modul paviljong"
)
_PIECES = _words("st stycken styck exemplar ex")
_COUNT_CUES = _words("för till blir är antal antalet totalt sammanlagt")
_APPROX_WORDS = _words(
    "ca cirka runt ungefär omkring kring typ max maximalt minst drygt knappt nästan uppåt kanske"
)
_FUNCTION_WORDS = _words(
    "på i kl klockan den det och som vid till för med om från under efter innan inför "
    "nästa idag imorgon ikväll ungefär ca cirka typ ish eller st så tack men samt plus "
    "hos alla totalt sammanlagt inte"
) | _words(" ".join(WEEKDAYS))
_COUNT_TOKEN = re.compile(r"\d+|[a-zåäö]+")


def _count_value(word: str) -> tuple[int | None, bool]:
    """The value of a count token and whether it is approximate ("tjugotal")."""
    if word.isdigit():
        return int(word), False
    if word in ("en", "ett", "noll"):
        return None, False
    if word.endswith("tal") and (value := word_to_int(word[:-3])) is not None:
        return value, True
    return word_to_int(word), False


_ME_AND = re.compile(
    r"\b(?:jag|mig)\s+och\s+(en|ett|min|\d{1,3}|[a-zåäö]+)\s+(?:till\s+)?"
    r"(?:kollega|kollegor|kolleger|person|personer|medarbetare|chef|chefer|deltagare)\b"
)


# "Bara jag som åker", "det är endast jag som reser": one person travels or comes.
_ONLY_ME = re.compile(
    r"\b(?:bara|endast|enbart) jag(?: själv)? som (?:åker|reser|ska åka|ska resa|kommer|"
    r"deltar|ska dit|ska med)\b"
)


# "Vi blir 14 st": how many the order is for, whatever other counts the story has.
_WE_WILL_BE = re.compile(
    r"\b(?:vi blir|blir vi|vi kommer (?:att )?(?:bli|vara)) (?:ca |cirka |runt |ungefär )?"
    r"(\d{1,3}|[a-zåäö]+)(?: (?:st|stycken|personer|pers|deltagare))?\s*(?:[,.!?]|$|och\b|"
    r"så\b|inklusive\b|totalt\b|sammanlagt\b|"
    # ... with why or where after it ("och vi blir 3 eftersom Sanna följer med", "vi blir 12
    # på mötet"), not "vi blir 3 till" (three more)
    r"(?:eftersom|då|för|när|nu|med|i|på|om)\b)"
)


# "26 blir det", "nej, 30 blev vi till slut", "tolv är vi": the count first, then who.
_WE_WILL_BE_FIRST = re.compile(
    r"(?:^|[,.!?;:]\s*|\b(?:nej|nä|ok|okej|ja|men|nu)\b,?\s+)(?:ca |cirka |ungefär |runt )?"
    r"(\d{1,3}|[a-zåäö]+)(?: (?:st|stycken|personer|pers|deltagare))? (?:blir|blev|är) "
    r"(?:det|vi)\b"
)


def _counts(low: str, people: bool) -> int | None:
    """A count of people (``people``) or of things in a whole message."""
    low = _RETURN.sub(lambda m: " " * len(m[0]), low)
    for said_so in (_WE_WILL_BE, _WE_WILL_BE_FIRST) if people else ():
        will = said_so.search(low)
        if will is None:
            continue
        value, _ = _count_value(will[1])
        if value is not None and 0 < value <= MAX_QUANTITY:
            return value
    if people and _ONLY_ME.search(low):
        return 1  # "Bara jag som åker"
    if people and (me := _ME_AND.search(low)):
        others = 1 if me[1] in ("en", "ett", "min") else _count_value(me[1])[0]
        return others + 1 if others else None
    low = _blank(low, [_TICKET, _PHONE, _WEEK, _ISO, _SLASH_RANGE, _DAY_RANGE, _BETWEEN_DAYS])
    low = _blank(low, [_MONTH_RANGE, _DEN_RANGE, _DAY_MONTH, _SLASH, _DAY_ONLY, _KVART])
    if clock := _first_time(low):
        low = _blank(low, [_TIME_SPAN]) if clock.end else low
    low = _blank(low, [_CLOCK_AT, _DOTTED, _WORD_CLOCK])
    toks = [(m[0], m.start()) for m in re.finditer(r"\d+(?:[.,]\d+)?|[a-zåäö]+|[^\w\s]", low)]
    strong: list[int] = []
    weak: list[int] = []
    pieces: list[int] = []
    for k, (word, at) in enumerate(toks):
        if not _COUNT_TOKEN.fullmatch(word) or "." in word or "," in word:
            continue
        if at > 0 and low[at - 1].isalpha():
            continue  # "A4", "E4": a size or a name, not a count
        if re.match(r"[a-zåäö](?![a-zåäö])", low[at + len(word) :]):
            continue  # "HP 305A", "klass 3b": a model or a name, not a count
        value, approx = _count_value(word)
        if value is None or not 0 < value <= MAX_QUANTITY:
            continue
        prev = toks[k - 1][0] if k else ""
        prev2 = toks[k - 2][0] if k > 1 else ""
        nxt_k = k + 1
        if nxt_k < len(toks) and toks[nxt_k][0] in ("-", "–") and nxt_k + 1 < len(toks):
            after = toks[nxt_k + 1][0]
            if after in ("tal", "ish"):
                approx, nxt_k = True, nxt_k + 2
            elif not after.isdigit():
                continue  # "12-sidig"
        ranged = nxt_k + 1 < len(toks) and toks[nxt_k][0] in ("-", "–", "till", "à", "eller")
        if ranged and toks[nxt_k + 1][0].isdigit():  # "10-12 personer": plan for the upper end
            value, approx, nxt_k = max(value, int(toks[nxt_k + 1][0])), True, nxt_k + 2
        nxt = toks[nxt_k][0] if nxt_k < len(toks) else ""
        nxt2 = toks[nxt_k + 1][0] if nxt_k + 1 < len(toks) else ""
        glued = prev in ("-", "/", "+") or (prev == ":" and prev2.isdigit())
        if prev in _BEFORE_NOT_COUNT or glued or nxt in ("/", "%"):
            continue
        listed = prev in ("och", ",", "eller") and prev2.isdigit() and k > 2
        # ("plan 3, 24 fönster": after a comma, a number with its own thing counts it)
        counts_a_thing = (
            prev == "," and nxt.isalpha() and nxt not in _FUNCTION_WORDS and not _is_place_word(nxt)
        )
        if listed and toks[k - 3][0] in _BEFORE_NOT_COUNT and not counts_a_thing:
            continue  # "plan 1 och 2", "rum 3 och 4"
        if prev.endswith(_STREET_ENDS) or prev.endswith(("rum", "sal")):
            continue
        if nxt in _NOT_COUNTED or _is_place_word(nxt):
            continue
        if _YEAR_ONLY.fullmatch(word) and nxt not in _THING_UNITS | _PEOPLE:
            continue
        approx = approx or prev in _APPROX_WORDS
        open_end = not nxt or not nxt.isalpha() or nxt in _FUNCTION_WORDS
        if prev in WEEKDAYS and open_end:
            continue  # "onsdag 15" is a day and an hour, not fifteen of anything
        cue = prev in _COUNT_CUES or prev in ("blir", "är") or approx
        if people:
            if prev == "och" and prev2 in ("jag", "mig"):
                continue  # "jag och två kollegor" is three
            described = nxt.endswith(("a", "e")) and nxt2 in _PEOPLE  # "7 externa gäster"
            if nxt in _PEOPLE or described or (cue and open_end):
                strong.append(value)
            elif word.isdigit() and open_end:
                weak.append(value)
        elif not word.isdigit() and not (nxt or approx):
            continue
        elif nxt in _THING_UNITS or nxt in _PEOPLE or approx or (nxt.isalpha() and not open_end):
            strong.append(value)
            if nxt in _PIECES:
                pieces.append(value)
        elif word.isdigit() and open_end:
            weak.append(value)
    if people and strong:
        # "vi är ungefär 30 anställda, … de 12 i nattpatrullen ska gå kursen": two
        # different head counts, and which one the order is for is a question.
        heads = {v for v in strong + weak if v > 1}
        return strong[0] if len(heads) <= 1 else None
    if len(set(strong)) > 1 and len(set(pieces)) == 1:
        return pieces[0]  # "40 ex av broschyren, 24 sidor"
    for found in (strong, weak):
        if found:
            return found[0] if len(set(found)) == 1 else None
    return None


# -- places ---------------------------------------------------------------------------


class _Tok(NamedTuple):
    text: str
    low: str
    start: int
    end: int


_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*[^\W\d_]?(?!\w)|[^\W\d_]\w*(?:-\w+)*|\d+\w*|[^\w\s]")
_STREET_ENDS = _ends(
    "gatan", "vägen", "gränd", "gränden", "torget", "allén", "backen", "stigen", "leden",
    "esplanaden", "promenaden", "kajen", "plan", "platsen", "liden",
)  # fmt: skip
# A street named by its ending alone, with a number ("Torget 3").
_BARE_STREETS = _words("torget torg esplanaden promenaden kajen allén backen")
_STREET = re.compile(rf"^[^\W\d_]{{3,}}(?:{'|'.join(_STREET_ENDS)})$")
_DESIGNATORS = _words(
    "rum sal hus plan våning vån våningsplan lokal ingång port byggnad trappa avdelning avd "
    "korridor flygel entré uppgång trapphus block sektion lgh lägenhet paviljong modul"
)
_COUNTED_AFTER = _PEOPLE | _THING_UNITS | _words("dagar veckor timmar minuter år kr kronor gånger")
_PLACE_ADJECTIVES = _words(
    "stora lilla gamla nya övre nedre västra östra norra södra bakre främre inre yttre "
    "översta nedersta första andra tredje fjärde femte sjätte sjunde"
)
# Adjectives that tell one room of a workplace from another ("lilla mötesrummet").
_WHICH_ROOM = _words("stora lilla gamla nya övre nedre bakre främre inre yttre")
# A building said as "huset på Bergsgatan 14" is the address.
_BUILDING = _words("huset byggnaden fastigheten lokalen lokalerna")
_FLOORS = _words("våningen våning plan planet")
_IDENT = re.compile(
    r"^(?:\d{1,4}[A-Za-zÅÄÖåäö]?|\d+(?:[.:]\d+)+|[A-ZÅÄÖ]\d{0,4}|[A-ZÅÄÖ]{1,2}\d{1,4}[A-Za-z]?)$"
)
_PLACE_ENDS = _ends(
    "skolan", "skola", "gården", "gård", "huset", "hallen", "hall", "boendet", "boende",
    "biblioteket", "bibliotek", "salen", "sal", "rummet", "rummen", "centret", "centrum",
    "parken", "park", "badet", "kyrkan", "kyrka", "gymnasiet", "torget", "torg", "gatan",
    "vägen", "platsen", "arenan", "museet", "kliniken", "förrådet", "förråd", "garaget",
    "garage", "köket", "kök", "lagret", "kontoret", "entrén", "entré", "receptionen",
    "arkivet", "parkeringen", "rätten", "hemmet", "stugan", "källaren", "verkstaden",
    "vaktmästeriet", "salarna", "vårdcentralen", "vårdcentral", "simhall", "ishall",
    "ingången", "ingång", "trappan", "våningen", "planet", "paviljongen", "paviljong",
    "mottagningen", "expeditionen", "kansliet", "annexet", "flygeln", "uppgången", "rum",
    "expedition", "kansli", "mottagning", "avdelningen", "enheten", "duschen", "duscharna",
    "toaletten", "toaletterna", "bostad", "bostaden", "kvarteret", "centralen", "central",
    "lokalen", "teatern",
)  # fmt: skip
_PLACE_WORDS = _words(
    "matsalen matsal köket kök entrén entré huvudentrén receptionen reception aulan aula "
    "foajén lobbyn personalrummet lärarrummet fikarummet skolgården parkeringen garaget "
    "källaren vinden tvättstugan vaktmästeriet lekplatsen biblioteket gymmet "
    "vårdcentralen kommunhuset stadshuset rådhuset tingsrätten länsstyrelsen "
    "gymnastiksalen idrottshallen sporthallen simhallen ishallen innergården "
    "stationen centralstationen busstationen toaletten toaletterna toan korridoren "
    "trapphuset hissen rummet rum salen sal klassrummet klassrum huset hus lokalen lokal "
    "lokalerna byggnaden skolan skola förskolan förskola gården kontoret kontor trappan "
    "trapporna paviljongen expeditionen kansliet mottagningen annexet uppgången ingången "
    "våningen planet garage infarten uppfarten utfarten rampen gångvägen gångbanan fritids "
    "fritidshemmet varuintaget varuintag lastkajen lastkaj personalingången sophuset "
    "soprummet cykelstället cykelförrådet"
)
# Places of which a workplace has many: taken only with a name, number or a place after.
_VAGUE_PLACES = _words(
    "rummet rum salen sal klassrummet klassrum mötesrummet mötesrum konferensrummet "
    "konferensrum grupprummet grupprum sammanträdesrummet sammanträdesrum arbetsrummet "
    "kontoret kontor lokalen lokal lokalerna huset hus byggnaden skolan skola förskolan "
    "förskola grundskolan gymnasieskolan gymnasiet särskolan äldreboendet äldreboende "
    "boendet gruppboendet korridoren toaletten toaletterna toan omklädningsrummet "
    "omklädningsrummen trapphuset förrådet förråd gården hallen lagret vägen gatan "
    "kontorsrummet lektionssalen kyrkan parken badet hissen stationen våningen planet "
    "ingången trappan trapporna paviljongen mottagningen garage garaget avdelningen enheten "
    "avdelning avd bostaden gruppbostaden "
    "hemtjänsten hemtjänstgruppen arbetslaget dagverksamheten hemsjukvården"
)
_NOT_PLACES = _words("arbetsplatsen mötesplatsen hemvägen handlingsplanen universal kontrollhall")
# Places that lead somewhere: "entrén till Västra skolan", "trappan till huvudingången".
_LEADS_TO = _ends("entrén", "ingången", "porten", "infarten", "dörren", "grinden", "trappan",
             "rampen", "vägen", "uppfarten", "gången")  # fmt: skip
# Nouns after "i/på/vid" that are not places; the place after them is ("taket i rum 214").
_NOT_A_PLACE = _words(
    "taket golvet väggen väggarna fönstret fönstren dörren dörrarna handfatet elementet "
    "elementen ventilationen lampan lamporna belysningen kranen diskmaskinen kylen "
    "kylskåpet spisen ugnen skrivaren datorn skärmen projektorn mötet fikat lunchen festen "
    "middagen frukosten konferensen utbildningen kursen träffen avslutningen firandet "
    "sammanträdet seminariet workshopen mässan jobbet arbetet helgen veckan morgon "
    "morgonen förmiddag förmiddagen eftermiddag eftermiddagen kväll kvällen natten dagen "
    "lunch tiden nytt plats platsen hörnet sidan mitten början slutet soporna papperet "
    "hyllan hyllorna bordet borden stolen stolarna mattan gardinerna tvålen pappret "
    "kopiatorn printern telefonen mobilen surfplattan högtalarna kameran whiteboarden "
    "tavlan mikron frysen låset nyckeln papperskorgen soptunnan maten posten paketet "
    "leveransen beställningen fakturan systemet nätet appen kalendern mejlen mailen "
    "ärendet gruppen teamet klassen eleverna barnen personalen kunden"
)
# Words after "i/på" that make an idiom or a time, not a place ("på grund av", "i tid").
_IDIOMS = _words(
    "grund plats nytt gång tid tiden samband stället så fall väg tur övrigt morse morgon "
    "kväll eftermiddag förmiddag lunch helgen veckan år året dag dagen natt jul julen påsk "
    "sommar sommaren höst hösten vår våren vinter vintern början slutet mitten sista detta "
    "denna dessa hela halva vardagar helger kvällen eftermiddagen förmiddagen morgonen "
    "lunchen natten distans länk teams zoom telefon mejl mail nätet papper förväg"
)
_STOP_NOUNS = _words("mitt min mina vårt vår våra ditt din ert er en ett den det denna detta")
_EVENT_ENDS = _ends(
    "mötet", "dagen", "konferensen", "utbildningen", "festen", "firandet", "fikat", "lunchen",
    "träffen", "sammanträdet", "avslutningen", "kursen", "mässan", "maskinen", "läsaren",
    "larmet", "skåpet", "skärmen", "maten", "föreläsningen", "presentationen", "invigningen",
    "avtackningen", "jubileet", "julbordet", "informationen", "ceremonin",
)  # fmt: skip
_CHAIN = _words("i på vid bakom utanför framför bredvid intill")
_LOCATION_PREPS = _CHAIN | _words("till från runt av")
# Only between two places ("garaget under Stadshuset", "förrådet ovanför gymnastiksalen"):
# alone, "under mötet" is a time.
_LINK_ONLY = _words("under ovanför nedanför ovanpå mittemot")
_SKIP = _words("hela själva")
_ORG_ENDS = _ends(
    "förvaltningen", "förvaltning", "avdelningen", "enheten", "sektionen", "gruppen",
    "teamet", "nämnden", "staben", "bolaget",
)  # fmt: skip
_NOT_NAMES = _words(
    "jul julafton påsk midsommar nyår lucia teams zoom skype outlook excel word powerpoint "
    "windows office microsoft google chrome edge visma agresso raindance lifecare "
    "procapita treserva heroma personec medvind platina ciceron public tieto evry "
    "intranätet intranät internet wifi eduroam sharepoint onedrive bankid siths freja "
    "adobe pdf ipad iphone android mac jag vi du ni han hon de hej tack mvh hälsningar "
    "sd it hr gdpr lss ekonomi personal kommunikation kultur fritid kommunen regionen "
    "sverige svenska engelska please"
) | _words(" ".join(WEEKDAYS + MONTHS))
_CITIES = _words(
    "stockholm göteborg malmö uppsala västerås örebro linköping helsingborg jönköping "
    "norrköping lund umeå gävle borås södertälje eskilstuna halmstad växjö karlstad "
    "sundsvall östersund trollhättan luleå kristianstad kalmar skövde falun karlskrona "
    "skellefteå uddevalla varberg örnsköldsvik nyköping kiruna visby borlänge motala "
    "piteå lidköping landskrona kungsbacka härnösand sollefteå kramfors ludvika "
    "vänersborg enköping sandviken mora arvika ystad trelleborg norrtälje hudiksvall "
    "bollnäs söderhamn katrineholm strängnäs alingsås köping oskarshamn västervik "
    "karlshamn ängelholm hässleholm haparanda gällivare jokkmokk arjeplog lycksele "
    "vilhelmina storuman åre sälen oslo köpenhamn helsingfors bryssel berlin london paris "
    "amsterdam tallinn riga vilnius reykjavik hamburg madrid rom wien prag warszawa "
    "genève strasbourg luxemburg dublin"
)
_TRAVEL = re.compile(
    r"\b(?:åk[ae]r?|åkt|res[ae]r?|resan|rest|kör|köra|flyg|flyga|flyger|flyget|tåg|tåget"
    r"|buss|bussen|bil|bilen|poolbil|poolbilen|bilpool|bilpoolen|tjänsteresa|tjänsteresan"
    r"|elbil|elbilen|tjänstebil|tjänstebilen|hyrbil|bilpoolsbil|elcykel|cykel"
    r"|taxi|färja|färjan)\b"
)
_CLAUSE_END = frozenset(",:;.!?–-)")
_MAX_LINKS = 4  # "rum 214 på plan 2 i hus B på Solgården" at most
# Words that may follow a place and stand before a number without being part of it.
_GOES_ON = (
    _words(
        "kl klockan den vecka v för ca cirka ungefär runt kring till mellan från och med på i "
        "vid nästa alla totalt typ senast helst gärna efter före innan inför om under är blir "
        "har var ska skulle kan behöver vill mån tis ons tor tors fre lör sön imorn"
    )
    | _words(" ".join(WEEKDAYS + MONTHS))
    | _PEOPLE
    | _THING_UNITS
    | _FUNCTION_WORDS
)
_ROOM_ID = re.compile(r"^(?:\d{1,4}[A-Za-zÅÄÖåäö]?|[A-ZÅÄÖ]\d{0,4}|[A-ZÅÄÖ]{1,2}\d{1,4}[A-Za-z]?)$")


def _tokens(text: str) -> list[_Tok]:
    """Words, numbers and signs; ``low`` is lower case without Swedish letters."""
    return [_Tok(m[0], _fold(m[0].lower()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


_CAPITALISED = re.compile(r"(?<![\w-])[A-ZÅÄÖ][a-zåäöéü]+(?:-[a-zåäö]+)?(?![\w-])")


def place_names_apart(text: str) -> tuple[str, list[str]]:
    """``text`` without its capitalised place names ("Boka lokal i Kommunhuset eller
    Gästgivarsalen" -> "Boka lokal i eller"), and those names."""
    places = [
        w
        for w in _CAPITALISED.findall(text)
        if is_place_word(w.lower()) or (w.endswith("s") and is_place_word(w[:-1].lower()))
    ]
    for place in places:
        text = re.sub(rf"(?<![\w-]){re.escape(place)}(?![\w-])", " ", text)
    return " ".join(text.split()), places


def is_room(low: str) -> bool:
    """Whether a lowercase word names a room or area of a building ("matsalen",
    "korridoren"), not a building ("kommunhuset", "skolan")."""
    return _is_room(low)


def is_place_word(low: str) -> bool:
    """Whether a lowercase word names a kind of place ("äldreboendet", "avdelningen")."""
    return _is_place_word(low) or _is_site(low)


def _is_place_word(low: str) -> bool:
    if low in _NOT_PLACES or ("-" in low and low.endswith(_ORG_ENDS)):
        return False
    if low in _PLACE_WORDS or low in _VAGUE_PLACES:
        return True
    return any(low.endswith(e) and len(low) >= len(e) + 2 for e in _PLACE_ENDS)


def _is_vague(low: str) -> bool:
    return low in _VAGUE_PLACES or low.endswith(("rummen", "salarna"))


def _is_name(tok: _Tok) -> bool:
    """A capitalised word that can be part of a place's name ("Västra", "Solgården")."""
    text = tok.text
    if not text[:1].isupper() or not text.replace("-", "").isalpha() or tok.low in _NOT_NAMES:
        return False
    if text.isupper() and len(text) <= 4:
        return False
    return not tok.low.endswith(_ORG_ENDS)


def _designator(toks: Sequence[_Tok], i: int) -> int | None:
    """End of "rum 214", "sal B", "hus C", "klassrum B12", "avd. 2", "rum nr 12" at ``i``."""
    n = len(toks)
    if i + 1 >= n:
        return None
    word = toks[i].low
    roomish = word.endswith(("rum", "sal")) and _is_place_word(word)
    if not (word in _DESIGNATORS or roomish) or not toks[i].text.isalpha():
        return None
    j = i + 1
    if toks[j].text == "." and j + 1 < n:
        j += 1
    if toks[j].low in ("nr", "nummer") and j + 1 < n:
        j += 1
    ident = toks[j].text
    # "mötesrum Eken", "konferensrum Tallen": a room called by a name
    named = (
        roomish
        and j == i + 1
        and ident.isalpha()
        and len(ident) >= 3
        and ident[0].isupper()
        and not ident.isupper()
        and ident.lower() not in _NOT_A_ROOM_NAME
    )
    if not (_IDENT.match(ident) or named) or _YEAR_ONLY.fullmatch(ident):
        return None
    # ("rum 214 är …": "är" and "år" fold alike; only "år" counts)
    if j + 1 < n and toks[j + 1].low in _COUNTED_AFTER and toks[j + 1].text.lower() != "är":
        return None  # "rum 4 personer"
    return _and_another(toks, j + 1)


#: Capitalised words after a room that are no name of it (a day, a month, a greeting).
_NOT_A_ROOM_NAME = _words(" ".join((*WEEKDAYS, *MONTHS, "idag imorgon tack hej och")))

#: Words that may follow "rum 3 och 4" when both are the place: a link to the place they
#: are in, or a verb that says what is wrong there.
_AFTER_PAIR = _CHAIN | _LINK_ONLY | _words("har är ska behöver måste blir var kan")


def _and_another(toks: Sequence[_Tok], end: int) -> int:
    """End of "rum 3 och 4", "plan 1 och 2": a second identifier of the same kind joined
    by "och" right after a designator that ends at ``end``; else ``end``. Not when a count
    follows ("sal 3 och 20 stolar")."""
    n = len(toks)
    if end + 1 >= n or toks[end].low != "och":
        return end
    second = toks[end + 1].text
    same_kind = second.isdigit() == toks[end - 1].text.isdigit()
    if not (same_kind and _ROOM_ID.match(second)) or _YEAR_ONLY.fullmatch(second):
        return end
    after = toks[end + 2] if end + 2 < n else None
    if after is not None and after.text.isalpha() and after.low not in _AFTER_PAIR:
        return end
    return end + 2


def _owned_place(owner: _Tok, noun: _Tok) -> bool:
    """Whether a named place in the genitive and the lowercase word after it make one
    place ("Ekskolans parkering", "Stadshusets entré", "Solgårdens kök")."""
    if not (owner.low.endswith("s") and _is_place_word(owner.low[:-1])):
        return False
    if not (noun.text.isalpha() and noun.text.islower()) or noun.low in _NOT_A_PLACE:
        return False
    return any(_is_place_word(noun.low + end) for end in ("", "en", "n", "et"))


def _house_number(toks: Sequence[_Tok], k: int) -> bool:
    """Whether the token at ``k`` is a street's number ("12", "3B")."""
    return k < len(toks) and re.fullmatch(r"\d{1,3}[A-Za-z]?", toks[k].text) is not None


def _head(toks: Sequence[_Tok], i: int, names: bool) -> tuple[int, int, str] | None:
    """(start, end, kind) of a place word or name at ``i``; kind is "place", "vague"
    (needs a qualifier after it) or "name" (a bare proper name)."""
    n = len(toks)
    while i < n and toks[i].low in _SKIP:
        i += 1
    if i >= n:
        return None
    if (end := _designator(toks, i)) is not None:
        return i, end, "place"
    tok = toks[i]
    floor = i + 3 < n and toks[i + 1].text == ":" and toks[i + 2].low in ("e", "a")
    if floor and tok.text.isdigit() and toks[i + 3].low in ("vaningen", "vaning", "plan", "planet"):
        return i, i + 4, "place"  # "3:e våningen"
    if tok.low in _PLACE_ADJECTIVES and tok.text.isalpha() and i + 1 < n:
        after = toks[i + 1]
        definite = after.low.endswith(("en", "et", "na"))
        if after.text.islower() and definite and _is_place_word(after.low):
            # "lilla sammanträdesrummet": the adjective tells which of the rooms; asked
            # where, the person would only say the same words again.
            head = _head(toks, i + 1, names)
            if head is None:
                return None
            end = head[1]
            if _house_number(toks, end) and end == i + 2 and after.low.endswith(_STREET_ENDS):
                end += 1  # "Västra vägen 12": a street, with its number
            return i, end, "place"
    street = _STREET.match(tok.low) or (tok.low in _BARE_STREETS and tok.text[0].isupper())
    if street and tok.low not in _NOT_PLACES:
        if _house_number(toks, i + 1):
            return i, i + 2, "place"  # "Storgatan 12", "Torget 3"
        if _is_name(tok):
            return i, i + 1, "place"
    j = i
    while j < n and _is_name(toks[j]):
        j += 1
    initial = i == 0 or toks[i - 1].text in ".!?:"
    placeish = _is_place_word(tok.low) or tok.low in _CITIES or tok.low in _PLACE_ADJECTIVES
    # "Ekbackens skola hus B" answered alone: a named place's genitive starts it (not
    # "Skolans kök", whose owner is a kind of place, not a name).
    named_owner = j == i + 1 < n and tok.low.endswith("s") and toks[j].text.islower()
    named_owner = named_owner and is_place_word(toks[j].low) and toks[j].low not in _NOT_A_PLACE
    named_owner = named_owner and tok.low[:-1] not in _PLACE_WORDS and not _is_vague(tok.low[:-1])
    if initial and j > i and not placeish and not named_owner:
        # "Fönsterputs Solgården", "Boka rum": a capital that only starts the sentence
        return _head(toks, i + 1, names) if j > i + 1 else None
    if j > i:
        kind = "name"
        if any(_is_place_word(t.low) for t in toks[i:j]) or toks[i].low in _CITIES:
            kind = "place"
        nxt = toks[j] if j < n else None
        if nxt is not None and _owned_place(toks[j - 1], nxt):
            return i, j + 1, "place"  # "Ekskolans parkering", "Solgårdens kök"
        which = nxt is not None and nxt.low in _WHICH_ROOM and j + 1 < n
        if which and _owned_place(toks[j - 1], toks[j + 1]):
            return i, j + 2, "place"  # "Kulturhusets stora sal"
        if (
            which
            and kind == "place"
            and toks[j + 1].text.islower()
            and toks[j + 1].low.endswith(("en", "et", "na"))
            and _is_place_word(toks[j + 1].low)
        ):
            return i, j + 2, "place"  # "Kulturhuset stora salen": which room of it
        noun = nxt is not None and not nxt.text[0].isupper()
        noun = noun and nxt is not None and (_is_place_word(nxt.low) or nxt.low in _PLACE_ENDS)
        if noun and _designator(toks, j) is None:
            end = j + 1
            if _house_number(toks, end) and toks[j].low.endswith(_STREET_ENDS):
                return i, end + 1, "place"  # "Västra vägen 12"
            if _is_vague(toks[j].low):  # "Solgården avdelning Humlan": which one, by name
                while end < n and _is_name(toks[end]):
                    end += 1
            return i, end, "place"
        if _designator(toks, j) is not None:
            kind = "place"  # "Tallbacka avd 2": a name with a room or unit is a place
        return (i, j, kind) if kind == "place" or names else None
    if tok.text.isalpha() and tok.low in _CITIES:
        return i, i + 1, "place"
    genitive = tok.low.endswith("s") and _is_place_word(tok.low[:-1]) and i + 1 < n
    if genitive and tok.text.islower() and toks[i + 1].text.islower():
        owned = toks[i + 1].low
        if _is_place_word(owned) or owned in _PLACE_ENDS:  # "kommunhusets garage"
            return i, i + 2, "vague" if _is_vague(tok.low[:-1]) else "place"
    if not tok.text.isalpha() or tok.text[0].isupper() or not _is_place_word(tok.low):
        return None
    end, kind = i + 1, "vague" if _is_vague(tok.low) else "place"
    if end < n and _is_name(toks[end]):
        while end < n and _is_name(toks[end]):
            end += 1
        kind = "place"
        if _house_number(toks, end) and _STREET.match(toks[end - 1].low):
            end += 1  # "kontoret Storgatan 12"
    return i, end, kind


def _place_at(
    toks: Sequence[_Tok], i: int, names: bool, till: bool = True, chained: int = 0
) -> tuple[int, int] | None:
    """(start, end) of a whole place phrase at ``i``: a head with its numbers ("hus C,
    rum C112") and the places it is in ("matsalen på Solgården")."""
    head = _head(toks, i, names)
    if head is None:
        return None
    start, end, kind = head
    n, qualified = len(toks), False
    building = end == start + 1 and (
        toks[start].low in _BUILDING
        # "kontoret på Storgatan 8" is the address too (not "kontoret på plan 3")
        or (toks[start].low in _AT_AN_ADDRESS and _street_address(toks, end + 1))
    )
    while end < n:
        comma = toks[end].text == ","
        nxt = end + 1 if comma else end
        if (stop := _designator(toks, nxt)) is not None:
            end, qualified, building = stop, True, False
            continue
        word = toks[end].low
        leads = toks[end - 1].low.endswith(_LEADS_TO)
        linked = (
            word in _CHAIN
            or (word in _LINK_ONLY and chained == 0)
            or (word == "till" and till and leads)
        )
        deeper = chained < _MAX_LINKS
        if linked and deeper and (sub := _place_at(toks, end + 1, True, till, chained + 1)):
            if building:  # "huset på Bergsgatan 14" is "Bergsgatan 14"
                start, building = sub[0], False
            end, qualified = sub[1], True
            continue
        if word == "mellan" and (one := _place_at(toks, end + 1, True, till, _MAX_LINKS)):
            two = _place_at(toks, one[1] + 1, True, till, _MAX_LINKS) if one[1] < n else None
            if toks[one[1] if one[1] < n else -1].low == "och" and two is not None:
                end, qualified = two[1], True
                continue
        if comma and deeper and (sub := _place_at(toks, nxt, False, till, chained + 1)):
            after = toks[sub[1]].text if sub[1] < n else ","
            if after in _CLAUSE_END and _head(toks, nxt, False) is not None:
                end, qualified = sub[1], True
                continue
        break
    if kind == "vague" and not (qualified or chained):
        return None
    cut = chained >= _MAX_LINKS and end + 1 < n and toks[end].low in _CHAIN
    if cut and _head(toks, end + 1, True) is not None:
        return None  # longer than the rules follow: ask
    if end + 1 < n and toks[end].low in _CHAIN and _unknown_word(toks, end + 1):
        return None  # "i köket på <something unknown>": the place may go on
    unknown = end + 1 < n and toks[end].text.isalpha() and toks[end].text.islower()
    if unknown and toks[end].low not in _GOES_ON and _ROOM_ID.match(toks[end + 1].text):
        return None  # "på Solgården avd 2" with a word the rules do not know: ask
    return start, end


# Rooms of a workplace that, said before a street address, are the whole address.
_AT_AN_ADDRESS = _words("kontoret kontoren")


def _street_address(toks: Sequence[_Tok], i: int) -> bool:
    """Whether a street name and its number begin at ``i`` ("Storgatan 8")."""
    return (
        i + 1 < len(toks)
        and toks[i].text[:1].isupper()
        and _STREET.match(toks[i].low) is not None
        and toks[i + 1].text[:1].isdigit()
    )


def _definite_before(toks: Sequence[_Tok], prep: int) -> int | None:
    """Start of a definite place word (with a name) right before a preposition, so that
    "konferensrummet Eken på stadshuset" is kept whole."""
    for start in range(max(0, prep - 3), prep):
        tok = toks[start]
        initial = start == 0 or toks[start - 1].text in ".!?:"
        if not tok.text.isalpha() or (tok.text[0].isupper() and not initial):
            continue
        if tok.low in _BUILDING or (tok.low in _AT_AN_ADDRESS and _street_address(toks, prep + 1)):
            # "lokalen på Parkgatan 4" is the address, as "huset på …" is; so is "kontoret
            # på Storgatan 8" (not "kontoret på plan 3")
            continue
        definite = tok.low.endswith(("en", "et", "na", "an")) or tok.low in _PLACE_ADJECTIVES
        head = _head(toks, start, False)
        if head and head[1] == prep and (definite or _designator(toks, start)):
            return start
    return None


def _travel_target(toks: Sequence[_Tok], k: int, transport: bool) -> tuple[int, int] | None:
    """The place after "till" at ``k``: directly ("till Malmö", "till rum 20 på
    Solgården") or after a few words ("till mässan i Jönköping")."""
    n = len(toks)

    def at(i: int) -> tuple[int, int] | None:
        if transport:
            found = _place_at(toks, i, False, till=False)
            return found if found and _anchored(toks, *found) else None
        head = _head(toks, i, True)
        return (head[0], head[1]) if head and head[2] != "vague" else None

    if (direct := at(k + 1)) is not None:
        return direct
    q = k + 1
    while q < n and q - k <= 3 and toks[q].text.isalpha() and toks[q].text.islower():
        if toks[q].low in ("i", "pa"):
            found = at(q + 1) if q > k + 1 else None
            definite = toks[k + 1].low.endswith(("en", "et", "na"))
            if found and transport and q == k + 2 and definite:
                return k + 1, found[1]  # "till arkivet i stadshuset"
            return found
        if toks[q].low in _FUNCTION_WORDS:
            return None
        q += 1
    return None


_CITY_PAIR = re.compile(r"\b([A-ZÅÄÖ][\wåäö]+)\s*[-–—]\s*([A-ZÅÄÖ][\wåäö]+)\b")


def _destination(
    text: str, toks: Sequence[_Tok], transport: bool
) -> tuple[str, tuple[int, int]] | None:
    """Where a trip or transport goes, and the tokens its phrase takes."""
    for k, tok in enumerate(toks):
        home = k > 0 and toks[k - 1].low in ("hem", "tillbaka", "ater")
        if tok.low == "till" and not home and (found := _travel_target(toks, k, transport)):
            return _phrase(text, toks, *found), (k, found[1])
    if transport:
        for k, tok in enumerate(toks[:-2]):  # "lämnas på Socialkontoret"
            drop = tok.low in _DROP_OFF and toks[k + 1].low in ("pa", "i", "vid", "hos")
            if drop and (found := _place_at(toks, k + 2, False, till=False)) is not None:
                return _phrase(text, toks, *found), (k, found[1])
        return None
    for m in _CITY_PAIR.finditer(text):  # "Stockholm–Göteborg", "Arlanda-Kiruna"
        if m[2].lower() in _CITIES or (m[1].lower() in _CITIES and m[2].lower() not in _NOT_NAMES):
            return m[2], (0, 0)
    for k, tok in enumerate(toks):
        if tok.low == "i" and (head := _head(toks, k + 1, True)) and head[2] != "vague":
            return _phrase(text, toks, head[0], head[1]), (k, head[1])
    cities = {t.low for t in toks if t.low in _CITIES and _is_name(t)}
    if len(cities) == 1:  # "tågbiljetter t/r Stockholm 15/12"
        k = next(k for k, t in enumerate(toks) if t.low in cities)
        if k == 0 or toks[k - 1].low != "fran":
            return toks[k].text, (k, k + 1)
    return None


_DROP_OFF = _words("lämnas levereras lämna leverera avlämning lämnar levererar")


_WE_SEND = re.compile(
    r"\b(?:vi|jag|ska|vill|måste|behöver|att)\s+(?:\w+\s+){0,2}?(?:skicka|skickar|lämna|"
    r"lämnar|leverera|levererar|köra|kör|ta|tar|flytta|flyttar|posta|postar|"
    r"skickas|lämnas|levereras|köras|flyttas|postas|tas)\b|"
    # "… samt skicka ett rekommenderat brev till tingsrätten": where it is sent
    r"\b(?:samt|och|plus)\s+(?:skicka|posta|maila|mejla)\b"
)
_FETCH = re.compile(
    r"\b(?:hämt\w*|bli av med|ta bort|tömma|rensa|\w*leverans|återbruk\w*|skänka|flytt\w*"
    r"|bära|bär|forsla)\b"
)


def _location(
    text: str, toks: Sequence[_Tok], used: set[int], transport: bool, travel: bool
) -> str:
    n = len(toks)
    chains: list[tuple[str, int, int]] = []
    sending = not transport and bool(_WE_SEND.search(text.lower()))
    fetching = bool(_FETCH.search(text.lower()))
    i = 0
    while i < n:
        prep = toks[i].low
        if prep == "till" and sending and (sent := _place_at(toks, i + 1, False, till=True)):
            used.update(range(i, sent[1]))  # "vi skickar ... till Stadsarkivet": not our place
        if prep not in _LOCATION_PREPS or i in used or (prep == "till" and (travel or transport)):
            i += 1
            continue
        if prep == "fran" and not (transport or travel or fetching):
            i += 1  # "handskar från centrallagret": where it comes from, not where we are
            continue
        names = prep not in ("till", "fran", "av")
        if (doubt := _unknown_before_place(toks, i + 1, transport)) is not None:
            used.update(range(i, doubt))  # "på containern vid förskolan": which place is it?
            i = doubt
            continue
        found = _place_at(toks, i + 1, names, till=not transport)
        if found is None or any(k in used for k in range(*found)):
            i += 1
            continue
        start, end = found
        leads = i > 0 and prep == "till" and toks[i - 1].low.endswith(_LEADS_TO)
        if (prep in _CHAIN or leads) and (before := _definite_before(toks, i)) is not None:
            start = before
        chains.append((prep, start, end))
        i = end
    if transport:
        chains = [c for c in chains if c[0] == "fran"] or chains
    elif {"fran", "till"} <= {c[0] for c in chains}:
        return ""  # "från X till Y" for a service with one place: ask
    elif len(chains) > 1 and chains[0][0] == "till" and any(c[0] in ("i", "pa") for c in chains):
        # "eleverna flyttas till Björkskolan … rensa i källaren på Östra skolan": where
        # something goes is not where the work is, when a later place says where it is.
        chains = [c for c in chains if c[0] != "till"]
    if not chains:
        chains = _bare_places(toks, used, transport)
    if not chains:
        return ""
    _, start, end = chains[0]
    return _phrase(text, toks, start, end) if _anchored(toks, start, end) else ""


def _unknown_noun(tok: _Tok) -> bool:
    """A lowercase definite noun the place rules know nothing about."""
    low = tok.low
    if not tok.text.isalpha() or not tok.text.islower() or not low.endswith(("n", "t", "na")):
        return False
    known = _is_place_word(low) or low in _NOT_A_PLACE or low.endswith(_EVENT_ENDS)
    return not (known or low in _GOES_ON or low in _PLACE_ADJECTIVES or low in _STOP_NOUNS)


def _unknown_word(toks: Sequence[_Tok], i: int) -> bool:
    """A lowercase word after "i/på/vid" behind a place that is neither a place, a time
    nor a known thing or idiom: the place phrase may go on with it."""
    tok = toks[i]
    low = tok.low
    if not tok.text.isalpha() or not tok.text.islower():
        return False
    if _is_place_word(low) or _designator(toks, i) is not None or low.endswith("dags"):
        return False
    known = low in _NOT_A_PLACE or low.endswith(_EVENT_ENDS) or low in _GOES_ON
    known = known or low in _IDIOMS or low in _PLACE_ADJECTIVES or low in _STOP_NOUNS
    return not known and word_to_int(low) is None


def _unknown_before_place(toks: Sequence[_Tok], i: int, transport: bool) -> int | None:
    """End of "<noun> i/på/vid <place>" when the noun after a preposition is neither a
    known place nor a known thing: the place may be the noun's or the noun itself."""
    n = len(toks)
    while i < n and toks[i].low in _SKIP:
        i += 1
    if i + 2 >= n or not toks[i].text.isalpha() or not toks[i].text.islower():
        return None
    if not _unknown_noun(toks[i]) or toks[i + 1].low not in _CHAIN | {"till"}:
        return None
    found = _place_at(toks, i + 2, True, till=not transport)
    return found[1] if found else None


def _bare_places(
    toks: Sequence[_Tok], used: set[int], transport: bool
) -> list[tuple[str, int, int]]:
    """A place said without a preposition: a clause of its own (", rum 214", "Kulturhuset:"),
    a room number ("sal 3") or a named place ("boka Sessionssalen")."""
    n = len(toks)
    for i in range(n):
        if i and toks[i - 1].text not in _CLAUSE_END:
            continue
        found = _place_at(toks, i, False, till=not transport)
        after = toks[found[1]].text if found and found[1] < n else ","
        if found and after in _CLAUSE_END and not any(k in used for k in range(*found)):
            named = i > 1 and toks[i - 1].text == "," and toks[i - 2].text[:1].isupper()
            if named and i > 2 and toks[i - 3].text not in ".!?:":
                return []  # "från Socialförvaltningen, Hamngatan 4": the name may belong to it
            return [("", *found)]
    for i in range(n):
        initial = i == 0 or toks[i - 1].text in ".!?:"
        named = not initial and _is_name(toks[i]) and _is_place_word(toks[i].low)
        # "fönsterputs kommunhuset plan 3": a building written small, right before its floor
        # or room
        site = (
            i + 1 < n
            and (toks[i].low in _SITES or toks[i].low.endswith(_SITE_ENDS))
            and toks[i].low not in _NOT_SITES
            and _designator(toks, i + 1) is not None
        )
        if (named or site or _designator(toks, i) is not None) and i not in used:
            found = _place_at(toks, i, False, till=not transport)
            if found and not any(k in used for k in range(*found)):
                return [("", *found)]  # "boka Sessionssalen", "boka rum 214 på tisdag"
    return []


# Sites: a building, school or office that says where in the municipality, unlike a room.
_SITES = _words(
    "kommunhuset stadshuset rådhuset tingsrätten länsstyrelsen stadsarkivet stadsbiblioteket "
    "medborgarhuset kulturhuset"
)
_SITE_ENDS = _ends(
    "huset",
    "skolan",
    "skola",
    "kontoret",
    "gården",
    "boendet",
    "hemmet",
    "hallen",
    "badet",
    "kvarteret",
)
_NOT_SITES = _words(
    "trapphuset miljöhuset växthuset förrådshuset sophuset skolgården förskolegården "
    "innergården bakgården lekgården skolgård entréhallen trapphallen"
)


def _anchored(toks: Sequence[_Tok], start: int, end: int) -> bool:
    """Whether a place phrase says where in the municipality: a name, an address, a room
    number, a city or a building. "matsalen" or "entrén" alone does not."""
    for k in range(start, end):
        tok = toks[k]
        initial = k == 0 or toks[k - 1].text in ".!?:"
        if _is_name(tok) and not (initial and _is_room(tok.low)):
            return True  # "Solgården", "Västra skolan"; not "Matsalen" starting a sentence
        if _designator(toks, k) is not None or _street_city_or_site(toks, k, end):
            return True
        if tok.text.isdigit() and k + 1 < end and toks[k + 1].text == ":":
            return True  # "3:e våningen"
        if tok.low in _PLACE_ADJECTIVES and k + 1 < end and toks[k + 1].low in _FLOORS:
            return True  # "andra våningen"
        if tok.low in _WHICH_ROOM and k + 1 < end and _is_room(toks[k + 1].low):
            return True  # "lilla sammanträdesrummet": asked where, the person says it again
    return False


def names_building(place: str) -> bool:
    """Whether a place says which building it is in: a name ("Västra skolan"), an address,
    a city or a building ("stadshuset", "socialkontoret"). A room alone ("sal A", "rum 214
    på plan 2", "toaletterna") does not: the one who comes needs to know where it is."""
    toks = _tokens(place)
    for k, tok in enumerate(toks):
        initial = k == 0 or toks[k - 1].text in ".!?:,"
        if _is_name(tok) and not (initial and _is_room(tok.low)):
            previous = toks[k - 1].low if k > 0 else ""
            if not (previous in _DESIGNATORS or _ROOM_ID.match(tok.text)):
                return True  # "Solgården"; not the "A" of "sal A"
        if _street_city_or_site(toks, k, len(toks)):
            return True
    return False


def _street_city_or_site(toks: Sequence[_Tok], k: int, end: int) -> bool:
    """Whether the word at ``k`` is a street ("Storgatan 12"), a city or a building
    ("stadshuset", "kommunhusets garage")."""
    tok = toks[k]
    numbered = k + 1 < end and _house_number(toks, k + 1)
    if (_STREET.match(tok.low) and (tok.text[0].isupper() or numbered)) or tok.low in _CITIES:
        return True
    stem = tok.low[:-1] if tok.low.endswith("s") else tok.low
    return tok.low in _SITES or stem in _SITES or _is_site(tok.low) or _is_site(stem)


def _is_site(low: str) -> bool:
    """A compound naming a building, school or office ("socialkontoret", "björkskolan")."""
    compound = any(low.endswith(e) and len(low) >= len(e) + 2 for e in _SITE_ENDS)
    return compound and not _is_vague(low) and low not in _NOT_SITES


def _is_room(low: str) -> bool:
    """A room or area of a building rather than the building ("Matsalen" starting a sentence)."""
    return _is_place_word(low) and not (low in _SITES or _is_site(low))


def _phrase(text: str, toks: Sequence[_Tok], start: int, end: int) -> str:
    return text[toks[start].start : toks[end - 1].end].strip(" ,.;:!?")


def _places(text: str, fields: Sequence[str]) -> dict[str, str]:
    """location and destination of a first message, for the fields the service asks."""
    want_location, want_destination = "location" in fields, "destination" in fields
    if not (want_location or want_destination):
        return {}
    toks = _tokens(text)
    transport = want_location and want_destination
    travel = want_destination or bool(_TRAVEL.search(text.lower()))
    out: dict[str, str] = {}
    used: set[int] = set()
    if travel and (dest := _destination(text, toks, transport)) is not None:
        used.update(range(*dest[1]))
        if want_destination:
            out["destination"] = dest[0]
    if want_location and (place := _location(text, toks, used, transport, travel)):
        out["location"] = _with_heading(text, place)
    elif want_location and (label := _place_label(text)):
        out["location"] = label
    return out


# A place said as a label before what happens there: "Norrgårdens förskola: taklampan …".
_LABEL = re.compile(r"^\s*(?P<head>[A-ZÅÄÖ][\wåäöÅÄÖ-]+(?:\s+[\wåäöÅÄÖ0-9-]+){0,3}?)\s*:\s+\S")


def _place_label(text: str) -> str:
    """The label before a colon at the start of a message when it is wholly a place (read
    as "på <label>"); "" otherwise ("Obs: …", "Hej: …")."""
    match = _LABEL.match(text)
    if match is None:
        return ""
    head = match["head"].strip()
    if head.lower() in _NO_HEADING or head.split()[0].lower() in _NO_HEADING:
        return ""
    words = head.split()
    # "Lindens förskola", "Solgården", "Storgatan 8": a name with a word for a place
    if not (_is_building(head) or (len(words) >= 2 and _is_place_word(words[-1].lower()))):
        return ""
    said = f"på {head}"
    place = _location(said, _tokens(said), set(), False, False)
    return head if place == head else ""


# A place said first as a heading: "Björkskolan hus C: i klassrum 12 blinkar lysröret".
_HEADING = re.compile(
    r"^\s*(?P<head>[A-ZÅÄÖ][\wåäöÅÄÖ-]+(?:\s+[\wåäöÅÄÖ0-9-]+){0,3}?)\s*[:,]\s+"
    r"(?:i|på|vid|inne i|ute på|uppe på|nere i)\s"
)
_NO_HEADING = frozenset(
    {"hej", "hejsan", "hallå", "tjena", "tack", "akut", "brådskande", "viktigt", "obs"}
    | {"hjälp", "förlåt", "ursäkta", "god"}
)


def _with_heading(text: str, place: str) -> str:
    """A room found in the message with the building named first as its heading
    ("Björkskolan hus C, klassrum 12"); the place as found otherwise."""
    match = _HEADING.match(text)
    if match is None or names_building(place):
        return place
    head = match["head"].strip()
    if head.lower() in _NO_HEADING or head.split()[0].lower() in _NO_HEADING:
        return place
    if head.lower() in place.lower() or not _is_building(head):
        return place
    return f"{head}, {place}"


_BUILDING_PART = re.compile(r"\b(?:hus|avd\.?|avdelning|plan|våning|byggnad|block)\s+\w+", re.I)


def _is_building(words: str) -> bool:
    """Whether ``words`` name a building or a part of one ("Björkskolan hus C", "Solgården
    avd 2", "stadshuset"), not just a name ("Lisa här")."""
    toks = _tokens(words)
    return bool(_BUILDING_PART.search(words)) or any(
        _street_city_or_site(toks, k, len(toks)) for k in range(len(toks))
    )


# Words typed without å/ä/ö ("pa fredag nasta vecka"), restored letter for letter so that
# every offset into the text stays the same; names are never touched.
_UNACCENTED = {
    "pa": "på",
    "nasta": "nästa",
    "mandag": "måndag",
    "lordag": "lördag",
    "sondag": "söndag",
    "overmorgon": "övermorgon",
    "manad": "månad",
    "manader": "månader",
    "tva": "två",
    "forsta": "första",
    "fore": "före",
    "ar": "är",
    "nar": "när",
    "fran": "från",
}
_UNACCENTED_WORD = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in _UNACCENTED) + r")\b")


def restore_letters(text: str) -> str:
    """``text`` with common words typed without å/ä/ö restored (same length)."""

    def put_back(m: re.Match[str]) -> str:
        word = m[0]
        return _UNACCENTED[word] if len(_UNACCENTED[word]) == len(word) else word

    return _UNACCENTED_WORD.sub(put_back, text)


_SELF_CORRECTION = re.compile(r"\b(?:nej|nä),?\s+(?:förlåt|jag menar|menar|sorry)\b|\bjag menar\b")


_LIST_NUMBER = re.compile(r"\s*\b\d\)\s*")


# A name typed in lower case before the kind of place it names ("på granbackens förskola",
# "vid mossebo skola"), in a message typed without capitals.
_LOWER_NAME = re.compile(
    r"\b(?<![-/])([a-zåäö]{4,})(\s+(?:förskola|skola|äldreboende|gruppboende|vårdboende|"
    r"bibliotek|fritidsgård|sporthall|simhall|idrottshall|servicehus|kulturhus)\b)"
)


def _names_in_lower_case(text: str) -> str:
    """``text`` with the names of places capitalised when the whole message is typed in
    lower case: a word no dictionary knows before a kind of place ("mossebo skola" ->
    "Mossebo skola"); known words ("nya skola", "vår förskola") stay as they are."""
    if any(c.isupper() for c in text):
        return text
    from nlu._lexicon import lemma_set, stop_words

    known, stops = lemma_set(), stop_words()

    def named(m: re.Match[str]) -> str:
        word = m[1]
        base = word[:-1] if word.endswith("s") else word
        if word in stops or word in known or base in known:
            return m[0]
        return word.capitalize() + m[2]

    return _LOWER_NAME.sub(named, text)


def extract_details(
    text: str, fields: Sequence[str], now: datetime, *, happened: bool = False
) -> dict[str, str]:
    """Details present in a first message among ``fields``: location, destination, date,
    return_date, time, quantity and participants; descriptions are left to the dialogue.
    Past, invalid, vague or ambiguous values are left out so the form asks for them. For
    a fault (``happened``) the date is the day it happened: today or a day before, never
    one to come."""
    out: dict[str, str] = {}
    # "1) ett rum 2) fika": a list's numbers are no room numbers or counts.
    text = _LIST_NUMBER.sub(", ", text)
    text = _names_in_lower_case(text)
    said = text
    text = restore_letters(text)
    low = _CLOCK_SAID.sub("kl ", restore_letters(text.lower()))
    today = _today(now)
    if "date" in fields or "return_date" in fields:
        first, back = _dates(low, now, today, happened)
        if first is not None and "date" in fields:
            out["date"] = first.isoformat()
        if back is not None and "return_date" in fields:
            out["return_date"] = back.isoformat()
    if "time" in fields and (clock := _first_time(low)) and clock.valid:
        out["time"] = clock.as_text()
        # "kl 14, nej förlåt kl 13": a time corrected in the same message is the later one.
        fix = list(_SELF_CORRECTION.finditer(low))
        if fix and (again := _first_time(low[fix[-1].end() :])) and again.valid:
            out["time"] = again.as_text()
    count_field = next((f for f in ("participants", "quantity") if f in fields), None)
    if count_field and (count := _counts(low, count_field == "participants")) is not None:
        out[count_field] = str(count)
    for key, value in _places(text, fields).items():
        # The place as the person wrote it ("matsalen pa Lindskolan"): same offsets.
        at = text.find(value)
        out[key] = said[at : at + len(value)] if at >= 0 else value
    return out
