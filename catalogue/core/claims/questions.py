"""Whether a claim survives the question it sits in, and how a question is answered.

A claim asked about is one only if the listing answers yes, or the question leaves a
promise standing ("Want relief that starts at once? Order now"). A yes/no question ("Can
it cure arthritis?", "Is relief instant?", "Hey Google, is this FDA approved?") with no
yes after it, and any question answered no ("Cure? Nope.", "A: It can't."), is not a
claim. ``scope.holds`` asks ``question_stands``.
"""

from __future__ import annotations

import re

from catalogue.core.claims.negators import HEDGES, PRONOUNS, YES, plain
from catalogue.core.claims.quizzes import anyone, claimed_by, nobody, others
from catalogue.core.claims.sentences import content_start, sentence_bounds
from catalogue.core.claims.tokens import CLAUSE, COMMA, QUESTION, SENTENCE, Tokens

AUXILIARIES = frozenset(
    [
        "can",
        "could",
        "does",
        "do",
        "did",
        "will",
        "would",
        "is",
        "are",
        "was",
        "were",
        "should",
        "may",
        "might",
        "has",
        "have",
        "shall",
        "isnt",
        "doesnt",
        "wont",
        "cant",
        "dont",
        "arent",
        "didnt",
    ]
)
# A short answer that ends on one of these repeats the question's verb and says yes to it.
_ELLIPSIS_YES = frozenset({"have", "has", "do", "does", "did", "can", "will"})
# what may trail a short answer's negated verb: "Most find they don't any more."
_ELLIPSIS_TAIL = frozenset({"anymore", "any", "more", "longer", "now", "nowadays", "either"})
_FEW = frozenset({"few", "hardly", "little", "only", "rarely", "seldom"})
_NEEDS = frozenset(
    "need needs have has require requires take takes use uses rely relies depend depends"
    " see sees visit visits book books go goes pay pays".split()
)
NO_ANSWER = frozenset(
    ["no", "nope", "nah", "never", "not", "sadly", "unfortunately", "hardly", "afraid"]
)
# Questions that name a topic rather than promise it: "Questions about FDA approval?"
TOPIC_QUESTIONS = frozenset("questions question wondering curious worried confused how".split())
NEGATED_VERBS = frozenset(
    "doesnt dont didnt cant cannot wont wouldnt couldnt shouldnt hasnt havent".split()
)
# A one-word answer in "-ly" says yes by the manner of it ("Does it glow? Beautifully."),
# save the ones that hedge, belittle or regret ("Hardly.", "Possibly.", "Sadly.").
_YES_MANNER = re.compile(r"[a-z]{3,}ly")
_NOT_YES_MANNER = frozenset(
    "hardly barely scarcely rarely sadly unfortunately regrettably hopefully possibly"
    " probably unlikely occasionally partially partly slightly only supposedly allegedly"
    " reportedly apparently theoretically technically marginally faintly dimly weakly"
    " briefly early rely reply apply supply family ally bully belly jelly fly july italy"
    " potentially conceivably arguably mostly nearly merely purely seemingly ostensibly"
    " honestly seriously really frankly truthfully personally generally usually normally"
    " typically rarely sporadically intermittently eventually gradually slowly".split()
)
# words an answer may open on before its yes or no: "Oh yes.", "Why, yes.", "Ah, no."
_LEAD_WORDS = HEDGES | frozenset("oh ah ahh ooh why o and so".split())
# An answer that ends on a subject and a negated verb says no, however long ("We'd love to
# say so, but we won't, because it isn't.").
_ENDS_NEGATED = NEGATED_VERBS | {"isnt", "arent", "wasnt", "werent"}


