"""``partyledger demo``: build a fresh sample ledger from ``samples/`` and open the app on it.

The demo ledger lives in the user data folder (``demo.db``), is rebuilt on every run, holds only
synthetic people, and opens with the passphrase ``demo``. ``--no-tui`` prints what was built and the
members per unit instead, for scripts and for a first look without the app.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from platformdirs import user_data_dir

from partyledger.cli.context import fast_kdf, globals_of, progress_to_stderr, rules_for, say, today
from partyledger.errors import PartyLedgerError


def samples_dir() -> Path:
    """``samples/`` of a checkout, or the copy shipped inside the wheel."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[3] / "samples", here.parents[1] / "_samples"):
        if candidate.is_dir():
            return candidate
    raise PartyLedgerError("the sample files are missing from this installation",
                           "reinstall partyledger, or run it from a checkout")


def _print_units(path: Path, as_of, catalogue) -> None:
    from partyledger.demo import DEMO_PASSPHRASE
    from partyledger.ledger.members.reads import active_per_stored_unit
    from partyledger.ledger.storage.db import open_ledger, session_scope

    engine = open_ledger(path, DEMO_PASSPHRASE)
    try:
        with session_scope(engine) as session:
            rows = active_per_stored_unit(session)
    finally:
        engine.dispose()
    typer.echo(f"Active members per unit (unit stored at entry, named as on {as_of:%Y-%m-%d}):")
    for code, count in rows:
        unit = catalogue.unit(code, as_of) if catalogue is not None and code else None
        name = unit.name_en if unit else ("(no unit)" if not code else "")
        typer.echo(f"  {code or '??':>3}  {name:<26} {count:6d}")
    typer.echo(f"  {'all':>3}  {'':<26} {sum(c for _, c in rows):6d}")


def demo(
    ctx: typer.Context,
    no_tui: bool = typer.Option(False, "--no-tui", help="Build the ledger and print a summary; do not open the app."),
    path: Optional[Path] = typer.Option(None, "--path", help="Where to build the demo ledger (default: user data folder)."),
) -> None:
    """Build a sample ledger (synthetic people, passphrase 'demo') and open the app on it."""
    from partyledger.demo import DEMO_PASSPHRASE, build_demo_ledger

    as_of = today()
    target = path or Path(user_data_dir("partyledger")) / "demo.db"
    rules = rules_for(ctx)
    say(f"Building the demo ledger at {target} (today is {as_of:%Y-%m-%d}; passphrase: {DEMO_PASSPHRASE})")
    with progress_to_stderr("building demo") as on_progress:
        summary = build_demo_ledger(target, samples_dir(), today=as_of, rules=rules, on_progress=on_progress,
                                    fast_kdf=fast_kdf())
    for b in summary.batches:
        say(f"  imported {b['file']}: {b['created']} created, {b['quarantined']} quarantined, "
            f"{b['duplicates_flagged']} flagged as possible duplicates")
    say(f"  initiative group {summary.group}, checked in at the congress {summary.checked_in}; "
        f"{summary.candidates} duplicate candidates to review")
    if no_tui:
        _print_units(target, as_of, rules.units)
        return
    from partyledger.cli.tui_cmd import run_tui

    globals_of(ctx).db = target
    os.environ.pop("PARTYLEDGER_PASSPHRASE", None)     # the demo shows the unlock screen
    run_tui(ctx, demo=True)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
