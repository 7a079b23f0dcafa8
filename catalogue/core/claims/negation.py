"""Which words a negator governs: the rest of its clause, read sentence by sentence.

A negator governs the rest of its clause, a list joined by commas and "or" included ("does
not replace care, instantly end pain, or cure anything"). The scope ends at a clause or
sentence edge, a contrast word ("but", ", yet"), or a comma that opens a new clause (", it
..."). A negator heading its clause as a preposition ("Without pills, ...", "And unlike
theirs, ...") or inside a subordinate clause ("While it does not X, ...") stops at the next
comma, and every negator stops at "unless": the exception is not negated ("I don't use
anything unless it's clinically proven" leaves the condition to ``framing.conditional``).
Pseudo-negations ("not only", "no doubt", "nothing short of") govern nothing, and a negator
that is part of a matched claim ("no more pills") is the claim itself. ``scope.holds`` asks
for these first.
"""

from __future__ import annotations

from unicodedata import category

from catalogue.core.claims.negators import (
    CONTRASTS,
    NEG_MARKS,
    PREPOSITIONAL,
    PRONOUNS,
    SUBORDINATORS,
    plain,
)
from catalogue.core.claims.pieces import piece_tokens, remember
from catalogue.core.claims.tokens import CLAUSE, COMMA, NONE, SENTENCE, Tokens

_PARALLEL = frozenset({"no", "zero", "without"})  # negators heading a noun phrase
_NEW_CLAUSE = frozenset({"yet", "while", "whereas", "so"})
# a participle that opens a reduced relative clause ends the negator's reach: "not liable
# for loss arising from use of the 630 nm sleeve" denies the liability, not the sleeve
_REDUCED = frozenset({"arising", "resulting", "stemming", "deriving"})
# a negator that answers a question on its own and is followed by a comma governs nothing
# after it: "No, the red light reaches the muscle too" says the muscle claim outright
_ANSWER_NO = frozenset({"no", "nope", "nah"})
# words that may open a clause before a negator heading it as a preposition ("Oh, and
# unlike theirs, ours ..."): it still stops at the next comma
_OPENERS = frozenset({"and", "but", "so", "oh", "plus", "also", "well", "now", "then"})
# "What it won't do: cure X" governs what follows its colon; "it's not subtle: high mode
# throws out a searing heat" does not: a single word between a negator and its colon that
# is not one of these verbs negates only itself, and the colon says the rest in full.
# "Who it's not for: anyone hoping to skip the physio" names whom it is not for after its
# colon, as a list verb does.
_LIST_VERBS = frozenset(
    "do does did include includes cover covers claim claims promise promises offer offers"
    " say says replace replaces need needs for".split()
)
# A negator that is itself the label before its colon ("Myth: it glows red") calls all that
# follows a claim it dismisses, pronoun subject and all, as a list verb does.
_LABEL_NEGATORS = frozenset({"myth", "myths"})
# an owner's word opening what follows a colon starts a subject of its own (``_own_clause``)
_OWNERS = frozenset({"our", "my", "your"})


_negations: dict[str, list[bool]] = {}  # sentence -> its negated words, while kept


def negated_words(tokens: Tokens, dead: set[int]) -> list[bool]:
    """For each word, whether a live negator governs it. A negator's reach ends at its
    sentence, so a listing is read sentence by sentence, each sentence once while kept;
    negators inside a claim ("no more pills") are dead and make the listing read whole."""
    pieces = tokens.pieces
    if dead or len(pieces) <= 1:
        return _negated(tokens, dead)
    out: list[bool] = []
    for n, (key, k, _) in enumerate(pieces):
        found = _negations.get(key)
        if found is None:
            end = pieces[n + 1][1] if n + 1 < len(pieces) else len(tokens.words)
            found = _negated(piece_tokens(key) or _sliced(tokens, k, end), set())
            remember(_negations, key, found)
        out += found
    return out


def _sliced(tokens: Tokens, k0: int, k1: int) -> Tokens:
    edge = tokens.edge[k0:k1]
    edge[0] = SENTENCE
    blocks = [b - k0 for b in tokens.blocks if k0 <= b < k1]
    return Tokens(
        tokens.words[k0:k1],
        tokens.starts[k0:k1],
        None if tokens.known_ends is None else tokens.known_ends[k0:k1],
        edge,
        tokens.edge[k1] if k1 < len(tokens.edge) else tokens.last_edge,
        tokens.negator[k0:k1],
        blocks,
        tokens.text,
    )


