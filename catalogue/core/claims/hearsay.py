"""Claims told as someone else's words and then answered no: letters and replies, warnings
about other brands, an article's account of a dispute. And words reported as if another's
that are the seller's own after all (``endorsed``).

A claim is none when both hold:

- a verb of telling stands before it in its sentence, a few words back, and whoever tells
  is someone else: "my neighbour swears a mat will cure my gout", "a stallholder told me
  his lamp mends torn ligaments", "a competitor's leaflet says ...", "a complaint alleged
  that an old poster had called it ...". Not the writer ("I", "we"), not the product
  ("it"), and not buyers or reviewers: a buyer's word about this product is still a claim.
- a few dozen words on (the rest of its sentence, a question, a signature and a reply's
  greeting may stand between), a clause answers it no: a bare "No." or "No, ..."; a clause
  with a negator (or a refuting word: "false", "disputed", "invisible") that points back
  ("that", "such", "the phrase", "the claim") or repeats one of the claim's words ("it
  does not mend ligaments").
"""

from __future__ import annotations

from catalogue.core.claims.framing import OTHERS, REPORTING, WE
from catalogue.core.claims.lexicon import stem
from catalogue.core.claims.negators import plain
from catalogue.core.claims.pieces import any_piece
from catalogue.core.claims.quoted import opens, seps
from catalogue.core.claims.tokens import CLAUSE, COMMA, SENTENCE, Tokens

# verbs of telling beyond ``framing.REPORTING``: "swears", "told me", "alleged", "thinks"
# (not ``negators.TELLING``, the "no one tells you" words; ``disowned._TELLING`` is a
# shorter list of the same kind, kept apart because its readings were fitted to it)
HEARSAY_VERBS = REPORTING | frozenset(
    "swear swears swore sworn insist insists insisted allege alleges alleged told tells"
    " think thinks thought reckon reckons reckoned believe believes believed suggest"
    " suggested suggests assume assumes assumed printed stamped scrawled".split()
)
# words that bring in another's words by naming them, the teller after "from": "a quote
# from a parent: '...'", "a note from my aunt: '...'"
QUOTING_NOUNS = frozenset(
    "quote quotes comment comments note notes message letter email words".split()
)
HEARSAY_CUES = HEARSAY_VERBS | QUOTING_NOUNS
_TELL_REACH = 10  # words from the verb of telling back from the claim's first word
# who does not count as someone else: the writer, the product, buyers (testimony)
_OWN_TELLERS = frozenset(
    "i we us our ours it this customers customer users user buyers buyer reviewers reviewer"
    " clients client reviews review patients everyone".split()
)
_ANSWER_REACH = 60  # words after the claim in which the answer may stand
_BARE_NO = frozenset({"no", "nope", "nah"})
# words that refute by themselves in a clause that points back or repeats the claim
_REFUTING = frozenset(
    "false untrue wrong myth nonsense disputed dispute disputes denied denies dismissed"
    " rejected bogus".split()
)
# words that refute the claim on their own: the light it promised to show is not seen
_STANDALONE = frozenset({"invisible", "false", "untrue", "nonsense", "myth"})
_POINTING = frozenset(
    "that such phrase claim claims promise promises line wording phrasing words".split()
)
# what turns a negated clause into a boast: "you won't find that anywhere else"
_BOASTING = frozenset("else elsewhere anywhere enough lightly only better cheaper beat".split())
_SHORT = 4  # words under which a claim's word is too slight to repeat ("my", "the")


def told(tokens: Tokens, i: int) -> bool:
    """Whether a verb of telling, said by someone else, stands before word i (see above)."""
    words, edge = tokens.words, tokens.edge
    for v in range(i, max(-1, i - _TELL_REACH - 1), -1):
        if v < i and edge[v + 1] >= SENTENCE:
            return False
        if v < i and words[v] in QUOTING_NOUNS and words[v + 1] == "from":
            return _named_teller(tokens, v + 2, i)
        if words[v] in HEARSAY_VERBS and v < i:
            a = v
            while a > 0 and edge[a] < COMMA and v - a < 6:
                a -= 1
            teller = [plain(w) for w in words[a:v]]
            return (
                bool(teller)
                and _OWN_TELLERS.isdisjoint(_head(teller))
                and not standing(set(teller))
            )
    return False


