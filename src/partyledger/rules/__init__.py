"""The law as dated data: rule files under ``rules/`` looked up by date (DESIGN.md section 4).

``load_rules("KZ").at(as_of)`` gives the thresholds in force on a date, each with its legal reference
and confidence; ``.units.resolve(text, locality, as_of=...)`` turns a typed region into a unit code.
No threshold is written in Python: see ``rules/README.md`` for the file format.
"""

from partyledger.rules.loader import list_jurisdictions, load_rules, shipped_rules_dir
from partyledger.rules.model import (PARAMETERS, BarredCategory, JurisdictionInfo, RuleSet, RuleSnapshot, RuleValue,
                                     Share, Version)
from partyledger.rules.units import Unit, UnitCatalogue, UnitResolution, locality_key

__all__ = [
    "PARAMETERS", "BarredCategory", "JurisdictionInfo", "RuleSet", "RuleSnapshot", "RuleValue", "Share", "Unit",
    "UnitCatalogue", "UnitResolution", "Version", "list_jurisdictions", "load_rules", "locality_key",
    "shipped_rules_dir",
]
