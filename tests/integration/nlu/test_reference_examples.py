"""The semantic intent head with the real sentence embeddings learns what a request to the
desk sounds like from the reference catalogue's example requests, whatever catalogue is
synced: a catalogue without example requests still reads staff's own words as requests."""

from __future__ import annotations

import pytest

from nlu import embeddings
from nlu.interpret import REQUEST, Interpreter, reference_services
from nlu.matcher import ServiceDoc
from nlu.training import DEFAULT_CACHE_DIR

pytestmark = pytest.mark.skipif(not embeddings.enabled(), reason="ENVAGIN_EMBEDDINGS=off")

# A catalogue synced without example requests.
CATALOGUE = [
    ServiceDoc("FLA-01", "Flaggning", "Vaktmästeri",
               "Vaktmästaren hissar flaggan på allmänna flaggdagar.", ("flagga", "flaggstång")),
    ServiceDoc("STA-01", "Brister i städningen", "Lokalvård",
               "Anmäl när städningen inte har gjorts enligt avtal.", ("städning", "ostädat")),
]  # fmt: skip
# The assistant's own training examples, few on purpose: the catalogue's words only.
EXAMPLES = [
    ("hissa flaggan i morgon", REQUEST),
    ("felanmälan städning", REQUEST),
    ("vi vill ha flaggan på halv stång", REQUEST),
    ("städningen är inte gjord", REQUEST),
    ("vad blir det för väder i helgen", "out_of_scope"),
    ("spela lite musik", "out_of_scope"),
    ("vem vann melodifestivalen", "out_of_scope"),
    ("sätt en timer på tio minuter", "out_of_scope"),
]
# How staff say it in their own words, in the reference catalogue's way.
REFERENCE = [
    ServiceDoc("REF-01", "Felanmälan lokalvård", "Lokalvård", "Städningen har brister.",
               ("städning",), "fault", (
                   "golvet i matsalen har inte moppats på hela veckan",
                   "papperskorgarna på avdelning 3 har inte tömts",
                   "det ligger sand och smulor överallt i klassrummet",
                   "ingen har dammsugit i korridoren sen i måndags",
                   "toaletterna luktar illa och har inte städats",
               )),
]  # fmt: skip
MESSAGE = "det har inte dammsugits i personalrummet på hela veckan, smulor överallt"


def _request(interpreter: Interpreter) -> float:
    return interpreter.gather(MESSAGE).semantic_intents.get(REQUEST, 0.0)


def test_the_reference_catalogue_ships_with_examples() -> None:
    found = reference_services()
    assert len(found) >= 30
    assert all(len(s.examples) >= 5 for s in found)


def test_the_head_learns_staffs_words_from_the_reference() -> None:
    embed = embeddings.embedder(DEFAULT_CACHE_DIR)
    alone = Interpreter(CATALOGUE, examples=EXAMPLES, embed=embed, references=[])
    taught = Interpreter(CATALOGUE, examples=EXAMPLES, embed=embed, references=REFERENCE)
    assert _request(taught) > 0.5
    assert _request(taught) > _request(alone) + 0.05


def test_examples_already_learnt_are_not_learnt_twice() -> None:
    # The reference catalogue itself: catalogue_sync has written its examples in lower case.
    embed = embeddings.embedder(DEFAULT_CACHE_DIR)
    own = [(e.lower(), REQUEST) for s in REFERENCE for e in s.examples]
    alone = Interpreter(CATALOGUE, examples=EXAMPLES + own, embed=embed, references=[])
    taught = Interpreter(CATALOGUE, examples=EXAMPLES + own, embed=embed, references=REFERENCE)
    assert _request(taught) == pytest.approx(_request(alone))
