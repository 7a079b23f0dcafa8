"""Hashtags written in lower case, read as the family words they are made of.

"#NerveHealing" is split at its capitals when the listing is read (``tokens``); "#nervehealing"
cannot be, so the frame index splits such a tag into the fewest words its families know
(``split_tag``) and reads them as a listing of their own (``read_tag``): every frame that
matches inside the tag fires on the tag, and each part's families stand at the tag's place.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence

from catalogue.core.claims.lexicon import stem
from catalogue.core.claims.negators import NEGATORS, plain
from catalogue.core.claims.tokens import NONE, SENTENCE, Tokens

Occurrences = dict[int, list[tuple[int, int]]]
_MOST_PARTS = 4  # words in one tag
_PART = 2  # letters in the shortest of them ("no" in "#nomorepills")


def hashtag_words(tokens: Tokens, k0: int, k1: int) -> list[int]:
    """Which of words k0..k1 - 1 are written as a hashtag, counted from k0."""
    text, starts = tokens.text, tokens.starts
    if "#" not in text:
        return []
    return [k - k0 for k in range(k0, k1) if starts[k] and text[starts[k] - 1] == "#"]


def split_tag(word: str, known: frozenset[str], shortest: int) -> list[str]:
    """The fewest words (two to ``_MOST_PARTS``) whose stems are ``known`` that make up
    ``word``, longer words first on a tie; [] when there are none, or when the tag is
    shorter than ``shortest`` letters ("#glowup" is slang, not "glow up")."""
    n = len(word)
    if n < shortest or not word.isalpha():
        return []
    # best[k]: (parts, minus the sum of squared part lengths, cuts) for word[:k]
    best: list[tuple[int, int, tuple[int, ...]] | None] = [None] * (n + 1)
    best[0] = (0, 0, ())
    for k in range(_PART, n + 1):
        for j in range(0, k - _PART + 1):
            before = best[j]
            if before is None or before[0] >= _MOST_PARTS or stem(word[j:k]) not in known:
                continue
            cand = (before[0] + 1, before[1] - (k - j) ** 2, (*before[2], k))
            now = best[k]
            if now is None or cand[:2] < now[:2]:
                best[k] = cand
    last = best[n]
    if last is None or last[0] < 2:
        return []
    return [word[a:b] for a, b in itertools.pairwise((0, *last[2]))]


def read_tag(
    parts: list[str],
    occurrences: Callable[[list[str], list[int]], Occurrences],
    match: Callable[[Tokens, Occurrences], Sequence[tuple[int, str, int, int]]],
    joined: Mapping[tuple[int, str], int],
) -> tuple[int, ...]:
    """The families a tag made of ``parts`` holds: ``joined[rule, group]`` for each frame
    that matches inside it, and each part's own families. A negator among the parts
    ("#nomorepills") keeps only the frames that hold it, and no part's family."""
    n = len(parts)
    edge = [SENTENCE] + [NONE] * (n - 1)
    hits = occurrences(parts, edge)
    if not hits:
        return ()
    negs = [k for k, p in enumerate(parts) if plain(p) in NEGATORS]
    out: set[int] = set() if negs else set(hits)
    inside = Tokens(
        parts,
        list(range(n)),
        list(range(1, n + 1)),
        edge,
        NONE,
        [k in negs for k in range(n)],
        negs,
    )
    for i, group, a, _ in match(inside, hits):
        if not any(k < a for k in negs):
            out.add(joined[i, group])
    return tuple(sorted(out))
