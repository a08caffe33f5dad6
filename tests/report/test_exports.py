"""The xlsx outputs re-opened with openpyxl, as an organizer's spreadsheet program would read them.

No formula cells anywhere (a member named ``=HYPERLINK(...)`` stays text), IINs are 12-character text
with their leading zeros, one sheet per unit in force plus the initiative group, only members who count
are on the filing lists, the commands warn about personal data, and the filing export is audited.
"""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from partyledger.ledger.storage import db
from partyledger.ledger.models import AuditEvent
from report.helpers import run_cli
from report.sample_ledger import FORMULA_NAME, PASSPHRASE


@pytest.fixture(scope="module")
def sample(sample_ledger_per_module):
    return sample_ledger_per_module


def _cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def columns(ws) -> dict[str, int]:
    """Heading (row 2, "Русский / Қазақша") -> column index: the filing sheets are read by heading."""
    return {h: i for i, h in enumerate(next(ws.iter_rows(min_row=2, max_row=2, values_only=True))) if h}


def test_filing_export_lists_who_counts_as_text(sample, tmp_path):
    out = tmp_path / "filing.xlsx"
    done = run_cli(sample, "export", "filing", "--as-of", "2024-06-01", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "personal data" in done.stderr and "21 members on 20 unit sheets" in done.stderr
    wb = load_workbook(out)
    assert len(wb.sheetnames) == 24 and wb.sheetnames[0] == "Итоги - Қорытынды"
    assert wb.sheetnames[-3:] == ["Иниц. группа - Бастамашыл топ", "Оргкомитет - Ұйымдастыру ком.",
                                  "Съезд - Құрылтай съезі"]
    assert wb.sheetnames[1].startswith("10 ") and "75 Алматы" in wb.sheetnames
    assert not [c.coordinate for c in _cells(wb) if c.data_type == "f"]
    almaty = wb["75 Алматы"]
    col = columns(almaty)
    rows = list(almaty.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 10                       # counted Almaty members, the dropped twin and the minor not
    assert [r[0] for r in rows] == [str(i) for i in range(1, 11)]
    assert all(isinstance(r[col["ИИН / ЖСН"]], str) and len(r[col["ИИН / ЖСН"]]) == 12
               and r[col["ИИН / ЖСН"]].isdigit() for r in rows)
    assert all(r[col["Подпись / Қолы"]] in ("", None) for r in rows)              # signature column left blank
    names = [r[col["Фамилия / Тегі"]] for r in rows]
    assert any(n.startswith(FORMULA_NAME) for n in names)     # the formula-looking name is there, as text
    abai = wb["10 область Абай"]
    abai_rows = list(abai.iter_rows(min_row=3, values_only=True))
    assert len(abai_rows) == 4 and all(r[columns(abai)["Населённый пункт / Елді мекен"]] == "Семей"
                                       for r in abai_rows)
    group = list(wb["Иниц. группа - Бастамашыл топ"].iter_rows(min_row=3, values_only=True))
    assert len(group) == 5


def test_leading_zero_iins_stay_text(tmp_path):
    """An IIN of someone born in 2000-2009 starts with 0: it must not become a number in the sheet."""
    from partyledger.ledger.members.campaign import update_campaign  # noqa: F401 - the ledger API used below
    from partyledger.ledger.cleaning.iin import make_iin
    from report.builder import insert_members, member_row

    path = tmp_path / "zero.db"
    engine = db.create_ledger(path, PASSPHRASE, fast_kdf=True)
    iin = make_iin(date(2001, 2, 3), "F", 7)
    assert iin.startswith("0")
    with db.session_scope(engine) as s:
        insert_members(s, [member_row(born=date(2001, 2, 3), unit="75", iin=iin, sex="F")])
    engine.dispose()
    out = tmp_path / "f.xlsx"
    assert run_cli(path, "export", "filing", "--as-of", "2024-06-01", "-o", str(out)).returncode == 0
    cell = load_workbook(out)["75 Алматы"]["F3"]               # the IIN column
    assert cell.value == iin and cell.data_type == "s"


def test_filing_export_is_in_the_audit_log(sample, tmp_path):
    out = tmp_path / "audited.xlsx"
    assert run_cli(sample, "export", "filing", "--as-of", "2024-06-01", "-o", str(out)).returncode == 0
    engine = db.open_ledger(sample, PASSPHRASE)
    with db.session_scope(engine) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "export.filing")).all()
    engine.dispose()
    assert events and events[-1].after["file"] == "audited.xlsx" and events[-1].after["members"] == 21


def test_report_workbook_summary_units_and_exclusions(sample, tmp_path):
    out = tmp_path / "report.xlsx"
    done = run_cli(sample, "report", "--as-of", "2024-06-01", "--format", "xlsx", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "personal data" in done.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["Summary", "Units", "Exclusions"]
    assert not [c.coordinate for c in _cells(wb) if c.data_type == "f"]
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert summary["Verdict"] == "NOT READY to file" and summary["Members counted"] == 21
    units = wb["Units"]
    assert units.conditional_formatting, "the per-unit sheet has data bars"
    assert [r[0] for r in units.iter_rows(min_row=2, values_only=True)][:2] == ["10", "11"]
    excl = list(wb["Exclusions"].iter_rows(min_row=2, values_only=True))
    assert len(excl) == 7
    assert {r[4] for r in excl} == {"status.withdrawn", "status.deceased", "age.under_minimum", "joined.after_as_of",
                                    "declaration.citizen", "duplicate.candidate", "unit.ambiguous"}
    assert all(isinstance(r[0], str) and len(r[0]) == 12 for r in excl)


def test_report_workbook_without_names_says_nothing_about_personal_data(sample, tmp_path):
    out = tmp_path / "counts.xlsx"
    done = run_cli(sample, "report", "--as-of", "2024-06-01", "--format", "xlsx", "--no-exclusions", "-o", str(out))
    assert done.returncode == 0 and "personal data" not in done.stderr
    assert load_workbook(out).sheetnames == ["Summary", "Units"]


def test_filing_group_sheet_lists_only_holders_who_count(tmp_path):
    """The initiative group filed is the group the report counts: a non-citizen, a minor and a member who
    withdrew hold the role but would be refused by the ministry, so they are not on the sheet."""
    from report.builder import give_role

    path = tmp_path / "group.db"
    engine = db.create_ledger(path, PASSPHRASE, fast_kdf=True)
    with db.session_scope(engine) as s:
        ids = insert_members_for_group(s)
        for mid in ids:
            give_role(s, mid, "initiative_group")
    engine.dispose()
    out = tmp_path / "filing.xlsx"
    done = run_cli(path, "export", "filing", "--as-of", "2024-06-01", "-o", str(out))
    assert done.returncode == 0, done.stderr
    group = list(load_workbook(out)["Иниц. группа - Бастамашыл топ"].iter_rows(min_row=3, values_only=True))
    assert sorted(r[1] for r in group) == ["Годный", "Годныйвторой"]


def insert_members_for_group(session):
    from report.builder import insert_members, member_row

    return insert_members(session, [
        member_row(born=date(1980, 1, 1), surname="Годный"),
        member_row(born=date(1981, 2, 2), surname="Годныйвторой"),
        member_row(born=date(1982, 3, 3), surname="Иностранец", citizen=False),
        member_row(born=date(2010, 4, 4), surname="Школьник", joined=None),
        member_row(born=date(1983, 5, 5), surname="Ушедший", status="withdrawn", status_on=date(2024, 1, 1)),
    ])
