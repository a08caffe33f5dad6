"""Shared test setup.

Ledgers made by tests use a light argon2id profile, recorded in the ledger's key file, so that the
many ledgers stay quick: in-process tests ask for it (``create_ledger(..., fast_kdf=True)``), and the
CLI runs get it from ``PARTYLEDGER_KDF_FAST=1``, set here and inherited by every subprocess (the CLI
reads it and passes it in; the core never reads it). Everything else is the real product: real
SQLCipher files, real spreadsheets, real subprocesses.

The terminal app is pinned to English (``PARTYLEDGER_LANG=en``, set here before anything imports
``partyledger.tui``, and inherited by subprocesses such as the tmux test): tests assert English
texts, and a machine with ``LANG=ru_RU.UTF-8`` would otherwise get the shipped Russian catalogue.
Tests of the translations start their own interpreter with another language.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("PARTYLEDGER_KDF_FAST", "1")
os.environ["PARTYLEDGER_LANG"] = "en"


# The fixed sample ledger (tests/report/sample_ledger.py) is built once per run and copied: building it
# costs a KDF and a few hundred inserts, and eight modules read it. A copy keeps each module's (or each
# test's) writes to itself.
@pytest.fixture(scope="session")
def sample_ledger_master(tmp_path_factory):
    from report.sample_ledger import build_sample_ledger

    return build_sample_ledger(tmp_path_factory.mktemp("sample-master") / "party.db")


@pytest.fixture(scope="module")
def sample_ledger_per_module(sample_ledger_master, tmp_path_factory):
    """A copy shared by the tests of one module (they only read it, or their writes build on each other)."""
    from report.sample_ledger import copy_ledger

    return copy_ledger(sample_ledger_master, tmp_path_factory.mktemp("sample") / "party.db")


@pytest.fixture()
def sample_ledger(sample_ledger_master, tmp_path):
    """A private copy for one test that writes to it."""
    from report.sample_ledger import copy_ledger

    return copy_ledger(sample_ledger_master, tmp_path / "party.db")
