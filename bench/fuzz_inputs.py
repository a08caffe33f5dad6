"""Fuzz the import path and every command-line option that takes a value; print what happened.

    python bench/fuzz_inputs.py [--cases 3000] [--seed 1] [--options-only | --files-only]

Files: mutants of the spreadsheets in ``samples/`` (byte flips, truncation, zip entries tampered
with, rewritten or dropped, sizes and CRCs in zip headers that lie, huge cells, control and
invisible characters, formulas, wrong text encodings), each imported by the real command line
(``partyledger.cli.main`` in this process, exactly what the ``partyledger`` script runs: the same
argument parsing, the same error handling and exit codes) into a real encrypted ledger with the
fast test KDF. Options: every option and argument of every command, given hostile values
(numbers too large for SQLite, NaN, negative, empty, control characters, undecodable bytes,
100 KB strings, folders where files are expected).

Every case must end in success (exit 0, or 3 for ``report --fail-if-not-ready``) or exit 2 with
exactly one line on stderr; anything else (a traceback, another exit code, several lines, a case
running past ``TIMEOUT`` seconds) is listed with its input so it can be replayed. Peak memory is
the process's maximum resident set size. The mutators are also used by the test suite
(tests/importers/test_fuzz_import.py) on a few hundred cases.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import resource
import signal
import struct
import sys
import tempfile
import time
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("PARTYLEDGER_KDF_FAST", "1")
os.environ["PARTYLEDGER_LANG"] = "en"

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PASSPHRASE = "fuzz passphrase"
TIMEOUT = 60
HOSTILE_TEXT = ["\x1b[2J\x1b]0;x\x07", "\u202eevil", "\x00", "\x9b31m", "=HYPERLINK(\"http://e.x/?\"&A2,\"x\")",
                "+7 701 000 00 00", "@SUM(1)", "[/]", "\udcff\udcfe", "\U000e0041", "Я" * 40_000, "\t\r\n",
                "1e308", "-0", "NaN", "١٢٣٤٥٦٧٨٩٠١٢", "９００１０１３００１２３", "\ufeff\u200b", "<!ENTITY x 'y'>"]


# ---- mutators ---------------------------------------------------------------------------------

def _flip(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def build_zip(parts: dict[str, bytes], lie: dict[str, tuple[int, int]] | None = None,
              method: int = 8) -> bytes:
    """A zip of ``parts`` written byte by byte; ``lie`` sets a part's declared (size, CRC)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data in parts.items():
        if method == 8:
            packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            packed = packer.compress(data) + packer.flush()
        else:
            packed = data
        size, crc = (lie or {}).get(name, (len(data), zlib.crc32(data)))
        encoded = name.encode("utf-8", "surrogateescape")
        offset = out.tell()
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0, crc & 0xFFFFFFFF,
                              len(packed), size, len(encoded), 0) + encoded + packed)
        central.write(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, method, 0, 0,
                                  crc & 0xFFFFFFFF, len(packed), size, len(encoded), 0, 0, 0, 0, 0, offset)
                      + encoded)
    start, body = out.tell(), central.getvalue()
    out.write(body + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(body), start, 0))
    return out.getvalue()


def _sheet_name(parts: dict[str, bytes]) -> str:
    return next((n for n in parts if n.startswith("xl/worksheets/") and n.endswith(".xml")), next(iter(parts)))


def _inject_cells(xml: bytes, rng: random.Random) -> bytes:
    """Replace some inline/shared string texts or numbers in the sheet XML with hostile text."""
    text = xml.decode("utf-8", "replace")
    pieces = text.split("<v>")
    for i in range(1, len(pieces)):
        if rng.random() < 0.15:
            value = rng.choice(HOSTILE_TEXT)
            value = value.replace("&", "&amp;").replace("<", "&lt;")
            head, _, rest = pieces[i].partition("</v>")
            pieces[i] = f"{value}</v>{rest}"
    return "<v>".join(pieces).encode("utf-8", "surrogateescape")


