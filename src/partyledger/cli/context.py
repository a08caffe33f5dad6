"""What every command needs: the ledger path, the passphrase, the rules, today's date, output helpers.

The CLI is a front end: it is allowed to read the clock, the environment and the terminal. It passes
all of that down to the core as plain arguments.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import typer
from platformdirs import user_data_dir

from partyledger.errors import InvalidInput, PartyLedgerError
from partyledger.progress import Progress


@dataclass
class Globals:
    db: Path | None = None
    rules_dir: Path | None = None


def globals_of(ctx: typer.Context) -> Globals:
    root = ctx.find_root()
    if not isinstance(root.obj, Globals):
        root.obj = Globals()
    return root.obj


def today() -> date:
    """The only clock read in the CLI; commands print the date they used."""
    return date.today()


def parse_cli_date(text: str | None, option: str) -> date | None:
    """A date typed on the command line must be ISO (YYYY-MM-DD): no guessing of day/month order."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{option}: '{text}' is not a real date", "write it as YYYY-MM-DD, e.g. 2024-03-31") from None


def as_of_or_today(text: str | None, *, hint: str = "") -> date:
    """The ``--as-of`` date, or today, said on stderr so the output always names the date it used."""
    day = parse_cli_date(text, "--as-of")
    if day is None:
        day = today()
        say(f"as of {day.isoformat()} (today{hint})")
    return day


def db_path(ctx: typer.Context) -> Path:
    g = globals_of(ctx)
    if g.db is not None:
        return g.db
    env = os.environ.get("PARTYLEDGER_DB")
    if env:
        return Path(env)
    return Path(user_data_dir("partyledger")) / "ledger.db"


def rules_for(ctx: typer.Context, jurisdiction: str = "KZ"):
    from partyledger.rules import load_rules

    return load_rules(jurisdiction, globals_of(ctx).rules_dir)


def passphrase(confirm: bool = False) -> str:
    """From ``$PARTYLEDGER_PASSPHRASE`` or a hidden prompt; never stored, never logged."""
    env = os.environ.get("PARTYLEDGER_PASSPHRASE")
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise PartyLedgerError("no passphrase given", "set PARTYLEDGER_PASSPHRASE or run in a terminal")
    first = typer.prompt("Passphrase", hide_input=True, err=True)
    if confirm:
        second = typer.prompt("Repeat passphrase", hide_input=True, err=True)
        if first != second:
            raise PartyLedgerError("the two passphrases differ", "run the command again")
    return first


def open_engine(ctx: typer.Context):
    from partyledger.ledger.db import open_ledger

    return open_ledger(db_path(ctx), passphrase())


@contextmanager
def ledger_session(ctx: typer.Context) -> Iterator[Any]:
    """Open the ledger and yield a session that commits on success, rolls back on error."""
    from partyledger.ledger.db import session_scope

    engine = open_engine(ctx)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def emit_json(obj: Any) -> None:
    """stdout carries only the output asked for."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def say(message: str) -> None:
    """Messages for the person go to stderr so stdout stays clean for data."""
    typer.echo(message, err=True)


@contextmanager
def progress_to_stderr(description: str) -> Iterator[Any]:
    """A rich progress bar on stderr (rows/s, time left) fed by the core's ``on_progress`` callback."""
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress, TaskProgressColumn,
                               TextColumn, TimeRemainingColumn)

    console = Console(stderr=True)
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn()]
    with RichProgress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(description, total=None, rate="")

        def on_progress(p: Progress) -> None:
            speed = bar.tasks[0].speed
            rate = f"{speed:,.0f}/s" if speed else ""
            bar.update(task, completed=p.done, total=p.total, description=p.stage or description, rate=rate)

        yield on_progress
