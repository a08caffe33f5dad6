"""``partyledger rules list|show``: which legal requirements were in force on a date, with citations.

Text output marks every value that is only partly confirmed [P] or uncertain [U], and prints unknown
values as "unknown" rather than hiding them: an organizer must see what the law (or our research)
does not settle.  ``--json`` prints the DESIGN.md section 7 fields first, then extras (every value
with its reference and confidence, the barred categories, the list of uncertain values).
"""

from __future__ import annotations

from typing import Any, Optional

import typer

from partyledger.cli.context import as_of_or_today, emit_json, globals_of, rules_for

rules_app = typer.Typer(help="The legal requirements as dated data (rules/ files).", no_args_is_help=True)

LABELS = {
    "members_total_min": "Members, total minimum",
    "members_per_unit_min": "Members in each unit, minimum",
    "members_units_required": "Units that must reach that minimum",
    "members_units_min": "  = number of units",
    "list_kind": "What the list counts",
    "initiative_group_min": "Initiative group, minimum",
    "initiative_group_units": "Units the initiative group must represent",
    "initiative_group_units_min": "  = number of units",
    "committee_min": "Organising committee, minimum",
    "founding_congress_min": "Founders at the founding congress, minimum",
    "congress_window_months": "Founding congress within (months)",
    "documents_deadline_months": "Documents due (months after congress)",
    "notification_valid_months": "Notification valid for (months)",
    "branches_deadline_months": "Branches registered within (months)",
    "application_deadline_days": "Apply within (days after formation)",
    "min_age": "Minimum age of a member",
    "citizens_only": "Citizens only",
    "one_party_only": "One party only",
    "barred_categories": "Barred from membership",
}

SECTION7 = ("members_total_min", "members_per_unit_min", "min_age", "initiative_group_min",
            "initiative_group_units_min", "committee_min")
EXTRAS = ("members_units_min", "list_kind", "founding_congress_min", "congress_window_months",
          "documents_deadline_months", "notification_valid_months", "branches_deadline_months",
          "application_deadline_days", "citizens_only", "one_party_only")


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str, list)):
        return value
    return str(value)  # Share -> "all", "2/3", "8 units"


