"""One translation function, ``_()``, for every word the terminal app and the text report show.

Organizers work in Russian and Kazakh as often as in English, so all user-facing text in
``partyledger.tui`` and ``partyledger.presentation`` goes through ``_()`` from the first line written:
adding a language is then a matter of dropping a compiled catalogue into
``locale/<lang>/LC_MESSAGES/partyledger.mo`` (see ``locale/README.md``), not of touching screens. The
language comes from ``$PARTYLEDGER_LANG``, or the usual ``LANGUAGE``/``LC_ALL``/``LANG`` variables;
without a catalogue the English source text is shown (gettext's fallback), never an error.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "partyledger"
LOCALE_DIR = Path(__file__).with_name("locale")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(language: str | None = None) -> str:
    """Switch the catalogue; returns the language actually used ("en" when none matched)."""
    global _translation, _language
    wanted = language or os.environ.get("PARTYLEDGER_LANG") or None
    languages = [wanted] if wanted else None
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=languages, fallback=True)
    if type(_translation) is gettext.NullTranslations:
        _language = "en"
    else:
        _language = (_translation.info().get("language") or wanted or "en").split("_")[0].lower()
    return _language


_SHORTER = {"ru": (("область", "обл."),), "kk": (("облысы", "обл."),)}


def unit_name(unit, *, short: bool = False) -> str:
    """A territorial unit's name in the app's language (the rule files carry en, ru and kk names);
    ``short`` abbreviates "область"/"облысы" for narrow table columns, as Russian and Kazakh print do."""
    name = getattr(unit, f"name_{_language}", None) or unit.name_en
    for word, abbreviation in _SHORTER.get(_language, ()) if short else ():
        name = name.replace(word, abbreviation)
    return name


def number(value: int | None) -> str:
    """A count as people read it: 4,686 in English, 4 686 in Russian and Kazakh (a no-break space)."""
    if value is None:
        return "?"
    text = f"{value:,}"
    return text if _language == "en" else text.replace(",", "\u00a0")


def _(message: str) -> str:
    """Translate ``message``; the English source is returned when no catalogue has it."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Plural-aware translation (Russian has three plural forms, so never build plurals by hand)."""
    return _translation.ngettext(singular, plural, n)


set_language()
