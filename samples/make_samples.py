"""Write the synthetic sign-up files in samples/ (deterministic: same seed, same people).

    .venv/bin/python samples/make_samples.py [OUTDIR]

Every person is made up by ``partyledger.synthetic`` (valid IINs from invented dates and serials).
The files carry the mess real sign-up sheets have, so the demo, the README tour and the tests
exercise it: messy.xlsx has a title, a blank row, "Ф.И.О." in one column, IINs as numbers that lost
their leading zero, with spaces and in scientific notation, text and Excel dates, merged region
cells, a hidden column, a formula with no stored value, a totals row and notes, and a few rows that
must go to quarantine (no IIN, bad check digit, no name, unknown region, the same IIN twice).
"""

from __future__ import annotations

import csv
import random
import sys
import zipfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from partyledger.synthetic import UNIT_NAMES, make_people, messy_date, messy_name, messy_phone, messy_region

SEED = 20261101
AS_OF = date(2026, 11, 1)
FIXED_TIME = (2026, 11, 1, 0, 0, 0)


def _save(wb: Workbook, path: Path) -> None:
    from datetime import datetime

    wb.properties.created = datetime(*FIXED_TIME)
    wb.properties.modified = datetime(*FIXED_TIME)
    wb.save(path)
    # Zip entries carry the wall clock; pin them so the same seed gives the same bytes.
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), data, compress_type=zipfile.ZIP_DEFLATED)


def clean(out: Path, people) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Члены партии"
    ws.append(["ИИН", "Фамилия", "Имя", "Отчество", "Дата рождения", "Область", "Город", "Телефон",
               "Дата вступления", "№ заявления"])
    for k, p in enumerate(people, start=1):
        ws.append([p.iin, p.surname, p.given_name, p.patronymic, p.birth_date, UNIT_NAMES[p.unit_code][0],
                   p.locality, p.phone, p.joined_on, f"З-{k:04d}"])
    for row in ws.iter_rows(min_row=2, min_col=1, max_col=1):
        row[0].number_format = "@"
    _save(wb, out / "clean.xlsx")


def messy(out: Path, people, rng: random.Random) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Лист1"
    ws.append(["Список членов партии (сбор подписей, выходные)"])
    ws.merge_cells("A1:H1")
    ws.append(["Ответственный: волонтёр №7"])
    ws.append([])
    ws.append(["№ п/п", "Ф.И.О.", "ИИН", "Дата рожд.", "Область/город", "Нас. пункт", "Тел.", "служебное",
               "Дата вступления"])
    ws.column_dimensions["H"].hidden = True
    n = 0
    for k, p in enumerate(people):
        full = messy_name(f"{p.surname} {p.given_name} {p.patronymic or ''}".strip(), rng)
        style = k % 6
        if style == 0:
            iin: object = int(p.iin)                       # a number: leading zero lost
        elif style == 1:
            iin = f"{p.iin[:6]} {p.iin[6:]}"               # spaces
        elif style == 5 and p.iin[0] != "0":
            iin = f"{int(p.iin):.11E}"                     # scientific notation, all digits kept
        else:
            iin = p.iin
        birth: object = p.birth_date if k % 3 == 0 else messy_date(p.birth_date, rng)
        joined: object = p.joined_on if k % 2 else messy_date(p.joined_on, rng)
        n += 1
        ws.append([n, full, iin, birth, messy_region(p.unit_code, rng), p.locality, messy_phone(p.phone, rng),
                   "x" if k % 4 == 0 else None, joined])
    first = people[0]
    bad = [
        [None, "Без Иина Человек", None, "01.02.1990", "Алматы", "Алматы", "87011112233", None, "01.10.2026"],
        [None, "Ошибкин Контроль", first.iin[:11] + str((int(first.iin[11]) + 1) % 10), "", "Астана", "Астана",
         "", None, ""],
        [None, None, people[1].iin + "0", "", "Шымкент", "Шымкент", "", None, ""],
        [None, "Экспонентов Иван", f"{int(people[4].iin) / 1e11:.5f}E+11", "", "Павлодар", "", "", None, ""],
        [None, "Марсов Марс Марсович", people[2].iin, "", "Марс", "", "", None, ""],
        [None, messy_name(f"{people[3].surname} {people[3].given_name}", rng), people[3].iin, "",
         messy_region(people[3].unit_code, rng), "", "", None, ""],
    ]
    # people[2] appears above with a real region; its second line is an unknown region AND a repeat.
    for row in bad:
        n += 1
        row[0] = n
        ws.append(row)
    # Three people from one region, the region cell merged down over their rows.
    region_people = make_people(3, seed=SEED + 7, as_of=AS_OF, unit_weights={"35": 1.0})
    start = ws.max_row + 1
    for i, p in enumerate(region_people):
        n += 1
        ws.append([n, f"{p.surname} {p.given_name}", p.iin, p.birth_date, "Карагандинская обл." if i == 0 else None,
                   p.locality, messy_phone(p.phone, rng), None, p.joined_on])
    ws.merge_cells(f"E{start}:E{start + 2}")
    # One phone typed as a formula that was never calculated (a program wrote the file).
    ws.cell(row=start + 2, column=7).value = "=CONCATENATE(\"8701\",\"1234567\")"
    ws.append([])
    ws.append([f"Итого: {n}"])
    ws.append(["Составил: Волонтёр В.В., подпись ______"])
    ws.cell(row=ws.max_row + 5, column=15).value = " "            # used range Excel reports past the data
    notes = wb.create_sheet("Примечания")
    notes.append(["Заполнять по одной строке на человека."])
    _save(wb, out / "messy.xlsx")


def kazakh(out: Path, people, overlap, rng: random.Random) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Мүшелер"
    ws.append(["Тегі", "Аты", "Әкесінің аты", "ЖСН", "Туған күні", "Облыс", "Елді мекен", "Телефон нөмірі",
               "Партияға кірген күні"])
    for p in list(people) + list(overlap):
        ws.append([p.surname, p.given_name, p.patronymic, p.iin, f"{p.birth_date:%d.%m.%Y}",
                   UNIT_NAMES[p.unit_code][1], p.locality, messy_phone(p.phone, rng), f"{p.joined_on:%d.%m.%Y}"])
    _save(wb, out / "kazakh_headers.xlsx")


# Windows-1251 has no Kazakh letters; people on a Russian keyboard type the nearest Russian one.
RU_KEYBOARD = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")


def csv_file(out: Path, name: str, people, rng: random.Random, *, encoding: str) -> None:
    fold = RU_KEYBOARD if encoding == "cp1251" else {}
    with (out / name).open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["ФИО", "ИИН", "Дата рождения", "Регион", "Город", "Телефон", "Дата вступления"])
        for p in people:
            row = [f"{p.surname} {p.given_name} {p.patronymic or ''}".strip(), p.iin,
                   messy_date(p.birth_date, rng), messy_region(p.unit_code, rng), p.locality,
                   messy_phone(p.phone, rng), messy_date(p.joined_on, rng)]
            w.writerow([c.translate(fold) for c in row])


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    people = make_people(250, seed=SEED, as_of=AS_OF)
    clean(out, people[:60])
    messy(out, people[60:140], rng)
    kazakh(out, people[140:180], people[:5], rng)             # 5 people already in clean.xlsx
    csv_file(out, "cp1251.csv", [p for p in people[180:215]], rng, encoding="cp1251")
    csv_file(out, "semicolon.csv", people[215:250], rng, encoding="utf-8-sig")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
