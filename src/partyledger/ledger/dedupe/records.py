"""What the duplicate finder knows about one member, and its script-independent form.

``PersonRecord`` is the handful of columns the scan reads with plain SQL (so the finder never loads
ORM objects for a million rows). ``prepare`` turns it into ``Prepared``: names as Latin keys from
``partyledger.ledger.cleaning.translit`` (Cyrillic and every Latin scheme give the same key; spaces dropped so
"Nursultan uly" and "Нұрсұлтанұлы" agree), and the patronymic reduced to the father's name
(``patronymic_root``), so «Нұрсұлтанұлы» and "Nursultanovich" compare on "nursultan" alone. Keys are
lossy on purpose: they only feed similarity scores, never what is shown or stored. Names repeat a
lot (a few thousand given names cover a country), so the keys are memoised.

The birth date is taken from the IIN digits (the ledger derives it from there too), as ``YYMMDD``
plus the century digit class, so it needs no date parsing in the hot loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from partyledger.ledger.cleaning.translit import latin_key, patronymic_root

_ADDRESS_NOISE = re.compile(r"\b(ул|улица|пр|проспект|мкр|микрорайон|кв|квартира|д|дом|street|st|apt)\b\.?")


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """The columns of ``member`` the finder reads; ``phone`` is E.164 as stored."""

    id: int
    iin: str
    surname: str
    given_name: str
    patronymic: str | None = None
    phone: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """A record in comparable form: folded Latin name keys, birth date from the IIN, phone, address."""

    id: int
    iin: str
    birth: str            # "YYMMDD" + century class ("19"/"20"/"18") from the IIN
    surname: str
    given: str
    patronymic: str
    phone: str
    address: str


@lru_cache(maxsize=65536)
def fold_name(text: str) -> str:
    """A name as one Latin key without spaces: "Ерлан", "Yerlan", "Erlan" all give "erlan"."""
    return latin_key(text).replace(" ", "")


@lru_cache(maxsize=65536)
def fold_patronymic(text: str) -> str:
    """The father's name inside a patronymic, whatever the script and ending (-ович, -ұлы, -kyzy)."""
    return patronymic_root(text).replace(" ", "")


def fold_address(text: str | None) -> str:
    """Address for equality only: lower case, no street-type words or punctuation."""
    if not text:
        return ""
    low = _ADDRESS_NOISE.sub(" ", text.lower().replace("ё", "е"))
    return " ".join(re.findall(r"\w+", low))


def birth_from_iin(iin: str) -> str:
    """The birth date digits of an IIN with the century class; "" when the century digit is odd."""
    century = {"1": "18", "2": "18", "3": "19", "4": "19", "5": "20", "6": "20"}.get(iin[6:7], "")
    return iin[:6] + century if century else ""


def prepare(rec: PersonRecord) -> Prepared:
    return Prepared(id=rec.id, iin=rec.iin, birth=birth_from_iin(rec.iin), surname=fold_name(rec.surname),
                    given=fold_name(rec.given_name), patronymic=fold_patronymic(rec.patronymic or ""),
                    phone=(rec.phone or "").strip(), address=fold_address(rec.address))
