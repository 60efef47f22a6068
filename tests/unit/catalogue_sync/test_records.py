"""ServiceRecord validation: what is accepted, and the exact reasons for what is not."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from servicedesk.catalogue import DepartmentRecord, ServiceRecord
from servicedesk.models import TicketKind

VALID: dict[str, Any] = {
    "code": "KON-03",
    "kind": "order",
    "category": "Kontorsservice",
    "name": "Tryck och kopiering",
    "price_sek": "0.60",
    "sla_hours": "48",
    "order_fields": "quantity;date",
    "keywords": " tryckeri ; ;kopiera;Kopiera ",
}


def reasons(**changes: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        ServiceRecord.model_validate({**VALID, **changes})
    return {str(e["loc"][0]): e["msg"] for e in info.value.errors()}


def test_valid_row_is_normalised() -> None:
    record = ServiceRecord.model_validate(VALID)
    assert record.price_sek == Decimal("0.60")
    assert record.sla_hours == 48
    assert record.order_fields == ("quantity", "date")
    assert record.keywords == ("tryckeri", "kopiera")


def test_examples_are_split_trimmed_and_limited() -> None:
    record = ServiceRecord.model_validate(
        {**VALID, "examples": " kan ni trycka 50 affischer ;; Kan ni trycka 50 affischer;ett till"}
    )
    assert record.examples == ("kan ni trycka 50 affischer", "ett till")
    assert ServiceRecord.model_validate(VALID).examples == ()
    assert reasons(examples=";".join(f"exempel {i}" for i in range(41))) == {
        "examples": "at most 40 examples per service, got 41"
    }
    assert reasons(examples="x" * 301)["examples"].startswith(
        "an example must be at most 300 characters, got 301"
    )


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("beställning", TicketKind.ORDER),
        ("Felanmälan", TicketKind.FAULT),
        ("fråga", TicketKind.QUESTION),
    ],
)
def test_swedish_kind_names_are_accepted(raw: str, kind: TicketKind) -> None:
    assert ServiceRecord.model_validate({**VALID, "kind": raw}).kind is kind


@pytest.mark.parametrize(("raw", "price"), [("0,60", "0.60"), ("1 200", "1200.00"), (45, "45.00")])
def test_prices_accept_swedish_notation(raw: Any, price: str) -> None:
    assert ServiceRecord.model_validate({**VALID, "price_sek": raw}).price_sek == Decimal(price)


def test_price_reasons() -> None:
    assert reasons(price_sek="-5")["price_sek"].startswith("must be a number ≥ 0")
    assert "got 'gratis'" in reasons(price_sek="gratis")["price_sek"]
    assert "price_sek" in reasons(price_sek="1.234")


def test_sla_must_be_a_positive_integer() -> None:
    assert reasons(sla_hours="abc") == {"sla_hours": "must be a positive integer, got 'abc'"}
    assert "sla_hours" in reasons(sla_hours="0")
    assert "sla_hours" in reasons(sla_hours="2.5")
    assert "sla_hours" in reasons(sla_hours=True)


def test_unknown_order_field_is_named() -> None:
    reason = reasons(order_fields="location;phone")["order_fields"]
    assert reason.startswith("unknown order field 'phone'; allowed: location, description")


def test_kind_code_and_name_reasons() -> None:
    assert "got 'beställ'" in reasons(kind="beställ")["kind"]
    assert reasons(code="LOK 01")["code"] == "must not contain spaces, got 'LOK 01'"
    assert reasons(code=" ")["code"] == "must not be empty"
    assert reasons(name="")["name"] == "must not be empty"


def test_lists_may_be_json_lists() -> None:
    record = ServiceRecord.model_validate(
        {**VALID, "order_fields": ["Location"], "keywords": ["a b", "  "]}
    )
    assert record.order_fields == ("location",)
    assert record.keywords == ("a b",)


def test_content_hash_ignores_notation_but_not_content() -> None:
    same = ServiceRecord.model_validate({**VALID, "price_sek": "0,6", "kind": "beställning"})
    other = ServiceRecord.model_validate({**VALID, "sla_hours": 24})
    base = ServiceRecord.model_validate(VALID).content_hash()
    assert same.content_hash() == base
    assert other.content_hash() != base


def test_department_code_must_be_short_without_spaces() -> None:
    with pytest.raises(ValidationError):
        DepartmentRecord.model_validate({"code": "A B", "name": "X"})
    assert DepartmentRecord.model_validate({"code": "OVR", "name": " Annat/Vet ej "}).name == (
        "Annat/Vet ej"
    )