def mutate_xlsx(seed: bytes, rng: random.Random) -> tuple[str, bytes]:
    """(kind of mutation, bytes of the mutant)."""
    kind = rng.choice(["flip", "truncate", "entry_flip", "entry_drop", "entry_dup", "size_lie", "crc_lie",
                       "cells", "shared_strings", "huge_cell", "dtd", "stored", "formula", "junk_part"])
    if kind == "flip":
        return kind, _flip(seed, rng)
    if kind == "truncate":
        return kind, _truncate(seed, rng)
    parts = _read_zip(seed)
    sheet = _sheet_name(parts)
    lie = None
    method = 8
    if kind == "entry_flip":
        name = rng.choice(list(parts))
        parts[name] = _flip(parts[name], rng) if parts[name] else b"\xff"
    elif kind == "entry_drop":
        parts.pop(rng.choice(list(parts)))
    elif kind == "entry_dup":
        name = rng.choice(list(parts))
        parts[name + rng.choice(["", "/", "\x00", "../x"])] = parts[name]
    elif kind in ("size_lie", "crc_lie"):
        data = parts[sheet]
        if kind == "size_lie":
            cut = data[: rng.randrange(1, max(2, len(data)))]
            lie = {sheet: (len(cut), zlib.crc32(cut))}
        else:
            lie = {sheet: (len(data), rng.randrange(2**32))}
    elif kind == "cells":
        parts[sheet] = _inject_cells(parts[sheet], rng)
    elif kind == "shared_strings" and "xl/sharedStrings.xml" in parts:
        parts["xl/sharedStrings.xml"] = _inject_cells(parts["xl/sharedStrings.xml"].replace(b"<t>", b"<v>")
                                                      .replace(b"</t>", b"</v>"), rng).replace(
            b"<v>", b"<t>").replace(b"</v>", b"</t>")
    elif kind == "huge_cell":
        parts[sheet] = parts[sheet].replace(b"<v>", b"<v>" + b"9" * rng.choice([40_000, 2_000_000]), 1)
    elif kind == "dtd":
        body = parts[sheet].split(b"?>", 1)[-1]
        parts[sheet] = (b'<?xml version="1.0"?><!--' + b"x" * rng.choice([10, 5000, 100_000]) +
                        b'--><!DOCTYPE a [<!ENTITY b "' + b"c" * 100 + b'">]>' + body)
    elif kind == "stored":
        method = 0
    elif kind == "formula":
        parts[sheet] = parts[sheet].replace(b"<v>", b"<f>HYPERLINK(\"http://e.x\",A1)</f><v>", 3)
    else:
        parts[f"xl/media/{rng.randrange(99)}.bin"] = os.urandom(rng.randrange(1, 5000))
    return kind, build_zip(parts, lie, method)


