"""The report counts and shows members who may now live in a split-off unit, and the [P] of the 2018 units:
the same figures in JSON, the terminal text and the HTML page."""

from __future__ import annotations

import io
from datetime import date

from rich.console import Console

from partyledger.ledger.storage import db
from partyledger.presentation.report_text import render
from partyledger.report import assess_readiness
from partyledger.report.render_html import render_html
from partyledger.report.render_json import readiness_dict
from partyledger.rules import load_rules
from report.builder import insert_members, member_row

AS_OF = date(2023, 1, 1)


def _report():
    engine = db.memory_engine()
    with db.session_scope(engine) as s:
        rows = [member_row(born=date(1980, 1, 1), unit="63", locality=None) for _ in range(12)]
        rows += [member_row(born=date(1981, 1, 1), unit="63", locality="Өскемен") for _ in range(5)]
        rows += [member_row(born=date(1982, 1, 1), unit="63", locality="Семей") for _ in range(3)]
        rows += [member_row(born=date(1983, 1, 1), unit="79", locality=None) for _ in range(2)]
        insert_members(s, rows)
    with db.session_scope(engine) as s:
        return assess_readiness(s, load_rules("KZ"), as_of=AS_OF)


def test_maybe_moved_is_counted_per_unit_and_shown_in_every_form():
    r = _report()
    lines = {u["code"]: u for u in readiness_dict(r)["units"]}
    assert (lines["63"]["counted"], lines["63"]["maybe_moved"], lines["63"]["maybe_moved_to"]) == (17, 12, ["Abai Region"])
    assert (lines["10"]["counted"], lines["10"]["maybe_moved"]) == (3, 0)
    assert lines["79"]["confidence"] == "P" and lines["63"]["confidence"] == "C"

    out = io.StringIO()
    Console(file=out, width=160, highlight=False, soft_wrap=False).print(render(r))
    text = out.getvalue()
    assert "12 may now live in Abai Region" in text and "79 Shymkent [P]" in text

    page = render_html(r)
    assert "12 may now live in Abai Region" in page and "79 Shymkent [P]" in page
