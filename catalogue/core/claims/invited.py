"""An "if" clause that offers rather than supposes: "Swipe right if you like instant
relief every single time" invites whoever likes the claim, so the claim is made; so does
one that offers a step the reader is ready for ("Press 1 if you'd like to ditch your
painkillers", "Tap here if you're ready to quit the physio")."""

from __future__ import annotations

from catalogue.core.claims.tokens import CLAUSE, NONE, Tokens

# "Swipe right if you like instant relief": an "if you like X" after an invitation
# offers X; the same clause opening the sentence ("If you want instant relief, look
# elsewhere") or after a negated one ("Don't buy me if you want ...") stays a condition
_LIKING = frozenset("like love enjoy fancy want crave".split())
# "if you'd like to X", "if you're ready to X": the step X offered, right after "to"
_WOULD = frozenset({"you'd", "youd"})
_WOULD_LIKE = frozenset("like love".split())
_ARE = frozenset({"you're", "youre"})
_READY = frozenset("ready set keen eager".split())
_STEP_REACH = 2  # words between "to" and the claim it offers ("to finally ditch")
# a main clause that turns the reader away ("Swipe left if you want ...", "look elsewhere")
# or sends the step to someone who advises on it ("Ask your GP if you'd like to stop ...")
_REJECTING = frozenset(
    "left skip pass avoid elsewhere ignore scroll ask talk speak consult check discuss".split()
)


def _offered_step(words: list[str], k: int) -> int:
    """The word after the "to" of "if you'd like to", "if you would like to", "if you're
    ready to", "if you are ready to", "if you want to" at word k, or 0 when none opens there."""
    a = words[k + 1 : k + 5]
    if (
        len(a) >= 3
        and a[2] == "to"
        and (
            (a[0] in _WOULD and a[1] in _WOULD_LIKE)
            or (a[0] in _ARE and a[1] in _READY)
            or (a[0] == "you" and a[1] in _LIKING)
        )
    ):
        return k + 4
    if (
        len(a) == 4
        and a[0] == "you"
        and a[3] == "to"
        and ((a[1] == "would" and a[2] in _WOULD_LIKE) or (a[1] == "are" and a[2] in _READY))
    ):
        return k + 5
    return 0


def inviting(tokens: Tokens, k: int, i: int) -> bool:
    """Whether the "if" at word k, in the middle of an unnegated sentence, opens "if you
    like ..." with the claim at word i as what is liked, or "if you'd like to ..." (see
    ``_offered_step``) with the claim starting at most ``_STEP_REACH`` words after "to"."""
    words, edge = tokens.words, tokens.edge
    if k == 0 or edge[k] != NONE:
        return False
    step = _offered_step(words, k)
    if step:
        offered = step <= i <= step + _STEP_REACH and all(e == NONE for e in edge[k + 1 : i + 1])
    else:  # "if you like X", but not "if you, like, ..."
        offered = i >= k + 3 and words[k + 1] == "you" and words[k + 2] in _LIKING
        offered = offered and edge[k + 1] == NONE and edge[k + 2] == NONE
    if not offered:
        return False
    m = k - 1
    while m >= 0:
        if tokens.negator[m] or words[m] in _REJECTING:
            return False
        if edge[m] >= CLAUSE:
            return True
        m -= 1
    return True
