"""The readiness report as one self-contained, printable HTML page.

No scripts, no external fonts, styles or images, no network: the page is opened on laptops that may be
offline and may be inspected. The per-unit chart is inline SVG (bars for counted members, a dark line at
the legal minimum and a dashed line at the safe target). Every text comes through ``html.escape``.
"""

from __future__ import annotations

from html import escape

from partyledger.ledger.issues import CATALOGUE
from partyledger.report.model import Citation, Readiness

_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em;color:#222;max-width:60em}
h1{font-size:1.5em;margin-bottom:.2em} h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
.verdict{font-size:1.3em;font-weight:bold;padding:.4em .8em;display:inline-block;border-radius:4px}
.ready{background:#d7f0d7;color:#135213} .notready{background:#f8d8d8;color:#7a1111}
table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}
td.n{text-align:right} .met{color:#135213} .miss{color:#9b1111;font-weight:bold} .pend{color:#7a5b00}
.cite{font-size:.85em;color:#555} .tag{font-weight:bold} ol.blockers{font-size:1.1em}
@media print{body{margin:0} h2{page-break-after:avoid}}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _mark(met: bool | None) -> str:
    if met is None:
        return '<span class="pend">pending</span>'
    return '<span class="met">met</span>' if met else '<span class="miss">not&nbsp;met</span>'


def _cite(c: Citation | None) -> str:
    """The value with its tag and the version date with its own tag: an assumed day is never [C]."""
    if c is None:
        return ""
    since = c.effective_from.isoformat() if c.effective_from else "date unknown"
    more = "more than " if c.strict else ""
    return (f'<span class="cite">{_e(c.rule_id)} = {more}{_e(c.value)} <span class="tag">[{_e(c.confidence)}]</span> '
            f'since {since} <span class="tag">[{_e(c.date_confidence)}]</span>; {_e(c.reference)}</span>')


def _tag(confidence: str) -> str:
    return "" if confidence == "C" else f' <span class="tag">[{_e(confidence)}]</span>'


def _blockers(blockers) -> str:
    items = "".join(f"<li>{_e(b.words)}{_tag(b.confidence)}</li>" for b in blockers)
    return f"<ol class=\"blockers\">{items}</ol>" if items else ""


def _verdict(r: Readiness) -> str:
    """The verdict, then what blocks filing in the order it must be done, then the other law's answer."""
    verdict = "READY to file" if r.ready else "NOT READY to file"
    if r.depends_on_day:     # never a bare READY on a day the research cannot place
        verdict = (f"DEPENDS ON THE DAY: {verdict} under the law of {r.rule_effective_from.isoformat()} "
                   f"(assumed in force) [U]")
    out = f'<p class="verdict {"ready" if r.ready and not r.depends_on_day else "notready"}">{_e(verdict)}</p>'
    if r.blockers:
        out += "<p><b>What blocks filing, in the order to do it:</b></p>" + _blockers(r.blockers)
    alt = r.alternative
    if alt is not None:
        other = "READY to file" if alt.ready else "NOT READY to file"
        out += (f'<p class="{"miss" if r.depends_on_day else "pend"}">{_e(alt.why)} Under the law of '
                f'{alt.law_from.isoformat()} instead: <b>{other}</b>.</p>' + _blockers(alt.blockers))
    return out


def unit_chart_svg(r: Readiness, width: int = 640) -> str:
    """Horizontal bars per unit; the scale fits the largest of counted, minimum and safe target."""
    row, label_w, pad = 22, 190, 60
    top = max([u.counted for u in r.units] + [u.safe_target or 0 for u in r.units] + [1])
    scale = (width - label_w - pad) / top
    h = row * len(r.units) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" role="img" '
             f'aria-label="members counted per unit">']
    for i, u in enumerate(r.units):
        y = 10 + i * row
        colour = "#3c8d3c" if u.met and u.needed_for_margin == 0 else ("#d9a400" if u.met else "#c0392b")
        bar = max(1, round(u.counted * scale)) if u.counted else 0
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" font-size="12" text-anchor="end">'
                     f'{_e(u.code)} {_e(u.name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar}" height="{row - 8}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + bar + 4}" y="{y + 14}" font-size="11">{u.counted}</text>')
        if u.required:
            x = label_w + round(u.required * scale)
            parts.append(f'<line x1="{x}" y1="{y}" x2="{x}" y2="{y + row}" stroke="#222" stroke-width="2"/>')
        if u.safe_target:
            x = label_w + round(u.safe_target * scale)
            parts.append(f'<line x1="{x}" y1="{y}" x2="{x}" y2="{y + row}" stroke="#555" '
                         f'stroke-dasharray="3,2"/>')
    parts.append(f'<text x="{label_w}" y="{h - 4}" font-size="11">solid line: legal minimum; dashed: safe '
                 f'target (x{r.margin.safety_factor:g})</text></svg>')
    return "".join(parts)


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(rows_cell for rows_cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{th}</tr>{body}</table>"


def _td(value: object, num: bool = False) -> str:
    return f'<td class="n">{_e(value)}</td>' if num else f"<td>{_e(value)}</td>"


def _ineligible_list(g) -> str:
    """One line each for the group, the committee and the congress: who holds the role but does not count."""
    lines = []
    for label, listed, found in (("Initiative group", f"{g.group_listed} listed", g.group_ineligible),
                                 ("Organising committee", f"{g.committee_listed} listed", g.committee_ineligible),
                                 ("Founding congress", f"{g.congress_checked_in} checked in", g.congress_ineligible)):
        if found:
            why = "; ".join(f"{n} {CATALOGUE.get(code, ('', code))[1]}" for code, n in found.items())
            lines.append(f"<li>{label}: {listed}, {sum(found.values())} do not count: {_e(why)}</li>")
    return f"<p>Holding the role but not counted (the members' eligibility test):</p><ul>{''.join(lines)}</ul>" \
        if lines else ""


def render_html(r: Readiness) -> str:
    title = f"Readiness on {r.as_of.isoformat()}" + (f": {r.party_name}" if r.party_name else "")
    checks = _table(["Check", "Actual", "Required", "Verdict", "Rule"],
                    [[_td(c.name), _td(c.actual, True), _td(c.required, True),
                      f"<td>{_mark(c.met)}{_tag(c.confidence)}</td>",
                      f"<td>{_cite(c.citation)}{'<br>' + _e(c.note) if c.note else ''}</td>"] for c in r.checks])
    units = _table(["Unit", "Counted", "Minimum", "Safe target", "Still needed (safe)", "Joined last "
                    f"{r.projection.window_days} days", "Safe on"],
                   [[_td(f"{u.code} {u.name}" + (f" {u.tag}" if u.tag else "")),
                     f'<td class="n">{u.counted}' + (f'<br><small>{_e(u.moved_note)}</small>' if u.maybe_moved else "")
                     + "</td>", _td(u.required, True),
                     _td(u.safe_target, True), _td(u.needed_for_margin, True), _td(u.recent_joins, True),
                     _td(u.reaches_safe_on or "not at this rate")] for u in r.units])
    excluded = _table(["Reason", "Code", "Members"],
                      [[_td(CATALOGUE.get(k, ("", k))[1]), _td(k), _td(n, True)] for k, n in r.excluded.items()]
                      ) if r.excluded else "<p>Nobody is excluded.</p>"
    deadlines = _table(["Deadline", "Starts from", "Due", "Days left", "Verdict", "Assumption and rule"],
                       [[_td(d.name), _td(d.starts_from), _td(d.due or "not started"), _td(d.days_left, True),
                         f"<td>{_mark(d.met) if d.met is not False else '<span class=miss>LAPSED</span>'}"
                         f"{_tag(d.confidence)}</td>",
                         f"<td>{_e(d.lapsed) + '<br>' if d.lapsed else ''}{_e(d.depends_on_day) + '<br>' if d.depends_on_day else ''}"
                         f"{_e(d.assumption)}<br>{_cite(d.citation)}</td>"]
                        for d in r.deadlines])
    uncertain = "".join(f"<li>{_cite(c)}{' ' + _e(c.note) if c.note else ''}</li>" for c in r.uncertain)
    assumptions = "".join(f"<li>{_e(a)}</li>" for a in r.assumptions)
    g = r.initiative_group
    p = r.projection
    ineligible = _ineligible_list(g)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>{_CSS}</style></head><body>
<h1>{_e(title)}</h1>
{_verdict(r)}
<p>Jurisdiction {_e(r.jurisdiction)}; rules in force since {r.rule_effective_from.isoformat()}:
{_e(r.rule_reference)} <span class="tag">[{_e(r.rule_confidence)}]</span></p>
<p>{r.members_counted:,} members count of {r.members_in_ledger:,} in the ledger (minimum {_e(r.members_required)},
safe target {_e(r.margin.members_with_margin)}: {r.margin.members_needed:,} more needed to be safe).
Open duplicate pairs: {r.duplicate_pairs}.</p>
<h2>Checks</h2>{checks}
<h2>Members per unit</h2>{unit_chart_svg(r)}{units}
<p>Bottleneck units: {_e(', '.join(r.margin.bottlenecks) or 'none')}.
At the last {p.window_days} days' rate ({p.rate_per_day:.1f} a day) the total reaches the minimum on
{_e(p.reaches_min_on or 'never at this rate')} and the safe target on {_e(p.reaches_safe_on or 'never at this rate')}.</p>
<h2>Who does not count, and why</h2>{excluded}
<h2>Initiative group, committee and congress</h2>
<p>Initiative group: {g.size} (minimum {_e(g.required)}), covering {g.units_covered} units (minimum {_e(g.units_required)}).
Organising committee: {g.committee_size} (minimum {_e(g.committee_required)}), {g.committee_outside_group} not in the group.
Founding congress: {g.congress_attended} group members checked in, in person, from {g.congress_units} units.</p>{ineligible}
<h2>Deadlines</h2>{deadlines}
<h2>Values to double-check</h2><ul>{uncertain or '<li>none</li>'}</ul>
<h2>Assumptions</h2><ul>{assumptions}</ul>
<p class="cite">Made by partyledger from the encrypted ledger; counts only, no personal data.</p>
</body></html>
"""
