"""Every word goes through one gettext function, and the shipped Russian and Kazakh catalogues are whole.

The catalogues are committed compiled (``.mo``) next to their sources (``.po``), so nothing needs the
gettext tools at install or test time; these tests read both with the standard library and fail when
a ``.mo`` was not rebuilt, when a string of the screens is missing from the template or from a
catalogue, or when a translation lost a placeholder, a key name or a trailing space. The app on screen
in Russian is tests/tui/test_app_language.py; this process stays English (tests/conftest.py).
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from partyledger.ledger.enums import MemberStatus
from partyledger.ledger.issues import CATALOGUE
from partyledger.presentation import i18n
from partyledger.tui.screens.members import STATUSES

LOCALE = i18n.LOCALE_DIR
SRC = LOCALE.parents[1]
# the app's own screens, and the texts both ``partyledger report`` and the app show (verdict, report)
TRANSLATED_SOURCES = sorted((SRC / "tui").rglob("*.py")) + sorted((SRC / "presentation").glob("*.py"))
SHIPPED = ("ru", "kk")
KEY_NAMES = ("Enter", "Esc", "Tab", "Ctrl+S", "Ctrl+Q")


# --- a small .po reader (the stdlib reads .mo files, not .po) -----------------------------------------
@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and bool(self.msgstr) and all(self.msgstr.values())


_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$')


def _unquote(text: str) -> str:
    return ast.literal_eval(f'"{text}"')     # PO escapes (\n \" \\ \t) are a subset of Python's


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po/.pot file, header (msgid "") first; obsolete ``#~`` entries are left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    flags: set[str] = set()
    last: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("#~"):
            continue
        if not line or line.startswith("#"):
            if current is not None and current.msgstr:
                entries.append(current)
                current = None
            if line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",")}
            continue
        found = _LINE.match(line)
        if found:
            keyword, index, text = found.group(1), found.group(2), _unquote(found.group(3))
            if keyword in ("msgctxt", "msgid") and current is not None and current.msgstr:
                entries.append(current)
                current = None
            if current is None:
                current, flags = Entry(msgid="", flags=flags), set()
            if keyword == "msgctxt":
                current.msgctxt, last = text, ("msgctxt", 0)
            elif keyword == "msgid":
                current.msgid, last = text, ("msgid", 0)
            elif keyword == "msgid_plural":
                current.msgid_plural, last = text, ("msgid_plural", 0)
            else:
                slot = int(index or 0)
                current.msgstr[slot], last = text, ("msgstr", slot)
        elif line.startswith('"') and current is not None and last is not None:
            text = _unquote(line[1:-1])
            if last[0] == "msgstr":
                current.msgstr[last[1]] += text
            else:
                setattr(current, last[0], (getattr(current, last[0]) or "") + text)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    if current is not None:
        entries.append(current)
    return entries


def header(entries: list[Entry]) -> dict[str, str]:
    first = entries[0]
    assert first.msgid == "" and first.msgctxt is None, "the header entry comes first"
    pairs = (line.split(":", 1) for line in first.msgstr[0].splitlines() if ":" in line)
    return {key.strip().lower(): value.strip() for key, value in pairs}


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid or e.msgctxt]


def template_ids() -> list[str]:
    """Every msgid the app can ask for: xgettext's template plus the run-time values (runtime.pot)."""
    ids = [e.msgid for e in messages(read_po(LOCALE / "partyledger.pot"))]
    return ids + [e.msgid for e in messages(read_po(LOCALE / "runtime.pot"))]


def runtime_values() -> set[str]:
    """Texts that reach ``_()`` as values: member statuses and the issue codes' explanations."""
    return set(STATUSES) | {s.value for s in MemberStatus} | {text for _severity, text in CATALOGUE.values()}


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{[^{}]*\}", text))


def _mo_count(path: Path) -> int:
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == gettext.GNUTranslations.LE_MAGIC else ">"
    return struct.unpack(f"{order}I", data[8:12])[0]


# --- the template and the catalogues -------------------------------------------------------------
def test_the_template_lists_the_strings_of_the_screens():
    pot = (i18n.LOCALE_DIR / "partyledger.pot").read_text(encoding="utf-8")
    for text in ("Wrong passphrase. Try again.", "Members", "Cannot save yet: {reason}", "Import a spreadsheet"):
        assert f'msgid "{text}"' in pot


def test_the_template_is_current_with_the_source():
    """Every literal given to ``_()``/``ngettext()`` under partyledger/tui and partyledger/presentation is in
    the template, and nothing else is: regenerate it with the xgettext line in locale/README.md when this fails."""
    in_source: set[str] = set()
    for path in TRANSLATED_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                in_source.add(node.args[0].value)
    in_template = {e.msgid for e in messages(read_po(LOCALE / "partyledger.pot"))}
    assert sorted(in_source - in_template) == [], "in the source, not in partyledger.pot"
    assert sorted(in_template - in_source) == [], "in partyledger.pot, gone from the source"


