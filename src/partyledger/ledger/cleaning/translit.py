"""One transliteration table and one match-key scheme for Kazakh and Russian names in both scripts.

The same person is written «Әлібек Нұрсұлтанұлы» at a rally, "Alibek Nursultanuly" online,
«Алибек Нурсултанулы» on a Russian keyboard and "Älıbek Nūrsūltanūly" in the 2021 Kazakh Latin
alphabet. ``latin_key`` gives all of them the same lower-case ASCII key, so search and the
duplicate finder can compare people across scripts. It is a *key*, not a transliteration for
display: it deliberately throws information away.

How the key is built (every step is a C-level string operation; perf-limits.md measured
``str.translate`` at ~856k names/s against ~330k for anyascii, so no per-character Python loop):

1. ``lower()``, then one ``str.translate`` table (``_TABLE``) that maps
   - Russian Cyrillic: ж->j, х->h, ц->c, ч->ch, ш/щ->sh, ю->iu, я->ia, ё/э->e, й/ы->i, ъ ь dropped;
   - Kazakh Cyrillic: ә->a, ғ->g, қ->k, ң->n, ө->o, ұ/ү->u, һ->h, і->i
     (Ukrainian є->ie, ї->i, ґ->g and Belarusian/Uzbek ў->u, ҳ->h come along for free);
   - Kazakh Latin 2021 and other diacritics: ä->a, ğ->g, ñ->n, ö->o, ū/ü->u, ı->i, ş->sh, ç->ch,
     ž->j, š->sh, č->ch; the 2018 alphabet's acutes (á ǵ ń ó ú) to their base letter and ý (its У)
     to u; any other accented Latin letter to its base letter; combining marks dropped (so
     "İ".lower(), which is "i" + a combining dot, becomes "i");
   - Latin letters whose sound has another spelling: y->i (ы, й and ICAO y are one), q->k, w->v,
     x->ks; apostrophes of the 2017 Kazakh alphabet (a', g') dropped; hyphens and dots -> space.
2. Double letters collapsed (Анна/Ana, Valiyev -> valiiev -> valiev), then the digraph folds
   ``_FOLDS`` in order: shch->sh, zh->j, dj->j (dzh), kh->h, ts->c, gh->g, ng->n (informal ң),
   io->e (ICAO/informal ё: Semyon, Artyom), ie->e (Yerlan/Ерлан, Grigoryev/Григорьев), then double
   letters collapsed again, repeated until nothing changes (so the key of a key is itself).
3. Anything that is not a-z becomes a space; runs of spaces collapse.

Known limits (documented, tested): "Julia" does not meet Юлия (j is ж here, as in Janna and the 2021
alphabet); x is read as ks; different people can share a key (that is why keys feed a similarity
score and never merge anyone on their own).

``patronymic_root`` folds patronymic endings (-ович/-овна/-евич/-евна/-ич/-ична, -ұлы/-улы/-uly,
-қызы/-кызы/-kyzy, -оглы/-гызы, also written as a separate word) so «Нурсултанович» and
«Нұрсұлтанұлы» meet; it ignores sex, which the IIN already tells apart.

``match_keys`` derives the keys stored on every member for search (``name_key``, surname first, and
``given_key``, given name first); every path that writes a member's names stores exactly what it returns.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sh",
    "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    # Kazakh letters
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # neighbours that turn up in the same sheets (Ukrainian, Belarusian, Uzbek, Kyrgyz)
    "є": "ie", "ї": "i", "ґ": "g", "ў": "u", "ҳ": "h",
}
_LATIN_SPECIAL = {
    "ı": "i", "ş": "sh", "ș": "sh", "ç": "ch", "ž": "j", "š": "sh", "č": "ch", "ÿ": "i",
    "ý": "u",            # У in the 2018 Kazakh Latin alphabet (Ulytaý = Ұлытау), not a Czech long y
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
    "y": "i", "q": "k", "w": "v", "x": "ks",
    "'": "", "\u2019": "", "\u2018": "", "\u02bc": "", "\u02bb": "", "`": "", "\u00b4": "",
    "-": " ", "\u2010": " ", "\u2011": " ", "\u2013": " ", "\u2014": " ", ".": " ", ",": " ",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "", "\ufeff": "",
}
_FOLDS = (("shch", "sh"), ("zh", "j"), ("dj", "j"), ("kh", "h"), ("ts", "c"), ("gh", "g"),
          ("ng", "n"), ("io", "e"), ("ie", "e"))
_PATRONYMIC_WORDS = frozenset({"uli", "kizi", "ogli", "gizi", "ulu"})
_PATRONYMIC_ENDINGS = ("ovich", "evich", "ovna", "evna", "ichna", "ich", "uli", "kizi", "ogli",
                       "gizi", "ulu")

_DOUBLE = re.compile(r"([a-z])\1+")
_NON_LETTER = re.compile(r"[^a-z]+")


def _build_table() -> dict[int, str]:
    """The translate table, built once: explicit letters first, then Unicode decomposition."""
    table: dict[int, str] = {}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii():         # then as its base letter would be ("ŵ" -> "w" -> "v")
            table[cp] = "".join(_LATIN_SPECIAL.get(c, c) for c in base.lower())
    for cp in range(0x0300, 0x0370):              # combining marks (decomposed input, "İ".lower())
        table[cp] = ""
    for mapping in (_CYRILLIC, _LATIN_SPECIAL):
        for src, dst in mapping.items():
            table[ord(src)] = dst                 # input is lower-cased before translating
    return table


_TABLE = _build_table()


@lru_cache(maxsize=65536)
def latin_key(text: str | None) -> str:
    """A lower-case ASCII key that is the same for Cyrillic and Latin spellings of a name.

    "Әлібек Нұрсұлтанұлы", "Alibek Nursultanuly", "Алибек Нурсултанулы" and
    "Älıbek Nūrsūltanūly" all give "alibek nursultanuli". Empty or None gives "".
    Cached per spelling: a ledger repeats a few thousand surnames, given names and patronymics.
    """
    if not text:
        return ""
    s = text.lower().translate(_TABLE)
    s = _DOUBLE.sub(r"\1", s)
    folded = True
    while folded:                       # a fold can expose another ("nghg" -> "ngg" -> "ng" -> "n");
        folded = False                  # every fold shortens the string, so this ends
        for old, new in _FOLDS:
            if old in s:
                s = s.replace(old, new)
                folded = True
        if folded:
            s = _DOUBLE.sub(r"\1", s)
    return " ".join(_NON_LETTER.sub(" ", s).split())


def surname_first_key(surname: str | None, given: str | None, patronymic: str | None = None) -> str:
    """The match key of a whole name, "surname given patronymic", each part through ``latin_key``.

    Stored on ``Member.name_key`` for search. The patronymic is keyed as written; compare
    patronymics with ``patronymic_root`` when the ending may differ (-ович against -ұлы).
    """
    return " ".join(k for k in (latin_key(surname), latin_key(given), latin_key(patronymic)) if k)


def given_first_key(surname: str | None, given: str | None, patronymic: str | None = None) -> str:
    """The same key with the given name first ("given surname patronymic").

    Stored on ``Member.given_key`` so that a search for a given name alone ("Әлібек", "alibek") or
    for "given surname" is an index range too; ``surname_first_key`` covers the surname-first order.
    """
    return " ".join(k for k in (latin_key(given), latin_key(surname), latin_key(patronymic)) if k)


MATCH_KEYS = ("name_key", "given_key")
"""The ``member`` columns that hold a name's match keys (what ``match_keys`` returns)."""


