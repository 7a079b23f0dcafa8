"""Claims a listing lists as others' words or as what not to expect, then denies as a block.

- A list, then a denial that covers it: "You've seen them: 'miracle panel', 'cures
  arthritis', 'FDA approved'. None of that is true of any panel, ours included.",
  "Cure-all? Instant fix? None of the above.", "'Instant relief', 'a cure': don't expect
  any of that.", "Some sellers claim their pads regenerate nerves or are 'FDA approved'.
  Neither claim is true." The list is a run of short fragments (or of short items between
  commas), or one clause that reports others' words ("sellers claim", "ads promise"); the
  denial is the clause right after the run.
- Fragments that answer "what shouldn't people expect?" (or follow "What not to expect:").

A denial says the list is not true, or is false ("None of that is true", "Neither claim
holds", "All of it is false", "Not true of any panel"), answers it with one collective no
("None of the above", "Neither"), or tells the reader not to expect or believe it. It
covers the listing's own product only when it does not name some other product alone:
"None of that is true of the cheap knock-offs" says it is true of this one. What is only
called no exaggeration ("None of that is hype") is vouched for, not denied, and a list the
next clause affirms ("All of that is true", "Everything above, guaranteed") stays a claim.
``scope.holds`` asks ``covered`` last, when the listing holds a negator.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import itemgetter

from catalogue.core.claims.framing import LABELS, OTHERS, REPORTING
from catalogue.core.claims.negators import CONTRASTS, PRONOUNS, YES, plain
from catalogue.core.claims.tokens import (
    CLAUSE,
    COMMA,
    NONE,
    PIECES_KEPT,
    QUESTION,
    SENTENCE,
    Tokens,
    piece_tokens,
)

_ITEM_WORDS = 8  # most words in a fragment of a list
_PART_WORDS = 5  # most words in one comma-parted item of a list clause
_RUN = 6  # most list units between a claim and the denial that covers it
_DENIAL_WORDS = 16  # most words in a denial's clause read
# a fragment that opens with one of these is a clause of its own, an answer or a turn
_NOT_ITEMS = (
    PRONOUNS
    | CONTRASTS
    | YES
    | frozenset("we i ours he she they no not none neither nothing never nope".split())
)
_REFERENCES = frozenset("that this it those these them they which above both all two three".split())
_REFERENCE_NOUNS = frozenset(
    "claim claims promise promises one ones thing things statement statements word words"
    " item items line lines".split()
)
_DETERMINERS = frozenset("the a an these those such of".split())
_COPULAS = frozenset("is are was were be".split())
# verbs that say a claim is true by themselves: "none of which holds up"
_STANDING = frozenset("holds hold stands stand applies apply checks check".split())
_HEDGES = frozenset("remotely actually even really quite strictly at all up out".split())
_TRUTHS = frozenset(
    "true accurate correct real possible honest legit legal allowed permitted proven right"
    " factual realistic achievable so".split()
)
_FALSITIES = frozenset(
    "false untrue wrong myth myths nonsense lie lies fiction fake fantasy rubbish bogus"
    " made".split()
)
_COLLECTIVES = frozenset("all both each every everything".split())
# what a denial's scope must name to cover the listing's own product ("of any panel, ours
# included", "for consumer devices", "of this mask"); otherwise it speaks of the others
_OWN_SCOPE = frozenset("any every all ours our this these consumer home no single us we".split())
_INCLUDED = frozenset({"included", "including"})
_SCOPE_LINKS = frozenset("of for with about from in on".split())
_BELIEVING = frozenset("expect believe buy trust".split())
_ANY_OF = frozenset("any all of a word single one".split())
_ELLIPSIS_ENDS = frozenset("is are does do can will has have".split())
# a question that asks what not to expect ("what shouldn't people expect?"), or a heading
# ("What not to expect:"); "need" is no such verb: what you won't need is the claim itself
# ("What you won't expect: relief in minutes" boasts of a surprise, so expecting needs a
# modal or "not to": "what shouldn't you expect", "what not to expect")
_EXPECTING = frozenset({"expect", "believe", "count", "hope", "anticipate"})  # count on, hope for
_SAYING = frozenset("promise promised claim say".split())
_MODALS = frozenset("should shouldn't must mustn't can't cannot".split())
# an answer that names what you get by what you don't: "Anything less than a full cure"
# or by what you no longer do: "To keep taking painkillers" (see ``scope._still_needed``)
_EXCEPTING = frozenset("less short else than keep keeping need needing continue still".split())
_ASKING_HEADS = frozenset({"what", "which", "things"})
_OPENERS = frozenset("and so then okay ok now but well".split())
_ATTRIBUTING = REPORTING | frozenset(
    "list lists listed tout touts touted slap slaps boast boasts sell sells show shows"
    " feature features".split()
)


def _label(tokens: Tokens, a: int, b: int) -> bool:
    """Whether the unit a..b is a speaker's label heading a line ("GUEST:", "A:")."""
    return a == b and (
        tokens.words[a] in LABELS
        or (
            (a == 0 or tokens.edge[a] >= SENTENCE)
            and b + 1 < len(tokens.words)
            and _colon(tokens, b)
        )
    )


