"""Ground truth for the dedupe benchmark: synthetic ledgers with planted duplicates and look-alikes.

usage: python bench/dedupe_truth.py N [--seed 42] [--out bench/out]   (writes members_N.jsonl + truth_N.csv)
Also imported by ``bench/dedupe_bench.py`` and by the unit tests, which plant one case of each kind.

The rows are what the ledger would hold after a clean import: every IIN is checksum-valid (the import
quarantines the rest) and unique, the birth date and sex come from the IIN. So every planted duplicate
differs from its original in the IIN: a one-digit substitution or a transposition of two adjacent
digits that still passes the checksum. A typo in the 11th digit always does (its weight is 11 = 0
mod 11); elsewhere we retry random typos until one passes, which is how the rarer ones reach a ledger.
On top of the IIN, each duplicate gets one or more further differences:

- ``iin_digit`` / ``iin_transposition``: the IIN typo alone (names retyped with case/space noise);
- ``birth_date``: the typo is in the date digits, so the two records carry different birth dates;
- ``latin_2021`` / ``latin_passport`` / ``latin_informal``: the names written in Latin in one of three
  schemes (2021 Kazakh alphabet, passport/ICAO, everyday informal), with their own tables here,
  independent of ``partyledger.ledger.cleaning.translit``, so the benchmark does not grade itself;
- ``swapped``: surname and given name exchanged;
- ``phone``: a different phone number (and often a different address);
- ``surname_typo``: one letter of the surname changed or dropped;
- ``married_name``: a woman under a new surname, with the IIN typo; given name and patronymic kept,
  phone and address each changed half the time;
- ``married_name_phone``: a woman under a new surname whose IIN is wrong in three or more serial
  digits (not one typo away): what ties the records is the birth date, given name, patronymic and phone.
Any kind may also drop the patronymic or spell ё/й as е/и, and half also get a second difference
(the married kinds keep the patronymic and get no second difference: it is their evidence).

Look-alikes that must stay apart (``NEGATIVE_KINDS``): ``twin`` (same birth date, surname, patronymic,
address and often phone; a different given name; the next free serial, so the IINs usually differ
in one digit), ``namesake_day`` (same full name and birth date, own serial) and ``namesake_year``
(same full name, same birth year).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from partyledger.synthetic import (KZ_FEMALE, KZ_MALE, KZ_SURNAME_ROOTS, RU_FEMALE, RU_MALE, RU_SURNAMES,
                                   iin_check_digit, make_person)

DUP_KINDS = ("iin_digit", "iin_transposition", "birth_date", "latin_2021", "latin_passport", "latin_informal",
             "swapped", "phone", "surname_typo", "married_name", "married_name_phone")
VERSION = 2
"""Bumped whenever the kinds or their making change: cached ledgers carry it in their file names."""
NEGATIVE_KINDS = ("twin", "namesake_day", "namesake_year")
AS_OF = date(2026, 11, 1)

_COMMON = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "з": "z", "и": "i", "к": "k", "л": "l",
           "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "ъ": "",
           "ь": "", "э": "e"}
LATIN_2021 = {**_COMMON, "ә": "ä", "ғ": "ğ", "ё": "io", "ж": "j", "й": "i", "қ": "q", "ң": "ñ", "ө": "ö",
              "ұ": "ū", "ү": "ü", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ы": "y",
              "і": "ı", "ю": "iu", "я": "ia"}
PASSPORT = {**_COMMON, "ә": "a", "ғ": "g", "ё": "e", "ж": "zh", "й": "i", "қ": "k", "ң": "n", "ө": "o",
            "ұ": "u", "ү": "u", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y",
            "і": "i", "ю": "iu", "я": "ia", "ъ": "ie"}
INFORMAL = {**_COMMON, "ә": "a", "ғ": "g", "ё": "yo", "ж": "zh", "й": "y", "қ": "k", "ң": "n", "ө": "o",
            "ұ": "u", "ү": "u", "х": "h", "һ": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sh", "ы": "y",
            "і": "i", "ю": "yu", "я": "ya"}
SCHEMES = {"latin_2021": LATIN_2021, "latin_passport": PASSPORT, "latin_informal": INFORMAL}


@dataclass
class Row:
    """One member as stored: the columns the scan reads, plus what a ledger row needs."""

    iin: str
    surname: str
    given_name: str
    patronymic: str | None
    birth_date: date
    sex: str
    unit_code: str
    locality: str
    address: str
    phone: str
    joined_on: date


def transliterate(text: str, table: dict[str, str], *, informal: bool = False) -> str:
    """Cyrillic -> Latin with one scheme's table, keeping capitals; informal writes initial Е as Ye."""
    out = []
    for pos, ch in enumerate(text):
        low = ch.lower()
        lat = table.get(low, ch)
        if informal and low == "е" and pos == 0:
            lat = "ye"
        out.append(lat.capitalize() if ch != low and lat else lat)
    return "".join(out)


