"""Synthetic IINs for the dedupe tests: valid ones, and typos of them that still pass the checksum.

The ledger only ever holds checksum-valid IINs, so a duplicate the finder must catch carries a
*valid* IIN one typo away from the real one. These helpers search for such typos instead of
hard-coding numbers (and never use the public IIN test vectors).
"""

from __future__ import annotations

from partyledger.ledger.dedupe.records import PersonRecord
from partyledger.synthetic import iin_check_digit


def valid_iin(first11: str) -> str:
    """``first11`` plus its check digit, moving the serial on until one exists."""
    serial = int(first11[7:11])
    while True:
        head = first11[:7] + f"{serial % 10000:04d}"
        check = iin_check_digit(head)
        if check is not None:
            return head + str(check)
        serial += 1


def _ok(iin: str) -> bool:
    return iin_check_digit(iin[:11]) == int(iin[11])


def one_digit_typo(iin: str, positions: range | list[int] = range(12)) -> str:
    """A different valid IIN that differs from ``iin`` in exactly one of ``positions``."""
    for p in positions:
        for d in "0123456789":
            new = iin[:p] + d + iin[p + 1:]
            if new != iin and _ok(new) and (p > 5 or _real_date(new)):
                return new
    raise AssertionError(f"no valid one-digit typo of {iin} in {list(positions)}")


def transposition_typo(iin: str, positions: range | list[int] = range(11)) -> str:
    """A different valid IIN with digits p and p+1 of ``iin`` swapped, p in ``positions``."""
    for p in positions:
        new = iin[:p] + iin[p + 1] + iin[p] + iin[p + 2:]
        if new != iin and _ok(new) and _real_date(new):
            return new
    raise AssertionError(f"no valid transposition of {iin}")


def _real_date(iin: str) -> bool:
    month, day = int(iin[2:4]), int(iin[4:6])
    return 1 <= month <= 12 and 1 <= day <= 28


def rec(id_: int, iin: str, surname: str, given: str, patronymic: str | None = None, phone: str | None = None,
        address: str | None = None) -> PersonRecord:
    return PersonRecord(id_, iin, surname, given, patronymic, phone, address)


def typo_pair(first7: str, kind: str, start: int = 0) -> tuple[str, str]:
    """(iin, typo) for a person born ``first7`` (YYMMDD + century digit): the first serial from
    ``start`` that has a valid typo of ``kind`` ("digit11", "serial_swap", "date_digit")."""
    for serial in range(start, start + 10000):
        iin = valid_iin(first7 + f"{serial % 10000:04d}")
        try:
            if kind == "digit11":
                return iin, one_digit_typo(iin, [10])
            if kind == "serial_swap":
                return iin, transposition_typo(iin, range(7, 11))
            return iin, one_digit_typo(iin, range(6))
        except AssertionError:
            continue
    raise AssertionError(f"no {kind} typo for {first7}")


PHONE = "+77011234567"
ADDRESS = "ул. Абая, 12, кв. 5"


def codes(candidate) -> set[str]:
    """The reason codes of a candidate pair."""
    return {r.code for r in candidate.reasons}


def only_pair(records):
    """The one candidate pair among ``records`` (fails when there is not exactly one)."""
    from partyledger.ledger.dedupe.scan import find_candidates

    found = find_candidates(records)
    assert len(found) == 1, found
    return found[0]
