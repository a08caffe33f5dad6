"""The transliteration table letter by letter, and whole names across scripts and schemes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partyledger.ledger.cleaning.translit import latin_key, patronymic_root, surname_first_key

# Every Cyrillic letter (Russian, then Kazakh) inside a word, with the key it must give.
# The carrier "ба_б" keeps the letter away from word edges and doubling.
LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sh",
    "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}


@pytest.mark.parametrize(("letter", "key"), sorted(LETTERS.items()))
def test_every_cyrillic_letter(letter, key):
    expected = re.sub(r"(.)\1+", r"\1", f"ba{key}b")    # doubled letters collapse: баab -> bab
    assert latin_key(f"ба{letter}б") == expected
    assert latin_key(f"БА{letter.upper()}Б") == expected


# Kazakh letters: Cyrillic, 2021 Latin alphabet, informal/passport spelling -> one key
KAZAKH = [
    ("ә", "ä", "a"), ("ғ", "ğ", "gh"), ("қ", "q", "k"), ("ң", "ñ", "ng"), ("ө", "ö", "o"),
    ("ұ", "ū", "u"), ("ү", "ü", "u"), ("һ", "h", "kh"), ("і", "ı", "i"),
]


@pytest.mark.parametrize(("cyrillic", "latin2021", "informal"), KAZAKH)
def test_every_kazakh_letter_meets_its_latin_forms(cyrillic, latin2021, informal):
    keys = {latin_key(f"ба{c}от") for c in (cyrillic, latin2021, latin2021.upper(), informal)}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(("cyrillic", "spellings"), [
    ("ж", ["zh", "j"]), ("х", ["kh", "h"]), ("ц", ["ts", "c"]), ("ч", ["ch", "ç"]),
    ("ш", ["sh", "ş"]), ("щ", ["shch", "sh"]), ("ю", ["iu", "yu"]), ("я", ["ia", "ya"]),
    ("й", ["i", "y"]), ("ы", ["y", "i"]), ("ё", ["e", "yo", "ë"]), ("дж", ["dzh", "dj", "j"]),
])
def test_passport_and_informal_digraphs(cyrillic, spellings):
    expected = latin_key(f"ма{cyrillic}ар")
    for latin in spellings:
        assert latin_key(f"ma{latin}ar") == expected, latin


@pytest.mark.parametrize("group", [
    ["Әлібек Нұрсұлтанұлы", "Alibek Nursultanuly", "Алибек Нурсултанулы", "Älıbek Nūrsūltanūly",
     "ӘЛІБЕК НҰРСҰЛТАНҰЛЫ", "ÄLİBEK NŪRSŪLTANŪLY"],
    ["Жанна", "Zhanna", "Janna", "ЖАННА"],
    ["Хасанов", "Khasanov", "Hasanov"],
    ["Юлия", "Yuliya", "Iuliia", "Yulia"],
    ["Қайрат", "Qaırat", "Kairat", "Kayrat"],
    ["Ерлан", "Yerlan", "Erlan"],
    ["Григорьев", "Grigoryev", "Grigorev"],
    ["Семён", "Семен", "Semyon", "Semen"],
    ["Цой", "Tsoy", "Tsoi"],
    ["Щукин", "Shchukin", "Shukin"],
    ["Ғалым", "Ğalym", "Galym", "Ghalym"],
    ["Джамбул", "Dzhambul", "Jambul"],
    ["Сергей", "Sergey", "Sergei"],
    ["Валиев", "Valiyev", "Valiev"],
])
def test_one_person_one_key_across_scripts_and_schemes(group):
    assert len({latin_key(name) for name in group}) == 1, {n: latin_key(n) for n in group}


def test_julia_is_a_different_name_not_a_spelling_of_yulia():
    # j stands for ж (Janna, 2021 alphabet), so the English "Julia" does not fold into Юлия
    assert latin_key("Julia") != latin_key("Юлия")


def test_different_names_keep_different_keys():
    names = ["Иванов", "Иванова", "Петров", "Нурлан", "Нуржан", "Асель", "Асем", "Ахмет"]
    assert len({latin_key(n) for n in names}) == len(names)


def test_key_is_ascii_letters_and_single_spaces():
    assert latin_key("  Иванова-Петрова,\u00a0 Анна  ") == "ivanova petrova ana"
    assert latin_key("O'Brien") == latin_key("O’Brien") == latin_key("OBrien")      # apostrophes dropped
    assert latin_key(None) == "" and latin_key("") == "" and latin_key("123") == ""


def test_decomposed_unicode_gives_the_same_key():
    import unicodedata
    assert latin_key(unicodedata.normalize("NFD", "Älıbek Äsel")) == latin_key("Älıbek Äsel")


def test_surname_first_key_joins_the_parts():
    assert surname_first_key("Нұрсұлтанов", "Әлібек", "Болатұлы") == "nursultanov alibek bolatuli"
    assert surname_first_key("Nursultanov", "Alibek", None) == "nursultanov alibek"
    assert surname_first_key("Nursultanov", "Alibek") == surname_first_key("Нурсултанов", "Алибек", "")


@pytest.mark.parametrize("patronymic", [
    "Нурсултанович", "Нурсултановна", "Нұрсұлтанұлы", "Нурсултанулы", "Нұрсұлтанқызы",
    "Нурсултанкызы", "Nursultanuly", "Nursultan uly", "Nursultankyzy", "Nursultanqyzy",
    "Nursultanovich", "Нұрсұлтан ұлы",
])
def test_patronymic_endings_fold_to_the_fathers_name(patronymic):
    assert patronymic_root(patronymic) == "nursultan"


@pytest.mark.parametrize(("a", "b"), [
    ("Сергеевич", "Sergeyevich"), ("Сергеевич", "Сергеевна"), ("Алиевич", "Алиұлы"),
    ("Николаевич", "Николайұлы"), ("Мамедович", "Мамед оглы")
])
def test_patronymic_roots_meet(a, b):
    assert patronymic_root(a) == patronymic_root(b)


def test_patronymic_root_keeps_different_fathers_apart():
    assert patronymic_root("Болатович") != patronymic_root("Бауыржанович")
    assert patronymic_root(None) == ""


@given(st.text(max_size=40))
def test_latin_key_is_idempotent_and_ascii(text):
    key = latin_key(text)
    assert latin_key(key) == key
    assert key.isascii() and key == key.strip()


@settings(max_examples=2000)
@given(st.text(alphabet="abcdeghijknostuyzh ioщжңё", max_size=14))
def test_folds_reach_a_fixed_point(text):
    # letters that feed the digraph folds, so one fold exposing another is exercised
    key = latin_key(text)
    assert latin_key(key) == key


@pytest.mark.parametrize(("cyrillic", "latin2018"), [
    ("Ұлытау", "Ulytaý"), ("Әлібек", "Álibek"), ("Ақтөбе", "Aqtóbe"), ("Ғалым", "Ǵalym"),
    ("Жаңаөзен", "Jańaózen"), ("Түркістан", "Túrkistan"),
])
def test_2018_acute_alphabet_spellings(cyrillic, latin2018):
    assert latin_key(cyrillic) == latin_key(latin2018)


# Three ways names are really romanised, written here independently of translit.py:
# the passport (ICAO 9303 with the Kazakh passport letters), an informal keyboard scheme, and the
# 2021 Kazakh Latin alphabet (Russian-only letters as in passports).
_ICAO = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
         "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
         "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
         "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "ә": "a",
         "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i"}
_INFORMAL = {**_ICAO, "ж": "j", "й": "y", "х": "h", "ю": "yu", "я": "ya", "ё": "yo", "щ": "sh",
             "қ": "q", "ғ": "gh", "ң": "ng", "ы": "y", "ц": "c"}
_LATIN2021 = {**_ICAO, "ә": "ä", "ғ": "ğ", "қ": "q", "ң": "ñ", "ө": "ö", "ұ": "ū", "ү": "ü",
              "і": "ı", "и": "i", "й": "i", "ж": "j", "ш": "ş", "ч": "ç", "ы": "y", "х": "h"}


def _romanise(name: str, table: dict[str, str]) -> str:
    out = "".join(table.get(c, c) for c in name.lower())
    return out[:1].upper() + out[1:]


def _all_synthetic_names() -> list[str]:
    from partyledger import synthetic as s
    return sorted(set(s.KZ_MALE + s.KZ_FEMALE + s.KZ_SURNAME_ROOTS + s.RU_MALE + s.RU_FEMALE
                      + s.RU_SURNAMES))


@pytest.mark.parametrize("scheme", [_ICAO, _INFORMAL, _LATIN2021], ids=["icao", "informal", "latin2021"])
def test_every_synthetic_name_meets_its_romanisations(scheme):
    misses = {n: (_romanise(n, scheme), latin_key(n), latin_key(_romanise(n, scheme)))
              for n in _all_synthetic_names() if latin_key(_romanise(n, scheme)) != latin_key(n)}
    assert misses == {}
