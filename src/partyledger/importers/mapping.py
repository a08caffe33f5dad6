"""Column mapping: which sheet column feeds which member field, from a declarative alias table.

Volunteers name columns in Russian, Kazakh or English, with dots, case and spacing of their own
("Ф.И.О.", "ЖСН", "Тел.", "Дата рождения (дд.мм.гггг)"). Headers are compared after ``header_key``
folds case, ё/е and drops everything but letters and digits; an exact alias wins, else the longest
alias the header starts with (so a unit hint in brackets does not hide a known header).

A mapping is a dict ``{header text: field}``. It is remembered per source by a signature of the
normalised header names (not positions), so a volunteer's next file maps without questions even
if the columns moved. ``--mapping FILE`` gives one explicitly (JSON or TOML, either flat
``{header: field}`` or ``{"columns": {header: field}}``); a field of ``""`` or ``"ignore"`` drops
a column.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from pathlib import Path

from partyledger.errors import SpreadsheetError

# field -> header spellings seen on sign-up sheets. Fields are MemberBase names plus ``full_name``
# (one ФИО column, split by the validator) and ``region`` (unit text, resolved by the rules).
ALIASES: dict[str, tuple[str, ...]] = {
    "iin": ("ИИН", "ЖСН", "IIN", "ИИН/ЖСН", "ЖСН/ИИН", "ИИН (ЖСН)", "Индивидуальный идентификационный номер",
            "Жеке сәйкестендіру нөмірі", "IIN number", "ИИН члена партии"),
    "full_name": ("ФИО", "Ф.И.О.", "Фамилия Имя Отчество", "Фамилия, имя, отчество", "Фамилия имя отчество (при наличии)",
                  "ФИО полностью", "Аты-жөні", "Аты жөні", "Тегі, аты, әкесінің аты", "Тегі аты әкесінің аты",
                  "Full name", "Name", "Member name"),
    "surname": ("Фамилия", "Тегі", "Surname", "Last name", "Family name"),
    "given_name": ("Имя", "Аты", "Given name", "First name"),
    "patronymic": ("Отчество", "Әкесінің аты", "Әкесінің есімі", "Patronymic", "Middle name", "Father's name"),
    "birth_date": ("Дата рождения", "Д.р.", "Дата рожд.", "Туған күні", "Туған күні, айы, жылы", "Туған жылы",
                   "Date of birth", "Birth date", "Birthdate", "DOB"),
    "sex": ("Пол", "Жынысы", "Sex", "Gender"),
    "region": ("Область", "Облыс", "Регион", "Область/город", "Область (город)", "Өңір", "Облыс/қала",
               "Region", "Oblast", "Область/город республиканского значения"),
    "locality": ("Город", "Населённый пункт", "Нас. пункт", "Город/село", "Город, село", "Район/город", "Қала",
                 "Елді мекен", "Елді мекен атауы", "City", "Locality", "Town", "Settlement"),
    "address": ("Адрес", "Адрес проживания", "Мекенжай", "Тұрғылықты мекенжайы", "Address"),
    "phone": ("Телефон", "Тел.", "Тел", "Моб.", "Мобильный", "Моб. телефон", "Сот. телефон", "Сотовый",
              "Номер телефона", "Контактный телефон", "Телефон нөмірі", "Ұялы телефон", "Байланыс телефоны",
              "Phone", "Mobile", "Tel", "Phone number", "WhatsApp"),
    "email": ("Email", "E-mail", "Эл. почта", "Электронная почта", "Почта", "Электрондық пошта", "Эл. пошта"),
    "joined_on": ("Дата вступления", "Дата вступления в партию", "Дата приёма", "Партияға кірген күні",
                  "Кірген күні", "Қабылданған күні", "Joined", "Joined on", "Date joined", "Join date",
                  "Signed up", "Sign-up date", "Signup date", "Date of joining", "Membership date"),
    "application_ref": ("№ заявления", "Номер заявления", "Заявление №", "Өтініш нөмірі", "Өтініш №",
                        "Application", "Application no", "Application number"),
    "signed_on": ("Дата заявления", "Дата подписи", "Дата подписания", "Өтініш күні", "Қол қойылған күні",
                  "Signed on", "Date signed"),
}
IGNORE = "ignore"
FIELDS = frozenset(ALIASES) | {"status", "citizen", "not_in_other_party", "not_barred"}


def header_key(text: object) -> str:
    """Fold a header for comparison: case, ё/е, NBSP, punctuation and spaces do not matter."""
    s = str(text or "").casefold().replace("ё", "е")
    return re.sub(r"[\W_]+", "", s)


_EXACT: dict[str, str] = {}
for _field, _names in ALIASES.items():
    for _name in _names:
        _EXACT.setdefault(header_key(_name), _field)
_BY_LENGTH = sorted(_EXACT.items(), key=lambda kv: -len(kv[0]))


def field_for_header(text: object) -> str | None:
    """The member field a header names, or None when it is not a known header."""
    key = header_key(text)
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key]
    for alias, field in _BY_LENGTH:
        if len(alias) >= 4 and key.startswith(alias):
            return field
    return None


def propose_mapping(headers: list[object]) -> dict[str, str]:
    """``{header: field}`` for the headers the alias table knows; the first column wins a field."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for h in headers:
        field = field_for_header(h)
        if field and field not in taken and str(h).strip():
            mapping[str(h).strip()] = field
            taken.add(field)
    if "full_name" in taken and {"surname", "given_name"} <= taken:
        mapping = {h: f for h, f in mapping.items() if f != "full_name"}
    return mapping


