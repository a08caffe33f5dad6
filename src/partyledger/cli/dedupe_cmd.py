"""``partyledger dedupe scan|list|review|merge|unmerge|different``: find and resolve duplicate members.

Members are named by IIN on the command line (the ids are internal). ``review`` is a plain line
dialogue rather than a full-screen app so that it works over ssh, in a bare terminal and with piped
input (``printf 'd\\nm\\nq\\n' | partyledger dedupe review``): it shows one pair side by side with
the reasons and their weights, then reads one key per line. End of input is the same as ``q``.
Every decision is committed as it is made, so quitting half-way loses nothing.
"""

from __future__ import annotations

import sys
from typing import Any, Optional

import typer

from partyledger.cli.context import MAX_ID, actor, emit_json, ledger_session, out, progress_to_stderr, say

dedupe_app = typer.Typer(help="Find and resolve members entered twice (typo'd IINs, other scripts).",
                         no_args_is_help=True)

_SHOWN = ("iin", "surname", "given_name", "patronymic", "birth_date", "sex", "unit_code", "locality", "address",
          "phone", "email", "joined_on", "status", "batch_id", "source_row")



def _pair_dict(row, a, b) -> dict[str, Any]:
    return {"iin_a": row.iin_a, "iin_b": row.iin_b, "score": row.score, "decision": row.decision.value,
            "name_a": _name(a), "name_b": _name(b), "reasons": row.reasons}


def _name(member) -> str:
    if member is None:
        return "(no longer in the ledger)"
    return " ".join(p for p in (member.surname, member.given_name, member.patronymic) if p)


def _line(row, a, b) -> str:
    return f"{row.score:>5.0f}  {row.iin_a}  {_name(a):<36.36}  {row.iin_b}  {_name(b):<36.36}  {row.decision.value}"


@dedupe_app.command("scan")
def scan_cmd(ctx: typer.Context,
             as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
             threshold: Optional[int] = typer.Option(None, "--threshold", min=1, max=100,
                                                     help="Lowest score (1-100) queued for review (default 60).")) -> None:
    """Look for members entered twice and fill the review queue."""
    from partyledger.ledger.dedupe.scan import scan
    from partyledger.ledger.dedupe.thresholds import DEFAULT_THRESHOLD, HIGH_CONFIDENCE

    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    with ledger_session(ctx) as session, progress_to_stderr("looking for duplicates") as on_progress:
        result = scan(session, threshold=limit, on_progress=on_progress)
    high = sum(1 for c in result.candidates if c.score >= HIGH_CONFIDENCE)
    if as_json:
        emit_json({"members": result.members, "compared": result.compared, "threshold": limit,
                   "candidates": len(result.candidates), "new": result.new, "high_confidence": high,
                   "pairs": [{"iin_a": c.iin_a, "iin_b": c.iin_b, "score": c.score,
                              "reasons": [r.as_dict() for r in c.reasons]} for c in result.candidates]})
        return
    say(f"{result.members:,} members, {result.compared:,} pairs compared: {len(result.candidates):,} possible "
        f"duplicates ({result.new:,} new, {high:,} at {HIGH_CONFIDENCE}+)"
        + (". Review them with: partyledger dedupe review" if result.candidates else ""))
    for c in result.candidates[:20]:
        out(f"{c.score:>5}  {c.iin_a}  {c.iin_b}  " + ", ".join(r.code for r in c.reasons))
    if len(result.candidates) > 20:
        say(f"... and {len(result.candidates) - 20:,} more: partyledger dedupe list")


@dedupe_app.command("list")
def list_cmd(ctx: typer.Context,
             as_json: bool = typer.Option(False, "--json", help="Print JSON."),
             include_decided: bool = typer.Option(False, "--all", help="Also pairs already decided."),
             merges: bool = typer.Option(False, "--merges", help="List the merges (ids for unmerge) instead.")) -> None:
    """The review queue (highest score first), or the merges done so far."""
    from partyledger.ledger.dedupe.queue import review_queue

    with ledger_session(ctx) as session:
        if merges:
            _list_merges(session, as_json)
            return
        pairs = review_queue(session, include_decided=include_decided)
    if as_json:
        emit_json([_pair_dict(*p) for p in pairs])
        return
    if not pairs:
        say("no pairs to review (run: partyledger dedupe scan)")
    for p in pairs:
        out(_line(*p))


def _list_merges(session, as_json: bool) -> None:
    from partyledger.ledger.dedupe.queue import merge_history

    merges = [{"merge_id": m.merge_id, "kept_iin": m.kept_iin, "absorbed_iin": m.absorbed_iin,
               "absorbed_name": m.absorbed_name, "merged_at": m.merged_at.isoformat(),
               "undone_at": m.undone_at and m.undone_at.isoformat()} for m in merge_history(session)]
    if as_json:
        emit_json(merges)
        return
    for m in merges:
        state = f"undone {m['undone_at'][:16]}" if m["undone_at"] else "active"
        out(f"{m['merge_id']:>5}  kept {m['kept_iin']}  absorbed {m['absorbed_iin']} {m['absorbed_name']}  "
              f"{m['merged_at'][:16]}  {state}")


