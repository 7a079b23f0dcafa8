"""Claims retold as refused: words a team banned, pushed back on, or is deleting.

Pasted chat and notes between writers tell of copy rather than make it. The claim is none
when its own sentence says so:

- the words are said to be banned right after them: "heals/cures are banned", "'instant
  relief' is not allowed", "cure claims are off-limits";
- they are quoted and, later in the sentence, the writer refuses or takes them out:
  "Marketing wanted 'scorching heat' -- I pushed back", "I put 'cures arthritis' in by
  accident, deleting it now", "'FDA approved' got vetoed", "legal said no";
- they are quoted and the next sentence makes no such promise: "'a miracle for thin
  hair', says a neighbour. We make no such claim." (read from ``quoted``, with the
  listing read whole);
- they are quoted and the listing later corrects their last word, a participle: "the
  'FDA approved' sticker ... it is cleared, not approved" (likewise).
"""

from __future__ import annotations

from catalogue.core.claims.sentences import sentence_bounds
from catalogue.core.claims.tokens import CLAUSE, COMMA, SENTENCE, Tokens

# what bans the words right after them: "are banned", "is forbidden", "are off-limits"
_BANNED = frozenset(
    "banned forbidden prohibited disallowed vetoed outlawed nixed verboten barred".split()
)
_BEING = frozenset("is are was were get got be been being now".split())
# what refuses quoted words later in their sentence: "I pushed back", "deleting it now",
# "got vetoed", "was rejected"
_REFUSING = frozenset("vetoed nixed overruled scrapped axed binned".split())
_REFUSED = frozenset(
    "rejected refused declined cut dropped pulled killed removed deleted withdrawn retired".split()
)  # passive: "was removed", "got pulled"
_REFUSING_PAIRS = frozenset(
    {
        ("pushed", "back"),
        ("push", "back"),
        ("pushing", "back"),
        ("said", "no"),
        ("say", "no"),
        ("saying", "no"),
        ("turned", "down"),
        ("shot", "down"),
    }
)
_AFTER_REFUSING = frozenset("on to hard again".split())
# a slip told of: "put ... in by accident" (not "found it by accident")
_SLIPS = frozenset({("by", "accident"), ("by", "mistake"), ("in", "error")})
_WRITING = frozenset("put wrote write typed added left included pasted copied used".split())
_DELETING = frozenset(
    "delete deleting deleted strike striking struck scrap scrapping erase erasing erased".split()
)
_REMOVING = frozenset("remove removing removed".split())  # "... it from the copy"
_COPY = frozenset(
    "copy draft drafts listing listings page text description site website ad label"
    " packaging insert email post caption brief deck".split()
)
_POINTING = frozenset("it that this them those these".split())
# what the next sentence disowns: "makes no such promise", "we make no such claim"
_DISOWNED = frozenset("promise promises claim claims guarantee guarantees thing statement".split())
RETELLING = (
    _BANNED
    | _REFUSING
    | _REFUSED
    | _DELETING
    | _REMOVING
    | frozenset("pushed push pushing said say saying turned shot accident mistake error".split())
    | frozenset("allowed permitted limits".split())
)