def _item(tokens: Tokens, a: int, b: int) -> bool:
    """Whether the unit a..b is a fragment of a list: short and not opening a clause of
    its own ("Instant relief", "A cure", "Cure-all?"), or short items between commas
    ("'miracle panel', 'cures arthritis', 'FDA approved'")."""
    words = tokens.words
    first = plain(words[a])
    if first in _NOT_ITEMS or "still" in words[a : b + 1]:
        return False
    if b - a < _ITEM_WORDS:
        return True
    edge = tokens.edge
    parts, start = 0, a
    for k in range(a + 1, b + 2):
        if k > b or edge[k] == COMMA or (words[k] in ("and", "or") and edge[k] == NONE):
            if k - start > _PART_WORDS:
                return False
            parts += 1
            start = k + 1 if k <= b and edge[k] == NONE else k
    return parts >= 2


def _reported(tokens: Tokens, a: int, i: int) -> bool:
    """Whether others' words are reported before word i in its clause: "Some sellers
    claim ...", "ads promise ...", "brands list their masks as ..."."""
    words = tokens.words
    for k in range(a, i):
        if words[k] in OTHERS:
            return any(words[m] in _ATTRIBUTING for m in range(k + 1, min(k + 4, i + 1)))
    return False


def _own_scope(tokens: Tokens, k: int, b: int) -> bool:
    """Whether the words from k (a preposition) to the next comma name the listing's own
    product or every product ("of any light panel", "for consumer devices")."""
    edge, words = tokens.edge, tokens.words
    m = k + 1
    while m <= b and edge[m] == NONE:
        if plain(words[m]) in _OWN_SCOPE:
            return True
        m += 1
    # "of a foot mat, ours included", "for home lamps, including ours"
    if m > b or edge[m] != COMMA:
        return False
    part = {plain(w) for w in words[m : min(b, m + 2) + 1]}
    return not part.isdisjoint(_INCLUDED) and not part.isdisjoint(_OWN_SCOPE)


def _tail(tokens: Tokens, k: int, b: int) -> bool:
    """Whether what follows a denial's predicate (from word k of the unit ending at b)
    leaves it covering the listing's product: nothing, a comma, or a scope that names it."""
    if k > b or tokens.edge[k] >= COMMA:
        return True
    w = plain(tokens.words[k])
    if w in _SCOPE_LINKS:
        return _own_scope(tokens, k, b)
    return w in _HEDGES or w in ("here", "anymore", "either", "whatsoever")


