"""The app in Russian: a catalogue found at start-up translates the screens, labels read at import too.

The app reads many labels once, at import (footer bindings, table headers), so the shipped Russian
catalogue is driven in a fresh interpreter started with ``PARTYLEDGER_LANG=ru``; this process stays
English (tests/conftest.py). The catalogues themselves are checked in tests/presentation/test_i18n.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest
from textual.widgets import Input

from partyledger.presentation import i18n
from partyledger.tui.app import make_app

from .conftest import PASSPHRASE, TODAY
from .helpers import wait_until

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
            # wait for the answer on screen (the field is given back), not on the worker: waiting on a
            # failed worker raises while it is still listed, which a loaded machine makes likely
            await wait_until(pilot, lambda: not app.screen.query_one(Input).disabled
                             and "Ctrl+Q" not in str(app.screen.query_one("#unlock-status").render()), timeout=30)
            assert "Неверная парольная фраза" in str(app.screen.query_one("#unlock-status").render())
    finally:
        i18n.set_language("en")
    assert i18n._("Wrong passphrase. Try again.") == "Wrong passphrase. Try again."


RUSSIAN_SESSION = textwrap.dedent('''
    import asyncio, json, sys, time
    from datetime import date
    from pathlib import Path

    from textual.widgets import Input

    from partyledger.tui.app import make_app


    async def until(pilot, condition):
        deadline = time.monotonic() + 20
        while not condition():
            assert time.monotonic() < deadline, "condition not reached in time"
            await pilot.pause(0.02)


    async def main(path, passphrase, today):
        app = make_app(Path(path), today=date.fromisoformat(today), idle_minutes=0)
        seen = {}
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: app.screen.query("#unlock-status"))
            await pilot.pause()
            seen["unlock_status"] = str(app.screen.query_one("#unlock-status").render())
            seen["unlock_placeholder"] = app.screen.query_one(Input).placeholder
            app.screen.query_one(Input).value = "wrong"
            await pilot.press("enter")
            await until(pilot, lambda: "Enter" not in str(app.screen.query_one("#unlock-status").render())
                        and not app.screen.query_one(Input).disabled)
            seen["wrong"] = str(app.screen.query_one("#unlock-status").render())
            app.screen.query_one(Input).value = passphrase
            await pilot.press("enter")
            await until(pilot, lambda: getattr(app.screen, "SCREEN_NAME", "") == "dashboard"
                        and app.screen.data is not None)
            await pilot.pause()
            screen = app.screen
            seen["total"] = str(screen.query_one("#dash-total").render())
            seen["title"] = str(screen.query_one("#dash-title").render())
            seen["footer"] = sorted(b.binding.description for b in screen.active_bindings.values())
            seen["columns"] = [str(c.label) for c in screen.query_one("#dash-units").columns.values()]
            units = screen.query_one("#dash-units")
            seen["unit_rows"] = [str(units.get_row_at(i)[0]) for i in range(units.row_count)]
        print(json.dumps(seen, ensure_ascii=False))


    asyncio.run(main(*sys.argv[1:]))
''')


def test_the_app_speaks_russian_with_partyledger_lang_ru(filled_ledger):
    """The real catalogue, in a fresh interpreter: labels read at import (footer, table headers) are
    Russian too, not only the texts built while the app runs."""
    env = os.environ | {"PARTYLEDGER_LANG": "ru"}
    done = subprocess.run([sys.executable, "-c", RUSSIAN_SESSION, str(filled_ledger), PASSPHRASE, TODAY.isoformat()],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["unlock_status"] == "Enter — открыть; Ctrl+Q — выход."
    assert seen["unlock_placeholder"] == "Парольная фраза"
    assert seen["wrong"] == "Неверная парольная фраза. Попробуйте ещё раз."
    assert re.fullmatch("НЕ ГОТОВО  учтено членов \\d+ / минимум 5\u00a0000 / цель с запасом 6\u00a0000",
                        seen["total"])     # Russian groups thousands with a no-break space
    assert seen["title"].startswith("Test party: Готовность на 2026-11-25 (сегодня)")
    assert {"Сводка", "Члены партии", "Импорт", "Разбор", "Съезд", "Отчёт", "Выход"} <= set(seen["footer"])
    assert seen["columns"][:4] == ["Регион", "Учтено", "Нужно", "Цель"]
    assert "71 Астана" in seen["unit_rows"] and "75 Алматы" in seen["unit_rows"]     # unit names in Russian too
