"""A sample of the simulated-employee cases (``make eval-dialogue`` runs them all).

One or more per kind: a plain order, corrections in words (at the summary and inside a
question), an addition, digressions, an answer that is not a place, two needs, a time
sooner than promised, a cancel and a request for a human. Each runs through the desk
relay, Rasa, the actions and the database, and must end in exactly the expected tickets.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dialogue.simulator import Simulator, load_cases
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e
CASES = Path(__file__).resolve().parents[1] / "dialogue" / "cases.yml"
SAMPLE = (
    "knf01-plain-01", "it03-plain-01", "fika-correction-01", "knf01-correction-02",
    "knf03-addition-01", "fika-digression-01", "it04-digression-01", "fas01-free-text-01",
    "dator-mobil-two-needs-01", "sanering-munskydd-two-needs-01", "fika-time-01",
    "fika-cancel-01", "knf01-human-01", "knf01-yes-and-fika-addition-01",
    "tra03-cancel-later-digression-01", "fas01-place-part-correction-01",
    "fas05-spelling-correction-01", "lok02-room-needs-building-01",
    "fika-yes-och-lunch-two-needs-01", "lok04-field-in-first-message-01",
    "fika-two-details-correction-01", "stad-lampa-two-needs-01",
    "skolskoterska-mobil-inloggning-two-needs-01", "rum-weak-lunch-two-needs-01",
    "kickoff-choice-chairs-two-needs-01", "sal-hybrid-teknik-two-needs-01",
    "oppet-hus-extra-stad-01", "fika-allergier-prefilled-01", "team-rel-count-02",
    "team-stolar-01", "team-two-needs-flytt-01", "team2-count-words-01",
    "team2-addition-projector-01", "team3-also-mid-form-01", "team3-jo-men-ocksa-01",
    "team3-sentence-needs-01", "team4-open-need-first-message-01", "team4-open-need-mid-form-01",
    "team4-part-and-rest-01", "team4-lower-case-sentence-01", "team4-food-choice-no-need-01",
    "team4-two-faults-state-01", "team4-second-act-01", "team5-answer-and-need-mid-form-01",
    "team5-two-faults-one-service-01", "team5-question-then-dessutom-01",
    "team5-correction-two-clauses-01", "team5-answer-and-question-01",
    "team6-prefilled-kst-names-01", "team6-two-needs-shared-cost-01",
    "team6-option-and-count-correction-01", "team6-yes-and-assemble-it-01",
    "team6-yes-then-fault-01", "team6-fault-goes-on-01", "team6-yes-then-fault-elsewhere-01",
    "team7-clock-and-count-correction-01", "team7-count-value-first-01",
    "team7-fault-then-occasion-01", "team7-list-after-colon-01",
    "team7-summary-other-need-with-count-01", "team7-count-stays-with-its-need-01",
    "team7-room-and-fika-one-occasion-01", "team7-place-without-the-reason-01",
    "team8-shared-place-two-faults-01", "team8-count-part-second-need-01", "team8-just-me-01",
    "team8-answer-and-room-mid-form-01", "team8-room-swap-correction-01",
    "team8-wish-second-need-01", "team8-room-beside-lunch-mid-form-01",
    "team8-name-swap-correction-01",
    "team9-wrote-wrong-field-01", "team9-two-changes-mid-form-01",
    "team9-thing-and-its-purpose-01", "team9-reporting-word-and-place-01",
    "team9-technician-and-what-for-01", "team9-day-for-what-then-needs-01",
    "team9-answer-then-thing-needs-01", "team9-yes-and-unsure-need-01",
    "team10-gapped-correction-01", "team10-pronoun-goes-on-01",
    "team10-greeting-list-three-needs-01", "team10-earlier-order-status-01",
    "team10-choice-answer-and-need-01",
    "team11-room-and-coffee-01", "team11-added-sentences-01", "team11-time-named-with-comma-01",
    "team11-from-to-swapped-01", "team11-answer-and-courier-01",
    "team11-scene-names-keycards-01", "team11-same-count-01", "team11-fault-said-twice-01",
    "team11-answer-and-correction-01",
    "team12-two-places-01", "team12-card-place-is-the-cards-01",
    "team12-carrying-is-the-move-01", "team12-meant-not-01", "team12-and-not-01",
    "team12-car-from-01", "team12-greeting-and-state-01",
    "team13-greeting-sentence-then-fault-and-order-01", "team13-list-lead-with-place-01",
    "team13-place-labels-one-a-line-01", "team13-new-one-for-a-purpose-01",
    "team13-leak-and-what-it-has-done-01", "team13-move-said-as-a-verb-01",
    "team13-same-service-two-days-01", "team13-remembered-need-01",
    "team13-story-faults-kept-01", "team13-fault-kept-beside-order-01",
    "team13-weak-first-part-not-the-later-need-01", "team13-question-then-och-need-01",
    "team13-inte-x-utan-y-place-01", "team13-denied-day-first-01", "team13-swap-and-return-01",
    "team13-hotel-added-at-summary-01", "team13-things-med-lists-in-a-state-01",
    "team13-att-clause-fault-01",
    "team14-served-at-the-allergy-question-01", "team14-lines-in-lower-case-01",
    "team14-urgent-leak-not-out-of-scope-01", "team14-list-after-a-scene-sentence-01",
    "team14-comma-same-fault-goes-on-01", "team14-earlier-order-asked-mid-form-01",
    "team14-room-number-swapped-in-the-place-01", "team14-forgot-us-is-no-need-01",
    "team14-when-do-you-have-time-01", "team14-meeting-joined-by-och-is-the-scene-01",
    "team14-short-second-need-is-no-modifier-01",
    "team15-when-at-the-place-question-01", "team15-count-taken-back-01",
    "team15-room-number-only-01", "team15-where-it-stands-and-cost-centre-01",
    "team15-three-needs-with-a-technician-01", "team15-slippery-and-a-lamp-01",
    "team15-story-then-what-i-write-for-01", "team15-the-mess-it-becomes-01",
    "team15-courier-not-post-01", "team15-place-then-another-need-01",
    "team15-answer-then-cost-centre-named-01", "team15-who-writes-is-the-scene-01",
    "team15-date-at-the-count-question-01",
    "team16-wrong-field-not-but-01", "team16-place-rest-after-comma-01",
    "team16-done-by-at-the-place-question-01", "team16-earlier-fault-asked-at-the-cost-centre-01",
    "team16-room-and-arrange-lunch-01", "team16-fault-after-greeting-then-order-01",
    "team16-neither-nor-01", "team16-comma-och-after-kommer-01", "team16-fika-would-be-nice-01",
    "team17-move-then-clean-rooms-01", "team17-a-problem-to-solve-is-no-need-01",
    "team18-help-with-a-thing-and-fika-01", "team18-lacking-things-are-needs-01",
    "team18-place-at-the-count-question-01",
    "team19-list-read-as-out-of-scope-has-two-needs-01",
    "team19-list-one-clear-need-beside-an-unclear-one-01",
    "team19-list-of-needs-under-a-question-01",
    "team20-och-sa-fault-after-an-order-01",
    "team20-number-then-count-correction-01",
    "team20-place-denied-after-the-new-one-01",
    "team21-time-moved-an-hour-01",
    "team21-count-at-the-place-question-01",
    "team21-courier-said-as-what-is-to-happen-01",
    "team22-greeting-then-who-writes-01",
    "team22-answer-then-another-request-01",
    "team22-place-then-another-matter-01",
    "team23-two-details-on-two-lines-01",
    "team23-change-then-another-need-01",
    "team23-the-whole-day-s-time-is-not-the-lunch-s-01",
    "team24-fault-and-what-follows-01",
    "team24-two-details-named-01",
    "team24-change-and-need-in-one-sentence-01",
    "team24-fault-then-the-lunch-it-spoils-01",
    "team25-count-denied-before-utan-01",
    "team25-code-then-place-wrong-01",
    "team25-two-faults-one-with-a-colon-01",
    "team25-fault-told-before-what-it-started-01",
    "team26-field-name-then-value-01",
    "team26-count-first-then-blir-det-01",
    "team26-neither-soap-nor-paper-01",
    "team26-courier-who-does-01",
    "team27-three-needs-last-fault-01",
    "team27-cost-centre-question-01",
    "team27-answer-then-place-swap-01",
    "team27-loose-chair-01",
    "team28-report-said-after-a-meal-fault-01",
    "team28-earlier-ticket-at-the-place-question-01",
    "team28-cost-centre-then-another-need-01",
    "team29-count-changed-and-fika-added-at-summary-01",
    "team29-cost-centre-then-a-count-corrected-01",
    "team29-room-fika-and-technician-for-one-meeting-01",
    "team30-place-denied-with-vara-01",
    "team31-same-fault-again-at-another-place-01",
    "team31-destination-denied-and-cost-centre-at-summary-01",
    "team32-archive-boxes-fetched-then-old-shelves-at-summary-01",
    "team32-person-asked-at-date-keeps-the-place-01",
    "team32-destination-swapped-beside-count-at-cost-centre-01",
)  # fmt: skip
BY_ID = {case["id"]: case for case in load_cases(CASES)}


@pytest.fixture(scope="module")
def simulator(stack: Stack) -> Iterator[Simulator]:
    sim = Simulator(stack)
    yield sim
    sim.close()


def test_the_cases_file_has_every_kind_and_enough_cases() -> None:
    kinds = {case.get("kind") for case in BY_ID.values()}
    assert len(BY_ID) >= 100
    assert {"plain", "correction", "addition", "digression", "free_text", "two_needs",
            "time", "cancel", "human", "prefilled"} <= kinds  # fmt: skip


@pytest.mark.parametrize("case_id", SAMPLE)
def test_a_simulated_employee_gets_the_expected_tickets(simulator: Simulator, case_id: str) -> None:
    outcome = simulator.run(BY_ID[case_id])
    assert outcome.success, "\n".join([*outcome.problems, *outcome.transcript])
    assert outcome.redundant == 0
