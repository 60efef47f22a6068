"""Swedish details for order forms: dates, times and quantities.

All functions are pure; "now" is injected (Europe/Stockholm). Conventions:
- a weekday ("på torsdag") is its next occurrence after today; today itself is
  excluded because people say "idag" for today. "nästa torsdag" is the Thursday of
  next calendar week.
- "nästa vecka" is Monday of next week, flagged ``approximate``.
- a day and month without a year ("12 mars", "12/3") that has passed this year means
  next year (like dateparser's PREFER_DATES_FROM=future); explicit past dates are
  returned with ``in_past=True`` so the form can ask again.
- an hour 1-6 said in words ("halv tre", "klockan två") means the afternoon.
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
    "DateResult", "QuantityResult", "TimeResult", "confirmation", "extract_details", "parse_date",
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
_RELATIVE = (("övermorgon", 2), (r"i\s?morgon|imorgon", 1), (r"i\s?dag|idag", 0))
_WEEKDAY = re.compile(rf"\b(nästa\s+)?({'|'.join(WEEKDAYS)})(?:en)?\b")

_CLOCK = r"(?:kl\.?|klockan)"
_HM = r"(\d{1,2})(?:[:.](\d{2}))?"
_RANGE = re.compile(rf"(?:{_CLOCK}\s*|mellan\s+)?\b{_HM}\s*(?:-|–|till|och)\s*{_HM}\b")
_AT = re.compile(rf"{_CLOCK}\s*{_HM}\b|\b(\d{{1,2}})[:](\d{{2}})\b")
_WORD_TIME = re.compile(rf"(?:{_CLOCK}\s+)?\b(halv\s+)?([a-zåäö]+)\b")

_APPROX = re.compile(
    r"\b(ca\.?|cirka|runt|ungefär|omkring|kring|typ|max|uppåt|kanske|drygt|knappt|nästan)\s*$"
)
_APPROX_AFTER = re.compile(
    r"^(?:-?ish|\s*(?:personer|pers|st|stycken|deltagare)?\s*(?:ungefär|cirka|ca|typ|ish"
    r"|eller så|plus minus|kanske)\b)"
)
_QTY_RANGE = re.compile(r"\b(\d+)\s*(?:-|–|till|à|eller)\s*(\d+)\b")
_QTY = re.compile(r"(-?\d+)(?:\s*-?tal)?|\b([a-zåäö]+?)(tal)?\b")
_UNIT = re.compile(r"^\s*(personer|person|pers|deltagare|st|stycken|gäster|exemplar|ex)\b")


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


def _relative_date(text: str, today: date) -> DateResult | None:
    for pattern, days in _RELATIVE:
        if re.search(rf"\b(?:i\s+)?(?:{pattern})\b", text):
            return _result(today + timedelta(days=days), today)
    monday_next = today + timedelta(days=7 - today.weekday())
    if m := _WEEKDAY.search(text):
        wanted = WEEKDAYS.index(m[2])
        if m[1] or re.search(r"\bnästa\s+vecka\b", text):
            return _result(monday_next + timedelta(days=wanted), today)
        ahead = (wanted - today.weekday()) % 7 or 7
        return _result(today + timedelta(days=ahead), today)
    if re.search(r"\bnästa\s+vecka\b", text):
        return _result(monday_next, today, approximate=True)
    return None


def parse_date(text: str, now: datetime) -> DateResult | None:
    """A date in Swedish text: relative words, weekdays, "12 mars", "12/3", ISO."""
    low = text.lower()
    today = _today(now)
    if any(p.search(low) for p in (_ISO, _DAY_MONTH, _SLASH)):
        return _explicit_date(low, today)  # an impossible date ("31/2") stays None
    found = _explicit_date(low, today) or _relative_date(low, today)
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
    return _result(parsed.date(), today) if parsed else None


def _clock(hour: int, minute: int) -> time | None:
    return time(hour % 24, minute) if 0 <= hour <= 24 and 0 <= minute < 60 else None


def parse_time(text: str) -> TimeResult | None:
    """A clock time or range: "kl 10", "kl. 13.30", "10:15", "13-15", "halv tre"."""
    low = text.lower()
    m = _RANGE.search(low)
    if m and (re.search(rf"{_CLOCK}|mellan", low[: m.end()]) or low.strip() == m[0].strip()):
        start, end = _clock(int(m[1]), int(m[2] or 0)), _clock(int(m[3]), int(m[4] or 0))
        return TimeResult(start, end) if start and end else TimeResult(None, None, False)
    if m := _AT.search(low):
        hour, minute = (m[1], m[2]) if m[1] else (m[3], m[4])
        start = _clock(int(hour), int(minute or 0))
        return TimeResult(start) if start else TimeResult(None, None, False)
    return _word_time(low)


def _word_time(low: str) -> TimeResult | None:
    for m in _WORD_TIME.finditer(low):
        hour = word_to_int(m[2])
        said_clock = m[0].startswith("kl")
        if hour is None or not (m[1] or said_clock) or not 1 <= hour <= 12:
            continue
        hour = hour + 12 if hour <= 6 else hour
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
    rf"\b(mellan\s+|från\s+)?(?:på\s+)?(nästa\s+)?({_WD})(?:en)?({_TO}|\s+och\s+)(?:på\s+)?({_WD})"
    r"(?:en)?\b(\s+nästa\s+vecka)?"
)
_RETURN = re.compile(
    r"\b(?:hem(?:resa|resan|åt|färd|färden)?|tillbaka|retur(?:resa|resan)?"
    r"|åter(?:resa|resan|komst)?|utcheckning(?:en)?|checka[r]?\s+ut)\b([^,.;!?]{0,40})"
)
_DAY_AFTER = re.compile(r"\b(?:dagen|dan)\s+(?:efter|därpå|därefter)\b")
_SAME_DAY = re.compile(r"\bsamma\s+dag\b")
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
_KVART = re.compile(r"\bkvart\s+(över|i)\s+(\d{1,2}|[a-zåäö]+)\b")
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
        if "och" in m[4] and not (m[1] or "").startswith("mellan"):
            continue
        first = _relative_date(f"{m[2] or ''}{m[3]}{m[6] or ''}", today)
        if first is not None:
            last = DateResult(_ahead(first.value, WEEKDAYS.index(m[5])))
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
    clean = _NOT_A_COMING_DAY.sub(" ", low)
    found = parse_date(clean, now)
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


def _dates(low: str, now: datetime, today: date) -> tuple[date | None, date | None]:
    """The first day and, for trips and stays, the last day of a first message."""
    low = _blank(low, [_TICKET, _PHONE, _DEADLINE])
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


def _first_time(low: str) -> TimeResult | None:
    """A clock time or range in a whole message; a date range or a count is not one."""
    low = _blank(low, [_TICKET, _PHONE, _WEEK, _ISO, _SLASH_RANGE, _DAY_RANGE, _BETWEEN_DAYS])
    low = _blank(low, [_DAY_MONTH, _SLASH])
    for m in _TIME_SPAN.finditer(low):
        if _NOT_TIME_AFTER.match(low[m.end() :]):
            continue
        pre, h1, h2 = (m["pre"] or "").strip(), int(m[2]), int(m[5])
        m1, m2 = m[3], m[6]
        if m["sep"] == "och" and not pre.startswith("mellan"):
            continue
        before = low[: m.start()].split()[-1:]
        if pre.startswith(("kl", "klockan")):
            pass
        elif pre.startswith(("mellan", "från")) or (m1 and m2):
            if not (_ok_hours(h1, h2) or (m1 and m2)):
                continue
        elif not (m["sep"] in "-–—" and 7 <= h1 < h2 <= 22) or set(before) & _COUNT_BEFORE_TIME:
            continue
        start, end = _clock(h1, int(m1 or 0)), _clock(h2, int(m2 or 0))
        if start and end:
            return TimeResult(start, end)
    if at := _CLOCK_AT.search(low):
        hour, minute = (at[1], at[2]) if at[1] else (at[3], at[4])
        start = _clock(int(hour), int(minute or 0))
        return TimeResult(start) if start else None
    if (dotted := _DOTTED.search(low)) and 6 <= int(dotted[1]) <= 22:
        return TimeResult(time(int(dotted[1]), int(dotted[2])))
    if kvart := _KVART.search(low):
        said = int(kvart[2]) if kvart[2].isdigit() else word_to_int(kvart[2])
        if said is not None and 1 <= said <= 12:
            said = said + 12 if said <= 6 else said
            return TimeResult(time(said, 15) if kvart[1] == "över" else time(said - 1, 45))
    return _word_time(low)


# -- counts ---------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
    "ordernummer à á per år kvart halv sedan sen avdelning paragraf punkt"
)
_COUNT_CUES = _words("för till blir är antal antalet totalt sammanlagt")
_APPROX_WORDS = _words(
    "ca cirka runt ungefär omkring kring typ max maximalt minst drygt knappt nästan uppåt kanske"
)
_FUNCTION_WORDS = _words(
    "på i kl klockan den det och som vid till för med om från under efter innan inför "
    "nästa idag imorgon ikväll ungefär ca cirka typ ish eller st så tack men samt plus "
    "hos alla totalt sammanlagt"
) | frozenset(WEEKDAYS)
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
    r"\b(?:jag|mig)\s+och\s+(en|ett|\d{1,3}|[a-zåäö]+)\s+(?:till\s+)?"
    r"(?:kollega|kollegor|kolleger|person|personer|medarbetare|chef|chefer|deltagare)\b"
)


def _counts(low: str, people: bool) -> int | None:
    """A count of people (``people``) or of things in a whole message."""
    if people and (me := _ME_AND.search(low)):
        others = 1 if me[1] in ("en", "ett") else _count_value(me[1])[0]
        return others + 1 if others else None
    low = _blank(low, [_TICKET, _PHONE, _WEEK, _ISO, _SLASH_RANGE, _DAY_RANGE, _BETWEEN_DAYS])
    low = _blank(low, [_MONTH_RANGE, _DEN_RANGE, _DAY_MONTH, _SLASH, _DAY_ONLY, _KVART])
    if clock := _first_time(low):
        low = _blank(low, [_TIME_SPAN]) if clock.end else low
    low = _blank(low, [_CLOCK_AT, _DOTTED, _WORD_CLOCK])
    toks = [(m[0], m.start()) for m in re.finditer(r"\d+(?:[.,]\d+)?|[a-zåäö]+|[^\w\s]", low)]
    strong: list[int] = []
    weak: list[int] = []
    for k, (word, _) in enumerate(toks):
        if not _COUNT_TOKEN.fullmatch(word) or "." in word or "," in word:
            continue
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
        glued = prev in ("-", "/", "+") or (prev == ":" and prev2.isdigit())
        if prev in _BEFORE_NOT_COUNT or glued or nxt in ("/", "%"):
            continue
        if prev.endswith(_STREET_ENDS) or prev.endswith(("rum", "sal")):
            continue
        if nxt in _NOT_COUNTED or _is_place_word(nxt):
            continue
        if _YEAR_ONLY.fullmatch(word) and nxt not in _THING_UNITS | _PEOPLE:
            continue
        approx = approx or prev in _APPROX_WORDS
        open_end = not nxt or not nxt.isalpha() or nxt in _FUNCTION_WORDS
        cue = prev in _COUNT_CUES or prev in ("blir", "är") or approx
        if people:
            if prev == "och" and prev2 in ("jag", "mig"):
                continue  # "jag och två kollegor" is three
            if nxt in _PEOPLE or (cue and open_end):
                strong.append(value)
            elif word.isdigit() and open_end:
                weak.append(value)
        elif not word.isdigit() and not (nxt or approx):
            continue
        elif nxt in _THING_UNITS or nxt in _PEOPLE or approx or (nxt.isalpha() and not open_end):
            strong.append(value)
        elif word.isdigit() and open_end:
            weak.append(value)
    if people and strong:
        return strong[0]
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
_STREET_ENDS = (
    "gatan", "vägen", "gränd", "gränden", "torget", "allén", "backen", "stigen", "leden",
    "esplanaden", "promenaden", "kajen", "plan", "platsen", "liden",
)  # fmt: skip
_STREET = re.compile(rf"^[^\W\d_]{{3,}}(?:{'|'.join(_STREET_ENDS)})$")
_DESIGNATORS = _words(
    "rum sal hus plan våning vån våningsplan lokal ingång port byggnad trappa avdelning avd "
    "korridor flygel entré uppgång trapphus block sektion lgh lägenhet paviljong modul"
)
_PLACE_ADJECTIVES = _words(
    "stora lilla gamla nya övre nedre västra östra norra södra bakre främre inre yttre "
    "översta nedersta"
)
# A building said as "huset på Bergsgatan 14" is the address.
_BUILDING = _words("huset byggnaden fastigheten lokalen lokalerna")
_IDENT = re.compile(
    r"^(?:\d{1,4}[A-Za-zÅÄÖåäö]?|\d+(?:[.:]\d+)+|[A-ZÅÄÖ]\d{0,4}|[A-ZÅÄÖ]{1,2}\d{1,4}[A-Za-z]?)$"
)
_PLACE_ENDS = (
    "skolan", "skola", "gården", "gård", "huset", "hallen", "hall", "boendet", "boende",
    "biblioteket", "bibliotek", "salen", "sal", "rummet", "rummen", "centret", "centrum",
    "parken", "park", "badet", "kyrkan", "kyrka", "gymnasiet", "torget", "torg", "gatan",
    "vägen", "platsen", "arenan", "museet", "kliniken", "förrådet", "förråd", "garaget",
    "garage", "köket", "kök", "lagret", "kontoret", "entrén", "entré", "receptionen",
    "arkivet", "parkeringen", "rätten", "hemmet", "stugan", "källaren", "verkstaden",
    "vaktmästeriet", "salarna", "vårdcentralen", "vårdcentral", "simhall", "ishall",
)  # fmt: skip
_PLACE_WORDS = _words(
    "matsalen matsal köket kök entrén entré huvudentrén receptionen reception aulan aula "
    "foajén lobbyn personalrummet lärarrummet fikarummet skolgården parkeringen garaget "
    "källaren vinden tvättstugan vaktmästeriet lekplatsen biblioteket gymmet "
    "vårdcentralen kommunhuset stadshuset rådhuset tingsrätten länsstyrelsen "
    "gymnastiksalen idrottshallen sporthallen simhallen ishallen innergården "
    "stationen centralstationen busstationen toaletten toaletterna toan korridoren "
    "trapphuset hissen rummet rum salen sal klassrummet klassrum huset hus lokalen lokal "
    "lokalerna byggnaden skolan skola förskolan förskola gården kontoret kontor"
)
# Places of which a workplace has many: taken only with a name, number or a place after.
_VAGUE_PLACES = _words(
    "rummet rum salen sal klassrummet klassrum mötesrummet mötesrum konferensrummet "
    "konferensrum grupprummet grupprum sammanträdesrummet sammanträdesrum arbetsrummet "
    "kontoret kontor lokalen lokal lokalerna huset hus byggnaden skolan skola förskolan "
    "förskola grundskolan gymnasieskolan gymnasiet särskolan äldreboendet äldreboende "
    "boendet gruppboendet korridoren toaletten toaletterna toan omklädningsrummet "
    "omklädningsrummen trapphuset förrådet förråd gården hallen lagret vägen gatan "
    "kontorsrummet lektionssalen kyrkan parken badet hissen stationen"
)
_NOT_PLACES = _words("arbetsplatsen mötesplatsen hemvägen handlingsplanen universal kontrollhall")
_ENTRANCES = _words("entrén ingången porten infarten dörren grinden huvudentrén")
_CHAIN = _words("i på vid bakom utanför framför bredvid intill")
_LOCATION_PREPS = _CHAIN | _words("till från runt av")
_SKIP = frozenset(["hela", "själva"])
_ORG_ENDS = (
    "förvaltningen", "förvaltning", "avdelningen", "enheten", "sektionen", "gruppen",
    "teamet", "nämnden", "staben", "bolaget",
)  # fmt: skip
_NOT_NAMES = (
    _words(
        "jul julafton påsk midsommar nyår lucia teams zoom skype outlook excel word powerpoint "
        "windows office microsoft google chrome edge visma agresso raindance lifecare "
        "procapita treserva heroma personec medvind platina ciceron public tieto evry "
        "intranätet intranät internet wifi eduroam sharepoint onedrive bankid siths freja "
        "adobe pdf ipad iphone android mac jag vi du ni han hon de hej tack mvh hälsningar "
        "sd it hr gdpr lss ekonomi personal kommunikation kultur fritid kommunen regionen "
        "sverige svenska engelska please"
    )
    | frozenset(WEEKDAYS)
    | frozenset(MONTHS)
)
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
    r"|taxi|färja|färjan)\b"
)
_CLAUSE_END = frozenset(",:;.!?–-)")
# Words that may follow a place and stand before a number without being part of it.
_GOES_ON = (
    _words(
        "kl klockan den vecka v för ca cirka ungefär runt kring till mellan från och med på i "
        "vid nästa alla totalt typ senast helst gärna efter före innan inför om under är blir "
        "har var ska skulle kan behöver vill"
    )
    | frozenset(WEEKDAYS)
    | frozenset(MONTHS)
    | _PEOPLE
    | _THING_UNITS
    | _FUNCTION_WORDS
)
_ROOM_ID = re.compile(r"^(?:\d{1,4}[A-Za-zÅÄÖåäö]?|[A-ZÅÄÖ]\d{0,4}|[A-ZÅÄÖ]{1,2}\d{1,4}[A-Za-z]?)$")


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m[0], m[0].lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _is_place_word(low: str) -> bool:
    if low in _NOT_PLACES or ("-" in low and low.endswith(_ORG_ENDS)):
        return False
    if low in _PLACE_WORDS or low in _VAGUE_PLACES:
        return True
    return any(low.endswith(e) and len(low) >= len(e) + 3 for e in _PLACE_ENDS)


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
    if not _IDENT.match(ident) or _YEAR_ONLY.fullmatch(ident):
        return None
    if j + 1 < n and toks[j + 1].low in _PEOPLE | _NOT_COUNTED:
        return None
    return j + 1


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
    if tok.low in _PLACE_ADJECTIVES and tok.text.isalpha() and i + 1 < n:
        after = toks[i + 1]
        definite = after.low.endswith(("en", "et", "na", "én"))
        if after.text.islower() and definite and _is_place_word(after.low):
            head = _head(toks, i + 1, names)
            return (i, head[1], "place") if head else None
    if _STREET.match(tok.low) and tok.low not in _NOT_PLACES:
        if i + 1 < n and re.fullmatch(r"\d{1,3}[A-Za-z]?", toks[i + 1].text):
            return i, i + 2, "place"
        if _is_name(tok):
            return i, i + 1, "place"
    j = i
    while j < n and _is_name(toks[j]):
        j += 1
    if j > i:
        kind = "name"
        if any(_is_place_word(t.low) for t in toks[i:j]) or toks[i].low in _CITIES:
            kind = "place"
        nxt = toks[j] if j < n else None
        noun = nxt is not None and not nxt.text[0].isupper() and _is_place_word(nxt.low)
        if noun and _designator(toks, j) is None:
            return i, j + 1, "place"
        return (i, j, kind) if kind == "place" or names else None
    if tok.text.isalpha() and tok.low in _CITIES:
        return i, i + 1, "place"
    if not tok.text.isalpha() or tok.text[0].isupper() or not _is_place_word(tok.low):
        return None
    end, kind = i + 1, "vague" if _is_vague(tok.low) else "place"
    if end < n and _is_name(toks[end]):
        while end < n and _is_name(toks[end]):
            end += 1
        kind = "place"
    return i, end, kind


def _place_at(
    toks: Sequence[_Tok], i: int, names: bool, till: bool = True
) -> tuple[int, int] | None:
    """(start, end) of a whole place phrase at ``i``: a head with its numbers ("hus C,
    rum C112") and the places it is in ("matsalen på Solgården")."""
    head = _head(toks, i, names)
    if head is None:
        return None
    start, end, kind = head
    n, qualified, building = len(toks), False, toks[start].low in _BUILDING and end == start + 1
    while end < n:
        comma = toks[end].text == ","
        nxt = end + 1 if comma else end
        if (stop := _designator(toks, nxt)) is not None:
            end, qualified, building = stop, True, False
            continue
        word = toks[end].low
        linked = word in _CHAIN or (word == "till" and till and toks[end - 1].low in _ENTRANCES)
        if linked and (sub := _place_at(toks, end + 1, True, till)) is not None:
            if building:  # "huset på Bergsgatan 14" is "Bergsgatan 14"
                start, building = sub[0], False
            end, qualified = sub[1], True
            continue
        if word == "mellan" and (one := _place_at(toks, end + 1, True, till)) is not None:
            two = _place_at(toks, one[1] + 1, True, till) if one[1] < n else None
            if toks[one[1] if one[1] < n else -1].low == "och" and two is not None:
                end, qualified = two[1], True
                continue
        if comma and (sub := _place_at(toks, nxt, False, till)) is not None:
            after = toks[sub[1]].text if sub[1] < n else ","
            if after in _CLAUSE_END and _head(toks, nxt, False) is not None:
                end, qualified = sub[1], True
                continue
        break
    if kind == "vague" and not qualified:
        return None
    unknown = end + 1 < n and toks[end].text.isalpha() and toks[end].text.islower()
    if unknown and toks[end].low not in _GOES_ON and _ROOM_ID.match(toks[end + 1].text):
        return None  # "på Solgården avd 2" with a word the rules do not know: ask
    return start, end


def _definite_before(toks: Sequence[_Tok], prep: int) -> int | None:
    """Start of a definite place word (with a name) right before a preposition, so that
    "konferensrummet Eken på stadshuset" is kept whole."""
    for start in range(max(0, prep - 3), prep):
        tok = toks[start]
        initial = start == 0 or toks[start - 1].text in ".!?:"
        if not tok.text.isalpha() or (tok.text[0].isupper() and not initial):
            continue
        definite = tok.low.endswith(("en", "et", "na", "én")) or tok.low in _PLACE_ADJECTIVES
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
            return _place_at(toks, i, False, till=False)
        head = _head(toks, i, True)
        return (head[0], head[1]) if head and head[2] != "vague" else None

    if (direct := at(k + 1)) is not None:
        return direct
    q = k + 1
    while q < n and q - k <= 3 and toks[q].text.isalpha() and toks[q].text.islower():
        if toks[q].low in ("i", "på"):
            found = at(q + 1) if q > k + 1 else None
            definite = toks[k + 1].low.endswith(("en", "et", "na", "én"))
            if found and transport and q == k + 2 and definite:
                return k + 1, found[1]  # "till arkivet i stadshuset"
            return found
        if toks[q].low in _FUNCTION_WORDS:
            return None
        q += 1
    return None


def _destination(toks: Sequence[_Tok], transport: bool) -> tuple[tuple[int, int], int] | None:
    """(place, index where its phrase starts) of where a trip or transport goes."""
    for k, tok in enumerate(toks):
        home = k > 0 and toks[k - 1].low in ("hem", "tillbaka", "åter")
        if tok.low == "till" and not home and (found := _travel_target(toks, k, transport)):
            return found, k
    if transport:
        return None
    for k in range(len(toks) - 2):  # "Stockholm–Göteborg"
        pair = _is_name(toks[k]) and _is_name(toks[k + 2])
        city = toks[k].low in _CITIES or toks[k + 2].low in _CITIES
        if toks[k + 1].text in ("-", "–", "—") and pair and city:
            return (k + 2, k + 3), k
    for k, tok in enumerate(toks):
        if tok.low == "i" and (head := _head(toks, k + 1, True)) and head[2] != "vague":
            return (head[0], head[1]), k
    return None


_WE_SEND = re.compile(
    r"\b(?:vi|jag)\s+(?:\w+\s+){0,2}(?:skicka|skickar|lämna|lämnar|leverera|levererar|köra|"
    r"kör|ta|tar|flytta|flyttar)\b"
)


def _location(
    text: str, toks: Sequence[_Tok], used: set[int], transport: bool, travel: bool
) -> str:
    n = len(toks)
    chains: list[tuple[str, int, int]] = []
    sending = not transport and bool(_WE_SEND.search(text.lower()))
    i = 0
    while i < n:
        prep = toks[i].low
        if prep == "till" and sending and (sent := _place_at(toks, i + 1, False, till=True)):
            used.update(range(i, sent[1]))  # "vi skickar ... till Stadsarkivet": not our place
        if prep not in _LOCATION_PREPS or i in used or (prep == "till" and (travel or transport)):
            i += 1
            continue
        names = prep not in ("till", "från", "av")
        found = _place_at(toks, i + 1, names, till=not transport)
        if found is None or any(k in used for k in range(*found)):
            i += 1
            continue
        start, end = found
        if prep in _CHAIN and (before := _definite_before(toks, i)) is not None:
            start = before
        chains.append((prep, start, end))
        i = end
    if transport:
        chains = [c for c in chains if c[0] == "från"] or chains
    elif {"från", "till"} <= {c[0] for c in chains}:
        return ""  # "från X till Y" for a service with one place: ask
    if not chains:
        chains = _bare_places(toks, used, transport)
    if not chains:
        return ""
    _, start, end = chains[0]
    return _phrase(text, toks, start, end)


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
            return [("", *found)]
    for i in range(n):
        initial = i == 0 or toks[i - 1].text in ".!?:"
        named = not initial and _is_name(toks[i]) and _is_place_word(toks[i].low)
        if (named or _designator(toks, i) is not None) and i not in used:
            found = _place_at(toks, i, False, till=not transport)
            if found and not any(k in used for k in range(*found)):
                return [("", *found)]
    return []


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
    if travel and (dest := _destination(toks, transport)) is not None:
        (start, end), phrase = dest
        used.update(range(phrase, end))
        if want_destination:
            out["destination"] = _phrase(text, toks, start, end)
    if want_location and (place := _location(text, toks, used, transport, travel)):
        out["location"] = place
    return out


def extract_details(text: str, fields: Sequence[str], now: datetime) -> dict[str, str]:
    """Details present in a first message among ``fields``: location, destination, date,
    return_date, time, quantity and participants; descriptions are left to the dialogue.
    Past, invalid, vague or ambiguous values are left out so the form asks for them."""
    out: dict[str, str] = {}
    low = text.lower()
    today = _today(now)
    if "date" in fields or "return_date" in fields:
        first, back = _dates(low, now, today)
        if first is not None and "date" in fields:
            out["date"] = first.isoformat()
        if back is not None and "return_date" in fields:
            out["return_date"] = back.isoformat()
    if "time" in fields and (clock := _first_time(low)) and clock.valid:
        out["time"] = clock.as_text()
    count_field = next((f for f in ("participants", "quantity") if f in fields), None)
    if count_field and (count := _counts(low, count_field == "participants")) is not None:
        out[count_field] = str(count)
    out.update(_places(text, fields))
    return out