def header_signature(headers: list[object]) -> str:
    """Identify a source by its header names (order-free), so moved columns still match."""
    keys = sorted(k for k in (header_key(h) for h in headers) if k)
    return hashlib.sha256("\x1f".join(keys).encode()).hexdigest()[:32]


MAX_MAPPING_BYTES = 1 << 20


def load_mapping_file(path: Path | str) -> dict[str, str]:
    """Read ``--mapping FILE`` (JSON or TOML) into ``{header: field}``, checking every field name."""
    path = Path(path)
    try:
        with path.open("rb") as f:              # bounded: a mapping is a few lines, /dev/zero is not
            raw = f.read(MAX_MAPPING_BYTES + 1)
        text = raw.decode("utf-8-sig")
    except OSError as err:
        raise SpreadsheetError(f"{path.name}: cannot read the mapping file ({err.strerror})") from None
    except UnicodeDecodeError:
        raise SpreadsheetError(f"{path.name}: the mapping file is not UTF-8 text", "save it as UTF-8") from None
    if len(raw) > MAX_MAPPING_BYTES:
        raise SpreadsheetError(f"{path.name}: too large for a mapping file (over {MAX_MAPPING_BYTES // 1024} KB)")
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as err:
        raise SpreadsheetError(f"{path.name}: not valid {'TOML' if path.suffix.lower() == '.toml' else 'JSON'} ({err})",
                               'write it as {"Column header": "field", ...}') from None
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        data = data["columns"]
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise SpreadsheetError(f"{path.name}: a mapping is a table of column header -> field name")
    return validate_mapping(data, source=path.name)


def validate_mapping(mapping: dict[str, str], *, source: str = "mapping") -> dict[str, str]:
    out: dict[str, str] = {}
    for header, field in mapping.items():
        field = field.strip()
        if field in ("", IGNORE):
            continue
        if field not in FIELDS:
            raise SpreadsheetError(f"{source}: '{header}' maps to unknown field '{field}'",
                                   "fields: " + ", ".join(sorted(FIELDS)))
        out[str(header).strip()] = field
    if not out:
        raise SpreadsheetError(f"{source}: the mapping names no columns")
    return out


def resolve_columns(headers: list[object], mapping: dict[str, str]) -> dict[int, str]:
    """Column index -> field, matching mapping keys to headers by ``header_key``."""
    wanted = {header_key(h): f for h, f in mapping.items()}
    cols: dict[int, str] = {}
    for idx, h in enumerate(headers):
        field = wanted.get(header_key(h))
        if field and field not in cols.values():
            cols[idx] = field
    return cols


def describe_missing(cols: dict[int, str]) -> str | None:
    """Why a mapping cannot import members at all, or None when it can."""
    fields = set(cols.values())
    if "iin" not in fields:
        return "no IIN column (ИИН / ЖСН / IIN)"
    if "full_name" not in fields and "surname" not in fields:
        return "no name column (ФИО, or Фамилия and Имя)"
    return None
