"""Which clause denies the list of claims before it as a block (see ``disowned``).

A denial says the list is not true, or is false ("None of that is true", "Neither claim
holds", "All of it is false", "Not true of any panel"), answers it with one collective no
("None of the above", "Neither"), says it did not come about ("That didn't happen"), or
tells the reader not to expect or believe it, or says it is what something else is for, not
the product ("That's what our facial line is for, not this device"). It covers the
listing's own product only when it does not name some other product alone: "None of that
is true of the cheap knock-offs" says it is true of this one. What is only called no
exaggeration ("None of that is hype") is vouched for, not denied, and a list the next
clause affirms ("All of that is true", "Everything above, guaranteed") stays a claim.
"""

from __future__ import annotations

from catalogue.core.claims.framing import LABELS, PRODUCTS
from catalogue.core.claims.negators import PRONOUNS, plain
from catalogue.core.claims.tokens import CLAUSE, COMMA, NONE, QUESTION, SENTENCE, Tokens

_DENIAL_WORDS = 16  # most words in a denial's clause read

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
# how flatly a denial may say no before its "not": "That's just not true", "that is simply
# not true"
_FLATLY = frozenset("just simply absolutely definitely honestly totally clearly obviously".split())
# who may open a new clause after a denial ("that's not true and i'm not gonna say that"):
# what it says does not narrow what the denial covers
_SPEAKERS = PRONOUNS | frozenset({"i", "im", "ill", "ive", "id"})
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
# who does none of the list, for the listing ("Ours does neither", "We do neither")
_OWN_SUBJECTS = frozenset("ours mine we this our it".split())
_DOING = frozenset("does do did will can".split())
_HAPPENING = frozenset("happen happened materialise materialised materialize materialized".split())


def label(tokens: Tokens, a: int, b: int) -> bool:
    """Whether the unit a..b is a speaker's label heading a line ("GUEST:", "A:")."""
    return a == b and (
        tokens.words[a] in LABELS
        or (
            (a == 0 or tokens.edge[a] >= SENTENCE)
            and b + 1 < len(tokens.words)
            and colon(tokens, b)
        )
    )


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
    if w in ("and", "so") and k < b and plain(tokens.words[k + 1]) in _SPEAKERS:
        return True  # "that's not true and i'm not gonna say that"
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
    if label(tokens, a, a) and a < b and tokens.edge[a + 1] >= COMMA:
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
        return reported and elliptic(tokens, a, b)
    if first in _COLLECTIVES:  # "All of that is false", "Both claims are untrue"
        k = _reference(tokens, k, b)
        if k <= b and words[k].endswith("'s"):
            k += 1
        return not any(negator[a : b + 1]) and _predicate(tokens, k, b, _FALSITIES)
    if first == "not" and _predicate(tokens, k, b, _TRUTHS):  # "Not true of any panel."
        return True
    if _unmet(tokens, a, b):  # "That didn't happen."
        return True
    if words[a].split("'")[0] in _REFERENCES:  # "That isn't true.", "Those aren't real."
        k = a + 1  # "that isn't true", "that's not true", "that is not true"
        if k <= b and plain(words[k]) in _COPULAS:
            k += 1
            while k <= b and words[k] in _FLATLY:  # "that is simply not true"
                k += 1
            if k <= b and words[k] == "not":
                return _predicate(tokens, k + 1, b, _TRUTHS)
        else:
            while k <= b and words[k] in _FLATLY:  # "that's just not true"
                k += 1
            if k <= b and negator[k]:
                return _predicate(tokens, k + 1, b, _TRUTHS)
    if _believing(tokens, a, b) or _does_neither(tokens, a, b) or _elsewhere(tokens, a, b):
        return True
    return reported and elliptic(tokens, a, b)


_OWN = frozenset({"this", "these", "ours", "it"})


def _elsewhere(tokens: Tokens, a: int, b: int) -> bool:
    """ "That's what our facial line is for, not this device.", "those are what the serum
    does, not ours": the list is what something else is for, and not the product."""
    words, edge = tokens.words, tokens.edge
    k = a + 1
    if words[a].split("'")[0] not in _REFERENCES or k >= b:
        return False
    if not words[a].endswith("'s") and plain(words[k]) in _COPULAS:
        k += 1
    if k >= b or words[k] != "what":
        return False
    return any(edge[m] == COMMA and words[m] == "not" and words[m + 1] in _OWN for m in range(k, b))


