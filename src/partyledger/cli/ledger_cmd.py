"""``partyledger init``: create the encrypted ledger and its key file; ``verify``: check the audit chain.

Everything printed here is a message for the person (stderr); ``init`` has no data output. The
passphrase is asked twice (or read from ``$PARTYLEDGER_PASSPHRASE`` for scripts) and never stored.
"""

from __future__ import annotations

import typer

from partyledger.cli.context import db_path, globals_of, passphrase, say
from partyledger.errors import LedgerExists


def init(
    ctx: typer.Context,
    party_name: str = typer.Option("", "--party-name", help="Name of the party being formed."),
    jurisdiction: str = typer.Option("KZ", "--jurisdiction", help="Country whose law applies (rule files)."),
) -> None:
    """Create an encrypted ledger (asks for a passphrase twice)."""
    from partyledger.ledger.db import create_ledger
    from partyledger.ledger.keyfile import keyfile_path
    from partyledger.rules import load_rules

    path = db_path(ctx)
    if path.exists():            # before the passphrase prompt: nobody should type it for nothing
        raise LedgerExists(f"there is already a file at {path}", "choose another --db path, or open that ledger")
    jurisdiction = jurisdiction.strip().upper()
    load_rules(jurisdiction, globals_of(ctx).rules_dir)          # an unknown jurisdiction fails here
    secret = passphrase(confirm=True)
    create_ledger(path, secret, party_name=party_name.strip(), jurisdiction=jurisdiction).dispose()
    say(f"Created an encrypted ledger at {path}")
    say(f"Key file (salt and key settings, not secret; keep it next to the ledger): {keyfile_path(path)}")
    say("Remember the passphrase: it cannot be recovered, and without it nobody can open this ledger.")


def verify(ctx: typer.Context) -> None:
    """Check the audit log's hash chain: exit 2 naming the first event that was altered or removed."""
    from sqlmodel import func, select

    from partyledger.cli.context import ledger_session
    from partyledger.errors import PartyLedgerError
    from partyledger.ledger import audit
    from partyledger.ledger.models import AuditEvent

    with ledger_session(ctx) as session:
        broken = audit.verify_chain(session)
        count = session.exec(select(func.count()).select_from(AuditEvent)).one()
    if broken is not None:
        raise PartyLedgerError(f"the audit log was altered: event {broken} does not match the chain",
                               "restore the ledger from a backup and compare")
    say(f"audit log intact: {count} event{'' if count == 1 else 's'}, each linked to the one before")


def register(app: typer.Typer) -> None:
    """Attach ``init`` and ``verify`` to the root app."""
    app.command("init")(init)
    app.command("verify")(verify)
