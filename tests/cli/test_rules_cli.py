"""``partyledger rules list|show`` as a user runs it: real subprocesses, stdout/stderr split, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from partyledger.rules import shipped_rules_dir

CLI = [str(Path(sys.executable).parent / "partyledger")]
SECTION7 = {"jurisdiction", "as_of", "effective_from", "reference", "members_total_min", "members_per_unit_min",
            "min_age", "initiative_group_min", "initiative_group_units_min", "committee_min", "units"}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=60)


def assert_user_error(done: subprocess.CompletedProcess, *fragments: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("partyledger: "), done.stderr
    assert "Traceback" not in done.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_show_json_is_clean_and_has_the_contract_fields():
    done = run("rules", "show", "--as-of", "2023-06-01", "--json")
    assert done.returncode == 0 and done.stderr == ""
    data = json.loads(done.stdout)
    assert SECTION7 <= set(data)
    assert (data["members_total_min"], data["members_per_unit_min"], data["initiative_group_min"]) == (5000, 200, 700)
    assert data["initiative_group_units_min"] == 14 and data["committee_min"] == 10
    assert {"code": "79", "name": "Shymkent"}.items() <= data["units"][-1].items()
    assert data["values"]["members_total_min"]["confidence"] == "C"
    assert "min_age" in data["uncertain"]  # 18 is not in the Party Law: tagged U
    assert data["congress_window_months"] == 3 and data["branches_deadline_months"] == 12


def test_show_without_date_uses_today_and_says_so():
    done = run("rules", "show", "--json")
    assert done.returncode == 0
    shown = json.loads(done.stdout)["as_of"]
    assert f"as of {shown} (today)" in done.stderr
    assert abs((date.fromisoformat(shown) - date.today()).days) <= 1


def test_text_output_cites_and_marks_uncertain_values():
    done = run("rules", "show", "--as-of", "1997-01-01")
    assert done.returncode == 0
    out = done.stdout
    assert "3,000" in out and "Law of 2 July 1996 No. 16-I" in out
    per_unit = next(line for line in out.splitlines() if line.strip().startswith("Members in each unit"))
    assert "unknown" in per_unit and "[U]" in per_unit
    assert "[P]" in out and "Territorial units: unknown" in out


def test_text_output_lists_units_and_barred_categories():
    out = run("rules", "show", "--as-of", "2021-01-01").stdout
    assert "Territorial units in force (17)" in out and "Nur-Sultan" in out
    assert "judges" in out and "Constitution Art. 23(2)" in out


def test_other_jurisdiction_shows_unknowns_as_unknown():
    done = run("rules", "show", "-j", "am", "--as-of", "2022-01-01", "--json")
    data = json.loads(done.stdout)
    assert data["jurisdiction"] == "AM" and data["founding_congress_min"] == 300
    assert data["members_total_min"] is None and "members_total_min" in data["uncertain"]
    text = run("rules", "show", "-j", "AM", "--as-of", "2022-01-01").stdout
    assert next(l for l in text.splitlines() if "Members, total minimum" in l).split()[3:5] == ["unknown", "[U]"]


def test_list_shows_every_jurisdiction_with_versions():
    done = run("rules", "list", "--json")
    assert done.returncode == 0
    data = {j["code"]: j for j in json.loads(done.stdout)}
    assert {"KZ", "RU", "UZ", "MD", "UA", "GE", "AM", "IN", "TJ", "TM", "KG"} <= set(data)
    assert [v["effective_from"] for v in data["KZ"]["versions"]][:2] == ["1996-07-02", "2002-07-19"]
    assert data["KZ"]["units"] is True and data["KG"]["versions"] == []
    text = run("rules", "list").stdout
    assert "KG  Kyrgyzstan (0 versions" in text and "no dated rules" in text


def test_user_errors_are_one_line_exit_2(tmp_path):
    assert_user_error(run("rules", "show", "--as-of", "2023-02-31"), "--as-of", "2023-02-31")
    assert_user_error(run("rules", "show", "--as-of", "01.06.2023"), "YYYY-MM-DD")
    assert_user_error(run("rules", "show", "--as-of", "1995-01-01"), "no rules in force on 1995-01-01", "1996-07-02")
    assert_user_error(run("rules", "show", "-j", "XX", "--as-of", "2023-01-01"), "XX")
    assert_user_error(run("rules", "show", "-j", "KG", "--as-of", "2023-01-01"), "KG")
    assert_user_error(run("--rules", str(tmp_path / "none"), "rules", "list"), "no such rules folder")


def test_own_rules_folder_is_used_and_checked(tmp_path):
    folder = tmp_path / "mine" / "kz"
    shutil.copytree(shipped_rules_dir() / "kz", folder)
    rules_file = folder / "rules.toml"
    text = rules_file.read_text(encoding="utf-8")
    rules_file.write_text(text.replace("effective_from = 2022-11-16", "effective_from = 2022-11-10")
                          .replace("2022-11-16 = {", "2022-11-10 = {"), encoding="utf-8")
    done = run("--rules", str(tmp_path / "mine"), "rules", "show", "--as-of", "2022-11-12", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["members_total_min"] == 5000  # the shipped files say 20,000 on that day
    assert json.loads(run("rules", "show", "--as-of", "2022-11-12", "--json").stdout)["members_total_min"] == 20000

    rules_file.write_text(text.replace("2022-11-16 = { value = 5000,", "2022-11-16 = { value = 5000.0,"),
                          encoding="utf-8")
    assert_user_error(run("--rules", str(tmp_path / "mine"), "rules", "show", "--as-of", "2023-01-01"),
                      f"{rules_file}: values.members_total_min.2022-11-16.value")


def test_resolve_shows_which_unit_a_typed_region_counts_for():
    done = run("rules", "resolve", "ВКО", "--locality", "Семей", "--as-of", "2023-01-01")
    assert done.returncode == 0 and done.stdout.startswith("10 Abai Region")
    data = json.loads(run("rules", "resolve", "Южно-Казахстанская", "--as-of", "2023-01-01", "--json").stdout)
    assert (data["status"], data["code"]) == ("ambiguous", None) and "locality" in data["note"]
    data = json.loads(run("rules", "resolve", "", "-l", "Талдықорған", "--as-of", "2021-01-01", "--json").stdout)
    assert (data["status"], data["code"]) == ("ok", "19")
    assert_user_error(run("rules", "resolve", "Москва", "-j", "RU", "--as-of", "2023-01-01"), "RU")


def test_show_gives_the_date_its_own_tag_and_the_open_window():
    """Inside 5-27 Nov 2022 the law in force is not known; an assumed day is never shown as confirmed, and
    the 2018 split's date (a signing date) keeps its [P]."""
    data = json.loads(run("rules", "show", "--as-of", "2022-11-20", "--json").stdout)
    assert data["open_window"] == {"effective_from": "2022-11-16", "earliest": "2022-11-05",
                                   "latest": "2022-11-28", "confidence": "U"}
    total = data["values"]["members_total_min"]
    assert (total["confidence"], total["date_confidence"], total["strict"]) == ("C", "U", False)
    assert {"on": "2018-06-19", "confidence": "P"}.items() <= next(
        c for c in data["unit_changes"] if c["on"] == "2018-06-19").items()
    assert json.loads(run("rules", "show", "--as-of", "2022-11-28", "--json").stdout)["open_window"] is None
    text = run("rules", "show", "--as-of", "2022-11-20").stdout
    assert "THE LAW IN FORCE IS NOT KNOWN" in text and "(since 2022-11-16 [U])" in text
    assert "2018-06-19 [P]" in text
    uz = json.loads(run("rules", "show", "-j", "UZ", "--as-of", "2024-01-01", "--json").stdout)
    assert uz["values"]["members_total_min"]["strict"] is True        # "more than 20,000"