def _predicate(tokens: Tokens, k: int, b: int, truths: frozenset[str]) -> bool:
    """Whether words k.. of the unit ending at b are a copula and a word of ``truths``
    ("is true", "holds up", "is remotely accurate", "are all false"), then a tail that
    covers the product (see ``_tail``)."""
    words = tokens.words
    if k <= b and words[k] in _STANDING:  # "holds up", "checks out", "applies"
        k += 1
        while k <= b and words[k] in _HEDGES:
            k += 1
        return truths is _TRUTHS and _tail(tokens, k, b)
    if k <= b and plain(words[k]) in _COPULAS:
        k += 1
    while k <= b and words[k] in _HEDGES:
        k += 1
    if k <= b and words[k] in ("a", "an", "the"):
        k += 1
    if k > b or words[k] not in truths:
        return False
    k += 1
    if words[k - 1] == "made":  # "made up"
        if k > b or words[k] != "up":
            return False
        k += 1
    return _tail(tokens, k, b)


def _reference(tokens: Tokens, k: int, b: int) -> int:
    """Past an "of the above", "of these claims", "claim", "of it" after a quantifier at
    word k - 1: the index of the first word after it."""
    words, edge = tokens.words, tokens.edge
    start = k
    if k <= b and words[k] == "of" and edge[k] == NONE:
        k += 1
        while k <= b and edge[k] == NONE and words[k] in _DETERMINERS and k - start < 3:
            k += 1
        if k > b or edge[k] != NONE:
            return start
        if plain(words[k].split("'")[0]) not in _REFERENCES and words[k] not in _REFERENCE_NOUNS:
            return start
        k += 1
    # "claim" ("Neither claim is true"), "above" ("Everything above is false")
    if k <= b and edge[k] == NONE and (words[k] in _REFERENCE_NOUNS or words[k] == "above"):
        k += 1
    return k


def denial(tokens: Tokens, a: int, b: int, reported: bool = False) -> bool:
    """Whether the clause on words a..b denies the list before it as a block (see the
    module's text); ``reported``: the list reports others' words, so an elliptic "No
    consumer mask is." denies it too."""
    words, negator = tokens.words, tokens.negator
    if b - a >= _DENIAL_WORDS or tokens.edge_after(b) == QUESTION:
        return False
    if _label(tokens, a, a) and a < b and tokens.edge[a + 1] >= COMMA:
        a += 1  # "A: None of the above."
    first = plain(words[a])
    k = a + 1
    if first in ("none", "neither") or (
        first == "not" and k <= b and words[k] in ("one", "a") and tokens.edge[k] == NONE
    ):
        if first == "not":  # "not one", "not a single one"
            k += 1
            while k <= b and words[k] in ("single", "one"):
                k += 1
        after = _reference(tokens, k, b)
        named = after > k
        if after > b or tokens.edge[after] >= COMMA:  # "None of the above.", "Neither."
            return named or first == "neither"
        if _predicate(tokens, after, b, _TRUTHS):  # "None of that is true", "of it's true"
            return True
        return reported and _elliptic(tokens, a, b)
    if first in _COLLECTIVES:  # "All of that is false", "Both claims are untrue"
        k = _reference(tokens, k, b)
        if k <= b and words[k].endswith("'s"):
            k += 1
        return not any(negator[a : b + 1]) and _predicate(tokens, k, b, _FALSITIES)
    if first == "not" and _predicate(tokens, k, b, _TRUTHS):  # "Not true of any panel."
        return True
    if words[a].split("'")[0] in _REFERENCES:  # "That isn't true.", "Those aren't real."
        k = a + 1  # "that isn't true", "that's not true", "that is not true"
        if k <= b and negator[k]:
            return _predicate(tokens, k + 1, b, _TRUTHS)
        if k <= b and plain(words[k]) in _COPULAS and k + 1 <= b and words[k + 1] == "not":
            return _predicate(tokens, k + 2, b, _TRUTHS)
    if _believing(tokens, a, b):
        return True
    return reported and _elliptic(tokens, a, b)


def _elliptic(tokens: Tokens, a: int, b: int) -> bool:
    """ "No consumer light mask is.", "None are.": a short clause opening with a negative
    quantifier and closing on the claim's verb, left out."""
    return (
        plain(tokens.words[a]) in ("no", "none", "neither")
        and b - a <= 5
        and tokens.words[b] in _ELLIPSIS_ENDS
    )


