"""Questions a quiz asks: who does it, and is it true or false.

- "Who needs a doctor when you've got this? Not me." names nobody: the claim stands
  (``nobody``); "Who needs a physio? Anyone with an injury." names everyone (``anyone``).
- "Who claims to cure arthritis in a week? The other guys. Not us." gives the claim to
  others: a question opening on "who" and a verb of claiming (``claimed_by``), answered
  by naming others (``others``), is no claim of the listing.
- "True or false: this panel is FDA approved. A: False!" states the claim to be judged,
  and the answer judges it: a statement so opened, answered "False", is no claim
  (``judged_false``); answered "True", it stands.
"""

from __future__ import annotations

from catalogue.core.claims.framing import OTHER_PARTIES, REPORTING, WE
from catalogue.core.claims.negators import HEDGES, plain
from catalogue.core.claims.sentences import content_start, sentence_bounds
from catalogue.core.claims.tokens import COMMA, NONE, Tokens

_NOBODY = frozenset({"nobody", "noone", "none"})
_NOT_WHO = frozenset({"me", "us", "i", "you", "yourself", "anyone", "anybody", "mine", "ours"})


def nobody(tokens: Tokens, k: int) -> bool:
    """Whether the answer starting at word k names nobody: "Not me.", "Nobody.", "No one"."""
    words, n = tokens.words, len(tokens.words)
    k = content_start(tokens, k, n - 1)
    if k + 1 < n and plain(words[k]) in HEDGES and tokens.edge[k + 1] == COMMA:
        k += 1  # "Honestly, no one."
    if k >= n:
        return False
    first = plain(words[k])
    second = plain(words[k + 1]) if k + 1 < n and tokens.edge[k + 1] == NONE else ""
    return (
        first in _NOBODY
        or (first == "not" and second in _NOT_WHO)
        or (first == "no" and second == "one")
    )


_ANYONE = frozenset({"anyone", "anybody", "everyone", "everybody"})


def anyone(tokens: Tokens, k: int) -> bool:
    """Whether the answer starting at word k, after a hedge, names anyone or everyone."""
    words, n = tokens.words, len(tokens.words)
    k = content_start(tokens, k, n - 1)
    if k + 1 < n and plain(words[k]) in HEDGES and tokens.edge[k + 1] == COMMA:
        k += 1
    return k < n and plain(words[k]) in _ANYONE


_OTHERS_WORDS = 5  # words of an answer that names others: "The other guys."
_CLAIMING_REACH = 3  # words from "who" to its verb of claiming: "who out there claims"


def claimed_by(tokens: Tokens, a: int, i: int) -> bool:
    """Whether the question clause opening at word a asks who claims the claim at word i:
    "Who claims to cure arthritis?", "Who promises instant relief?"."""
    words = tokens.words
    if plain(words[a]) != "who":
        return False
    return any(words[k] in REPORTING for k in range(a + 1, min(i, a + _CLAIMING_REACH) + 1))


def others(tokens: Tokens, k: int) -> bool:
    """Whether the short answer starting at word k names others and not the writer: "The
    other guys.", "Answer: other brands, mostly." (not "Us and the other guys")."""
    n = len(tokens.words)
    if k >= n:
        return False
    _, end = sentence_bounds(tokens, k)
    k = content_start(tokens, k, end)
    if end - k + 1 > _OTHERS_WORDS:
        return False
    said = {plain(w) for w in tokens.words[k : end + 1]}
    return not OTHER_PARTIES.isdisjoint(said) and WE.isdisjoint(said)


_TRUE_OR_FALSE = ("true", "or", "false")


def judged_false(tokens: Tokens, i: int) -> bool:
    """Whether the claim at word i stands in a statement opened "True or false" (after a
    label: "Q: True or false - ...") and the next sentence answers "False" (after its own
    label: "A: False!")."""
    words, n = tokens.words, len(tokens.words)
    a, b = sentence_bounds(tokens, i)
    k = content_start(tokens, a, b)
    if tuple(map(plain, words[k : k + 3])) != _TRUE_OR_FALSE or i < k + 3 or b + 1 >= n:
        return False
    nxt = content_start(tokens, b + 1, sentence_bounds(tokens, b + 1)[1])
    return plain(words[nxt]) == "false" and (nxt + 1 >= n or tokens.edge[nxt + 1] >= COMMA)


def may_quiz(own: Tokens) -> bool:
    """Whether a sentence (its own tokens) holds "true or false": such a listing is read
    whole (see ``disowned.may_deny``), the answer judging the sentence before it."""
    words = own.words
    return any(
        words[k] == "true" and words[k + 1] == "or" and words[k + 2] == "false"
        for k in range(len(words) - 2)
    )
