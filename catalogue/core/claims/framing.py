"""How a claim is framed around it (a claim named as a topic is read in ``mentions``): reported
of someone else ("my doctor said it heals"), wished for, denied or taken back after the fact
("That was wrong"), held as a condition ("if it cured anything, we would say so") unless the
next words say it is met ("unless it's proven, and this was"), or asked in reported speech
("asking does it work instantly — no"); said of the other product in a comparison is read
in ``compared``. ``scope.holds`` asks these last."""

from __future__ import annotations

from itertools import pairwise
from unicodedata import category

from catalogue.core.claims.invited import inviting
from catalogue.core.claims.negators import CONTRASTS, PRONOUNS, YES, plain
from catalogue.core.claims.tokens import CLAUSE, COMMA, NONE, Tokens

LABELS = frozenset({"q", "a", "question", "answer", "faq", "re"})
ASKING = frozenset("ask asks asked asking wonder wonders wondered wondering unsure".split())


# Others whose words a listing reports: "sellers who write 'FDA approved'".
OTHERS = frozenset(
    "seller sellers brand brands listing listings ad ads adverts advert others companies"
    " competitors anyone anybody someone somebody marketers websites forums shops vendors"
    " manufacturers competitor rival rivals tabloid tabloids headline headlines".split()
)
# a short answer naming others and not the writer: "The other guys.", "Other brands, mostly."
OTHER_PARTIES = OTHERS | frozenset({"other", "others", "them", "theirs"})
WE = frozenset("we us me i ours our".split())
REPORTING = frozenset(
    "say says said write writes wrote claim claims claimed promise promises promised shout"
    " shouts shouted shouting cry cries cried boast boasts boasted advertise advertises"
    " call calls label labels print prints put puts scream screams screamed screaming blared"
    " market markets promising saying claiming writing advertising calling labelling"
    " labeling marketing selling pitch pitches pitched pitching".split()
)


def reported(tokens: Tokens, i: int) -> bool:
    """Others' words, reported in the same clause: "sellers who write", "anyone who says"."""
    words, edge = tokens.words, tokens.edge
    k = i  # the claim may start with the reporting verb: "anyone promising instant results"
    while k > 0 and (k == i or edge[k + 1] < CLAUSE) and i - k <= 6:
        if words[k] in REPORTING:
            back = [words[m] for m in range(max(0, k - 3), k)]
            return any(w in OTHERS for w in back) or _elsewhere(back)
        k -= 1
    return False


def _elsewhere(back: list[str]) -> bool:
    """Words before a reporting verb that point away from the product: "panels out there
    promise", "other panels claim" (but not "our other panels", nor "other customers say":
    a buyer's word about this product is still a claim)."""
    return any(
        (a == "out" and b == "there") or (a == "other" and b in PRODUCTS and "our" not in back)
        for a, b in pairwise(back)
    )


PRODUCTS = frozenset(
    "panel panels device devices wrap wraps lamp lamps pad pads mat mats mask masks belt belts"
    " product products gadget gadgets light lights sleeve sleeves".split()
)

WISHING = frozenset({"wish", "love", "like"})


def wished(tokens: Tokens, i: int) -> bool:
    """A claim the listing wishes it could make: "we'd love to promise", "I wish it could"
    (not an offer: "Press 1 if you'd like to ...", see ``invited``)."""
    words, edge = tokens.words, tokens.edge
    k = i - 1
    while k >= 0 and edge[k + 1] < COMMA and i - k <= 6:
        w = words[k]
        if w == "wish" or (
            w in ("love", "like")
            and k > 0
            and (words[k - 1] == "would" or words[k - 1].endswith("'d"))
        ):
            at = k - 3 if words[k - 1] == "would" else k - 2  # where "if" opens an offer
            return not (at > 0 and words[at] == "if" and inviting(tokens, at, i))
        k -= 1
    return False