def mutate_csv(seed: bytes, rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(["flip", "truncate", "control", "formula", "huge_cell", "utf16_nobom", "latin1", "mixed",
                       "nul", "quotes", "long_line", "many_columns", "bom_only", "separators"])
    text = seed.decode("utf-8", "replace") if not seed.startswith(b"\xef\xbb\xbf") else seed[3:].decode("utf-8", "replace")
    if kind == "flip":
        return kind, _flip(seed, rng)
    if kind == "truncate":
        return kind, _truncate(seed, rng)
    lines = text.splitlines()
    if kind in ("control", "formula"):
        pool = HOSTILE_TEXT if kind == "control" else ["=1+1", "=HYPERLINK(\"http://e\";A1)", "@x", "+1", "-1"]
        for _ in range(rng.randint(1, 10)):
            i = rng.randrange(1, len(lines)) if len(lines) > 1 else 0
            cells = lines[i].split(";")
            cells[rng.randrange(len(cells))] = rng.choice(pool).replace("\n", " ").replace(";", ",")
            lines[i] = ";".join(cells)
        return kind, "\n".join(lines).encode("utf-8", "surrogateescape")
    if kind == "huge_cell":
        lines.insert(1 + rng.randrange(max(1, len(lines) - 1)), ";".join(["7" * rng.choice([50_000, 900_000])] * 3))
        return kind, "\n".join(lines).encode()
    if kind == "utf16_nobom":
        return kind, text.encode("utf-16-le")
    if kind == "latin1":
        return kind, text.encode("utf-8").decode("latin-1").encode("utf-8")
    if kind == "mixed":
        head, tail = text[: len(text) // 2], text[len(text) // 2:]
        return kind, head.encode("utf-8") + tail.encode("cp1251", "replace")
    if kind == "nul":
        data = bytearray(seed)
        data[rng.randrange(len(data))] = 0
        return kind, bytes(data)
    if kind == "quotes":
        return kind, text.replace(";", ';"', rng.randint(1, 5)).encode()
    if kind == "long_line":
        return kind, (text + "\n" + "x" * (2 * 2**20)).encode()
    if kind == "many_columns":
        return kind, (lines[0] + ";" * 20_000 + "\n" + "\n".join(lines[1:])).encode()
    if kind == "bom_only":
        return kind, b"\xef\xbb\xbf"
    return kind, text.replace(";", rng.choice([",", "\t", "|", "\x1c", ";;"])).encode()


# ---- running one case -------------------------------------------------------------------------

@dataclass
class Outcome:
    kind: str                     # "success", "exit2", or "other"
    code: int | None
    stderr: str
    seconds: float


class _Timeout(BaseException):
    pass


def _alarm(signum, frame):  # noqa: ANN001
    raise _Timeout()


def run_cli(argv: list[str], stdin: str = "", timeout: int = TIMEOUT) -> Outcome:
    """``partyledger ARGV`` in this process, through ``cli.main`` (what the script runs)."""
    from partyledger import cli

    err, out = io.StringIO(), io.StringIO()
    saved = sys.argv, sys.stdin
    sys.argv, sys.stdin = ["partyledger", *argv], io.StringIO(stdin)
    started = time.perf_counter()
    code: int | None = None
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            cli.main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except _Timeout:
        return Outcome("other", None, f"HANG: still running after {timeout} s", time.perf_counter() - started)
    except BaseException as crash:  # noqa: BLE001 - exactly what the fuzzer is looking for
        import traceback

        return Outcome("other", None, _short("".join(traceback.format_exception(crash))),
                       time.perf_counter() - started)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sys.argv, sys.stdin = saved
    text = err.getvalue()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    seconds = time.perf_counter() - started
    if code in (0, 3) and "Traceback" not in text:
        return Outcome("success", code, text, seconds)
    errors = [ln for ln in lines if ln.startswith("partyledger") and ": " in ln]
    if code == 2 and "Traceback" not in text and len(errors) == 1 and lines[-1] == errors[0]:
        # one line saying what is wrong; an import may have said "Importing X" before a late error
        return Outcome("exit2", code, text, seconds)
    return Outcome("other", code, _short(text), seconds)


def _short(text: str) -> str:
    """The last lines of a traceback or an error, each cut to 200 characters (values can be 100 KB)."""
    return "\n".join(line[:200] for line in text.splitlines()[-25:])


# ---- the ledger and the cases -------------------------------------------------------------------

def make_ledger(folder: Path) -> tuple[Path, list[str]]:
    """A real encrypted ledger with a few members, an import batch and quarantined rows."""
    from datetime import date

    from partyledger.ledger.storage import db
    from partyledger.ledger.members import service
    from partyledger.ledger.models import MemberDraft
    from partyledger.synthetic import make_people

    path = folder / "fuzz.db"
    engine = db.create_ledger(path, PASSPHRASE, party_name="Fuzz", fast_kdf=True)
    people = make_people(6, seed=5)
    with db.session_scope(engine) as s:
        for p in people:
            service.add_member(s, MemberDraft(iin=p.iin, surname=p.surname, given_name=p.given_name,
                                              birth_date=p.birth_date, sex=p.sex, unit_code=p.unit_code,
                                              joined_on=date(2024, 5, 1)))
    engine.dispose()
    os.environ["PARTYLEDGER_PASSPHRASE"] = PASSPHRASE
    run_cli(["--db", str(path), "import", str(SAMPLES / "messy.xlsx")])
    return path, [p.iin for p in people]


def file_cases(n: int, rng: random.Random, folder: Path):
    """``n`` mutated files: (seed name, mutation, path)."""
    seeds = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".xlsx", ".csv"))
    data = {p: p.read_bytes() for p in seeds}
    for i in range(n):
        seed = rng.choice(seeds)
        kind, mutant = (mutate_xlsx if seed.suffix == ".xlsx" else mutate_csv)(data[seed], rng)
        suffix = seed.suffix if rng.random() < 0.9 else rng.choice([".csv", ".xlsx", ".txt"])
        path = folder / f"case{i:05d}{suffix}"
        path.write_bytes(mutant)
        yield seed.name, kind, path


OPTION_VALUES = ["", " ", "-1", "0", "99999999999999999999999", "-99999999999999999999", "1e309", "nan", "inf",
                 "-inf", "0x10", "1_000", "٣", "\x1b[2J\x07", "\u202eabc", "\udcff\udcfe", "a" * 100_000, ".", "/",
                 "/dev/null", "/dev/zero", "no_such_dir/x.xlsx", "-", "--json", "2026-02-30", "9999-12-31",
                 "0001-01-01", "2026-13-01", "x\ny", "x=y", "=", "iin=", "surname=\x1b", "[/]", "%s%n", "../x"]
SKIP = {"tui", "demo"}                        # they start the terminal app
DESTRUCTIVE = {"lock", "restore", "passphrase"}  # run on a copy, so later cases still open the ledger


