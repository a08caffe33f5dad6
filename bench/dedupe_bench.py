"""Dedupe benchmark: recall, precision and speed of ``dedupe.scan`` on planted ground truth.

usage: python bench/dedupe_bench.py [N ...] [--seed 42] [--threshold 60]      (default N: 100000)

For each N: generates the truth (``bench/dedupe_truth.py``), loads it once into an encrypted ledger
cached in ``bench/out/`` (real argon2id KDF, SQLAlchemy Core bulk insert, keys from ``translit`` as the
service computes them), then runs the measurement in a fresh process so the memory figure belongs
to the scan alone:
  baseline  a bare ``SELECT iin, surname, given_name FROM member`` over the same ledger, all rows fetched
  scan      ``dedupe.scan`` end to end: read, block, compare, write the review queue, commit
(each in its own process after opening the ledger; the OS page cache is warm for both)
and prints the ratio scan/baseline, peak RSS, and precision/recall of the queue against the truth at
the threshold, with recall per planted kind and the look-alikes that slipped in.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

OUT = Path(__file__).parent / "out"
PASSPHRASE = "bench only: synthetic data"


def build_ledger(n: int, seed: int) -> tuple[Path, Path]:
    """The cached ledger and truth file for ``n`` members (built on the first run only)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from dedupe_truth import VERSION, generate, write

    db, truth_path = OUT / f"dedupe_{n}_{seed}_v{VERSION}.db", OUT / f"truth_{n}_{seed}_v{VERSION}.csv"
    if db.exists() and truth_path.exists():
        return db, truth_path
    from sqlalchemy import insert

    from partyledger.ledger.cleaning.translit import match_keys
    from partyledger.ledger.enums import MemberStatus
    from partyledger.ledger.models import Member
    from partyledger.ledger.storage.db import create_ledger, raw_connection

    t = time.perf_counter()
    rows, truth, negatives = generate(n, seed=seed)
    write(rows, truth, negatives, OUT, n, tag=f"{n}_{seed}_v{VERSION}")
    print(f"  generated {n:,} rows in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    t = time.perf_counter()
    for leftover in (db, Path(f"{db}.key.json")):
        leftover.unlink(missing_ok=True)
    engine = create_ledger(db, PASSPHRASE)
    now = datetime.utcnow()
    table = Member.__table__
    with raw_connection(engine) as conn:
        for start in range(0, len(rows), 20000):
            chunk = [{"iin": r.iin, "surname": r.surname.strip(), "given_name": r.given_name.strip(),
                      "patronymic": r.patronymic and r.patronymic.strip(), "birth_date": r.birth_date,
                      "sex": r.sex, "unit_code": r.unit_code, "locality": r.locality, "address": r.address,
                      "phone": r.phone, "joined_on": r.joined_on, "status": MemberStatus.ACTIVE,
                      **match_keys(r.surname, r.given_name, r.patronymic), "created_at": now, "updated_at": now}
                     for r in rows[start:start + 20000]]
            conn.execute(insert(table), chunk)
    engine.dispose()
    print(f"  loaded into {db} in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    return db, truth_path


def measure(db: Path, threshold: int, what: str) -> dict:
    """Run in a fresh process (one per measurement, so peak RSS belongs to it alone)."""
    from sqlalchemy import text

    from partyledger.ledger.storage.db import open_ledger, session_scope
    from partyledger.ledger.dedupe.scan import scan

    t0 = time.perf_counter()
    engine = open_ledger(db, PASSPHRASE)
    opened = time.perf_counter() - t0
    rss_open = _reset_peak()
    t = time.perf_counter()
    if what == "baseline":
        with engine.connect() as conn:
            n = len(conn.execute(text("SELECT iin, surname, given_name FROM member")).fetchall())
        out = {"members": n}
    else:
        with session_scope(engine) as session:
            result = scan(session, threshold=threshold)
        out = {"members": result.members, "compared": result.compared,
               "pairs": [[c.iin_a, c.iin_b, c.score] for c in result.candidates]}
    out.update(seconds=time.perf_counter() - t, open_s=opened, rss_open_mb=rss_open,
               rss_peak_mb=_status("VmHWM"))
    engine.dispose()
    return out


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> float:
    """Current RSS in MB, and restart the peak from here: argon2id's memory at open is not the scan's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return _status("VmRSS")


def _child(db: Path, threshold: int, what: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--measure", str(db), "--what", what, "--threshold",
                           str(threshold)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def evaluate(n: int, seed: int, threshold: int) -> None:
    db, truth_path = build_ledger(n, seed)
    base = _child(db, threshold, "baseline")
    m = _child(db, threshold, "scan")
    truth, negatives = {}, {}
    with truth_path.open() as f:
        for row in csv.DictReader(f):
            (truth if row["same_person"] == "1" else negatives)[(row["iin_a"], row["iin_b"])] = row["kind"]
    predicted = {tuple(sorted(p[:2])) for p in m["pairs"]}
    tp = predicted & truth.keys()
    precision, recall = len(tp) / max(1, len(predicted)), len(tp) / len(truth)
    print(f"\n{m['members']:,} members, {len(truth):,} planted duplicates, {len(negatives):,} look-alikes "
          f"(threshold {threshold})")
    print(f"  baseline SELECT iin, surname, given_name: {base['seconds']:6.2f}s  peak RSS {base['rss_peak_mb']:5.0f} MB")
    print(f"  dedupe scan (read, block, score, store):  {m['seconds']:6.2f}s  peak RSS {m['rss_peak_mb']:5.0f} MB"
          f"  = {m['seconds'] / base['seconds']:.1f}x baseline time")
    print(f"  {m['compared']:,} pairs compared; ledger open incl. argon2id KDF {m['open_s']:.2f}s, "
          f"RSS after open {m['rss_open_mb']:.0f} MB (peaks are counted from there)")
    print(f"  queued {len(predicted):,}; TP {len(tp):,}; FP {len(predicted) - len(tp):,}; FN {len(truth) - len(tp):,}")
    print(f"  precision {precision:.4f}  recall {recall:.4f}")
    kinds = Counter(truth.values())
    found = Counter(truth[p] for p in tp)
    for kind in sorted(kinds):
        print(f"    recall {kind:<18} {found[kind] / kinds[kind]:.4f} ({kinds[kind]:,})")
    from partyledger.ledger.dedupe.thresholds import HIGH_CONFIDENCE

    high = {tuple(sorted(p[:2])) for p in m["pairs"] if p[2] >= HIGH_CONFIDENCE}
    high_wrong = Counter(negatives.get(p, "unplanted") for p in high - truth.keys())
    print(f"  high-confidence (>= {HIGH_CONFIDENCE}, counted once by the report): {len(high):,}; "
          f"true {len(high & truth.keys()):,}; wrong by kind: {dict(high_wrong) or 'none'}")
    slipped = Counter(negatives.get(p, "unplanted") for p in predicted - truth.keys())
    print(f"  false positives by kind: {dict(slipped) or 'none'} "
          f"(look-alikes kept apart: {1 - sum(v for k, v in slipped.items() if k != 'unplanted') / max(1, len(negatives)):.4f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[100000])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threshold", type=int, default=None)
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--what", default="scan", help=argparse.SUPPRESS)
    a = ap.parse_args()
    from partyledger.ledger.dedupe.thresholds import DEFAULT_THRESHOLD

    threshold = DEFAULT_THRESHOLD if a.threshold is None else a.threshold
    if a.measure:
        print(json.dumps(measure(a.measure, threshold, a.what)))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"dedupe benchmark {date.today()}", file=sys.stderr)
    for n in a.sizes:
        evaluate(n, a.seed, threshold)


if __name__ == "__main__":
    main()
