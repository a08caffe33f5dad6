"""``partyledger init``: create the encrypted ledger and its key file; ``verify``: check everything it can.

Everything printed here is a message for the person (stderr); ``init`` has no data output. The
passphrase is asked twice (or read from ``$PARTYLEDGER_PASSPHRASE`` for scripts) and never stored.
"""

from __future__ import annotations

import typer

from partyledger.cli.context import db_path, fast_kdf, globals_of, passphrase, say
from partyledger.errors import LedgerExists


def init(
    ctx: typer.Context,
    party_name: str = typer.Option("", "--party-name", help="Name of the party being formed."),
    jurisdiction: str = typer.Option("KZ", "--jurisdiction", help="Country whose law applies (rule files)."),
) -> None:
    """Create an encrypted ledger (asks for a passphrase twice)."""
    from partyledger.ledger.storage.db import create_ledger
    from partyledger.ledger.storage.keyfile import keyfile_path
    from partyledger.rules import load_rules

    path = db_path(ctx)
    if path.exists():            # before the passphrase prompt: nobody should type it for nothing
        raise LedgerExists(f"there is already a file at {path}", "choose another --db path, or open that ledger")
    from partyledger.ledger.cleaning.text import check_text

    check_text(party_name, "party_name")
    jurisdiction = jurisdiction.strip().upper()
    check_text(jurisdiction, "jurisdiction")
    load_rules(jurisdiction, globals_of(ctx).rules_dir)          # an unknown jurisdiction fails here
    secret = passphrase(confirm=True, ctx=ctx)
    create_ledger(path, secret, party_name=party_name.strip(), jurisdiction=jurisdiction,
                  fast_kdf=fast_kdf()).dispose()
    say(f"Created an encrypted ledger at {path}")
    say(f"Key file (salt and key settings, not secret; keep it next to the ledger): {keyfile_path(path)}")
    say("Remember the passphrase: it cannot be recovered, and without it nobody can open this ledger.")


def verify(ctx: typer.Context,
           as_json: bool = typer.Option(False, "--json", help="Print {ok, checked, counts, findings} as JSON.")) -> None:
    """Check the stored pages, the audit chain and every member row: exit 2 naming what differs."""
    from partyledger.cli.context import emit_json, open_engine
    from partyledger.errors import PartyLedgerError
    from partyledger.ledger.storage.verify import verify_ledger

    engine = open_engine(ctx)
    try:
        with engine.connect() as conn:
            verdict = verify_ledger(conn)
    finally:
        engine.dispose()
    if as_json:
        emit_json(verdict.as_dict())
    else:
        for f in verdict.findings:
            typer.echo(f"{f.kind}\t{'' if f.id is None else f.id}\t{f.detail}")
    events, members = verdict.checked["events"], verdict.checked["members"]
    if not verdict.ok:
        total = sum(verdict.counts.values())
        first = verdict.findings[0]
        raise PartyLedgerError(f"verify found {total} problem{'' if total == 1 else 's'} "
                               f"({', '.join(f'{n} {k}' for k, n in sorted(verdict.counts.items()))}); first: {first.detail}",
                               "keep this ledger as it is, restore the last backup next to it, and compare")
    say(f"audit log intact: {events} event{'' if events == 1 else 's'}, each linked to the one before; "
        f"{members} member row{'' if members == 1 else 's'} match their seals; storage checks passed")


def register(app: typer.Typer) -> None:
    """Attach ``init`` and ``verify`` to the root app."""
    app.command("init")(init)
    app.command("verify")(verify)
