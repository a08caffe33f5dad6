"""The strict loader: a broken rule file stops with ``file: key``, a user's folder gets the same checks,
and lookup by date returns the latest version in force (property test against the raw TOML)."""

from __future__ import annotations

import shutil
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from partyledger.errors import RuleDateError, RuleFileError, UnknownJurisdiction
from partyledger.rules import list_jurisdictions, load_rules, shipped_rules_dir

KZ = shipped_rules_dir() / "kz"


def _user_copy(tmp_path: Path) -> Path:
    target = tmp_path / "myrules" / "kz"
    shutil.copytree(KZ, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BREAKAGES = [
    # (file, old text, new text, expected "key: problem" fragment)
    ("rules.toml", 'confidence = "P"\n\n[[version]]', 'confidence = "P"\nsource = "x"\n\n[[version]]',
     "jurisdiction.source: unknown key"),
    ("rules.toml", "effective_from = 2009-03-01", 'effective_from = "2009-02-30"',
     "version[2].effective_from: '2009-02-30' is not a date"),
    ("rules.toml", "2022-11-16 = { value = 5000,", '2022-11-16 = { value = "5000",',
     "values.members_total_min.2022-11-16.value: expected a whole number"),
    ("rules.toml", "2022-11-16 = { value = 5000,", "2022-11-17 = { value = 5000,",
     "values.members_total_min.2022-11-17: no [[version]] has this effective date"),
    ("rules.toml", "[values.members_total_min]", "[values.members_total_minimum]",
     "values.members_total_minimum: unknown key"),
    ("rules.toml", '2022-11-16 = { value = 200, confidence = "C"', '2022-11-16 = { value = 200, confidence = "X"',
     "values.members_per_unit_min.2022-11-16.confidence: 'X' is not one of C, P, U"),
    ("rules.toml", '2022-11-16 = { value = "2/3", confidence = "C"', '2022-11-16 = { value = "3/2", confidence = "C"',
     "values.initiative_group_units.2022-11-16.value"),
    ("rules.toml", "1996-07-02 = { value = true, confidence = \"U\"", "1996-07-02 = { value = 1, confidence = \"U\"",
     "values.one_party_only.1996-07-02.value: expected true or false"),
    ("rules.toml", '2002-07-19 = { confidence = "U", note = "Founding-congress',
     '2002-07-19 = { confidence = "C", note = "Founding-congress',
     "values.congress_window_months.2002-07-19: an unknown value"),
    ("units.toml", 'aliases = ["Улытау", "Улытауская"', 'aliases = ["Алматы", "Улытауская"',
     "unit.62: alias 'алматы' already means"),
    ("units.toml", 'localities = ["zhezkazgan",', 'localities = ["zhezqazgan",',
     "change[4].localities: unknown locality id 'zhezqazgan'"),
    ("units.toml", 'code = "62"\nkind = "region"', 'code = "62"\nkind = "oblast"', "unit.62.kind: 'oblast'"),
    ("units.toml", "starts = 2002-07-19", "starts = 2002-07-19\nstart = 2002-07-19", "catalogue.start: unknown key"),
]


@pytest.mark.parametrize("name,old,new,expected", BREAKAGES, ids=[b[3][:40] for b in BREAKAGES])
def test_broken_rule_file_names_file_and_key(tmp_path, name, old, new, expected):
    folder = _user_copy(tmp_path)
    _edit(folder / name, old, new)
    with pytest.raises(RuleFileError) as err:
        load_rules("KZ", folder.parent)
    assert err.value.message.startswith(f"{folder / name}: ")
    assert expected in err.value.message


def test_toml_syntax_error_names_the_file(tmp_path):
    folder = _user_copy(tmp_path)
    _edit(folder / "rules.toml", "[jurisdiction]", "[jurisdiction")
    with pytest.raises(RuleFileError, match=r"rules\.toml: \(syntax\)"):
        load_rules("KZ", folder.parent)


def test_user_folder_with_a_new_amendment_is_used(tmp_path):
    folder = _user_copy(tmp_path)
    _edit(folder / "rules.toml", "# ---- membership thresholds",
          '[[version]]\neffective_from = 2026-01-01\nreference = "Hypothetical amendment"\nconfidence = "U"\n\n'
          "# ---- membership thresholds")
    _edit(folder / "rules.toml", "[values.members_per_unit_min]\n",
          '[values.members_per_unit_min]\n2026-01-01 = { value = 150, confidence = "U" }\n')
    rules = load_rules("KZ", folder.parent)
    assert rules.at(date(2025, 12, 31)).members_per_unit_min == 200
    snap = rules.at(date(2026, 1, 1))
    assert snap.members_per_unit_min == 150 and snap.reference == "Hypothetical amendment"
    assert snap.members_total_min == 5000  # carried over from the 2024 entry
    assert "members_per_unit_min" in [v.name for v in snap.uncertain()]


def test_unknown_jurisdiction_and_missing_folder(tmp_path):
    with pytest.raises(UnknownJurisdiction, match="XX"):
        load_rules("XX")
    with pytest.raises(UnknownJurisdiction, match="no such rules folder"):
        load_rules("KZ", tmp_path / "nowhere")


def test_every_shipped_jurisdiction_loads():
    codes = {i.code for i in list_jurisdictions()}
    assert {"KZ", "RU", "UZ", "MD", "UA", "GE", "AM", "IN"} <= codes


def test_unknown_values_stay_visible():
    snap = load_rules("KZ").at(date(1997, 1, 1))
    per_unit = snap.value_of("members_per_unit_min")
    assert per_unit.value is None and per_unit.confidence == "U" and per_unit.note
    assert "members_per_unit_min" in [v.name for v in snap.uncertain()]


def test_value_cites_its_law():
    value = load_rules("KZ").at(date(2023, 6, 1)).value_of("members_total_min")
    assert value.value == 5000 and value.effective_from == date(2022, 11, 16)
    assert "10(6)" in value.reference and value.confidence == "C"


# ---- property: at() returns the latest entry with effective_from <= date --------------------------------

RAW = tomllib.loads((KZ / "rules.toml").read_text(encoding="utf-8"))
VERSION_DATES = sorted(v["effective_from"] for v in RAW["version"])
KZ_RULES = load_rules("KZ")


@settings(max_examples=400, deadline=None)
@given(st.dates(min_value=VERSION_DATES[0], max_value=date(2040, 12, 31)))
def test_lookup_returns_latest_version_not_after_the_date(day):
    _agrees_with_raw_file(day)


def test_lookup_on_both_sides_of_every_version_date():
    for version_day in VERSION_DATES:
        for day in (version_day - timedelta(days=1), version_day, version_day + timedelta(days=1)):
            if day >= VERSION_DATES[0]:
                _agrees_with_raw_file(day)


def _agrees_with_raw_file(day):
    """Independent oracle: a linear scan over the TOML as tomllib reads it, not through our loader."""
    snap = KZ_RULES.at(day)
    assert snap.effective_from == max(d for d in VERSION_DATES if d <= day)
    for name, entries in RAW["values"].items():
        dated = sorted((date.fromisoformat(k), v) for k, v in entries.items())
        in_force = [v for d, v in dated if d <= day]
        expected = in_force[-1].get("value") if in_force else None
        got = snap.value_of(name).value
        if got is not None and name in ("members_units_required", "initiative_group_units"):
            got = str(got)  # a Share prints as written in the file: "all", "2/3"
        assert got == expected, name


@settings(max_examples=100, deadline=None)
@given(st.dates(max_value=VERSION_DATES[0] - timedelta(days=1)))
def test_any_date_before_the_first_version_is_an_error(day):
    with pytest.raises(RuleDateError):
        KZ_RULES.at(day)
