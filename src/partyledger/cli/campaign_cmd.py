"""Commands for campaign (to be filled in by its owner; registered from cli/__init__.py)."""

import typer


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
