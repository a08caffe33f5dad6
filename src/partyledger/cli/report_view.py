"""The readiness report as rich tables for the terminal (rich lives in the front end, not in report/)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from partyledger.ledger.issues import CATALOGUE
from partyledger.report.model import Citation, Readiness

BAR_WIDTH = 24


def _mark(met: bool | None) -> Text:
    if met is None:
        return Text("pending", style="yellow")
    return Text("met", style="green") if met else Text("NOT MET", style="bold red")


def _cite(c: Citation | None) -> str:
    if c is None:
        return ""
    since = c.effective_from.isoformat() if c.effective_from else "date unknown"
    return f"{c.rule_id}={c.value} since {since}, {c.reference} [{c.confidence}]"


def _short(c: Citation | None, refs: list[str]) -> str:
    """'since 2022-11-16 [C] (1)': the full reference is listed once under the tables."""
    if c is None:
        return ""
    if c.reference not in refs:
        refs.append(c.reference)
    since = c.effective_from.isoformat() if c.effective_from else "date unknown"
    return f"since {since} [{c.confidence}] ({refs.index(c.reference) + 1})"


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
    head = Text()
    head.append(f"Readiness on {r.as_of.isoformat()}" + (f" - {r.party_name}" if r.party_name else "") + "\n",
                style="bold")
    head.append(f"{r.jurisdiction} rules in force since {r.rule_effective_from.isoformat()}: {r.rule_reference} "
                f"[{r.rule_confidence}]\n")
    head.append("READY to file\n" if r.ready else "NOT READY to file\n", style="bold green" if r.ready else "bold red")
    head.append(f"{r.members_counted:,} of {r.members_in_ledger:,} members count (minimum {r.members_required}, "
                f"safe target {r.margin.members_with_margin} at x{r.margin.safety_factor:g}: "
                f"{r.margin.members_needed:,} more needed); open duplicate pairs: {r.duplicate_pairs}")

    refs: list[str] = []
    checks = Table(title="Checks", title_justify="left")
    for col in ("check", "actual", "required", "verdict", "rule", "note"):
        checks.add_column(col, justify="right" if col in ("actual", "required") else "left")
    for c in r.checks:
        checks.add_row(c.name, str(c.actual), str(c.required), _mark(c.met), _short(c.citation, refs), c.note)

    units = Table(title="Members per unit ('|' = legal minimum, bar full = safe target)", title_justify="left")
    for col in ("unit", "counted", "min", "safe", "need", "bar", f"last {r.projection.window_days}d", "safe on"):
        units.add_column(col, justify="right" if col not in ("unit", "bar", "safe on") else "left")
    for u in r.units:
        units.add_row(f"{u.code} {u.name}", str(u.counted), str(u.required), str(u.safe_target),
                      str(u.needed_for_margin), bar(u.counted, u.required, u.safe_target), str(u.recent_joins),
                      u.reaches_safe_on.isoformat() if u.reaches_safe_on else "not at this rate")

    excluded = Table(title="Who does not count (primary reason)", title_justify="left")
    excluded.add_column("code")
    excluded.add_column("members", justify="right")
    excluded.add_column("meaning")
    for code, n in r.excluded.items():
        excluded.add_row(code, str(n), CATALOGUE.get(code, ("", ""))[1])
    if not r.excluded:
        excluded.add_row("-", "0", "everybody counts")

    g = r.initiative_group
    group = Text(f"Initiative group {g.size} (min {g.required}) over {g.units_covered} units (min {g.units_required}); "
                 f"committee {g.committee_size} (min {g.committee_required}), {g.committee_outside_group} outside the "
                 f"group; congress: {g.congress_attended} checked in, in person, from {g.congress_units} units")

    deadlines = Table(title="Deadlines", title_justify="left")
    for col in ("deadline", "from", "due", "days left", "verdict", "rule"):
        deadlines.add_column(col)
    for d in r.deadlines:
        months = f"{d.citation.value} months " if d.citation and d.citation.value is not None else "unknown "
        deadlines.add_row(d.name, d.starts_from, d.due.isoformat() if d.due else "not started",
                          "" if d.days_left is None else str(d.days_left), _mark(d.met),
                          months + _short(d.citation, refs))

    p = r.projection
    tail = Text(f"Bottleneck units: {', '.join(r.margin.bottlenecks) or 'none'}. At the last {p.window_days} days' "
                f"rate ({p.rate_per_day:.1f}/day) the total reaches the minimum on "
                f"{p.reaches_min_on or 'never at this rate'} and the safe target on {p.reaches_safe_on or 'never'}.\n")
    if r.uncertain:
        tail.append("Double-check (research confidence P/U): " +
                    "; ".join(_cite(c) for c in r.uncertain) + "\n", style="yellow")
    tail.append("Legal references:\n" + "\n".join(f"  ({i}) {ref}" for i, ref in enumerate(refs, 1)) + "\n")
    tail.append("Assumptions:\n" + "\n".join(f"  - {a}" for a in r.assumptions + [d.assumption for d in r.deadlines]))
    return Group(head, checks, units, excluded, group, deadlines, tail)


def print_report(r: Readiness, *, width: int | None = None) -> None:
    """To stdout; piped output gets a fixed width of 120 so files and diffs stay stable."""
    import sys

    if width is None and not sys.stdout.isatty():
        width = 120
    Console(width=width, highlight=False, soft_wrap=False).print(render(r))
