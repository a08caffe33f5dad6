"""The readiness report as JSON-ready data (DESIGN.md section 7 fields, plus citations and assumptions).

The field names are a public contract (scripts and the README rely on them): add fields, never rename.
Dates are ISO strings; ``met`` is true/false, or null when it cannot be judged yet. In
``initiative_group`` the sizes count eligible people only; ``listed`` is everybody holding the role and
``ineligible`` those who do not count, by primary reason (the same codes as ``excluded``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from partyledger.ledger.issues import CATALOGUE
from partyledger.report.model import Blocker, Citation, Readiness, UnitLine


def _d(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def citation_dict(c: Citation | None) -> dict[str, Any] | None:
    if c is None:
        return None
    value = c.value if isinstance(c.value, (int, float, str, bool, list, type(None))) else str(c.value)
    return {"rule_id": c.rule_id, "value": value, "effective_from": _d(c.effective_from),
            "reference": c.reference, "confidence": c.confidence, "note": c.note,
            "date_confidence": c.date_confidence, "strict": c.strict}


def blocker_dict(b: Blocker) -> dict[str, Any]:
    return {"code": b.code, "words": b.words, "numbers": b.numbers, "confidence": b.confidence}


def unit_dict(u: UnitLine) -> dict[str, Any]:
    return {"code": u.code, "name": u.name, "counted": u.counted, "required": u.required, "met": u.met,
            "short_by": u.short_by, "safe_target": u.safe_target, "needed_for_margin": u.needed_for_margin,
            "recent_joins": u.recent_joins, "reaches_min_on": _d(u.reaches_min_on),
            "reaches_safe_on": _d(u.reaches_safe_on), "maybe_moved": u.maybe_moved,
            "maybe_moved_to": list(u.maybe_moved_to), "confidence": u.confidence}


def readiness_dict(r: Readiness) -> dict[str, Any]:
    g = r.initiative_group
    return {
        "as_of": _d(r.as_of),
        "jurisdiction": r.jurisdiction,
        "party_name": r.party_name,
        "rule_version": {"effective_from": _d(r.rule_effective_from), "reference": r.rule_reference,
                         "confidence": r.rule_confidence},
        "ready": r.ready,
        "blockers": [blocker_dict(b) for b in r.blockers],
        "depends_on_day": r.depends_on_day,
        "alternative": None if r.alternative is None else {
            "why": r.alternative.why, "law_from": _d(r.alternative.law_from),
            "law_reference": r.alternative.law_reference, "ready": r.alternative.ready,
            "members_required": r.alternative.members_required,
            "blockers": [blocker_dict(b) for b in r.alternative.blockers]},
        "members_in_ledger": r.members_in_ledger,
        "members_counted": r.members_counted,
        "members_required": r.members_required,
        "members_excluded": r.members_excluded,
        "units": [unit_dict(u) for u in r.units],
        "initiative_group": {
            "size": g.size, "required": g.required, "units_covered": g.units_covered,
            "units_required": g.units_required, "met": g.met,
            "listed": g.group_listed, "ineligible": dict(g.group_ineligible),
            "committee": {"size": g.committee_size, "required": g.committee_required,
                          "outside_group": g.committee_outside_group, "met": g.committee_met,
                          "listed": g.committee_listed, "ineligible": dict(g.committee_ineligible)},
            "congress": {"attended_in_person": g.congress_attended, "required": g.required,
                         "units": g.congress_units, "checked_in": g.congress_checked_in,
                         "ineligible": dict(g.congress_ineligible), "by_unit": dict(g.congress_by_unit)},
        },
        "excluded": dict(r.excluded),
        "excluded_meaning": {code: CATALOGUE[code][1] for code in r.excluded if code in CATALOGUE},
        "duplicate_pairs": r.duplicate_pairs,
        "deadlines": [{"name": d.name, "due": _d(d.due), "days_left": d.days_left, "met": d.met,
                       "starts_from": d.starts_from, "assumption": d.assumption, "rule": citation_dict(d.citation),
                       "started_on": _d(d.started_on), "law_from": _d(d.law_from), "confidence": d.confidence,
                       "transitional": d.transitional, "depends_on_day": d.depends_on_day, "lapsed": d.lapsed,
                       "blocks_filing": d.counts}
                      for d in r.deadlines],
        "margin": {"safety_factor": r.margin.safety_factor, "members_with_margin": r.margin.members_with_margin,
                   "members_needed": r.margin.members_needed,
                   "units_short": [{"code": u.code, "name": u.name, "counted": u.counted,
                                    "safe_target": u.safe_target, "needed": u.needed_for_margin}
                                   for u in r.margin.units_short],
                   "bottlenecks": r.margin.bottlenecks},
        "projection": {"window_days": r.projection.window_days, "recent_joins": r.projection.recent_joins,
                       "rate_per_day": round(r.projection.rate_per_day, 2),
                       "reaches_min_on": _d(r.projection.reaches_min_on),
                       "reaches_safe_on": _d(r.projection.reaches_safe_on)},
        "checks": [{"name": c.name, "met": c.met, "actual": c.actual, "required": c.required,
                    "rule": citation_dict(c.citation), "note": c.note, "confidence": c.confidence}
                   for c in r.checks],
        "require_consent": r.require_consent,
        "uncertain": [citation_dict(c) for c in r.uncertain],
        "assumptions": list(r.assumptions),
    }
