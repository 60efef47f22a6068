"""Swedish text tools: normalise, fold, tokenise, lemmatise, split compounds.

Lemmas come from simplemma's Swedish dictionary: measured against spaCy's
``sv_lemma_lookup`` on 99 service-desk words it had 4 errors (plan, sal, snö, halt)
against spaCy's 7 (har→hare, men→mena, hjälp→hjälpa, ... plus no entry for base forms
such as "städa", "fönster"), so simplemma plus a small override table is used.
Snowball stems are added as an extra channel so that "städat"/"städa"/"städ" meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma

from nlu import _lexicon
from nlu._lexicon import stem

__all__ = [
    "excluded_parts",
    "fold",
    "is_content",
    "lemma",
    "normalise",
    "passive_verb",
    "positive_description",
    "restore_diacritics",
    "split_compound",
    "stem",
    "term_groups",
    "terms",
    "tokens",
    "unfold",
    "word_groups",
    "word_terms",
]

MAX_CHARS = 2000  # longer messages are cut: nobody orders a service in an essay
MIN_HEAD = 3
MIN_TAIL = 4
MIN_TAIL_DOMAIN = 3  # a tail the catalogue knows may be short ("tjänste|bil")

# Frequent words simplemma gets wrong for this domain (it prefers a verb reading).
LEMMA_OVERRIDES: dict[str, str] = {
    "plan": "plan", "planet": "plan", "sal": "sal", "salen": "sal", "snö": "snö",
    "halt": "halka", "hal": "halka", "hjälp": "hjälp", "har": "ha", "men": "men",
    "post": "post", "posten": "post", "fika": "fika", "mat": "mat", "bud": "bud",
    "lön": "lön", "tåg": "tåg", "kurs": "kurs", "städ": "städ", "kallt": "kall", "läcker": "läcka",
    # an English loan simplemma does not know in its Swedish forms
    "printern": "printer", "printrar": "printer", "printrarna": "printer",
    "wifit": "wifi", "wifin": "wifi", "wifiet": "wifi",
}  # fmt: skip

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "a", "ø": "o"})


# The ending of an abbreviation or a loan written after a colon: "wifi:t", "TV:n", "SMS:et".
_COLON_ENDING = re.compile(
    r"(?<=[^\W\d_]):(?:n|en|et|t|s|ns|ts|ar|arna|er|erna|or|orna|na)\b", re.IGNORECASE
)


def without_colon_endings(text: str) -> str:
    """The text with the endings written after a colon removed ("wifi:t" is "wifi")."""
    return _COLON_ENDING.sub("", text)


def normalise(text: str) -> str:
    """NFKC, lower-case, keep letters/digits and in-word hyphens, collapse spaces."""
    text = without_colon_endings(unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower())
    return " ".join(_WORD.findall(text))


def fold(text: str) -> str:
    """Fold å/ä/ö (and other accents) to plain a/o for users without Swedish keys."""
    text = text.translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Normalised word tokens ("sim-kort" stays one token)."""
    return normalise(text).split()


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """Base form of a word (case-insensitive); unknown words come back lower-cased."""
    word = word.lower()
    if word in LEMMA_OVERRIDES:
        return LEMMA_OVERRIDES[word]
    if word.isdigit() or len(word) < 2:
        return word
    found = _lexicon.forms().get(word)
    if found is not None:
        return found.lower()
    return str(simplemma.lemmatize(word, lang=_lexicon.LANG)).lower()


def _known(part: str, vocabulary: frozenset[str]) -> bool:
    return part in vocabulary or part in _lexicon.lemma_set()


