"""One exception hierarchy for whole-operation failures.

Findings about a single row are values (``partyledger.ledger.issues.Issue``), never exceptions.
Exceptions are for operations that cannot go on at all: a wrong passphrase, a broken rule file,
a hostile spreadsheet. Each carries a one-line ``message`` (what is wrong) and an optional
``hint`` (what to do), which the front ends print as one line and exit 2. Core code never prints.
"""

from __future__ import annotations


class PartyLedgerError(Exception):
    """Base of every error a user can cause and fix; front ends show ``str(err)`` and exit 2."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class RuleFileError(PartyLedgerError):
    """A rule file is malformed; the message starts with ``file: key``."""


class RuleDateError(PartyLedgerError):
    """No rule version was in force on the date asked (before the first entry)."""


class UnknownJurisdiction(PartyLedgerError):
    """No rule files for the jurisdiction asked."""


class LedgerError(PartyLedgerError):
    """The ledger file cannot be opened or used."""


class LedgerMissing(LedgerError):
    """No ledger at the path given."""


class LedgerExists(LedgerError):
    """``init`` refuses to overwrite an existing ledger."""


class WrongPassphrase(LedgerError):
    """The passphrase does not open the ledger (or the file is not a partyledger ledger)."""


class LedgerDamaged(LedgerError):
    """The passphrase is right but the file is damaged or cut short (restore a backup)."""


class LedgerBusy(LedgerError):
    """Another process (an import) holds the write lock longer than we wait; nothing was written."""


class LedgerTooNew(LedgerError):
    """The ledger was written by a newer partyledger with a schema this version does not know."""


class OutputExists(PartyLedgerError):
    """A file to write is already there and overwriting it was not asked for (``--force``)."""


class NotFound(PartyLedgerError):
    """A member, batch, merge or other record asked for does not exist."""


class InvalidInput(PartyLedgerError):
    """A value typed by the user is invalid; ``issues`` holds the findings behind it."""

    def __init__(self, message: str, hint: str | None = None, issues: list | None = None) -> None:
        super().__init__(message, hint)
        self.issues = list(issues or [])


class Conflict(PartyLedgerError):
    """The change would break a rule of the ledger (duplicate IIN, already checked in, ...)."""


class SpreadsheetError(PartyLedgerError):
    """A file to import is broken, hostile, or not a spreadsheet."""


class Cancelled(PartyLedgerError):
    """The user cancelled a long operation; nothing was written."""
