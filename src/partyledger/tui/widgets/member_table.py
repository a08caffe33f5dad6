"""One page of members in a DataTable, and the keyset cursors to move between pages.

A DataTable costs about 0.28 ms per row added (research/perf-limits.md), so the table only ever
holds one page (``PAGE_SIZE`` rows) of the ledger; paging forward follows the service's keyset
cursor, paging back reuses the cursors already seen. That keeps every key press cheap on a ledger of
a million members.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message
from textual.widgets import DataTable

from partyledger.presentation.i18n import _
from partyledger.tui.plain import cell

PAGE_SIZE = 50     # a 40-line terminal shows ~30 rows; 50 keeps a redraw near 15 ms


def _value(member: Any, name: str) -> Any:
    return member.get(name) if isinstance(member, dict) else getattr(member, name, None)


class MemberTable(DataTable):
    """Shows rows given to ``show_page``; Enter posts ``MemberChosen`` with the IIN."""

    class MemberChosen(Message):
        def __init__(self, iin: str) -> None:
            super().__init__()
            self.iin = iin

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.unit_names: dict[str, str] = {}

    def on_mount(self) -> None:
        self.add_column(_("IIN"), key="iin", width=12)
        self.add_column(_("Surname"), key="surname")
        self.add_column(_("Given name"), key="given_name")
        self.add_column(_("Patronymic"), key="patronymic")
        self.add_column(_("Unit"), key="unit")
        self.add_column(_("Status"), key="status")

    def show_page(self, rows: list[Any]) -> None:
        self.clear()
        for member in rows:
            code = _value(member, "unit_code") or ""
            unit = f"{code} {self.unit_names.get(code, '')}".strip()[:18] if code else _("(check)")
            status = _value(member, "status")
            status = getattr(status, "value", status) or ""
            self.add_row(cell(_value(member, "iin")), cell(_value(member, "surname")),
                         cell(_value(member, "given_name")), cell(_value(member, "patronymic")),
                         cell(unit), _(status), key=_value(member, "iin"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(self.MemberChosen(event.row_key.value))