def _heads(head: str, vocabulary: frozenset[str]) -> list[tuple[str, int]]:
    """Readings of a first part with a penalty: 0 as is, 1 without a linking -s/-e,
    2 with a dropped -a/-e put back ("skol" -> "skola")."""
    found: list[tuple[str, int]] = []
    if len(head) >= MIN_HEAD and _known(head, vocabulary):
        found.append((head, 0))
    if head[-1:] in ("s", "e") and len(head) > MIN_HEAD and _known(head[:-1], vocabulary):
        found.append((head[:-1], 1))
    if len(head) > MIN_HEAD and head[-1:] not in "aeiouyåäö":
        found.extend((head + v, 2) for v in ("a", "e") if _known(head + v, vocabulary))
    return [(h, p) for h, p in found if h not in _lexicon.stop_words()]


def _tail(tail: str, vocabulary: frozenset[str]) -> list[str] | None:
    """The tail as a known word (lemmatised) or as a compound itself, else None."""
    base = tail if tail in _lexicon.lemma_set() else lemma(tail)
    long_enough = len(tail) >= MIN_TAIL or (len(tail) >= MIN_TAIL_DOMAIN and base in vocabulary)
    known = base in vocabulary or (tail in _lexicon.forms() and _known(base, vocabulary))
    if long_enough and known and base not in _lexicon.stop_words():
        return [base]
    if len(tail) >= 2 * MIN_HEAD + 1:
        parts = split_compound(tail, vocabulary)
        if len(parts) > 1:
            return parts
    return None


def _plausible(word: str, parts: list[str], penalty: int, vocab: frozenset[str]) -> bool:
    """A dictionary word ("ansvar", "handskar") is split only if its lemma ends in the
    last part, every part has 4+ letters or is a catalogue word, and a restored vowel
    is only trusted for catalogue words."""
    base = lemma(word)
    if base not in _lexicon.lemma_set() or word in vocab:
        return True
    if not base.endswith(parts[-1]) or (penalty == 2 and parts[0] not in vocab):
        return False
    if parts[-1] in vocab and len(parts[-1]) >= MIN_TAIL and len(parts) == 2 and penalty == 0:
        return True  # "tak|lampa": a short first word before a catalogue word
    return all(p in vocab or len(p) >= MIN_TAIL for p in parts)


@lru_cache(maxsize=65536)
def split_compound(word: str, vocabulary: frozenset[str] = frozenset()) -> list[str]:
    """Split a compound into lemmatised parts, or return ``[word]``.

    Parts must be known words (the catalogue ``vocabulary`` or Swedish lemmas) and not
    stop words; dictionary words are guarded (see ``_plausible``). Among valid
    splits: all parts in the catalogue first, then fewest parts, then the longest
    shortest part (less one for a linking letter).
    """
    best: tuple[tuple[bool, int, int], list[str]] | None = None
    for i in range(MIN_HEAD, len(word) - MIN_TAIL_DOMAIN + 1):
        tail_parts = _tail(word[i:], vocabulary)
        if tail_parts is None:
            continue
        for head, penalty in _heads(word[:i], vocabulary):
            parts = [head, *tail_parts]
            if not _plausible(word, parts, penalty, vocabulary):
                continue
            all_vocab = all(p in vocabulary for p in parts)
            key = (all_vocab, -len(parts), min(len(p) for p in parts) - penalty)
            if best is None or key > best[0]:
                best = (key, parts)
    return best[1] if best else [word]


_UNFOLD = {"a": ("a", "ä", "å"), "o": ("o", "ö")}
MAX_UNFOLD = 64  # candidate spellings tried for one folded word


@lru_cache(maxsize=16384)
def unfold(word: str) -> str:
    """Restore å/ä/ö in a word typed without them ("moblerna" -> "möblerna").

    Only for words the dictionary does not know: every a/o is tried as a/ä/å and o/ö
    and the first spelling the dictionary knows wins; otherwise the word is returned.
    """
    known = _lexicon.forms()
    if word in known or any(c in word for c in "åäö"):
        return word
    spellings = [""]
    for char in word:
        spellings = [s + c for s in spellings for c in _UNFOLD.get(char, (char,))]
        if len(spellings) > MAX_UNFOLD:
            return word
    return next((s for s in spellings if s in known), word)


