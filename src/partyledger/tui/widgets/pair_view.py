"""Two member records side by side, with the fields that differ highlighted, and the reasons.

The organizer decides whether two records are one person; the decision rests on the differences,
so those rows are marked (bold, with a ``≠``) and the scorer's reasons are listed with their points.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from partyledger.ledger.cleaning.text import visible
from textual.widgets import DataTable

from partyledger.presentation.i18n import _

SHOWN = [("iin", _("IIN")), ("surname", _("Surname")), ("given_name", _("Given name")),
         ("patronymic", _("Patronymic")), ("birth_date", _("Born")), ("sex", _("Sex")),
         ("unit_code", _("Unit")), ("locality", _("Locality")), ("address", _("Address")),
         ("phone", _("Phone")), ("email", _("E-mail")), ("joined_on", _("Joined")), ("status", _("Status")),
         ("batch_id", _("Batch"))]


class PairView(DataTable):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="none", zebra_stripes=False)
        self.differing: list[str] = []

    def on_mount(self) -> None:
        self.add_column("", key="field", width=11)
        self.add_column("A", key="a")
        self.add_column("", key="mark", width=1)
        self.add_column("B", key="b")

    def show_pair(self, a: dict[str, Any], b: dict[str, Any]) -> None:
        self.clear()
        self.differing = []
        for name, label in SHOWN:
            va, vb = a.get(name), b.get(name)
            differs = va not in (None, "") and vb not in (None, "") and va != vb
            if differs:
                self.differing.append(name)
            style = "bold reverse" if differs else ""
            self.add_row(label, Text(visible("" if va is None else va), style=style), "≠" if differs else "",
                         Text(visible("" if vb is None else vb), style=style), key=name)
