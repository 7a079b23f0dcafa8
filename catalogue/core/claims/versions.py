"""A claim said of an earlier version of the product, which a later one has replaced.

"2019: V1 ran too hot; customers said the heat felt sharp. 2021: V2 runs at a gentle
warmth." tells the product's history: the claim stands in a sentence that names an earlier
version ("v1", "version one", "gen 1", "mk1") before it, and a later sentence names a later
version of a higher number ("v2", "gen two"). A claim in the later version's sentence, or
in a listing that names no later version, stays a claim.
"""

from __future__ import annotations

import re

from catalogue.core.claims.sentences import sentence_bounds
from catalogue.core.claims.tokens import Tokens

# the words a version is named by: "v2", "mk1" alone, or "version", "gen" and a number
CUES = frozenset("v1 v2 v3 mk1 mk2 mk3 version gen generation".split())
# substrings that let a listing hold one (``kept.outside``: such a listing is read whole)
MARKS = ("v1", "mk1", "version 1", "version one", "gen 1", "gen one", "generation one")
_JOINED = re.compile(r"(?:v|mk)(\d)")
_HEADS = frozenset({"version", "gen", "generation"})
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _number(words: list[str], k: int) -> int:
    """The version word k names (0 for none): "v2" -> 2, "gen" "one" -> 1."""
    m = _JOINED.fullmatch(words[k])
    if m is not None:
        return int(m.group(1))
    if words[k] in _HEADS and k + 1 < len(words):
        return _NUMBERS.get(words[k + 1], 0)
    return 0


def superseded(tokens: Tokens, i: int) -> bool:
    """Whether the claim at word i is said of an earlier version (see the module's text)."""
    words = tokens.words
    a, b = sentence_bounds(tokens, i)
    early = [v for v in (_number(words, k) for k in range(a, i)) if v]
    if not early:
        return False
    return any(_number(words, k) > max(early) for k in range(b + 1, len(words)))
