"""Whether words that match a rule are a claim: negation and questions, in both directions.

- A negator governs the rest of its clause (see ``negation``): a claim it governs is none.
- After the claim: an object that empties it ("cures nothing", "replaces no one").
- After the claim, a fresh "no more ..." phrase is no object: "heals carpal tunnel no more
  taping up" still heals.
- Questions (see ``questions``): a claim asked about is one only if the listing answers
  yes, or the question leaves a promise standing; nor is one asked in reported speech
  without a mark ("asking does it work instantly — no").
- Copy named as removed (see ``amended``): "we've dropped 'cures arthritis'".
- Rejected copy (see ``struck``): struck through, under an old label, in a list of what
  not to say or in a rewrite table's old column.
- Framing (see ``framing``): a claim named, reported of others, wished for, held as a
  condition, said of the other product, or taken back right after ("That was wrong").
"""

from __future__ import annotations

from catalogue.core.claims.amended import AMENDING, removed
from catalogue.core.claims.columns import others_cell
from catalogue.core.claims.compared import COMPARING, compared_other
from catalogue.core.claims.disowned import covered
from catalogue.core.claims.framing import (
    ASKING,
    CONDITIONS,
    ERRORS,
    LABELS,
    REPORTING,
    WISHING,
    asked,
    conditional,
    denied,
    reported,
    wished,
    withdrawn,
)
from catalogue.core.claims.hearsay import HEARSAY_CUES, endorsed, introduces, rebutted
from catalogue.core.claims.mentions import MENTIONS, mentioned
from catalogue.core.claims.negation import negated_words
from catalogue.core.claims.negators import plain
from catalogue.core.claims.pieces import remember
from catalogue.core.claims.questions import NEGATED_VERBS, NO_ANSWER, question_stands
from catalogue.core.claims.quizzes import judged_false
from catalogue.core.claims.quoted import refuted
from catalogue.core.claims.retold import RETELLING, banned, promised_then, told_elsewhere
from catalogue.core.claims.rulings import CUES as RULING
from catalogue.core.claims.rulings import ruled_out
from catalogue.core.claims.shows import about_work
from catalogue.core.claims.struck import struck
from catalogue.core.claims.titles import RARITIES, WORKS, item_name, titled
from catalogue.core.claims.tokens import CLAUSE, NONE, SENTENCE, Tokens, colon
from catalogue.core.claims.versions import CUES as VERSION_CUES
from catalogue.core.claims.versions import superseded

# a label's value that says it has none: "Glow: none", "| FDA approval | none |"
NONE_VALUES = NO_ANSWER | {"none", "zero", "nil"}
COPULAS = frozenset(
    ["is", "are", "was", "were", "isnt", "arent", "wasnt", "werent", "will", "wont"]
)
# What a listing calls a claim it quotes: "'instant fix' is a myth".
DISMISSALS = frozenset(
    "wrong myth misleading false nonsense untrue unrealistic hype exaggeration overstated"
    " overblown lie fiction marketing phrase term label buzzword slogan line".split()
)
EMPTY_OBJECTS = frozenset({"nothing", "none", "nobody", "noone"})


_COPULAS_OR_NEGATED = COPULAS | NEGATED_VERBS
_LABEL_MARKS = frozenset(":|")  # what parts a label from its value
# the words that let some test of ``holds`` fire; a listing with none of them skips them all
_CUE_WORDS = (
    MENTIONS
    | REPORTING
    | WISHING
    | CONDITIONS
    | COMPARING
    | ASKING
    | ERRORS
    | RETELLING
    | HEARSAY_CUES
    | WORKS
    | RARITIES
    | RULING
    | {"false"}
    | AMENDING
    | VERSION_CUES
    | {"still"}
)


_cues_kept: dict[str, frozenset[str]] = {}  # sentence -> its cue words, while kept


def _cue_words(tokens: Tokens) -> frozenset[str]:
    """The listing's words in ``_CUE_WORDS``, sentence by sentence, each sentence once while
    kept: a set of the whole listing's words costs more than a lookup per sentence."""
    pieces = tokens.pieces
    if len(pieces) <= 1:
        return _CUE_WORDS.intersection(tokens.words)
    out: frozenset[str] = frozenset()
    for n, (key, k, _) in enumerate(pieces):
        found = _cues_kept.get(key)
        if found is None:
            end = pieces[n + 1][1] if n + 1 < len(pieces) else len(tokens.words)
            found = _CUE_WORDS.intersection(tokens.words[k:end])
            remember(_cues_kept, key, found)
        if found:
            out |= found
    return out