def _shown(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _unit_facts(catalogue, code: str) -> dict[str, Any]:
    """A unit's dates with the tag of the source they rest on (the 2018 split's signing date is [P])."""
    if catalogue is None or code not in catalogue.units:
        return {}
    record = catalogue.units[code]
    return {"valid_from": record.valid_from.isoformat(),
            "valid_to": record.valid_to.isoformat() if record.valid_to else None,
            "confidence": record.confidence, "reference": record.reference, "note": record.note}


def snapshot_json(snap, catalogue=None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "jurisdiction": snap.jurisdiction,
        "as_of": snap.as_of.isoformat(),
        "effective_from": snap.effective_from.isoformat(),
        "reference": snap.reference,
    }
    for name in SECTION7:
        out[name] = _plain(snap.value_of(name).value)
    out["units"] = [{"code": u.code, "name": u.name, "name_ru": u.name_ru, "name_kk": u.name_kk, "kind": u.kind}
                    | _unit_facts(catalogue, u.code) for u in snap.units]
    out["confidence"] = snap.confidence
    out["version_note"] = snap.version_note
    for name in EXTRAS:
        out[name] = _plain(snap.value_of(name).value)
    out["barred_categories"] = [{"id": b.id, "label": b.label, "effective_from": b.effective_from.isoformat(),
                                 "reference": b.reference, "confidence": b.confidence, "note": b.note}
                                for b in snap.barred]
    out["values"] = {v.name: {"value": _plain(v.value),
                              "effective_from": v.effective_from.isoformat() if v.effective_from else None,
                              "reference": v.reference, "confidence": v.confidence, "note": v.note}
                     for v in snap.cited_values() if v.name != "barred_categories"}
    for v in snap.cited_values():
        if v.name in out["values"]:
            out["values"][v.name] |= {"date_confidence": v.date_confidence, "strict": v.strict}
    out["uncertain"] = [v.name for v in snap.uncertain()]
    if catalogue is not None:
        out["unit_changes"] = [{"on": c.on.isoformat(), "kind": c.kind, "from": c.from_code, "to": c.to_code,
                                "reference": c.reference, "confidence": c.confidence, "note": c.note}
                               for c in catalogue.changes]
        out["gazetteer"] = catalogue.gazetteer_note
    out["open_window"] = _window(snap.open_version)
    return out


def _window(version) -> dict[str, Any] | None:
    """The version whose real first day the research places only within bounds that include the date."""
    if version is None:
        return None
    return {"effective_from": version.effective_from.isoformat(), "earliest": version.earliest.isoformat(),
            "latest": version.latest.isoformat(), "confidence": version.confidence}


def _tag(confidence: str, unknown: bool = False) -> str:
    if unknown:
        return "[U]"
    return "" if confidence == "C" else f"[{confidence}]"


def _unit_lines(snap, catalogue) -> list[str]:
    lines = [f"  Territorial units in force ({len(snap.units)}):"]
    for u in snap.units:
        facts = _unit_facts(catalogue, u.code)
        tag = _tag(facts.get("confidence", "C"))
        lines.append(f"    {u.code}  {u.name_en:<26} {u.name_ru:<32} {u.name_kk} {tag}".rstrip())
        if tag:
            span = f"from {facts['valid_from']}" + (f" to {facts['valid_to']}" if facts["valid_to"] else "")
            lines.append(f"        {span} {tag}: {facts['note'] or facts['reference']}")
    if catalogue is not None:
        lines.append("  Unit changes:")
        for c in catalogue.changes:
            tag = _tag(c.confidence)
            lines.append(f"    {c.on.isoformat()} {tag:<4} {c.kind} {c.from_code} -> {c.to_code}: {c.reference}".rstrip())
            if c.note and tag:
                lines.append(f"    {'':<15} note: {c.note}")
        if catalogue.gazetteer_note:
            lines.append(f"  Towns and districts: {catalogue.gazetteer_note}")
    return lines


def _print_snapshot(snap, name: str, catalogue=None) -> None:
    lines = [f"{name} ({snap.jurisdiction}): rules in force on {snap.as_of.isoformat()}",
             f"Version in force since {snap.effective_from.isoformat()} {_tag(snap.confidence)}".rstrip(),
             f"  {snap.reference}"]
    if snap.version_note:
        lines.append(f"  note: {snap.version_note}")
    window = snap.open_version
    if window is not None:
        lines.append(f"  ON THIS DATE THE LAW IN FORCE IS NOT KNOWN: the version of {window.effective_from.isoformat()} "
                     f"took effect between {window.earliest.isoformat()} and {window.latest.isoformat()} [U]; "
                     "the report gives the answer under both versions.")
    lines.append("")
    for value in snap.cited_values():
        if value.name == "barred_categories":
            continue
        tag = _tag(value.confidence, value.unknown)
        shown = ("> " if value.strict else "") + _shown(value.value)
        since = (f" (since {value.effective_from.isoformat()} [{value.date_confidence}])"
                 if value.effective_from and value.date_confidence != "C" else "")
        lines.append(f"  {LABELS[value.name]:<44} {shown:<10} {tag:<4} {value.reference}{since}".rstrip())
        if value.note and not value.name.endswith("_units_min"):
            lines.append(f"  {'':<44} {'':<10} {'':<4} note: {value.note}")
    lines.append("")
    lines.append(f"  {LABELS['barred_categories']}:" + ("" if snap.barred else " unknown [U]"))
    for b in snap.barred:
        lines.append(f"    - {b.label:<40} {_tag(b.confidence):<4} {b.reference}".rstrip())
        if b.note:
            lines.append(f"      note: {b.note}")
    lines.append("")
    if snap.units:
        lines += _unit_lines(snap, catalogue)
    else:
        lines.append(f"  Territorial units: unknown ({snap.units_note})")
    lines.append("")
    lines.append("[P] partly confirmed, [U] uncertain or unknown: check the official text before relying on it.")
    typer.echo("\n".join(lines))


@rules_app.command("show")
def show(ctx: typer.Context,
         as_of: Optional[str] = typer.Option(None, "--as-of", help="Date (YYYY-MM-DD); default today."),
         jurisdiction: str = typer.Option("KZ", "--jurisdiction", "-j", help="Jurisdiction code (see: rules list)."),
         as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout.")) -> None:
    """The requirements in force on a date, each with its legal reference and confidence."""
    day = as_of_or_today(as_of)
    ruleset = rules_for(ctx, jurisdiction.strip().upper())
    snap = ruleset.at(day)
    if as_json:
        emit_json(snapshot_json(snap, ruleset.units))
    else:
        _print_snapshot(snap, ruleset.info.name, ruleset.units)


@rules_app.command("list")
def list_(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout.")) -> None:
    """Jurisdictions with rule files, and the dated versions of each."""
    from partyledger.rules import list_jurisdictions

    infos = list_jurisdictions(globals_of(ctx).rules_dir)
    if as_json:
        emit_json([{"code": i.code, "name": i.name, "law": i.law, "confidence": i.confidence, "note": i.note,
                    "units": i.has_units,
                    "versions": [{"effective_from": v.effective_from.isoformat(), "reference": v.reference,
                                  "confidence": v.confidence, "note": v.note} for v in i.versions]}
                   for i in infos])
        return
    for i in infos:
        units = "units catalogue" if i.has_units else "no unit catalogue"
        count = f"{len(i.versions)} version" + ("" if len(i.versions) == 1 else "s")
        typer.echo(f"{i.code:<3} {i.name} ({count}, {units}) {_tag(i.confidence)}".rstrip())
        typer.echo(f"    {i.law}")
        if not i.versions:
            typer.echo(f"    no dated rules: {i.note}")
        for v in i.versions:
            typer.echo(f"    from {v.effective_from.isoformat()} {_tag(v.confidence):<4} {v.reference}".rstrip())


@rules_app.command("resolve")
def resolve(ctx: typer.Context, region: str = typer.Argument(..., help="Region as written (\"\" if none)."),
            locality: Optional[str] = typer.Option(None, "--locality", "-l", help="Town or district as written."),
            as_of: Optional[str] = typer.Option(None, "--as-of", help="Date (YYYY-MM-DD); default today."),
            jurisdiction: str = typer.Option("KZ", "--jurisdiction", "-j", help="Jurisdiction code."),
            as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout.")) -> None:
    """Which territorial unit a region (and locality) as typed in a sheet counts for on a date."""
    day = as_of_or_today(as_of)
    ruleset = rules_for(ctx, jurisdiction.strip().upper())
    if ruleset.units is None:
        from partyledger.errors import UnknownJurisdiction

        raise UnknownJurisdiction(f"{ruleset.jurisdiction} has no territorial-unit catalogue")
    catalogue = ruleset.units
    found = catalogue.resolve(region, locality, as_of=day)
    unit = catalogue.unit(found.code, day) if found.code else None
    candidates = [{"code": c, "name": catalogue.unit(c, day).name} for c in found.candidates]
    if as_json:
        emit_json({"region": region, "locality": locality, "as_of": day.isoformat(), "status": found.status,
                   "code": found.code, "name": unit.name if unit else None, "note": found.note,
                   "flag": found.flag or None, "confidence": found.confidence, "candidates": candidates,
                   "locality_read": found.locality,
                   "unit_dates": _unit_facts(catalogue, found.code) if found.code else {}})
        return
    if unit:
        typer.echo(f"{found.code} {unit.name_en} / {unit.name_ru} {found.tag}".rstrip()
                   + (f"  ({found.note})" if found.note else ""))
        if found.flag:
            typer.echo(f"  flag: unit.{found.flag}")
    else:
        typer.echo(f"{found.status}: {found.note}")
        if candidates:
            typer.echo("  candidates: " + ", ".join(f"{c['code']} {c['name']}" for c in candidates))
    if found.confidence != "C":
        facts = _unit_facts(catalogue, found.code) if found.code else {}
        why = facts.get("note") or facts.get("reference") or "a unit date or gazetteer entry it rests on"
        typer.echo(f"  {found.tag} this placement rests on an uncertain fact: {why}")


def register(app: typer.Typer) -> None:
    """Attach ``rules`` to the root app."""
    app.add_typer(rules_app, name="rules")
