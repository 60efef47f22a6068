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


def _strip_date_time(text: str) -> str:
    for pattern in (_ISO, _DAY_MONTH, _SLASH, _DAY_ONLY, _RANGE, _AT):
        text = pattern.sub(" ", text)
    return text


def _counted_quantity(text: str) -> QuantityResult | None:
    """A quantity in a whole message: digits, or number words next to a unit word."""
    low = _strip_date_time(text.lower())
    low = re.sub(rf"{_CLOCK}\s+(halv\s+)?[a-zåäö]+", " ", low)
    for m in _QTY.finditer(low):
        if m[2] and not (m[3] or _UNIT.match(low[m.end() :]) or _APPROX.search(low[: m.start()])):
            continue
        found = parse_quantity(low[max(0, m.start() - 12) : m.end() + 1])
        if found is not None:
            return found
    return None


def extract_details(text: str, fields: Sequence[str], now: datetime) -> dict[str, str]:
    """Details present in a first message among ``fields`` (date, time, quantity,
    participants); free-text fields are left for the form. Past or invalid values are
    left out so the form asks for them."""
    out: dict[str, str] = {}
    if "date" in fields and (day := parse_date(text, now)) and not day.in_past:
        out["date"] = day.value.isoformat()
    if "time" in fields and (clock := parse_time(text)) and clock.valid:
        out["time"] = clock.as_text()
    count_field = next((f for f in ("participants", "quantity") if f in fields), None)
    if count_field and (qty := _counted_quantity(text)) and qty.valid:
        out[count_field] = str(qty.value)
    return out
