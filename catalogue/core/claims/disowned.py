"""Claims a listing lists as others' words or as what not to expect, then denies as a block.

- A list, then a denial that covers it: "You've seen them: 'miracle panel', 'cures
  arthritis', 'FDA approved'. None of that is true of any panel, ours included.",
  "Cure-all? Instant fix? None of the above.", "'Instant relief', 'a cure': don't expect
  any of that.", "Some sellers claim their pads regenerate nerves or are 'FDA approved'.
  Neither claim is true." The list is a run of short fragments (or of short items between
  commas), or one clause that reports others' words ("sellers claim", "ads promise") or
  the writer's own expectation ("I genuinely expected instant relief. That didn't
  happen."); the denial is the clause right after the run.
- Fragments that answer "what shouldn't people expect?" (or follow "What not to expect:").

Which clause denies the list is read in ``denials``.
``scope.holds`` asks ``covered`` last, when the listing holds a negator.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from catalogue.core.claims.amended import may_take_down
from catalogue.core.claims.columns import other_cells
from catalogue.core.claims.denials import (
    BELIEVERS,
    HEADS,
    believer_negated,
    colon,
    denial,
    disbelief,
    elliptic,
    label,
)
from catalogue.core.claims.framing import OTHERS, REPORTING
from catalogue.core.claims.hearsay import may_rebut
from catalogue.core.claims.negators import CONTRASTS, PRONOUNS, YES, plain
from catalogue.core.claims.pieces import any_piece
from catalogue.core.claims.quizzes import may_quiz
from catalogue.core.claims.quoted import may_refute
from catalogue.core.claims.rulings import may_rule
from catalogue.core.claims.struck import marked
from catalogue.core.claims.titles import may_title
from catalogue.core.claims.tokens import CLAUSE, COMMA, NONE, QUESTION, SENTENCE, Tokens

_ITEM_WORDS = 8  # most words in a fragment of a list
_PART_WORDS = 5  # most words in one comma-parted item of a list clause
_RUN = 6  # most list units between a claim and the denial that covers it
# a fragment that opens with one of these is a clause of its own, an answer or a turn
_NOT_ITEMS = (
    PRONOUNS
    | CONTRASTS
    | YES
    | frozenset("we i ours he she they no not none neither nothing never nope".split())
)
# a question that asks what not to expect ("what shouldn't people expect?"), or a heading
# ("What not to expect:"); "need" is no such verb: what you won't need is the claim itself
# ("What you won't expect: relief in minutes" boasts of a surprise, so expecting needs a
# modal or "not to": "what shouldn't you expect", "what not to expect")
_EXPECTING = frozenset({"expect", "believe", "count", "hope", "anticipate"})  # count on, hope for
_SAYING = frozenset("promise promised claim say".split())
_MODALS = frozenset("should shouldn't shouldnt must mustn't mustnt can't cant cannot".split())
# an answer that names what you get by what you don't: "Anything less than a full cure"
# or by what you no longer do: "To keep taking painkillers" (see ``scope._still_needed``)
_EXCEPTING = frozenset("less short else than keep keeping need needing continue still".split())
_ASKINGHEADS = frozenset({"what", "which", "things"})
_OPENERS = frozenset("and so then okay ok now but well".split())
_ATTRIBUTING = REPORTING | frozenset(
    "list lists listed tout touts touted slap slaps boast boasts sell sells show shows"
    " feature features flog flogs flogging peddle peddles peddling hawk hawks hawking"
    " push pushes pushing".split()
)
# people the writer knows, whose words the writer may report and then deny ("A friend
# told me her lamp cured her back pain. I don't believe ..."); told alone, their word
# about a product is still a claim (a denial must follow, see ``covered``)
_PEOPLE = frozenset(
    "friend friends neighbour neighbours neighbor neighbors colleague colleagues coworker"
    " coworkers sister brother mum mom dad aunt uncle cousin partner wife husband mate"
    " mates flatmate roommate classmate teammate teammates client clients"
    " people".split()
)
_TELLING = REPORTING | frozenset(
    "told tells tell swears swore swear reckons reckoned insists insisted".split()
)
# the writer's own expectation, reported like others' words: "I genuinely expected"
_EXPECTERS = frozenset("i we id wed".split())
_EXPECTED = frozenset(
    "expected expecting hoped hoping anticipated anticipating imagined assumed pictured".split()
)
# products in general (a plural: "this panel is advertised as" is the seller's own word), and
# the passive verbs that put others' words on them ("panels advertised as", "masks sold as")
_GOODS = frozenset(
    "panels devices wraps lamps pads mats masks belts products gadgets lights sleeves caps"
    " wands units helmets beds".split()
)
_SOLD_AS = frozenset(
    "advertised marketed sold labelled labeled billed touted branded promoted pitched hyped"
    " described listed".split()
)
_BEING = frozenset("are being get getting were".split())
_OWNED = frozenset("our ours my mine this these".split())
# a short aside between others' words and the denial: "Yeah, us too.", "Same here."
_ASIDES = YES | frozenset("same me us agreed exactly ditto".split())
_ASIDE_WORDS = 4
# what a count noun denied by "one" is, after the claim ("a miracle ... but it isn't one")
_ONE_DENIALS = frozenset({"isnt", "wasnt", "aint"})
_ONE_COPULAS = frozenset({"is", "was", "its", "thats", "theres"})


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
    claim ...", "ads promise ...", "brands list their masks as ...", products in general
    sold under them ("You'll see panels advertised as ..."), someone the writer knows
    telling them ("A friend told me her lamp cured ..."), or the writer's own
    expectation ("I genuinely expected ...", "we were hoping for ..."), which a denial
    right after says was not met."""
    words = tokens.words
    for k in range(a, i):
        if words[k] in OTHERS:
            return any(words[m] in _ATTRIBUTING for m in range(k + 1, min(k + 4, i + 1)))
        if words[k] in _GOODS and _OWNED.isdisjoint(words[a:k]):
            m = k + 1 + (k + 1 < i and words[k + 1] in _BEING)  # "masks are marketed as"
            if m < i and words[m] in _SOLD_AS:
                return True
        if words[k] in _PEOPLE and any(words[m] in _TELLING for m in range(k + 1, min(k + 4, i))):
            return True  # "A friend told me her lamp cured ..."
    for k in range(a, i):
        if plain(words[k]) in _EXPECTERS and any(
            words[m] in _EXPECTED for m in range(k + 1, min(k + 4, i))
        ):
            return True
    return False