def _named_teller(tokens: Tokens, a: int, i: int) -> bool:
    """Whether the words from word a, up to a clause's edge before the claim's first word i,
    name someone else: "a quote from an excited parent: 'It healed ...'" (not "from a
    customer", whose word about this product is still a claim)."""
    end = a
    while end < i and tokens.edge[end + 1] < CLAUSE:
        end += 1
    teller = [plain(w) for w in tokens.words[a : end + 1]]
    return end < i and bool(teller) and _OWN_TELLERS.isdisjoint(teller)


# what opens a named teller whose relative clause may hold the writer: "the seller we
# bought it from", "a man I met at the fair"
_NAMING = frozenset("the a an that his her their my your one some".split())
_RELATIVE = frozenset("we i who that whom".split())


def _head(teller: list[str]) -> list[str]:
    """The teller's own words: "the seller we bought it from" -> "the seller", whose clause
    "we bought it from" names the writer as the buyer, not the teller. Only a determiner and
    one or two words before "we", "I", "who" or "that" are cut so ("my husband and I" and
    "honestly I" stay whole)."""
    if teller[0] in _NAMING:
        for m in range(2, min(4, len(teller))):
            if teller[m] in _RELATIVE:
                if teller[m - 1] in ("and", "or", "nor"):
                    break
                return teller[:m]
    return teller


# what says the copy a filing reports is the listing's as it stands: "the page still says",
# "the listing, which Defendant continues to run, promises", "Defendant's live listing calls"
_LIVE = frozenset("still live current currently continues continue".split())
_LIVE_COPY = frozenset(
    "listing listings page pages site website ad ads label labels copy packaging box"
    " description banner".split()
)
# what a confirming "still" says of the words after the claim: "It still says that.",
# "Yes, that's still there."
_STILL_AFTER = REPORTING | frozenset("there up live stands runs reads".split())
_CONFIRMING = frozenset("it that that's thats they those this yes".split())


def standing(teller: set[str]) -> bool:
    """Whether the words before a verb of telling name the listing as it stands (above)."""
    return not _LIVE.isdisjoint(teller) and not _LIVE_COPY.isdisjoint(teller)


def _still_there(tokens: Tokens, j: int, end: int) -> bool:
    """Whether a clause between the claim ending at word j and word end confirms it still
    stands: "It still says that.", "Yes, that's still there." (not "it doesn't still")."""
    words, edge, negator = tokens.words, tokens.edge, tokens.negator
    for k in range(j + 1, min(end, len(words) - 1)):
        if words[k] != "still" or words[k + 1] not in _STILL_AFTER or edge[k + 1] >= COMMA:
            continue
        a = k
        while a > j + 1 and edge[a] < COMMA:
            a -= 1
        if plain(words[a]) in _CONFIRMING and not any(negator[a:k]):
            return True
    return False


def introduces(tokens: Tokens, i: int) -> bool:
    """Whether the claim's first word i is a verb of telling that only brings in the
    listing's copy, quoted right after it: "The listing, which Defendant still runs,
    promises '...'" (the quoted words are read as claims of their own; "we promise '...'"
    is the writer's promise)."""
    words, edge = tokens.words, tokens.edge
    if words[i] not in REPORTING or i + 1 >= len(words) or not opens(seps(tokens, i + 1)[0]):
        return False
    back: set[str] = set()
    k = i - 1
    while k >= 0 and i - k <= _TELL_REACH and edge[k + 1] < CLAUSE:
        back.add(plain(words[k]))
        k -= 1
    return WE.isdisjoint(back) and not (_LIVE_COPY | OTHERS).isdisjoint(back)