def banned(tokens: Tokens, j: int) -> bool:
    """Whether the words right after the claim ending at word j say it is banned."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    k = j + 1
    # "heals/cures are banned", "'instant relief' is not allowed", "are off-limits"
    while k < n and edge[k] == 0 and words[k] in _BEING and k - j <= 3:
        k += 1
    if k >= n or edge[k] != 0 or k == j + 1:
        return False
    w = words[k]
    if w in _BANNED:
        return True
    if w == "off" and k + 1 < n and words[k + 1] in ("limits", "limit"):
        return True
    return w == "not" and k + 1 < n and words[k + 1] in ("allowed", "permitted")


def refused(tokens: Tokens, j: int, q: int) -> bool:
    """Whether, after the quotation ending at word q (the claim ends at j), its sentence
    tells of the writer refusing or removing it (see the module's text)."""
    words, edge = tokens.words, tokens.edge
    a, b = sentence_bounds(tokens, j)
    for k in range(q + 1, b + 1):
        w = words[k]
        if w in _REFUSING or (w in _REFUSED and words[k - 1] in _BEING):
            return True
        if k == b or edge[k + 1] >= CLAUSE:
            continue
        nxt = words[k + 1]
        if (w, nxt) in _REFUSING_PAIRS and (
            k + 1 == b or edge[k + 2] >= COMMA or words[k + 2] in _AFTER_REFUSING
        ):
            return True  # "I pushed back, ...", "legal said no." (not "said no surgery")
        if w in _DELETING and nxt in _POINTING:
            return True
        if (w, nxt) in _SLIPS and not _WRITING.isdisjoint(words[a:k]):
            return True
        if (
            w in _REMOVING
            and nxt in _POINTING
            and k + 2 < b
            and words[k + 2] == "from"
            and not _COPY.isdisjoint(words[k + 3 : min(b, k + 6) + 1])
        ):
            return True
    return False


# who takes quoted words back in the next sentence: "We pulled it.", "Legal said no."
_TAKING_BACK = frozenset(
    "pulled dropped removed scrapped deleted binned killed axed vetoed nixed retired"
    " withdrew cut".split()
)
_TAKERS = frozenset("we i they legal compliance".split())
_NEXT_REACH = 6  # words: a sentence this short may take back the quotation before it
NEXT_CUES = _TAKING_BACK | frozenset({"said", "say"})


def refused_next(tokens: Tokens, nxt: int) -> bool:
    """Whether the short sentence opening at word nxt takes back the quotation before it:
    "We pulled it.", "2012 -- we dropped that.", "Legal said no." (a sentence of at most
    six words, a refusing pair closing it or a taker, a verb of taking back and what it
    points to)."""
    words = tokens.words
    end = sentence_bounds(tokens, nxt)[1]
    if end - nxt >= _NEXT_REACH:
        return False
    for k in range(nxt, end):
        w, after = words[k], words[k + 1]
        if (w, after) in _REFUSING_PAIRS and k + 1 == end:
            return True
        if w in _TAKERS and after in _TAKING_BACK and k + 2 <= end and words[k + 2] in _POINTING:
            return True
    return False


def disowned_next(tokens: Tokens, nxt: int) -> bool:
    """Whether the sentence opening at word nxt makes "no such" promise or claim."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    k = nxt
    while k + 2 < n and (k == nxt or edge[k] < SENTENCE):
        if words[k] == "no" and words[k + 1] == "such" and words[k + 2] in _DISOWNED:
            return True
        k += 1
    return False


def corrected(tokens: Tokens, q: int) -> bool:
    """Whether the quotation's last word (q) is corrected later in the listing: a contrast
    ", not approved" after a comma in a later sentence."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    last = words[q]
    if len(last) < 4 or not last.endswith(_PARTICIPLES):
        return False
    b = sentence_bounds(tokens, q)[1]
    return any(
        words[k] == "not" and words[k + 1] == last and edge[k] == COMMA and edge[k + 1] == 0
        for k in range(b + 1, n - 1)
    )


def may_correct(tokens: Tokens) -> bool:
    """Whether a sentence (its own tokens) holds words that ``disowned_next`` or
    ``corrected`` read: "no such", or "not" right after a comma before a participle
    ("not approved", "not proven"; "warm, not hot" is common and corrects no quotation)."""
    words, edge = tokens.words, tokens.edge
    if "no" in words and "such" in words:
        return True
    return any(
        w == "not" and edge[k] == COMMA and words[k + 1].endswith(_PARTICIPLES)
        for k, w in enumerate(words[:-1])
    )


_PARTICIPLES = ("ed", "en")
