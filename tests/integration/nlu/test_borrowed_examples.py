"""With the real sentence embeddings, a new catalogue's service without example requests
borrows those staff wrote for the same service in other catalogues (the reference
catalogue and the tuning catalogues' corpus), and only there."""

from __future__ import annotations

from dataclasses import replace

import pytest

from nlu import embeddings
from nlu.interpret import (
    LEND_EXCLUDE_ENV,
    THRESHOLDS,
    Interpreter,
    borrowed_requests,
    lending_services,
    lending_texts,
    lending_vectors,
)
from nlu.matcher import ServiceDoc
from nlu.training import DEFAULT_CACHE_DIR

pytestmark = pytest.mark.skipif(not embeddings.enabled(), reason="ENVAGIN_EMBEDDINGS=off")

# A new catalogue in its own words, synced without example requests.
CATALOGUE = [
    ServiceDoc("NY-01", "Hjälp vid flytt", "Flytt",
               "Vi packar, bär och kör när en verksamhet eller en medarbetare flyttar inom "
               "kommunen: arbetsplatser, möbler, pärmar och flyttkartonger.",
               ("flytt", "flyttkartonger", "bärhjälp")),
    ServiceDoc("NY-02", "Nya möbler", "Inredning",
               "Inköp och leverans av nya möbler: skrivbord, stolar, bord, hyllor och skåp.",
               ("möbler", "skrivbord", "kontorsstol")),
    ServiceDoc("NY-03", "Boka mötesrum", "Möten",
               "Bokning av mötesrum och sammanträdesrum i kommunhuset.",
               ("mötesrum", "konferensrum")),
    # Nothing like it anywhere: a made-up service no catalogue has.
    ServiceDoc("NY-04", "Utlåning av kyrkklockor", "Klockor",
               "Kommunens två kyrkklockor lånas ut till jubileer och invigningar.",
               ("kyrkklocka", "klockringning")),
]  # fmt: skip
# A move said without a word of the service's own.
MOVE = "vi ska sitta i paviljongen från januari, allt ska dit"
MEETING = "vi ska träffas tolv personer på torsdag förmiddag, finns det nåt ledigt?"


@pytest.fixture(scope="module")
def embed() -> embeddings.Embedder:
    return embeddings.embedder(DEFAULT_CACHE_DIR)


def _borrowed(interpreter: Interpreter) -> dict[str, int]:
    vectors = interpreter._vectors
    assert vectors is not None
    made = {
        code: len(embeddings.synthetic_examples(s.name, s.kind, s.description, s.keywords))
        for code, s in zip(vectors.codes, interpreter.services, strict=True)
    }
    counts = dict.fromkeys(vectors.codes, 0)
    for i in vectors._example_owner:
        counts[vectors.codes[i]] += 1
    return {code: counts[code] - made[code] for code in counts}


def test_a_service_borrows_what_staff_wrote_for_the_same_service_elsewhere(
    embed: embeddings.Embedder,
) -> None:
    interpreter = Interpreter(CATALOGUE, embed=embed)
    borrowed = _borrowed(interpreter)
    assert borrowed["NY-01"] >= 20  # moving help is in the reference and the corpus
    assert borrowed["NY-03"] >= 20
    assert borrowed["NY-04"] == 0  # nothing means the same: nothing borrowed
    texts = interpreter._vectors.example_texts if interpreter._vectors else ()
    reference_moving = next(s for s in lending_services() if s.code == "TRA-02")
    assert set(reference_moving.examples) <= set(texts)


def test_what_is_borrowed_puts_the_right_service_first(embed: embeddings.Embedder) -> None:
    lending = Interpreter(CATALOGUE, embed=embed)
    alone = Interpreter(CATALOGUE, embed=embed, thresholds=replace(THRESHOLDS, lend_similarity=2.0))
    assert _borrowed(alone) == dict.fromkeys(["NY-01", "NY-02", "NY-03", "NY-04"], 0)
    assert lending.rank(lending.gather(MOVE))[0].code == "NY-01"
    # Without borrowing, the furniture service came first.
    assert alone.rank(alone.gather(MOVE))[0].code != "NY-01"
    # A room asked for in everyday words: first either way, far clearer with borrowing.
    lead = []
    for interpreter in (alone, lending):
        ranked = interpreter.rank(interpreter.gather(MEETING))
        assert ranked[0].code == "NY-03"
        lead.append(ranked[0].score - ranked[1].score)
    assert lead[1] > lead[0] + 0.1