def _believing(tokens: Tokens, a: int, b: int) -> bool:
    """ "Don't expect any of that.", "You shouldn't believe a word of it.", "Expect none of
    those here": not to expect or believe what points back."""
    words, negator = tokens.words, tokens.negator
    k = a
    if plain(words[k]) in PRONOUNS and k < b:  # "you shouldn't expect ..."
        k += 1
    if not negator[k]:
        if words[k] not in _BELIEVING or k >= b or words[k + 1] not in ("none", "neither"):
            return False
        k += 1  # "expect none of that"
    else:
        k += 1
        while k <= b and words[k] in ("to", "ever", "really"):
            k += 1
        if k > b or words[k] not in _BELIEVING:
            return False
    # "don't believe it, feel it" vouches: believing needs "any of", "a word of"
    counted = words[k] in ("expect", "none", "neither")
    m = k + 1
    while m <= b and m - k <= 4:
        w = plain(words[m].split("'")[0])
        if w in _REFERENCES and w not in ("all", "both"):
            return counted and _tail(tokens, m + 1, b)
        counted = counted or w in ("any", "word", "none", "neither")
        if w not in _ANY_OF and w not in _DETERMINERS and w not in ("none", "neither"):
            return False
        m += 1
    return False


def _asks_not_to_expect(tokens: Tokens, a: int, b: int) -> bool:
    """Whether the unit a..b asks what not to expect: "And what shouldn't people expect",
    "What not to expect", "Things we don't promise"."""
    words, negator = tokens.words, tokens.negator
    while a < b and plain(words[a]) in _OPENERS:
        a += 1
    if words[a] not in _ASKING_HEADS:
        return False
    for k in range(a + 1, min(b, a + 5) + 1):
        if negator[k]:
            for m in range(k + 1, min(b, k + 4) + 1):
                if words[m] in _SAYING:  # "What we won't promise"
                    return True
                if words[m] in _EXPECTING:  # "what shouldn't you expect", "what not to expect"
                    return words[k + 1] == "to" or not _MODALS.isdisjoint(words[a : k + 1])
            return False
    return False


def _colon(tokens: Tokens, b: int) -> bool:
    """Whether a colon stands right after word b (and before the next)."""
    return tokens.edge[b + 1] == CLAUSE and ":" in tokens.text[tokens.end(b) : tokens.starts[b + 1]]


class _Reading:
    """Where one listing's units start, and which of them deny what comes before (as a
    block, or, ``elliptic``, only others' reported words) or ask what not to expect."""

    __slots__ = ("asks", "denials", "elliptic", "starts", "tokens")

    def __init__(self, tokens: Tokens, read: bool = True) -> None:
        edge, words, n = tokens.edge, tokens.words, len(tokens.words)
        self.tokens = tokens
        self.denials: list[int] = []
        self.elliptic: list[int] = []
        self.asks: list[int] = []
        if not read or not n:  # nothing to deny or ask: the claim holds
            self.starts = [0]
            return
        self.starts = starts = [0, *(k for k in range(1, n) if edge[k] >= CLAUSE)]
        ends = [*(k - 1 for k in starts[1:]), n - 1]
        for u, (a, b) in enumerate(zip(starts, ends, strict=True)):
            if _label(tokens, a, b) and u + 1 < len(starts):
                continue  # a speaker's label: the unit after it is read in its place
            first = plain(words[a])
            if (
                first in _HEADS
                or tokens.negator[a]
                or (first in PRONOUNS and a < b and tokens.negator[a + 1])
            ):
                if denial(tokens, a, b):
                    self.denials.append(u)
                elif _elliptic(tokens, a, b):
                    self.elliptic.append(u)
            if (
                tokens.edge_after(b) == QUESTION or (b + 1 < n and _colon(tokens, b))
            ) and _asks_not_to_expect(tokens, a, b):
                self.asks.append(u)

    def bounds(self, u: int) -> tuple[int, int]:
        """First and last word of unit u."""
        starts = self.starts
        return starts[u], (starts[u + 1] - 1 if u + 1 < len(starts) else len(self.tokens.words) - 1)

    def items(self, u: int, v: int) -> bool:
        """Whether units u..v - 1 are all list items or speakers' labels."""
        tokens = self.tokens
        for m in range(u, v):
            a, b = self.bounds(m)
            if not (_item(tokens, a, b) or _label(tokens, a, b)):
                return False
        return True


