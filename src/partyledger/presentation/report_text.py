"""The readiness report as rich tables for the terminal (rich lives above the core, not in report/).

Shown by ``partyledger report`` and by the app's Report screen, so it lives here, below both front ends,
and its words go through the one translation function (``PARTYLEDGER_LANG=ru``/``kk``). Codes (check names, reason codes), rule
references and the report's own assumptions stay as the report and the rule files give them.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from partyledger.ledger.issues import CATALOGUE
from partyledger.presentation.i18n import _, number
from partyledger.presentation.verdict_text import verdict_lines
from partyledger.report.model import Citation, Readiness

BAR_WIDTH = 24


def _unit_label(u) -> str:
    """"63 East Kazakhstan Region", its [P]/[U] tag, and under it how many may now live in a split-off unit."""
    label = f"{u.code} {u.name}" + (f" {u.tag}" if u.tag else "")
    if u.maybe_moved:
        label += "\n  " + _("{n} may now live in {units}").format(
            n=number(u.maybe_moved), units=", ".join(u.maybe_moved_to))
    return label


def _mark(met: bool | None) -> Text:
    if met is None:
        return Text(_("pending"), style="yellow")
    return Text(_("met"), style="green") if met else Text(_("NOT MET"), style="bold red")


def _cite(c: Citation | None) -> str:
    if c is None:
        return ""
    since = c.effective_from.isoformat() if c.effective_from else _("date unknown")
    return _("{rule}={value} [{confidence}] since {since} [{date_confidence}], {reference}").format(
        rule=c.rule_id, value=c.value, since=since, reference=c.reference, confidence=c.confidence,
        date_confidence=c.date_confidence)


def _short(c: Citation | None, refs: list[str]) -> str:
    """'[C] since 2022-11-16 [U] (1)': the value's tag, then the version date's own tag; the full
    reference is listed once under the tables."""
    if c is None:
        return ""
    if c.reference not in refs:
        refs.append(c.reference)
    since = c.effective_from.isoformat() if c.effective_from else _("date unknown")
    return _("[{confidence}] since {since} [{date_confidence}] ({n})").format(
        since=since, confidence=c.confidence, date_confidence=c.date_confidence, n=refs.index(c.reference) + 1)


def _deadline_mark(d) -> Text:
    if d.met is False:
        return Text(_("LAPSED"), style="bold red")
    return _mark(d.met)


def bar(counted: int, required: int | None, target: int | None) -> Text:
    """A text bar scaled to the safe target: '#' counted, '|' at the legal minimum."""
    top = max(target or 0, required or 0, counted, 1)
    filled = min(BAR_WIDTH, round(counted * BAR_WIDTH / top))
    cells = ["#"] * filled + ["."] * (BAR_WIDTH - filled)
    if required:
        cells[min(BAR_WIDTH - 1, max(0, round(required * BAR_WIDTH / top) - 1))] = "|"
    style = "green" if target is None or counted >= target else ("yellow" if required and counted >= required else "red")
    return Text("".join(cells), style=style)


def render(r: Readiness) -> Group:
    from partyledger.ledger.cleaning.text import visible           # the party name is stored text: shown escaped

    head = Text()
    head.append(_("Readiness on {as_of}").format(as_of=r.as_of.isoformat())
                + (f" - {visible(r.party_name)}" if r.party_name else "") + "\n", style="bold")
    head.append_text(verdict_lines(r))
    head.append(_("{jurisdiction} rules in force since {since}: {reference} [{confidence}]").format(
        jurisdiction=r.jurisdiction, since=r.rule_effective_from.isoformat(), reference=r.rule_reference,
        confidence=r.rule_confidence) + "\n")
    head.append(_("{counted} of {in_ledger} members count (minimum {required}, safe target {safe} at x{factor}: "
                  "{needed} more needed); open duplicate pairs: {pairs}").format(
        counted=number(r.members_counted), in_ledger=number(r.members_in_ledger), required=r.members_required,
        safe=r.margin.members_with_margin, factor=f"{r.margin.safety_factor:g}",
        needed=number(r.margin.members_needed), pairs=r.duplicate_pairs))

    refs: list[str] = []
    checks = Table(title=_("Checks"), title_justify="left")
    for label, justify in ((_("check"), "left"), (_("actual"), "right"), (_("required"), "right"),
                           (_("verdict"), "left"), (_("rule"), "left"), (_("note"), "left")):
        checks.add_column(label, justify=justify)
    for c in r.checks:
        checks.add_row(c.name, "" if c.actual is None else str(c.actual), "" if c.required is None else
                       (("> " if c.citation and c.citation.strict else "") + str(c.required)),
                       _mark(c.met), _short(c.citation, refs), c.note)

    units = Table(title=_("Members per unit ('|' = legal minimum, bar full = safe target)"), title_justify="left")
    for label, justify in ((_("unit"), "left"), (_("counted"), "right"), (_("min"), "right"), (_("safe"), "right"),
                           (_("need"), "right"), (_("bar"), "left"),
                           (_("last {n}d").format(n=r.projection.window_days), "right"), (_("safe on"), "left")):
        units.add_column(label, justify=justify)
    for u in r.units:
        units.add_row(_unit_label(u), str(u.counted), str(u.required), str(u.safe_target),
                      str(u.needed_for_margin), bar(u.counted, u.required, u.safe_target), str(u.recent_joins),
                      u.reaches_safe_on.isoformat() if u.reaches_safe_on else _("not at this rate"))

    excluded = Table(title=_("Who does not count (primary reason)"), title_justify="left")
    excluded.add_column(_("code"))
    excluded.add_column(_("members"), justify="right")
    excluded.add_column(_("meaning"))
    for code, n in r.excluded.items():
        meaning = CATALOGUE.get(code, ("", ""))[1]
        excluded.add_row(code, str(n), _(meaning) if meaning else "")
    if not r.excluded:
        excluded.add_row("-", "0", _("everybody counts"))

    g = r.initiative_group
    group = Text(_("Initiative group {size} (min {required}) over {units} units (min {units_required}); committee "
                   "{committee} (min {committee_required}), {outside} outside the group; congress: {attended} checked "
                   "in, in person, from {congress_units} units").format(
        size=g.size, required=g.required, units=g.units_covered, units_required=g.units_required,
        committee=g.committee_size, committee_required=g.committee_required, outside=g.committee_outside_group,
        attended=g.congress_attended, congress_units=g.congress_units))
    for template, listed, found in (
            (_("Initiative group: {listed} listed, {n} do not count: {reasons}"), g.group_listed, g.group_ineligible),
            (_("Committee: {listed} listed, {n} do not count: {reasons}"), g.committee_listed, g.committee_ineligible),
            (_("Congress: {listed} checked in, {n} do not count: {reasons}"), g.congress_checked_in,
             g.congress_ineligible)):
        if found:       # one line each, only when someone holding the role does not count
            reasons = "; ".join(f"{number(n)} {_(CATALOGUE.get(code, ('', code))[1])}" for code, n in found.items())
            group.append("\n" + template.format(listed=number(listed), n=number(sum(found.values())), reasons=reasons),
                         style="yellow")

    deadlines = Table(title=_("Deadlines"), title_justify="left")
    for label in (_("deadline"), _("from"), _("due"), _("days left"), _("verdict"), _("rule")):
        deadlines.add_column(label)
    for d in r.deadlines:
        months = (_("{n} months").format(n=d.citation.value) if d.citation and d.citation.value is not None
                  else _("unknown")) + " "
        deadlines.add_row(d.name, d.starts_from, d.due.isoformat() if d.due else _("not started"),
                          "" if d.days_left is None else str(d.days_left), _deadline_mark(d),
                          months + _short(d.citation, refs)
                          + (_(" (transitional [U])") if d.transitional else "")
                          + (_(" (depends on the day [U])") if d.depends_on_day else ""))

    p = r.projection
    tail = Text(_("Bottleneck units: {units}. At the last {days} days' rate ({rate}/day) the total reaches the "
                  "minimum on {min_on} and the safe target on {safe_on}.").format(
        units=", ".join(r.margin.bottlenecks) or _("none"), days=p.window_days, rate=f"{p.rate_per_day:.1f}",
        min_on=p.reaches_min_on or _("never at this rate"), safe_on=p.reaches_safe_on or _("never")) + "\n")
    for d in r.deadlines:
        if d.lapsed:
            tail.append(_("Lapsed: {words}").format(words=_(d.lapsed)) + "\n", style="bold red")
        if d.depends_on_day:
            tail.append(f"{d.name}: {_(d.depends_on_day)}\n", style="yellow")
    if r.uncertain:
        tail.append(_("Double-check (research confidence P/U): ") +
                    "; ".join(_cite(c) for c in r.uncertain) + "\n", style="yellow")
    tail.append(_("Legal references:") + "\n" + "\n".join(f"  ({i}) {ref}" for i, ref in enumerate(refs, 1)) + "\n")
    tail.append(_("Assumptions:") + "\n" + "\n".join(f"  - {a}" for a in r.assumptions + [d.assumption for d in r.deadlines]))
    return Group(head, checks, units, excluded, group, deadlines, tail)


def print_report(r: Readiness, *, width: int | None = None) -> None:
    """To stdout; piped output gets a fixed width of 120 so files and diffs stay stable."""
    import sys

    if width is None and not sys.stdout.isatty():
        width = 120
    Console(width=width, highlight=False, soft_wrap=False).print(render(r))
