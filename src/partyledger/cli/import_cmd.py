"""``import``, ``batches``, ``undo`` and ``quarantine``: spreadsheets in, mistakes out, whole files back.

Ctrl-C during an import sets a cancel event that the core checks between chunks, so the batch's
transaction is rolled back and the command says that nothing was written; a second Ctrl-C falls
back to the default interrupt (the transaction still rolls back).
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer

from partyledger.cli.context import (ASK_PASSWORD_HELP, MAX_ID, PASSWORD_HELP, actor, emit_json, export_password,
                                     keep_backups, ledger_rules, ledger_session, out, progress_to_stderr, say, today)
from partyledger.errors import InvalidInput

quarantine_app = typer.Typer(help="Rows that could not become members: list, fix, promote, discard, export, "
                             "and fix by value "
                             "(values, map, aliases, unmap).",
                             no_args_is_help=True)


@contextmanager
def _ctrl_c_cancels() -> Iterator[threading.Event]:
    cancel = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield cancel
        return

    def handler(signum, frame):  # noqa: ANN001
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        say("partyledger: stopping after the current chunk; nothing will be written")

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield cancel
    finally:
        signal.signal(signal.SIGINT, previous)


def _print_result(res, *, dry_run: bool, header_row: int, mapping: dict, skipped: list, previous: list) -> None:
    verb = "Preview (nothing written)" if dry_run else f"Batch {res.batch_id} committed"
    say(f"{verb}: {res.rows} rows: {res.created} new, {res.updated} updated, {res.unchanged} unchanged, "
        f"{res.quarantined} quarantined, {res.duplicates_flagged} possible duplicates")
    say("Columns: " + ", ".join(f"{h} -> {f}" for h, f in mapping.items()))
    if previous:
        say(f"Note: this exact file was imported before (batch {', '.join(map(str, previous))}).")
    if skipped:
        say(f"Skipped {len(skipped)} non-member rows: " + "; ".join(f"row {s.row} '{s.text}'" for s in skipped[:5]))
    if res.issues:
        say("Issues: " + ", ".join(f"{code} {n}" for code, n in sorted(res.issues.items())))
    for q in res.quarantine[:10]:
        say(f"  row {q['row']}: {', '.join(q['codes'])}")
    if res.quarantined > 10:
        say(f"  ... see `partyledger quarantine list`")
    if res.conflict_count:
        say(f"{res.conflict_count} value(s) differ from the ledger and were NOT changed (see "
            f"`partyledger batches --conflicts {res.batch_id}`, or re-import with --update-changed):")
        for c in res.conflicts[:10]:
            say(f"  row {c['row']} IIN {c['iin']} {c['field']}: ledger '{c['current_value']}', "
                f"file '{c['incoming_value']}'")


def import_file(ctx: typer.Context, file: Path, *, sheet: Optional[str], mapping_file: Optional[Path], dry_run: bool,
                as_json: bool, dayfirst: bool, update_changed: bool) -> None:
    from partyledger.importers.mapping import load_mapping_file
    from partyledger.importers.run import open_file, prepare, run

    explicit = load_mapping_file(mapping_file) if mapping_file else None
    opened = open_file(file, sheet)     # a hostile, damaged or wrong file fails before the ledger is unlocked
    as_of = today()
    with ledger_session(ctx) as session, _ctrl_c_cancels() as cancel:
        units = ledger_rules(ctx, session).units
        prepared = prepare(session, opened, sheet=sheet, mapping=explicit)
        header = prepared.mapped.header
        say(f"{'Previewing' if dry_run else 'Importing'} {file.name}"
            f"{f' (sheet {prepared.data.name})' if prepared.data.name else ''}, header on row {header.row}; "
            "Ctrl-C cancels.")
        with progress_to_stderr("importing") as on_progress:
            res = run(session, prepared, units=units, as_of=as_of, actor=actor(), dry_run=dry_run, dayfirst=dayfirst,
                      update_changed=update_changed, keep_backups=keep_backups(), on_progress=on_progress,
                      cancel=cancel)
    say(f"Dates checked as of {as_of.isoformat()}.")
    _print_result(res, dry_run=dry_run, header_row=header.row, mapping=header.mapping,
                  skipped=prepared.mapped.skipped, previous=prepared.previous)
    if as_json:
        emit_json(res.summary())


def register(app: typer.Typer) -> None:
    """Attach ``import``, ``batches``, ``undo`` and the ``quarantine`` group to the root app."""

    @app.command("import")
    def import_cmd(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="Sign-up sheet: .xlsx or .csv (UTF-8 or Windows-1251, ; or ,)."),
        sheet: Optional[str] = typer.Option(None, "--sheet", help="Sheet name (default: the first with data)."),
        mapping: Optional[Path] = typer.Option(None, "--mapping", help="JSON/TOML {column header: field}."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Preview only: write nothing at all."),
        as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON on stdout."),
        dayfirst: bool = typer.Option(True, "--day-first/--month-first", help="How to read 03/04/2001."),
        update_changed: bool = typer.Option(False, "--update-changed",
                                            help="Apply values that differ from the ledger (recorded; undoable)."),
    ) -> None:
        """Import a sign-up spreadsheet as one batch (preview with --dry-run)."""
        import_file(ctx, file, sheet=sheet, mapping_file=mapping, dry_run=dry_run, as_json=as_json,
                    dayfirst=dayfirst, update_changed=update_changed)

    @app.command("batches")
    def batches_cmd(
        ctx: typer.Context,
        as_json: bool = typer.Option(False, "--json"),
        conflicts: Optional[int] = typer.Option(None, "--conflicts", min=1, max=MAX_ID, help="List the conflicts of one batch."),
    ) -> None:
        """List import batches (or the value conflicts of one batch)."""
        from partyledger.ledger.intake import batch_records

        with ledger_session(ctx) as session:
            rows = (batch_records.batch_conflicts(session, conflicts) if conflicts
                    else batch_records.list_batches(session))
        if as_json:
            emit_json(rows)
            return
        if conflicts:
            for c in rows:
                out(f"{c['id']:>5}  IIN {c['iin']}  {c['field']}: ledger '{c['current_value']}', "
                           f"file '{c['incoming_value']}'  [{c['state']}]")
            return
        for b in rows:
            n = b["counts"] or {}
            out(f"{b['batch_id']:>4}  {b['state']:<9} {b['started_at'][:16]}  {b['file_name']}"
                       f"  rows {n.get('rows', 0)}: +{n.get('created', 0)} ~{n.get('updated', 0)}"
                       f" ={n.get('unchanged', 0)} q{n.get('quarantined', 0)}  conflicts {b['open_conflicts']}")
        if not rows:
            say("No import batches yet.")

    @app.command("undo")
    def undo_cmd(ctx: typer.Context, batch_id: int = typer.Argument(..., min=1, max=MAX_ID),
                 as_json: bool = typer.Option(False, "--json")) -> None:
        """Take a committed batch back out of the ledger (restores updated members exactly)."""
        from partyledger.ledger.intake import batch_records

        with ledger_session(ctx) as session:
            counts = batch_records.undo_batch(session, batch_id, actor=actor())
        dropped = counts["duplicate_pairs_dropped"]
        say(f"Batch {batch_id} undone: {counts['deleted']} members removed, {counts['restored']} restored"
            + (f", {dropped} duplicate pair(s) with them taken out of the review queue." if dropped else "."))
        if as_json:
            emit_json({"batch_id": batch_id, **counts})

    app.add_typer(quarantine_app, name="quarantine")


@quarantine_app.command("list")
def quarantine_list(ctx: typer.Context, batch: Optional[int] = typer.Option(None, "--batch", min=1, max=MAX_ID),
                    all_states: bool = typer.Option(False, "--all", help="Include promoted and discarded rows."),
                    as_json: bool = typer.Option(False, "--json")) -> None:
    """Rows waiting in quarantine, with their raw cells and reasons."""
    from partyledger.ledger.intake.quarantine import list_quarantine

    with ledger_session(ctx) as session:
        rows = list_quarantine(session, batch_id=batch, state=None if all_states else "open")
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        cells = "; ".join(f"{k}={v}" for k, v in r["raw"].items())
        out(f"{r['id']:>5}  batch {r['batch_id']} row {r['row']}  [{', '.join(r['codes'])}]  {cells}")
    say(f"{len(rows)} row(s).")


def _parse_sets(values: list[str]) -> dict[str, str]:
    from partyledger.importers.mapping import FIELDS

    sets = {}
    for item in values:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in FIELDS:
            raise InvalidInput(f"--set {item!r}: expected FIELD=VALUE", "fields: " + ", ".join(sorted(FIELDS)))
        sets[name] = value.strip()
    return sets


@quarantine_app.command("fix")
def quarantine_fix(ctx: typer.Context, row_id: int = typer.Argument(..., min=1, max=MAX_ID, help="Quarantine id (see list)."),
                   sets: list[str] = typer.Option([], "--set", help="FIELD=VALUE, e.g. --set iin=900101300123"),
                   dayfirst: bool = typer.Option(True, "--day-first/--month-first"),
                   as_json: bool = typer.Option(False, "--json")) -> None:
    """Correct fields of a quarantined row and promote it to a member."""
    from partyledger.ledger.intake.quarantine import fix_row

    changes = _parse_sets(sets)
    with ledger_session(ctx) as session:
        done = fix_row(session, row_id, changes, units=ledger_rules(ctx, session).units, as_of=today(),
                       dayfirst=dayfirst, actor=actor())
    say(f"Row {row_id} promoted: member {done['member_id']} (IIN {done['iin']}).")
    if as_json:
        emit_json(done)


@quarantine_app.command("promote")
def quarantine_promote(ctx: typer.Context, row_id: int = typer.Argument(..., min=1, max=MAX_ID),
                       as_json: bool = typer.Option(False, "--json")) -> None:
    """Promote a quarantined row as it is (after the reason went away, e.g. a unit was added)."""
    quarantine_fix(ctx, row_id, [], True, as_json)


@quarantine_app.command("discard")
def quarantine_discard(ctx: typer.Context, row_id: int = typer.Argument(..., min=1, max=MAX_ID),
                       reason: str = typer.Option("", "--reason")) -> None:
    """Mark a quarantined row as not to be imported (it stays on record)."""
    from partyledger.ledger.intake.quarantine import discard_row

    with ledger_session(ctx) as session:
        discard_row(session, row_id, reason=reason, actor=actor())
    say(f"Row {row_id} discarded.")


@quarantine_app.command("export")
def quarantine_export(ctx: typer.Context, output: Path = typer.Option(..., "-o", "--output", help="xlsx to write."),
                      batch: Optional[int] = typer.Option(None, "--batch", min=1, max=MAX_ID),
                      force: bool = typer.Option(False, "--force", help="Overwrite the file if it exists."),
                      password: Optional[str] = typer.Option(None, "--password", help=PASSWORD_HELP),
                      ask_password: bool = typer.Option(False, "--ask-password", help=ASK_PASSWORD_HELP)) -> None:
    """Write the open quarantined rows as an xlsx error report for volunteers to correct."""
    from partyledger.exporters.error_report import write_error_report
    from partyledger.files import refuse_existing
    from partyledger.ledger.intake.quarantine import list_quarantine

    refuse_existing(output, force)
    secret = export_password(password, ask_password)
    with ledger_session(ctx) as session:
        rows = list_quarantine(session, batch_id=batch)
    try:
        n = write_error_report(output, rows, force=force, password=secret)
    except OSError as err:
        raise InvalidInput(f"cannot write {output}: {err.strerror}") from None
    say(f"Wrote {n} row(s) to {output}.")
    say(f"note: {output} contains personal data (the rows as typed: names, IINs, addresses); "
        + ("it is encrypted with the password given" if secret else
           "keep it encrypted (--password) and give it only to the volunteer who corrects it"))


@quarantine_app.command("values")
def quarantine_values(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Open rows grouped by reason and bad value, most rows first: fix a value once with `quarantine map`."""
    from partyledger.ledger.cleaning.text import visible
    from partyledger.ledger.intake.quarantine import value_groups

    with ledger_session(ctx) as session:
        groups = value_groups(session)
    if as_json:
        emit_json([{k: v for k, v in g.items() if k != "quarantine_ids"} | {"ids": g["quarantine_ids"]}
                   for g in groups])
        return
    for g in groups:
        value = f"{g['field']} {visible(g['value'])!r}" if g["value"] else f"{g['field'] or 'row'} (empty)"
        out(f"{g['rows']:>6} x  {value}: {g['reason']} [{g['code']}]")
    say(f"{len(groups)} group(s); map a region text to a unit once: partyledger quarantine map TEXT --unit CODE")


