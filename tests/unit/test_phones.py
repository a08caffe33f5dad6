"""Phones: every way people write a Kazakh number, and the fast path agreeing with phonenumbers."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partyledger.ledger.cleaning.phones import e164, normalize_phone


def authority(text: str) -> str | None:
    """phonenumbers alone, KZ default: what the fast path must reproduce."""
    try:
        number = phonenumbers.parse(text, "KZ")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@pytest.mark.parametrize("written", [
    "+7 701 123 45 67", "+7 (701) 123-45-67", "+77011234567", "8 701 123 4567", "8(701)1234567",
    "87011234567", "7011234567", "77011234567", "8-701-123-45-67", "8 (701) 123 45 67",
    "+7\u00a0701\u00a0123\u00a045\u00a067", " 8.701.123.45.67 ", 87011234567, 87011234567.0,
])
def test_every_common_way_to_write_one_mobile(written):
    assert normalize_phone(written) == ("+77011234567", None)


@pytest.mark.parametrize(("written", "expected"), [
    ("8 (7172) 55-55-55", "+77172555555"), ("+7 7172 555555", "+77172555555"),
    ("8 (727) 250-12-34", "+77272501234"),
    ("+7 916 123 45 67", "+79161234567"),          # a Russian mobile: valid, through phonenumbers
    ("+44 20 7946 0958", "+442079460958"),
])
def test_landlines_and_foreign_numbers(written, expected):
    assert normalize_phone(written)[0] == expected


@pytest.mark.parametrize("garbage", ["555-55-55", "8 701 123", "нет", "abc", "+7 701 123 45 67 89",
                                     "0000000000", "8 (999) 000-00-00-00"])
def test_invalid_numbers_are_a_warning_naming_the_value(garbage):
    number, found = normalize_phone(garbage, row=4)
    assert number is None
    assert found.code == "phone.invalid" and found.severity.value == "warning"
    assert garbage in found.message and found.row == 4


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_phone_is_no_finding(empty):
    assert normalize_phone(empty) == (None, None)


_FORMATS = [
    lambda c, n: f"+7 {c} {n[:3]} {n[3:5]} {n[5:]}", lambda c, n: f"+7 ({c}) {n[:3]}-{n[3:5]}-{n[5:]}",
    lambda c, n: f"8 {c} {n[:3]} {n[3:]}", lambda c, n: f"8({c}){n}", lambda c, n: f"8{c}{n}",
    lambda c, n: f"{c}{n}", lambda c, n: f"7{c}{n}", lambda c, n: f"+7{c}{n}",
    lambda c, n: f"8-{c}-{n[:3]}-{n[3:5]}-{n[5:]}", lambda c, n: f"8 ({c}) {n[:3]} {n[3:]}",
]


def _mixed_sample(n: int, seed: int = 11) -> list[str]:
    rnd = random.Random(seed)
    mobile = ["700", "701", "702", "705", "707", "708", "747", "760", "771", "775", "777", "778"]
    out = []
    for _ in range(n):
        roll = rnd.random()
        if roll < 0.5:
            code = rnd.choice(mobile)
        elif roll < 0.9:
            code = f"{rnd.randrange(1000):03d}"        # every prefix: valid, invalid, Russian
        else:
            out.append("".join(rnd.choice("0123456789 +-()") for _ in range(rnd.randrange(4, 16))))
            continue
        number = f"{rnd.randrange(10**7):07d}"
        out.append(rnd.choice(_FORMATS)(code, number))
    return out


def test_fast_path_agrees_with_phonenumbers_on_a_large_mixed_sample():
    sample = _mixed_sample(20_000)
    disagreements = [(s, e164(s), authority(s)) for s in sample if e164(s) != authority(s)]
    assert disagreements == []
    valid = sum(authority(s) is not None for s in sample)
    assert 0.3 * len(sample) < valid < 0.9 * len(sample)     # both outcomes are well represented


@settings(max_examples=1500)
@given(st.text(alphabet="0123456789+-() 78", min_size=0, max_size=20))
def test_fast_path_agrees_with_phonenumbers_on_arbitrary_digit_strings(text):
    assert e164(text) == authority(text.strip()) if text.strip() else e164(text) is None


@settings(max_examples=500)
@given(st.sampled_from(_FORMATS), st.sampled_from(["701", "777", "7172", "727"]),
       st.integers(0, 10**7 - 1))
def test_normalising_is_idempotent(fmt, code, number):
    digits = f"{number:07d}" if len(code) == 3 else f"{number:06d}"[:6]
    once, _ = normalize_phone(fmt(code, digits))
    if once is not None:
        assert normalize_phone(once) == (once, None)


@settings(max_examples=800)
@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(), st.none(), st.booleans()))
def test_any_cell_is_a_number_a_warning_or_empty_never_an_exception(value):
    number, found = normalize_phone(value)
    assert (number is None) or (found is None and number.startswith("+"))
    assert found is None or found.code == "phone.invalid"
