"""``partyledger dedupe ...`` as a user runs it: real encrypted ledger files, real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from unit.dedupe_helpers import typo_pair

CLI = str(Path(sys.executable).parent / "partyledger")


def run(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PARTYLEDGER_DB",)}
    env.update(PARTYLEDGER_KDF_FAST="1", PARTYLEDGER_PASSPHRASE="correct horse")
    return subprocess.run([CLI, "--db", str(db), *args], capture_output=True, text=True, env=env, input=stdin,
                          stdin=None if stdin is not None else subprocess.DEVNULL, timeout=60)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, str, str, str]:
    """A ledger with one person entered twice (Cyrillic, then Latin with a typo'd IIN) and one twin."""
    folder = tmp_path_factory.mktemp("dedupe")
    db = folder / "party.db"
    a, b = typo_pair("8505123", "digit11")
    twin = typo_pair("8505123", "digit11", start=4000)[0]
    assert run(db, "init").returncode == 0
    for args in (("--iin", a, "--surname", "Омаров", "--given-name", "Нұрлан", "--patronymic", "Серікұлы",
                  "--unit", "75", "--phone", "+7 701 123 45 67"),
                 ("--iin", b, "--surname", "Omarov", "--given-name", "Nurlan", "--unit", "Almaty",
                  "--locality", "Алматы"),
                 ("--iin", twin, "--surname", "Омаров", "--given-name", "Арман", "--unit", "75")):
        done = run(db, "members", "add", *args, "--joined-on", "2026-01-10")
        assert done.returncode == 0, done.stderr
    return db, a, b, twin


@pytest.fixture()
def ledger(template, tmp_path) -> tuple[Path, str, str, str]:
    src, a, b, twin = template
    db = tmp_path / "party.db"
    db.write_bytes(src.read_bytes())
    Path(f"{db}.key.json").write_bytes(Path(f"{src}.key.json").read_bytes())
    return db, a, b, twin


def test_scan_json_lists_the_pair_with_reasons_and_stdout_is_clean(ledger) -> None:
    db, a, b, twin = ledger
    done = run(db, "dedupe", "scan", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["members"], out["candidates"], out["high_confidence"]) == (3, 1, 1)
    pair = out["pairs"][0]
    assert {pair["iin_a"], pair["iin_b"]} == {a, b} and twin not in (pair["iin_a"], pair["iin_b"])
    assert {"iin.one_digit", "name.same"} <= {r["code"] for r in pair["reasons"]}
    listed = json.loads(run(db, "dedupe", "list", "--json").stdout)
    assert [(p["iin_a"], p["iin_b"], p["decision"]) for p in listed] == [(a, b, "undecided")]


def test_review_with_piped_keys_merges_and_unmerge_brings_the_member_back(ledger) -> None:
    db, a, b, _ = ledger
    run(db, "dedupe", "scan")
    done = run(db, "dedupe", "review", stdin="x\nm\n")
    assert done.returncode == 0, done.stderr
    assert "iin.one_digit" in done.stdout and "Omarov" in done.stdout and "Омаров" in done.stdout
    assert "please answer" in done.stderr and "1 merged" in done.stderr
    iins = {m["iin"] for m in json.loads(run(db, "members", "list", "--json").stdout)}
    assert a in iins and b not in iins
    kept = json.loads(run(db, "members", "show", a, "--json").stdout)
    assert kept["locality"] == "Алматы"                       # filled from the absorbed record
    merges = json.loads(run(db, "dedupe", "list", "--merges", "--json").stdout)
    assert [(m["kept_iin"], m["absorbed_iin"], m["undone_at"]) for m in merges] == [(a, b, None)]
    undo = run(db, "dedupe", "unmerge", str(merges[0]["merge_id"]))
    assert undo.returncode == 0, undo.stderr
    restored = json.loads(run(db, "members", "show", b, "--json").stdout)
    assert (restored["surname"], restored["given_name"]) == ("Omarov", "Nurlan")
    assert json.loads(run(db, "members", "show", a, "--json").stdout)["locality"] is None


def test_different_is_remembered_across_scans(ledger) -> None:
    db, a, b, _ = ledger
    done = run(db, "dedupe", "different", b, a)
    assert done.returncode == 0, done.stderr
    out = json.loads(run(db, "dedupe", "scan", "--json").stdout)
    assert out["candidates"] == 0
    review = run(db, "dedupe", "review", stdin="")
    assert review.returncode == 0 and "no pairs to review" in review.stderr


def test_merge_by_iin_reports_filled_and_conflicting_fields(ledger) -> None:
    db, a, b, _ = ledger
    done = run(db, "dedupe", "merge", a, b, "--json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["kept_iin"] == a and info["absorbed_iin"] == b
    assert "locality" in info["filled"] and info["differs"]["surname"] == {"kept": "Омаров", "absorbed": "Omarov"}


@pytest.mark.parametrize("args, message", [
    (("merge", "850512300109", "12345"), "not an IIN"),
    (("merge", "850512300109", "850512300109"), "itself"),
    (("different", "850512300109", "991231300005"), "no member"),
    (("unmerge", "42"), "no merge 42"),
])
def test_user_mistakes_are_one_line_and_exit_2(ledger, args, message) -> None:
    db = ledger[0]
    done = run(db, "dedupe", *args)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_review_different_then_the_queue_is_empty_and_the_decision_listed(ledger) -> None:
    db, a, b, _ = ledger
    run(db, "dedupe", "scan")
    done = run(db, "dedupe", "review", stdin="d\n")
    assert done.returncode == 0, done.stderr
    assert "1 marked different" in done.stderr
    assert json.loads(run(db, "dedupe", "list", "--json").stdout) == []
    decided = json.loads(run(db, "dedupe", "list", "--all", "--json").stdout)
    assert [(p["iin_a"], p["iin_b"], p["decision"]) for p in decided] == [(a, b, "different")]


def test_scan_threshold_option_controls_what_is_queued(ledger) -> None:
    db = ledger[0]
    score = json.loads(run(db, "dedupe", "scan", "--json").stdout)["pairs"][0]["score"]
    above = json.loads(run(db, "dedupe", "scan", "--json", "--threshold", str(min(100, score + 1))).stdout)
    assert score < 100 and above["candidates"] == 0 and above["threshold"] == score + 1
    assert run(db, "dedupe", "scan", "--threshold", "0").returncode == 2