def _answer(tokens: Tokens, start: int) -> str:
    """ "yes", "no" or "" for the sentence starting at word ``start``."""
    words, n = tokens.words, len(tokens.words)
    if start >= n:
        return ""
    _, end = sentence_bounds(tokens, start)
    a = content_start(tokens, start, end)
    if a == start and a < end and _line_label(tokens, a):
        a += 1  # "Block: No." in a content module's fields
    first = plain(words[a])
    if a < end and first in _LEAD_WORDS and plain(words[a + 1]) in YES | NO_ANSWER:
        a += 1  # "Oh yes, it can.", "Well, no."
        first = plain(words[a])
    if a < end and end - a < _ANNOUNCING_WORDS and "answer" in words[a : end + 1]:
        if words[end - 1] in _BEING and plain(words[end]) in YES | _SAID_NO:
            return "no" if plain(words[end]) in _SAID_NO else "yes"  # "The honest answer is no."
        nxt = end + 1  # "Here's the honest answer." announces the answer that follows
        return _answer(tokens, nxt) if nxt < n and tokens.edge[nxt] >= CLAUSE else ""
    if a == end and (first in HEDGES or first == "a") and end + 1 < n:
        return _answer(tokens, end + 1)  # "Honestly... yes.", a transcript's "A. It does."
    if first in YES:  # "Definitely not." is a no
        return "no" if a + 1 <= end and tokens.negator[a + 1] else "yes"
    if first in NO_ANSWER or _wished(tokens, a, end):
        return "no"  # "I wish.", "If only." wish the claim were true: it is not
    if (
        _YES_MANNER.fullmatch(first)
        and first not in _NOT_YES_MANNER
        and (a == end or (tokens.edge[a + 1] >= COMMA and not any(tokens.negator[a : end + 1])))
    ):
        return "yes"  # "Does it glow? Beautifully." / "Approved? Naturally, ..."
    if _instead(tokens, a, end):
        return "no"  # "Scientifically proven? We asked our users instead: ..."
    said = _said(tokens, a, end)
    if said:
        return said  # "Most of our regulars say no - ...", "Our customers say yes."
    window = range(a, min(end, a + 3) + 1)
    if any(tokens.negator[i] or words[i] == "rather" for i in window):
        return "no"  # "Nope, it's ..." / "We'd rather show you the studies."
    if end - a <= 3 and first in PRONOUNS and plain(words[min(a + 1, end)]) in AUXILIARIES:
        return "yes"  # "It does." / "It can!"
    if (
        end - a <= 7
        and (words[end] in _ELLIPSIS_YES or words[end] in YES)
        and first not in _FEW
        and not any(tokens.negator[a : end + 1])
    ):
        return "yes"  # "Plenty of our buyers already have." / "For most of them, yes."
    last = end
    while last > a and end - last < 2 and words[last] in _ELLIPSIS_TAIL:
        last -= 1
    if last - a <= 7 and plain(words[last]) in NEGATED_VERBS:
        return "no"  # "Most customers find they don't.", "... they don't anymore."
    if last > a and plain(words[last]) in _ENDS_NEGATED and plain(words[last - 1]) in PRONOUNS:
        return "no"  # "... but we won't, because it isn't."
    return ""


_ANNOUNCING_WORDS = 6
# The openings of an answer that wishes the claim were so: "I wish!", "We wish.", "If
# only.", "Dream on."; one may add the verb that would make it so ("I wish it did").
_WISHES = (("i", "wish"), ("we", "wish"), ("if", "only"), ("dream", "on"))


def _wished(tokens: Tokens, a: int, end: int) -> bool:
    """Whether the answer on words a..end wishes the claim were true and says no more
    ("One session and it's gone? I wish it were."); "I wish I'd found it sooner" says
    more, and is no answer."""
    if end - a > 4 or (plain(tokens.words[a]), plain(tokens.words[min(a + 1, end)])) not in _WISHES:
        return False
    rest = [plain(w) for w in tokens.words[a + 2 : end + 1]]
    return not rest or (
        len(rest) <= 3
        and rest[0] in PRONOUNS | {"that"}
        and len(rest) > 1
        and rest[1] in AUXILIARIES
    )


_WRITERS = frozenset({"we", "i"})


def _instead(tokens: Tokens, a: int, end: int) -> bool:
    """Whether the answer's first clause (words a..end) is the writer's and closes on
    "instead": it offers something else, a no to what was asked ("We asked our users
    instead."; "Strap on this belt instead." after "Why risk surgery?" says yes)."""
    if tokens.words[a] not in _WRITERS:
        return False
    k = a
    while k < end and tokens.edge[k + 1] < CLAUSE:
        k += 1
    return k > a and tokens.words[k] == "instead"


