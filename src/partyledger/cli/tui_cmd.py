"""Commands for tui (to be filled in by its owner; registered from cli/__init__.py)."""

import typer


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""


def run_tui(ctx: typer.Context) -> None:
    """Open the terminal app on the ledger of ``ctx``."""
    raise NotImplementedError("the terminal app is not built yet")
