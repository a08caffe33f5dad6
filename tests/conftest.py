"""Shared test setup.

Ledgers made by tests use a light argon2id profile (``PARTYLEDGER_KDF_FAST=1``, recorded in the
ledger's key file) so that the many CLI runs stay quick; everything else is the real product:
real SQLCipher files, real spreadsheets, real subprocesses.
"""

from __future__ import annotations

import os

os.environ.setdefault("PARTYLEDGER_KDF_FAST", "1")
