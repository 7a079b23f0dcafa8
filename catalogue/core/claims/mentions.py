"""Claim words named, not used: "sick of miracle claims", "phrases such as 'cures',
'FDA approved' or 'miracle'". ``scope.holds`` asks ``mentioned`` when a mention noun
stands in the listing."""

from __future__ import annotations

from catalogue.core.claims.tokens import CLAUSE, COMMA, NONE, Tokens

MENTIONS = frozenset(
    "claim claims phrase phrases word words term terms label labels buzzword buzzwords"
    " slogan slogans wording".split()
)
_MENTION_LINKS = frozenset({"of", "like", "as", "such"})


def mentioned(tokens: Tokens, i: int, j: int) -> bool:
    """The claim's words are named, not used: a mention noun (and "of", "like") right before,
    or a noun of claims right after them ("sick of miracle claims", "no cure claims")."""
    words, edge = tokens.words, tokens.edge
    if j + 1 < len(words) and edge[j + 1] == NONE and words[j + 1] in _NAMED_AFTER:
        return True
    k = i - 1
    while k >= 0 and edge[k + 1] == NONE and words[k] in _MENTION_LINKS and i - k <= 2:
        k -= 1
    return (k >= 0 and edge[k + 1] == NONE and words[k] in MENTIONS) or _listed(tokens, i)


def _listed(tokens: Tokens, i: int) -> bool:
    """Whether the claim stands in an item of a list that a mention noun heads ("flags
    phrases such as 'cures', 'FDA approved' or 'miracle'", "terms like 'instant relief'"):
    items of four words at most, joined by commas, "or" or "and", back to the noun and its
    link, in one clause."""
    words, edge = tokens.words, tokens.edge
    m, length = i - 1, 1
    while m > 0 and i - m <= 16 and edge[m + 1] < CLAUSE:
        w = words[m]
        if w in _MENTION_LINKS and edge[m + 1] == NONE and length:
            k = m - 1 if words[m - 1] not in _MENTION_LINKS else m - 2
            return k >= 0 and edge[k + 1] == NONE and edge[m] == NONE and words[k] in MENTIONS
        if w in _JOINS or edge[m + 1] == COMMA:
            length = 0 if w in _JOINS else 1
        else:
            length += 1
            if length > 4:
                return False
        m -= 1
    return False


_JOINS = frozenset({"or", "and"})


# what a claim's words name when they come before it ("miracle claims"; a label may be the
# product's own: "an FDA approved label")
_NAMED_AFTER = MENTIONS - {"label", "labels", "term", "terms", "word", "words"}


__all__ = ["MENTIONS", "mentioned"]
