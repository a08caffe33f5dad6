"""Rules speed: unit resolution and rule loading against raw baselines measured in the same run.

usage: .venv/bin/python bench/rules_bench.py [--calls 200000] [--seed 7]

- resolve (warm): ``UnitCatalogue.resolve`` over region/locality cells as sheets repeat them (a few
  hundred spellings, many dates), against a bare ``dict.get`` of the exact text (the cheapest possible
  lookup, which would not handle case, Kazakh letters, dates or splits).
- resolve (cold): every spelling once with all caches cleared: the cost of the first sight of a spelling.
- unit_on: the report's call, once per (stored code, locality) group, warm.
- load: ``load_rules`` parsing and checking rules.toml + units.toml, against bare ``tomllib.loads``.
Not run by the test suite.
"""

from __future__ import annotations

import argparse
import random
import time
import tomllib
from datetime import date, timedelta

from partyledger.rules import load_rules, shipped_rules_dir
from partyledger.rules import loader, textkey


def _spellings(units_file: dict) -> list[str]:
    out = []
    for unit in units_file["unit"]:
        for text in [unit["en"], unit["ru"], unit["kk"], *unit.get("aliases", [])]:
            out += [text, text.upper(), text.lower(), f"{text} обл.", f"г. {text}"]
    return out


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    kz = shipped_rules_dir() / "kz"
    units_raw = tomllib.loads((kz / "units.toml").read_text(encoding="utf-8"))
    spellings = _spellings(units_raw)
    localities = [None, None, None] + [n for loc in units_raw["locality"] for n in loc["names"]]
    start = date(2003, 1, 1)
    days = [start + timedelta(days=rng.randrange(8000)) for _ in range(2000)]
    # A sheet repeats a few hundred (region, locality) spellings over many rows.
    pairs = [(rng.choice(spellings), rng.choice(localities)) for _ in range(600)]
    cells = [(*rng.choice(pairs), rng.choice(days)) for _ in range(args.calls)]
    catalogue = load_rules("KZ").units
    exact = {s: "x" for s in spellings}

    base = _timed(lambda: [exact.get(r) for r, _, _ in cells])
    warm = _timed(lambda: [catalogue.resolve(r, loc, as_of=d) for r, loc, d in cells])
    ok = sum(catalogue.resolve(r, loc, as_of=d).ok for r, loc, d in cells[:20000])

    distinct = sorted({(r, loc) for r in spellings for loc in localities[2:80]}, key=str)
    def cold() -> None:
        catalogue._resolve.cache_clear()
        textkey._cached_key.cache_clear()
        for r, loc in distinct:
            catalogue.resolve(r, loc, as_of=date(2023, 1, 1))
    cold_s = _timed(cold)

    groups = [(rng.choice(["10", "19", "33", "35", "51", "61", "63", "71", "75", "79"]), rng.choice(localities))
              for _ in range(1000)]
    group_calls = [(c, loc, rng.choice(days)) for c, loc in groups for _ in range(20)]
    catalogue.unit_on("63", None, date(2023, 1, 1))
    unit_on_s = _timed(lambda: [catalogue.unit_on(c, loc, d) for c, loc, d in group_calls])
    unit_on_base = _timed(lambda: [exact.get(c) for c, _, _ in group_calls])

    texts = [(kz / "rules.toml").read_text(encoding="utf-8"), (kz / "units.toml").read_text(encoding="utf-8")]
    raw_load = min(_timed(lambda: [tomllib.loads(t) for t in texts]) for _ in range(5))
    def full_load() -> None:
        loader._load_cached.cache_clear()
        load_rules("KZ")
    our_load = min(_timed(full_load) for _ in range(5))

    n = len(cells)
    print(f"resolve warm : {n / warm:12,.0f} calls/s   baseline dict.get {n / base:12,.0f}/s   "
          f"ratio {warm / base:5.1f}x slower   ({ok / 200:.1f}% of sampled cells ok)")
    print(f"resolve cold : {len(distinct) / cold_s:12,.0f} spellings/s ({len(distinct):,} distinct, "
          f"{cold_s * 1000:.0f} ms for all)")
    print(f"unit_on warm : {len(group_calls) / unit_on_s:12,.0f} calls/s   baseline dict.get "
          f"{len(group_calls) / unit_on_base:12,.0f}/s   ratio {unit_on_s / unit_on_base:5.1f}x slower")
    print(f"load_rules   : {our_load * 1000:8.1f} ms      bare tomllib.loads {raw_load * 1000:6.1f} ms   "
          f"ratio {our_load / raw_load:5.1f}x")


if __name__ == "__main__":
    main()
