"""Member lists for filing: one sheet per unit in force, numbered rows, a blank signature column.

Only members who count on the date are listed (``report.members.member_verdicts``), plus a sheet with the
initiative group. Every cell is text (no formula can be injected, IINs keep their leading zeros), and
the workbook is written in openpyxl's streaming mode so 60,000 names stay quick.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable

from openpyxl import Workbook

from partyledger.exporters.cells import sheet_title, text_cell
from partyledger.errors import InvalidInput
from partyledger.exporters.output import save_workbook
from partyledger.ledger.enums import RoleKind
from partyledger.ledger.members.campaign import get_campaign
from partyledger.ledger.members.roles import counted_holders
from partyledger.ledger.storage import audit
from partyledger.report.members import MemberVerdict, member_verdicts

HEADER = ["No.", "Full name", "Birth date", "IIN", "Residence", "Joined", "Signature"]


@dataclass
class FilingResult:
    per_unit: dict[str, int] = field(default_factory=dict)
    group_size: int = 0

    @property
    def members(self) -> int:
        return sum(self.per_unit.values())


def _sheet(wb: Workbook, title: str, heading: str, taken: set[str]):
    ws = wb.create_sheet(sheet_title(title, taken))
    for col, width in zip("ABCDEFG", (6, 36, 12, 15, 36, 12, 18)):
        ws.column_dimensions[col].width = width
    ws.append([text_cell(ws, heading, bold=True)])
    ws.append([text_cell(ws, h, bold=True) for h in HEADER])
    return ws


def write_filing_xlsx(path: Path, verdicts: Iterable[MemberVerdict], units: list, group: list, *,
                      as_of: date, party_name: str = "", force: bool = False,
                      password: str | None = None) -> FilingResult:
    """``units``: the ``rules.Unit`` list in force; ``group``: initiative-group ``RoleHolder`` rows.

    The file is new and 0600 (``force`` replaces one), Office-encrypted with ``password``.
    """
    by_unit: dict[str, list[MemberVerdict]] = defaultdict(list)
    for v in verdicts:
        if v.counts and v.unit_code:
            by_unit[v.unit_code].append(v)
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    result = FilingResult()
    party = f"{party_name}: " if party_name else ""
    for unit in units:
        people = sorted(by_unit.get(unit.code, []), key=lambda v: (v.full_name.casefold(), v.iin))
        ws = _sheet(wb, f"{unit.code} {unit.name}", f"{party}members in {unit.name} ({unit.code}) on "
                    f"{as_of.isoformat()}", taken)
        for i, v in enumerate(people, start=1):
            ws.append([text_cell(ws, x) for x in (i, v.full_name, v.birth_date, v.iin, v.residence, v.joined_on, "")])
        result.per_unit[unit.code] = len(people)
    ws = _sheet(wb, "Initiative group", f"{party}initiative group on {as_of.isoformat()}", taken)
    for i, h in enumerate(group, start=1):
        ws.append([text_cell(ws, x) for x in (i, h.full_name, "", h.iin, h.locality or "", h.since, "")])
    result.group_size = len(group)
    save_workbook(wb, path, force=force, password=password)
    return result


def export_filing(session, rules, path: Path, *, as_of: date, actor: str, force: bool = False,
                  password: str | None = None, on_progress=None, cancel=None) -> FilingResult:
    """The whole filing export, for ``partyledger export filing`` and the app's Report screen alike.

    Lists the members who count and the initiative-group holders who count (``roles.counted_holders``,
    the report's own test), writes the workbook, and records an audit event with the file's SHA-256 so
    the organizers can later prove which list they filed.
    """
    snapshot = rules.at(as_of)
    group = counted_holders(session, RoleKind.INITIATIVE_GROUP, snapshot, as_of)
    verdicts = member_verdicts(session, rules, as_of=as_of, on_progress=on_progress, cancel=cancel)
    try:
        result = write_filing_xlsx(path, verdicts, snapshot.units, group, as_of=as_of,
                                   party_name=get_campaign(session).party_name, force=force, password=password)
    except OSError as err:
        raise InvalidInput(f"cannot write {path}: {err.strerror}") from None
    audit.record(session, "export.filing", "ledger", None,
                 after={"file": path.name, "as_of": as_of, "members": result.members,
                        "initiative_group": result.group_size,
                        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "encrypted": bool(password)},
                 actor=actor)
    return result
