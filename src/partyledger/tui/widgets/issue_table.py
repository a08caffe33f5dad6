"""Counts by outcome and by issue code, with the catalogue's plain explanation of each code.

Used for the import preview and result: an organizer sees "iin.checksum 12: the IIN check digit is
wrong" rather than a bare code, and the same codes the CLI's ``--json`` counts.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

from partyledger.ledger.issues import CATALOGUE
from partyledger.presentation.i18n import _, number

OUTCOMES = [("rows", _("rows read")), ("created", _("new members")), ("updated", _("members filled in")),
            ("unchanged", _("already in the ledger")), ("quarantined", _("to quarantine")),
            ("duplicates_flagged", _("possible duplicates"))]


class IssueTable(DataTable):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.add_column(_("What"), key="what")
        self.add_column(_("Count"), key="count")
        self.add_column(_("Meaning"), key="meaning")

    def show_summary(self, summary: dict[str, Any], conflicts: int = 0) -> None:
        """``summary``: ``BatchResult.summary()`` (the ``import --json`` shape)."""
        self.clear()
        for key, label in OUTCOMES:
            self.add_row(label, number(summary.get(key, 0)), "", key=f"outcome:{key}")
        if conflicts:
            self.add_row(_("conflicts"), number(conflicts), _("stored value kept; differs from the sheet"),
                         key="outcome:conflicts")
        for code, count in sorted((summary.get("issues") or {}).items(), key=lambda kv: -kv[1]):
            severity, text = CATALOGUE.get(code, (None, ""))
            self.add_row(code, number(count), _(text), key=f"issue:{code}")