def _side_by_side(a, b, row) -> str:
    from partyledger.ledger.members.service import member_dict

    da, db = member_dict(a), member_dict(b)
    lines = [f"pair {row.iin_a} / {row.iin_b}   score {row.score:.0f} of 100", ""]
    lines.append(f"  {'':<12} {'A (kept on merge)':<40} B")
    for field in _SHOWN:
        va, vb = da.get(field), db.get(field)
        mark = " " if va == vb else "*"
        lines.append(f"{mark} {field:<12} {'' if va is None else str(va):<40.40} {'' if vb is None else vb}")
    lines.append("")
    lines.append("  why:")
    for r in row.reasons:
        lines.append(f"    {r['weight']:>+4}  {r['code']:<22} {r['detail']}")
    return "\n".join(lines)


@dedupe_app.command("review")
def review_cmd(ctx: typer.Context,
               min_score: float = typer.Option(0, "--min-score", help="Only pairs scoring at least this.")) -> None:
    """Walk the queue: m = merge (keep A), d = different people, s = skip, q = quit."""
    from partyledger.ledger.dedupe.merge import decide, merge
    from partyledger.ledger.dedupe.queue import review_queue
    from partyledger.ledger.enums import Decision

    counts = {"merged": 0, "different": 0, "skipped": 0}
    absorbed: set[int] = set()
    with ledger_session(ctx) as session:
        pairs = review_queue(session, min_score=min_score)
        if not pairs:
            say("no pairs to review (run: partyledger dedupe scan)")
        for n, (row, a, b) in enumerate(pairs, 1):
            if a is None or b is None or a.id in absorbed or b.id in absorbed:
                continue                       # absorbed by a merge earlier in this walk
            out(f"\n[{n}/{len(pairs)}] " + _side_by_side(a, b, row))
            key = _ask()
            if key == "q":
                break
            if key == "m":
                m = merge(session, a.id, b.id, actor=actor())
                session.commit()
                absorbed.add(b.id)
                counts["merged"] += 1
                say(f"merged: kept {a.iin}, absorbed {row.iin_b} (undo: partyledger dedupe unmerge {m.id})")
            elif key == "d":
                decide(session, a.id, b.id, Decision.DIFFERENT, actor=actor())
                session.commit()
                counts["different"] += 1
                say("marked as different people: this pair will not be proposed again")
            else:
                counts["skipped"] += 1
    say(f"{counts['merged']} merged, {counts['different']} marked different, {counts['skipped']} skipped")


def _ask() -> str:
    """One answer per line from stdin; anything unknown asks again, end of input quits."""
    while True:
        sys.stderr.write("[m]erge (keep A)  [d]ifferent people  [s]kip  [q]uit > ")
        sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            sys.stderr.write("\n")
            return "q"
        key = line.strip().lower()[:1]
        if key in ("m", "d", "s", "q"):
            return key
        say("please answer m, d, s or q")


@dedupe_app.command("merge")
def merge_cmd(ctx: typer.Context, keep: str = typer.Argument(..., help="IIN of the record to keep."),
              absorb: str = typer.Argument(..., help="IIN of the record to fold into it."),
              as_json: bool = typer.Option(False, "--json", help="Print the merge as JSON.")) -> None:
    """Merge two records of one person: keep A, fill its empty fields from B, move B's roles."""
    from partyledger.ledger.dedupe.merge import merge
    from partyledger.ledger.members.service import get_member

    with ledger_session(ctx) as session:
        a, b = get_member(session, keep), get_member(session, absorb)
        m = merge(session, a.id, b.id, actor=actor())
        info = {"merge_id": m.id, "kept_iin": a.iin, "absorbed_iin": m.absorbed["member"]["iin"],
                "filled": sorted(m.conflicts["filled"]),
                "differs": {k: v for k, v in m.conflicts["differs"].items() if k != "iin"}}
    if as_json:
        emit_json(info)
        return
    say(f"merged: kept {info['kept_iin']}, absorbed {info['absorbed_iin']}; merge {info['merge_id']} "
        f"(undo: partyledger dedupe unmerge {info['merge_id']})")
    if info["filled"]:
        say("filled from the absorbed record: " + ", ".join(info["filled"]))
    for field, v in info["differs"].items():
        say(f"kept {field} {v['kept']!s}; the absorbed record had {v['absorbed']!s}")


@dedupe_app.command("unmerge")
def unmerge_cmd(ctx: typer.Context, merge_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The merge id (dedupe list --merges).")) -> None:
    """Undo a merge: both records come back as they were."""
    from partyledger.ledger.dedupe.merge import unmerge

    with ledger_session(ctx) as session:
        m = unmerge(session, merge_id, actor=actor())
        restored = m.absorbed["member"]["iin"]
    say(f"merge {merge_id} undone: {restored} is back in the ledger")


@dedupe_app.command("different")
def different_cmd(ctx: typer.Context, a: str = typer.Argument(..., help="IIN of one member."),
                  b: str = typer.Argument(..., help="IIN of the other.")) -> None:
    """Record that two members are different people; the pair is never proposed again."""
    from partyledger.ledger.dedupe.merge import decide
    from partyledger.ledger.enums import Decision
    from partyledger.ledger.members.service import get_member

    with ledger_session(ctx) as session:
        ma, mb = get_member(session, a), get_member(session, b)
        decide(session, ma.id, mb.id, Decision.DIFFERENT, actor=actor())
    say(f"{ma.iin} and {mb.iin} are recorded as different people")


def register(app: typer.Typer) -> None:
    """Attach the ``dedupe`` group to the root app."""
    app.add_typer(dedupe_app, name="dedupe")
