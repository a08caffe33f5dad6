"""Review: duplicate candidates side by side (merge, mark different, skip, unmerge) and the quarantine.

Nothing is merged automatically; ``dedupe.scan`` fills the queue and an organizer decides one pair
at a time, seeing every difference and the reasons the scorer gave. A merge keeps the absorbed
record whole, so ``unmerge`` can put it back exactly. Quarantined rows are fixed in a form with the
same validation as everywhere else and promoted to members, or by value: the "By value" tab lists the
open rows grouped by reason and bad value, and Enter on a region text maps it to a unit once
(``quarantine.map_region``, the core function ``partyledger quarantine map`` calls), which promotes
every row with that text and remembers it for later imports.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from partyledger.presentation.i18n import _
from partyledger.tui.plain import cell, safe
from partyledger.tui.screens.quarantine_fix import reasons
from partyledger.tui.screens.base import LedgerScreen
from partyledger.tui.widgets.pair_view import PairView
from partyledger.tui.widgets.progress_panel import ProgressPanel

QUEUE_SHOWN = 500       # pairs loaded at once: the organizer decides the top of the queue first


def load_queue(ledger) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Undecided pairs (highest score first) with both members, open quarantine rows, their value groups."""
    from partyledger.ledger.dedupe.queue import review_queue
    from partyledger.ledger.intake import quarantine
    from partyledger.ledger.members import service

    with ledger.session() as session:
        pairs = [{"a": service.member_dict(a), "b": service.member_dict(b), "score": row.score,
                  "reasons": list(row.reasons or [])}
                 for row, a, b in review_queue(session, limit=QUEUE_SHOWN) if a is not None and b is not None]
        rows_q = quarantine.list_quarantine(session, limit=1000)
        groups = quarantine.value_groups(session)
    return pairs, rows_q, groups