@quarantine_app.command("map")
def quarantine_map(ctx: typer.Context, text: str = typer.Argument(..., help="The region text as the sheet writes it."),
                   unit: str = typer.Option(..., "--unit", help="Unit code (see `partyledger rules units`)."),
                   dayfirst: bool = typer.Option(True, "--day-first/--month-first"),
                   as_json: bool = typer.Option(False, "--json")) -> None:
    """Map a region text to a unit: fix every open row with it, and remember it for later imports."""
    from partyledger.ledger.cleaning.text import visible
    from partyledger.ledger.intake.quarantine import map_region

    with ledger_session(ctx) as session:
        done = map_region(session, text, unit, units=ledger_rules(ctx, session).units, as_of=today(),
                          dayfirst=dayfirst, actor=actor())
    say(f"{visible(done['alias']['text'])!r} is unit {done['alias']['unit']} from now on: "
        f"{done['promoted']} row(s) promoted, {done['still_open']} still open"
        + (" (see `partyledger quarantine values`)." if done["still_open"] else "."))
    if as_json:
        emit_json(done)


@quarantine_app.command("aliases")
def quarantine_aliases(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Your own region texts and the units they stand for (made by `quarantine map`)."""
    from partyledger.ledger.cleaning.text import visible
    from partyledger.ledger.intake.aliases import list_aliases

    with ledger_session(ctx) as session:
        rows = list_aliases(session)
    if as_json:
        emit_json(rows)
        return
    for a in rows:
        out(f"{visible(a['text'])!r} -> {a['unit']}  (since {a['created_at']})")
    say(f"{len(rows)} alias(es); change one with `quarantine map TEXT --unit CODE`, remove it with `quarantine unmap TEXT`.")


@quarantine_app.command("unmap")
def quarantine_unmap(ctx: typer.Context, text: str = typer.Argument(..., help="The region text of the alias.")) -> None:
    """Forget a region alias: later imports read the text with the unit catalogue alone."""
    from partyledger.ledger.cleaning.text import visible
    from partyledger.ledger.intake.aliases import remove_alias

    with ledger_session(ctx) as session:
        gone = remove_alias(session, text, actor=actor())
    say(f"Alias {visible(gone['text'])!r} -> {gone['unit']} removed; members already placed keep their unit.")