def test_runtime_template_lists_every_value_given_to_the_translator():
    listed = {e.msgid for e in messages(read_po(LOCALE / "runtime.pot"))}
    assert sorted(runtime_values() - listed) == [], "add these to locale/runtime.pot"
    assert sorted(listed - runtime_values()) == [], "these are no longer shown; take them out of runtime.pot"


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_string_is_translated(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "partyledger.po"
    entries = {e.msgid: e for e in messages(read_po(po))}
    wanted = template_ids()
    assert sorted(set(wanted) - set(entries)) == [], f"missing from {lang}: run msgmerge (locale/README.md)"
    assert sorted(set(entries) - set(wanted)) == [], f"stale in {lang}: run msgmerge (locale/README.md)"
    untranslated = [msgid for msgid in wanted if not entries[msgid].translated]
    assert untranslated == [], f"empty or fuzzy in {lang}"


@pytest.mark.parametrize("lang", SHIPPED)
def test_translations_keep_placeholders_keys_and_spacing(lang):
    problems = []
    for e in messages(read_po(LOCALE / lang / "LC_MESSAGES" / "partyledger.po")):
        sources = [e.msgid] + ([e.msgid_plural] if e.msgid_plural else [])
        for text in e.msgstr.values():
            if not text:
                continue
            if _placeholders(text) != _placeholders(sources[0]):
                problems.append(("placeholders", e.msgid, text))
            if [k for k in KEY_NAMES if k in e.msgid and k not in text]:
                problems.append(("key name translated", e.msgid, text))
            if text.endswith(" ") != e.msgid.endswith(" ") or text.startswith(" ") != e.msgid.startswith(" "):
                problems.append(("spacing at the ends", e.msgid, text))
            if "[" in text and "[" not in e.msgid:
                problems.append(("a [ would be read as Rich markup", e.msgid, text))
    assert problems == []


@pytest.mark.parametrize("lang", SHIPPED)
def test_compiled_catalogue_matches_its_source(lang):
    """The committed .mo says exactly what the .po says (rebuild: msgfmt --check, locale/README.md)."""
    folder = LOCALE / lang / "LC_MESSAGES"
    entries = read_po(folder / "partyledger.po")
    with open(folder / "partyledger.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    source_header = {k: v for k, v in header(entries).items() if k != "pot-creation-date"}   # msgfmt drops it
    assert compiled.info() == source_header, "the header (plural forms, language) differs"
    shipped = [e for e in messages(entries) if e.translated]
    assert _mo_count(folder / "partyledger.mo") == len(shipped) + 1, "the .mo holds a different set of messages"
    stale = []
    for e in shipped:
        if e.msgid_plural:
            for n in range(0, 120):
                if compiled.ngettext(e.msgid, e.msgid_plural, n) != e.msgstr[compiled.plural(n)]:
                    stale.append((e.msgid, n))
        else:
            got = compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt else compiled.gettext(e.msgid)
            if got != e.msgstr[0]:
                stale.append((e.msgid, got, e.msgstr[0]))
    assert stale == []


@pytest.mark.parametrize("lang, plurals", [("ru", "nplurals=3"), ("kk", "nplurals=2")])
def test_catalogues_are_found_and_declare_their_plural_forms(lang, plurals):
    info = header(read_po(LOCALE / lang / "LC_MESSAGES" / "partyledger.po"))
    assert info["language"] == lang and info["plural-forms"].startswith(plurals)
    try:
        assert i18n.set_language(lang) == lang
        assert i18n._("Members") != "Members"
    finally:
        i18n.set_language("en")
    assert i18n._("Members") == "Members"


def test_the_kazakh_catalogue_says_it_is_a_draft():
    assert "FIRST DRAFT" in (LOCALE / "kk" / "LC_MESSAGES" / "partyledger.po").read_text(encoding="utf-8")


# --- which language is used --------------------------------------------------------------------------
def test_the_test_run_is_english_whatever_the_machine_speaks():
    assert os.environ["PARTYLEDGER_LANG"] == "en"
    assert i18n._("Wrong passphrase. Try again.") == "Wrong passphrase. Try again."


def test_partyledger_lang_wins_over_the_system_locale():
    probe = "from partyledger.presentation import i18n; print(i18n.set_language(), i18n._('Members'))"
    russian_machine = {k: v for k, v in os.environ.items() if k != "PARTYLEDGER_LANG"} | {
        "LANGUAGE": "ru", "LANG": "ru_RU.UTF-8", "LC_ALL": "ru_RU.UTF-8"}
    follows = subprocess.run([sys.executable, "-c", probe], env=russian_machine, capture_output=True, text=True)
    assert follows.stdout.split() == ["ru", "Члены", "партии"], follows.stderr
    pinned = subprocess.run([sys.executable, "-c", probe], env=russian_machine | {"PARTYLEDGER_LANG": "en"},
                            capture_output=True, text=True)
    assert pinned.stdout.split() == ["en", "Members"], pinned.stderr


# --- packaging ---------------------------------------------------------------------------------------
def test_the_wheel_ships_the_catalogues(tmp_path):
    """An installed partyledger (not a checkout) finds the compiled catalogues."""
    repo = Path(__file__).resolve().parents[2]
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "dist"), str(repo)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("partyledger-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert {f"partyledger/presentation/locale/{lang}/LC_MESSAGES/partyledger.mo" for lang in SHIPPED} <= names
        zf.extractall(tmp_path / "site")
    probe = "from partyledger.presentation import i18n; print(i18n.LOCALE_DIR); print(i18n.set_language('kk'), i18n._('Quit'))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=tmp_path,
                          env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    folder, answer = done.stdout.strip().splitlines()
    assert Path(folder).is_relative_to(tmp_path / "site")
    assert answer == "kk Шығу"
