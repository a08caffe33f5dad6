"""Small waits for Pilot tests: the app works in threads, so tests wait for outcomes, not for time."""

from __future__ import annotations

import time

KEYS = {"dashboard": "d", "members": "m", "import": "i", "review": "v", "congress": "c", "report": "r"}


async def wait_until(pilot, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.02)


async def unlocked(pilot, app) -> None:
    await wait_until(pilot, lambda: app.ledger.unlocked)
    await pilot.pause()


async def open_screen(pilot, app, name: str) -> None:
    """Unlock (the app was made with a passphrase), then go to screen ``name``."""
    await unlocked(pilot, app)
    await app.workers.wait_for_complete()
    await pilot.pause()
    while app.screen.__class__.__name__ in ("ErrorModal",):
        app.pop_screen()
        await pilot.pause()
    await pilot.press(KEYS[name])
    await wait_until(pilot, lambda: getattr(app.screen, "SCREEN_NAME", None) == name)