def _line_label(tokens: Tokens, a: int) -> bool:
    """Whether word a is a one-word label opening its line ("Block: No.")."""
    text, starts = tokens.original, tokens.starts
    before = text[tokens.end(a - 1) if a else 0 : starts[a]]
    after = text[tokens.end(a) : starts[a + 1]]
    return (a == 0 or "\n" in before) and after.strip() == ":"


def _said(tokens: Tokens, a: int, end: int) -> str:
    """ "yes" or "no" when the answer on words a..end reports one near its start ("Most of
    our regulars say no", "Our physio said yes, ..."): a saying verb among its first eight
    words, then the yes or no closing its clause ("say no to pills" is no answer)."""
    words = tokens.words
    for k in range(a + 1, min(end, a + 8)):
        if words[k] in _SAY and tokens.edge_after(k + 1) >= COMMA:
            said = words[k + 1]
            if said in _SAID_NO:
                return "no"
            if said in YES:
                return "yes"
    return ""


_SAY = frozenset("say says said reckon reckons answer answers answered".split())
_SAID_NO = frozenset({"no", "nope", "nah"})
_BEING = frozenset({"is", "was"})


def _still_needed(tokens: Tokens, i: int, j: int) -> bool:
    """Whether the claim on words i..j is "still need(s) ..." ("still take ibuprofen")."""
    words = tokens.words
    return any(words[k] == "still" and words[k + 1] in _NEEDS for k in range(i, j))


def _nothing_beyond(tokens: Tokens, a: int, b: int) -> bool:
    """Whether the question on words a..b asks for anything the device cannot do ("is
    there anything this panel can't fix?"): an "any" word, then a negated verb."""
    words = tokens.words
    for k in range(a, b):
        if words[k].startswith("any") and words[k] in _ANY:
            return any(plain(words[m]) in NEGATED_VERBS for m in range(k + 1, b + 1))
    return False


_ANY = frozenset({"any", "anything", "anyone", "anybody"})


def question_stands(tokens: Tokens, i: int, j: int) -> bool:
    """Whether a claim on words i..j survives the question it sits in, if any. A claim
    that runs on into the answer ("Physio visits? Not any more.") is the answer itself.
    "Do I still need painkillers? Most find they don't." turns round: a no to "still
    need" says the need is gone, which is the claim; outside a question, "still need" is
    no claim at all. So does a question that asks for anything the device cannot do ("Is
    there anything this miracle panel can't fix? Nope."): unanswered or answered no, it
    says there is nothing, and every claim in it stands."""
    a, b = sentence_bounds(tokens, i)
    if j > b and tokens.edge_after(b) != QUESTION:
        a2, b2 = sentence_bounds(tokens, j)
        if a2 > b and tokens.edge_after(b2) == QUESTION:  # "Kit: Duo NIR. Does it glow? No."
            return question_stands(tokens, a2, j)  # the question asks about the name before it
    if tokens.edge_after(b) == QUESTION and j > b:
        b = _run_on(tokens, b, j)  # "Scorching heat? Searing beam? Nah." asks both
    if tokens.edge_after(b) != QUESTION or j > b:
        return not _still_needed(tokens, i, j)
    if _presupposed(tokens, a, i):
        return True
    if tokens.words[i] == "why" and _reasoned(tokens, a, b):
        return False
    answer = _answer(tokens, _past_questions(tokens, b + 1))
    beyond = _nothing_beyond(tokens, a, b)
    if answer == "no" and tokens.words[i] == "who" and nobody(tokens, b + 1):
        return True  # "Who needs a doctor when you've got this? Not me." says nobody does
    if tokens.words[i] == "who" and anyone(tokens, b + 1):
        return False  # "Who needs a physio? Honestly, anyone with an injury."
    if claimed_by(tokens, _clause_start(tokens, a, i), i) and others(tokens, b + 1):
        return False  # "Who claims to cure arthritis in a week? The other guys."
    if answer:
        return (answer == "yes") != (_still_needed(tokens, i, j) or beyond)
    if beyond:
        return True
    first = plain(tokens.words[_after_greeting(tokens, content_start(tokens, a, b), i)])
    return (
        first not in AUXILIARIES
        and first not in TOPIC_QUESTIONS
        and plain(tokens.words[_clause_start(tokens, a, i)]) not in AUXILIARIES
    )


