"""End to end in a real terminal: the installed command under tmux at 80x24.

Drives ``partyledger --db X tui`` on a ledger this test builds (real SQLCipher file, fast KDF):
unlock, see the dashboard with units, open members, search, quit. It reads the screen with
``capture-pane`` the way a person would, so it catches what Pilot cannot (real terminal driver,
start-up through the CLI, colours off, a passphrase typed into a real tty).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from .conftest import PASSPHRASE

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed: cannot drive a real terminal")

EXE = Path(sys.executable).with_name("partyledger")


class Tmux:
    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.socket = f"pl-e2e-{uuid.uuid4().hex[:8]}"
        self.session = "pl"
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", self.session,
                        "-x", "80", "-y", "24", command], check=True, env=env)

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", self.session, *keys], check=True)

    def text(self, literal: str) -> None:
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", self.session, "-l", literal], check=True)

    def screen(self) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p", "-t", self.session],
                             capture_output=True, text=True)
        return out.stdout

    def wait_for(self, *needles: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(n in screen for n in needles):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{needles} not on screen after {timeout}s; screen was:\n{screen}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", self.session],
                              capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def test_unlock_dashboard_members_search_quit(filled_ledger, people):
    env = {k: v for k, v in os.environ.items() if k != "PARTYLEDGER_PASSPHRASE"}
    env |= {"TERM": "xterm-256color", "PARTYLEDGER_IDLE_MINUTES": "0"}
    term = Tmux(f"{EXE} --db {filled_ledger} tui", env)
    try:
        term.wait_for("Passphrase")
        term.text(PASSPHRASE)
        term.keys("Enter")
        screen = term.wait_for("Readiness on", "NOT READY")
        counted = re.search(r"members counted (\d+)", screen)
        assert counted and 0 < int(counted.group(1)) <= len(people)
        assert any(name in screen for name in ("Almaty", "Astana", "Shymkent", "Abai"))
        term.keys("m")
        term.wait_for("Members", "IIN", "Surname")
        target = people[0]
        term.keys("/")
        term.text(f"{target.surname} {target.given_name}")
        screen = term.wait_for(target.iin)
        assert target.surname in screen
        term.keys("C-q")
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not term.alive(), "the app did not quit on Ctrl+Q"
    finally:
        term.close()
