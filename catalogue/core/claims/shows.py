"""Claim words that belong to a film, show or book the listing talks about, not the product.

- A quoted title in Title Case in a sentence that names a work ("the montage in 'Second
  Wind'", "the drama 'Instant Karma'") names the work: its words are no claim. A quotation
  that names the product ("it's called 'Instant Relief'") or is not in Title Case stays.
- The plot told after a work and "about" ("the film about a nurse with glowing hands")
  narrates the story up to the clause's end: its words say nothing of the product.

A work is one of ``titles.WORKS`` (with the film trade's words: drama, montage, scene ...),
a whole word (not "show-stopping").
"""

from __future__ import annotations

from catalogue.core.claims.negators import plain
from catalogue.core.claims.quoted import quotation
from catalogue.core.claims.sentences import sentence_bounds
from catalogue.core.claims.titles import NAMING, WORKS, link_word
from catalogue.core.claims.tokens import COMMA, Tokens

_PLOT_REACH = 3  # words from the work to its "about": "the drama, mostly about"


def _work(tokens: Tokens, k: int) -> bool:
    """Whether word k names a work as a whole word (not "show-stopping", "film-thin")."""
    text = tokens.text
    if plain(tokens.words[k]) not in WORKS:
        return False
    return text[tokens.end(k) : tokens.end(k) + 1] != "-" and (
        tokens.starts[k] == 0 or text[tokens.starts[k] - 1] != "-"
    )


def in_title(tokens: Tokens, i: int, j: int) -> bool:
    """Whether word i or j sits in a quoted Title Case title of a work its sentence names."""
    original = tokens.original
    if not original:
        return False
    a, b = sentence_bounds(tokens, i)
    if j > b or not any(_work(tokens, k) for k in range(a, b + 1)):
        return False
    for m in {i, j}:
        span = quotation(tokens, m, m, a, b)
        if span is None:
            continue
        p, q = span
        if p and plain(tokens.words[p - 1]) in NAMING:
            continue  # "it's called 'Instant Relief'" names the product
        starts = tokens.starts
        if all(
            original[starts[k] : starts[k] + 1].isupper() or (p < k < q and link_word(tokens, k))
            for k in range(p, q + 1)
        ) and any(original[starts[k] : starts[k] + 2].istitle() for k in range(p, q + 1)):
            return True  # Title Case, not a shout in capitals ("'MIRACLE LAMP!'")
    return False


def in_plot(tokens: Tokens, i: int) -> bool:
    """Whether word i lies in a plot told after "<work> about", in the same clause."""
    words, edge = tokens.words, tokens.edge
    k = i
    while k > 0 and edge[k] < COMMA:
        k -= 1
        if words[k] == "about" and any(_work(tokens, m) for m in range(max(0, k - _PLOT_REACH), k)):
            return True
    return False


def about_work(tokens: Tokens, i: int, j: int) -> bool:
    """Whether the claim on words i..j belongs to a work the listing talks about."""
    return in_plot(tokens, i) or in_title(tokens, i, j)