_RUN_QUESTIONS = 3  # short questions in a row that one answer may answer
_SHORT_QUESTION = 4  # words


def _short_question(tokens: Tokens, k: int) -> int:
    """The last word of the sentence opening at word k if it is a question of four words
    or fewer ("Searing beam?"), else -1."""
    end = sentence_bounds(tokens, k)[1]
    if end - k >= _SHORT_QUESTION or tokens.edge_after(end) != QUESTION:
        return -1
    text, starts = tokens.original, tokens.starts  # the matching copy blanks some stops
    for m in range(k + 1, end + 1):  # a fragment joined on ("None. Comfort?") is no question
        if tokens.edge[m] >= SENTENCE or not _STOPS.isdisjoint(text[tokens.end(m - 1) : starts[m]]):
            return -1
    return end


_STOPS = frozenset(".!?;:")


def _run_on(tokens: Tokens, b: int, j: int) -> int:
    """The end of the short question holding word j when only short questions stand
    between the question ending at word b and it, else b."""
    for _ in range(_RUN_QUESTIONS):
        end = _short_question(tokens, b + 1) if b + 1 < len(tokens.words) else -1
        if end < 0:
            return b
        b = end
        if j <= b:
            return b
    return b


def _past_questions(tokens: Tokens, k: int) -> int:
    """The first word after a run of short questions opening at word k ("Scorching heat?
    Searing beam? Nah.": the answer to both is "Nah"), or k."""
    n = len(tokens.words)
    for _ in range(_RUN_QUESTIONS):
        end = _short_question(tokens, k) if k < n else -1
        if end < 0 or end + 1 >= n:
            return k
        k = end + 1
    return k


# what opens a question addressed to someone: "Hey Google, is it ...?", "Alexa, does ...?"
_GREETINGS = frozenset("hey hi hello ok okay alexa siri yo oi".split())


def _after_greeting(tokens: Tokens, a: int, i: int) -> int:
    """The word after a greeting that opens the question at word a ("Hey Google, is this
    FDA approved?" asks from "is"), within three words and before the claim at word i."""
    if plain(tokens.words[a]) not in _GREETINGS:
        return a
    for k in range(a + 1, min(i, a + 4) + 1):
        if tokens.edge[k] >= COMMA:
            return k
    return a


def _presupposed(tokens: Tokens, a: int, i: int) -> bool:
    """Whether the claim at word i is the "when" clause of a "why" question that starts at
    word a ("Why pay for an op when this treats arthritis?"): the question takes the claim
    as given, so no answer after it ("No surgeon, no waiting list") takes it back."""
    words = tokens.words
    return plain(words[content_start(tokens, a, i)]) == "why" and any(
        words[k] == "when" for k in range(a + 1, i)
    )


def _reasoned(tokens: Tokens, a: int, b: int) -> bool:
    """Whether the "why" question on words a..b is answered with its reason ("Why see a
    doctor when it hurts? Because only a doctor can find the cause."): a question asked
    to be answered, not a rhetorical one that takes the care as needless. Only a claim
    that is the "why" itself asks so: "Why does it cure arthritis? Because ..." takes
    the cure as given."""
    words, n = tokens.words, len(tokens.words)
    if b + 1 >= n or plain(words[content_start(tokens, a, b)]) != "why":
        return False
    k = content_start(tokens, b + 1, sentence_bounds(tokens, b + 1)[1])
    return words[k] == "because"


def _clause_start(tokens: Tokens, a: int, i: int) -> int:
    """The first word of the clause holding word i, in the sentence that starts at word a:
    a question after a colon ("Question from Sam: will it fix my nerves?") asks from there."""
    edge = tokens.edge
    k = i
    while k > a and edge[k] < CLAUSE:
        k -= 1
    return k
