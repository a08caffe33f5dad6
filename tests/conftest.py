"""Shared test setup.

Ledgers made by tests use a light argon2id profile (``PARTYLEDGER_KDF_FAST=1``, recorded in the
ledger's key file) so that the many CLI runs stay quick; everything else is the real product:
real SQLCipher files, real spreadsheets, real subprocesses.

The terminal app is pinned to English (``PARTYLEDGER_LANG=en``, set here before anything imports
``partyledger.tui``, and inherited by subprocesses such as the tmux test): tests assert English
texts, and a machine with ``LANG=ru_RU.UTF-8`` would otherwise get the shipped Russian catalogue.
Tests of the translations start their own interpreter with another language.
"""

from __future__ import annotations

import os

os.environ.setdefault("PARTYLEDGER_KDF_FAST", "1")
os.environ["PARTYLEDGER_LANG"] = "en"
