"""The wheel carries the rule files, and an installed partyledger finds them there (not in a checkout)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_wheel_contains_rules_and_the_loader_finds_them(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "dist"), str(REPO)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("partyledger-*.whl"))
    shipped = sorted(p.relative_to(REPO / "rules").as_posix() for p in (REPO / "rules").rglob("*.toml"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert {f"partyledger/_rules/{name}" for name in shipped} <= names
        zf.extractall(tmp_path / "site")

    # Run from an unrelated folder with only the unpacked wheel on the path: no checkout to fall back on.
    probe = ("import partyledger, datetime; from partyledger.rules import load_rules, shipped_rules_dir;"
             "print(shipped_rules_dir()); print(partyledger.__file__);"
             "s = load_rules('KZ').at(datetime.date(2023, 6, 1)); print(s.members_total_min, len(s.units))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    rules_dir, package_file, figures = done.stdout.strip().splitlines()
    assert Path(rules_dir) == tmp_path / "site" / "partyledger" / "_rules"
    assert Path(package_file).is_relative_to(tmp_path / "site")
    assert figures == "5000 20"
