"""Claim words inside the title of a film, book or song the listing talks about.

"The Miracle at Lisbon? A lovely old film." names a work, not the product: the matched word
opens a title in Title Case ("Miracle", then a small linking word such as "on", "of", "at",
"in", then a capital or a number) and its sentence or the next calls it a film, book, song
or the like. A claim in plain case ("a miracle in a box") or with no such word stays.
"""

from __future__ import annotations

from catalogue.core.claims.negators import plain
from catalogue.core.claims.pieces import any_piece
from catalogue.core.claims.sentences import sentence_bounds
from catalogue.core.claims.tokens import Tokens

WORKS = frozenset(
    "film films movie movies book books novel novels song songs album albums musical"
    " musicals play plays show shows series episode classic classics poem poems".split()
)
_LINKS = frozenset("on of at in for from to under".split())
_WORK_REACH = 12  # words after the title in which the work may be named


def titled(tokens: Tokens, i: int) -> bool:
    """Whether word i opens a work's title named as such (see above)."""
    words, starts, original = tokens.words, tokens.starts, tokens.original
    n = len(words)
    if not original or i + 2 >= n or words[i + 1] not in _LINKS:
        return False
    first, link, after = (original[starts[k] : starts[k] + 1] for k in (i, i + 1, i + 2))
    if not first.isupper() or not link.islower() or not (after.isupper() or after.isdigit()):
        return False
    b = sentence_bounds(tokens, i)[1]
    if b + 1 < n:
        b = sentence_bounds(tokens, b + 1)[1]
    text = tokens.text
    return any(
        plain(words[k]) in WORKS and text[tokens.end(k) : tokens.end(k) + 1] != "-"
        for k in range(i + 3, min(b, i + _WORK_REACH) + 1)
    )  # "a film-thin wrap" names no film


def _names_work(own: Tokens) -> bool:
    return not WORKS.isdisjoint(own.words)


_works: dict[str, bool] = {}  # sentence -> whether it names a work, while kept


def may_title(tokens: Tokens) -> bool:
    """Whether some sentence names a work: such a listing is read whole, a title reading
    the sentence after it."""
    return any_piece(_works, tokens, _names_work)
