"""Reading a 1–10 score from free text, and "inte nu" / "nej tack" / "hoppa över"."""

from __future__ import annotations

import pytest

from servicedesk.feedback.scores import is_decline, is_postpone, is_skip, read_score


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("8", 8),
        ("åtta", 8),
        ("8/10", 8),
        ("8 / 10", 8),
        ("8 av 10", 8),
        ("sju av tio", 7),
        ("en stark sjua", 7),
        ("En svag sexa", 6),
        ("7:a", 7),
        ("jag ger en 6a", 6),
        ("Tio!", 10),
        ("10/10", 10),
        ("1", 1),
        ("betyg 9.", 9),
        ("nia", 9),
    ],
)
def test_each_answer_form_is_read(text: str, score: int) -> None:
    assert read_score(text).value == score


@pytest.mark.parametrize(
    "text", ["ganska bra", "bra", "", "7 eller 8", "7,5", "mellan sex och sju"]
)
def test_unclear_answers_are_never_given_a_default(text: str) -> None:
    reading = read_score(text)
    assert reading.value is None
    assert reading.problem == "unclear"


@pytest.mark.parametrize("text", ["11", "0", "12/10", "elva", "100"])
def test_scores_outside_the_scale_are_refused(text: str) -> None:
    reading = read_score(text)
    assert reading.value is None
    assert reading.problem == "out_of_range"


@pytest.mark.parametrize(
    "text", ["inte nu", "Inte nu!", "senare", "fråga mig senare", "inte just nu"]
)
def test_postponing(text: str) -> None:
    assert is_postpone(text)
    assert not is_decline(text)


@pytest.mark.parametrize("text", ["nej tack", "Nej tack.", "nej", "vill inte svara", "avstår"])
def test_declining(text: str) -> None:
    assert is_decline(text)
    assert not is_postpone(text)


@pytest.mark.parametrize("text", ["nej", "hoppa över", "Ingen kommentar", "inget", "-"])
def test_no_comment(text: str) -> None:
    assert is_skip(text)


def test_a_real_comment_is_not_skipped() -> None:
    assert not is_skip("Nej, men leveransen kom en dag sent")
