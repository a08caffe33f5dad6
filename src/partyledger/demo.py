"""Build the demo ledger: synthetic members, the sample sign-up files, roles, duplicates, a congress.

The demo is how a new user meets partyledger, so it is built the way a real ledger grows: the bulk
of the members arrive through the same import service as any spreadsheet (a generated sign-up drive),
then every file in ``samples/`` is imported as its own batch (so some rows land in quarantine and
some values conflict), a handful of people sign up twice under a Latin spelling with an IIN typo
(so the duplicate finder has work), and the campaign has an initiative group, a committee and a
founding congress in progress. Several units are deliberately short of the minimum.

Everything is synthetic (``partyledger.synthetic``); the passphrase is ``demo``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from partyledger import synthetic
from partyledger.files import file_sha256
from partyledger.ledger.intake import batches
from partyledger.ledger.members import campaign, congress, roles, service
from partyledger.ledger.storage import db
from partyledger.ledger.dedupe.scan import scan as find_duplicates
from partyledger.ledger.models import Member
from partyledger.progress import ProgressCallback, report
from sqlmodel import func, select

DEMO_PASSPHRASE = "demo"
SHORT_UNITS = {"10": 0.55, "62": 0.45, "47": 0.68, "33": 0.72}     # units left short of the minimum
PER_UNIT = 250
GROUP_UNITS = ["11", "15", "19", "23", "27", "31", "35", "39", "43", "55", "59", "61", "63", "71", "75", "79"]

# Passport-style Latin for the planted duplicates (the product's own key folding lives in ledger.translit).
_LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
                  ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
                   "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia", "a", "g",
                   "k", "n", "o", "u", "u", "h", "i"]))


def latin(text: str) -> str:
    """A passport-style Latin spelling of a Title-case Cyrillic name (the demo's second sign-up)."""
    def one(ch: str) -> str:
        plain = _LATIN.get(ch.lower())
        if plain is None:
            return ch
        return plain if ch.islower() else plain.capitalize()

    return "".join(one(ch) for ch in text)


@dataclass
class DemoSummary:
    path: Path
    batches: list[dict] = field(default_factory=list)
    members: int = 0
    planted_duplicates: int = 0
    candidates: int = 0
    group: int = 0
    checked_in: int = 0


def _rows_for(people: list[synthetic.Person], rng: random.Random) -> list[batches.RowIn]:
    rows = []
    for n, p in enumerate(people, start=2):
        fields = {"iin": p.iin, "surname": synthetic.messy_name(p.surname, rng),
                  "given_name": synthetic.messy_name(p.given_name, rng), "patronymic": p.patronymic,
                  "region": synthetic.messy_region(p.unit_code, rng), "locality": p.locality,
                  "phone": synthetic.messy_phone(p.phone, rng), "joined_on": p.joined_on,
                  "address": p.address, "application_ref": f"З-{n:05d}", "signed_on": p.joined_on}
        rows.append(batches.RowIn(row=n, fields=fields, raw={k: str(v) for k, v in fields.items()}))
    return rows


def _typo_iin(iin: str) -> str | None:
    """Change the 11th digit: weight 11 is 0 mod 11, so the IIN usually stays valid (the classic typo)."""
    from partyledger.ledger.cleaning.iin import check_digit

    for d in "0123456789":
        cand = iin[:10] + d
        if d != iin[10] and check_digit(cand) == int(iin[11]):
            return cand + iin[11]
    return None


def _planted(people: list[synthetic.Person], rng: random.Random, n: int) -> list[synthetic.Person]:
    twins = []
    for p in rng.sample(people, n * 2):
        iin = _typo_iin(p.iin)
        if iin is None:
            continue
        twins.append(synthetic.with_changes(p, iin=iin, surname=latin(p.surname), given_name=latin(p.given_name),
                                            patronymic=latin(p.patronymic) if p.patronymic else None,
                                            phone="+7" + rng.choice(synthetic.MOBILE_PREFIXES) + "5550101"))
        if len(twins) == n:
            break
    return twins


def _import(session, rows, name: str, units, today: date) -> dict:
    source = batches.BatchSource(file_name=name, sha256=f"demo:{name}")
    return batches.import_rows(session, rows, source, units=units, as_of=today, actor="demo").summary()


def _import_samples(session, samples_dir: Path, units, today: date) -> list[dict]:
    from partyledger.importers import read_members

    out = []
    for path in sorted(samples_dir.glob("*")):
        if path.suffix.lower() not in (".xlsx", ".csv"):
            continue
        data, mapped = read_members(path)
        source = batches.BatchSource(file_name=path.name, sha256=file_sha256(path),
                                     sheet=data.name, mapping=mapped.header.mapping)
        out.append(batches.import_rows(session, mapped.rows, source, units=units, as_of=today,
                                       actor="demo").summary() | {"file": path.name})
    return out


def _campaign_and_roles(session, today: date, rng: random.Random) -> tuple[int, int]:
    campaign.update_campaign(session, actor="demo", party_name="Демо: партия «Жаңа Жол»",
                             initiative_group_formed_on=today - timedelta(days=75),
                             notification_filed_on=today - timedelta(days=70),
                             notification_confirmed_on=today - timedelta(days=60),
                             congress_held_on=today)
    adult_cutoff = today.replace(year=today.year - 19)
    group: list[Member] = []
    for unit in GROUP_UNITS:
        stmt = (select(Member).where(Member.unit_code == unit, Member.birth_date < adult_cutoff)
                .order_by(Member.id).limit(47))
        group.extend(session.exec(stmt).all())
    since = today - timedelta(days=75)
    for m in group:
        roles.add_role(session, m.iin, "initiative-group", since=since, actor="demo")
    for m in rng.sample(group, 10):
        roles.add_role(session, m.iin, "committee", since=since, actor="demo")
    present = rng.sample(group, int(len(group) * 0.6))
    at = datetime.combine(today, datetime.min.time()).replace(hour=9)
    for i, m in enumerate(present):
        congress.check_in(session, m, at=at + timedelta(seconds=20 * i), by="registration desk", actor="demo")
    return len(group), len(present)


def build_demo_ledger(path: Path, samples_dir: Path, *, today: date, rules,
                      on_progress: ProgressCallback | None = None, fast_kdf: bool = False) -> DemoSummary:
    """Create a fresh demo ledger at ``path`` (replacing an older demo) and fill it; see module docstring."""
    for old in (path, Path(f"{path}.key.json"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        old.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2026)
    weights = {code: SHORT_UNITS.get(code, 1.0) for code in synthetic.UNIT_NAMES}
    total = int(PER_UNIT * sum(weights.values()))
    people = synthetic.make_people(total, seed=2026, as_of=today - timedelta(days=1), unit_weights=weights)
    summary = DemoSummary(path=path)
    engine = db.create_ledger(path, DEMO_PASSPHRASE, party_name="Демо: партия «Жаңа Жол»", fast_kdf=fast_kdf)
    units = rules.units
    try:
        report(on_progress, 0, 5, "importing the generated sign-up drive")
        with db.session_scope(engine) as session:
            summary.batches.append(_import(session, _rows_for(people, rng), "signup-drive-2026.xlsx", units, today)
                                   | {"file": "signup-drive-2026.xlsx (generated)"})
        report(on_progress, 1, 5, "importing samples/")
        with db.session_scope(engine) as session:
            summary.batches.extend(_import_samples(session, samples_dir, units, today))
        report(on_progress, 2, 5, "planting duplicates")
        twins = _planted(people, rng, 12)
        with db.session_scope(engine) as session:
            summary.batches.append(_import(session, _rows_for(twins, rng), "online-form-export.csv", units, today)
                                   | {"file": "online-form-export.csv (generated)"})
        summary.planted_duplicates = len(twins)
        report(on_progress, 3, 5, "initiative group, committee and congress")
        with db.session_scope(engine) as session:
            summary.group, summary.checked_in = _campaign_and_roles(session, today, rng)
            for m in rng.sample([p for p in people[:800] if p.joined_on < today - timedelta(days=40)], 15):
                service.withdraw_member(session, m.iin, on=today - timedelta(days=rng.randrange(1, 30)),
                                        reason="left under pressure (demo)", actor="demo")
        report(on_progress, 4, 5, "looking for duplicates")
        with db.session_scope(engine) as session:
            summary.candidates = len(find_duplicates(session).candidates)
            summary.members = session.exec(select(func.count()).select_from(Member)).one()
        report(on_progress, 5, 5, "done")
    finally:
        engine.dispose()
    return summary
