"""How likely two members are one person: a score from evidence, with every reason and its weight.

The ledger holds only checksum-valid, unique IINs, so a real duplicate always carries a *different*
valid IIN. A typo in the 11th digit keeps the number valid about 90% of the time (its weight is 0
mod 11), so a valid IIN proves nothing; what counts is how the two IINs differ. One substituted
digit or two swapped neighbours is the strongest single hint. Names decide the rest: twins share the
birth date, surname, patronymic, address and often a family phone, and their IINs are often one
digit apart (consecutive serials); only the given name tells them apart, so a given name that does
not match costs more than any shared detail earns. Namesakes born the same day share everything
about the name but their IINs are unrelated, and without that the score stays under the threshold.

A woman registered again under her married name keeps her given name, patronymic and birth date;
only the surname changes. So a different surname is a penalty, except when the given name and the
patronymic match, one of the two IINs is a woman's, and the IINs are one typo apart or carry the
same birth date: then it is ``name.surname_changed``, evidence *for* the pair (with the same phone
it reaches the queue even with unrelated IINs).

A pair whose given names are not identical after folding (a typo or a variant, but also twins:
Анна/Жанна, and Марина/Мария, which fold to "marina"/"maria", 91% alike), or whose surname changed,
is never high-confidence however much else matches. Twins share everything else (birth date,
surname, patronymic, address, the family phone, IINs one digit apart), so nothing but the given
name can tell them from a typo. Such a score is capped under ``HIGH_CONFIDENCE`` with a
``review.names_differ`` reason: the readiness report never counts twins as one member by itself, and
an organizer looks at every such pair (on the benchmark this moves 0.5% of true pairs from
high-confidence to review only).

Weights are points out of 100 (clipped to 0..100), chosen on ``bench/dedupe_truth.py`` and kept
few and round so an organizer can follow them in ``dedupe review``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from partyledger.ledger.dedupe.records import Prepared
from partyledger.ledger.dedupe.thresholds import HIGH_CONFIDENCE

W_IIN_NEAR = 40          # one digit or one adjacent transposition apart
W_BIRTH_SAME = 15
W_NAME_SAME = 35         # both names match (either order)
W_NAME_SIMILAR = 25
W_NAME_CLOSE = 10
W_GIVEN_DIFFERS = -35    # same surname, another given name: a sibling or twin
W_NAME_DIFFERENT = -40
W_SURNAME_DIFFERS = -20  # same given name, another surname: a namesake
W_SURNAME_CHANGED = 25   # ... unless a married name is likely (see the module docstring)
W_GIVEN_SIMILAR = 5      # same surname, given names close but not equal: a typo, or twins Анна/Жанна
W_PATRONYMIC_SAME = 5
W_PATRONYMIC_DIFFERS = -15
W_PHONE_SAME = 15
W_ADDRESS_SAME = 10
W_SWAPPED = 0            # reported, not scored: the name weight already counts the swapped order

SAME, SIMILAR, CLOSE, DIFFERENT = 90.0, 80.0, 70.0, 70.0
REVIEW_CAP = HIGH_CONFIDENCE - 5
"""The highest score of a pair whose names differ (``_NAMES_DIFFER``): always reviewed, never counted."""
_NAMES_DIFFER = frozenset({"name.given_similar", "name.given_variant", "name.surname_changed"})
_FEMALE_DIGITS = "246"    # 7th IIN digit: century and sex, even for women


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of evidence: a stable code, its weight in points, and the detail an organizer reads."""

    code: str
    weight: int
    detail: str

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "weight": self.weight, "detail": self.detail}


def iin_relation(a: str, b: str) -> tuple[str, int] | None:
    """("one_digit", pos) or ("transposition", pos), 0-based; None for identical or farther IINs."""
    if len(a) != len(b):
        return None
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if len(diff) == 1:
        return "one_digit", diff[0]
    if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
        return "transposition", diff[0]
    return None


def similarity(a: str, b: str) -> float:
    """0..100 normalised Indel similarity (rapidfuzz ``fuzz.ratio``); empty never matches."""
    if not a or not b:
        return 0.0
    return Indel.normalized_similarity(a, b) * 100.0


def _names(a: Prepared, b: Prepared) -> tuple[float, float, bool]:
    """(surname, given) similarity in the better orientation, and whether that is the swapped one.
    Crossed wins when its weaker name beats the straight one's by 10, unless one name already matches
    in place and the crossed reading is not similar throughout (a changed surname, not a swap)."""
    straight = (similarity(a.surname, b.surname), similarity(a.given, b.given))
    crossed = (similarity(a.surname, b.given), similarity(a.given, b.surname))
    if min(crossed) > min(straight) + 10 and not (max(straight) >= SAME and min(crossed) < SIMILAR):
        return crossed[0], crossed[1], True
    return straight[0], straight[1], False


