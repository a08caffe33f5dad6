"""Turn a place name as people type it into a comparison key: one folded form for every spelling.

Why a folded key and not a longer alias list: a Kazakh region is typed in two scripts, three Kazakh
Latin alphabets (2017 apostrophes, 2018 acutes, 2021 umlauts and cedillas), several transliterations
and with Russian letters in place of Kazakh ones; listing every combination is endless, folding them
is one function. The key keeps only what changes meaning. It folds:

- Cyrillic and Latin to one Latin skeleton: ж/zh/j/dzh -> j, ш/sh/ş -> sh, х/һ/kh/h -> h, қ/к/q -> k,
  ғ/г/gh/ǵ/ğ -> g, ң/н/ń/ñ -> n, ә/а/á/ä -> a, ө/о/ó/ö -> o, ұ/ү/у/ú/ü/ū/ý -> u, і/и/ы/й/ı/y -> i,
  е/э/ё -> e, я -> ia, ю -> iu, and doubled letters to one;
- Latin look-alikes inside a Cyrillic word to the Cyrillic letter ("Жетiсу" with a Latin i, "Kарагaнда");
- Russian adjective endings to one form (-ская/-ской/-skaya/-skoy -> "skaia") and Kazakhstan's name
  in both languages (Қазақстан/Казахстан) to one;
- case, punctuation, hyphens, and the words for "region", "city" and "district". The region and
  district words become a marker at the end of the key (" obl", " dist") because "Алматы" (the city,
  75) and "Алматы облысы" (the region, 19) differ only by that word; the city and village words
  (г., қ., қаласы, city, с., ауылы ...) are dropped.

A key never decides between two places by itself: ``units.py`` refuses a key that two units answer to.
``place_key`` is idempotent (a key fed back in gives itself) and cached, as sheets repeat the same few
hundred spellings; ``fold_words`` gives the folded words with their marker words still in place, for
splitting a cell that holds a region and a town.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Latin letters that look like Cyrillic ones, by case (a capital H is Н, a small h is the Kazakh һ).
_LOOKALIKE = str.maketrans({"A": "А", "a": "а", "B": "В", "C": "С", "c": "с", "E": "Е", "e": "е", "H": "Н",
                            "h": "һ", "I": "І", "i": "і", "K": "К", "k": "к", "M": "М", "O": "О", "o": "о",
                            "P": "Р", "p": "р", "T": "Т", "X": "Х", "x": "х", "Y": "У", "y": "у"})
_APOSTROPHES = "'’ʼ`ʻ´′‘"
# 2017 Kazakh Latin: S' = Ш and C' = Ч; an apostrophe after any other letter only marks a Kazakh
# vowel or consonant (A' = Ә, G' = Ғ ...) and is dropped.
_APOS_DIGRAPH = re.compile(rf"([sScC])[{_APOSTROPHES}]")
# Letters NFKD would fold wrongly: 2018 ý is У (u), not y; ş/ç are sh/ch; dotless ı is ы.
_SPECIAL = str.maketrans({"ý": "u", "Ý": "u", "ş": "sh", "Ş": "sh", "ç": "ch", "Ç": "ch", "ı": "i", "ə": "a",
                          "Ə": "a", "ß": "ss", "œ": "oe", "æ": "ae"})
_TO_LATIN = str.maketrans({
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e", "ж": "j", "з": "z",
    "и": "i", "й": "i", "і": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia", "ў": "u",
    "q": "k", "w": "v", "y": "i", "_": " ",
})
# Transliteration digraphs, applied until nothing changes (so that a key folds to itself).
_DIGRAPHS = (("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("ie", "e"))
_DOUBLE = re.compile(r"([a-z])\1+")
_ADJECTIVE = re.compile(r"sk(?:aia|aja|oi|oe|ogo|uiu|i)\b")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def _latin(text: str) -> str:
    """The Latin skeleton of ``text`` (lower case, punctuation kept for the word splitter)."""
    if _CYRILLIC.search(text):
        text = " ".join(w.translate(_LOOKALIKE) if _CYRILLIC.search(w) else w for w in text.split(" "))
    text = _APOS_DIGRAPH.sub(lambda m: "sh" if m.group(1) in "sS" else "ch", text).translate(_SPECIAL)
    text = text.casefold().translate(_TO_LATIN)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch not in _APOSTROPHES)
    text = text.translate(_TO_LATIN)       # NFKD may have produced a y or q (ỳ -> y)
    while True:
        before = text
        for old, new in _DIGRAPHS:
            text = text.replace(old, new)
        text = _DOUBLE.sub(r"\1", text)
        if text == before:
            break
    text = text.replace("kazahstan", "kazakstan")
    return _ADJECTIVE.sub("skaia", text)


def _word_set(*words: str) -> frozenset[str]:
    return frozenset(_latin(w) for w in words)


OBLAST_WORDS = _word_set(
    "обл", "область", "области", "облысы", "облыс", "облысының", "облысында", "oblast", "oblasti", "oblys",
    "oblysy", "obl", "region", "reg", "province", "provinciya", "виляят")
CITY_WORDS = _word_set("г", "гор", "город", "каласы", "кала", "қ", "qalasy", "kalasy", "city", "gorod", "town",
                       "ш", "шаһары", "шаары")
DISTRICT_WORDS = _word_set("район", "районы", "района", "рн", "ауданы", "аудан", "ауд", "audany", "audan",
                           "district", "raion", "rayon", "dist", "р")
VILLAGE_WORDS = _word_set("с", "село", "пос", "поселок", "посёлок", "п", "пгт", "ауыл", "аул", "ауылы", "aul",
                          "auyl", "auyly", "village", "selo", "кенті", "кент", "ст", "станция", "мкр",
                          "микрорайон")
# Words that name the country: a cell part made only of these ("РК", "Республика Казахстан") says nothing.
COUNTRY_WORDS = _word_set("рк", "республика", "республикасы", "казахстан", "kazakhstan", "kz", "rk",
                          "respublika", "respublikasy")


def fold(text: str) -> str:
    """The folded text: Latin skeleton, lower case, words separated by single spaces (no markers)."""
    return " ".join(_NON_WORD.sub(" ", _latin(text)).split())


@lru_cache(maxsize=65536)
def fold_words(text: str) -> tuple[str, ...]:
    """The folded words of ``text`` with the region/city/district words still in place."""
    text = text.replace("р-н", " район ").replace("Р-н", " район ").replace("р/н", " район ")
    raw = _NON_WORD.sub(" ", text).split()
    if len(raw) > 1 and all(len(w) == 1 for w in raw):
        return (fold("".join(raw)),)      # "В.К.О." -> "vko", "Ю.К.О." -> "iuko"
    words = fold(text).split()
    if len(words) > 1 and all(len(w) == 1 for w in words):
        return (fold("".join(words)),)    # so that a key ("x x" from "XX/X") folds to itself
    return tuple(words)


# One character per letter for the typo distance, so that a one-letter slip in Cyrillic (я, ш, ц ...)
# is one edit in the key too.
_COMPACT = (("sh", "ʃ"), ("ch", "ʧ"), ("ts", "ʦ"), ("ia", "ʲ"), ("iu", "ʉ"))


def compact(key: str) -> str:
    """``key`` with the digraphs of the skeleton as single characters (for edit distances only)."""
    for digraph, single in _COMPACT:
        key = key.replace(digraph, single)
    return key


def key_of(words: tuple[str, ...] | list[str]) -> str:
    """The key of folded words: city and village words dropped, region/district words as a marker."""
    base: list[str] = []
    obl = dist = False
    for w in words:
        if w in OBLAST_WORDS:
            obl = True
        elif w in DISTRICT_WORDS:
            dist = True
        elif w not in CITY_WORDS and w not in VILLAGE_WORDS:
            base.append(w)
    if not base:
        return ""
    return " ".join(base) + (" obl" if obl else "") + (" dist" if dist else "")


def has_city_word(words: tuple[str, ...]) -> bool:
    """Whether a cell says "city" (г., қ., қаласы, city): "г. Акмола" is a town, "Акмола" a region."""
    return any(w in CITY_WORDS for w in words)


@lru_cache(maxsize=65536)
def _cached_key(text: str) -> str:
    return key_of(fold_words(text))


def place_key(text: str | None) -> str:
    """A stable key for a region or locality name (empty string for empty input)."""
    if text is None:
        return ""
    return _cached_key(str(text))


def strip_markers(key: str) -> str:
    """The key without the region/district marker."""
    for marker in (" dist", " obl"):
        if key.endswith(marker):
            key = key[: -len(marker)]
    return key


def letters(key: str) -> int:
    """How many letters a key's name has (markers and spaces not counted): the typo rule needs six."""
    return sum(ch.isalpha() for ch in strip_markers(key))