def _commands():
    import typer.main

    from partyledger.cli import app

    def walk(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                yield from walk(sub, path + [name])
        elif path[0] not in SKIP:
            yield path, cmd.params

    return list(walk(typer.main.get_command(app), []))


def option_cases(ledger: Path, iins: list[str], folder: Path, rng: random.Random):
    """(option named, argv, stdin) for every valued option and argument of every command, each hostile value."""
    defaults = {"file": str(SAMPLES / "semicolon.csv"), "iin": iins[0], "keep": iins[0], "absorb": iins[1],
                "a": iins[0], "b": iins[1], "batch_id": "1", "row_id": "1", "merge_id": "1", "region": "Алматы",
                "surname": "Иванов", "given_name": "Иван", "unit": "75", "output": None}
    counter = iter(range(10**9))

    def throwaway() -> str:
        """A copy of the ledger for commands that may re-key, restore over or lock it."""
        import shutil

        copy = folder / f"copy{next(counter)}.db"
        shutil.copy(ledger, copy)
        shutil.copy(str(ledger) + ".key.json", str(copy) + ".key.json")
        return str(copy)

    for path, params in _commands():
        valued = [p for p in params if not getattr(p, "is_flag", False) and p.name != "help"]
        for target in valued:
            for value in OPTION_VALUES:
                argv = ["--db", str(ledger)]
                if path == ["init"]:
                    argv = ["--db", str(folder / f"init{next(counter)}.db")]
                elif path[0] in DESTRUCTIVE:
                    argv = ["--db", throwaway()]
                argv += path
                for p in valued:
                    if p is target:
                        given = value
                    elif p.required:
                        given = defaults.get(p.name) or str(folder / f"out{next(counter)}.xlsx")
                    else:
                        continue
                    if p.param_type_name == "argument":
                        argv += ["--", given] if given.startswith("-") else [given]
                    else:
                        argv += [p.opts[-1], given]
                if argv.count("--") > 1 or ("--" in argv and argv.index("--") < len(argv) - 2):
                    argv = [a for a in argv if a != "--"]          # one positional after "--" at most
                yield " ".join(path + [target.opts[-1]]), argv, "q\n"
    for value in OPTION_VALUES:                                       # the global options
        yield "--db", ["--db", value, "campaign", "show"], ""
        yield "--rules", ["--db", str(ledger), "--rules", value, "report", "--as-of", "2026-06-01"], ""
        yield "--passphrase-file", ["--db", str(ledger), "--passphrase-file", value, "campaign", "show"], "x\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=3000, help="mutated files to import")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--options-only", action="store_true")
    parser.add_argument("--files-only", action="store_true")
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (6 * 2**30, 6 * 2**30))      # a runaway case fails, not the machine
    rng = random.Random(args.seed)
    tally: Counter = Counter()
    by_kind: dict[str, Counter] = {}
    findings: list[tuple[str, Outcome]] = []
    slowest = (0.0, "")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="plfuzz") as tmp:
        folder = Path(tmp)
        os.chdir(folder)                      # relative paths in option values land here
        ledger, iins = make_ledger(folder)
        jobs = []
        if not args.options_only:
            for seed, kind, path in file_cases(args.cases, rng, folder):
                argv = ["--db", str(ledger), "import", str(path)] + (["--dry-run"] if rng.random() < 0.8 else [])
                jobs.append((f"file:{seed}:{kind}", argv, ""))
        if not args.files_only:
            jobs += [(f"option:{name}", a, stdin) for name, a, stdin in option_cases(ledger, iins, folder, rng)]
        for n, (label, argv, stdin) in enumerate(jobs, 1):
            outcome = run_cli(argv, stdin)
            tally[outcome.kind] += 1
            by_kind.setdefault(label.split(":")[0] + ":" + label.split(":")[-1], Counter())[outcome.kind] += 1
            if outcome.seconds > slowest[0]:
                slowest = (outcome.seconds, label)
            if outcome.kind == "other":
                findings.append((f"{label} {[a[:60] for a in argv]!r}", outcome))
                print(f"OTHER: {findings[-1][0]}\n  exit {outcome.code}: {outcome.stderr.strip()}",
                      flush=True)
            if n % 250 == 0:
                peak_now = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"  {n} cases, {dict(tally)}, peak {peak_now:.0f} MB, {time.perf_counter() - started:.0f} s",
                      file=sys.stderr, flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cases tried: {sum(tally.values())} in {time.perf_counter() - started:.0f} s "
          f"(files {args.cases if not args.options_only else 0}, options {sum(tally.values()) - (0 if args.options_only else args.cases)})")
    print(f"outcomes: success {tally['success']}, exit 2 with one line {tally['exit2']}, other {tally['other']}")
    print(f"peak memory (max RSS of the fuzzing process): {peak:.0f} MB; slowest case {slowest[0]:.1f} s ({slowest[1]})")
    for label, counts in sorted(by_kind.items()):
        print(f"  {label:40} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    sys.exit(1 if findings else 0)


if __name__ == "__main__":
    main()
