"""Turn a place name as people type it into a comparison key.

Why a key and not fuzzy matching: a unit decides whether a member counts toward a legal minimum, so a
near miss must be reported, not guessed. The key only removes differences that never change meaning:
case, ё/е, Kazakh letters written as plain Cyrillic (қ/к, ү/у, і/и ...), Latin diacritics
(Zhetisū/Zhetisu), Kazakh Latin q/gh against k/g (Qostanay/Kostanay), punctuation and hyphens, and
the words for "region", "city" and "district". The region and district words are not thrown away but become a marker at the end of the key
(" obl", " dist"), because "Алматы" (the city, 75) and "Алматы облысы" (the region, 19) differ only
by that word.  ``place_key`` is idempotent: a key fed back in gives itself, so keys can be stored and
grouped in SQL (``locality_key`` in ``partyledger.rules.units``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_KAZAKH = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
                         "ё": "е", "ʼ": "", "’": "", "'": "", "`": "", "ʻ": "",
                         # Kazakh Latin spellings (Qostanay, Qaraghandy) meet the Russian-style ones
                         "q": "k", "ı": "i"})

OBLAST_WORDS = frozenset({
    "обл", "область", "области", "облысы", "облыс", "облысынын", "oblast", "oblasti", "oblys", "oblysy", "obl",
    "region", "reg", "province", "provinciya", "виляят", "oblast'",
})
CITY_WORDS = frozenset({"г", "гор", "город", "каласы", "кала", "qalasy", "kalasy", "city", "gorod", "town", "c", "ш"})
DISTRICT_WORDS = frozenset({"район", "районы", "рн", "ауданы", "аудан", "audany", "audan", "district", "raion",
                            "rayon", "dist", "р"})
VILLAGE_WORDS = frozenset({"с", "село", "пос", "поселок", "п", "ауыл", "аул", "aul", "auyl", "village", "selo"})

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def _fold(text: str) -> str:
    text = text.casefold().translate(_KAZAKH)
    text = text.replace("р-н", " район ").replace("р/н", " район ")
    decomposed = unicodedata.normalize("NFKD", text)
    # Drop combining marks (ū -> u) but keep Cyrillic й, which NFKD splits into и + breve.
    kept = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            if ch == "\u0306" and kept and kept[-1] == "и":
                kept[-1] = "й"
            continue
        kept.append(ch)
    folded = "".join(kept).replace("_", " ")
    while "gh" in folded:  # Qaraghandy = Karagandy; looped so that the key stays idempotent
        folded = folded.replace("gh", "g")
    return folded


@lru_cache(maxsize=65536)
def _cached_key(text: str) -> str:
    return _key(text)


def place_key(text: str | None) -> str:
    """A stable key for a region or locality name (empty string for empty input); cached, as sheets repeat
    the same few hundred spellings."""
    if text is None:
        return ""
    return _cached_key(str(text))


def _key(text: str) -> str:
    words = _NON_WORD.sub(" ", _fold(text)).split()
    if words and all(len(w) == 1 for w in words) and len(words) > 1:
        words = ["".join(words)]  # "В.К.О." -> "вко"
    base: list[str] = []
    obl = dist = False
    for w in words:
        if w in OBLAST_WORDS:
            obl = True
        elif w in DISTRICT_WORDS:
            dist = True
        elif w in CITY_WORDS or w in VILLAGE_WORDS:
            continue
        else:
            base.append(w)
    if not base:
        return ""
    key = " ".join(base)
    if obl:
        key += " obl"
    if dist:
        key += " dist"
    return key


def strip_markers(key: str) -> str:
    """The key without the region/district marker."""
    for marker in (" dist", " obl"):
        if key.endswith(marker):
            key = key[: -len(marker)]
    return key
