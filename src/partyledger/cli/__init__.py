"""The ``partyledger`` command (DESIGN.md section 7).

``main()`` is the only place that catches ``PartyLedgerError``: one line on stderr and exit 2; so
is an ``OSError`` (the file system refusing a path the person gave). Anything else is a bug (exit 1). Commands live in ``<topic>_cmd.py`` modules registered below.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from partyledger.cli.context import Globals

app = typer.Typer(
    name="partyledger",
    help="Membership ledger and registration readiness for a party in formation.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    db: Optional[Path] = typer.Option(None, "--db", help="Ledger file (default $PARTYLEDGER_DB, then the user data folder)."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Folder of your own rule files (same format as rules/)."),
    passphrase_file: Optional[str] = typer.Option(
        None, "--passphrase-file", help="Read the passphrase from the first line of this file (- = stdin), for scripts."),
) -> None:
    ctx.obj = Globals(db=db, rules_dir=rules, passphrase_file=passphrase_file)
    if ctx.invoked_subcommand is None:
        from partyledger.cli.tui_cmd import run_tui

        run_tui(ctx)


def _register() -> None:
    from partyledger.cli import (campaign_cmd, congress_cmd, dedupe_cmd, demo_cmd, import_cmd, ledger_cmd, members_cmd,
                                 report_cmd, rules_cmd, storage_cmd, tui_cmd)

    for module in (ledger_cmd, members_cmd, rules_cmd, import_cmd, dedupe_cmd, congress_cmd, campaign_cmd, report_cmd,
                   demo_cmd, tui_cmd, storage_cmd):
        module.register(app)


_register()


def _usage_error_types() -> tuple[type[BaseException], ...]:
    """Click's usage errors: typer >= 0.16 vendors click as ``typer._click``; older typer uses click."""
    types: list[type[BaseException]] = []
    try:
        from typer._click.exceptions import ClickException as VendoredClickException

        types.append(VendoredClickException)
    except ImportError:
        pass
    try:
        from click.exceptions import ClickException

        types.append(ClickException)
    except ImportError:
        pass
    return tuple(types)


def main() -> None:
    from partyledger.errors import PartyLedgerError

    usage_errors = _usage_error_types()
    try:
        # Without standalone mode click returns the code of a ``typer.Exit(n)`` instead of exiting.
        code = app(standalone_mode=False)
    except PartyLedgerError as err:
        from partyledger.ledger.cleaning.text import visible

        typer.echo(f"partyledger: {visible(str(err))}", err=True)     # one line, whatever a value holds
        sys.exit(2)
    except OSError as err:
        # the file system refused (no permission, disk full, a name too long, a folder given for a file):
        # the person's environment, not a bug; say which file and why in one line
        from partyledger.ledger.cleaning.text import visible

        name = visible(str(err.filename or ""))
        where = f" ({name[:160]}{'...' if len(name) > 160 else ''})" if name else ""
        typer.echo(f"partyledger: {err.strerror or type(err).__name__}{where}", err=True)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("partyledger: cancelled; nothing was written", err=True)
        sys.exit(2)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except SystemExit:
        raise
    except usage_errors as err:
        command = getattr(getattr(err, "ctx", None), "command_path", "partyledger")
        from partyledger.ledger.cleaning.text import visible

        typer.echo(visible(f"{command}: {err.format_message()} (see {command} --help)"), err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
