"""The ledger on disk gives nothing away: no IIN, no name, not even the schema."""

from __future__ import annotations

from pathlib import Path

from partyledger.ledger.storage import db
from partyledger.ledger.members import service
from partyledger.ledger.models import MemberDraft

NEEDLES_TEXT = ["Сейітқалиқызы", "Жұмабаева", "Мөлдірхан", "CREATE TABLE", "member", "auditevent"]


def _raw(path: Path) -> bytes:
    parts = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


def test_raw_bytes_hold_no_iin_name_or_schema(tmp_path):
    path = tmp_path / "party.db"
    engine = db.create_ledger(path, "correct horse", party_name="Тест", fast_kdf=True)
    iins = ["900101400018", "851231300017"]
    with db.session_scope(engine) as s:
        service.add_member(s, MemberDraft(iin=iins[0], surname="Жұмабаева", given_name="Мөлдірхан",
                                          patronymic="Сейітқалиқызы", unit_code="75"))
        service.add_member(s, MemberDraft(iin=iins[1], surname="Жұмабаева", given_name="Мөлдірхан",
                                          unit_code="71"))
    needles = [n.encode("utf-8") for n in NEEDLES_TEXT + iins]
    needles += [n.encode("utf-16-le") for n in NEEDLES_TEXT[:3]]
    while_open = _raw(path)
    assert Path(f"{path}-wal").exists()                     # the WAL was written, and is checked too
    engine.dispose()
    after_close = _raw(path)
    for blob in (while_open, after_close):
        assert not blob.startswith(b"SQLite format 3")
        hits = [n for n in needles if n in blob]
        assert hits == []
    # and the data is really there for the passphrase holder
    engine = db.open_ledger(path, "correct horse")
    with db.session_scope(engine) as s:
        assert service.get_member(s, iins[0]).patronymic == "Сейітқалиқызы"
    engine.dispose()
