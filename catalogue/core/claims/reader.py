"""One listing read against the rules: whether each match found in it is a claim.

``check.check_listing`` makes one ``Reader`` per listing that it reads word by word. The
reader holds the listing's text, tokens and negated words, the compiled rules' excuse
tests, and what it works out once per listing (where each rule's cues stand, which
sentence holds a word that reads around a claim). Its tests, cheapest first:

- ``holds``: not negated, not taken back (``blocked``), and a claim by ``scope.holds``;
- ``judge``: the same verdict, with what a sentence kept (see ``kept``) needs to know of it;
- ``blocked``: an excuse overlaps the claim (``excused``) or a comparison comes before it
  (``compared``); ``kept_blocked`` keeps its verdicts per sentence and ``excuses.window_barred``
  per window of text, across listings.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from catalogue.core.claims.compiled import Compiled
from catalogue.core.claims.excuses import (
    EXCUSE_REACH,
    READ_AROUND,
    VERDICTS_KEPT,
    clock,
    own_length,
    plain_compared,
    plain_excused,
    window_barred,
)
from catalogue.core.claims.framing import denied
from catalogue.core.claims.kept import DENIED_NEXT, RECHECK
from catalogue.core.claims.pieces import piece_tokens, remember
from catalogue.core.claims.scope import holds as claim_holds
from catalogue.core.claims.tokens import CLAUSE, Tokens


class Reader:
    """The verdicts on one listing's matches (see the module notes)."""

    __slots__ = (
        "after_cues",
        "after_of",
        "after_spots",
        "around",
        "comp",
        "cue_spots",
        "cues_of",
        "listing_spots",
        "n",
        "negated",
        "piece_at",
        "pieces",
        "quiet",
        "reach_here",
        "sentence_verdicts",
        "tagged",
        "text",
        "tokens",
        "unless_by_cue",
        "unless_of",
        "window_back",
    )

    def __init__(self, comp: Compiled, text: str, tokens: Tokens, negated: list[bool]) -> None:
        self.comp = comp
        self.text = text
        self.tokens = tokens
        self.pieces = tokens.pieces
        self.n = len(tokens.words)
        self.negated = negated
        self.unless_of, self.cues_of, self.after_of = comp.unless, comp.cues, comp.after
        self.cue_spots, self.unless_by_cue = comp.cue_spots, comp.unless_by_cue
        self.after_cues, self.after_spots = comp.after_cues, comp.after_spots
        self.sentence_verdicts, self.window_back = comp.sentence_verdicts, comp.window_back
        self.tagged = "#" in text  # only then may a sentence's key hold more than its text
        self.piece_at: list[int] = []  # where each sentence starts, on first need
        # id of a store -> the listing's cues
        self.listing_spots: dict[int, list[tuple[int, int]]] = {}
        # rule -> whether one of its ``reach_words`` stands here
        self.reach_here: dict[int, bool] = {}
        # word piece -> rules whose verdicts need no reach before
        self.quiet: dict[int, set[int]] = {}
        # word piece -> whether it holds a word of ``READ_AROUND``
        self.around: dict[int, bool] = {}

    def sentence_starts(self) -> list[int]:
        """Where each sentence starts."""
        piece_at = self.piece_at
        if not piece_at:
            piece_at.extend(p[2] for p in self.pieces)
        return piece_at

    def spots(
        self, cues: re.Pattern[str], kept: dict[str, list[tuple[int, int]]], lo: int, end: int
    ) -> list[tuple[int, int]]:
        """(start, end) of the cues that start in lo..end - 1, in order. Each sentence's cues
        are worked out once while ``kept`` keeps it, the listing's once per listing: a cue
        starts a word, so it never reaches across a sentence's edge, and a sentence starts
        after a space."""
        every = self.listing_spots.get(id(kept))
        if every is None:
            text = self.text
            every = []
            pieces = self.pieces
            count = len(pieces)
            for n in range(count):
                key, _, at = pieces[n]
                found = kept.get(key)
                if found is None:
                    upto = pieces[n + 1][2] if n + 1 < count else len(text)
                    found = [m.span() for m in cues.finditer(text[at:upto])]
                    remember(kept, key, found)
                if found:
                    every += [(a + at, b + at) for a, b in found] if at else found
            self.listing_spots[id(kept)] = every
        return every[bisect_left(every, (lo,)) : bisect_left(every, (end,))]

    def excused(self, i: int, start: int, end: int) -> bool:
        """Whether an excuse phrase of rule i overlaps the claim at start..end (see
        ``compiled._cues``)."""
        text = self.text
        unless, cues = self.unless_of[i], self.cues_of[i]
        assert unless is not None
        lo, hi = max(0, start - EXCUSE_REACH), min(len(text), end + EXCUSE_REACH)
        if cues is None:
            return plain_excused(unless, text, start, end)
        # An excuse starts where a cue does, so only those places are tried, in the order
        # ``unless.finditer`` would meet them (a match hides the places it covers); and as
        # before, only when some cue ends before the claim does (and within the window).
        if self.pieces:
            found = self.spots(cues, self.cue_spots[i], lo, end)
        else:  # a listing read whole
            found = []
            for c in cues.finditer(text, lo, hi):
                if c.start() >= end:
                    break
                found.append(c.span())
        if not any(b <= end for _, b in found):
            return False
        by_cue = self.unless_by_cue[i]
        pos = lo
        for at, b in found:
            if b > hi:  # a cue the window cuts short starts no excuse
                continue
            if at >= pos and (m := by_cue[text[at:b]].match(text, at, hi)) is not None:
                if start < m.end() and not clock(text, at):  # it starts before the claim ends
                    return True
                pos = m.end()
        return False

    def compared(self, i: int, start: int) -> bool:
        """Whether the claim at ``start`` follows a comparison phrase of rule i."""
        after = self.after_of[i]
        assert after is not None
        cues = self.after_cues[i]
        if cues is None or not self.pieces:
            return plain_compared(after, self.text, start)
        text, lo = self.text, max(0, start - EXCUSE_REACH)
        return any(  # the phrase starts where a cue does
            b <= start and after.match(text, a, start)
            for a, b in self.spots(cues, self.after_spots[i], lo, start)
        )

    def blocked(self, i: int, start: int, end: int) -> bool:
        """Whether an excuse of rule i, or a comparison before it, takes the claim back."""
        return (self.unless_of[i] is not None and self.excused(i, start, end)) or (
            self.after_of[i] is not None and self.compared(i, start)
        )

    def reaches(self, i: int, lo: int, end: int) -> bool:
        """Whether a cue of a phrase of rule i that may cross a stop starts in lo..end - 1.
        Most listings hold none of those words: a substring test says so at once."""
        comp = self.comp
        reach = comp.reach_out[i]
        if reach is None:
            return False
        here = self.reach_here.get(i)
        if here is None:
            here = self.reach_here[i] = any(map(self.text.__contains__, comp.reach_words[i]))
        return here and bool(self.spots(reach, comp.reach_spots[i], lo, end))

    def kept_blocked(self, i: int, start: int, end: int) -> bool:
        """``blocked``, kept per sentence: a rule's excuse and comparison phrases that never
        consume a sentence stop read the claim's own sentence alone (see ``stops``), so a
        sentence met before costs a lookup. Near a cue of a phrase that may reach across
        a stop ("vs."), it is worked out afresh."""
        piece_at = self.piece_at
        if not piece_at:
            piece_at.extend(p[2] for p in self.pieces)
        p = bisect_right(piece_at, start) - 1
        key, _, a = self.pieces[p]
        lo = max(0, start - EXCUSE_REACH)
        if (
            p < 0
            or end - a > (own_length(key) if self.tagged else len(key))
            or self.reaches(i, lo, end)
        ):
            return self.blocked(i, start, end)
        k = (i, key, start - a, end - a)
        verdicts = self.comp.verdicts
        found = verdicts.get(k)
        if found is None:
            found = self.blocked(i, start, end)
            if not self.straddled(i, max(lo, a), end):
                remember(verdicts, k, found, VERDICTS_KEPT)
        return found

    def straddled(self, i: int, lo: int, end: int) -> bool:
        """Whether the excuse test of rule i hangs on its sentence's neighbour: its own
        cues from ``lo`` on all run past the claim's end, so a cue in the sentence before
        decides whether they are tried (see ``excused``)."""
        cues = self.cues_of[i]
        if self.unless_of[i] is None or cues is None:
            return False
        own = self.spots(cues, self.cue_spots[i], lo, end)
        return bool(own) and not any(b <= end for _, b in own)

    def holds(self, i: int, start: int, end: int, first: int, last: int) -> bool:
        """Whether a match is a claim: not negated, not after a comparison, not excused."""
        n, negated = self.n, self.negated
        if first < n and negated[first]:
            return False  # the cheapest test first: most rejected claims are negated
        if (self.unless_of[i] is not None or self.after_of[i] is not None) and (
            self.kept_blocked(i, start, end)
            if self.pieces and self.sentence_verdicts[i]
            else self.blocked(i, start, end)
            if self.window_back[i] is None
            else window_barred(self.comp, self.text, i, start, end)
        ):
            return False
        return first >= n or claim_holds(self.tokens, first, max(first, last), negated)

    def judge(self, i: int, start: int, end: int, first: int, last: int) -> tuple[bool, int | None]:
        """``holds``, and what keeping the verdict with its sentence needs (see ``kept``): 0
        when nothing outside the sentence decides it, ``DENIED_NEXT`` when it holds unless
        the next sentence's opening denies it (with ``RECHECK`` when an excuse read afresh
        may take it back), None when anything else outside matters."""
        n, negated = self.n, self.negated
        if first < n and negated[first]:
            return False, 0
        comp, pieces, text = self.comp, self.pieces, self.text
        p = bisect_right(self.piece_at, start) - 1
        key, k0, a = pieces[p]
        recheck, barred = 0, False
        if self.unless_of[i] is not None or self.after_of[i] is not None:
            lo = max(0, start - EXCUSE_REACH)
            if p < 0 or end - a > (own_length(key) if self.tagged else len(key)):
                return self.holds(i, start, end, first, last), None
            if comp.sentence_verdicts[i]:  # read at cues: see ``kept_blocked``
                reach = comp.plain_reach[i]
                if (
                    reach is not None and reach.search(text, lo, end) is not None
                ) or self.straddled(i, max(lo, a), end):
                    return self.holds(i, start, end, first, last), None
                if lo < a:
                    self.quiet.setdefault(p, set()).add(i)
                if self.kept_blocked(i, start, end):
                    return False, 0
            elif not comp.plain_stays[i]:  # a phrase may cross a stop: read afresh where used
                if comp.window_back[i] is None:
                    return self.holds(i, start, end, first, last), None
                recheck = RECHECK
                barred = window_barred(comp, text, i, start, end)
            elif (
                self.blocked(i, start, end)
                if comp.window_back[i] is None
                else window_barred(comp, text, i, start, end)
            ):
                return False, 0
        if first >= n:
            return not barred, recheck
        tokens = self.tokens
        k1 = pieces[p + 1][1] if p + 1 < len(pieces) else n
        near = self.around.get(p)
        if near is None:
            near = self.around[p] = not READ_AROUND.isdisjoint(tokens.words[k0:k1])
        j = max(first, last)
        if near:
            return not barred and claim_holds(tokens, first, j, negated), None
        if not claim_holds(tokens, first, j, negated, deny=False):
            return False, 0
        edge = tokens.edge
        k = j + 1
        while k < n and edge[k] < CLAUSE:
            k += 1
        blocks = tokens.blocks
        if blocks and blocks[-1] > j and denied(tokens, j):
            if k < k1:
                return False, 0
            # the clause runs to the sentence's end, yet a clause joined on inside it may
            # deny the claim ("..., and we won't pretend it is."): then no neighbour matters
            own = piece_tokens(key)
            if own is None or denied(own, j - k0):
                return False, 0 if own is not None else None
            return False, DENIED_NEXT | recheck
        return not barred, (DENIED_NEXT if k >= k1 else 0) | recheck
