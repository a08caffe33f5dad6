"""``partyledger members add|list|show|edit|withdraw``: one member at a time, from the command line.

Values typed here go through the same validation as a spreadsheet row (``validate.draft_from_fields``)
with today's date; a finding of severity ``error`` refuses the command (exit 2, one line), and so does
a unit that is unknown or ambiguous, because the person typing can say which one they mean. Warnings
(a phone that is not valid, a birth date that differs from the IIN) are printed to stderr and the
member is saved. Data (tables, JSON) goes to stdout; everything else to stderr.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any, Optional

import typer

from partyledger.cli.context import actor, emit_json, ledger_rules, ledger_session, parse_cli_date, say, today
from partyledger.errors import InvalidInput
from partyledger.ledger.cleaning.text import json_safe, visible

members_app = typer.Typer(help="Add, find, show, edit and withdraw members.", no_args_is_help=True)

_LABELS = {"iin": "IIN", "region": "unit", "unit_code": "unit", "given_name": "given name",
           "joined_on": "joined on", "birth_date": "birth date", "signed_on": "signed on"}


def _line(issue, fields: dict[str, Any]) -> str:
    """The finding in one line, naming the field and the value typed unless the message already does."""
    label = _LABELS.get(issue.field or "", issue.field or "")
    value = fields.get(issue.field or "")
    message = issue.message
    if not label or label.lower() in message.lower() or (isinstance(value, str) and value and value in message):
        return message
    shown = f" '{value}'" if isinstance(value, str) and value else ""
    return f"{label}{shown}: {message}"


def _refusals(issues, fields: dict[str, Any]) -> None:
    """Raise on errors and on any unit finding; return quietly otherwise."""
    from partyledger.ledger.issues import Severity

    bad = [i for i in issues if i.severity is Severity.ERROR or i.code.startswith("unit.")]
    if bad:
        raise InvalidInput(_line(bad[0], fields), issues=list(issues))


def _warn(issues, fields: dict[str, Any]) -> None:
    for found in issues:
        say(f"warning: {_line(found, fields)}")


def _not_future(value: date | None, option: str, day: date) -> date | None:
    if value is not None and value > day:
        raise InvalidInput(f"{option}: {value.isoformat()} is in the future (today is {day.isoformat()})")
    return value


def _dates(raw: dict[str, str | None], day: date) -> dict[str, date | None]:
    return {name: _not_future(parse_cli_date(text, "--" + name.replace("_", "-")), "--" + name.replace("_", "-"), day)
            for name, text in raw.items()}


@members_app.command("add")
def add(
    ctx: typer.Context,
    iin: str = typer.Option(..., "--iin", help="12-digit IIN."),
    surname: str = typer.Option(..., "--surname"),
    given_name: str = typer.Option(..., "--given-name"),
    unit: str = typer.Option(..., "--unit", help="Unit code (75) or any name (Алматы, Almaty city)."),
    patronymic: Optional[str] = typer.Option(None, "--patronymic"),
    locality: Optional[str] = typer.Option(None, "--locality"),
    phone: Optional[str] = typer.Option(None, "--phone"),
    email: Optional[str] = typer.Option(None, "--email"),
    joined_on: Optional[str] = typer.Option(None, "--joined-on", help="YYYY-MM-DD; default today."),
    birth_date: Optional[str] = typer.Option(None, "--birth-date", help="YYYY-MM-DD; checked against the IIN."),
    address: Optional[str] = typer.Option(None, "--address"),
    application_ref: Optional[str] = typer.Option(None, "--application-ref", help="Signed application number."),
    signed_on: Optional[str] = typer.Option(None, "--signed-on", help="YYYY-MM-DD the application was signed."),
) -> None:
    """Add one member; refused with the reason if the IIN, unit or a date is wrong."""
    from partyledger.ledger.members import service
    from partyledger.ledger.cleaning.validate import draft_from_fields

    day = today()
    dates = _dates({"joined_on": joined_on, "birth_date": birth_date, "signed_on": signed_on}, day)
    joined_today = dates["joined_on"] is None
    if joined_today:
        dates["joined_on"] = day
    fields: dict[str, Any] = {"iin": iin, "surname": surname, "given_name": given_name, "patronymic": patronymic,
                              "region": unit, "locality": locality, "phone": phone, "email": email,
                              "address": address, "application_ref": application_ref, **dates}
    fields = {k: v for k, v in fields.items() if v is not None}
    with ledger_session(ctx) as session:
        rules = ledger_rules(ctx, session)
        result = draft_from_fields(fields, units=rules.units, as_of=day)
        _refusals(result.issues, fields)
        if result.draft is None:
            raise InvalidInput("the member could not be added", issues=result.issues)
        member = service.add_member(session, result.draft, actor=actor())
        _warn(result.issues, fields)
        note = " (today; --joined-on gives another date)" if joined_today else ""
        say(f"Added {member.surname} {member.given_name} (IIN {member.iin}, unit {member.unit_code}), "
            f"joined on {member.joined_on}{note}")


_COLUMNS = [("iin", "IIN"), ("surname", "Surname"), ("given_name", "Given name"), ("patronymic", "Patronymic"),
            ("unit_code", "Unit"), ("status", "Status"), ("joined_on", "Joined")]


class _Output:
    """Writes pages as they come (``--all`` on a big ledger never holds it in memory).

    JSON is one list, streamed item by item; the text table takes its column widths from the first
    page, so a long listing can be piped into ``less`` while it is still being read.
    """

    def __init__(self, as_json: bool) -> None:
        self.as_json, self.count, self.widths = as_json, 0, None

    def write(self, rows: list[dict[str, Any]]) -> None:
        if self.as_json:
            for row in rows:
                sys.stdout.write(("[\n" if self.count == 0 else ",\n")
                                 + json_safe(json.dumps(row, ensure_ascii=False, indent=2)))
                self.count += 1
            return
        cells = [[visible(r.get(k) or "") for k, _ in _COLUMNS] for r in rows]
        if self.widths is None and cells:
            header = [h for _, h in _COLUMNS]
            floor = {"iin": 12, "unit_code": 4, "status": 9, "joined_on": 10}   # later pages fit too
            self.widths = [max([floor.get(k, 0)] + [len(c[i]) for c in [header] + cells])
                           for i, (k, _) in enumerate(_COLUMNS)]
            cells.insert(0, header)
        for row in cells:
            sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, self.widths or [])).rstrip() + "\n")
        self.count += len(rows)

    def close(self) -> None:
        if self.as_json:
            sys.stdout.write("[]\n" if self.count == 0 else "\n]\n")


def _unit_code(ctx: typer.Context, session, text: str | None, day: date) -> str | None:
    if not text:
        return None
    found = ledger_rules(ctx, session).units.resolve(text, as_of=day)
    if not found.ok:
        raise InvalidInput(f"unit '{text}': {found.note or found.status}", "give the code (75) or a name")
    return found.code


@members_app.command("list")
def list_(
    ctx: typer.Context,
    unit: Optional[str] = typer.Option(None, "--unit", help="Unit code or name."),
    search: Optional[str] = typer.Option(None, "--search", help="Surname (then given name) in either script, or IIN digits."),
    status: Optional[str] = typer.Option(None, "--status", help="active, withdrawn, deceased or excluded."),
    limit: int = typer.Option(50, "--limit", min=1, max=10000, help="Members per page."),
    after: Optional[str] = typer.Option(None, "--after", help="Cursor printed after the previous page."),
    all_: bool = typer.Option(False, "--all", help="Every page, not just one."),
    sort: str = typer.Option("id", "--sort", help="id (entry order), name or iin; a search sorts by what it matched."),
    as_json: bool = typer.Option(False, "--json", help="A JSON list on stdout."),
) -> None:
    """List members, one page at a time (or --all)."""
    from partyledger.ledger.members import service

    out = _Output(as_json)
    with ledger_session(ctx) as session:
        code = _unit_code(ctx, session, unit, today())
        cursor = after
        while True:
            page = service.list_members(session, unit=code, status=status, search=search, after=cursor, limit=limit,
                                        order=sort)
            out.write([service.member_dict(m) for m in page.rows])
            cursor = page.next_cursor
            if not all_ or cursor is None:
                break
    out.close()
    if out.count == 0:
        say("no members match")
    if cursor is not None:
        say(f"{out.count} shown; next page: --after {cursor}")


def _eligibility(ctx: typer.Context, session, member, day: date) -> dict[str, Any]:
    """Whether the member counts on ``day`` by the members' test (``ledger/cleaning/eligibility``), with every reason.

    Duplicates and unit placement need the whole ledger: the report judges those."""
    from partyledger.ledger.members.campaign import get_campaign
    from partyledger.ledger.cleaning.validate import eligibility_issues

    consent = bool(get_campaign(session).require_consent)
    found = eligibility_issues(member, ledger_rules(ctx, session).at(day), as_of=day, require_consent=consent)
    return {"as_of": day.isoformat(), "counts": not found,
            "reasons": [{"code": i.code, "message": i.message} for i in found]}


@members_app.command("show")
def show(ctx: typer.Context, iin: str = typer.Argument(..., help="The member's IIN."),
         as_of: Optional[str] = typer.Option(None, "--as-of", help="Judge eligibility on this date (default today)."),
         as_json: bool = typer.Option(False, "--json")) -> None:
    """One member with eligibility on a date, roles, congress attendance and the history of changes."""
    from partyledger.ledger.members import service

    day = parse_cli_date(as_of, "--as-of") or today()     # the output names the date it used
    with ledger_session(ctx) as session:
        member = service.get_member(session, iin)
        detail = service.member_detail(session, member)
        detail["eligibility"] = _eligibility(ctx, session, member, day)
    if as_json:
        emit_json(detail)
        return
    skip = ("roles", "congress", "history", "eligibility")
    lines = [f"{k}: {v}" for k, v in detail.items() if k not in skip and v is not None]
    verdict = detail["eligibility"]
    lines.append(f"counts on {verdict['as_of']}: " + ("yes" if verdict["counts"] else "no: " + "; ".join(
        f"{r['code']} ({r['message']})" for r in verdict["reasons"])))
    lines.append("roles: " + (", ".join(f"{r['kind']} since {r['since'] or '?'}" for r in detail["roles"]) or "none"))
    congress = detail["congress"]
    lines.append("congress: " + (f"checked in at {congress['checked_in_at']}" if congress else "not checked in"))
    lines.append("history:")
    for event in detail["history"]:
        change = ", ".join(f"{k}={v}" for k, v in (event["after"] or {}).items()) if event["action"] != "member.added" else ""
        lines.append(f"  {event['at'][:19]}  {event['action']}  {event['actor']}  {change}".rstrip())
    sys.stdout.write("\n".join(visible(line) for line in lines) + "\n")


@members_app.command("edit")
def edit(
    ctx: typer.Context,
    iin: str = typer.Argument(..., help="The member's current IIN."),
    new_iin: Optional[str] = typer.Option(None, "--iin", help="Corrected IIN (must be valid and free)."),
    surname: Optional[str] = typer.Option(None, "--surname"),
    given_name: Optional[str] = typer.Option(None, "--given-name"),
    patronymic: Optional[str] = typer.Option(None, "--patronymic"),
    unit: Optional[str] = typer.Option(None, "--unit"),
    locality: Optional[str] = typer.Option(None, "--locality"),
    phone: Optional[str] = typer.Option(None, "--phone"),
    email: Optional[str] = typer.Option(None, "--email"),
    joined_on: Optional[str] = typer.Option(None, "--joined-on"),
    birth_date: Optional[str] = typer.Option(None, "--birth-date"),
    address: Optional[str] = typer.Option(None, "--address"),
    application_ref: Optional[str] = typer.Option(None, "--application-ref"),
    signed_on: Optional[str] = typer.Option(None, "--signed-on"),
) -> None:
    """Change fields of a member (each re-validated); give "" to clear an optional field."""
    from partyledger.ledger.members import service

    day = today()
    dates = _dates({"joined_on": joined_on, "birth_date": birth_date, "signed_on": signed_on}, day)
    typed = {"iin": new_iin, "surname": surname, "given_name": given_name, "patronymic": patronymic, "unit": unit,
             "locality": locality, "phone": phone, "email": email, "address": address,
             "application_ref": application_ref}
    changes: dict[str, Any] = {k: (v if v != "" else None) for k, v in typed.items() if v is not None}
    changes |= {k: v for k, v in dates.items() if v is not None}
    shown = dict(changes, region=unit)
    with ledger_session(ctx) as session:
        rules = ledger_rules(ctx, session)
        warnings: list = []
        try:
            member = service.edit_member(session, iin, changes, units=rules.units, as_of=day, actor=actor(),
                                         issues_out=warnings)
        except InvalidInput as err:
            if err.issues:
                _refusals(err.issues, shown)
            raise
        _refusals([w for w in warnings if w.code.startswith("unit.")], shown)
        _warn(warnings, shown)
        say(f"Saved {member.surname} {member.given_name} (IIN {member.iin})")


@members_app.command("withdraw")
def withdraw(
    ctx: typer.Context,
    iin: str = typer.Argument(..., help="The member's IIN."),
    on: Optional[str] = typer.Option(None, "--on", help="YYYY-MM-DD the member left; default today."),
    reason: Optional[str] = typer.Option(None, "--reason"),
) -> None:
    """Record that a member left (the record and its history stay)."""
    from partyledger.ledger.members import service

    day = today()
    left = _not_future(parse_cli_date(on, "--on"), "--on", day) or day
    with ledger_session(ctx) as session:
        member = service.withdraw_member(session, iin, on=left, reason=reason, actor=actor())
        say(f"{member.surname} {member.given_name} (IIN {member.iin}) withdrawn on {left.isoformat()}")


def register(app: typer.Typer) -> None:
    """Attach the ``members`` group to the root app."""
    app.add_typer(members_app, name="members")
