"""Add or edit one member, checked as you type; withdraw; the member's history from the audit log.

Validation is the same code the importer uses (``validate.draft_from_fields``), run on every change,
so the form can never accept a row an import would quarantine. Save is refused, with the reason,
while any ``error`` finding remains; warnings are shown and allowed. The IIN of a stored member is
read-only: it is the member's identity, and a wrong one is fixed by withdrawing and re-adding.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from partyledger.presentation.i18n import _, unit_name
from partyledger.tui.plain import cell, safe
from partyledger.tui.screens.base import LedgerScreen

# (field, label); "region" is the unit as typed: a code, a name in any language, or an alias.
FIELDS: list[tuple[str, str]] = [
    ("iin", _("IIN")), ("surname", _("Surname")), ("given_name", _("Given name")),
    ("patronymic", _("Patronymic")), ("region", _("Unit")), ("locality", _("Locality")),
    ("phone", _("Phone")), ("email", _("E-mail")), ("joined_on", _("Joined on")),
]
FIELD_ISSUE_MAP = {"unit_code": "region", "birth_date": "iin", "sex": "iin", "full_name": "surname"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


class MemberFormScreen(LedgerScreen):
    """``iin=None`` adds a member; otherwise edits the member with that IIN. Dismisses True when saved."""

    SCREEN_NAME = "member_form"
    BINDINGS = [
        Binding("ctrl+s", "save", _("Save")),
        Binding("ctrl+o", "withdraw", _("Withdraw")),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(self, iin: str | None = None) -> None:
        super().__init__()
        self.iin = iin
        self.original: dict[str, str] = {}
        self.issues: list[Any] = []
        self.draft: Any = None

    # --- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        title = _("Edit member") if self.iin else _("Add a member")
        yield Static(title, classes="title", id="form-title")
        with VerticalScroll(id="form-fields"):
            for name, label in FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield Input(id=f"f-{name}", classes="form-input",
                                placeholder=_("YYYY-MM-DD") if name == "joined_on" else "")
                    yield Static("", id=f"note-{name}", classes="form-note")
                if name == "region":
                    yield OptionList(id="unit-choices")
            with Horizontal(id="form-buttons"):
                yield Button(_("Save"), id="form-save", variant="primary")
                if self.iin:
                    yield Button(_("Withdraw"), id="form-withdraw", variant="warning")
            if self.iin:
                yield Static(_("History (from the audit log)"), classes="title")
                yield DataTable(id="history-table", cursor_type="row")
        yield Static("", id="form-status")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return bool(self.iin) if action == "withdraw" else True

    def on_mount(self) -> None:
        if self.iin:
            self.load_member()
        self.query_one("#f-iin", Input).focus() if not self.iin else self.query_one("#f-surname", Input).focus()
        self.revalidate()

    def load_member(self) -> None:
        from partyledger.ledger.storage import audit
        from partyledger.ledger.members import service

        with self.app.reporting_errors(), self.ledger.session() as session:
            member = service.get_member(session, self.iin)
            data = service.member_dict(member)
            events = [audit.event_dict(e) for e in audit.history(session, "member", member.id)]
        data["region"] = data.get("unit_code") or data.get("region_text") or ""
        for name, _label in FIELDS:
            self.original[name] = _text(data.get(name))
            self.query_one(f"#f-{name}", Input).value = self.original[name]
        self.query_one("#f-iin", Input).disabled = True
        status = data.get("status") or "active"
        if status != "active":
            self.query_one("#form-title", Static).update(
                _("Edit member ({status} on {on})").format(status=_(status), on=data.get("status_on") or "?"))
        self.fill_history(events)

    def fill_history(self, events: list[dict[str, Any]]) -> None:
        table = self.query_one("#history-table", DataTable)
        table.add_columns(_("When"), _("What"), _("Who"), _("Changed"))
        for event in events:
            before, after = event.get("before") or {}, event.get("after") or {}
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            table.add_row(str(event.get("at", ""))[:16], cell(event.get("action")), cell(event.get("actor")),
                          cell(", ".join(changed)[:40]))

    # --- validation as you type ----------------------------------------------------------------
    def values(self) -> dict[str, str]:
        return {name: self.query_one(f"#f-{name}", Input).value.strip() for name, _label in FIELDS}

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "f-region":
            self.show_unit_choices(event.value)
        self.revalidate()

    def revalidate(self) -> None:
        from partyledger.ledger.cleaning import validate
        from partyledger.ledger.issues import Severity

        fields = {k: v for k, v in self.values().items() if v}
        result = validate.draft_from_fields(fields, units=self.ledger.rules.units, as_of=self.ledger.today)
        self.draft, self.issues = result.draft, list(result.issues)
        notes: dict[str, list[Any]] = {name: [] for name, _label in FIELDS}
        for found in self.issues:
            notes.setdefault(FIELD_ISSUE_MAP.get(found.field or "", found.field or ""), []).append(found)
        for name, _label in FIELDS:
            note = self.query_one(f"#note-{name}", Static)
            problems = notes.get(name, [])
            errors = [p for p in problems if p.severity is Severity.ERROR]
            if problems:
                note.update(safe(problems[0].message))
            else:
                note.update(self.derived_note(name))
            note.set_class(bool(errors), "-error")
            note.set_class(bool(problems) and not errors, "-warning")
        blocking = self.blocking_reason()
        self.query_one("#form-status", Static).update(_("Cannot save yet: {reason}").format(reason=safe(blocking))
                                                      if blocking else _("Ready to save (Ctrl+S)."))
        self.query_one("#form-status", Static).set_class(bool(blocking), "-error")

    def derived_note(self, name: str) -> str:
        """What the app understood from a valid field (birth date and sex from the IIN, the unit, ...)."""
        text = self.query_one(f"#f-{name}", Input).value.strip()
        if not text:
            return ""
        if name == "iin":
            from partyledger.ledger.cleaning.iin import parse_iin

            parsed = parse_iin(text)
            if parsed.birth_date is None:
                return ""
            sex = {"M": _("male"), "F": _("female")}.get(parsed.sex or "", "")
            return _("born {date}, {sex}").format(date=parsed.birth_date.isoformat(), sex=sex)
        if name == "region":
            found = self.ledger.rules.units.resolve(text, as_of=self.ledger.today)
            unit = next((u for u in self.ledger.snapshot().units if u.code == found.code), None)
            return f"{unit.code} {unit_name(unit)}" if unit else ""
        if name == "phone":
            from partyledger.ledger.cleaning.phones import normalize_phone

            return normalize_phone(text)[0] or ""
        return ""

    def blocking_reason(self) -> str | None:
        from partyledger.ledger.issues import Severity

        errors = [i for i in self.issues if i.severity is Severity.ERROR]
        if errors:
            return errors[0].message
        if self.draft is None:
            return _("fill in the IIN, names and unit")
        return None

    def show_unit_choices(self, text: str) -> None:
        """Units whose code or name contains the text, with the alias resolution first."""
        choices = self.query_one("#unit-choices", OptionList)
        choices.clear_options()
        text = text.strip().lower()
        if not text:
            choices.remove_class("-shown")
            return
        units = self.ledger.snapshot().units
        resolved = self.ledger.rules.units.resolve(text, as_of=self.ledger.today)
        matches = [u for u in units if u.code == resolved.code]
        matches += [u for u in units if u.code != resolved.code and any(
            text in (s or "").lower() for s in (u.code, u.name_en, u.name_ru, u.name_kk))]
        for unit in matches[:8]:
            choices.add_option(Option(f"{unit.code}  {unit.name_en} / {unit.name_ru}", id=unit.code))
        choices.set_class(bool(matches), "-shown")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        field = self.query_one("#f-region", Input)
        field.value = event.option.id or ""
        self.query_one("#unit-choices", OptionList).remove_class("-shown")
        self.query_one("#f-locality", Input).focus()

    # --- actions --------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        elif event.button.id == "form-withdraw":
            self.action_withdraw()

    def action_save(self) -> None:
        from partyledger.ledger.members import service

        self.revalidate()
        reason = self.blocking_reason()
        if reason:
            self.notify(_("Not saved: {reason}").format(reason=reason), severity="error")
            return
        saved = False
        with self.app.reporting_errors(), self.ledger.session() as session:
            if self.iin is None:
                service.add_member(session, self.draft)
            else:
                changes = {k: (v or None) for k, v in self.values().items()
                           if k != "iin" and v != self.original.get(k, "")}
                if changes:
                    service.edit_member(session, self.iin, changes, units=self.ledger.rules.units,
                                        as_of=self.ledger.today)
            saved = True
        if saved:
            self.notify(_("Saved {surname} {given}.").format(surname=self.draft.surname, given=self.draft.given_name))
            self.dismiss(True)

    def action_withdraw(self) -> None:
        from partyledger.tui.screens.withdraw import WithdrawModal

        if self.iin:
            self.app.push_screen(WithdrawModal(self.ledger.today), self.withdraw)

    def withdraw(self, answer: tuple[date, str] | None) -> None:
        from partyledger.ledger.members import service

        if not answer:
            return
        on, reason = answer
        done = False
        with self.app.reporting_errors(), self.ledger.session() as session:
            service.withdraw_member(session, self.iin, on=on, reason=reason or None)
            done = True
        if done:
            self.notify(_("Withdrawn on {date}.").format(date=on.isoformat()))
            self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
