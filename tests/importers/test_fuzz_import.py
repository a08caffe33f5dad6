"""Fuzzing of the import path in the suite: a small mutation run and a property-based run.

``bench/fuzz_inputs.py`` runs thousands of cases through the command line; here a few hundred run
through the same functions the command calls (guard, reader, mapper, ``batches.import_rows``) on one
real encrypted ledger, so the suite stays fast. Every case must end in a result or a
``PartyLedgerError`` whose message is one line; and whatever is stored passes the text door again.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import random
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from partyledger.errors import PartyLedgerError
from partyledger.importers import read_members
from partyledger.ledger.intake import batches
from partyledger.ledger.storage import db
from partyledger.ledger.cleaning.iin import make_iin
from partyledger.ledger.models import Member
from partyledger.ledger.cleaning.text import text_problem
from partyledger.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("fuzz_inputs", ROOT / "bench" / "fuzz_inputs.py")
fuzz = importlib.util.module_from_spec(_spec)
sys.modules["fuzz_inputs"] = fuzz
_spec.loader.exec_module(fuzz)

UNITS = load_rules("KZ").units
AS_OF = date(2026, 6, 1)
TEXT_FIELDS = ("surname", "given_name", "patronymic", "locality", "address", "email", "phone", "application_ref",
               "region_text")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    engine = db.create_ledger(path, "fuzz", party_name="Fuzz", fast_kdf=True)
    yield engine
    engine.dispose()


def import_once(engine, path: Path) -> str:
    """Import ``path`` in a transaction that is rolled back; "ok" or "refused"; any other exception fails."""
    with db.session_scope(engine) as session:
        try:
            data, mapped = read_members(path)
            source = batches.BatchSource(file_name=path.name, sha256="0" * 64)
            batches.import_rows(session, mapped.rows, source, units=UNITS, as_of=AS_OF)
        except PartyLedgerError as err:
            assert "\n" not in str(err) and str(err), repr(err)
            session.rollback()
            return "refused"
        for member in session.exec(select(Member)):
            for name in TEXT_FIELDS:
                value = getattr(member, name)
                assert value is None or text_problem(value, name) is None, (name, value)
        session.rollback()
        return "ok"


def test_a_few_hundred_mutated_sample_files_end_in_a_result_or_one_line(engine, tmp_path):
    rng = random.Random(20261202)
    outcomes = {"ok": 0, "refused": 0}
    for seed, kind, path in fuzz.file_cases(150, rng, tmp_path):
        try:
            outcomes[import_once(engine, path)] += 1
        except AssertionError:
            raise
        except Exception as err:            # noqa: BLE001 - name the mutant that broke through
            raise AssertionError(f"{seed} mutated by {kind} ({path.name}): {type(err).__name__}: {err}") from err
    assert outcomes["ok"] > 20 and outcomes["refused"] > 20     # the mutants reach both ends


HEADERS = ["ИИН", "Фамилия", "Имя", "Отчество", "Область", "Населенный пункт", "Адрес", "Телефон", "E-mail"]
cell_text = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(fuzz.HOSTILE_TEXT[:-1])


@st.composite
def sheets(draw):
    rows = []
    for serial in range(draw(st.integers(1, 8))):
        iin = make_iin(date(1990, 1, 1 + serial), "M", serial + 1) if draw(st.booleans()) else draw(cell_text)
        rows.append([iin] + [draw(cell_text) for _ in HEADERS[1:]])
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251"]))
    return rows, delimiter, encoding


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(sheets())
def test_any_csv_ends_in_a_result_or_one_line_and_stores_only_clean_text(engine, tmp_path, sheet):
    rows, delimiter, encoding = sheet
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    path = tmp_path / "drive.csv"
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace") if encoding != "utf-8"
                     else buf.getvalue().encode("utf-8", "surrogatepass"))
    import_once(engine, path)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(st.lists(st.lists(cell_text | st.integers() | st.floats(allow_nan=True), min_size=len(HEADERS),
                         max_size=len(HEADERS)), min_size=1, max_size=6))
def test_any_xlsx_cells_end_in_a_result_or_one_line(engine, tmp_path, rows):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:                         # what openpyxl cannot write is what a hostile zip would hold:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("?", v) if isinstance(v, str) else v for v in row])   # the guard's job
    path = tmp_path / "drive.xlsx"
    try:
        wb.save(path)
    except (UnicodeEncodeError, ValueError):
        return                               # lone surrogates: no workbook can hold them
    import_once(engine, path)
