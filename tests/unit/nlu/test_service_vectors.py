"""Each service's nearest example requests, computed without a loop over services."""

from __future__ import annotations

import numpy as np

from nlu.embeddings import ServiceVectors, passage_texts, synthetic_examples


def test_example_similarity_is_the_mean_of_each_services_k_nearest_examples() -> None:
    rng = np.random.default_rng(1)
    owner = np.array([3, 0, 0, 2, 0, 2, 5, 5, 5, 5])  # in any order; 1 and 4 have none
    examples = rng.normal(size=(10, 384)).astype(np.float32)
    empty = np.zeros((6, 384), np.float32)
    vectors = ServiceVectors(list("abcdef"), empty, empty, np.arange(6), examples, owner)
    query = rng.normal(size=384).astype(np.float32)
    sims = examples @ query
    for k in (1, 2, 3):
        got = vectors.example_similarities(query, k=k)
        assert got is not None
        for i in range(6):
            own = np.sort(sims[owner == i])[::-1][:k]
            if len(own):
                assert got[i] == np.float32(own.mean()) or abs(got[i] - own.mean()) < 1e-4
            else:
                assert np.isnan(got[i])


def test_a_catalogue_without_examples_has_no_example_similarity() -> None:
    empty = np.zeros((2, 384), np.float32)
    vectors = ServiceVectors(["a", "b"], empty, empty, np.arange(2))
    assert vectors.example_similarities(np.ones(384, np.float32)) is None


def test_a_service_without_examples_gets_requests_made_from_its_own_words() -> None:
    made = synthetic_examples(
        "Telefon- och distanstolk", "order",
        "Bokning av språktolk via telefon eller videolänk för kortare samtal, även med kort "
        "varsel. Ingen kostnad.",
        ["telefontolk", "videotolk"],
    )  # fmt: skip
    assert {"vi behöver telefontolk", "kan vi få videotolk"} <= set(made)
    assert "vi behöver telefon- och distanstolk" in made
    # The description's clauses of three words or more, not its short sentences.
    assert "Bokning av språktolk via telefon eller videolänk för kortare samtal" in made
    assert "med kort varsel" in made and "Ingen kostnad" not in made
    assert len(made) == len(set(made))
    # A fault is put as a fault, a question as a question.
    assert "sopkärl fungerar inte" in synthetic_examples("Trasigt kärl", "fault", "", ["sopkärl"])
    assert "jag har en fråga om körjournal" in synthetic_examples(
        "Körjournal", "question", "", ["körjournal"]
    )


def test_the_things_a_description_lists_are_requests_of_their_own() -> None:
    made = synthetic_examples(
        "Fel på dator eller skrivare", "fault",
        "Felanmälan när datorn, skärmen, skrivaren eller kopiatorn inte fungerar. "
        "Anmäl möss, råttor, kackerlackor eller getingbon i eller vid kommunens lokaler.",
        ["datorfel"],
    )  # fmt: skip
    # Each listed thing once, bare: the everyday name a person writes.
    assert {"skärmen", "kopiatorn", "råttor", "kackerlackor", "getingbon"} <= set(made)
    assert "möss" in made  # "Anmäl möss": the verb that leads the list goes
    # Not the words around a list: "i eller vid", a pronoun, the service's own keyword.
    assert not {"getingbon i", "vid kommunens lokaler", "datorfel"} & set(made)
    # Kinds of place a description names are where, not what ("skolor", "förskolor").
    placed = synthetic_examples(
        "Städningen är inte gjord", "fault",
        "Anmäl när städningen i kontor, skolor, förskolor eller på boenden inte är gjord.",
        [],
    )  # fmt: skip
    assert not {"skolor", "förskolor", "boenden", "på boenden"} & set(placed)
    # A clause with one "och" is a phrase, not a list.
    assert "städning" not in synthetic_examples(
        "Fönsterputs", "order", "Putsning och städning av fönster.", []
    )


def test_a_services_passages_leave_out_the_places_it_names() -> None:
    full, names = passage_texts(
        "Boka lokal i Kommunhuset eller Gästgivarsalen",
        "Möten",
        "Bokning av Kommunhusets sammanträdesrum.",
        ["Gästgivarsalen", "mötesrum"],
    )
    assert "Kommunhuset" not in full and "Gästgivarsalen" not in full
    assert names == ["Boka lokal", "mötesrum"]
    # A text without a place is left as it is.
    assert passage_texts("Felanmälan IT", "IT", "Fel på dator.", ["skrivare"])[1] == [
        "Felanmälan IT",
        "skrivare",
    ]
