"""The readiness report as a workbook: summary, per-unit sheet with data bars, exclusions.

The exclusions sheet names people (who does not count and why, so organizers can go and fix the
records); the front end says so on stderr. All text is written as text (``exporters/cells.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from openpyxl import Workbook
from openpyxl.formatting.rule import DataBarRule

from partyledger.exporters.cells import row_of, text_cell
from partyledger.exporters.output import save_workbook
from partyledger.ledger.issues import CATALOGUE
from partyledger.report.model import Citation, Readiness
from partyledger.report.members import MemberVerdict


def _cite(c: Citation | None) -> str:
    if c is None:
        return ""
    since = c.effective_from.isoformat() if c.effective_from else "date unknown"
    return f"{c.rule_id} = {c.value} since {since}; {c.reference} [{c.confidence}]"


def _summary(wb: Workbook, r: Readiness) -> None:
    ws = wb.create_sheet("Summary")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["E"].width = 80
    rows = [
        ["Readiness on", r.as_of.isoformat()], ["Party", r.party_name], ["Jurisdiction", r.jurisdiction],
        ["Rules in force since", r.rule_effective_from.isoformat()],
        ["Legal reference", f"{r.rule_reference} [{r.rule_confidence}]"],
        ["Verdict", "READY to file" if r.ready else "NOT READY to file"],
        ["Members in ledger", r.members_in_ledger], ["Members counted", r.members_counted],
        ["Members required", r.members_required], ["Safety factor", r.margin.safety_factor],
        ["Safe target", r.margin.members_with_margin], ["More needed to be safe", r.margin.members_needed],
        ["Open duplicate pairs", r.duplicate_pairs], [],
    ]
    for values in rows:
        ws.append(row_of(ws, values))
    ws.append(row_of(ws, ["Check", "Actual", "Required", "Verdict", "Rule"], bold=True))
    for c in r.checks:
        verdict = "pending" if c.met is None else ("met" if c.met else "NOT MET")
        ws.append(row_of(ws, [c.name, c.actual, c.required, verdict, _cite(c.citation) + (f" ({c.note})" if c.note else "")]))
    ws.append([])
    ws.append(row_of(ws, ["Deadline", "Due", "Days left", "Verdict", "Assumption"], bold=True))
    for d in r.deadlines:
        verdict = "pending" if d.met is None else ("met" if d.met else "MISSED")
        ws.append(row_of(ws, [d.name, d.due.isoformat() if d.due else "not started", d.days_left, verdict,
                              f"{d.assumption} {_cite(d.citation)}"]))
    ws.append([])
    ws.append(row_of(ws, ["Excluded (primary reason)", "Members", "", "", "Meaning"], bold=True))
    for code, n in r.excluded.items():
        ws.append(row_of(ws, [code, n, "", "", CATALOGUE.get(code, ("", ""))[1]]))
    ws.append([])
    ws.append(row_of(ws, ["Assumptions"], bold=True))
    for a in r.assumptions:
        ws.append(row_of(ws, [a]))


def _units(wb: Workbook, r: Readiness) -> None:
    ws = wb.create_sheet("Units")
    ws.column_dimensions["B"].width = 26
    ws.append(row_of(ws, ["Code", "Unit", "Counted", "Minimum", "Met", "Safe target", "Needed (safe)",
                          f"Joined last {r.projection.window_days} days", "Reaches minimum", "Reaches safe target"],
                     bold=True))
    for u in r.units:
        ws.append(row_of(ws, [u.code, u.name, u.counted, u.required, "yes" if u.met else "NO", u.safe_target,
                              u.needed_for_margin, u.recent_joins, u.reaches_min_on, u.reaches_safe_on]))
    if r.units:
        last = len(r.units) + 1
        ws.conditional_formatting.add(f"C2:C{last}", DataBarRule(start_type="num", start_value=0, end_type="max",
                                                                 color="5B9BD5", showValue=True))


def _exclusions(wb: Workbook, verdicts: Iterable[MemberVerdict]) -> int:
    ws = wb.create_sheet("Exclusions")
    ws.append(row_of(ws, ["IIN", "Full name", "Unit", "Locality", "Primary reason", "Meaning", "Other reasons"],
                     bold=True))
    n = 0
    for v in verdicts:
        if v.counts:
            continue
        primary = v.reasons[0]
        ws.append([text_cell(ws, x) for x in (v.iin, v.full_name, v.unit_code or v.stored_unit, v.locality,
                                              primary, CATALOGUE.get(primary, ("", ""))[1],
                                              ", ".join(v.reasons[1:]))])
        n += 1
    return n


def write_report_xlsx(r: Readiness, path: Path, exclusions: Iterable[MemberVerdict] | None = None, *,
                      force: bool = False, password: str | None = None) -> int:
    """Write the workbook; with ``exclusions`` (member verdicts) add the named list. Returns names listed.

    The file is new and 0600 (``force`` replaces one), Office-encrypted with ``password``.
    """
    wb = Workbook(write_only=True)
    _summary(wb, r)
    _units(wb, r)
    listed = _exclusions(wb, exclusions) if exclusions is not None else 0
    save_workbook(wb, path, force=force, password=password)
    return listed