# Short words that, typed without å/ä/ö, are spelt like another word or like none the
# dictionary holds as such; in a message without any å/ä/ö they stand for these.
_FOLDED_WORDS = {
    "pa": "på", "nan": "nån", "nat": "nåt", "nagon": "någon", "nagot": "något",
    "nagra": "några", "ar": "är", "nar": "när", "for": "för", "fran": "från", "tva": "två",
    "over": "över", "aven": "även", "ocksa": "också", "sa": "så", "da": "då", "fa": "få",
    "ga": "gå", "at": "åt", "forst": "först", "fore": "före", "sta": "stå", "mandag": "måndag",
    "lordag": "lördag", "sondag": "söndag", "mote": "möte",
}  # fmt: skip


def restore_diacritics(text: str) -> str:
    """A message typed without å/ä/ö with them restored where the dictionary is sure
    ("nan har spytt i trappan pa lagstadiet" -> "nån har spytt i trappan på lågstadiet"),
    for readers that know only the proper spelling (the sentence embeddings). A message
    with any å/ä/ö is returned as it is: its writer has the keys."""
    if any(c in text for c in "åäöÅÄÖ"):
        return text

    def restored(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        if any(c.isdigit() for c in low):
            return word
        new = _FOLDED_WORDS.get(low) or unfold(low)
        if new == low:
            return word
        return new[:1].upper() + new[1:] if word[:1].isupper() else new

    return _WORD.sub(restored, text)


Groups = tuple[tuple[str, ...], ...]
_DERIVATIONS = (("ering", "era"), ("ning", "a"))  # arkivering -> arkivera, städning -> städa


# s-passive and supine endings back to the infinitive: "städats"/"städas" -> "städa".
_PASSIVE = (("ades", "a"), ("ats", "a"), ("as", "a"))


def passive_verb(word: str) -> str | None:
    """The infinitive of an s-passive verb form ("tömts" is left alone), else None."""
    for ending, infinitive in _PASSIVE:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            verb = word[: -len(ending)] + infinitive
            if verb in _lexicon.lemma_set():
                return verb
    return None


def _variants(base: str, surface: str = "") -> list[str]:
    """A lemma with its stems, the verb of an s-passive and, for -ning/-ering nouns,
    the verb they come from."""
    out = [base, stem(base)]
    if surface:
        out.append(stem(surface))
        verb = passive_verb(surface)
        if verb is not None:
            out.extend((verb, stem(verb)))
    for suffix, verb_end in _DERIVATIONS:
        if base.endswith(suffix) and len(base) >= len(suffix) + 3:
            verb = base[: -len(suffix)] + verb_end
            out.extend((verb, stem(verb)))
            break
    return list(dict.fromkeys(out))


# Intensifying first parts of everyday Swedish ("flughalt", "jättesmutsigt", "iskallt"):
# the rest of the word carries the meaning.
INTENSIFIERS = (
    "jätte", "super", "mega", "skit", "svin", "kanon", "flug", "blixt", "spegel",
    "sten", "stek", "kokhet", "botten",
)  # fmt: skip


def _intensified(word: str) -> str | None:
    """The word without an intensifying prefix, when the rest is a known word."""
    for prefix in INTENSIFIERS:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) >= 3 and lemma(rest) in _lexicon.lemma_set():
            return rest
    return None


@lru_cache(maxsize=65536)
def word_groups(word: str, vocabulary: frozenset[str] = frozenset()) -> Groups:
    """Terms of one token, grouped: the whole word's variants, then one group per part.

    Variants in a group are alternatives (the matcher counts the best one); compound
    parts are extra evidence.
    """
    word = unfold(word)
    groups = [_variants(lemma(word), word)]
    plain = _intensified(word)
    if plain is not None:
        groups[0].extend(_variants(lemma(plain), plain))
    if "-" in word:
        groups[0].append(lemma(word.replace("-", "")))
        parts = [lemma(p) if len(p) > MIN_HEAD else p for p in word.split("-") if len(p) > 1]
    elif len(word) >= 2 * MIN_HEAD:
        parts = split_compound(word, vocabulary)
        parts = parts if len(parts) > 1 else []
    else:
        parts = []
    groups.extend(_variants(p) for p in parts)
    return tuple(tuple(g) for g in groups)