def _asks_not_to_expect(tokens: Tokens, a: int, b: int) -> bool:
    """Whether the unit a..b asks what not to expect: "And what shouldn't people expect",
    "What not to expect", "Things we don't promise"."""
    words, negator = tokens.words, tokens.negator
    while a < b and plain(words[a]) in _OPENERS:
        a += 1
    if words[a] not in _ASKINGHEADS:
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


class _Reading:
    """Where one listing's units start, and which of them deny what comes before (as a
    block, or, ``elliptic``, only others' reported words) or ask what not to expect."""

    __slots__ = ("asks", "denials", "elliptic", "ones", "starts", "tokens")

    def __init__(self, tokens: Tokens, read: bool = True) -> None:
        edge, words, n = tokens.edge, tokens.words, len(tokens.words)
        self.tokens = tokens
        self.denials: list[int] = []
        self.elliptic: list[int] = []
        self.asks: list[int] = []
        self.ones: list[int] = []  # words "one" that close "it isn't one"
        if not read or not n:  # nothing to deny or ask: the claim holds
            self.starts = [0]
            return
        self.starts = starts = [0, *(k for k in range(1, n) if edge[k] >= CLAUSE)]
        ends = [*(k - 1 for k in starts[1:]), n - 1]
        for u, (a, b) in enumerate(zip(starts, ends, strict=True)):
            if label(tokens, a, b) and u + 1 < len(starts):
                continue  # a speaker's label: the unit after it is read in its place
            first = plain(words[a])
            if (
                first in HEADS
                or tokens.negator[a]
                or (first in PRONOUNS and a < b and tokens.negator[a + 1])
                or (first in BELIEVERS and believer_negated(tokens, a, b) > 0)
            ):
                if denial(tokens, a, b):
                    self.denials.append(u)
                elif elliptic(tokens, a, b) or disbelief(tokens, a, b):
                    self.elliptic.append(u)
            if (
                tokens.edge_after(b) == QUESTION or (b + 1 < n and colon(tokens, b))
            ) and _asks_not_to_expect(tokens, a, b):
                self.asks.append(u)
        if "one" in words:
            self.ones = [m for m in range(1, n) if words[m] == "one" and _one_denied(tokens, m)]

    def bounds(self, u: int) -> tuple[int, int]:
        """First and last word of unit u."""
        starts = self.starts
        return starts[u], (starts[u + 1] - 1 if u + 1 < len(starts) else len(self.tokens.words) - 1)

    def items(self, u: int, v: int) -> bool:
        """Whether units u..v - 1 are all list items or speakers' labels."""
        tokens = self.tokens
        for m in range(u, v):
            a, b = self.bounds(m)
            if not (_item(tokens, a, b) or label(tokens, a, b)):
                return False
        return True


