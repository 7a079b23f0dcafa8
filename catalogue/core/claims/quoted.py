"""Claims in quotation marks that the listing then refutes, dismisses or says it never uses.

Words in quotation marks may be the listing's own ("'It cured my knee,' says Ana") or
words it holds up to knock down. They are no claim when:

- the whole sentence is quoted and the next sentence opens by refuting it: "'It glows
  bright red.' False: 850 nm is invisible.", "'It cures everything.' Nope.", "... Not
  true." (a refuting word, then an edge or the sentence's end), or scoffs at it alone:
  "'Miracle cream'? Please.";
- the whole sentence is quoted after the listing has named myths ("5 Myths About
  Near-Infrared, Busted"), and the next sentence does not affirm it ("True.", "Yes."):
  "'It should feel scorching hot.' Just a mild warmth." corrects the myth;
- the quoted words are dismissed later in their sentence ("Claims that such devices are
  'clinically proven' overstate the evidence", "... 'instant relief' misleads buyers");
- the next sentence says the writer does not use them: "'Clinically proven': a phrase
  you'll see on boxes. We don't use it."; or a clause after them refuses them ("... but
  it can't do that", see ``retold.refusal``);
- a verb of rewriting takes them as its object: "rewrite the advert's line '...'";
- the quoted words are defined as words right after the quotation ("'Cured' refers to the
  housing's cure cycle", "'Heal' here means ...", "'FDA' stands for ...") or said to be
  what others say ("'Clinically proven' is what the big ads say", "... is what other
  brands claim").

The quotation marks are read in the original text (the matching copy blanks them), so
the sentences whose words may make such a reading are never kept (``may_refute``), as
those that may deny a list are not (``disowned``).
"""

from __future__ import annotations

import re

from catalogue.core.claims.framing import CLAIM_NOUNS, OTHERS, REPORTING
from catalogue.core.claims.negators import YES, plain
from catalogue.core.claims.pieces import any_piece
from catalogue.core.claims.retold import (
    NEXT_CUES,
    OUR_COPY,
    corrected,
    may_correct,
    may_refuse,
    no_such_after,
    refusal,
    refused,
    refused_next,
)
from catalogue.core.claims.sentences import sentence_bounds
from catalogue.core.claims.titles import credited
from catalogue.core.claims.tokens import CLAUSE, COMMA, NONE, QUESTION, Tokens

