"""Readiness scenarios as data: members, dates, and what the report must say on each date.

Each ``*.toml`` here builds a real in-memory ledger (the full schema, indexes included) and checks
``assess_readiness`` against the shipped KZ rules: counts, exclusions by primary reason, units, the
verdict. The member-by-member listing (``member_verdicts``) must give every member the expected
primary reason and agree with the SQL counts. The last test fails if the rules gain a change date
(law or unit catalogue) without a check on the day before and the day itself.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from report.builder import check_in, give_role, insert_members, member_row, pair

from partyledger.ledger.storage import db
from partyledger.ledger.members.campaign import update_campaign
from partyledger.report import assess_readiness
from partyledger.report.members import member_verdicts
from partyledger.rules import load_rules

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("*.toml"))
MEMBER_KEYS = {"born", "unit", "locality", "joined", "status", "status_on", "citizen", "other_party", "barred",
               "consent", "bad_checksum", "no_birth_date", "surname"}
BULK_KEYS = MEMBER_KEYS - {"surname"} | {"no_joined"}


def _row(spec: dict):
    """``member_row`` from a member or bulk table; ``no_joined = true`` leaves the joining date blank."""
    values = {k: v for k, v in spec.items() if k in MEMBER_KEYS}
    if spec.get("no_joined"):
        values["joined"] = None
    return member_row(**values)


def _build(spec: dict):
    engine = db.memory_engine()
    labels: dict[str, int] = {}
    with db.session_scope(engine) as s:
        if "campaign" in spec:
            update_campaign(s, **spec["campaign"])
        rows, names, roles = [], [], []
        for m in spec.get("member", []):
            unknown = set(m) - MEMBER_KEYS - {"key", "roles", "checkin", "no_joined"}
            assert not unknown, f"unknown member keys {unknown}"
            rows.append(_row(m))
            names.append(m["key"])
            roles.append((m.get("roles", []), m.get("checkin", False), None, None))
        for b in spec.get("bulk", []):
            unknown = set(b) - BULK_KEYS - {"count", "group", "committee", "checkin", "role_since", "checkin_at"}
            assert not unknown, f"unknown bulk keys {unknown}"
            for i in range(b["count"]):
                rows.append(_row({"born": date(1980, 1, 1), "joined": date(2023, 1, 1)} | b))
                names.append(f"bulk-{b['unit']}-{b.get('joined')}-{i}")
                kinds = (["initiative_group"] if i < b.get("group", 0) else []) + \
                    (["committee"] if i < b.get("committee", 0) else [])
                roles.append((kinds, i < b.get("checkin", 0), b.get("role_since"), b.get("checkin_at")))
        ids = insert_members(s, rows)
        labels = dict(zip(names, ids))
        for mid, (kinds, checked, since, at) in zip(ids, roles):
            for kind in kinds:
                give_role(s, mid, kind, **({"since": since} if since else {}))
            if checked:
                check_in(s, mid, **({"at": at} if at else {}))
        for p in spec.get("pair", []):
            pair(s, labels[p["a"]], labels[p["b"]], p.get("score", 95.0), p.get("decision", "undecided"))
    return engine, labels


def _cases():
    for f in FILES:
        spec = tomllib.loads(f.read_text(encoding="utf-8"))
        for check in spec["check"]:
            yield pytest.param(f, check, id=f"{f.stem}@{check['as_of']}")


@pytest.fixture(scope="module")
def kz():
    return load_rules("KZ")


_built: dict[Path, tuple] = {}


@pytest.mark.parametrize("path,check", list(_cases()))
def test_scenario(path, check, kz):
    if path not in _built:
        _built[path] = _build(tomllib.loads(path.read_text(encoding="utf-8")))
    engine, labels = _built[path]
    as_of = check["as_of"]
    with db.session_scope(engine) as s:
        r = assess_readiness(s, kz, as_of=as_of)
        verdicts = {v.member_id: v for v in member_verdicts(s, kz, as_of=as_of)}
    units = {u.code: u.counted for u in r.units}
    if "counted" in check:
        assert r.members_counted == check["counted"]
    if "excluded" in check:
        assert r.excluded == check["excluded"]
    for code, n in check.get("units", {}).items():
        assert units.get(code, 0) == n, f"unit {code}"
    for key in ("members_required", "ready", "duplicate_pairs"):
        if key in check:
            assert getattr(r, key) == check[key], key
    if "per_unit_required" in check:
        assert {u.required for u in r.units} <= {check["per_unit_required"]}
    if "units_in_force" in check:
        assert len(r.units) == check["units_in_force"]
    for code, n in check.get("maybe_moved", {}).items():      # counted here, may live in a split-off unit
        assert {u.code: u.maybe_moved for u in r.units}.get(code, 0) == n, f"maybe_moved {code}"
    for code, tag in check.get("unit_confidence", {}).items():
        assert {u.code: u.confidence for u in r.units}[code] == tag, f"confidence {code}"
    names = {u.code: u.name for u in r.units}
    for code, name in check.get("unit_names", {}).items():
        assert names[code] == name, code
    g = check.get("initiative_group", {})
    for key, value in g.items():
        assert getattr(r.initiative_group, key) == value, key
    for key, value in check.get("checks", {}).items():
        assert {c.name: c.met for c in r.checks}[key] == value, key
    _check_verdict(r, check)
    for key, primary in check.get("reasons", {}).items():
        got = verdicts[labels[key]].reasons
        assert (got[0] if got else "counts") == primary, key
    for key, more in check.get("secondary", {}).items():
        assert list(verdicts[labels[key]].reasons[1:]) == more, key
    # the member-by-member rules agree with the SQL aggregates
    primaries = Counter(v.reasons[0] for v in verdicts.values() if v.reasons)
    assert dict(primaries) == r.excluded
    assert sum(1 for v in verdicts.values() if v.counts) == r.members_counted


def _check_verdict(r, check: dict) -> None:
    """The verdict's parts: blockers in order (codes, and words), clocks, the answer under the other law."""
    if not {"blockers", "first_blocker", "blocker_words"} & set(check):
        codes = []
    else:
        codes = [b.code for b in r.blockers]
    if "blockers" in check:
        assert codes == check["blockers"], f"blockers {codes}"
    if "first_blocker" in check:
        assert codes and codes[0] == check["first_blocker"], f"blockers {codes}"
    for words in check.get("blocker_words", []):
        assert any(words in b.words for b in r.blockers), f"{words!r} not in {[b.words for b in r.blockers]}"
    for name, want in check.get("deadlines", {}).items():
        d = {d.name: d for d in r.deadlines}[name]
        for key, value in want.items():
            got = getattr(d, key)
            got = got.isoformat() if hasattr(got, "isoformat") else got
            assert got == (None if value == "none" else value), f"deadline {name}.{key} = {got!r}"
    if "depends_on_day" in check:
        assert r.depends_on_day == check["depends_on_day"]
    if "alternative" in check:
        want = check["alternative"]
        if want == "none":
            assert r.alternative is None
        else:
            assert r.alternative is not None, "an answer under the other law was expected"
            for key, value in want.items():
                got = getattr(r.alternative, key)
                assert (got.isoformat() if hasattr(got, "isoformat") else got) == value, f"alternative.{key}"
    for name, tag in check.get("check_confidence", {}).items():
        assert {c.name: c.confidence for c in r.checks}[name] == tag, name
    if "text_includes" in check or "html_includes" in check:
        from rich.console import Console

        from partyledger.presentation.report_text import render
        from partyledger.report.render_html import render_html
        from partyledger.report.render_json import readiness_dict

        console = Console(width=400, no_color=True, record=True, file=open(os.devnull, "w"))
        console.print(render(r))
        text, page = console.export_text(), render_html(r)
        for words in check.get("text_includes", []):
            assert words in text, f"{words!r} not in the text report"
        for words in check.get("html_includes", []):
            assert words in page, f"{words!r} not in the HTML page"
        json.dumps(readiness_dict(r))               # and the JSON stays serialisable


def test_every_change_date_is_checked_on_both_sides(kz):
    checked = {c["as_of"] for f in FILES for c in tomllib.loads(f.read_text(encoding="utf-8"))["check"]}
    missing = [d for d in kz.change_dates()[1:] if not {d - timedelta(days=1), d} <= checked]
    assert missing == [], f"add readiness checks on both sides of {missing}"