_kept: list[_Reading | None] = [None]  # the last listing's reading: asked once per claim
_may: dict[str, bool] = {}  # sentence -> whether it holds a denial or a question, while kept
_rules: dict[str, bool] = {}  # sentence -> whether it holds a ruling's verdict, while kept
_quizzes: dict[str, bool] = {}  # sentence -> whether it holds "true or false", while kept
_takedowns: dict[str, bool] = {}  # sentence -> whether it may take quoted copy down, kept


def _reading(tokens: Tokens) -> _Reading:
    """The listing's reading, worked out once per listing; a listing none of whose
    sentences holds a denial or a question of what not to expect has nothing to read."""
    found = _kept[0]
    if found is None or found.tokens is not tokens:
        found = _kept[0] = _Reading(tokens, _may_deny(tokens))
    return found


def may_deny(tokens: Tokens) -> bool:
    """Whether some claim of the listing may be covered by a denial (see ``covered``);
    ``kept`` keeps no sentence of such a listing: a denial reads the sentences before it,
    as a table's header reads the rows under it (``columns``), and a label the copy under
    it (``struck``)."""
    return (
        _may_deny(tokens)
        or bool(other_cells(tokens))
        or may_refute(tokens)
        or marked(tokens.text)
        or may_rebut(tokens)
        or may_title(tokens)
        or any_piece(_rules, tokens, may_rule)
        or any_piece(_quizzes, tokens, may_quiz)
        or any_piece(_takedowns, tokens, may_take_down)
    )


def _may_deny(tokens: Tokens) -> bool:
    """Whether some sentence of the listing, read alone, holds a denial or a question of
    what not to expect (see ``_Reading``): each sentence is read once while kept. Units
    never cross a sentence's edge, so a listing with none has none."""
    return any_piece(_may, tokens, _denies)


def _denies(own: Tokens) -> bool:
    r = _Reading(own)
    return bool(r.denials or r.elliptic or r.asks or r.ones)


def covered(tokens: Tokens, i: int, j: int) -> bool:
    """Whether the claim on words i..j is an item of a list that a denial right after
    covers, or a fragment answering what not to expect (see the module's text). A claim
    that runs over several units ("Cure-all? Instant") is covered when each is an item.
    The listing's denials and questions are found once (``_Reading``); most listings have
    none, and then no claim needs more."""
    r = _reading(tokens)
    if not (r.denials or r.elliptic or r.asks or r.ones):
        return False
    if r.ones and _one_after(tokens, r.ones, i, j):
        return True
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
    """Whether unit d follows unit v at once, or after a speaker's label or a short aside
    only ("Sick of brands flogging 'miracle' panels? Yeah, us too. Ours does neither."),
    a caption's timestamps aside ("someone said it cures everything [00:10] that's not
    true": "00" and "10" are units of their own)."""
    tokens, aside = r.tokens, False
    for m in range(v + 1, d):
        a, b = r.bounds(m)
        if a == b and tokens.words[a].isdigit():
            continue
        if aside or not _aside(tokens, a, b):
            return False
        aside = True
    return True


def _aside(tokens: Tokens, a: int, b: int) -> bool:
    """Whether the unit a..b is a speaker's label or a short agreeing aside ("Yeah, us
    too.", "Same here."), which denies nothing."""
    return label(tokens, a, b) or (
        b - a < _ASIDE_WORDS
        and plain(tokens.words[a]) in _ASIDES
        and not any(tokens.negator[a : b + 1])
    )


def _one_denied(tokens: Tokens, m: int) -> bool:
    """Whether word m, "one", closes a denial of a count noun named before: "it isn't
    one", "it's not one", "there isn't one"."""
    words, edge = tokens.words, tokens.edge
    if edge[m] != NONE or (m + 1 < len(words) and edge[m + 1] < COMMA):
        return False
    w = plain(words[m - 1])
    if w in _ONE_DENIALS:
        return True
    # the words before stay in the sentence, so a sentence read alone reads the same
    return w == "not" and m > 1 and edge[m - 1] == NONE and plain(words[m - 2]) in _ONE_COPULAS


def _one_after(tokens: Tokens, ones: list[int], i: int, j: int) -> bool:
    """Whether the claim on words i..j names a count noun with "a" ("works like a
    miracle") that an "it isn't one" later in its sentence, or in the next, denies."""
    words, edge = tokens.words, tokens.edge
    if edge[i] != NONE or not any(k >= 0 and words[k] in ("a", "an") for k in (i - 1, i - 2)):
        return False  # "a miracle", "a real miracle"
    if words[i - 1] not in ("a", "an") and edge[i - 1] != NONE:
        return False
    for p in ones[bisect_right(ones, j) :][:1]:
        return sum(1 for k in range(j + 1, p + 1) if edge[k] >= SENTENCE) <= 1
    return False
