"""The report text in the organizer's language: ``partyledger report`` and the app's Report screen share it."""

from __future__ import annotations

import pytest

from report.helpers import run_cli
from report.sample_ledger import AS_OF


@pytest.fixture(scope="module")
def sample(sample_ledger_per_module):
    return sample_ledger_per_module


def test_the_report_text_speaks_russian_when_asked(sample, monkeypatch):
    """``partyledger report`` (and the app's Report screen, which shows the same text) in Russian."""
    monkeypatch.setenv("PARTYLEDGER_LANG", "ru")
    done = run_cli(sample, "report", "--as-of", AS_OF.isoformat())
    assert done.returncode == 0, done.stderr
    assert "Готовность на 2024-06-01" in done.stdout and "Проверки" in done.stdout
    assert "Кто не учитывается (основная причина)" in done.stdout and "Ссылки на закон:" in done.stdout
    monkeypatch.setenv("PARTYLEDGER_LANG", "en")
    assert "Legal references:" in run_cli(sample, "report", "--as-of", AS_OF.isoformat()).stdout
