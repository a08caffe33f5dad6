"""``partyledger demo --no-tui``: the sample ledger a new user meets, built through the real import path."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from partyledger.demo import DEMO_PASSPHRASE
from partyledger.ledger.dedupe.scan import open_pairs
from partyledger.ledger.storage import db
from partyledger.ledger.models import Member, QuarantineRow
from sqlmodel import func, select


def test_demo_builds_a_ledger_with_short_units_quarantine_and_duplicates(tmp_path):
    path = tmp_path / "demo.db"
    env = {k: v for k, v in os.environ.items() if k != "PARTYLEDGER_PASSPHRASE"}
    done = subprocess.run([sys.executable, "-m", "partyledger", "demo", "--no-tui", "--path", str(path)],
                          capture_output=True, text=True, timeout=300, env=env, input="")
    assert done.returncode == 0, done.stderr
    assert "passphrase: demo" in done.stderr
    per_unit = dict(re.findall(r"^\s+(\d\d)\s+\S.*?\s+(\d+)$", done.stdout, re.M))
    assert len(per_unit) == 20                                   # every unit has members
    assert re.search(r"^\s+10\s+Abai Region\s+\d+$", done.stdout, re.M)   # named, not a bare code
    assert sum(1 for n in per_unit.values() if int(n) < 200) >= 2   # and some are short of the minimum
    engine = db.open_ledger(path, DEMO_PASSPHRASE)              # the passphrase the app tells the user
    try:
        with db.session_scope(engine) as s:
            assert s.exec(select(func.count()).select_from(Member)).one() > 4000
            assert s.exec(select(func.count()).select_from(QuarantineRow)).one() > 0
            assert len(open_pairs(s)) >= 10                      # planted Latin-spelling duplicates found
    finally:
        engine.dispose()
    again = subprocess.run([sys.executable, "-m", "partyledger", "demo", "--no-tui", "--path", str(path)],
                           capture_output=True, text=True, timeout=300, env=env, input="")
    assert again.returncode == 0, again.stderr                   # rebuilt from scratch, not piled up
    assert again.stdout == done.stdout
