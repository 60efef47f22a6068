"""Swedish text tools: normalisation, folding, lemmas, compounds, terms."""

from __future__ import annotations

import pytest

from nlu.text import (
    fold,
    lemma,
    normalise,
    passive_verb,
    restore_diacritics,
    split_compound,
    terms,
    tokens,
    unfold,
    word_groups,
    word_terms,
)


def test_normalise_strips_emoji_and_punctuation_but_keeps_swedish_letters() -> None:
    assert normalise("Hej!! 😀 Vi  behöver FÖNSTERPUTS, tack.") == "hej vi behöver fönsterputs tack"


def test_normalise_keeps_in_word_hyphens_and_digits() -> None:
    found = tokens("Nytt sim-kort och e-post -- 15 st")
    assert found == ["nytt", "sim-kort", "och", "e-post", "15", "st"]


def test_normalise_handles_mixed_english_and_empty_input() -> None:
    assert normalise("My laptop är trasig") == "my laptop är trasig"
    assert normalise("") == ""
    assert normalise("🙂🙂 !!") == ""
    assert terms("") == []


def test_normalise_composes_decomposed_letters() -> None:
    assert normalise("mo\u0308bler") == "möbler"


def test_very_long_input_is_cut_and_fast() -> None:
    text = "städning " * 1200  # ~10k characters
    assert len(normalise(text)) <= 2000
    assert "städning" in terms(text)


def test_fold_and_unfold_swedish_letters() -> None:
    assert fold("Möbelbeställning på gården") == "Mobelbestallning pa garden"
    assert unfold("moblerna") == "möblerna"
    assert unfold("lonen") == "lönen"
    assert unfold("dator") == "dator"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("toaletterna", "toalett"),
        ("Toaletterna", "toalett"),
        ("möblerna", "möbel"),
        ("har", "ha"),
        ("plan", "plan"),
        ("hjälp", "hjälp"),
        ("men", "men"),
        ("lösenordet", "lösenord"),
        ("fakturan", "faktura"),
        ("nycklar", "nyckel"),
        ("tåget", "tåg"),
        ("printern", "printer"),
        ("printrarna", "printer"),
    ],
)
def test_lemma(word: str, expected: str) -> None:
    assert lemma(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("möbelbeställning", ["möbel", "beställning"]),
        ("möbelbeställningen", ["möbel", "beställning"]),
        ("lösenordsbyte", ["lösenord", "byte"]),
        ("kontorsstolar", ["kontor", "stol"]),
        ("datorskärmen", ["dator", "skärm"]),
        ("flyttkartonger", ["flytt", "kartong"]),
    ],
)
def test_split_compound_good_splits(word: str, expected: list[str]) -> None:
    assert split_compound(word) == expected


def test_split_compound_goes_deeper_for_long_compounds() -> None:
    parts = split_compound("lokalvårdsfelanmälan")
    assert parts[0] in {"lokalvård", "lokal"}
    assert parts[-1] == "anmälan"


def test_split_compound_uses_catalogue_vocabulary_for_short_parts() -> None:
    assert split_compound("tjänstebil") == ["tjänstebil"]
    assert split_compound("tjänstebil", frozenset({"tjänst", "bil"})) == ["tjänst", "bil"]


@pytest.mark.parametrize(
    "word",
    [
        "ansvar",
        "behörighet",
        "korridoren",
        "förskolan",
        "tillsammans",
        "handskar",
        "fakturan",
        "administration",
        "utskick",
        "information",
    ],
)
def test_split_compound_refuses_bad_splits(word: str) -> None:
    assert split_compound(word) == [word]


def test_terms_drop_stop_words_and_numbers_and_add_parts() -> None:
    found = terms("Hej, vi behöver 5 nya kontorsstolar till kontoret")
    assert "kontor" in found and "stol" in found
    assert not {"hej", "vi", "5", "till"} & set(found)


def test_terms_of_a_folded_request_meet_the_swedish_spelling() -> None:
    assert "möbel" in terms("bestalla moblerna")


@pytest.mark.parametrize(
    ("word", "verb"),
    [("städats", "städa"), ("städas", "städa"), ("hämtades", "hämta"), ("tömts", None),
     ("glas", None), ("", None)],
)  # fmt: skip
def test_passive_verb_forms_lead_back_to_the_infinitive(word: str, verb: str | None) -> None:
    assert passive_verb(word) == verb


def test_a_passive_fault_report_meets_the_verb() -> None:
    assert "städa" in terms("det har inte städats i korridoren")


def test_emoji_and_mixed_language_do_not_break_the_tools() -> None:
    assert terms("🧹🧹 please städa kontoret asap 🙏") == terms("please städa kontoret asap")
    assert split_compound("") == [""]
    assert lemma("😀") == "😀"


def test_a_message_typed_without_swedish_letters_gets_them_back_where_the_dictionary_is_sure() -> (
    None
):
    assert restore_diacritics("nan har spytt i trappan pa lagstadiet, kan nan komma??") == (
        "nån har spytt i trappan på lågstadiet, kan nån komma??"
    )
    # Capitals, digits and names the dictionary does not know are kept.
    assert restore_diacritics("Moblerna till Bjorkskolan rum 12") == (
        "Möblerna till Bjorkskolan rum 12"
    )
    # A writer who has the keys is left alone ("for" may be meant).
    assert restore_diacritics("för få stolar, for mig") == "för få stolar, for mig"


def test_the_terms_of_one_word_are_its_variants_and_its_parts() -> None:
    # A compound's parts are among its terms, so "tjänstemobil" meets "mobil".
    assert "mobil" in word_terms("tjänstemobil")
    assert word_terms("skrivbordet") == {t for group in word_groups("skrivbordet") for t in group}


def test_a_description_without_what_the_service_does_not_do() -> None:
    from nlu.text import excluded_parts, positive_description

    text = "Resebyrån bokar tåg och flyg. Hotell, taxi och hyrbil ingår inte. Ring oss."
    assert positive_description(text) == "Resebyrån bokar tåg och flyg. Ring oss."
    assert excluded_parts(text) == ["Hotell, taxi och hyrbil ingår inte"]
    # "..., men X ingår inte": the part before "men" is the service's.
    but = "Vi bokar tåg och flyg, men hotell ingår inte."
    assert positive_description(but) == "Vi bokar tåg och flyg."
    assert excluded_parts(but) == ["hotell ingår inte"]
    # Still offered at a price: kept whole, nothing excluded.
    offered = "Fönsterputs ingår inte men kan beställas mot avgift."
    assert positive_description(offered) == offered and excluded_parts(offered) == []
    pointer = "Support för datorer. Jobbmobiler har en egen tjänst."
    assert positive_description(pointer) == "Support för datorer."
    plain = "Gäller alla lokaler utom kök."
    assert positive_description(plain) == plain and excluded_parts(plain) == []


def test_the_matcher_and_the_listed_things_do_not_read_an_exclusion() -> None:
    from nlu.embeddings import listed_items, passage_texts
    from nlu.matcher import CatalogueMatcher, ServiceDoc

    description = "Vi bokar tåg och flyg. Hotell, taxi, hyrbil och beställningsbuss ingår inte."
    assert "taxi" not in listed_items(description)
    assert "taxi" not in passage_texts("Resor", "Resor", description, ())[0]
    matcher = CatalogueMatcher([ServiceDoc("R", "Resor", "Resor", description)])
    assert matcher.candidates("beställ en taxi") == []
