"""A catalogue field that needs a personnummer, through the whole stack: a wrong number is
asked again in Swedish, a right one is kept encrypted and never reaches the desk database,
Rasa's tracker store or a log in clear; the HR queue's agent reads it, others cannot."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from actions._fields import PERSONNUMMER_INVALID
from servicedesk.privacy.sensitive import CAPTURED
from tests.e2e.test_privacy import _dump_database
from tests.support.processes import run_app
from tests.support.stack import Stack, default_answer

pytestmark = pytest.mark.e2e
NUMBER = re.compile(r"SD-\d{4}-\d{5}")
PNR, PNR_FULL, PNR_MASKED = "811218-9876", "19811218-9876", "19811218-****"
WRONG = "811218-9875"
#: The number in any form (and the wrong one, which is never kept either).
DIGITS = re.compile(r"811218\D{0,3}987")
ANSWERS = {
    "description": "Vi behöver anställa en undersköterska till Solgårdens äldreboende",
    "date": "på fredag",
}


def _texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("text", "")) for m in messages)


def _to_personnummer(stack: Stack, sender: str) -> str:
    """Order recruitment support and answer every question before the personnummer field."""
    stack.chat(sender, "Vi behöver stöd att rekrytera en undersköterska, hjälp med annonsen")
    for _ in range(10):
        slot = stack.requested_slot(sender)
        assert slot and slot != "confirmed", f"the personnummer field was not asked ({slot})"
        if not slot.startswith("field_"):
            stack.chat(sender, ANSWERS[slot])
            continue
        field = stack.defined_field(sender, slot)
        if field.get("type") == "personnummer":
            return slot
        stack.chat(sender, default_answer(field))
    raise AssertionError("the order never reached the personnummer field")


def _agent(stack: Stack, name: str, *queue: str) -> dict[str, str]:
    args = ["-m", "servicedesk", "create-agent", name]
    for one in queue:
        args += ["--queue", one]
    created = run_app(args, stack.env)
    return {"Authorization": f"Bearer {created.stdout.strip().splitlines()[-1].strip()}"}


def test_a_personnummer_field_is_asked_checked_kept_encrypted_and_shown_only_to_its_queue(
    stack: Stack,
) -> None:
    sender = f"e2e-pnr-field-{uuid.uuid4().hex[:8]}"
    slot = _to_personnummer(stack, sender)
    wrong = _texts(stack.chat(sender, WRONG))
    assert PERSONNUMMER_INVALID in wrong, wrong
    assert stack.requested_slot(sender) == slot
    asked = _texts(stack.chat(sender, f"Hon har {PNR}"))
    assert stack.requested_slot(sender) == "confirmed", asked
    assert f"Personnummer för den som anställs: {PNR_MASKED}" in asked
    done = _texts(stack.chat(sender, "ja"))
    found = NUMBER.search(done)
    assert found, done
    number = found.group(0)

    hr = _agent(stack, f"hr-{uuid.uuid4().hex[:6]}", "HR")
    it = _agent(stack, f"it-{uuid.uuid4().hex[:6]}", "IT")
    url = f"{stack.desk_url}/api/tickets/{number}"
    clear = httpx.get(url, headers=hr, timeout=30).json()
    assert clear["details"]["personnummer"] == PNR_FULL
    assert httpx.get(url, headers=it, timeout=30).status_code == 404
    admin = stack.api(f"/api/tickets/{number}").json()
    assert admin["details"]["personnummer"] == PNR_MASKED
    assert DIGITS.search(str(admin)) is None, "the admin works no queue: masked"

    logs = {f"log {p.name}": Path(p.log_path).read_text(errors="replace") for p in stack.processes}
    places = {
        "desk database": _dump_database(stack.database_url),
        "tracker store": _dump_database(f"sqlite:///{stack.env['RASA_TRACKER_DB']}"),
        **logs,
    }
    for where, content in places.items():
        hit = DIGITS.search(content)
        assert hit is None, f"{hit.group(0) if hit else ''} found in {where}"
    assert PNR_MASKED in places["tracker store"], "the slot holds the masked form"
    assert CAPTURED in places["tracker store"], "what the person wrote, as the bot got it"
    assert "Numret sparas krypterat" in places["tracker store"], "the person was told so"
