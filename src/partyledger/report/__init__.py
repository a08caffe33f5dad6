"""Readiness assessment and its renderings (JSON data, HTML page); no terminal or spreadsheet code here.

``assess_readiness`` answers "can we file on this date, and what is missing?"; ``member_verdicts`` lists
member by member who does not count and why (paged, only when asked: it holds personal data).
"""

from partyledger.report.model import Citation, Readiness, UnitLine
from partyledger.report.readiness import assess_readiness

__all__ = ["Citation", "Readiness", "UnitLine", "assess_readiness"]