def iin_valid(iin: str) -> bool:
    """Checksum and a real date: what the import demands before a row reaches the ledger."""
    return iin_check_digit(iin[:11]) == int(iin[11]) and birth_of(iin) is not None


def birth_of(iin: str) -> date | None:
    century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}.get(iin[6])
    if century is None:
        return None
    try:
        return date(century + int(iin[:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def typo_iin(iin: str, rng: random.Random, kind: str, taken: set[str]) -> str | None:
    """A checksum-valid IIN one substitution or one adjacent transposition away, or None if none found."""
    for _ in range(400):
        digits = list(iin)
        if kind == "iin_transposition":
            p = rng.randrange(11)
            if digits[p] == digits[p + 1]:
                continue
            digits[p], digits[p + 1] = digits[p + 1], digits[p]
        else:
            p = rng.randrange(6) if kind == "birth_date" else (10 if rng.random() < 0.6 else rng.randrange(12))
            digits[p] = str((int(digits[p]) + rng.randrange(1, 10)) % 10)
        new = "".join(digits)
        if new not in taken and iin_valid(new) and birth_of(new) <= AS_OF:
            return new
    return None


def _retype(text: str | None, rng: random.Random) -> str | None:
    """How a second volunteer writes the same name: case, ё->е, й->и, stray spaces."""
    if text is None:
        return None
    roll = rng.random()
    if roll < 0.2:
        text = text.upper()
    elif roll < 0.3:
        text = text.lower()
    if rng.random() < 0.3:
        text = text.replace("ё", "е").replace("Ё", "Е")
    if rng.random() < 0.1:
        text = text.replace("й", "и")
    return f" {text} " if rng.random() < 0.1 else text


_CYRILLIC = "абвгдежзийклмнопрстуфхцчшщыэюяәғқңөұүһі"
_LATIN = "abcdefghijklmnopqrstuvwxyz"


def surname_typo(text: str, rng: random.Random) -> str:
    """One letter changed (to another of the same script) or dropped."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    p = rng.choice(letters)
    if len(letters) > 3 and rng.random() < 0.5:
        return text[:p] + text[p + 1:]
    old = text[p]
    alphabet = _LATIN if old.lower() in _LATIN else _CYRILLIC
    new = rng.choice([c for c in alphabet if c != old.lower()])
    return text[:p] + (new.upper() if old.isupper() else new) + text[p + 1:]


def married_surname(current: str, rng: random.Random) -> str:
    """Another family's surname in its feminine form (-ов/-ев/-ин + а)."""
    while True:
        root = rng.choice(KZ_SURNAME_ROOTS + RU_SURNAMES)
        new = root + "а" if root.endswith(("ов", "ев", "ёв", "ин")) else root
        if new != current:
            return new


def _far_iin(iin: str, rng: random.Random, taken: set[str]) -> str | None:
    """Same birth date and century/sex digit, a serial three or more digits away (not one typo)."""
    for _ in range(200):
        first11 = iin[:7] + f"{rng.randrange(10000):04d}"
        check = iin_check_digit(first11)
        new = first11 + str(check) if check is not None else ""
        if new and new not in taken and sum(x != y for x, y in zip(iin, new)) >= 3:
            return new
    return None


def _married(orig: Row, kind: str, rng: random.Random, taken: set[str]) -> Row | None:
    """A woman registered again under her married name (see the module docstring)."""
    if orig.sex != "F" or not orig.patronymic:
        return None
    if kind == "married_name":
        iin = typo_iin(orig.iin, rng, "iin_transposition" if rng.random() < 0.25 else "iin_digit", taken)
    else:
        iin = _far_iin(orig.iin, rng, taken)
    if iin is None:
        return None
    dup = Row(**asdict(orig))
    dup.iin, dup.birth_date = iin, birth_of(iin)
    dup.surname = married_surname(orig.surname, rng)
    dup.given_name, dup.patronymic = _retype(orig.given_name, rng), _retype(orig.patronymic, rng)
    if kind == "married_name" and rng.random() < 0.5:
        dup.phone = _new_phone(rng)
    if rng.random() < 0.5:
        dup.address = f"ул. Жибек жолы, {rng.randrange(1, 200)}, кв. {rng.randrange(1, 120)}"
    return dup


def _new_phone(rng: random.Random) -> str:
    return "+77" + rng.choice(["01", "02", "05", "07", "47", "71", "77"]) + f"{rng.randrange(10**7):07d}"


def make_duplicate(orig: Row, kind: str, rng: random.Random, taken: set[str]) -> Row | None:
    """The same person written again, differing as ``kind`` says (and sometimes once more)."""
    if kind.startswith("married"):
        return _married(orig, kind, rng, taken)
    iin_kind = kind if kind in ("iin_transposition", "birth_date") else (
        "iin_transposition" if rng.random() < 0.25 else "iin_digit")
    iin = typo_iin(orig.iin, rng, iin_kind, taken)
    if iin is None:
        return None
    dup = Row(**asdict(orig))
    dup.iin, dup.birth_date = iin, birth_of(iin)
    dup.sex = "M" if int(iin[6]) % 2 else "F"
    extras = {kind} | ({rng.choice(("phone", "swapped", "latin_informal", "patronymic"))} if rng.random() < 0.5 else set())
    dup.surname, dup.given_name, dup.patronymic = (_retype(orig.surname, rng), _retype(orig.given_name, rng),
                                                   _retype(orig.patronymic, rng))
    scheme = next((s for s in SCHEMES if s in extras), None)
    if scheme:
        table = SCHEMES[scheme]
        dup.surname, dup.given_name = (transliterate(orig.surname, table, informal=scheme == "latin_informal"),
                                       transliterate(orig.given_name, table, informal=scheme == "latin_informal"))
        dup.patronymic = orig.patronymic and transliterate(orig.patronymic, table)
    if kind == "surname_typo":
        dup.surname = surname_typo(dup.surname.strip(), rng)
    if "swapped" in extras:
        dup.surname, dup.given_name = dup.given_name, dup.surname
    if "phone" in extras:
        dup.phone = _new_phone(rng)
        if rng.random() < 0.5:
            dup.address = f"ул. Жибек жолы, {rng.randrange(1, 200)}, кв. {rng.randrange(1, 120)}"
    if "patronymic" in extras or rng.random() < 0.1:
        dup.patronymic = None
    return dup


def make_lookalike(orig: Row, kind: str, rng: random.Random, taken: set[str]) -> Row | None:
    """A different person who resembles ``orig``: a twin or a namesake."""
    other = Row(**asdict(orig))
    other.phone, other.address = _new_phone(rng), f"мкр. Аксай-{rng.randrange(1, 5)}, {rng.randrange(1, 60)}"
    if kind == "twin":
        names = (KZ_MALE + RU_MALE) if orig.sex == "M" else (KZ_FEMALE + RU_FEMALE)
        other.given_name = rng.choice([n for n in names if n != orig.given_name])
        other.address = orig.address
        if rng.random() < 0.6:
            other.phone = orig.phone          # one family phone
        serial = int(orig.iin[7:11])
        for step in range(1, 40):
            first11 = orig.iin[:7] + f"{(serial + step) % 10000:04d}"
            check = iin_check_digit(first11)
            if check is not None and first11 + str(check) not in taken:
                other.iin = first11 + str(check)
                return other
        return None
    if kind == "namesake_year":
        for _ in range(50):
            day = date(orig.birth_date.year, rng.randrange(1, 13), rng.randrange(1, 29))
            if day != orig.birth_date and day <= AS_OF:
                other.birth_date = day
                break
    for _ in range(50):
        head = f"{other.birth_date:%y%m%d}{orig.iin[6]}{rng.randrange(10000):04d}"
        check = iin_check_digit(head)
        if check is not None and head + str(check) not in taken:
            other.iin = head + str(check)
            return other
    return None


def generate(n: int, *, seed: int = 42, dup_frac: float = 0.02, lookalike_frac: float = 0.01):
    """``n`` rows in shuffled order, with ``truth`` {(iin_a, iin_b): kind} and ``negatives`` likewise."""
    rng = random.Random(seed)
    n_dup, n_neg = int(n * dup_frac), int(n * lookalike_frac)
    taken: set[str] = set()
    rows: list[Row] = []
    while len(rows) < n - n_dup - n_neg:
        p = make_person(rng, as_of=AS_OF, min_age=18, max_age=80)
        if p.iin in taken:
            continue
        taken.add(p.iin)
        rows.append(Row(p.iin, p.surname, p.given_name, p.patronymic, p.birth_date, p.sex, p.unit_code,
                        p.locality, p.address, p.phone, p.joined_on))
    truth: dict[tuple[str, str], str] = {}
    negatives: dict[tuple[str, str], str] = {}
    base = len(rows)
    used: set[int] = set()          # one planted relative per person keeps the truth exactly pairwise
    for target, kinds, maker, out in ((n_dup, DUP_KINDS, make_duplicate, truth),
                                      (n_neg, NEGATIVE_KINDS, make_lookalike, negatives)):
        made = 0
        while made < target:
            pick = rng.randrange(base)
            if pick in used:
                continue
            orig = rows[pick]
            kind = kinds[made % len(kinds)]
            new = maker(orig, kind, rng, taken)
            if new is None:
                continue
            used.add(pick)
            taken.add(new.iin)
            rows.append(new)
            out[tuple(sorted((orig.iin, new.iin)))] = kind
            made += 1
    rng.shuffle(rows)
    return rows, truth, negatives


def write(rows: list[Row], truth: dict, negatives: dict, out: Path, n: int, tag: str | None = None) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    tag = tag or str(n)
    members, pairs = out / f"members_{tag}.jsonl", out / f"truth_{tag}.csv"
    with members.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(asdict(r), ensure_ascii=False, default=str) + "\n")
    with pairs.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(("iin_a", "iin_b", "kind", "same_person"))
        for (a, b), kind in truth.items():
            w.writerow((a, b, kind, 1))
        for (a, b), kind in negatives.items():
            w.writerow((a, b, kind, 0))
    return members, pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    a = ap.parse_args()
    t = time.perf_counter()
    rows, truth, negatives = generate(a.n, seed=a.seed)
    members, pairs = write(rows, truth, negatives, a.out, a.n)
    print(f"{len(rows):,} rows, {len(truth):,} planted duplicates, {len(negatives):,} look-alikes "
          f"in {time.perf_counter() - t:.1f}s -> {members}, {pairs}", file=sys.stderr)


if __name__ == "__main__":
    main()
