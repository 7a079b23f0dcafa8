"""An "if" clause that offers rather than supposes: "Swipe right if you like instant
relief every single time" invites whoever likes the claim, so the claim is made."""

from __future__ import annotations

from catalogue.core.claims.tokens import CLAUSE, NONE, Tokens

# "Swipe right if you like instant relief": an "if you like X" after an invitation
# offers X; the same clause opening the sentence ("If you want instant relief, look
# elsewhere") or after a negated one ("Don't buy me if you want ...") stays a condition
_LIKING = frozenset("like love enjoy fancy want crave".split())
# a main clause that turns the reader away ("Swipe left if you want ...", "look elsewhere")
_REJECTING = frozenset("left skip pass avoid elsewhere ignore scroll".split())


def inviting(tokens: Tokens, k: int, i: int) -> bool:
    """Whether the "if" at word k, in the middle of an unnegated sentence, opens "if you
    like ..." with the claim at word i as what is liked."""
    words, edge = tokens.words, tokens.edge
    if k == 0 or edge[k] != NONE or i < k + 3 or words[k + 1] != "you":
        return False
    if words[k + 2] not in _LIKING or edge[k + 1] != NONE or edge[k + 2] != NONE:
        return False
    m = k - 1
    while m >= 0:
        if tokens.negator[m] or words[m] in _REJECTING:
            return False
        if edge[m] >= CLAUSE:
            return True
        m -= 1
    return True
