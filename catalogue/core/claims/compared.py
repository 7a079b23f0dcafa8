"""A claim said of the other product in a comparison ("Heating pad vs this belt: the pad
gives sharp heat"): ``compared_other``, asked by ``scope.holds`` when the text holds one of
``COMPARING``."""

from __future__ import annotations

from catalogue.core.claims.lexicon import stem
from catalogue.core.claims.negators import CONTRASTS, PRONOUNS, plain
from catalogue.core.claims.tokens import CLAUSE, COMMA, NONE, Tokens

COMPARING = frozenset({"vs", "versus"})  # the words ``compared_other`` needs
_OWN = frozenset({"this", "these", "our", "ours"})
_DETERMINERS = frozenset(
    "the a an that those their your typical regular ordinary old cheap cheaper usual other".split()
)
_COMPARE_REACH = 30  # words from a claim's clause back to its "vs"
# words that open a clause of their own after a comma: a subject or a joining word
_OPENS_CLAUSE = PRONOUNS | _OWN | _DETERMINERS | CONTRASTS | {"and", "or", "so", "ours", "while"}


def compared_other(tokens: Tokens, i: int) -> bool:
    """A claim said of the other product in a comparison: "Heating pad vs this belt: the pad
    gives you sharp heat, this gives a mild warmth". Some "A vs B" stands at most
    ``_COMPARE_REACH`` words before the claim's clause, one side names the product ("this",
    "our") and the other does not, and the claim's clause opens with the other side's head
    word ("the pad", "heating pads"), not with the product's (a head both sides share,
    "this panel vs other panels", counts only with a word of the other side's own)."""
    words, edge = tokens.words, tokens.edge
    head = i
    while head > 0 and edge[head] < COMMA:
        head -= 1
    # a comma inside a list of modifiers ("the pad throws sharp, intense heat") opens no
    # clause: read from the comma before, unless the words after it open one ("it gives")
    while head > 0 and edge[head] == COMMA and plain(words[head]) not in _OPENS_CLAUSE:
        head -= 1
        while head > 0 and edge[head] < COMMA:
            head -= 1
    subject: list[str] = []
    k = head
    while k <= i and len(subject) < 3 and (k == head or edge[k] == NONE):
        w = plain(words[k])
        if w in _OWN:
            return False
        if w not in _DETERMINERS:
            subject.append(stem(w))
        k += 1
    if not subject:
        return False
    for v in range(head - 1, max(-1, head - _COMPARE_REACH), -1):
        if words[v] not in COMPARING:
            continue
        a = v
        while a > 0 and edge[a] < CLAUSE:
            a -= 1
        b = v + 1
        while b + 1 < len(words) and edge[b + 1] == NONE:
            b += 1
        left, right = words[a:v], words[v + 1 : b + 1]
        if not left or not right:
            return False
        own_left, own_right = not _OWN.isdisjoint(left), not _OWN.isdisjoint(right)
        if own_left == own_right:
            return False
        other, own = (right, left) if own_left else (left, right)
        head_word = stem(plain(other[-1]))
        if head_word not in subject:
            return False
        own_words = {stem(plain(w)) for w in own}
        # "This panel vs other panels: the panel ...": a head both sides share names
        # neither, unless the clause also names what only the other side has
        return head_word not in own_words or any(
            stem(plain(w)) in subject and stem(plain(w)) not in own_words
            for w in other
            if plain(w) not in _DETERMINERS
        )
    return False