# what a denying unit opens with (see ``denial``); a pronoun too, when a negator follows
_HEADS = (
    frozenset("none neither not no all both each every everything".split())
    | _REFERENCES
    | _BELIEVING
    | frozenset({"thats", "its"})  # "that's not true", "it's not true", plain
)
_kept: list[_Reading | None] = [None]  # the last listing's reading: asked once per claim
_KEY = itemgetter(0)
_may: dict[str, bool] = {}  # sentence -> whether it holds a denial or a question, while kept


def _reading(tokens: Tokens) -> _Reading:
    """The listing's reading, worked out once per listing; a listing none of whose
    sentences holds a denial or a question of what not to expect has nothing to read."""
    found = _kept[0]
    if found is None or found.tokens is not tokens:
        found = _kept[0] = _Reading(tokens, _may_deny(tokens))
    return found


def may_deny(tokens: Tokens) -> bool:
    """Whether some claim of the listing may be covered by a denial (see ``covered``);
    ``kept`` keeps no sentence of such a listing: a denial reads the sentences before it."""
    return _may_deny(tokens)


def _may_deny(tokens: Tokens) -> bool:
    """Whether some sentence of the listing, read alone, holds a denial or a question of
    what not to expect (see ``_Reading``): each sentence is read once while kept. Units
    never cross a sentence's edge, so a listing with none has none."""
    pieces = tokens.pieces
    if not pieces:
        return True  # a listing read whole
    keys = list(map(_KEY, pieces))
    flags = list(map(_may.get, keys))
    if None not in flags:  # every sentence met before: the common case, looked up at once
        return True in flags
    for key, found in zip(keys, flags, strict=True):
        if found is None:
            own = piece_tokens(key)
            if own is None:
                return True
            r = _Reading(own)
            found = bool(r.denials or r.elliptic or r.asks)
            if len(_may) >= PIECES_KEPT:
                _may.clear()
            _may[key] = found
        if found:
            return True
    return False


def covered(tokens: Tokens, i: int, j: int) -> bool:
    """Whether the claim on words i..j is an item of a list that a denial right after
    covers, or a fragment answering what not to expect (see the module's text). A claim
    that runs over several units ("Cure-all? Instant") is covered when each is an item.
    The listing's denials and questions are found once (``_Reading``); most listings have
    none, and then no claim needs more."""
    r = _reading(tokens)
    if not (r.denials or r.elliptic or r.asks):
        return False
    starts = r.starts
    u = bisect_right(starts, i) - 1
    v = bisect_right(starts, j) - 1
    a, b = r.bounds(u)
    item = r.items(u, v + 1) if v > u else _item(tokens, a, b)
    reported = v == u and _reported(tokens, a, i)
    if not (item or reported):
        return False
    # the first denial after the claim's units, with only items (or labels) between
    found = r.denials[bisect_right(r.denials, v) :][:1]
    if reported and r.elliptic:
        found += r.elliptic[bisect_right(r.elliptic, v) :][:1]
    for d in found:
        if d - v <= _RUN and (r.items(v + 1, d) if item else _next(r, v, d)):
            return True
    if not item or not r.asks or not _EXCEPTING.isdisjoint(tokens.words[a : b + 1]):
        return False
    # the last question before, with only fragments (or labels) between
    q = bisect_left(r.asks, u) - 1
    if q < 0 or u - r.asks[q] > _RUN:
        return False
    q = r.asks[q]
    edge = tokens.edge
    return r.items(q + 1, u) and not any(edge[starts[m]] == QUESTION for m in range(q + 2, u + 1))


def _next(r: _Reading, v: int, d: int) -> bool:
    """Whether unit d follows unit v at once, or after a speaker's label only."""
    return d == v + 1 or (d == v + 2 and _label(r.tokens, *r.bounds(v + 1)))
