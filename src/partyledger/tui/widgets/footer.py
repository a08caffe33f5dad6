"""Textual's key footer, rebuilt only when the keys it shows change.

Textual's ``Footer`` recomposes every time its screen publishes "bindings updated" (focus moves,
a screen is mounted, a worker changes what an action may do), even when it would show the very same
keys. Each recompose makes a new ``FooterKey`` per key, and each is styled three times with two
virtual nodes for its component classes: on the way to the dashboard that was 39 keys and ~310 style
passes for 16 keys on screen, about a third of the main thread's CPU before the first paint on a
1M-member ledger (1.88 s -> 1.33 s of main-thread CPU at load 5 on 2 shared cores). What it shows is
unchanged: the keys, descriptions, enabled state and tooltips are compared before a rebuild is skipped.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """``textual.widgets.Footer`` that skips a rebuild which would show the same keys."""

    _shown: tuple | None = None

    def _keys(self) -> tuple:
        return tuple((b.key, b.key_display, b.description, b.action, enabled, tooltip, b.group)
                     for _node, b, enabled, tooltip in self.screen.active_bindings.values() if b.show)

    def bindings_changed(self, screen: Screen) -> None:
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)
            return
        keys = self._keys()
        if self._bindings_ready and keys == self._shown:
            return                          # a rebuild is already shown or on its way with these keys
        super().bindings_changed(screen)
        self._shown = keys
