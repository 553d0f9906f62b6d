"""Text normalisation for matching: words → comparable terms.

Russian words become dictionary lemmas (pymorphy3, dictionaries inside the
wheel), English words Snowball stems; abbreviations and mixed tokens (``B2B``,
``SLA``, ``ЛС``) are kept whole, lower-cased. Only the few function words that
carry no meaning in a process name are dropped; the operator vocabulary itself
is ontology data (``ontology/vocabulary.ttl``), never a list in this module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+(?:[-’'][^\W_]+)*")
_CYRILLIC = re.compile(r"^[а-яё-]+$")
_LATIN = re.compile(r"^[a-z'’-]+$")

# Prepositions, conjunctions and pronouns: they say nothing about which process
# a row names. (Linguistic glue, not matching vocabulary.)
_STOP = frozenset("""
и в во на по с со к ко о об обо от до из за для при без через под над или а но
не ни же ли то что как его её их это этот эта эти все всех всё весь вся свой
также так то есть т е др пр т.е т.д и т д etc
the a an of and or to for in on at by with from as into via per its their this
that these those be is are was were it not all any each other
""".split())


@dataclass(frozen=True)
class Term:
    """One word of a text: its surface form as written and its normalised term."""

    word: str
    term: str


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=1)
def _english():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=1)
def _russian():
    import snowballstemmer

    return snowballstemmer.stemmer("russian")


# Latin letters that look like Cyrillic ones: "Обpаботка" typed with a Latin "p".
_HOMOGLYPHS = str.maketrans("aeopcxykmthbAEOPCXYKMTHB", "аеорсхукмтнвАЕОРСХУКМТНВ")


@lru_cache(maxsize=200_000)
def normalise(word: str, abbreviations: bool = True) -> str:
    """The term of one word ('' when it is a stop word or a bare number).

    ``abbreviations``: short all-capital words (ЛС, SLA) are kept whole; off for a
    text written all in capitals, where every word is.
    """
    if word.isdigit():
        return ""                   # row numbers, codes, "8-800": no meaning for the match
    low = word.lower().replace("ё", "е").replace("’", "'")
    if low in _STOP:
        return ""
    if not _CYRILLIC.match(low) and not _LATIN.match(low):
        fixed = low.translate(_HOMOGLYPHS)
        if _CYRILLIC.match(fixed):
            word, low = word.translate(_HOMOGLYPHS), fixed
    if _CYRILLIC.match(low):
        if abbreviations and len(low) <= 3 and word.isupper():
            return low              # an abbreviation (ЛС, ШПД, АТС) is its own lemma
        parse = _morph().parse(low)[0]
        if not parse.is_known:
            # A word outside the dictionary (дебиторка, тикет): pymorphy3 guesses its
            # lemma differently per form; the Snowball stem is the same for all forms.
            return _russian().stemWord(low)
        lemma = parse.normal_form.replace("ё", "е")
        return "" if lemma in _STOP else lemma
    if _LATIN.match(low):
        if abbreviations and word.isupper() and len(low) <= 5:
            return low              # SLA, CRM, QOS: not stemmed as English words
        stem = _english().stemWord(low)
        return "" if stem in _STOP else stem
    return low                      # B2B, 5G, mixed scripts: kept as written


def terms(text: str) -> list[Term]:
    """The normalised terms of ``text``, in order, stop words left out."""
    out = []
    text = text or ""
    abbreviations = not (text.isupper() and len(text) > 20)
    for match in _WORD.finditer(text):
        word = match.group()
        # "B2B-клиент", "интернет-магазин": each part matches on its own.
        for part in word.split("-"):
            term = normalise(part, abbreviations) if part else ""
            if term:
                out.append(Term(part, term))
    return out


def tokens(text: str) -> list[str]:
    """Just the terms of ``text`` (what the ranking index sees)."""
    return [t.term for t in terms(text)]
