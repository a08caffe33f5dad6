"""Members: the whole ledger, one page at a time, searchable as you type.

Search, filters and paging all go through ``service.list_members`` (keyset paging over indexed
keys), run in an exclusive worker so a fast typist never waits on the database and a stale result
never overwrites a newer one: a new keystroke cancels the query still running.
"""

from __future__ import annotations

import time
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Input, Select, Static

from partyledger.presentation.i18n import _, unit_name
from partyledger.tui.screens.base import LedgerScreen
from partyledger.tui.widgets.member_table import PAGE_SIZE, MemberTable

STATUSES = ("active", "withdrawn", "deceased", "excluded")


class MembersScreen(LedgerScreen):
    SCREEN_NAME = "members"
    BINDINGS = [
        Binding("slash", "focus_search", _("Search"), key_display="/"),
        Binding("a", "add", _("Add")),
        Binding("n", "next_page", _("Next page")),
        Binding("p", "prev_page", _("Prev page")),
        Binding("o", "cycle_sort", _("Sort")),
    ]
    SORT_LABELS = {"id": _("entry order"), "name": _("name"), "iin": _("IIN")}

    def __init__(self, unit: str | None = None) -> None:
        super().__init__()
        self.start_unit = unit
        self.sort = "id"          # service.SORT_ORDERS; a search sorts by what it matched
        self.cursors: list[Any] = [None]     # cursors[i] is the ``after`` that starts page i
        self.page_index = 0
        self.next_cursor: Any = None
        self.rows_shown = 0
        self.pages_shown = 0      # pages drawn so far (tests and the benchmark wait on it)
        self.typed_at = 0.0       # when the search text last changed (perf_counter)
        self.update_seconds: list[float] = []   # keystroke -> table repainted, for the benchmark

    def compose(self) -> ComposeResult:
        snapshot = self.ledger.snapshot()
        units = [(f"{u.code} {unit_name(u)}", u.code) for u in snapshot.units]
        yield Static(_("Members"), classes="title", id="members-title")
        with Horizontal(id="members-filters"):
            yield Input(placeholder=_("Search name (any script) or IIN"), id="members-search", select_on_focus=False)
            yield Select(units, prompt=_("All units"), id="members-unit")
            yield Select([(_(s), s) for s in STATUSES], prompt=_("Status"), id="members-status")
        yield MemberTable(id="members-table")
        yield Static("", id="members-page", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(MemberTable)
        table.unit_names = {u.code: unit_name(u, short=True) for u in self.ledger.snapshot().units}
        table.focus()
        if self.start_unit:
            with self.prevent(Select.Changed):
                self.query_one("#members-unit", Select).value = self.start_unit
        self.reload()

    # --- queries --------------------------------------------------------------------------------
    def criteria(self) -> dict[str, Any]:
        unit = self.query_one("#members-unit", Select).value
        status = self.query_one("#members-status", Select).value
        search = self.query_one("#members-search", Input).value.strip()
        return {"unit": unit if isinstance(unit, str) else None,
                "status": status if isinstance(status, str) else None,
                "search": search or None, "order": self.sort}

    def fetch(self, criteria: dict[str, Any], after: Any):
        from partyledger.ledger.members import service

        with self.ledger.session() as session:
            page = service.list_members(session, after=after, limit=PAGE_SIZE, **criteria)
            return [service.member_dict(m) for m in page.rows], page.next_cursor

    def reload(self) -> None:
        """Back to the first page for the current search and filters."""
        self.cursors = [None]
        self.page_index = 0
        self.load_page()

    def load_page(self) -> None:
        """Run the page query here, on the UI thread.

        A keyset page is an index range read (3-15 ms measured on an encrypted ledger, whatever its
        size), while handing it to a thread worker and back cost 80-120 ms per keystroke in
        ``bench/tui_bench.py``: the worker would make typing feel slower, not faster.
        """
        criteria, after = self.criteria(), self.cursors[self.page_index]
        with self.app.reporting_errors():
            self.worker_succeeded("page", self.fetch(criteria, after))

    def worker_succeeded(self, name: str, result: Any) -> None:
        if name != "page":
            return
        rows, self.next_cursor = result
        self.query_one(MemberTable).show_page(rows)
        if self.typed_at:
            typed, self.typed_at = self.typed_at, 0.0
            self.call_after_refresh(lambda: self.update_seconds.append(time.perf_counter() - typed))
        self.rows_shown = len(rows)
        self.pages_shown += 1
        first = self.page_index * PAGE_SIZE
        if rows:
            text = _("Rows {first}-{last}").format(first=first + 1, last=first + len(rows))
        else:
            filtered = any(v for k, v in self.criteria().items() if k != "order")
            text = _("No members match.") if filtered else _("The ledger has no members yet: press a to add one, or i to import a sheet.")
        if self.next_cursor is not None:
            text += "  " + _("n: next page")
        if self.page_index:
            text += "  " + _("p: previous page")
        self.query_one("#members-page", Static).update(text)

    # --- events ---------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        """Type to search: a printable key that no binding uses, pressed outside the search box (the table
        has focus on arrival), starts the search with that character, so an IIN's digits, a Cyrillic
        surname or a capitalised Latin one need no ``/`` first. Bound keys (``a`` Add, ``m`` Members...)
        keep their meaning."""
        search = self.query_one("#members-search", Input)
        if isinstance(self.focused, Select) or not event.is_printable or not event.character:
            return
        # A printable key reaching here with the box focused was queued to the table before the first
        # key moved the focus (a fast typist, a paste): it is text, even a bound letter ("Kasym").
        typing = self.focused is search
        if not typing and (event.character.isspace() or event.key in self.active_bindings):
            return
        event.stop()
        event.prevent_default()
        self.set_focus(search)        # now, not later (``focus()`` waits a turn): the next keys are on their way
        search.insert_text_at_cursor(event.character)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "members-search":
            self.typed_at = time.perf_counter()
            self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "members-search":
            self.query_one(MemberTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.reload()

    def on_member_table_member_chosen(self, event: MemberTable.MemberChosen) -> None:
        from partyledger.tui.screens.member_form import MemberFormScreen

        self.app.push_screen(MemberFormScreen(iin=event.iin), self.after_form)

    def after_form(self, saved: bool | None) -> None:
        if saved:
            self.load_page()

    # --- actions --------------------------------------------------------------------------------
    def action_cycle_sort(self) -> None:
        """Entry order -> name -> IIN; each is an indexed keyset, so sorting 1M members stays instant."""
        orders = list(self.SORT_LABELS)
        self.sort = orders[(orders.index(self.sort) + 1) % len(orders)]
        self.notify(_("Sorted by {what}").format(what=self.SORT_LABELS[self.sort]), timeout=2)
        self.reload()

    def action_focus_search(self) -> None:
        self.query_one("#members-search", Input).focus()

    def action_add(self) -> None:
        from partyledger.tui.screens.member_form import MemberFormScreen

        self.app.push_screen(MemberFormScreen(), self.after_form)

    def action_next_page(self) -> None:
        if self.next_cursor is None:
            return
        del self.cursors[self.page_index + 1:]
        self.cursors.append(self.next_cursor)
        self.page_index += 1
        self.load_page()

    def action_prev_page(self) -> None:
        if self.page_index:
            self.page_index -= 1
            self.load_page()