def denied(tokens: Tokens, j: int) -> bool:
    """A short clause right after the claim's clause that denies it: "Others promise a cure.
    This one doesn't." / "Instant relief? Ours won't." (pronoun, then a closing negator), or
    that disowns it ("Scorching heat, miracle cures: you won't find any of that here", see
    ``_disowned``)."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    k = j + 1
    while k < n and edge[k] < CLAUSE and not _emoji_before(tokens, k):
        if (
            edge[k] == COMMA
            and words[k] in _SO_LINKS
            and k + 1 < n
            and edge[k + 1] == NONE
            and words[k + 1].split("'")[0] in _SUBJECTS
        ):  # ", so we don't call it that" disowns the claim; ", which this isn't" denies it
            end = k + 1
            while end + 1 < n and edge[end + 1] < COMMA:
                end += 1
            if end - k <= _DISOWN_WORDS and (
                _disowned(tokens, k + 1, end) or (words[k] == "which" and tokens.negator[end])
            ):
                return True
        k += 1
    if k >= n:
        return False
    if (words[k] in LABELS or plain(words[k]) in _ASIDES) and k + 1 < n and edge[k + 1] >= COMMA:
        k += 1  # "... heals nerves. A: It doesn't.", "... Well, it won't."
    if words[k].split("'")[0] not in _SUBJECTS:
        return False
    end = k
    while end + 1 < n and edge[end + 1] < COMMA and plain(words[end + 1]) not in CONTRASTS:
        end += 1
    if end - k >= _DISOWN_WORDS:
        return False
    if end - k < 5 and tokens.negator[end]:  # "This one doesn't."
        return True
    # "we'd never suggest that", "we don't claim so": a negated verb with the claim as object
    if (
        end - k < 5
        and plain(words[end]) in _BACK_REFERENCES
        and any(tokens.negator[k:end])
        and plain(words[end - 1]) not in _NEED_VERBS
    ):
        return True
    return _disowned(tokens, k, end)


def _emoji_before(tokens: Tokens, k: int) -> bool:
    """Whether a pictograph (an emoji, not a sign such as "°") stands between word k and
    the one before it: it closes what came before as a full stop would ("... by our
    customers 😄 Well, it won't.")."""
    gap = tokens.text[tokens.end(k - 1) : tokens.starts[k]]
    return not gap.isascii() and any(c >= "\u2600" and category(c) == "So" for c in gap)


def withdrawn(tokens: Tokens, j: int) -> bool:
    """Whether a short clause right after the claim's clause takes it back as an error: "an
    early draft called the wrap 'clinically proven'. That was wrong", ", which was a
    mistake". The error word closes that clause, so "That's the wrong way to use it" and
    "that was not wrong" say nothing of the claim."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    k = j + 1
    while k < n and edge[k] < CLAUSE and words[k] != "which":
        k += 1
    if k + 1 >= n or words[k].split("'")[0] not in _WITHDRAWING:
        return False
    if "'" not in words[k] and words[k + 1] in CLAIM_NOUNS and edge[k + 1] == NONE:
        k += 1  # "That statement is false", "this claim was wrong"
        if k + 1 >= n:
            return False
    m = k if "'" in words[k] else k + 1  # "that's wrong", "that was wrong"
    if m == k + 1 and words[m] not in _WAS:
        return False
    m += 1
    while m < n and edge[m] == NONE and words[m] in _ERROR_FILLERS:
        m += 1
    if m + 1 < n and words[m] not in ERRORS and edge[m + 1] == NONE and words[m + 1] in ERRORS:
        m += 1  # one word saying what kind of error: "a marketing error", "an honest mistake"
    if m >= n or edge[m] != NONE or words[m] not in ERRORS or any(tokens.negator[k : m + 1]):
        return False
    m += 1
    if m + 1 < n and words[m] in ("of", "on") and edge[m] == edge[m + 1] == NONE:
        m += 2 if words[m + 1] in _OUR_PART else 0  # "wrong of us", "a mistake on our part"
        m += 1 if m < n and words[m] == "part" and edge[m] == NONE else 0
    return m >= n or edge[m] >= COMMA


_WITHDRAWING = frozenset({"that", "this", "it", "which"})
# what a claim held up to be taken back is called: "That statement is false", "Wrong claim."
CLAIM_NOUNS = frozenset(
    "claim claims statement statements quote quotes line idea story rumour rumor headline"
    " promise review".split()
)
_WAS = frozenset({"was", "is", "were", "are"})
_OUR_PART = frozenset({"us", "me", "our", "my"})
_ERROR_FILLERS = frozenset("simply just plainly frankly completely totally a an our my".split())
# what a claim taken back is called ("That was wrong", "which was an error")
ERRORS = frozenset(
    "wrong false untrue incorrect inaccurate misleading mistake error overstated exaggerated"
    " overclaim".split()
)


_BACK_REFERENCES = frozenset({"that", "so", "this", "it", "them"})
# "Skip the pills - you won't need them": a need turned down repeats dropped care, no denial
_NEED_VERBS = frozenset({"need", "needs", "miss", "want"})
_DISOWN_WORDS = 8  # most words in a clause that disowns the claims before it
# Verbs a listing disowns a claim with ("we won't say that", "you won't find any of that
# here"); finding, getting or seeing it needs a place that is the seller's ("here", "us").
_DISOWN_VERBS = frozenset(
    "say says claim claims promise promises offer offers sell sells make makes tell pretend"
    " print write call find get see".split()
)
_FIND_VERBS = frozenset({"find", "get", "see"})
_NAMING = frozenset({"call", "calls"})
# what joins a clause that denies the claim to its sentence after a comma
_SO_LINKS = frozenset({"so", "and", "hence", "therefore", "thus", "which"})
_OURS = frozenset({"here", "us", "ours"})
_REFERENCES = _BACK_REFERENCES | {"those", "these", "such"}
_BEFORE_REFERENCE = frozenset({"you", "any", "all", "none", "some", "of"})  # "any of that"
# What turns a negated clause into a boast or a mere delay: "you won't find that anywhere
# else", "we can't say that enough", "I don't say that lightly", "... happen overnight".
_NOT_DISOWNING = frozenset(
    "else elsewhere anywhere other only just enough lightly often every cheaper better like"
    " beat match overnight instantly immediately yet always alone quickly fast".split()
)


def _disowned(tokens: Tokens, k: int, end: int) -> bool:
    """Whether the clause on words k..end (opening with a subject) disowns the claims
    before it: a negator, a verb of saying or offering close after it, then a word that
    points back ("We won't say that about ours", "you won't find any of that here")."""
    words, negator = tokens.words, tokens.negator
    clause = [plain(w) for w in words[k : end + 1]]
    if not _NOT_DISOWNING.isdisjoint(clause):
        return False
    for m in range(k, end + 1):
        if not negator[m]:
            continue
        for v in range(m + 1, min(m + 3, end) + 1):
            verb = clause[v - k]
            if verb not in _DISOWN_VERBS:
                continue
            after = clause[v - k + 1 :]
            if verb in _FIND_VERBS and _OURS.isdisjoint(after):
                return False
            if verb in _NAMING and len(after) > 1 and after[1] in ("a", "an", "the"):
                return False  # "we don't call it a gadget" names something else
            for w in after[:4]:
                if w in _REFERENCES:
                    return True
                if w not in _BEFORE_REFERENCE:
                    return False
            return False
    return False


_SUBJECTS = PRONOUNS | {"ours", "that", "i"}
# a word set off by a comma before a short denial ("Well, it won't.", "Sadly, it doesn't.")
_ASIDES = frozenset("well sadly alas honestly frankly spoiler truthfully seriously".split())


CONDITIONS = frozenset({"if", "unless", "case", "whether"})  # the words ``conditional`` needs


def conditional(tokens: Tokens, i: int, j: int) -> bool:
    """A claim in an "if" clause is a condition, not a promise ("If it ever feels hot, ...",
    "we'd be lying if we promised ...", "in case", "the doctor asked (her) whether it heals"),
    unless the clause after it says the product meets it (see ``_met``), or the claim on
    words i..j takes what it says as the usual state ("If the pad doesn't light up with
    its usual glow, ..." says it glows as a rule)."""
    words, edge = tokens.words, tokens.edge
    if not _GIVEN.isdisjoint(words[i : j + 1]):
        return False
    k = i
    while k >= 0:
        w = words[k]
        if w == "if" and inviting(tokens, k, i):
            return False
        if w in ("if", "unless") or (w == "case" and k > 0 and words[k - 1] == "in"):
            return not _met(tokens, i)
        if w == "whether" and not ASKING.isdisjoint(words[max(0, k - 7) : k]):
            return True
        if edge[k] >= COMMA:  # the head of the claim's clause
            return False
        k -= 1
    return False


# what a claim takes as the device's usual state, which no condition puts in doubt
_GIVEN = frozenset("usual normal regular typical familiar customary".split())

# "... unless it's clinically proven, and this was.": the short clause after a condition
# says the product meets it, so the condition is a claim after all
_AFFIRMING_VERBS = frozenset("is are was were does did has have will can".split())
_AFFIRMING_TAIL = frozenset("too also definitely certainly absolutely very much".split())


def _met(tokens: Tokens, i: int) -> bool:
    """Whether the clause after the condition holding word i affirms it: "(and) this was",
    "ours is", "this one does too"; a negated one ("and this wasn't") does not."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    k = i + 1
    while k < n and edge[k] < COMMA:
        k += 1
    if k < n and words[k] in ("and", "which"):
        k += 1
    if k >= n:
        return False
    subject, _, verb = words[k].partition("'")
    if subject not in _SUBJECTS:
        return False
    if not verb and k + 1 < n and subject == "this" and words[k + 1].partition("'")[0] == "one":
        k += 1  # "this one is", "this one's"
        verb = words[k].partition("'")[2]
    if verb:  # "and it's", "this one's"
        end = k + 1
    elif k + 1 < n and edge[k + 1] == NONE and words[k + 1] in _AFFIRMING_VERBS:
        end = k + 2
    else:
        return False
    while end < n and edge[end] == NONE and words[end] in _AFFIRMING_TAIL:
        end += 1
    return end >= n or edge[end] >= COMMA


# A claim asked about in reported speech, with no question mark: "Chat's asking does it
# work instantly — no babe". Unless the next clause opens with a yes, it is not a claim.
_ASKED_VERBS = frozenset("does do did is are can will would could should".split())
_ASKED_REACH = 6  # words from the asking verb to the claim


def asked(tokens: Tokens, i: int) -> bool:
    """Whether the claim at word i sits in a yes/no question reported after an asking verb
    ("people ask does it heal", "wondering is it instant") that the next clause does not
    answer yes."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    k = i
    while k > 1 and edge[k] == NONE and i - k < _ASKED_REACH:
        k -= 1
        if words[k] in _ASKED_VERBS and words[k - 1] in ASKING and edge[k] == NONE:
            break
    else:
        return False
    j = i
    while j < n and edge[j] < COMMA:
        j += 1
    return not (j < n and plain(words[j]) in YES) and not _met(tokens, i)
