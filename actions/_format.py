"""Swedish formatting of prices, promised times, dates and order summaries."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from actions._desk import ServiceInfo
from servicedesk.fields import field_labels

_WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
_MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip
_STOCKHOLM = ZoneInfo("Europe/Stockholm")


def name_in_sentence(name: str) -> str:
    """A service's name inside a sentence: lower case, but an abbreviation keeps its
    capitals ("Felanmälan IT" -> "felanmälan IT", "HR direkt" -> "HR direkt")."""
    return " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in name.split(" "))


def format_price(service: ServiceInfo) -> str:
    """Return the price as a Swedish phrase, e.g. "300 kr per halvdag" or "ingår i avtal"."""
    if service.price_sek == 0:
        return service.price_unit or "ingen kostnad"
    amount = service.price_sek
    text = f"{amount:.2f}".replace(".", ",") if amount % 1 else f"{int(amount)}"
    unit = service.price_unit.strip()
    if unit.startswith("kr"):
        return f"{text} {unit}"
    return f"{text} kr {unit}".strip()


def format_sla(hours: int) -> str:
    """Return a promised time in natural Swedish ("inom 16 timmar", "inom 2 veckor")."""
    if hours < 48:
        return "inom 1 timme" if hours == 1 else f"inom {hours} timmar"
    if hours % 168 == 0:
        weeks = hours // 168
        return "inom en vecka" if weeks == 1 else f"inom {weeks} veckor"
    days = round(hours / 24)
    return f"inom {days} dagar"


def format_date(value: str) -> str:
    """Format an ISO date as "tisdag 1 december 2026"; other text is returned as it is."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_datetime(moment: datetime) -> str:
    """Format a timestamp in Stockholm time, e.g. "1 december 2026 kl. 14.05"."""
    local = moment.astimezone(_STOCKHOLM)
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year} kl. {local:%H.%M}"


def format_detail(field: str, value: str) -> str:
    """Format one collected detail for a summary line."""
    if field in ("date", "return_date"):
        return format_date(value)
    if field == "time":
        return value.replace("-", "–")
    return value


def summary_lines(service: ServiceInfo, details: dict[str, str]) -> str:
    """Return the order summary: the service, its price and each collected detail."""
    lines = [f"Tjänst: {service.name}", f"Pris: {format_price(service)}"]
    labels = field_labels(service.fields)
    for field in (*service.order_fields, "note"):
        if details.get(field):
            lines.append(f"{labels.get(field, field)}: {format_detail(field, details[field])}")
    return "\n".join(lines)


def money(amount: Decimal) -> str:
    """Return an amount with a Swedish decimal comma."""
    return f"{amount:.2f}".replace(".", ",")