def _unmet(tokens: Tokens, a: int, b: int) -> bool:
    """ "That didn't happen.", "It never happened for me.", "Didn't happen.": what the
    list names did not come about."""
    words, negator = tokens.words, tokens.negator
    k = a
    if plain(words[k].split("'")[0]) in _REFERENCES:
        k += 1
    if k > b or not negator[k] or words[k] in ("no", "none", "neither", "not"):
        return False
    k += 1
    if k > b or words[k] not in _HAPPENING:
        return False
    k += 1
    if k < b and words[k] == "for" and plain(words[k + 1]) in ("me", "us"):
        k += 2  # "for me"
    return _tail(tokens, k, b)


def _does_neither(tokens: Tokens, a: int, b: int) -> bool:
    """ "Ours does neither", "This one does none of that", "We do neither": the listing's
    own product (or seller) said to do none of what the list names."""
    words, edge = tokens.words, tokens.edge
    k = a
    if plain(words[k]) not in _OWN_SUBJECTS:
        return False
    k += 1
    if words[k - 1] in ("this", "our") and k <= b and edge[k] == NONE:
        k += 1  # "this one", "our panel"
    if k > b or edge[k] != NONE or words[k] not in _DOING:
        return False
    k += 1
    if k > b or words[k] not in ("neither", "none"):
        return False
    after = _reference(tokens, k + 1, b)
    if words[k] == "none" and after == k + 1:
        return False  # "ours does none" stops short of pointing back
    return after > b or tokens.edge[after] >= COMMA


def elliptic(tokens: Tokens, a: int, b: int) -> bool:
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


def disbelief(tokens: Tokens, a: int, b: int) -> bool:
    """ "I don't believe any lamp cures anything", "We don't think a pad can do that": the
    writer's disbelief that any device of the kind does it, which denies what others were
    reported to say before it ("A friend told me her lamp cured her back pain."), not the
    listing's own claims."""
    if b - a >= _DENIAL_WORDS or tokens.words[a] not in BELIEVERS:
        return False
    k = believer_negated(tokens, a, b)
    return 0 < k <= b and tokens.words[k] in _DISBELIEVING and _any_product(tokens, k + 1, b)


def believer_negated(tokens: Tokens, a: int, b: int) -> int:
    """After "I" or "we" at word a, a negator ("don't", "do not", "really don't"): the
    index of the word after it, or 0."""
    words, negator = tokens.words, tokens.negator
    k = a + 1
    while k < b and k - a < 3 and words[k] in _BEFORE_NEGATOR and not negator[k]:
        k += 1
    return k + 1 if k <= b and negator[k] else 0


def _any_product(tokens: Tokens, k: int, b: int) -> bool:
    """Whether words k.. of the unit ending at b name any device of the kind, the
    listing's own included: "any lamp", "that a single panel", "one light" (not "any other
    lamp", nor "any lamp but ours")."""
    words = tokens.words
    if k <= b and words[k] == "that":
        k += 1
    if k > b or words[k] not in _ANY_ONE:
        return False
    for m in range(k + 1, min(b, k + 3) + 1):
        w = words[m]
        if w in _OTHER_THAN:
            return False
        if w in PRODUCTS:  # "any lamp but ours"
            after = range(m + 1, min(b, m + 2) + 1)
            return not any(tokens.edge[x] == NONE and words[x] in _OTHER_THAN for x in after)
    return False


# who voices a disbelief: "I don't believe ..."
BELIEVERS = frozenset({"i", "we"})
_DISBELIEVING = frozenset({"believe", "think"})
_BEFORE_NEGATOR = frozenset({"do", "did", "really", "just", "honestly", "simply"})
_ANY_ONE = frozenset({"any", "a", "one", "single"})
_OTHER_THAN = frozenset({"other", "else", "except", "but", "besides", "apart", "unlike"})


def colon(tokens: Tokens, b: int) -> bool:
    """Whether a colon stands right after word b (and before the next)."""
    return tokens.edge[b + 1] == CLAUSE and ":" in tokens.text[tokens.end(b) : tokens.starts[b + 1]]


# what a denying unit opens with (see ``denial``); a pronoun too, when a negator follows
HEADS = (
    frozenset("none neither not no all both each every everything".split())
    | _REFERENCES
    | _BELIEVING
    | _OWN_SUBJECTS  # "ours does neither"
    | frozenset({"thats", "its"})  # "that's not true", "it's not true", plain
)
