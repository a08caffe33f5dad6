"""partyledger: the membership ledger of a political party in formation.

The package is layered (see DESIGN.md section 2): ``rules`` (legal data by date) <- ``ledger``
(models, storage, validation, dedupe) <- ``report`` <- ``importers`` <- front ends ``cli`` and ``tui``.
Only the front ends print, prompt or read the clock.
"""

__version__ = "0.1.0"
