"""Fix one quarantined row in a small form and promote it to a member.

The row is shown as it came (file, sheet, row, the reasons in words and every cell under its own
header), and its cells mapped to fields with the batch's own mapping; the organizer corrects
what is wrong (a mistyped IIN, a missing region) and sees the validator's verdict as they type.
Promotion goes through ``quarantine.fix_row``, which validates again and refuses an IIN that is
already a member (then the row is a duplicate and should be discarded instead).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from partyledger.presentation.i18n import _
from partyledger.tui.plain import safe

def reasons(codes) -> str:
    """Issue codes in words, in the interface language (the catalogue's plain explanations)."""
    from partyledger.ledger.issues import CATALOGUE

    return "; ".join(_(CATALOGUE[c][1]) if c in CATALOGUE else c for c in codes)


EDITABLE = ["iin", "surname", "given_name", "patronymic", "full_name", "region", "locality", "phone", "joined_on"]


class QuarantineFixModal(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "cancel", _("Cancel")), Binding("ctrl+s", "promote", _("Promote"))]

    def __init__(self, row: dict[str, Any]) -> None:
        super().__init__()
        self.row = row
        self.original: dict[str, str] = {}
        self.aliases: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="qfix-box"):
            where = safe(self.row["file_name"]) + (f" / {safe(self.row['sheet'])}" if self.row.get("sheet") else "")
            yield Static(_("Quarantined row {row} of {file}: {codes}").format(
                row=self.row["row"], file=where, codes=reasons(self.row["codes"])), classes="title")
            yield Static("\n".join(f"{safe(header)}: {safe(value)}" for header, value in (self.row["raw"] or {}).items()
                                   if value not in (None, "")), id="qfix-cells")
            with VerticalScroll(id="qfix-fields"):
                for name in EDITABLE:
                    with Horizontal(classes="form-row"):
                        yield Label(name, classes="form-label")
                        yield Input(id=f"q-{name}", classes="form-input")
            yield Static("", id="qfix-status")
            with Horizontal(id="qfix-buttons"):
                yield Button(_("Promote"), id="qfix-promote", variant="primary")
                yield Button(_("Cancel"), id="qfix-cancel")

    def on_mount(self) -> None:
        from partyledger.ledger.intake.aliases import load_aliases
        from partyledger.ledger.intake.quarantine import row_fields

        with self.app.ledger.session() as session:
            fields = row_fields(session, self.row["id"])
            self.aliases = load_aliases(session)
        for name in EDITABLE:
            value = fields.get(name)
            self.original[name] = "" if value is None else str(value)
            self.query_one(f"#q-{name}", Input).value = self.original[name]
        self.query_one(f"#q-{EDITABLE[0]}", Input).focus()
        self.revalidate()

    def changes(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for name in EDITABLE:
            value = self.query_one(f"#q-{name}", Input).value.strip()
            if value != self.original[name]:
                out[name] = value or None
        return out

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.revalidate()

    def revalidate(self) -> bool:
        from partyledger.ledger.issues import Severity
        from partyledger.ledger.cleaning.validate import draft_from_fields

        fields = {n: self.query_one(f"#q-{n}", Input).value.strip() for n in EDITABLE}
        fields = {k: v for k, v in fields.items() if v}
        ledger = self.app.ledger
        result = draft_from_fields(fields, units=ledger.rules.units, as_of=ledger.today, aliases=self.aliases)
        errors = [i for i in result.issues if i.severity is Severity.ERROR]
        status = self.query_one("#qfix-status", Static)
        if errors or result.draft is None:
            status.update(_("Still invalid: {why}").format(
                why="; ".join(f"{i.field or i.code}: {i.message}" for i in errors) or _("incomplete")))
        else:
            status.update(_("Valid: Ctrl+S promotes it to a member."))
        status.set_class(bool(errors) or result.draft is None, "error-text")
        return not errors and result.draft is not None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_promote() if event.button.id == "qfix-promote" else self.dismiss(False)

    def action_promote(self) -> None:
        from partyledger.errors import PartyLedgerError
        from partyledger.ledger.intake.quarantine import fix_row

        ledger = self.app.ledger
        try:
            with ledger.session() as session:
                done = fix_row(session, self.row["id"], self.changes(), units=ledger.rules.units, as_of=ledger.today)
        except PartyLedgerError as error:
            status = self.query_one("#qfix-status", Static)
            status.update(str(error))
            status.add_class("error-text")
            return
        self.app.notify(_("Promoted: member {iin}.").format(iin=done["iin"]))
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
