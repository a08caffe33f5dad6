"""Who holds a group, committee or congress role but does not count is said in JSON, text and HTML."""

from __future__ import annotations

from datetime import date

from rich.console import Console

from partyledger.ledger.storage import db
from partyledger.ledger.members.campaign import update_campaign
from partyledger.presentation.report_text import render
from partyledger.report import assess_readiness
from partyledger.report.render_html import render_html
from partyledger.report.render_json import readiness_dict
from partyledger.rules import load_rules

from report.builder import check_in, give_role, insert_members, member_row

AS_OF = date(2024, 6, 1)


def _report():
    engine = db.memory_engine()
    with db.session_scope(engine) as s:
        update_campaign(s, notification_filed_on=date(2024, 1, 10), congress_held_on=date(2024, 3, 1))
        rows = [member_row(born=date(1980, 1, 1 + i)) for i in range(3)]
        rows += [member_row(born=date(1981, 1, 1), citizen=False), member_row(born=date(1981, 1, 2), barred=True),
                 member_row(born=date(1981, 1, 3), status="withdrawn", status_on=date(2024, 4, 1))]
        ids = insert_members(s, rows)
        for mid in ids:
            give_role(s, mid, "initiative_group")
            check_in(s, mid)
        for mid in (ids[0], ids[3]):
            give_role(s, mid, "committee")
        report = assess_readiness(s, load_rules("KZ"), as_of=AS_OF)
    engine.dispose()
    return report


def test_ineligible_role_holders_are_counted_out_and_named_by_reason_everywhere():
    r = _report()
    g = readiness_dict(r)["initiative_group"]
    assert (g["size"], g["listed"]) == (3, 6)
    assert g["ineligible"] == {"status.withdrawn": 1, "declaration.citizen": 1, "declaration.barred": 1}
    assert (g["committee"]["size"], g["committee"]["listed"]) == (1, 2)
    assert g["committee"]["ineligible"] == {"declaration.citizen": 1}
    assert (g["congress"]["attended_in_person"], g["congress"]["checked_in"]) == (3, 6)
    assert g["congress"]["ineligible"] == g["ineligible"] and g["congress"]["by_unit"] == {"75": 3}

    console = Console(width=200, record=True, color_system=None)
    console.print(render(r))
    text = console.export_text()
    assert ("Initiative group: 6 listed, 3 do not count: 1 withdrew from the party; 1 declared not a citizen; "
            "1 declared in a category barred from membership") in text
    assert "Committee: 2 listed, 1 do not count: 1 declared not a citizen" in text
    assert "Congress: 6 checked in, 3 do not count: 1 withdrew from the party" in text

    html = render_html(r)
    assert "<li>Initiative group: 6 listed, 3 do not count: 1 withdrew from the party; " in html
    assert "<li>Organising committee: 2 listed, 1 do not count: 1 declared not a citizen</li>" in html
    assert "<li>Founding congress: 6 checked in, 3 do not count:" in html
