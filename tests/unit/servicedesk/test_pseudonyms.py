"""Pseudonyms of anonymised requesters: stable per person, keyed, revealing nothing."""

from __future__ import annotations

from servicedesk.models import Requester
from servicedesk.privacy.scrub import ANONYMOUS_CHANNEL, pseudonym


def _person(channel: str = "web", external_id: str = "anna-7f3c") -> Requester:
    return Requester(channel=channel, external_id=external_id, name="Anna Andersson")


def test_pseudonym_is_stable_per_person_and_differs_between_people() -> None:
    key = "k" * 40
    assert pseudonym(key, _person()) == pseudonym(key, _person())
    assert pseudonym(key, _person()) != pseudonym(key, _person(external_id="bo-1"))
    # The same id on another channel is another person.
    assert pseudonym(key, _person("telegram", "1")) != pseudonym(key, _person("web", "1"))


def test_pseudonym_depends_on_the_key_and_shows_no_id_or_name() -> None:
    first = pseudonym("k" * 40, _person())
    assert first != pseudonym("q" * 40, _person())
    assert first.startswith("anon-") and "anna" not in first.lower()


def test_a_pseudonymous_requester_keeps_its_pseudonym() -> None:
    stand_in = Requester(channel=ANONYMOUS_CHANNEL, external_id="anon-0123456789abcdef")
    assert pseudonym("k" * 40, stand_in) == "anon-0123456789abcdef"