def match_keys(surname: str | None, given: str | None, patronymic: str | None = None) -> dict[str, str]:
    """Every stored match key of a member's name, by column: the one derivation all writers use.

    The member form, the import (new rows and updates), a merge that fills a patronymic, and
    ``verify`` (which recomputes them) all call this, so a key added here reaches every write path
    at once and none can be left stale.
    """
    return {"name_key": surname_first_key(surname, given, patronymic),
            "given_key": given_first_key(surname, given, patronymic)}


def patronymic_root(text: str | None) -> str:
    """The father's-name root of a patronymic, the same for Russian and Kazakh endings.

    «Нурсултанович», «Нурсултановна», «Нұрсұлтанұлы», "Nursultan uly", "Nursultanqyzy" all give
    "nursultan"; trailing vowels are trimmed too (Алиевич/Алиұлы -> "al"), because the Russian
    ending swallows the name's last vowel. Empty or None gives "".
    """
    words = latin_key(text).split()
    if len(words) > 1 and words[-1] in _PATRONYMIC_WORDS:
        words.pop()
    if not words:
        return ""
    last = words[-1]
    for ending in _PATRONYMIC_ENDINGS:
        if last.endswith(ending) and len(last) - len(ending) >= 2:
            last = last[: -len(ending)]
            break
    trimmed = last.rstrip("aeiou")
    words[-1] = trimmed if len(trimmed) >= 2 else last
    return " ".join(words)
