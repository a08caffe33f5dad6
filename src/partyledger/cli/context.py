"""What every command needs: the ledger path, the passphrase, the rules, today's date, output helpers.

The CLI is a front end: it is allowed to read the clock, the environment and the terminal. It passes
all of that down to the core as plain arguments.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import typer
from platformdirs import user_data_dir

from partyledger.errors import InvalidInput, PartyLedgerError
from partyledger.progress import Progress


MAX_ID = 2**63 - 1          # SQLite's largest integer: every id option is bounded by it (else OverflowError)


@dataclass
class Globals:
    db: Path | None = None
    rules_dir: Path | None = None
    passphrase_file: str | None = None
    read_files: dict[str, str] = field(default_factory=dict)    # stdin can be read only once


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
    """The rules of a jurisdiction named on the command line (``rules show -j``); for an open ledger,
    ``ledger_rules``."""
    from partyledger.rules import load_rules

    return load_rules(jurisdiction, globals_of(ctx).rules_dir)


def ledger_rules(ctx: typer.Context, session):
    """The rules of the open ledger's own jurisdiction (``reads.rules_for_ledger``), from ``--rules`` if given."""
    from partyledger.ledger.members.reads import rules_for_ledger

    return rules_for_ledger(session, globals_of(ctx).rules_dir)


def actor(user: str | None = None) -> str:
    """Who the audit log names for a change made by a command: ``cli:<login name>``, or ``cli:<user>``
    when the command names the person (``congress checkin --by``); see ``audit.actor``."""
    from partyledger.ledger.storage.audit import actor as audit_actor

    return audit_actor("cli", user)


SECRET_FILE_BYTES = 64 * 1024


def secret_from_file(spec: str, ctx: typer.Context | None = None) -> str:
    """A passphrase from a file (``-`` = stdin): its first line, without the line break."""
    cache = globals_of(ctx).read_files if ctx is not None else {}
    if spec not in cache:
        try:
            # the first line only, and a bounded read: /dev/zero or a video given by mistake must not hang
            if spec == "-":
                text = sys.stdin.readline(SECRET_FILE_BYTES)
            else:
                with open(spec, "rb") as handle:
                    text = handle.read(SECRET_FILE_BYTES).decode("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise PartyLedgerError(f"cannot read the passphrase file {spec} ({type(err).__name__})",
                                   "give a readable UTF-8 text file, or - for standard input") from None
        cache[spec] = text.splitlines()[0] if text.splitlines() else ""
    if not cache[spec]:
        raise PartyLedgerError(f"the passphrase file {spec} is empty", "put the passphrase on its first line")
    return cache[spec]


def passphrase(confirm: bool = False, ctx: typer.Context | None = None) -> str:
    """From ``--passphrase-file``, ``$PARTYLEDGER_PASSPHRASE`` or a hidden prompt; never stored or logged."""
    spec = globals_of(ctx).passphrase_file if ctx is not None else None
    if spec:
        return secret_from_file(spec, ctx)
    return ask_secret("Passphrase", "PARTYLEDGER_PASSPHRASE", confirm=confirm, option="--passphrase-file")


def ask_secret(label: str, env_name: str, *, confirm: bool, option: str) -> str:
    env = os.environ.get(env_name)
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise PartyLedgerError(f"no {label.lower()} given", f"use {option}, set {env_name}, or run in a terminal")
    first = typer.prompt(label, hide_input=True, err=True)
    if confirm:
        second = typer.prompt(f"Repeat {label.lower()}", hide_input=True, err=True)
        if first != second:
            raise PartyLedgerError(f"the two {label.lower()}s differ", "run the command again")
    return first


def busy_seconds() -> float:
    """How long a write waits for another writer: ``$PARTYLEDGER_BUSY_SECONDS`` or the default."""
    from partyledger.ledger.storage.unlock import BUSY_SECONDS

    text = os.environ.get("PARTYLEDGER_BUSY_SECONDS", "").strip()
    try:
        return float(text) if text else BUSY_SECONDS
    except ValueError:
        raise PartyLedgerError(f"PARTYLEDGER_BUSY_SECONDS={text!r} is not a number of seconds",
                               "set it to e.g. 60, or unset it") from None


def fast_kdf() -> bool:
    """``$PARTYLEDGER_KDF_FAST=1``: key files made now get the light argon2id profile (the test suite's
    many CLI runs). The core never reads it; the CLI passes it to ``create_ledger``/``change_passphrase``."""
    return os.environ.get("PARTYLEDGER_KDF_FAST") == "1"


def keep_backups() -> int:
    """How many automatic backups to keep per reason (``$PARTYLEDGER_KEEP_BACKUPS``, default 5)."""
    from partyledger.ledger.storage.backup import keep_from

    return keep_from(os.environ.get("PARTYLEDGER_KEEP_BACKUPS"))


PASSWORD_HELP = "Encrypt the workbook with this password (Excel and LibreOffice ask for it); '-' reads it from stdin."
ASK_PASSWORD_HELP = "Ask for the workbook password (hidden, twice) and encrypt the workbook with it."


def export_password(password: str | None, ask: bool) -> str | None:
    """The password an export is encrypted with: ``--password VALUE``, ``--password -`` (stdin), or asked."""
    from partyledger.exporters.output import check_password

    if ask and password is not None:
        raise InvalidInput("give --password or --ask-password, not both")
    if password == "-":
        password = sys.stdin.readline().rstrip("\r\n")
    elif ask:
        if not sys.stdin.isatty():
            raise InvalidInput("--ask-password needs a terminal", "use --password - to read it from stdin")
        password = typer.prompt("Password for the workbook", hide_input=True, err=True)
        if typer.prompt("Repeat the password", hide_input=True, err=True) != password:
            raise InvalidInput("the two passwords differ", "run the command again")
    return check_password(password)


def open_engine(ctx: typer.Context):
    from partyledger.ledger.storage.db import open_ledger

    return open_ledger(db_path(ctx), passphrase(ctx=ctx), busy_seconds=busy_seconds(), keep_backups=keep_backups())


@contextmanager
def ledger_session(ctx: typer.Context) -> Iterator[Any]:
    """Open the ledger and yield a session that commits on success, rolls back on error."""
    from partyledger.ledger.storage.db import session_scope

    engine = open_engine(ctx)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def emit_json(obj: Any) -> None:
    """stdout carries only the output asked for; characters a terminal would obey are ``\\u`` escapes."""
    from partyledger.ledger.cleaning.text import json_safe

    sys.stdout.write(json_safe(json.dumps(obj, ensure_ascii=False, indent=2, default=str)) + "\n")


def say(message: str) -> None:
    """Messages for the person go to stderr so stdout stays clean for data.

    Messages quote stored values (names, file names, cells), so control and invisible characters
    are shown escaped (``\\x1b``): a name can never clear or recolour the organizer's terminal.
    """
    from partyledger.ledger.cleaning.text import visible

    typer.echo(visible(message, keep="\n\t"), err=True)


def out(line: str) -> None:
    """One line of data on stdout, with control and invisible characters shown escaped."""
    from partyledger.ledger.cleaning.text import visible

    typer.echo(visible(line, keep="\n\t"))


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
