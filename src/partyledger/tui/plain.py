"""Stored text shown in the app as plain text: never markup, never a terminal command.

Textual reads ``[...]`` in a string cell or a ``Static`` as markup, so a member called ``[/]`` made
the members table raise ``MarkupError`` and a name could style or link itself; control characters
would reach the terminal. Every value that comes from the ledger or a file goes through ``cell``
(a DataTable cell) or ``safe`` (text put inside a markup string): markup escaped, so the cell shows
the text literally and stays a plain string (what tests and copy-paste read back).
"""

from __future__ import annotations

from textual.markup import escape

from partyledger.ledger.cleaning.text import visible


def cell(value: object) -> str:
    """A DataTable cell showing ``value`` literally, control characters escaped (``\\x1b``)."""
    return safe(value)


def safe(value: object) -> str:
    """``value`` for use inside a markup string: markup escaped, control characters shown escaped."""
    return escape(visible("" if value is None else value))
