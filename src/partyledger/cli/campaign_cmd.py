"""``partyledger campaign show|set`` and ``partyledger roles add|remove|list``.

The campaign holds what starts the legal clocks (initiative group formed, notification filed and
confirmed, congress held, documents filed, registered) and the report settings (safety factor, whether
consent evidence is required). Roles put members in the initiative group or the organising committee.
Dates are typed as YYYY-MM-DD; ``none`` clears a date.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

import typer

from partyledger.cli.context import actor, emit_json, ledger_session, out, parse_cli_date, say, today
from partyledger.errors import InvalidInput

campaign_app = typer.Typer(help="The party being formed: name, key dates, report settings.", no_args_is_help=True)
roles_app = typer.Typer(help="Initiative group and organising committee membership.", no_args_is_help=True)

DATE_OPTIONS = {
    "initiative_group_formed_on": "--initiative-group-formed",
    "notification_filed_on": "--notification-filed",
    "notification_confirmed_on": "--notification-confirmed",
    "congress_held_on": "--congress-held",
    "documents_filed_on": "--documents-filed",
    "registered_on": "--registered",
}



def _campaign_dict(c) -> dict[str, Any]:
    out: dict[str, Any] = {"party_name": c.party_name, "jurisdiction": c.jurisdiction,
                           "safety_factor": c.safety_factor, "require_consent": c.require_consent}
    out.update({k: (getattr(c, k).isoformat() if getattr(c, k) else None) for k in DATE_OPTIONS})
    return out


@campaign_app.command("show")
def show(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The party name, jurisdiction, safety factor, consent rule and key dates."""
    from partyledger.ledger.members.campaign import get_campaign

    with ledger_session(ctx) as session:
        data = _campaign_dict(get_campaign(session))
    if as_json:
        emit_json(data)
        return
    for key, value in data.items():
        out(f"{key.replace('_', ' '):28} {'-' if value is None else value}")


def _date_or_clear(text: Optional[str], option: str) -> date | None:
    return None if text.strip().lower() in ("none", "-", "") else parse_cli_date(text, option)


@campaign_app.command("set")
def set_(
    ctx: typer.Context,
    party_name: Optional[str] = typer.Option(None, "--party-name"),
    safety_factor: Optional[float] = typer.Option(None, "--safety-factor",
                                                  help="Multiply each minimum by this to be safe (1.0-5.0; 1.2 default)."),
    require_consent: Optional[bool] = typer.Option(None, "--require-consent/--no-require-consent",
                                                   help="Exclude members without a signed application on record."),
    initiative_group_formed: Optional[str] = typer.Option(None, "--initiative-group-formed", help="YYYY-MM-DD or none."),
    notification_filed: Optional[str] = typer.Option(None, "--notification-filed", help="YYYY-MM-DD or none."),
    notification_confirmed: Optional[str] = typer.Option(None, "--notification-confirmed", help="YYYY-MM-DD or none."),
    congress_held: Optional[str] = typer.Option(None, "--congress-held", help="YYYY-MM-DD or none."),
    documents_filed: Optional[str] = typer.Option(None, "--documents-filed", help="YYYY-MM-DD or none."),
    registered: Optional[str] = typer.Option(None, "--registered", help="YYYY-MM-DD or none."),
) -> None:
    """Change the campaign settings and key dates (each change is in the audit log)."""
    from partyledger.ledger.members.campaign import update_campaign

    typed = dict(zip(DATE_OPTIONS, (initiative_group_formed, notification_filed, notification_confirmed,
                                    congress_held, documents_filed, registered)))
    fields: dict[str, Any] = {k: _date_or_clear(v, DATE_OPTIONS[k]) for k, v in typed.items() if v is not None}
    if party_name is not None:
        fields["party_name"] = party_name.strip()
    if safety_factor is not None:
        if not 1.0 <= safety_factor <= 5.0:
            raise InvalidInput("--safety-factor must be between 1.0 and 5.0", "1.2 means 20% more than the minimum")
        fields["safety_factor"] = safety_factor
    if require_consent is not None:
        fields["require_consent"] = require_consent
    if not fields:
        raise InvalidInput("nothing to change", "see partyledger campaign set --help")
    with ledger_session(ctx) as session:
        campaign = update_campaign(session, actor=actor(), **fields)
        data = _campaign_dict(campaign)
    say("saved: " + ", ".join(f"{k}={data.get(k)}" for k in fields))


@roles_app.command("add")
def roles_add(
    ctx: typer.Context,
    iin: str = typer.Argument(..., help="IIN of the member."),
    kind: str = typer.Option("initiative-group", "--kind", help="initiative-group or committee."),
    since: Optional[str] = typer.Option(None, "--since", help="YYYY-MM-DD (default today)."),
) -> None:
    """Put a member in the initiative group or the organising committee."""
    from partyledger.ledger.members.roles import add_role

    day = parse_cli_date(since, "--since") or today()
    with ledger_session(ctx) as session:
        add_role(session, iin, kind, since=day, actor=actor())
    say(f"{iin} added to {kind} from {day.isoformat()}")


@roles_app.command("remove")
def roles_remove(
    ctx: typer.Context,
    iin: str = typer.Argument(..., help="IIN of the member."),
    kind: str = typer.Option("initiative-group", "--kind", help="initiative-group or committee."),
    on: Optional[str] = typer.Option(None, "--on", help="YYYY-MM-DD (default today)."),
) -> None:
    """End a member's place in the group or committee (kept in the history)."""
    from partyledger.ledger.members.roles import remove_role

    day = parse_cli_date(on, "--on") or today()
    with ledger_session(ctx) as session:
        remove_role(session, iin, kind, on=day, actor=actor())
    say(f"{iin} removed from {kind} on {day.isoformat()}")


@roles_app.command("list")
def roles_list(
    ctx: typer.Context,
    kind: Optional[str] = typer.Option(None, "--kind", help="initiative-group or committee (default both)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Current members of the initiative group and the committee."""
    from partyledger.ledger.members.roles import holders

    with ledger_session(ctx) as session:
        rows = holders(session, kind)
    data = [{"iin": h.iin, "full_name": h.full_name, "unit_code": h.unit_code, "kind": h.kind.value,
             "since": h.since.isoformat() if h.since else None, "active_member": h.active_member} for h in rows]
    if as_json:
        emit_json(data)
        return
    for d in data:
        out(f"{d['kind']:17} {d['iin']}  {d['full_name']:40} unit {d['unit_code'] or '-':3} since {d['since'] or '-'}"
                   + ("" if d["active_member"] else "  (no longer an active member)"))
    say(f"{len(data)} role(s)")


def register(app: typer.Typer) -> None:
    """Attach ``campaign`` and ``roles`` to the root app."""
    app.add_typer(campaign_app, name="campaign")
    app.add_typer(roles_app, name="roles")
