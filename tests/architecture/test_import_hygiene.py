"""The core stays headless: no front-end or spreadsheet library is imported by rules/ledger/report.

Two checks: import-linter's contracts from pyproject.toml (static, over the whole package), and a
fresh interpreter that imports every core module and asserts the forbidden libraries are not in
``sys.modules`` (catches imports the static graph cannot see, such as ``importlib`` calls).
"""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import partyledger

ROOT = Path(__file__).resolve().parents[2]
CORE = ("partyledger.rules", "partyledger.ledger", "partyledger.report", "partyledger.errors", "partyledger.progress",
        "partyledger.files")
FORBIDDEN = ("textual", "rich", "typer", "openpyxl", "python_calamine")


def _core_modules() -> list[str]:
    names = []
    for package in CORE:
        names.append(package)
        module = __import__(package, fromlist=["__path__"])
        if hasattr(module, "__path__"):
            names += [m.name for m in pkgutil.walk_packages(module.__path__, package + ".")
                      if ".migrations" not in m.name]
    return names


def test_import_linter_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency (pip install -e .[test])"
    run = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_core_modules_import_no_front_end_library():
    """One fresh interpreter imports every core module in turn and names the first that pulls one in."""
    code = (
        "import importlib, sys\n"
        f"for name in {_core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"    bad = [m for m in {FORBIDDEN!r} if m in sys.modules]\n"
        "    if bad:\n"
        "        print(name, 'pulls in', ','.join(bad))\n"
        "        break\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ""


def test_the_package_is_the_checkout_under_test():
    assert Path(partyledger.__file__).resolve().is_relative_to(ROOT / "src")