def answered_no(tokens: Tokens, i: int, j: int) -> bool:
    """Whether a clause after the claim on words i..j answers it no (see above)."""
    words, edge, negator = tokens.words, tokens.edge, tokens.negator
    n = len(words)
    own = {stem(w) for w in map(plain, words[i : j + 1]) if len(w) >= _SHORT}
    k = j + 1
    last = min(n, j + 1 + _ANSWER_REACH)
    while k < last:
        if edge[k] < COMMA and k > j + 1:
            k += 1
            continue
        end = k  # a clause from word k
        while end + 1 < n and edge[end + 1] < COMMA:
            end += 1
        clause = [plain(w) for w in words[k : end + 1]]
        if clause[0] in _BARE_NO and end == k:
            return True  # "No.", "Reply: No, and ..."
        if not _STANDALONE.isdisjoint(clause):
            return True
        answering = any(negator[k : end + 1]) or not _REFUTING.isdisjoint(clause)
        if (
            answering
            and _BOASTING.isdisjoint(clause)
            and (not _POINTING.isdisjoint(clause) or not own.isdisjoint(map(stem, clause)))
        ):
            return True
        k = end + 1
    return False


def rebutted(tokens: Tokens, i: int, j: int) -> bool:
    """Whether the claim on words i..j is someone else's, then answered no."""
    return told(tokens, i) and answered_no(tokens, i, j)


# the seller's own voices, reporting for it: "our brand team calls it", "my ads say"
_OWN_VOICES = frozenset(
    "brand brands ad ads advert adverts listing listings website websites marketers marketing"
    " team copy".split()
)
_OWNING = frozenset({"our", "my"})
_STAND = frozenset({"stand", "stands"})
_STAND_REACH = 3  # words from "we"/"I" to "stand by": "we still fully stand by"
# what is stood by points back to the words: "that message", "it", "every word"
_STOOD_BY = frozenset("that this it those them these every each what all".split())


def endorsed(tokens: Tokens, i: int, j: int) -> bool:
    """Whether the claim on words i..j, reported as others' words (``framing.reported``), is
    the seller's own: the reporter is its own voice ("our brand team calls it ...", "our ads
    say ...") or the writer stands by it after, in this sentence or the next ("the ads say
    it ... We stand by that message"; "we don't stand by it" does not)."""
    words, edge, negator = tokens.words, tokens.edge, tokens.negator
    n = len(words)
    for v in range(i, max(-1, i - _TELL_REACH - 1), -1):
        if words[v] in REPORTING:
            back = set(words[max(0, v - 3) : v])
            if not _OWNING.isdisjoint(back) and not _OWN_VOICES.isdisjoint(back):
                return True
            a = v
            while a > 0 and edge[a] < COMMA and v - a < 5:
                a -= 1
            if standing({plain(w) for w in words[a:v]}):
                return True  # "the listing still says ...", "its live page calls it ..."
            break
    end, seen = j + 1, 0
    while end < n and seen < 2:
        seen += edge[end] >= SENTENCE
        end += 1
    if _still_there(tokens, j, end):
        return True
    for k in range(j + 1, min(end, n)):
        if words[k] not in ("we", "i"):
            continue
        for m in range(k + 1, min(k + 1 + _STAND_REACH, n - 1)):
            if negator[m] or edge[m] >= COMMA:
                break
            if (
                words[m] in _STAND
                and words[m + 1] in ("by", "behind")
                and m + 2 < n
                and words[m + 2] in _STOOD_BY
            ):
                return True
    return False


def may_tell(own: Tokens) -> bool:
    """Whether a sentence (its own tokens) holds a verb of telling."""
    return not HEARSAY_CUES.isdisjoint(own.words)


def may_answer(own: Tokens) -> bool:
    """Whether a sentence (its own tokens) holds a negator or a refuting word."""
    return any(own.negator) or not (_REFUTING | _STANDALONE).isdisjoint(own.words)


_told: dict[str, bool] = {}  # sentence -> whether ``may_tell`` holds, while kept
_answers: dict[str, bool] = {}  # sentence -> whether ``may_answer`` holds, while kept


def may_rebut(tokens: Tokens) -> bool:
    """Whether the listing holds a verb of telling and a negator or refuting word: such a
    listing is read whole (see ``disowned.may_deny``), the answer reading later sentences."""
    return any_piece(_told, tokens, may_tell) and any_piece(_answers, tokens, may_answer)
