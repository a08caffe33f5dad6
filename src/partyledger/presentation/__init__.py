"""Words and tables both front ends show: the translator, the verdict lines and the text report.

``partyledger report`` and the terminal app must say the same things in the same language, so what they
share lives here, below both: ``cli`` and ``tui`` never import each other (the launcher, ``cli/tui_cmd``,
is the one exception). It reads the report's models, so it sits above ``report``; it may use rich (the
report is rich tables) but never textual or typer (import-linter contracts in pyproject.toml). Nothing
is imported here, so the translator loads without rich.
"""
