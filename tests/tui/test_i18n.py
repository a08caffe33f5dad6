"""Every word goes through one gettext function: a compiled Russian catalogue changes the screen."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from partyledger.tui import i18n
from partyledger.tui.app import make_app

from .conftest import TODAY

PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ru\\n"

msgid "Enter unlocks; Ctrl+Q quits."
msgstr "Enter открывает; Ctrl+Q выход."

msgid "Wrong passphrase. Try again."
msgstr "Неверная парольная фраза. Попробуйте ещё раз."
'''


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext tools) is not installed")
async def test_a_russian_catalogue_translates_the_unlock_screen(ledger_path, tmp_path, monkeypatch):
    folder = tmp_path / "locale" / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "partyledger.po").write_text(PO, encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(folder / "partyledger.mo"), str(folder / "partyledger.po")], check=True)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    try:
        assert i18n.set_language("ru") == "ru"
        app = make_app(ledger_path, today=TODAY, idle_minutes=0)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert str(app.screen.query_one("#unlock-status").render()) == "Enter открывает; Ctrl+Q выход."
            await pilot.press(*"nope", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "Неверная парольная фраза" in str(app.screen.query_one("#unlock-status").render())
    finally:
        i18n.set_language("en")
    assert i18n._("Wrong passphrase. Try again.") == "Wrong passphrase. Try again."


def test_the_template_lists_the_strings_of_the_screens():
    pot = (i18n.LOCALE_DIR / "partyledger.pot").read_text(encoding="utf-8")
    for text in ("Wrong passphrase. Try again.", "Members", "Cannot save yet: {reason}", "Import a spreadsheet"):
        assert f'msgid "{text}"' in pot
