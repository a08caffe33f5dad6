"""Every command of the README's tour runs, in order, on a fresh ledger, as a new user would type it.

The tour is read from README.md itself, so the README cannot drift from the product: a renamed
option or a changed default breaks this test.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def tour_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## A short tour\s+```sh\n(.*?)```", text, re.S).group(1)
    block = block.replace("\\\n", " ")
    commands = []
    for line in block.splitlines():
        line = line.split("  #")[0].strip()
        if line.startswith("partyledger "):
            commands.append(line)
    return commands


def test_the_readme_tour_runs_end_to_end(tmp_path):
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    env = {**os.environ, "PARTYLEDGER_DB": str(tmp_path / "ledger.db"), "PARTYLEDGER_PASSPHRASE": "tour pass",
           "PARTYLEDGER_KDF_FAST": "1"}
    commands = tour_commands()
    assert len(commands) >= 25
    outputs = {}
    for command in commands:
        args = shlex.split(command)[1:]
        done = subprocess.run([sys.executable, "-m", "partyledger", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, input="", timeout=120)
        expected = 3 if "--fail-if-not-ready" in args else 0
        assert done.returncode == expected, f"{command}\n{done.stderr}"
        assert "Traceback" not in done.stderr, command
        outputs[command] = done.stdout
    # what the tour promises along the way
    assert "Нұрланов" in outputs["partyledger members list --search alibek"]
    assert '"created": 83' in outputs["partyledger import samples/messy.xlsx --json"]
    for written in ("fix-these.xlsx", "report.html", "filing.xlsx"):
        assert (tmp_path / written).stat().st_size > 0