_QUOTES = frozenset("\"'\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb")
_DOUBLE = ('"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb")
_SINGLE = re.compile(r"(?<!\w)['\u2018\u2019]|['\u2018\u2019](?!\w)")  # not "don't"
# words that open a refutation of the sentence before: "False.", "Nope.", "Myth!"
_REFUTING = frozenset(
    "false untrue wrong nope nah no myth fiction nonsense rubbish bogus busted incorrect"
    " debunked baloney".split()
)
_NOT_SO = frozenset("true so quite really accurate correct".split())  # "Not true", "Not so"
# what names a list of myths before the quoted ones
MYTHS = frozenset(
    "myth myths misconception misconceptions mythbusting mythbusters busted debunked".split()
)
# what affirms a quoted myth after all: "True.", "Fact!", "Correct."
_AFFIRMING = YES | frozenset("true fact facts correct right confirmed indeed".split())
# verbs that dismiss the quoted words later in their sentence
DISMISSING = frozenset(
    "overstate overstates overstated overstating exaggerate exaggerates exaggerated"
    " exaggerating overclaim overclaims oversell oversells misrepresent misrepresents"
    " mislead misleads misleading".split()
)
# verbs that define the quoted words as words: "'cured' refers to the cure cycle"
_DEFINING = frozenset("refers refer means mean denotes denote stands stand".split())
_DEFINING_FILLERS = frozenset("here just only simply merely actually really".split())
# who says what a quotation "is what ... say": others, or "they" and "people"
_SAYERS = OTHERS | frozenset("they people everyone everybody most many your their his her".split())
_BULLETS = frozenset("-*\u2022\u25aa\u25cf\u2023\u2043")
_DISMISS_REACH = 8  # words after the quotation in which a dismissing verb may stand
# what says later in the sentence that the quoted words are wrong: "... the box says the
# opposite", "the listing says otherwise", "you lost marks" (a judge's or marker's verdict)
_SAYING = frozenset("say says said states stated shows showed reads read".split())
_LOSING = frozenset("lose loses lost losing dropped drop drops".split())
_SCORES = frozenset("marks points mark point".split())
# what may say the opposite of a quotation: the product's own papers, or the evidence (not
# "anyone who says otherwise", which backs the quotation)
_SOURCES = frozenset(
    "listing box label leaflet manual insert packaging page site website guide article"
    " study studies research evidence data science source record spec specs sheet".split()
)
_CONTRADICT_REACH = 12  # words after the quotation
# "We don't use it.", "We never say that.", "I won't print those words."
_USERS = frozenset({"we", "i"})
_USING = frozenset("use say print write claim put".split())
_POINTING = frozenset("it that this them those these the such".split())
_NOT_DISOWNING = frozenset("lightly often enough else elsewhere only just anymore".split())


def seps(tokens: Tokens, k: int) -> tuple[str, str]:
    """The original text before word k (from the word before) and after it (to the next)."""
    text, n = tokens.original, len(tokens.words)
    before = text[tokens.end(k - 1) if k else 0 : tokens.starts[k]]
    after = text[tokens.end(k) : tokens.starts[k + 1] if k + 1 < n else len(text)]
    return before, after


def opens(sep: str) -> bool:
    """Whether a quotation opens right before the word a separator precedes."""
    return bool(sep) and sep[-1] in _QUOTES


def closes(sep: str) -> bool:
    """Whether a quotation closes right after the word a separator follows: '"', '."'."""
    rest = sep.lstrip(".,!?;:")
    return bool(rest) and rest[0] in _QUOTES


def quotation(tokens: Tokens, i: int, j: int, a: int, b: int) -> tuple[int, int] | None:
    """The first and last word of the quotation in sentence a..b that holds words i..j."""
    p = i
    while not opens(seps(tokens, p)[0]):
        if p == a or closes(seps(tokens, p - 1)[1]):
            return None
        p -= 1
    q = j
    while not closes(seps(tokens, q)[1]):
        if q == b or opens(seps(tokens, q + 1)[0]):
            return None
        q += 1
    return p, q


def has_quotes(tokens: Tokens) -> bool:
    """Whether the listing holds quotation marks (found once, on first need)."""
    found = tokens.quoted
    if found is None:
        text = tokens.original
        found = tokens.quoted = bool(text) and (
            any(map(text.__contains__, _DOUBLE)) or _SINGLE.search(text) is not None
        )
    return found


def refuted(tokens: Tokens, i: int, j: int) -> bool:
    """Whether the claim on words i..j is quoted and then refuted, dismissed or disowned
    (see the module's text)."""
    if not has_quotes(tokens):
        return False
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    a, b = sentence_bounds(tokens, i)
    if j > b:
        return False
    span = quotation(tokens, i, j, a, b)
    if span is None:  # only the claim's last word quoted: 'say it changed "instantly"'
        span = quotation(tokens, j, j, a, b) if i < j else None
        return span is not None and _refused_after(tokens, span[1], b)
    p, q = span
    if credited(tokens, p, q):
        return True  # a song's or book's title credited to its maker
    if _rewriting(tokens, p, a):
        return True  # 'Task: rewrite the advert's line "pain gone overnight"'
    # dismissed later in its sentence
    if any(words[k] in DISMISSING for k in range(q + 1, min(b, q + _DISMISS_REACH) + 1)):
        return True
    if _contradicted(tokens, q + 1, b):
        return True  # '"heals nerve damage" lost you marks - the listing says the opposite'
    if refused(tokens, j, q) or corrected(tokens, q):
        return True  # "I pushed back", "deleting it now"; ", not approved" later on
    if q < b and (_defined(tokens, q + 1, b) or _others_say(tokens, q + 1, b)):
        return True
    if _others_shout(tokens, q + 1) or _after_others_quote(tokens, p):
        return True  # '"A miracle!" cried the ads', and the quotation that carries it on
    nxt = b + 1
    if nxt >= n:
        return False
    if _disowns(tokens, nxt) or no_such_after(tokens, b):
        return True
    if refused_next(tokens, nxt) or _refused_after(tokens, q, b):
        return True  # 'Marketing wanted "scorching heat". Legal said no.'

    if q != b or not (p == a or edge[p] >= CLAUSE):
        return False  # only a whole quoted sentence (or clause) is refuted by the next
    if _scoffed(tokens, nxt):
        return True  # '"Miracle device"? Please.'
    nxt = _past_comment(tokens, nxt)
    first = plain(words[nxt])
    if first in _REFUTING or (first == "not" and nxt + 1 < n and words[nxt + 1] in _NOT_SO):
        end = nxt + (first == "not")
        if end + 1 < n and edge[end + 1] == NONE and words[end + 1] in CLAIM_NOUNS:
            end += 1  # "Wrong claim.", "False quote."
        return end + 1 >= n or edge[end + 1] >= COMMA or first == "not"
    if first in _AFFIRMING:
        return False
    return _item(tokens, p) and not MYTHS.isdisjoint(words[:p])


# a sentence that scoffs at the quotation before it, all by itself: "Please.", "Oh, please."
_SCOFFING = (("please",), ("oh", "please"))


def _scoffed(tokens: Tokens, nxt: int) -> bool:
    """Whether the sentence opening at word nxt is a scoff alone ("Please.")."""
    end = sentence_bounds(tokens, nxt)[1]
    return tuple(map(plain, tokens.words[nxt : end + 1])) in _SCOFFING


def _refused_after(tokens: Tokens, q: int, b: int) -> bool:
    """Whether a clause after the quotation ending at word q, in its sentence (ending at
    word b) or the next, refuses it (``retold.refusal``): '... "cured my arthritis
    overnight". Lovely of them, but it can't do that.', '"It healed my feet!" We love the
    enthusiasm, but we don't repeat that anywhere.'"""
    n = len(tokens.words)
    if q < b and refusal(tokens, q + 1, b):
        return True
    return b + 1 < n and refusal(tokens, *sentence_bounds(tokens, b + 1))


# verbs that hold up quoted words to be rewritten: 'rewrite the line "pain gone overnight"'
_REWRITING = frozenset(
    "rewrite rewrites rewriting rewrote reword rewords rewording reworded rephrase"
    " rephrases rephrasing rephrased redraft redrafting redrafted".split()
)
_REWRITE_REACH = 5  # words from the verb to the quotation


def _rewriting(tokens: Tokens, p: int, a: int) -> bool:
    """Whether a verb of rewriting takes the quotation opening at word p (in the sentence
    opening at word a) as its object: "rewrite the advert's line '...'", "reword '...'"."""
    words, edge, negator = tokens.words, tokens.edge, tokens.negator
    for k in range(p - 1, max(a, p - _REWRITE_REACH) - 1, -1):
        if negator[k] or edge[k + 1] >= CLAUSE:
            return False
        if words[k] in _REWRITING:
            return True
    return False


_COMMENT_WORDS = 3  # "Lovely quote." / "Nice line, though." before "Wrong claim."


def _past_comment(tokens: Tokens, k: int) -> int:
    """The first word of the sentence after the one opening at word k when that one is a
    short comment on the quotation, no answer to it ("Lovely quote. Wrong claim."); else k.
    A comment holds no negator, no yes and no refuting word of its own."""
    words, n = tokens.words, len(tokens.words)
    _, end = sentence_bounds(tokens, k)
    if end + 1 >= n or end - k + 1 > _COMMENT_WORDS or any(tokens.negator[k : end + 1]):
        return k
    if any(plain(w) in _AFFIRMING or plain(w) in _REFUTING for w in words[k : end + 1]):
        return k
    return end + 1


def _defined(tokens: Tokens, k: int, b: int) -> bool:
    """Whether the words from k (right after a quotation) define it as words: "refers to",
    "here means", "stands for" (up to sentence end b)."""
    words = tokens.words
    if words[k] in _DEFINING_FILLERS and k < b:
        k += 1
    w = words[k]
    if w not in _DEFINING or tokens.edge[k] >= CLAUSE or k >= b:
        return False
    nxt = words[k + 1]
    return nxt == "to" if w.startswith("refer") else nxt == "for" if w.startswith("stand") else True


def _others_say(tokens: Tokens, k: int, b: int) -> bool:
    """Whether the words from k (right after a quotation) say it is what others say: "is
    what the big ads say", "are what other brands claim", "is what they promise"."""
    words = tokens.words
    if k + 2 > b or words[k] not in ("is", "are", "was", "were") or words[k + 1] != "what":
        return False
    for m in range(k + 2, min(b, k + 7) + 1):
        if words[m] in REPORTING:
            return any(words[x] in _SAYERS for x in range(k + 2, m))
    return False


def _contradicted(tokens: Tokens, k: int, b: int) -> bool:
    """Whether the words from k (right after a quotation) to the sentence's end b say the
    quotation is wrong: a source (the listing, the box, the evidence) "says the opposite"
    or "says otherwise", or the speaker
    "lost marks" for it ("When you said 'cures arthritis' you lost marks")."""
    words = tokens.words
    for m in range(k, min(b, k + _CONTRADICT_REACH)):
        w, nxt = words[m], words[m + 1]
        if (
            w in _SAYING
            and m > k
            and words[m - 1] in _SOURCES
            and (nxt == "otherwise" or (nxt == "the" and m + 2 <= b and words[m + 2] == "opposite"))
        ):
            return True
        if w in _LOSING and (
            nxt in _SCORES or (nxt == "a" and m + 2 <= b and words[m + 2] in _SCORES)
        ):
            return True
    return False


def _others_shout(tokens: Tokens, k: int) -> bool:
    """Whether the words from k (right after a quotation) give it to others, the verb
    first: "shouted the ad", "claim other sellers", "says the advert on the bus"."""
    words, n = tokens.words, len(tokens.words)
    if k >= n or words[k] not in REPORTING or tokens.edge[k] >= QUESTION:
        return False
    who = words[k + 1 : k + 4]
    return "our" not in who and not OTHERS.isdisjoint(who)


def _after_others_quote(tokens: Tokens, p: int) -> bool:
    """Whether the quotation opening at word p carries on one just given to others
    ('"A miracle!" shouted the ad, "it fixes your knees!"'): the words before it, back to
    the last quotation's close, are such a verb-first attribution."""
    for k in range(p - 1, max(-1, p - 10), -1):
        if closes(seps(tokens, k)[1]):
            return k + 1 < p and _others_shout(tokens, k + 1)
    return False


def _item(tokens: Tokens, p: int) -> bool:
    """Whether word p opens an item of a list: on a new line, after a bullet or a colon, or after
    the item's number ("1. 'It glows.'")."""
    if p == 0:
        return True
    before = seps(tokens, p)[0]
    if "\n" in before or ":" in before or not _BULLETS.isdisjoint(before):
        return True
    k = p - 1
    return tokens.words[k].isdigit() and (k == 0 or "\n" in seps(tokens, k)[0])


def _disowns(tokens: Tokens, k: int) -> bool:
    """Whether the sentence opening at word k says the writer does not use the words:
    "We don't use it.", "We never say that." (but not "We don't use it lightly")."""
    words, negator, n = tokens.words, tokens.negator, len(tokens.words)
    if plain(words[k]) not in _USERS or k + 3 >= n or not negator[k + 1]:
        return False
    m = k + 2
    if m < n and words[m] in ("ever", "really"):
        m += 1
    if m >= n or words[m] not in _USING or m + 1 >= n or words[m + 1] not in _POINTING:
        return False
    end = sentence_bounds(tokens, m + 1)[1]
    return _NOT_DISOWNING.isdisjoint(words[m + 2 : end + 1])


_may: dict[str, bool] = {}  # sentence -> whether it holds a word of such a reading


def may_refute(tokens: Tokens) -> bool:
    """Whether some sentence of the listing holds a word that a reading above needs: one
    opening with a refuting word or "we"/"I", or one holding a myth or dismissing word.
    Each sentence is read once while kept; a listing read whole is read at once."""
    return any_piece(_may, tokens, _may_refute)


def _may_refute(own: Tokens) -> bool:
    return _cue(own.words) or may_correct(own) or may_refuse(own)


def _cue(words: list[str]) -> bool:
    if not words:
        return False
    first = plain(words[0])
    return (
        first in _REFUTING
        or tuple(map(plain, words)) in _SCOFFING
        or (first in _USERS and "use" in words[1:5])
        or not MYTHS.isdisjoint(words)
        or not DISMISSING.isdisjoint(words)
        or "opposite" in words
        or "otherwise" in words
        or (not _SCORES.isdisjoint(words) and not _LOSING.isdisjoint(words))
        or not _DEFINING.isdisjoint(words)
        or ("what" in words and not REPORTING.isdisjoint(words))
        or (not REPORTING.isdisjoint(words) and not OTHERS.isdisjoint(words))
        or (len(words) <= 6 and not NEXT_CUES.isdisjoint(words))
        or not _REWRITING.isdisjoint(words)
        or first in ("here", "ours")  # copy here set against words from elsewhere
        or (first == "our" and not OUR_COPY.isdisjoint(words[1:2]))
    )