def test_a_service_with_its_own_examples_borrows_nothing(embed: embeddings.Embedder) -> None:
    written = [replace(CATALOGUE[0], examples=("vi flyttar till plan 3 och behöver hjälp",)),
               *CATALOGUE[1:]]  # fmt: skip
    borrowed = _borrowed(Interpreter(written, embed=embed))
    # Its one written example stands; synthetic ones are not made when examples exist.
    assert borrowed["NY-01"] == 1 - len(
        embeddings.synthetic_examples(
            CATALOGUE[0].name, "order", CATALOGUE[0].description, CATALOGUE[0].keywords
        )
    )
    assert borrowed["NY-03"] >= 20


def test_a_left_out_source_lends_nothing(embed: embeddings.Embedder) -> None:
    every = lending_services()
    sources = {s.code.split(":")[0] for s in every if ":" in s.code}
    only_reference = lending_services(sources)
    interpreter = Interpreter(CATALOGUE, embed=embed, lenders=only_reference)
    texts = set(interpreter._vectors.example_texts if interpreter._vectors else ())
    corpus = {e for s in every if ":" in s.code for e in s.examples}
    reference = {e for s in only_reference for e in s.examples}
    assert not (texts & (corpus - reference))


def test_the_classifier_is_taught_what_the_embeddings_borrow(
    embed: embeddings.Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(LEND_EXCLUDE_ENV, raising=False)
    got = borrowed_requests(CATALOGUE, embed)
    assert len(got.get("NY-01", [])) >= 20 and "NY-04" not in got
    # No more than a catalogue's own examples, however many lenders mean the same.
    assert max(len(texts) for texts in got.values()) <= THRESHOLDS.lend_training_cap
    assert (
        len(
            borrowed_requests(
                CATALOGUE, embed, thresholds=replace(THRESHOLDS, lend_training_cap=5)
            )["NY-01"]
        )
        == 5
    )
    interpreter = Interpreter(CATALOGUE, embed=embed)
    assert interpreter._vectors is not None
    taught = {e for texts in got.values() for e in texts}
    assert taught <= set(interpreter._vectors.example_texts)
    # A source left out (make eval on a tuning catalogue) lends to neither.
    every = lending_services()
    sources = sorted({s.code.split(":")[0] for s in every if ":" in s.code})
    monkeypatch.setenv(LEND_EXCLUDE_ENV, ",".join(sources))
    reference = {e for s in lending_services(sources) for e in s.examples}
    only = borrowed_requests(CATALOGUE, embed)
    assert {e for texts in only.values() for e in texts} <= reference


def test_lending_texts_are_read_from_one_embedding_of_every_source(
    embed: embeddings.Embedder,
) -> None:
    # Whatever sources an evaluation leaves out, the vectors are those of the texts
    # themselves, taken from the one cached embedding of every source's texts.
    every = lending_services()
    source = sorted({s.code.split(":")[0] for s in every if ":" in s.code})[0]
    kept = lending_services([source])
    passages, requests = lending_texts(kept)
    some = requests[:5] + requests[-5:]
    got = lending_vectors(embed, "query", some)
    assert got.shape == (10, embeddings.DIM)
    assert abs(got - embed.queries(some, cache=True)).max() < 1e-5
    got = lending_vectors(embed, "passage", passages[:3])
    assert abs(got - embed.passages(passages[:3])).max() < 1e-5
    # Texts that are no lending source's are embedded as they are.
    mine = ["en helt egen mening om kyrkklockor"]
    assert abs(lending_vectors(embed, "query", mine) - embed.queries(mine, cache=True)).max() < 1e-5
