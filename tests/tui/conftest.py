"""Real encrypted ledgers for the terminal-app tests (fast KDF from tests/conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from partyledger.ledger.db import create_ledger

PASSPHRASE = "correct horse battery"
TODAY = date(2026, 11, 25)


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.db"
    create_ledger(path, PASSPHRASE, party_name="Test party").dispose()
    return path