def _no_more_fresh(tokens: Tokens, k: int) -> bool:
    """Whether the "no" at word k opens a fresh "no more ..." phrase after a claim rather
    than emptying it: "heals carpal tunnel no more taping up" (but "cures no more than a
    hot bath", and a bare "no more" at the clause's end, still empty it)."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    if k + 2 >= n or words[k + 1] != "more" or edge[k + 1] != NONE or edge[k + 2] != NONE:
        return False
    end = k + 2
    while end + 1 < n and edge[end + 1] < CLAUSE and end - k < 8:
        end += 1
    return "than" not in words[k + 2 : end + 1]


# what marks a thing as another than the product: "your old heating pad", "cheap lamps"
_OTHER_MARKS = frozenset("old older other previous former cheap cheaper rival".split())
_NOUN_REST = 2  # words of the claim's noun after its match: "scorching" + "heat"
_OTHER_DETERMINERS = frozenset("your the their a an those most many some".split())


def _what_other(tokens: Tokens, k: int) -> bool:
    """Whether the words from k, after a claim's noun, say it is what another thing gives:
    "is what your old heating pad gave you", "are what cheap lamps do" (not "is what this
    panel gives", "is what you'll feel from the old settings")."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    last = min(n - 1, k + _NOUN_REST)
    while k < last and edge[k] == NONE and words[k] not in COPULAS:
        k += 1  # the rest of the claim's noun: "scorching" + "heat"
    if k + 2 >= n or words[k] not in COPULAS or words[k + 1] != "what":
        return False
    m = k + 2
    while m < n and edge[m] == NONE and words[m] in _OTHER_DETERMINERS:
        m += 1
    return m < n and edge[m] == NONE and words[m] in _OTHER_MARKS


def holds(tokens: Tokens, i: int, j: int, negated: list[bool], deny: bool = True) -> bool:
    """Whether words i..j, matched by a rule, make a claim; ``deny=False`` leaves out the
    last test, a clause after the claim that denies it (``framing.denied``)."""
    if negated[i]:
        return False
    words, edge, negator = tokens.words, tokens.edge, tokens.negator
    if i < j and words[i] in LABELS and colon(tokens, i + 1):
        return False  # "Answer: HOT SPOT": a puzzle's label, no remedy for what follows
    n = len(words)
    nxt = j + 1
    if nxt < n:
        e = edge[nxt]
        if e == CLAUSE:
            if plain(words[nxt]) in NONE_VALUES and not _LABEL_MARKS.isdisjoint(
                tokens.text[tokens.end(j) : tokens.starts[nxt]]
            ):
                return False  # "FDA approval: no.", "| Glow | none |"
        elif e == NONE:
            w = plain(words[nxt])
            if w in EMPTY_OBJECTS or (
                words[nxt] == "no" and negator[nxt] and not _no_more_fresh(tokens, nxt)
            ):
                return False  # "cures nothing", "gives off no visible light"
            if w in COPULAS and nxt + 1 < n and edge[nxt + 1] == NONE and negator[nxt + 1]:
                return False  # "FDA approval is not something ..."
            if negator[nxt] and w in _COPULAS_OR_NEGATED:
                return False  # "Instant relief isn't ...", "intense heat doesn't help"
            if w in COPULAS and any(plain(x) in DISMISSALS for x in words[nxt + 1 : nxt + 5]):
                return False  # "'Instant fix' is the wrong way to think about it"
            if _what_other(tokens, nxt):
                return False  # "'Sharp heat' is what your old heating pad gave you"
    cues = tokens.cues  # each test runs only when its cue words are there
    if cues is None:
        tokens.cues = cues = _cue_words(tokens)
    if (tokens.questions or "still" in cues) and not question_stands(tokens, i, j):
        return False
    if cues:
        if not MENTIONS.isdisjoint(cues) and mentioned(tokens, i, j):
            return False
        if not REPORTING.isdisjoint(cues) and (
            (reported(tokens, i) and not endorsed(tokens, i, j))
            or told_elsewhere(tokens, i)
            or promised_then(tokens, i)
            or introduces(tokens, i)
        ):
            return False  # others' words; words from elsewhere; a promise made no more
        if not WISHING.isdisjoint(cues) and wished(tokens, i):
            return False
        if not CONDITIONS.isdisjoint(cues) and conditional(tokens, i, j):
            return False
        if not COMPARING.isdisjoint(cues) and compared_other(tokens, i):
            return False
        if not ASKING.isdisjoint(cues) and asked(tokens, i):
            return False
        if not ERRORS.isdisjoint(cues) and withdrawn(tokens, j):
            return False
        if not RETELLING.isdisjoint(cues) and banned(tokens, j):
            return False  # "heals/cures are banned"
        if not AMENDING.isdisjoint(cues) and removed(tokens, i, j):
            return False  # copy named as taken out: "we've dropped 'cures arthritis'"
        if not HEARSAY_CUES.isdisjoint(cues) and rebutted(tokens, i, j):
            return False  # someone else's words, answered no
        if not WORKS.isdisjoint(cues) and (titled(tokens, i) or about_work(tokens, i, j)):
            return False  # a film's or book's title, or its plot
        if not RARITIES.isdisjoint(cues) and item_name(tokens, i):
            return False  # a game item's name: "Ring of Slow Mending (Rare)"
        if "false" in cues and judged_false(tokens, i):
            return False  # "True or false: ... A: False!"
        if not RULING.isdisjoint(cues) and ruled_out(tokens, i, j):
            return False  # the claim at issue of a ruling, or a complainant's reading
        if not VERSION_CUES.isdisjoint(cues) and superseded(tokens, i):
            return False  # said of an earlier version that a later one replaced
    if tokens.blocks and covered(tokens, i, j):
        return False  # a list denied as a block, a fragment of what not to expect
    if tokens.quoted is not False and refuted(tokens, i, j):
        return False  # quoted, then refuted or dismissed
    if "|" in tokens.text and others_cell(tokens, i, j):
        return False  # said in a table's column of another product
    if struck(tokens, i, j):
        return False  # shown as rejected: struck through, old copy, a list of what not to say
    return not (deny and tokens.blocks and tokens.blocks[-1] > j and denied(tokens, j))


# Nouns that name words rather than use them: "claims of 'clinically proven' results".
__all__ = ["SENTENCE", "holds", "negated_words", "question_stands"]
