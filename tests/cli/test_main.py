"""The command line's error contract: a mistake is one line on stderr and exit 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "partyledger", *args], capture_output=True, text=True,
                          timeout=60, input="")


@pytest.mark.parametrize("args", [
    ["nosuch"],
    ["members", "list", "--no-such-flag"],
    ["rules", "show", "--as-of"],
    ["roles", "add", "900101300017", "extra-argument"],
])
def test_usage_mistakes_are_one_line_and_exit_2(args):
    done = run(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "--help" in lines[0]
    assert done.stdout == ""


def test_help_lists_every_command_of_the_design():
    done = run("--help")
    assert done.returncode == 0
    for command in ("init", "demo", "tui", "import", "batches", "undo", "members", "quarantine", "dedupe",
                    "congress", "report", "export", "rules"):
        assert command in done.stdout
