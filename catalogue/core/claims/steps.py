"""A frame matched step by step: which two words may belong to one frame (same segment,
nothing negating between), and how far a step may reach (its gap, with slack for words
joined by hyphens). See ``frames`` for the index that finds each step's words.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left

from catalogue.core.claims.lexicon import MAX_ENTRY_WORDS
from catalogue.core.claims.sentences import segments
from catalogue.core.claims.tokens import CLAUSE, SENTENCE, Tokens

Occurrence = tuple[int, int]  # first and last word index
CompiledStep = tuple[int, int, bool]  # family id, gap, either order
HYPHEN_SLACK = 2  # a gap may hold this many more words when hyphens join them to the one before


def slice_tokens(tokens: Tokens, k0: int, k1: int) -> Tokens:
    """Words k0..k1 - 1 as a listing of their own (offsets stay those of the listing)."""
    edge = tokens.edge[k0:k1]
    edge[0] = SENTENCE
    last = tokens.edge[k1] if k1 < len(tokens.edge) else tokens.last_edge
    blocks = [b - k0 for b in tokens.blocks if k0 <= b < k1]
    words = tokens.words[k0:k1]
    part = Tokens(
        words,
        tokens.starts[k0:k1],
        None if tokens.known_ends is None else tokens.known_ends[k0:k1],
        edge,
        last,
        tokens.negator[k0:k1],
        blocks,
        tokens.text,
    )
    return part


class Joins:
    """Whether two words may belong to one frame: same clause, nothing negating between."""

    def __init__(self, tokens: Tokens) -> None:
        self.tokens = tokens
        self.seg: list[int] | None = None

    def __call__(self, x: int, y: int) -> bool:
        tokens = self.tokens
        if tokens.blocks and tokens.blocked(x, y):
            return False
        edges = tokens.edge[x + 1 : y + 1]
        if not edges or max(edges) < CLAUSE:
            return True
        if self.seg is None:  # edges between: only a question and its short answer,
            self.seg = segments(tokens)  # a fragment, or a short head and its dash, join
        return self.seg[x] == self.seg[y]

    def hyphened(self, x: int, y: int) -> int:
        """How many of the words strictly between x and y are joined to the word before
        by a hyphen: "instant, drug-free relief" has one word between, not two."""
        tokens = self.tokens
        text, starts, end = tokens.text, tokens.starts, tokens.end
        return sum(1 for k in range(x + 2, y) if text[end(k - 1) : starts[k]] == "-")


def extend(
    joins: Joins,
    hits: dict[int, list[Occurrence]],
    steps: tuple[CompiledStep, ...],
    k: int,
    a: int,
    b: int,
) -> Occurrence | None:
    if k == len(steps):
        return a, b
    fid, gap, either = steps[k]
    occurrences = hits.get(fid, ())
    # only occurrences that start near enough can join (lists are in order of start; an
    # entry is at most MAX_ENTRY_WORDS words long, so one ending before a starts after a - gap - it)
    first = bisect_left(
        occurrences, (a - gap - HYPHEN_SLACK - MAX_ENTRY_WORDS if either else b + 1,)
    )
    last = k + 1 == len(steps)
    for n, (c, d) in enumerate(itertools.islice(occurrences, first, None), first):
        if c > b + gap + 1 + HYPHEN_SLACK:
            break
        if c > b and (c - b - 1 <= gap or c - b - 1 - joins.hyphened(b, c) <= gap) and joins(b, c):
            if last:  # the longest entry there: "by tomorrow morning", not "by tomorrow"
                d = max(d2 for c2, d2 in occurrences[n : n + MAX_ENTRY_WORDS] if c2 == c)
            found = extend(joins, hits, steps, k + 1, a, d)
        elif (
            either
            and a > d
            and (a - d - 1 <= gap or a - d - 1 - joins.hyphened(d, a) <= gap)
            and joins(d, a)
        ):
            found = extend(joins, hits, steps, k + 1, c, b)
        else:
            continue
        if found is not None:
            return found
    return None