def _negated(tokens: Tokens, dead: set[int]) -> list[bool]:
    words, edge, negator = tokens.words, tokens.edge, tokens.negator
    n = len(words)
    out = [False] * n
    for k in range(n):
        if not negator[k] or k in dead:
            continue
        head = k
        while head > 0 and edge[head] == NONE:
            head -= 1
        first = plain(words[head])
        if words[k] in NEG_MARKS and (_negates_itself(tokens, k) or _attached(tokens, k)):
            continue  # "❌ say no to pills": the mark repeats the negation, it does not undo it
        if head == k and k + 1 < n and edge[k + 1] == COMMA and plain(words[k]) in _ANSWER_NO:
            continue  # "Surface only? No, the light reaches the muscle": an answer, not a "no X"
        to_comma = (
            plain(words[k]) in PREPOSITIONAL
            and all(plain(words[m]) in _OPENERS for m in range(head, k))
        ) or first in SUBORDINATORS
        i = k + 1
        while i < n:
            e = edge[i]
            w = plain(words[i])
            if e == SENTENCE and w in _LIST_GOES_ON and _line_break(tokens, i):
                e = COMMA  # "won't replace X, erase Y,\nor act as Z": the list runs on
            if (
                e == CLAUSE
                and ":" in tokens.text[tokens.end(i - 1) : tokens.starts[i]]
                and not (i - k == 2 and plain(words[i - 1]) not in _LIST_VERBS)
                and not _own_clause(tokens, i)
                and not _said_no(tokens, k, i)
                and not _relative_before(tokens, head, k, i)
            ):
                to_comma = False  # "What it will not do: cure X, replace Y" governs the list
                out[i] = True
                i += 1
                continue
            if e >= CLAUSE or w in CONTRASTS or (w == "instead" and not tokens.negator[i]):
                break
            if w == "unless":  # the exception to a negation is not negated: see ``conditional``
                break
            if w in _REDUCED and i > k + 1:
                break
            if e == COMMA and (to_comma or w in _NEW_CLAUSE or _opens_clause(tokens, i)):
                break
            if _parallel(tokens, k, i, dead):
                break  # "no waiting and no pills needed": each "no" governs its own part
            if (
                w in ("and", "so")
                and i + 1 < n
                and edge[i + 1] < CLAUSE
                and plain(words[i + 1]) in PRONOUNS | {"yet"}
            ):
                break
            out[i] = True
            i += 1
    return out


_LIST_GOES_ON = frozenset({"or", "nor"})


def _line_break(tokens: Tokens, i: int) -> bool:
    """Whether only a line break, and maybe a comma, parts word i from the word before."""
    between = tokens.text[tokens.end(i - 1) : tokens.starts[i]]
    return "\n" in between and not between.strip(" \t\r\n,")


def _parallel(tokens: Tokens, k: int, i: int, dead: set[int]) -> bool:
    """Whether word i opens a negation of its own that a claim holds, parallel to the "no"
    at word k ("no waiting and no pills needed"): "and", "or" or "nor", then a negator
    that is part of a matched claim. A verb's negator still governs it ("we don't promise
    no waiting and no pills"), and so does a "no" before a comma ("no miracle talk, no
    'pain gone instantly' nonsense" lists what is refused) or one whose noun phrase is
    called talk (see ``_refused``)."""
    words, edge = tokens.words, tokens.edge
    if plain(words[k]) not in _PARALLEL:
        return False
    return (
        edge[i] == NONE
        and words[i] in ("and", "or", "nor")
        and i + 1 < len(words)
        and edge[i + 1] == NONE
        and i + 1 in dead
        and not _refused(tokens, i + 2)
    )


