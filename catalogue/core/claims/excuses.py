"""What an excuse may read around a claim, and the verdicts that need no listing reader.

A rule's ``unless`` phrases excuse a claim they overlap and its ``ignore_after`` phrases
take back a claim they come before, within ``EXCUSE_REACH`` characters. ``reader.Reader``
runs those tests per listing; this module holds their limits and the two tests a listing
made of kept sentences (see ``kept``) still runs afresh without one.
"""

from __future__ import annotations

import re

from catalogue.core.claims.compiled import Compiled
from catalogue.core.claims.framing import ASKING, CONDITIONS, REPORTING
from catalogue.core.claims.kept import DENIED_NEXT, RECHECK
from catalogue.core.claims.pieces import PIECES_KEPT, remember
from catalogue.core.claims.stops import look_back

EXCUSE_REACH = 80  # characters around a claim in which its excuse may stand
# An excuse that stands as the clock of a claim ("the ache has faded before the timer even
# beeps") does not excuse it: what happens before, until or by the time the device does
# something is timed by the device, not said of it.
# It starts with a letter and never consumes a sentence stop, so it reads the excuse's own
# sentence alone (``Reader.kept_blocked`` relies on it; see ``stops``).
_CLOCK = re.compile(r"\b(?:before|until|by the time)(?: (?:the|your|my|its|their))?(?: [\w-]+)? *$")
_CLOCK_REACH = 40
CLOCK_BACK = _CLOCK_REACH + (look_back(_CLOCK.pattern) or 0)  # read before an excuse's start
VERDICTS_KEPT = 4 * PIECES_KEPT  # claims whose verdicts are kept (see ``Reader.kept_blocked``)
# words of the tests of ``scope.holds`` that may read the sentence before or after a claim's
READ_AROUND = REPORTING | CONDITIONS | ASKING


def own_length(key: str) -> int:
    """The length of a sentence's text in its key (see ``tokens.piece_key``)."""
    at = key.find("\x00")
    return len(key) if at < 0 else at


def clock(text: str, at: int) -> bool:
    """Whether the excuse starting at ``at`` is a claim's clock (see ``_CLOCK``)."""
    return _CLOCK.search(text, max(0, at - _CLOCK_REACH), at) is not None


def dropped(
    comp: Compiled, text: str, flags: int, i: int, start: int, end: int, denying: bool | None
) -> bool:
    """Whether a kept claim with ``flags`` (see ``kept``) is no claim in this listing."""
    return bool(flags & DENIED_NEXT and denying) or bool(
        flags & RECHECK and window_barred(comp, text, i, start, end)
    )


def plain_excused(unless: re.Pattern[str], text: str, start: int, end: int) -> bool:
    """Whether an excuse phrase found by a plain search overlaps the claim at start..end
    (``Reader.excused`` for a rule whose phrases have no cues)."""
    lo, hi = max(0, start - EXCUSE_REACH), min(len(text), end + EXCUSE_REACH)
    return any(
        m.start() < end and start < m.end() and not clock(text, m.start())
        for m in unless.finditer(text, lo, hi)
    )


def plain_compared(after: re.Pattern[str], text: str, start: int) -> bool:
    """Whether a comparison phrase found by a plain search comes before the claim at
    ``start`` (``Reader.compared`` without cues)."""
    return after.search(text, max(0, start - EXCUSE_REACH), start) is not None


def window_barred(comp: Compiled, text: str, i: int, start: int, end: int) -> bool:
    """Whether an excuse or a comparison takes back the claim at start..end, for a rule
    whose excuse and comparison phrases are plain searches (see ``compiled._window_back``).
    They read the text from ``comp.window_back[i]`` characters (their lookbehinds, the
    clock's reach) before their window's start up to its end and nothing else, so the same
    text around the same claim gets the same verdict: it is kept per window, across
    listings."""
    back = comp.window_back[i]
    assert back is not None
    base = max(0, start - EXCUSE_REACH - max(back, CLOCK_BACK))
    k = (i, text[base : end + EXCUSE_REACH], start - base, end - base)
    found = comp.window_verdicts.get(k)
    if found is None:
        unless, after = comp.unless[i], comp.after[i]
        found = (unless is not None and plain_excused(unless, text, start, end)) or (
            after is not None and plain_compared(after, text, start)
        )
        remember(comp.window_verdicts, k, found)
    return found