def _may_be_married(a: Prepared, b: Prepared, pat: float | None, iin_near: bool) -> bool:
    """A surname change is plausible: a woman's IIN, the same patronymic, and the IINs one typo apart
    or the same birth date (the given name is checked by the caller)."""
    female = a.iin[6:7] in _FEMALE_DIGITS or b.iin[6:7] in _FEMALE_DIGITS
    return female and pat is not None and pat >= SIMILAR and (iin_near or bool(a.birth) and a.birth == b.birth)


def _name_reasons(a: Prepared, b: Prepared, iin_near: bool) -> list[Reason]:
    sur, giv, swapped = _names(a, b)
    pat = similarity(a.patronymic, b.patronymic) if a.patronymic and b.patronymic else None
    out = []
    if swapped:
        out.append(Reason("name.swapped", W_SWAPPED, "surname and given name are exchanged"))
    low = min(sur, giv)
    detail = f"surname {sur:.0f}%, given name {giv:.0f}%"
    if low >= SAME:
        out.append(Reason("name.same", W_NAME_SAME, detail))
        if giv < 100.0:
            out.append(Reason("name.given_variant", 0, "given names not identical: a variant, or twins?"))
    elif sur >= SAME and giv >= SIMILAR:
        out.append(Reason("name.given_similar", W_GIVEN_SIMILAR, detail))
    elif low >= SIMILAR:
        out.append(Reason("name.similar", W_NAME_SIMILAR, detail))
    elif sur >= SIMILAR:
        out.append(Reason("name.given_differs", W_GIVEN_DIFFERS, detail))
    elif giv >= SAME and not swapped and _may_be_married(a, b, pat, iin_near):
        out.append(Reason("name.surname_changed", W_SURNAME_CHANGED, detail + ": a married name?"))
    elif giv >= SIMILAR:
        out.append(Reason("name.surname_differs", W_SURNAME_DIFFERS, detail))
    elif low >= CLOSE:
        out.append(Reason("name.close", W_NAME_CLOSE, detail))
    elif max(sur, giv) < DIFFERENT:
        out.append(Reason("name.different", W_NAME_DIFFERENT, detail))
    if pat is not None:
        if pat >= SIMILAR:
            out.append(Reason("patronymic.same", W_PATRONYMIC_SAME, f"patronymic {pat:.0f}%"))
        elif pat < DIFFERENT:
            out.append(Reason("patronymic.differs", W_PATRONYMIC_DIFFERS, f"patronymic {pat:.0f}%"))
    return out


def score_pair(a: Prepared, b: Prepared) -> tuple[int, list[Reason]]:
    """The score (0..100) and the reasons behind it; the same whichever record comes first."""
    if a.iin > b.iin:           # one canonical orientation, so swapped-name details cannot depend on order
        a, b = b, a
    reasons: list[Reason] = []
    rel = iin_relation(a.iin, b.iin)
    if rel is not None:
        kind, pos = rel
        where = "birth date part" if pos < 6 else ("century/sex digit" if pos == 6 else "serial/check part")
        if kind == "one_digit":
            detail = f"digit {pos + 1} differs ({a.iin[pos]}/{b.iin[pos]}, {where})"
        else:
            detail = f"digits {pos + 1}-{pos + 2} swapped ({where})"
        reasons.append(Reason(f"iin.{kind}", W_IIN_NEAR, detail))
    if a.birth and a.birth == b.birth:
        reasons.append(Reason("birth_date.same", W_BIRTH_SAME, "same birth date in the IIN"))
    reasons.extend(_name_reasons(a, b, iin_near=rel is not None))
    if a.phone and a.phone == b.phone:
        reasons.append(Reason("phone.same", W_PHONE_SAME, a.phone))
    if a.address and a.address == b.address:
        reasons.append(Reason("address.same", W_ADDRESS_SAME, "same address"))
    total = sum(r.weight for r in reasons)
    if total > REVIEW_CAP and any(r.code in _NAMES_DIFFER for r in reasons):
        reasons.append(Reason("review.names_differ", REVIEW_CAP - total,
                              f"a name differs: at most {REVIEW_CAP}, an organizer decides"))
        total = REVIEW_CAP
    return max(0, min(100, total)), reasons