def _refused(tokens: Tokens, i: int) -> bool:
    """Whether the noun phrase from word i on, up to its comma or clause edge, holds a
    word after its first that calls it talk ("no miracle talk and no 'pain gone
    instantly' nonsense"): the second "no" then refuses a kind of talk, as the first
    does, and does not say the claim ("no waiting and no pills needed")."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    k = i
    while k < n and edge[k] == NONE and k - i < 8:
        if k > i and plain(words[k]) in _TALK:
            return True
        k += 1
    return False


# what a "no" refuses when it calls a claim talk: "no 'instant fix' nonsense"
_TALK = frozenset(
    "nonsense hype talk promises promise claims claim rubbish gimmicks gimmick garbage bs"
    " fluff spin buzzwords lies myths guff baloney".split()
)


def _own_clause(tokens: Tokens, i: int) -> bool:
    """Whether what follows the colon before word i is a clause of its own, not a list the
    negation governs: it opens with a pronoun as subject, or an owner's word ("our panel",
    "my knee"), and the words before the colon do not end in a verb that announces a list
    ("it does not stop at the skin: it reaches the muscle" and "No need for add-ons: our
    panel does it alone" say the second half in full; "What we don't claim: it cures X"
    lists)."""
    words = tokens.words
    return (
        (plain(words[i]) in PRONOUNS or words[i] in _OWNERS or _still_standing(tokens, i))
        and i + 1 < len(words)
        and tokens.edge[i + 1] < CLAUSE
        and plain(words[i - 1]) not in _LIST_VERBS
        and words[i - 1] not in _LABEL_NEGATORS
    )


_STANDING = frozenset({"still", "currently"})
_STANDING_REACH = 5  # words from the colon to "still": "the current listing still ..."


def _still_standing(tokens: Tokens, i: int) -> bool:
    """Whether what follows the colon before word i says what still stands, a subject and
    "still" or "currently" of its own: "has not yet updated its page: the listing still
    calls it ..."."""
    words, edge = tokens.words, tokens.edge
    for k in range(i + 1, min(len(words), i + _STANDING_REACH + 1)):
        if edge[k] >= COMMA:
            return False
        if words[k] in _STANDING:
            return True
    return False


def _relative_before(tokens: Tokens, head: int, k: int, i: int) -> bool:
    """Whether the negator at word k stands in a relative clause ("anyone who hasn't seen
    it", "those that don't know it") ended by a comma before the colon at word i: the
    clause after that comma has a subject and a verb of its own ("..., the tagline reads:
    'pain gone at once'"), and the colon goes on from it, not from the negation."""
    words = tokens.words
    return any(plain(words[m]) in _RELATIVE for m in range(max(head, k - 2), k)) and (
        COMMA in tokens.edge[k + 1 : i]
    )


_RELATIVE = frozenset({"who", "that", "which", "whoever"})


def _said_no(tokens: Tokens, k: int, i: int) -> bool:
    """Whether the negator at word k is the "no" of "say no to" with its object before the
    colon at word i ("Say no to the knife: an alternative to surgery"): what it refuses is
    named in full, and the colon goes on in a statement of its own ("Say no to: pills,
    surgery" still governs the list)."""
    words = tokens.words
    return (
        k > 0
        and plain(words[k - 1]) in _SAY
        and words[k + 1] == "to"
        and i - k > 2
        and tokens.edge[k + 1] == NONE
        and tokens.edge[k + 2] == NONE
    )


_SAY = frozenset({"say", "says", "said", "saying"})


def _negates_itself(tokens: Tokens, k: int) -> bool:
    """Whether the clause after a cross mark carries its own negator."""
    i = k + 1
    while i < len(tokens.words) and tokens.edge[i] < CLAUSE:
        if tokens.negator[i]:
            return True
        i += 1
    return False


def _attached(tokens: Tokens, k: int) -> bool:
    """Whether a cross mark is written onto what comes before it ("pills💊❌ Guaranteed
    ..."): it crosses that out, and governs nothing after it."""
    s = tokens.starts[k]
    return s > 0 and (tokens.text[s - 1].isalnum() or category(tokens.text[s - 1]) == "So")


def _opens_clause(tokens: Tokens, i: int) -> bool:
    """ ", it ...", ", and you ...": a comma followed by a new subject; ", which ..." too:
    a relative clause set off by commas says its own part ("does not cover the lens, which
    glows" does not deny the glow)."""
    words = tokens.words
    w = plain(words[i])
    if w in PRONOUNS or w == "which":
        return True
    return (
        w in ("and", "or", "so", "but", "then")
        and i + 1 < len(words)
        and (plain(words[i + 1]) in PRONOUNS)
    )


__all__ = ["negated_words"]
