"""When a first message is kept as the order's description, and when it is asked for."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions._desk import ServiceInfo
from actions.matching import describes_something

CLEANING = ServiceInfo(
    code="LOK-01", kind="order", category="Lokalvård", name="Felanmälan lokalvård",
    description="Brister i den ordinarie städningen", price_sek=Decimal(0),
    price_unit="ingår i avtal", performer="Lokalvård", sla_hours=24,
    order_fields=("location", "description"), keywords=("städning", "ostädat", "smutsigt"),
)  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "felanmälan lokalvård",
        "vill anmäla att städningen inte funkar",
        "städningen fungerar inte ordentligt",
    ],
)
def test_naming_the_service_or_that_it_fails_is_not_a_description(text: str) -> None:
    assert not describes_something(text, CLEANING)


@pytest.mark.parametrize(
    "text",
    [
        "papperskorgarna i personalrummet har inte tömts på en vecka",
        "det är sand och grus överallt i kapprummet",
        # Where it is belongs to the description of a fault.
        "det är smutsigt i korridoren på plan 2",
    ],
)
def test_saying_what_is_wrong_is_a_description(text: str) -> None:
    assert describes_something(text, CLEANING)
