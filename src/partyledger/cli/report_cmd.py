"""``partyledger report`` and ``partyledger export filing``: readiness on a date, and the filing lists.

Without ``--as-of`` the date is today's, printed to stderr. ``report`` shows counts only; the xlsx
exclusions sheet and the filing export name people, and say so on stderr. A "not ready" verdict is
data (exit 0) unless ``--fail-if-not-ready`` asks for exit 3, which it also gives on a day the research
cannot place before or after a change of the law when either law says not ready.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from partyledger.cli.context import (ASK_PASSWORD_HELP, PASSWORD_HELP, actor, as_of_or_today, emit_json,
                                     export_password, ledger_rules, ledger_session, progress_to_stderr, say)
from partyledger.errors import InvalidInput

FORCE_HELP = "Overwrite the file if it exists."

export_app = typer.Typer(help="Member lists for filing.", no_args_is_help=True)
PERSONAL_DATA = "note: {file} contains personal data of members (names, IINs); keep it encrypted and share it only for filing"


class Format(str, Enum):
    text = "text"
    json = "json"
    xlsx = "xlsx"
    html = "html"


def report_date(as_of: Optional[str]) -> date:
    return as_of_or_today(as_of, hint="; use --as-of YYYY-MM-DD for another date")


def refuse_existing(output: Path | None, force: bool) -> None:
    """Before any slow work: an existing file is refused unless --force (one line, exit 2)."""
    from partyledger.files import refuse_existing as refuse

    if output is not None:
        refuse(output, force)


def report_command(
    ctx: typer.Context,
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Date of the assessment, YYYY-MM-DD (default today)."),
    fmt: Format = typer.Option(Format.text, "--format", help="text (tables), json, xlsx or html."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to this file (required for xlsx)."),
    fail_if_not_ready: bool = typer.Option(False, "--fail-if-not-ready", help="Exit 3 when not ready to file."),
    safety_factor: Optional[float] = typer.Option(None, "--safety-factor", help="Override the campaign's factor."),
    no_exclusions: bool = typer.Option(False, "--no-exclusions", help="xlsx: leave out the named exclusions sheet."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    password: Optional[str] = typer.Option(None, "--password", help="xlsx: " + PASSWORD_HELP),
    ask_password: bool = typer.Option(False, "--ask-password", help="xlsx: " + ASK_PASSWORD_HELP),
) -> None:
    """Can we file on this date, and what is missing? Counts per unit, exclusions, margin, deadlines."""
    from partyledger.report import assess_readiness

    if fmt is Format.xlsx and output is None:
        raise InvalidInput("--format xlsx needs -o FILE.xlsx")
    if (password is not None or ask_password) and fmt is not Format.xlsx:
        raise InvalidInput("--password encrypts an xlsx workbook only", "add --format xlsx -o FILE.xlsx")
    refuse_existing(output, force)
    secret = export_password(password, ask_password)
    if safety_factor is not None and not 1.0 <= safety_factor <= 5.0:
        raise InvalidInput("--safety-factor must be between 1 and 5")
    day = report_date(as_of)
    with ledger_session(ctx) as session:
        rules = ledger_rules(ctx, session)
        with progress_to_stderr("assessing") as on_progress:
            result = assess_readiness(session, rules, as_of=day, safety_factor=safety_factor, on_progress=on_progress)
        if fmt is Format.json:
            from partyledger.report.render_json import readiness_dict

            data = readiness_dict(result)
            if output:
                import json

                from partyledger.exporters.output import save_text

                save_text(output, json.dumps(data, ensure_ascii=False, indent=2) + "\n", force=force)
            else:
                emit_json(data)
        elif fmt is Format.html:
            from partyledger.exporters.output import save_text
            from partyledger.report.render_html import render_html

            page = render_html(result)
            save_text(output, page, force=force) if output else sys.stdout.write(page)
        elif fmt is Format.xlsx:
            from partyledger.exporters.report_xlsx import write_report_xlsx
            from partyledger.report.members import member_verdicts

            verdicts = None
            if not no_exclusions:
                verdicts = member_verdicts(session, rules, as_of=day)
            with progress_to_stderr("writing workbook"):
                listed = write_report_xlsx(result, output, verdicts, force=force, password=secret)
            if verdicts is not None:
                say(PERSONAL_DATA.format(file=output) + f" ({listed} excluded members listed by name)"
                    + ("; encrypted with the password given" if secret else ""))
        else:
            from partyledger.presentation.report_text import print_report

            if output:
                from rich.console import Console

                from partyledger.files import private_file
                from partyledger.presentation.report_text import render

                with private_file(output, "w", force=force) as fh:
                    Console(file=fh, width=140, no_color=True).print(render(result))
            else:
                print_report(result)
        if output:
            say(f"wrote {output}")
    unsure = result.alternative is not None and not result.alternative.ready
    if fail_if_not_ready and (not result.ready or unsure):
        # a script that files on exit 0 must not file on a day when one of the two possible laws says no
        first = result.blockers[0].words if result.blockers else result.alternative.blockers[0].words
        say(f"not ready to file (exit 3): {first}" + ("; the answer depends on the exact day the law changed"
                                                        if result.depends_on_day else ""))
        # SystemExit, not typer.Exit: with standalone_mode=False click returns a typer.Exit code from
        # app() instead of raising it, and cli.main() then exits 0
        raise SystemExit(3)


@export_app.command("filing")
def export_filing(
    ctx: typer.Context,
    output: Path = typer.Option(..., "-o", "--output", help="The workbook to write (.xlsx)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Date of the lists, YYYY-MM-DD (default today)."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    password: Optional[str] = typer.Option(None, "--password", help=PASSWORD_HELP),
    ask_password: bool = typer.Option(False, "--ask-password", help=ASK_PASSWORD_HELP),
) -> None:
    """The filing package: lists per unit of the members who count on the date, totals, the group lists,
    and a draft of the congress protocol (FILE.protocol.html beside the workbook)."""
    from partyledger.exporters.filing import export_filing as write_filing

    refuse_existing(output, force)
    secret = export_password(password, ask_password)
    day = report_date(as_of)
    with ledger_session(ctx) as session:
        rules = ledger_rules(ctx, session)
        with progress_to_stderr("checking members") as on_progress:
            result = write_filing(session, rules, output, as_of=day, actor=actor(), force=force, password=secret,
                                  on_progress=on_progress)
    say(f"wrote {output}: {result.members} members on {len(result.per_unit)} unit sheets, "
        f"{result.group_size} in the initiative group, {result.committee_size} in the committee, "
        f"{result.attended} at the congress")
    say(f"wrote {result.protocol}: a DRAFT of the founding congress protocol, to complete and check")
    if result.latin_only:
        say(f"note: {result.latin_only} names have a part in Latin letters only; check them against the ID cards "
            "(marked in the lists)")
    say(PERSONAL_DATA.format(file=output) if not secret else
        f"note: {output} contains personal data of members (names, IINs), encrypted with the password given")


def register(app: typer.Typer) -> None:
    """Attach ``report`` and ``export filing`` to the root app."""
    app.command("report")(report_command)
    app.add_typer(export_app, name="export")