class ReviewScreen(LedgerScreen):
    SCREEN_NAME = "review"
    BINDINGS = [
        Binding("1", "merge('a')", _("Merge, keep A")),
        Binding("2", "merge('b')", _("Merge, keep B")),
        Binding("x", "different", _("Different people")),
        Binding("n", "skip", _("Skip")),
        Binding("u", "unmerge", _("Unmerge")),
        Binding("s", "scan", _("Scan again")),
        Binding("delete", "discard", _("Discard row")),
        Binding("escape", "back", _("Back / cancel")),
    ]

    def __init__(self, tab: str = "duplicates") -> None:
        super().__init__()
        self.start_tab = tab
        self.pairs: list[dict[str, Any]] = []
        self.index = 0
        self.quarantine: list[dict[str, Any]] = []
        self.groups: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Static(_("Review"), classes="title")
        with TabbedContent(id="review-tabs", initial="tab-" + self.start_tab):
            with TabPane(_("Duplicates"), id="tab-duplicates"):
                with Vertical():
                    yield Static("", id="pair-title")
                    yield PairView(id="pair-view")
                    yield Static("", id="pair-reasons")
            with TabPane(_("Quarantine"), id="tab-quarantine"):
                yield Static(_("Enter on a row to fix it and promote it to a member."), classes="hint")
                yield DataTable(id="quarantine-table", cursor_type="row", zebra_stripes=True)
            with TabPane(_("By value"), id="tab-values"):
                yield Static(_("Rows grouped by reason and bad value. Enter on a region text maps it to a unit "
                               "once: every row with it is fixed, and later imports read it."), classes="hint")
                yield DataTable(id="values-table", cursor_type="row", zebra_stripes=True)
        yield ProgressPanel(id="review-progress")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pair decisions only on the duplicates tab (1, 2, x, n mean nothing on the quarantine)."""
        if action in ("merge", "different", "skip", "discard"):
            try:
                tab = self.query_one("#review-tabs", TabbedContent).active
            except Exception:  # noqa: BLE001 - before compose finishes
                return True
            return tab == ("tab-quarantine" if action == "discard" else "tab-duplicates")
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    def on_mount(self) -> None:
        table = self.query_one("#quarantine-table", DataTable)
        table.add_columns(_("Id"), _("File"), _("Sheet"), _("Row"), _("Reasons"), _("Cells"))
        self.query_one("#values-table", DataTable).add_columns(_("Rows"), _("Field"), _("Value"), _("Reason"))
        self.reload()

    def reload(self) -> None:
        self.start_work(lambda: load_queue(self.ledger), name="queue", exclusive=True)

    def worker_succeeded(self, name: str, result: Any) -> None:
        if name == "queue":
            self.pairs, self.quarantine, self.groups = result
            self.index = min(self.index, max(len(self.pairs) - 1, 0))
            self.show_pair()
            self.show_quarantine()
            self.show_groups()
        elif name == "scan":
            self.query_one(ProgressPanel).end()
            self.notify(_("Scan done: {n} candidate pairs ({new} new).").format(n=len(result.candidates), new=result.new))
            self.reload()
        elif name == "decision":
            self.notify(result)
            self.reload()

    def worker_failed(self, worker, error) -> None:
        self.query_one(ProgressPanel).end()
        super().worker_failed(worker, error)

    # --- duplicates ------------------------------------------------------------------------------
    def current(self) -> dict[str, Any] | None:
        return self.pairs[self.index] if 0 <= self.index < len(self.pairs) else None

    def show_pair(self) -> None:
        pair = self.current()
        title = self.query_one("#pair-title", Static)
        reasons = self.query_one("#pair-reasons", Static)
        view = self.query_one(PairView)
        if pair is None:
            title.update(_("No duplicate candidates to decide. s scans the ledger again; u undoes a merge."))
            reasons.update("")
            view.clear()
            return
        title.update(_("Pair {i} of {n}, score {score:.0f}: same person?  1/2 merge (keep A/B), x different, n skip")
                     .format(i=self.index + 1, n=len(self.pairs), score=pair["score"]))
        view.show_pair(pair["a"], pair["b"])
        reasons.update(_("Reasons: ") + "; ".join(
            f"{safe(r.get('detail') or r.get('code'))} (+{r.get('weight', 0)})" for r in pair["reasons"]))

    def decide(self, fn, message: str) -> None:
        def work() -> str:
            with self.ledger.session() as session:
                fn(session)
            return message
        self.start_work(work, name="decision", exclusive=True)

    def action_merge(self, keep: str) -> None:
        from partyledger.ledger.dedupe.merge import merge

        pair = self.current()
        if pair is None:
            return
        kept, absorbed = (pair["a"], pair["b"]) if keep == "a" else (pair["b"], pair["a"])
        self.decide(lambda s: merge(s, kept["id"], absorbed["id"]),
                    _("Merged: kept {iin}; u undoes it.").format(iin=kept["iin"]))

    def action_different(self) -> None:
        from partyledger.ledger.dedupe.merge import decide
        from partyledger.ledger.enums import Decision

        pair = self.current()
        if pair is not None:
            self.decide(lambda s: decide(s, pair["a"]["id"], pair["b"]["id"], Decision.DIFFERENT),
                        _("Marked as different people; this pair will not be proposed again."))

    def action_skip(self) -> None:
        if self.pairs:
            self.index = (self.index + 1) % len(self.pairs)
            self.show_pair()

    def action_unmerge(self) -> None:
        from partyledger.ledger.dedupe.queue import merge_history
        from partyledger.tui.screens.choice_modal import ChoiceModal

        with self.ledger.session() as session:
            merges = merge_history(session, include_undone=False, newest_first=True, limit=100)
        choices = [(str(m.merge_id), _("merge {id} at {at}: kept {kept}, absorbed {iin} {name}").format(
            id=m.merge_id, at=f"{m.merged_at:%Y-%m-%d %H:%M}", kept=m.kept_iin or "?", iin=m.absorbed_iin,
            name=m.absorbed_name)) for m in merges]

        def chosen(merge_id: str | None) -> None:
            from partyledger.ledger.dedupe.merge import unmerge

            if merge_id is not None:
                self.decide(lambda s: unmerge(s, int(merge_id)), _("Merge {id} undone.").format(id=merge_id))
        self.app.push_screen(ChoiceModal(_("Undo which merge?"), choices, empty=_("No merges to undo.")), chosen)

    def action_scan(self) -> None:
        from partyledger.ledger.dedupe.scan import scan

        panel = self.query_one(ProgressPanel)
        cancel = panel.begin(_("Scanning for duplicates..."))
        on_progress = panel.callback()

        def work():
            with self.ledger.session() as session:
                return scan(session, on_progress=on_progress, cancel=cancel)
        self.start_work(work, name="scan", long=True, exclusive=True)

    # --- quarantine ------------------------------------------------------------------------------
    def show_quarantine(self) -> None:
        table = self.query_one("#quarantine-table", DataTable)
        table.clear()
        for q in self.quarantine:
            cells = ", ".join(str(v) for v in (q["raw"] or {}).values() if v not in (None, ""))
            table.add_row(str(q["id"]), cell(q["file_name"]), cell(q.get("sheet") or ""), str(q["row"]),
                          cell(reasons(q["codes"])[:60]), cell(cells[:60]), key=str(q["id"]))

    def action_discard(self) -> None:
        """Keep a row out for good (a duplicate, a test line); it stays on record as discarded."""
        from partyledger.ledger.intake.quarantine import discard_row

        table = self.query_one("#quarantine-table", DataTable)
        if not table.row_count:
            return
        qid = int(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)
        self.decide(lambda s: discard_row(s, qid, reason="discarded in review"),
                    _("Row {id} discarded; it stays on record.").format(id=qid))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from partyledger.tui.screens.quarantine_fix import QuarantineFixModal

        if event.data_table.id == "values-table" and event.row_key.value is not None:
            event.stop()
            self.map_group(self.groups[int(event.row_key.value)])
            return
        if event.data_table.id != "quarantine-table" or event.row_key.value is None:
            return
        event.stop()
        row = next(q for q in self.quarantine if str(q["id"]) == event.row_key.value)

        def done(promoted: bool | None) -> None:
            if promoted:
                self.reload()
        self.app.push_screen(QuarantineFixModal(row), done)

    # --- by value --------------------------------------------------------------------------------
    def show_groups(self) -> None:
        table = self.query_one("#values-table", DataTable)
        table.clear()
        for k, g in enumerate(self.groups):
            table.add_row(str(g["rows"]), g["field"] or "", cell(g["value"] or _("(empty)")), _(g["reason"]),
                          key=str(k))

    def map_group(self, group: dict[str, Any]) -> None:
        """Ask for the unit a region text stands for, then fix every row with it (and remember it)."""
        from partyledger.presentation.i18n import unit_name
        from partyledger.tui.screens.choice_modal import ChoiceModal

        if group["field"] != "region" or not group["value"] or not group["code"].startswith("unit."):
            self.notify(_("Only a region text can be fixed by value; fix these rows one by one in the "
                          "Quarantine tab."), severity="warning")
            return
        rules, today = self.ledger.rules, self.ledger.today
        choices = [(u.code, f"{u.code}  {unit_name(u)}") for u in rules.units.in_force(today)]

        def chosen(code: str | None) -> None:
            from partyledger.ledger.intake.quarantine import map_region

            if code is None:
                return

            def work() -> str:
                with self.ledger.session() as session:
                    done = map_region(session, group["value"], code, units=rules.units, as_of=today)
                return _("{text} is unit {code} from now on: {promoted} rows promoted, {open} still open.").format(
                    text=safe(group["value"]), code=code, promoted=done["promoted"], open=done["still_open"])
            self.start_work(work, name="decision", exclusive=True)
        self.app.push_screen(ChoiceModal(_("Which unit is {text}?").format(text=safe(group["value"])), choices),
                             chosen)
