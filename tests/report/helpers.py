"""Running the real ``partyledger`` command on a ledger file, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from report.sample_ledger import PASSPHRASE

EXE = Path(sys.executable).parent / "partyledger"


def run_cli(db_path: Path, *args: str, passphrase: str = PASSPHRASE, cwd: Path | None = None):
    env = dict(os.environ, PARTYLEDGER_PASSPHRASE=passphrase, PARTYLEDGER_KDF_FAST="1", COLUMNS="120",
               NO_COLOR="1", TERM="dumb")
    env.pop("PARTYLEDGER_DB", None)
    return subprocess.run([str(EXE), "--db", str(db_path), *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)
