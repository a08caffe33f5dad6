"""The layers hold: a headless core, two front ends that never import each other, presentation below both.

Two checks: import-linter's contracts from pyproject.toml (static, over the whole package), and fresh
interpreters that import every module of a layer and assert the modules it must not reach are not in
``sys.modules`` (catches imports the static graph cannot see, such as ``importlib`` calls). The
contracts themselves are read too, so the one exception between ``cli`` and ``tui`` (the launcher,
``cli/tui_cmd.py``, starts the app) cannot quietly become two.
"""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import partyledger

ROOT = Path(__file__).resolve().parents[2]
CORE = ("partyledger.rules", "partyledger.ledger", "partyledger.report", "partyledger.errors", "partyledger.progress",
        "partyledger.files")
FORBIDDEN = ("textual", "rich", "typer", "openpyxl", "python_calamine")


def _modules(packages: tuple[str, ...]) -> list[str]:
    names = []
    for package in packages:
        names.append(package)
        module = __import__(package, fromlist=["__path__"])
        if hasattr(module, "__path__"):
            names += [m.name for m in pkgutil.walk_packages(module.__path__, package + ".")
                      if ".migrations" not in m.name]
    return names


def _first_module_pulling_in(modules: list[str], forbidden: tuple[str, ...]) -> str:
    """One fresh interpreter imports ``modules`` in turn and names the first that pulls in a forbidden one."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"    bad = [m for m in {forbidden!r} if m in sys.modules]\n"
        "    if bad:\n"
        "        print(name, 'pulls in', ','.join(bad))\n"
        "        break\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def _contract(name: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["name"] == name)


def test_import_linter_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency (pip install -e .[test])"
    run = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_core_modules_import_no_front_end_library():
    """One fresh interpreter imports every core module in turn and names the first that pulls one in."""
    assert _first_module_pulling_in(_modules(CORE), FORBIDDEN) == ""


def test_presentation_imports_no_front_end_framework():
    """The words both front ends show may use rich (the report is rich tables), never textual or typer."""
    assert _first_module_pulling_in(_modules(("partyledger.presentation",)), ("textual", "typer")) == ""


def test_the_front_ends_do_not_import_each_other():
    """Every CLI module loads without the app (the launcher imports it only when it runs), and the app
    loads without the CLI."""
    assert _first_module_pulling_in(_modules(("partyledger.cli",)), ("partyledger.tui",)) == ""
    assert _first_module_pulling_in(_modules(("partyledger.tui",)), ("partyledger.cli",)) == ""


def test_the_launcher_is_the_one_exception_between_the_front_ends():
    layers = _contract("Layers")
    assert layers["layers"][0] == "partyledger.cli | partyledger.tui"      # "|": independent, neither imports the other
    assert layers["ignore_imports"] == ["partyledger.cli.tui_cmd -> partyledger.tui.*"]
    assert _contract("Core never imports front ends, presentation or file libraries")["allow_indirect_imports"] is False


def test_the_package_is_the_checkout_under_test():
    assert Path(partyledger.__file__).resolve().is_relative_to(ROOT / "src")
