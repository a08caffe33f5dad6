"""The duplicate finder on records in memory: each kind of duplicate is found, look-alikes stay apart.

Every pair here has two different checksum-valid IINs, as in a real ledger (identical IINs never get
that far). Names are synthetic; IINs are made by the helpers, never taken from the research vectors.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe_helpers import ADDRESS, PHONE, codes, only_pair, rec, typo_pair, valid_iin
from partyledger.ledger.dedupe.scan import find_candidates
from partyledger.ledger.dedupe.scoring import iin_relation
from partyledger.ledger.dedupe.thresholds import DEFAULT_THRESHOLD, HIGH_CONFIDENCE
from partyledger.ledger.dedupe.records import fold_address, fold_name, fold_patronymic

# ---- normalisers --------------------------------------------------------------------------------

def test_names_fold_to_one_key_across_scripts_and_schemes() -> None:
    spellings = ["Нұрсұлтан", "Нурсултан", "Nursultan", "Nūrsūltan", "NURSULTAN", " нұрсұлтан "]
    assert {fold_name(s) for s in spellings} == {"nursultan"}
    assert {fold_name(s) for s in ["Жұмабаев", "Zhumabaev", "Jūmabaev", "Жумабаев"]} == {"jumabaev"}
    assert {fold_name(s) for s in ["Ерлан", "Yerlan", "Erlan"]} == {"erlan"}
    assert {fold_name(s) for s in ["Фёдорова", "Федорова", "Fyodorova", "Fedorova"]} == {"fedorova"}
    assert {fold_name(s) for s in ["Сейітқали", "Seyitkali", "Seııtqali"]} == {"seitkali"}


def test_patronymic_endings_fold_to_the_fathers_name() -> None:
    forms = ["Нұрсұлтанұлы", "Нурсултанович", "Nursultanuly", "Nursultan uly", "Нурсултановна", "Nursultanqyzy"]
    assert {fold_patronymic(f) for f in forms} == {"nursultan"}
    assert fold_patronymic("Серікович") != fold_patronymic("Ерланович")


def test_address_fold_ignores_street_words_and_punctuation() -> None:
    assert fold_address("ул. Абая, 12, кв. 5") == fold_address("Абая 12 кв 5") != ""
    assert fold_address("ул. Абая, 12, кв. 5") != fold_address("ул. Абая, 12, кв. 6")
    assert fold_address(None) == ""


def test_iin_relation_names_one_digit_and_transposition_only() -> None:
    assert iin_relation("850512300109", "850512300119") == ("one_digit", 10)
    assert iin_relation("850512300064", "850512300604") == ("transposition", 9)
    assert iin_relation("850512300064", "850512300000") is None      # two digits, not neighbours swapped
    assert iin_relation("850512300064", "850512300064") is None


# ---- each kind of planted duplicate is found ----------------------------------------------------

def test_eleventh_digit_typo_with_same_person_is_high_confidence() -> None:
    a, b = typo_pair("8505123", "digit11")
    c = only_pair([rec(1, a, "Омаров", "Нұрлан", "Серікұлы", PHONE, ADDRESS),
                   rec(2, b, "ОМАРОВ", "Нұрлан", "Серікұлы", "+77017654321")])
    assert c.score >= HIGH_CONFIDENCE
    assert {"iin.one_digit", "birth_date.same", "name.same"} <= codes(c)
    assert all(r.weight != 0 or r.code == "name.swapped" for r in c.reasons)


def test_adjacent_transposition_in_the_serial_is_found() -> None:
    a, b = typo_pair("9011024", "serial_swap")
    c = only_pair([rec(1, a, "Ахметова", "Айгүл"), rec(2, b, "Ахметова", "Айгүл")])
    assert "iin.transposition" in codes(c)


def test_birth_date_typo_in_the_iin_is_found_without_the_same_birth_date() -> None:
    a, b = typo_pair("7703153", "date_digit")
    c = only_pair([rec(1, a, "Кузнецов", "Сергей", "Викторович", PHONE), rec(2, b, "Кузнецов", "Сергей", None, PHONE)])
    assert "iin.one_digit" in codes(c) and "birth_date.same" not in codes(c)
    assert c.score >= DEFAULT_THRESHOLD


def test_cyrillic_and_latin_in_three_schemes_are_one_person() -> None:
    a, b = typo_pair("8806214", "digit11")
    cyrillic = rec(1, a, "Құнанбаева", "Әйгерім", "Нұрсұлтанқызы")
    for surname, given, patronymic in [("Qūnanbaeva", "Äigerım", "Nūrsūltanqyzy"),      # 2021 alphabet
                                       ("Kunanbayeva", "Aigerim", "Nursultankyzy"),     # passport
                                       ("Kunanbaeva", "Aygerim", "Nursultanovna")]:     # informal, Russian ending
        c = only_pair([cyrillic, rec(2, b, surname, given, patronymic)])
        assert c.score >= HIGH_CONFIDENCE, (surname, c)
        assert {"name.same", "patronymic.same"} <= codes(c)


def test_swapped_surname_and_given_name_are_found_and_said() -> None:
    a, b = typo_pair("6512013", "digit11")
    c = only_pair([rec(1, a, "Серікбаев", "Дәурен", phone=PHONE), rec(2, b, "Dauren", "Serikbaev", phone=PHONE)])
    assert {"name.swapped", "name.same", "phone.same"} <= codes(c)
    assert c.score >= HIGH_CONFIDENCE


def test_changed_phone_and_address_still_found_on_iin_and_name() -> None:
    a, b = typo_pair("7207073", "digit11")
    c = only_pair([rec(1, a, "Волков", "Игорь", "Юрьевич", PHONE, ADDRESS),
                   rec(2, b, "Волков", "Игорь", "Юрьевич", "+77471112233", "мкр. Самал, 3")])
    assert "phone.same" not in codes(c) and c.score >= DEFAULT_THRESHOLD


def test_same_name_date_and_phone_meet_even_with_iins_far_apart() -> None:
    """Blocking by birth date + name and by phone finds pairs the IIN neighbourhood cannot."""
    a = valid_iin("80010130100")
    b = valid_iin("80010130871")
    found = find_candidates([rec(1, a, "Ким", "Юлия", "Игоревна", PHONE, ADDRESS),
                             rec(2, b, "Kim", "Yuliya", "Igorevna", PHONE, ADDRESS)])
    assert len(found) == 1 and "iin.one_digit" not in codes(found[0])


# ---- look-alikes stay apart ---------------------------------------------------------------------

def test_twins_with_iins_one_digit_apart_are_not_proposed() -> None:
    a, b = typo_pair("0203045", "digit11")        # consecutive serials often differ in one digit
    assert find_candidates([rec(1, a, "Ермеков", "Арман", "Талғатұлы", PHONE, ADDRESS),
                            rec(2, b, "Ермеков", "Ерлан", "Талғатұлы", PHONE, ADDRESS)]) == []


def test_namesakes_born_the_same_day_are_not_proposed() -> None:
    a = valid_iin("91050540120")
    b = valid_iin("91050540777")
    assert iin_relation(a, b) is None
    assert find_candidates([rec(1, a, "Иванова", "Елена", "Сергеевна"),
                            rec(2, b, "Иванова", "Елена", "Сергеевна")]) == []


def test_namesakes_born_the_same_year_are_not_proposed() -> None:
    assert find_candidates([rec(1, valid_iin("85031230100"), "Оспанов", "Ербол"),
                            rec(2, valid_iin("85110230100"), "Оспанов", "Ербол")]) == []


def test_a_pair_already_decided_is_skipped() -> None:
    a, b = typo_pair("8505123", "digit11")
    records = [rec(1, a, "Омаров", "Нұрлан"), rec(2, b, "Омаров", "Нұрлан")]
    assert len(find_candidates(records)) == 1
    assert find_candidates(records, skip={(1, 2)}) == []


# ---- order independence ---------------------------------------------------------------------------

def _population() -> list:
    rng = random.Random(5)
    people = []
    names = [("Омаров", "Нұрлан"), ("Ахметова", "Айгүл"), ("Ким", "Юлия"), ("Петров", "Сергей"), ("Сәтбаев", "Асқар")]
    for i in range(40):
        surname, given = names[i % len(names)]
        first7 = f"{rng.randrange(60, 99)}0{rng.randrange(1, 10)}1{rng.randrange(1, 9)}{rng.choice('34')}"
        a, b = typo_pair(first7, rng.choice(["digit11", "serial_swap", "date_digit"]), start=rng.randrange(9000))
        people.append(rec(2 * i + 1, a, surname, given, phone=f"+7701{i:07d}"))
        if i % 3 == 0:
            people.append(rec(2 * i + 2, b, given, surname))                # swapped duplicate
        elif i % 3 == 1:
            people.append(rec(2 * i + 2, b, surname, "Другое"))             # sibling: stays apart
    return people


POPULATION = _population()
EXPECTED = find_candidates(POPULATION)


def test_population_finds_the_planted_duplicates_only() -> None:
    assert {(c.a_id, c.b_id) for c in EXPECTED} == {(2 * i + 1, 2 * i + 2) for i in range(0, 40, 3)}


@settings(max_examples=25, deadline=None)
@given(st.permutations(POPULATION))
def test_results_do_not_depend_on_input_order(records) -> None:
    assert find_candidates(records) == EXPECTED
