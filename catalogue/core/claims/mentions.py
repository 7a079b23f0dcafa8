"""Claim words named, not used: "sick of miracle claims", "phrases such as 'cures',
'FDA approved' or 'miracle'". ``scope.holds`` asks ``mentioned`` when a mention noun
stands in the listing."""

from __future__ import annotations

from catalogue.core.claims.tokens import CLAUSE, COMMA, NONE, SENTENCE, Tokens

MENTIONS = frozenset(
    "claim claims phrase phrases word words term terms label labels buzzword buzzwords"
    " slogan slogans wording vocabulary glossary".split()
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
    return (
        (k >= 0 and edge[k + 1] == NONE and words[k] in MENTIONS)
        or _listed(tokens, i)
        or _glossed(tokens, i, j)
    )


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
# what heads a list of words to learn or look for, before its colon: "Key vocabulary: cure,
# miracle, instant", "Glossary: ...", "Words to spot: ..." (not "Claims:" nor "Slogan:",
# which may head the seller's own, nor "Terms:", a shop's)
_GLOSSARY = frozenset("vocabulary glossary words phrases buzzwords".split())
_GLOSS_ITEM = 3  # words an item of such a list may hold: "clinically proven"
_GLOSS_HEAD = 4  # words a heading may hold before its colon: "Key words to spot"


def _glossed(tokens: Tokens, i: int, j: int) -> bool:
    """Whether the claim on words i..j stands in a bare list of words headed by a glossary
    heading and its colon ("Key vocabulary: cure, miracle, guarantee, instant, FDA
    approved."): at least two items of three words at most, parted by commas (or "and",
    "or"), that run from the colon to the sentence's end."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    m = i
    while m > 0 and edge[m] < CLAUSE:  # back to the colon
        m -= 1
    if m == 0 or ":" not in tokens.text[tokens.end(m - 1) : tokens.starts[m]]:
        return False
    first = m - 1  # the heading opens its sentence or line: "Key vocabulary:"
    while first > 0 and edge[first] == NONE and m - first <= _GLOSS_HEAD:
        first -= 1
    if edge[first] < CLAUSE or _GLOSSARY.isdisjoint(words[first:m]):
        return False
    items, length, k = 1, 0, m
    while k < n and (k == m or edge[k] < CLAUSE):  # on to the list's end over short items
        if k > m and (edge[k] == COMMA or words[k] in _JOINS):
            items += 1
            length = 0
        if words[k] not in _JOINS:
            length += 1
            if length > _GLOSS_ITEM:
                return False
        k += 1
    return items >= 2 and k > j and (k == n or edge[k] >= SENTENCE)


# what a claim's words name when they come before it ("miracle claims"; a label may be the
# product's own: "an FDA approved label")
_NAMED_AFTER = MENTIONS - {"label", "labels", "term", "terms", "word", "words"}


__all__ = ["MENTIONS", "mentioned"]