def is_content(word: str) -> bool:
    """A token that carries meaning: not a stop word, a number or a single letter."""
    stops = _lexicon.stop_words()
    return len(word) > 1 and not word.isdigit() and word not in stops and lemma(word) not in stops


def word_terms(word: str) -> set[str]:
    """Every term of one token: the variants of the whole word and of its compound parts
    (``word_groups`` flattened), to compare with a text's ``terms``."""
    return {term for group in word_groups(word) for term in group}


def term_groups(text: str, vocabulary: frozenset[str] | None = None) -> list[Groups]:
    """Per content token (stop words and numbers dropped), its ``word_groups``."""
    vocab = vocabulary or frozenset()
    return [word_groups(word, vocab) for word in tokens(text) if is_content(word)]


def terms(text: str, vocabulary: frozenset[str] | None = None) -> list[str]:
    """Matcher analysis: tokens minus stop words -> lemmas, compound parts and stems."""
    groups = term_groups(text, vocabulary)
    return list(dict.fromkeys(t for word in groups for group in word for t in group))


# A sentence of a catalogue description that says what the service does NOT do ("Hotell,
# taxi och hyrbil ingår inte.", "Gäller inte privata flyttar.", "Jobbmobiler har en egen
# tjänst."): its words name other needs, not this service's.
_EXCLUSION = re.compile(
    r"\b(?:ingår|gäller|omfattar|inkluderar|innefattar)\s+(?:inte|ej)\b"
    r"|\b(?:har|hanteras\s+i|anmäls\s+i|beställs\s+i|bokas\s+i)\s+(?:en\s+)?egen\s+tjänst\b"
    r"|\begna\s+tjänster\b",
    re.IGNORECASE,
)
# ... unless it says the thing can still be had ("Fönsterputs ingår inte men kan beställas
# mot avgift."): then the sentence is kept whole.
_STILL_OFFERED = re.compile(
    r"\b(?:men|utan|dock)\b.*\b(?:beställ\w*|bokas|debiter\w*|faktur\w*|tillkommer|avgift|"
    r"kostnad|offert|extra)\b|\bmot\s+(?:en\s+)?(?:avgift|kostnad|ersättning)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# "Bokar tåg och flyg, men hotell ingår inte": the part before "men" is the service's.
_BUT = re.compile(r",?\s+men\s+", re.IGNORECASE)


def positive_description(description: str) -> str:
    """A service's description without the sentences that say what it does not do.

    Catalogues often fence a service off from its neighbours ("Fönsterputs och storstädning
    ingår inte.", "Tolk för talade språk ingår inte."). Those words must not draw a
    request for the very things excluded to the service that excludes them (the matcher,
    the embeddings and the things a description lists all read what this returns)."""
    return _exclusions_apart(description)[0]


def excluded_parts(description: str) -> list[str]:
    """The sentences (or the parts after "men") of a description that say what the service
    does not do; what :func:`positive_description` leaves out."""
    return _exclusions_apart(description)[1]


def _exclusions_apart(description: str) -> tuple[str, list[str]]:
    """(the description without its exclusions, the exclusions)."""
    if not _EXCLUSION.search(description):
        return description, []
    kept: list[str] = []
    excluded: list[str] = []
    for sentence in _SENTENCE_END.split(description):
        if not _EXCLUSION.search(sentence) or _STILL_OFFERED.search(sentence):
            kept.append(sentence)
            continue
        head, *rest = _BUT.split(sentence, maxsplit=1)
        if rest and not _EXCLUSION.search(head):
            kept.append(head.rstrip(" ,.") + ".")
            excluded.append(rest[0])
        else:
            excluded.append(sentence)
    return " ".join(kept).strip(), [e.strip(" .") for e in excluded]
