"""Turning typed region and locality text into the Kazakh unit in force on a date."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from partyledger.rules import load_rules, locality_key, shipped_rules_dir

NOW = date(2023, 1, 1)      # 20 units
Y2021 = date(2021, 1, 1)    # 17 units, Nur-Sultan
Y2010 = date(2010, 1, 1)    # 16 units, South Kazakhstan

units = load_rules("KZ").units

# What organizers really type, as seen in sign-up sheets: (text, date, expected code).
TYPED = [
    ("Алматы", NOW, "75"), ("г. Алматы", NOW, "75"), ("Almaty city", NOW, "75"), ("Алматы қаласы", NOW, "75"),
    ("Алма-Ата", NOW, "75"), ("ALMATY", NOW, "75"),
    ("Алматинская обл", NOW, "19"), ("Алматинская обл.", NOW, "19"), ("Алматинская область", NOW, "19"),
    ("Алматы облысы", NOW, "19"), ("Almaty region", NOW, "19"), ("Almaty oblast", NOW, "19"),
    ("Нур-Султан", NOW, "71"), ("Нур-Султан", Y2010, "71"), ("Nur-Sultan", Y2021, "71"), ("Астана", Y2021, "71"),
    ("Нұр-Сұлтан", NOW, "71"), ("Целиноград", NOW, "71"), ("г.Астана", NOW, "71"),
    ("Жетысу", NOW, "33"), ("Жетісу", NOW, "33"), ("Zhetysu", NOW, "33"), ("Jetisu", NOW, "33"),
    ("Zhetisū oblysy", NOW, "33"), ("область Жетісу", NOW, "33"), ("Жетысуская область", NOW, "33"),
    ("Абай облысы", NOW, "10"), ("область Абай", NOW, "10"), ("Abay Region", NOW, "10"),
    ("Ұлытау облысы", NOW, "62"), ("Улытау", NOW, "62"), ("Ulytau", NOW, "62"),
    ("ВКО", NOW, "63"), ("В.К.О.", NOW, "63"), ("вко", NOW, "63"), ("Восточно-Казахстанская обл.", NOW, "63"),
    ("Шығыс Қазақстан облысы", NOW, "63"), ("Шыгыс Казакстан облысы", NOW, "63"), ("East Kazakhstan", NOW, "63"),
    ("ЗКО", NOW, "27"), ("Западно-Казахстанская", NOW, "27"), ("Батыс Қазақстан облысы", NOW, "27"),
    ("СКО", NOW, "59"), ("Северо-Казахстанская область", NOW, "59"), ("North Kazakhstan Region", NOW, "59"),
    ("ЮКО", Y2010, "51"), ("Южно-Казахстанская обл", Y2010, "51"), ("Оңтүстік Қазақстан облысы", Y2010, "51"),
    ("Туркестанская область", NOW, "61"), ("Түркістан облысы", NOW, "61"), ("Turkestan", NOW, "61"),
    ("Шымкент", NOW, "79"), ("Чимкент", NOW, "79"), ("Shymkent city", NOW, "79"),
    ("Акмолинская", NOW, "11"), ("Ақмола облысы", NOW, "11"), ("Aqmola", NOW, "11"),
    ("Актюбинская обл.", NOW, "15"), ("Aqtobe", NOW, "15"), ("Ақтөбе облысы", NOW, "15"), ("Актюбинск", NOW, "15"),
    ("Атырауская", NOW, "23"), ("Гурьевская область", NOW, "23"), ("Гурьев", NOW, "23"),
    ("Жамбылская обл", NOW, "31"), ("Jambyl", NOW, "31"), ("Джамбул", NOW, "31"),
    ("Карагандинская область", NOW, "35"), ("Qaraghandy", NOW, "35"), ("Қарағанды облысы", NOW, "35"),
    ("Костанайская", NOW, "39"), ("Qostanay", NOW, "39"), ("Кустанай", NOW, "39"),
    ("Кызылординская обл.", NOW, "43"), ("Qyzylorda", NOW, "43"),
    ("Мангистауская область", NOW, "47"), ("Маңғыстау облысы", NOW, "47"), ("Mangystau", NOW, "47"),
    ("Павлодарская обл", NOW, "55"), ("Павлодар облысы", NOW, "55"),
    ("Kostanay oblysy", NOW, "39"), ("Qyzylorda oblysy", NOW, "43"), ("Shyghys Kazakhstan", NOW, "63"),
    ("Akmola oblysy", NOW, "11"), ("Акмола облысы", NOW, "11"), ("Карагандинская обл.", NOW, "35"),
    ("Караганды облысы", NOW, "35"), ("Жетысу облысы", NOW, "33"), ("Туркистан облысы", NOW, "61"),
    ("Kustanai", NOW, "39"), ("Alma-Ata", NOW, "75"), ("Almaty oblysy", NOW, "19"),
    ("KZ-ALA", NOW, "75"), ("KZ-ALM", NOW, "19"), ("kz-vos", NOW, "63"), ("KZ-YUZ", Y2010, "51"),
    # a town typed into the region column
    ("Талды-Курган", NOW, "33"), ("Семипалатинск", NOW, "10"), ("Усть-Каменогорск", NOW, "63"),
    ("Семей", NOW, "10"), ("Семипалатинск", Y2021, "63"), ("Талдыкорган", NOW, "33"), ("Жезқазған", NOW, "62"),
    # a unit that did not exist yet is placed in the unit it was carved from
    ("Абай облысы", Y2021, "63"), ("Жетісу", Y2021, "19"), ("Ulytau", Y2021, "35"), ("Шымкент", Y2010, "51"),
    ("Turkistan region", Y2010, "51"),
]


@pytest.mark.parametrize("text,day,code", TYPED, ids=[f"{t}@{d}" for t, d, _ in TYPED])
def test_typed_region_names_resolve(text, day, code):
    result = units.resolve(text, as_of=day)
    assert (result.status, result.code) == ("ok", code), result.note


def _aliases_in_file():
    data = tomllib.loads((shipped_rules_dir() / "kz" / "units.toml").read_text(encoding="utf-8"))
    for unit in data["unit"]:
        texts = [unit["en"], unit["ru"], unit["kk"], *unit.get("aliases", [])]
        texts += [t for r in unit.get("rename", []) for t in (r["en"], r["ru"], r["kk"])]
        day = unit.get("valid_from", date(2002, 7, 19))
        for text in texts:
            yield text, day, unit["code"]


@pytest.mark.parametrize("text,day,code", list(_aliases_in_file()))
def test_every_alias_in_the_catalogue_resolves_to_its_unit(text, day, code):
    result = units.resolve(text, as_of=day)
    assert (result.status, result.code) == ("ok", code), result.note


def test_south_kazakhstan_after_2018_needs_a_locality():
    ambiguous = units.resolve("Южно-Казахстанская", as_of=NOW)
    assert ambiguous.status == "ambiguous" and ambiguous.code is None
    assert "61" in ambiguous.note and "79" in ambiguous.note
    assert units.resolve("Южно-Казахстанская", "Шымкент", as_of=NOW).code == "79"
    assert units.resolve("Южно-Казахстанская", "г. Туркестан", as_of=NOW).code == "61"
    assert units.resolve("ЮКО", "Сарыагашский район", as_of=NOW).code == "61"
    assert units.resolve("ЮКО", "Неизвестное село", as_of=NOW).status == "ambiguous"


def test_east_kazakhstan_with_semey_follows_the_2022_split():
    assert units.resolve("Восточно-Казахстанская", "Семей", as_of=NOW).code == "10"
    assert units.resolve("Восточно-Казахстанская", "Семей", as_of=Y2021).code == "63"
    assert units.resolve("ВКО", "Усть-Каменогорск", as_of=NOW).code == "63"
    assert units.resolve("ВКО", None, as_of=NOW).code == "63"
    assert units.resolve("ВКО", "Урджарский р-н", as_of=NOW).code == "10"


@pytest.mark.parametrize("region,locality,code", [
    ("Алматинская обл", "Талдыкорган", "33"), ("Алматинская обл", "Талдықорған", "33"),
    ("Алматинская обл", "Текели", "33"), ("Алматинская обл", "Жаркент", "33"), ("Алматинская обл", "Конаев", "19"),
    ("Алматинская обл", "Аксуский район", "33"), ("Павлодарская обл", "Аксу", "55"),
    ("Карагандинская", "Жезказган", "62"), ("Карагандинская", "Жезқазған", "62"), ("Карагандинская", "Zhezkazgan", "62"),
    ("Карагандинская", "Сатпаев", "62"), ("Карагандинская", "Темиртау", "35"),
    ("ВКО", "Семипалатинск", "10"), ("ВКО", "Semei", "10"), ("ВКО", "Курчатов", "10"), ("ВКО", "Аягоз", "10"),
])
def test_locality_places_a_member_in_a_split_off_unit(region, locality, code):
    assert units.resolve(region, locality, as_of=NOW).code == code


def test_historical_region_names_are_never_guessed():
    assert units.resolve("Семипалатинская область", as_of=Y2021).code == "63"
    assert units.resolve("Семипалатинская область", as_of=NOW).status == "ambiguous"
    assert units.resolve("Семипалатинская область", "Семей", as_of=NOW).code == "10"
    assert units.resolve("Талды-Курганская обл", as_of=NOW).status == "ambiguous"
    assert units.resolve("Кокчетавская", as_of=Y2021).status == "ambiguous"


def test_missing_and_unknown():
    assert units.resolve("", as_of=NOW).status == "missing"
    assert units.resolve(None, as_of=NOW).status == "missing"
    assert units.resolve("  ", "Семей", as_of=NOW).code == "10"
    assert units.resolve("", "Нигдеград", as_of=NOW).status == "missing"
    assert units.resolve("Атлантида", as_of=NOW).status == "unknown"
    assert units.resolve("Жамбыл ауданы", as_of=NOW).status == "unknown"  # a district name, not Taraz
    assert units.resolve("Алматы", as_of=date(2000, 1, 1)).status == "unknown"  # before the catalogue


def test_unit_on_replaces_a_stored_unit_on_another_date():
    assert units.unit_on("63", "Семей", NOW).code == "10"
    assert units.unit_on("63", "Семей", Y2021).code == "63"
    assert units.unit_on("10", None, Y2021).code == "63"
    assert units.unit_on("10", "Семей", NOW).code == "10"
    assert units.unit_on("51", "Шымкент", NOW).code == "79"
    assert units.unit_on("51", None, NOW).status == "ambiguous"
    assert units.unit_on("79", None, Y2010).code == "51"
    assert units.unit_on("99", None, NOW).status == "unknown"
    assert units.unit_on("63", locality_key("г. Семей"), NOW).code == "10"


def test_in_force_counts_and_names():
    assert len(units.in_force(Y2010)) == 16
    assert len(units.in_force(Y2021)) == 17
    assert len(units.in_force(NOW)) == 20
    assert {u.code: u.name_en for u in units.in_force(Y2021)}["71"] == "Nur-Sultan"


def test_locality_key_groups_spellings():
    assert locality_key("г. Семей") == locality_key("Семей қаласы") == locality_key("СЕМЕЙ")
    assert locality_key("Талдықорған") == locality_key("талдыкорган")
    assert locality_key("Алматы") != locality_key("Алматы облысы")
    assert locality_key("Жезқазған") == locality_key("Жезказган")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="АаӘәҚқҒғҢңӨөҰұҮүІіЁёЕеЙйXyzQqghı ūé.-,()/р-нобл", max_size=30))
def test_locality_key_is_idempotent(text):
    key = locality_key(text)
    assert locality_key(key) == key


def test_a_typed_unit_code_is_accepted():
    assert units.resolve("75", as_of=NOW).code == "75"
    assert units.resolve("KZ-33", as_of=NOW).code == "33"
    assert units.resolve("33", as_of=Y2021).code == "19"  # Jetisu did not exist yet
    assert units.resolve("51", as_of=NOW).status == "ambiguous"
    assert units.resolve("99", as_of=NOW).status == "unknown"


def _localities_in_file():
    data = tomllib.loads((shipped_rules_dir() / "kz" / "units.toml").read_text(encoding="utf-8"))
    moved_to = {loc_id: (change["on"], change["to"]) for change in data["change"] for loc_id in change["localities"]}
    for loc in data["locality"]:
        on, to = moved_to.get(loc["id"], (None, loc["unit"]))
        for name in loc["names"]:
            yield name, loc["unit"], on, to


@pytest.mark.parametrize("name,home,moved_on,now_in", list(_localities_in_file()))
def test_every_locality_spelling_places_the_member(name, home, moved_on, now_in):
    """A locality alone places a member: in its old unit before it moved, in the new one after."""
    assert units.resolve(None, name, as_of=date(2024, 1, 1)).code == now_in
    if moved_on is not None:
        before = units.resolve("", name, as_of=date.fromordinal(moved_on.toordinal() - 1))
        assert before.code == home, before.note
