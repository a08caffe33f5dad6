"""Checks shared by the rule-file and unit-catalogue readers: every failure names ``file: key``."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from partyledger.errors import RuleFileError

CONFIDENCE = ("C", "P", "U")


class FileCheck:
    """Error helper: every message starts with ``file: key``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> RuleFileError:
        return RuleFileError(f"{self.path}: {key}: {problem}", "fix the rule file (format: rules/README.md)")

    def load(self) -> dict:
        """The file's TOML; a syntax error or an unreadable file is a one-line ``RuleFileError``."""
        try:
            return tomllib.loads(self.path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise self.fail("(syntax)", str(err)) from None
        except (OSError, UnicodeDecodeError) as err:
            raise self.fail("(file)", str(err)) from None

    def table(self, obj: Any, key: str, allowed: set[str], required: set[str] = frozenset()) -> dict:
        if not isinstance(obj, dict):
            raise self.fail(key, "expected a table")
        for k in obj:
            if k not in allowed:
                raise self.fail(f"{key}.{k}" if key else k, "unknown key")
        for k in required:
            if k not in obj:
                raise self.fail(f"{key}.{k}" if key else k, "missing")
        return obj

    def text(self, obj: dict, key: str, where: str, default: str | None = None) -> str:
        value = obj.get(key, default)
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", "expected text" if key in obj else "missing")
        return value

    def day(self, value: Any, where: str) -> date:
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise self.fail(where, f"'{value}' is not a date (YYYY-MM-DD)") from None
        if type(value) is not date:
            raise self.fail(where, "expected a date (YYYY-MM-DD)")
        return value

    def confidence(self, obj: dict, where: str) -> str:
        value = self.text(obj, "confidence", where)
        if value not in CONFIDENCE:
            raise self.fail(f"{where}.confidence", f"'{value}' is not one of C, P, U")
        return value

    def strings(self, value: Any, where: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, "expected a list of text")
        return value
