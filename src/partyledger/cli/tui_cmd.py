"""``partyledger tui`` (also what runs when no command is given): the terminal app.

The passphrase from ``$PARTYLEDGER_PASSPHRASE`` unlocks at start if set; otherwise the app's own
unlock screen asks for it (never a prompt on the terminal before the app takes it over).
"""

from __future__ import annotations

import os
import sys

import typer

from partyledger.cli.context import db_path, globals_of, secret_from_file, today
from partyledger.errors import PartyLedgerError


def register(app: typer.Typer) -> None:
    """Attach ``tui`` to the root app."""

    @app.command("tui")
    def tui(ctx: typer.Context) -> None:
        """Open the terminal app (also what plain `partyledger` does)."""
        run_tui(ctx)


def run_tui(ctx: typer.Context, *, demo: bool = False) -> None:
    """Open the terminal app on the ledger of ``ctx`` (used by ``tui``, no command, and ``demo``)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise PartyLedgerError("the terminal app needs a terminal",
                               "run it in a terminal window, or use the commands (partyledger --help)")
    from partyledger.tui.prefetch import start_prefetch

    path, rules_dir, day = db_path(ctx), globals_of(ctx).rules_dir, today()
    spec = globals_of(ctx).passphrase_file
    passphrase = secret_from_file(spec, ctx) if spec and spec != "-" else os.environ.get("PARTYLEDGER_PASSPHRASE") or None
    # Start opening the ledger before textual is imported: the key derivation runs beside it.
    prefetch = start_prefetch(path, passphrase, rules_dir, day) if passphrase else None
    from partyledger.tui.app import make_app

    app = make_app(path, rules_dir=rules_dir, demo=demo, passphrase=passphrase, today=day, prefetch=prefetch)
    app.run()
    if app.return_code:
        raise typer.Exit(app.return_code)
