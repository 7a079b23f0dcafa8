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
  'FDA approved' sticker ... it is cleared, not approved" (likewise);
- they are quoted and a clause after them, in their sentence or the next, refuses them
  (``refusal``): "... but it can't do that", "the Company does not adopt, endorse or
  repeat them", "that isn't something the belt does", "Neither is true";
- they are what something "promised" and a sentence after makes no such promise
  (``promised_then``), or words written elsewhere ("there, I was told to write that ...")
  set against the copy "here" in the next sentence (``told_elsewhere``).
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
# words pointing back at copy named before: "deleted it", "took that down" (``amended`` too)
POINTING = frozenset("it that this them those these".split())
# what the next sentence disowns: "makes no such promise", "we make no such claim"
_DISOWNED = frozenset("promise promises claim claims guarantee guarantees thing statement".split())
# every verb above that takes copy out (``amended`` reads them before the words they take)
REMOVAL = _REFUSING | _REFUSED | _DELETING | _REMOVING
RETELLING = (
    _BANNED
    | REMOVAL
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
        if w in _DELETING and nxt in POINTING:
            return True
        if (w, nxt) in _SLIPS and not _WRITING.isdisjoint(words[a:k]):
            return True
        if (
            w in _REMOVING
            and nxt in POINTING
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
        if w in _TAKERS and after in _TAKING_BACK and k + 2 <= end and words[k + 2] in POINTING:
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


# --- words held up and then refused, a few words on ------------------------------------
# who refuses: "we", "I", "it" (the product: "it can't do that"), "that", or the seller
# named ("the Company does not adopt, endorse or repeat them")
_REFUSERS = frozenset("we i it that this".split())
_SELLERS = frozenset("company brand team seller shop store business manufacturer".split())
_SELLER_DETERMINERS = frozenset({"the", "our"})
# what the refuser does not do with the words: "repeat that", "adopt, endorse or repeat them",
# "do that" (the product)
_REFUSE_VERBS = frozenset(
    "use say repeat echo adopt endorse make claim print write do publish quote share back"
    " support promise".split()
)
_REFUSED_POINTERS = frozenset("that it them those these this so such".split())
# what may close the clause after its pointer ("we don't repeat that anywhere")
_REFUSED_TAIL = frozenset("anywhere here ever either again now at all ourselves".split())
_VERB_LINKS = frozenset({"or", "and", "nor"})
# "that isn't true", "that isn't something the belt does", "neither is true"
_UNTRUE = frozenset("true so accurate correct right".split())
_WHAT_IT_DOES = frozenset({"something", "what", "how"})
_DOING = frozenset("does do did can could will".split())
_NONE_OF = frozenset({"neither", "none"})
_BEING_TRUE = frozenset("is are was were".split())
_REFUSAL_WORDS = 10  # most words from the refuser to the clause's end


def refusal(tokens: Tokens, a: int, b: int) -> bool:
    """Whether words a..b (a sentence, or the rest of one) hold a clause that refuses words
    held up before it: "we don't repeat that anywhere", "but it can't do that", "the
    Company does not adopt, endorse or repeat them", "because that isn't something the
    belt does", "Neither is true"."""
    words, edge, negator = tokens.words, tokens.edge, tokens.negator
    if not any(negator[a : b + 1]):
        return False
    for k in range(a, b + 1):
        if k > a and edge[k] < COMMA and words[k - 1] not in _CLAUSE_LINKS:
            continue  # a clause opens at an edge or after "but", "because"
        end = k
        while (
            end < b
            and edge[end + 1] < CLAUSE
            and not (edge[end + 1] == COMMA and words[end + 1] in _CLAUSE_LINKS)
        ):
            end += 1
        if end - k <= _REFUSAL_WORDS and _refusing(tokens, k, end):
            return True
    return False


_CLAUSE_LINKS = frozenset("but because as since so and though clear".split())


def _refusing(tokens: Tokens, k: int, end: int) -> bool:
    """Whether the clause on words k..end is one that ``refusal`` reads."""
    words, negator = tokens.words, tokens.negator
    first = words[k]
    if first in _NONE_OF:  # "Neither is true", "None of it is true", "Neither claim is true"
        m = k + 1
        while m < end and words[m] not in _BEING_TRUE and m - k <= 3:
            m += 1
        return m < end and words[m] in _BEING_TRUE and words[m + 1] in _UNTRUE and m + 1 == end
    s = k
    if first in _SELLER_DETERMINERS and k < end and words[k + 1] in _SELLERS:
        s = k + 1
    elif first not in _REFUSERS:
        return False
    m = s + 1
    copula = False
    if m < end and words[m] in _DOING | _BEING_TRUE and negator[m + 1]:
        copula = words[m] in _BEING_TRUE
        m += 1  # "does not", "is not"
    if m > end or not negator[m]:
        return False
    copula = copula or words[m].startswith(("isn", "wasn", "aren", "weren"))
    m += 1
    if copula:
        if first not in ("that", "this", "it") or m > end:
            return False
        if words[m] in _UNTRUE:
            return m == end
        # "that isn't something the belt does"
        return words[m] in _WHAT_IT_DOES and words[end] in _DOING and 0 < end - m <= 4
    verbs = 0
    while m <= end and (words[m] in _REFUSE_VERBS or (verbs and words[m] in _VERB_LINKS)):
        verbs += words[m] in _REFUSE_VERBS
        m += 1
    if not verbs or m > end or words[m] not in _REFUSED_POINTERS:
        return False
    m += m < end and words[m + 1] in WORDS_NAMED  # "those words", "that claim"
    return all(w in _REFUSED_TAIL for w in words[m + 1 : end + 1])


# what the pointer of a refusal may name: "we don't print those words"
WORDS_NAMED = frozenset(
    "words word claim claims phrase phrases line lines quote quotes review reviews"
    " promise promises language".split()
)


def may_refuse(tokens: Tokens) -> bool:
    """Whether a sentence (its own tokens) holds a clause ``refusal`` reads."""
    return bool(tokens.words) and refusal(tokens, 0, len(tokens.words) - 1)


# --- others' words told of as the past, set against the copy here -----------------------
_PAST_REPORTING = frozenset(
    "promised claimed said wrote boasted advertised shouted cried pitched touted".split()
)
_PROMISE_REACH = 4  # words from a past verb of promising to the claim it reports
_NO_SUCH_SENTENCES = 2  # sentences after the claim's in which "no such promise" may stand


def no_such_after(tokens: Tokens, b: int) -> bool:
    """Whether one of the two sentences after the one ending at word b makes "no such"
    promise or claim (see ``disowned_next``)."""
    n = len(tokens.words)
    for _ in range(_NO_SUCH_SENTENCES):
        if b + 1 >= n:
            return False
        if disowned_next(tokens, b + 1):
            return True
        b = sentence_bounds(tokens, b + 1)[1]
    return False


def promised_then(tokens: Tokens, i: int) -> bool:
    """Whether the claim at word i is what something "promised" or "claimed" (a past verb
    of promising right before it in its clause) and a sentence after makes no such promise:
    "The box promised a miracle; ... The new pad makes no such promise."."""
    words, edge = tokens.words, tokens.edge
    for k in range(i, max(-1, i - _PROMISE_REACH - 1), -1):
        if words[k] in _PAST_REPORTING:
            return no_such_after(tokens, sentence_bounds(tokens, i)[1])
        if k and edge[k] >= COMMA:
            return False
    return False


_TOLD_REACH = 8  # words from a verb of saying or writing to the claim
# what points away from the copy here: "there, I was told to ...", "elsewhere", "previously"
_AWAY = frozenset("there elsewhere previously formerly".split())
_EXISTING = frozenset("is are was were be been isnt arent wasnt werent".split())
_HERE = frozenset({"here", "ours"})
OUR_COPY = frozenset("copy listing listings label page box ads ad copywriting".split())


def told_elsewhere(tokens: Tokens, i: int) -> bool:
    """Whether the claim at word i is words said or written elsewhere, set against the copy
    here in the next sentence: "There, I was told to write that their mat cures X. Here,
    the copy says ...". A verb of saying or writing stands before the claim in its clause,
    a word pointing away ("there", not "there is") before that verb in its sentence, and
    the next sentence opens with "Here" or "Ours" (or "Our copy")."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    a, b = sentence_bounds(tokens, i)
    verb = -1
    for k in range(i, max(a - 1, i - _TOLD_REACH - 1), -1):
        if words[k] in REPORTING_VERBS:
            verb = k
            break
        if k > a and edge[k] >= CLAUSE:
            return False
    if verb < 0 or b + 1 >= n:
        return False
    if not any(
        words[k] in _AWAY and (k + 1 >= n or words[k + 1] not in _EXISTING) for k in range(a, verb)
    ):
        return False
    first = words[b + 1]
    return first in _HERE or (first == "our" and b + 2 < n and words[b + 2] in OUR_COPY)


REPORTING_VERBS = frozenset(
    "say says said write writes wrote claim claims claimed promise promises promised"
    " advertise advertised print printed".split()
)
