"""``partyledger tui`` (and plain ``partyledger``) outside a terminal: one clear line, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXE = Path(sys.executable).with_name("partyledger")


@pytest.mark.parametrize("args", [["tui"], []], ids=["tui", "no-command"])
def test_without_a_terminal_it_says_so_and_exits_2(ledger_path, args):
    done = subprocess.run([str(EXE), "--db", str(ledger_path), *args], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "partyledger: the terminal app needs a terminal (run it in a terminal window, or use the commands "
        "(partyledger --help))"]
