"""End to end in a real terminal: the installed command under tmux at 80x24.

Drives the real ``partyledger demo`` (sample ledger built from samples/, passphrase ``demo``) and
``partyledger --db X tui`` on a ledger this test builds (real SQLCipher files, fast KDF): unlock,
see the dashboard with units, open members, search, quit. It reads the screen with
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
        out = subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p", *(["-e"] if os.environ.get("CAPTURE_ESC") else []), "-t", self.session],
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


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PARTYLEDGER_PASSPHRASE"}
    return env | {"TERM": "xterm-256color", "PARTYLEDGER_IDLE_MINUTES": "0", "PARTYLEDGER_KDF_FAST": "1"}


def _members_search_quit(term: Tmux, surname: str, given: str, iin: str) -> None:
    term.keys("m")
    term.wait_for("Members", "IIN", "Surname")
    term.keys("/")
    term.text(f"{surname} {given}")
    screen = term.wait_for(iin)
    assert surname in screen
    term.keys("C-q")


def test_tui_on_a_ledger_unlock_dashboard_members_search_quit(filled_ledger, people):
    term = Tmux(f"{EXE} --db {filled_ledger} tui", _env())
    try:
        term.wait_for("Passphrase")
        term.text(PASSPHRASE)
        term.keys("Enter")
        screen = term.wait_for("Readiness on", "NOT READY")
        counted = re.search(r"members counted (\d+)", screen)
        assert counted and 0 < int(counted.group(1)) <= len(people)
        assert any(name in screen for name in ("Almaty", "Astana", "Shymkent", "Abai"))
        target = people[0]
        _members_search_quit(term, target.surname, target.given_name, target.iin)
        _wait_gone(term)
    finally:
        term.close()


def test_demo_unlock_dashboard_members_search_quit(tmp_path):
    from partyledger.ledger.storage.db import open_ledger, session_scope

    path = tmp_path / "demo.db"
    term = Tmux(f"{EXE} demo --path {path}", _env())
    try:
        screen = term.wait_for("Passphrase", timeout=90)
        assert "passphrase is  demo" in screen
        engine = open_ledger(path, "demo")
        try:
            from partyledger.ledger.members import service

            with session_scope(engine) as session:
                someone = service.list_members(session, limit=1).rows[0]
                surname, given, iin = someone.surname, someone.given_name, someone.iin
        finally:
            engine.dispose()
        term.text("not the passphrase")
        term.keys("Enter")
        term.wait_for("Wrong passphrase")
        term.text("demo")
        term.keys("Enter")
        screen = term.wait_for("Readiness on", "Quarantine:", "Duplicates:", timeout=30)
        assert re.search(r"members counted [\d,]+", screen)
        assert any(name in screen for name in ("Almaty", "Astana", "Shymkent", "Abai", "Ulytau", "Jetisu"))
        _members_search_quit(term, surname, given, iin)
        _wait_gone(term)
    finally:
        term.close()


def _wait_gone(term: Tmux) -> None:
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not term.alive(), "the app did not quit on Ctrl+Q"
