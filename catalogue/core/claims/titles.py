"""Claim words inside the title of a film, book or song the listing talks about.

"The Miracle at Lisbon? A lovely old film." names a work, not the product: the matched word
opens a title in Title Case ("Miracle", then a small linking word such as "on", "of", "at",
"in", then a capital or a number) and its sentence or the next calls it a film, book, song
or the like. A quoted title in Title Case credited to its maker ("'Small Miracles' by the
Harbour Lights", see ``credited``) names a work too. A claim in plain case ("a miracle in a
box") or with no such word stays.
"""

from __future__ import annotations

from catalogue.core.claims.negators import plain
from catalogue.core.claims.pieces import any_piece
from catalogue.core.claims.sentences import sentence_bounds
from catalogue.core.claims.tokens import Tokens

WORKS = frozenset(
    "film films movie movies book books novel novels song songs album albums musical"
    " musicals play plays show shows series episode classic classics poem poems drama dramas"
    " documentary documentaries sitcom sitcoms thriller thrillers comedy comedies sequel"
    " sequels trailer trailers montage montages scene scenes biopic biopics blockbuster".split()
)
_LINKS = frozenset("on of at in for from to under".split())
# words that give the product a quoted name rather than cite a work
NAMING = frozenset("is are was were its called named dubbed meet".split())
_SMALL = _LINKS | frozenset("the a an and or".split())  # lower case inside a title
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


def credited(tokens: Tokens, p: int, q: int) -> bool:
    """Whether the quotation on words p..q is a title in Title Case credited to its maker
    right after its closing mark: "'Small Miracles' by the Harbour Lights", '"Instant Relief"
    by J. Okafor' (``quoted.refuted`` finds the quotation)."""
    words, starts, original = tokens.words, tokens.starts, tokens.original
    k = q + 1
    if not original or k + 1 >= len(words) or words[k] != "by":
        return False
    if p and plain(words[p - 1]) in NAMING:
        return False  # "this panel is 'The Miracle Cure' by Lumen House" names the product
    if not all(
        original[starts[m] : starts[m] + 1].isupper() or (m > p and words[m] in _LINKS)
        for m in range(p, q + 1)
    ):
        return False
    if words[k + 1] == "the" and k + 2 < len(words):
        k += 1
    return original[starts[k + 1] : starts[k + 1] + 1].isupper()


def link_word(tokens: Tokens, k: int) -> bool:
    """Whether word k is a small word in lower case, as inside a title ("Ring of the Sea")."""
    s = tokens.starts[k]
    return tokens.words[k] in _SMALL and tokens.original[s : s + 1].islower()


# a game item's rarity, in brackets after its name: "Ring of Slow Mending (Rare knee wrap)"
RARITIES = frozenset("common uncommon rare epic legendary mythic exotic".split())


def _title_word(tokens: Tokens, k: int) -> bool:
    s = tokens.starts[k]
    return tokens.original[s : s + 1].isupper() or link_word(tokens, k)


def item_name(tokens: Tokens, i: int) -> bool:
    """Whether word i lies in a game item's name: a line that opens with words in Title Case,
    one a small linking word ("Ring of Slow Mending", "Amulet of the Tide"), then its
    rarity in brackets. "Fast Healing Wrap (Rare find!)" has no linking word and stays."""
    words, text, n = tokens.words, tokens.original, len(tokens.words)
    if not text or not _title_word(tokens, i):
        return False
    k = i
    while k > 0 and "\n" not in text[tokens.end(k - 1) : tokens.starts[k]]:
        k -= 1
        if not _title_word(tokens, k):
            return False
    m = i
    while m + 1 < n:
        sep = text[tokens.end(m) : tokens.starts[m + 1]]
        if "(" in sep:
            break
        if "\n" in sep or not _title_word(tokens, m + 1):
            return False
        m += 1
    else:
        return False
    return words[m + 1] in RARITIES and any(link_word(tokens, x) for x in range(k + 1, m))


def _names_work(own: Tokens) -> bool:
    return not WORKS.isdisjoint(own.words)


_works: dict[str, bool] = {}  # sentence -> whether it names a work, while kept


def may_title(tokens: Tokens) -> bool:
    """Whether some sentence names a work: such a listing is read whole, a title reading
    the sentence after it."""
    return any_piece(_works, tokens, _names_work)
