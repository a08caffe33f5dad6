"""A bar per territorial unit: counted against required and against the safe target.

The safe target (from the report: the required number times the campaign's safety factor) is there
because the ministry strikes names at its check (one party lost about 20,000 of 62,178). Units short of the minimum come
first, then those below the safe target, so the eye lands on what needs work. Enter on a unit posts
``UnitChosen`` (the dashboard opens the members of that unit).
"""

from __future__ import annotations

import math
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from partyledger.presentation.i18n import _, number

BAR_WIDTH = 20


def unit_bar(counted: int, required: int | None, safe: int | None, width: int = BAR_WIDTH) -> Text:
    """``█`` up to the count, scaled to the safe target, with ``│`` where the minimum falls."""
    top = max(safe or 0, required or 0, counted, 1)
    filled = min(width, round(width * counted / top))
    mark = None if not required else min(width - 1, round(width * required / top) - 1)
    style = "bold red" if required and counted < required else (
        "yellow" if safe and counted < safe else "green")
    bar = Text()
    for i in range(width):
        char = "█" if i < filled else ("│" if i == mark else "·")
        bar.append(char, style=style if i < filled else "dim")
    return bar


def sort_units(units: list[Any]) -> list[Any]:
    """Short of the minimum first (largest gap first), then below the safe target, then the rest."""
    def key(u: Any) -> tuple[int, float, str]:
        required, safe = u.required or 0, u.safe_target or 0
        rank = 0 if u.counted < required else (1 if u.counted < safe else 2)
        return rank, (u.counted / required if required else math.inf), u.code
    return sorted(units, key=key)


class UnitProgressTable(DataTable):
    class UnitChosen(Message):
        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.add_column(_("Unit"), key="unit", width=22)
        self.add_column(_("Counted"), key="counted")
        self.add_column(_("Need"), key="required")
        self.add_column(_("Safe"), key="safe")
        self.add_column("", key="bar", width=BAR_WIDTH)
        self.add_column("", key="status")

    def show_units(self, units: list[Any], names: dict[str, str] | None = None) -> None:
        """``units``: the report's ``UnitLine`` values (code, name, counted, required, safe_target);
        ``names``: unit code -> name in the app's language (the report's names are English)."""
        self.clear()
        names = names or {}
        for u in sort_units(units):
            required, counted, safe = u.required, u.counted, u.safe_target
            if required and counted < required:
                status = Text(_("short {n}").format(n=number(required - counted)), style="bold red")
            elif safe and counted < safe:
                status = Text(_("below safe"), style="yellow")
            else:
                status = Text(_("safe"), style="green")
            self.add_row(f"{u.code} {names.get(u.code, u.name)}"[:22], number(counted), number(required),
                         number(safe), unit_bar(counted, required, safe), status, key=str(u.code))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(self.UnitChosen(event.row_key.value))
