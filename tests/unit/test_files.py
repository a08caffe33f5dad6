"""Owner-only files: 0600 files and 0700 folders whatever the umask, no overwrite without force."""

from __future__ import annotations

import os
import stat

import pytest

from partyledger import files
from partyledger.errors import OutputExists


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_is_0600_and_its_new_folders_0700_under_umask_022(tmp_path, loose_umask):
    target = tmp_path / "usb" / "exports" / "filing.xlsx"
    files.write_private(target, b"data")
    assert target.read_bytes() == b"data"
    assert mode(target) == 0o600
    assert mode(tmp_path / "usb") == 0o700
    assert mode(tmp_path / "usb" / "exports") == 0o700


def test_an_existing_file_is_kept_unless_forced(tmp_path, loose_umask):
    target = tmp_path / "filing.csv"
    target.write_text("keep me")
    with pytest.raises(OutputExists) as err:
        files.write_private(target, "new")
    assert "--force" in str(err.value)
    assert target.read_text() == "keep me"
    files.write_private(target, "new", force=True)
    assert target.read_text() == "new"
    assert mode(target) == 0o600


def test_a_writer_that_fails_half_way_leaves_nothing(tmp_path):
    target = tmp_path / "filing.xlsx"
    with pytest.raises(RuntimeError):
        with files.private_file(target) as handle:
            handle.write(b"half")
            raise RuntimeError("exporter broke")
    assert list(tmp_path.iterdir()) == []


def test_create_private_makes_an_empty_0600_file_once(tmp_path, loose_umask):
    target = tmp_path / "ledger.db"
    files.create_private(target)
    assert mode(target) == 0o600 and target.stat().st_size == 0
    with pytest.raises(FileExistsError):
        files.create_private(target)


def test_a_strict_umask_still_gives_the_owner_read_and_write(tmp_path):
    old = os.umask(0o277)
    try:
        target = files.write_private(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert mode(target) == 0o600
