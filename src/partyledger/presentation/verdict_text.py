"""The verdict and what blocks filing, as rich text: the first lines of the text report and of the dashboard.

One rendering for both front ends, so the terminal report and the app never word a blocker differently.
Imports only rich and the translator: the app's start-up path (``tui/prefetch.py``) may load it early.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from partyledger.presentation.i18n import _


def tagged(words: str, confidence: str) -> str:
    """Words with the tag of what they rest on when that is not confirmed ([P] or [U])."""
    return words if confidence == "C" else f"{words} [{confidence}]"


def blocker_words(b: Any) -> str:
    """A blocker in the app's language where the catalogue has its sentence (numbers filled in after)."""
    return tagged(_(b.template).format(**b.numbers), b.confidence)


def headline(r: Any) -> str:
    """On a day the research cannot place, never a bare READY: both answers, the assumed law's first."""
    alt = r.alternative
    if not r.depends_on_day:
        return _("READY") if r.ready else _("NOT READY")
    return _("DEPENDS ON THE DAY: {verdict} under the law of {since} (assumed in force) [U], {other} under the law "
             "of {other_since}").format(verdict=_("READY") if r.ready else _("NOT READY"),
                                        since=r.rule_effective_from.isoformat(),
                                        other=_("READY") if alt.ready else _("NOT READY"),
                                        other_since=alt.law_from.isoformat())


def verdict_lines(r: Any, *, limit: int | None = None, with_verdict: bool = True) -> Text:
    """READY / NOT READY, then the blockers in the order to do them (``limit``: at most that many, and a
    count of the rest), then the answer under the other law on a day the research cannot place."""
    out = Text()
    if with_verdict and r.depends_on_day:
        out.append(headline(r) + "\n", style="bold yellow")
    elif with_verdict:
        out.append((_("READY to file") if r.ready else _("NOT READY to file")) + "\n",
                   style="bold green" if r.ready else "bold red")
    shown = r.blockers if limit is None else r.blockers[:limit]
    if shown:
        out.append(_("What blocks filing, in the order to do it:") + "\n", style="bold")
        for i, b in enumerate(shown, 1):
            out.append(f"  {i}. {blocker_words(b)}\n")
        if len(r.blockers) > len(shown):
            out.append("  " + _("... and {n} more (see the report)").format(n=len(r.blockers) - len(shown)) + "\n")
    alt = r.alternative
    if alt is not None:
        style = "bold yellow" if r.depends_on_day else "yellow"
        out.append(_(alt.why) + " ", style=style)
        other = _("READY to file") if alt.ready else _("NOT READY to file")
        out.append(_("Under the law of {since} instead: {verdict}").format(
            since=alt.law_from.isoformat(), verdict=other) + "\n", style=style)
        for i, b in enumerate(alt.blockers[:limit or len(alt.blockers)], 1):
            out.append(f"  {i}. {blocker_words(b)}\n", style=style)
    return out
