"""Copy an amended listing says it took out: the words it names as removed are no claim.

A listing amended after a ruling or a complaint often names the words it had to remove;
those words are no claim, the rest of the listing still is ("We dropped 'pain-free for
life'. The pad eases stiffness in seconds." still promises seconds). Words are named as
removed when they are:

- quoted, the object of a verb of removing a few words before them whose subject is the
  writer, or none ("asked us to delete '...'", a bulleted "- cut '...'"): "we struck the
  phrase '...'", "we've pulled '...' from the tagline", "we have taken out '...'", "we took
  the '...' sticker down", the first of "we swapped '...' for '...'", and each of a list
  ("the words '...' and '...'"); not a quotation that qualifies a noun after it ("we
  removed the 'stubborn' knots");
- quoted after a participle of removing ("our (since retired) '...' slogan") or a label
  of it at a clause's start ("Gone: '...'", "Removed: '...'");
- quoted, then said to be gone later in their sentence: "'...' is gone", "'...'; that
  line's gone" (``retold.refused`` reads "was removed", "got pulled");
- unquoted, after such a verb and a noun of copy: "we deleted every mention of ...",
  "we cut the claim that ..."; or after "stop" and a verb of calling: "we were told to
  stop calling the wrap a ...".

- quoted, then taken out by the writer or the seller pointing back, in the rest of the
  sentence or the two after: "..., but we took it down", "Defendant deleted that
  sentence"; or added to copy said gone: "the '...' badge is gone, along with the '...'
  banner".

Not when a negator stands between the verb and its clause's start ("we never dropped
'...'"). Every reading but the pointing back stays in the claim's sentence, so a kept
sentence reads the same in any listing; a listing that may point back is read whole
(``may_take_down``). ``scope.holds`` asks ``removed`` when the listing holds a word of
``AMENDING``.
"""

from __future__ import annotations

from catalogue.core.claims.framing import CLAIM_NOUNS
from catalogue.core.claims.quoted import closes, has_quotes, opens, quotation, seps
from catalogue.core.claims.retold import POINTING, REMOVAL, WORDS_NAMED
from catalogue.core.claims.sentences import sentence_bounds
from catalogue.core.claims.tokens import CLAUSE, COMMA, NONE, SENTENCE, Tokens

# verbs of removing copy beyond ``retold.REMOVAL`` (what a team refuses, deletes or pulls)
_REMOVING = REMOVAL | frozenset(
    "removes drop drops dropping pull pulling withdraw withdrew withdrawn withdrawing retire"
    " retiring"
    " replace replaced replacing swap swapped swapping scrapped axe axed".split()
)
# verbs that remove only with a particle: "taken out", "took ... down"
_TAKING = frozenset("take takes took taken taking".split())
_PARTICLES = frozenset({"out", "down", "off"})
_STOPPING = frozenset("stop stopped stopping quit cease ceased".split())
_CALLING = frozenset(
    "calling call describing describe saying say claiming claim promising promise"
    " advertising advertise marketing labelling labeling billing branding touting".split()
)
_GONE = frozenset({"gone"})
# verbs that change copy from old words to new: "changed the tooltip from '...' to '...'"
_CHANGING = frozenset(
    "change changed changes changing reword reworded rewording edit edited editing rename"
    " renamed renaming amend amended amending alter altered altering update updated"
    " updating".split()
)
_INTO = frozenset({"to", "into"})
# what may name removed copy as a label at a clause's start: "Gone: '...'"
_LABELS = frozenset(
    "gone removed deleted dropped cut struck scrapped withdrawn retired out".split()
)
_NOTED = _LABELS - {"out"}  # a note's participles: "tooltip '...' removed."
AMENDING = _REMOVING | _TAKING | _STOPPING | _GONE | _LABELS | _CHANGING

# nouns of copy: "the phrase", "every reference to", "the ... badge"
_COPY = (
    CLAIM_NOUNS
    | WORDS_NAMED
    | frozenset(
        "wording tagline taglines slogan slogans headline headlines badge badges sticker"
        " stickers label labels banner banners term terms reference references mention"
        " mentions statement statements copy sentence sentences text texts tooltip tooltips"
        " caption captions blurb blurbs".split()
    )
)
_CONNECTORS = frozenset("to of about that".split())  # "reference to", "the claim that"
_DETERMINERS = frozenset(
    "the our a an its their this that those these every all any each both".split()
)
_ADVERBS = frozenset(
    "now since also already just finally quietly recently long permanently".split()
)
_REFUSING = frozenset("refuse refuses refused decline declines declined reluctant".split())
_OLD = frozenset("old former original earlier previous".split())
_JOINERS = frozenset({"and", "or"})
_FILLERS = _DETERMINERS | _COPY | _OLD | _ADVERBS | _JOINERS
# who may take the copy out, or what may stand before the verb: the writer, an auxiliary,
# "to" ("asked us to remove"), the seller a filing names ("Defendant deleted", "your company
# removed")
_WRITERS = frozenset(
    "we i they we've weve i've ive they've theyve we'd i'd have has had was were been be"
    " being is are got get to defendant defendants company seller brand manufacturer"
    " client firm".split()
)
# what may follow a removed quotation: its clause's edge, a noun of copy, a particle, or
# the words that tell where from, what with or why
_AFTER = (
    _COPY
    | _PARTICLES
    | frozenset("from with for and or as at after because per last in on yesterday earlier".split())
)
_LEAD = 3  # words between an unquoted connector and the claim: "the claim that our belt ..."
_REACH = 6  # words from a verb of removing to the quotation (or the claim)
_CALL_REACH = 10  # words from a verb of calling to the claim: "stop calling the X pad a ..."


def _participle(w: str) -> bool:
    return w.endswith(("ed", "en", "wn")) or w in ("cut", "struck")


def _by_writer(tokens: Tokens, v: int, a: int) -> bool:
    """Whether the verb of removing at word v is the writer's (or the clause's first word,
    or an attributive participle: "our retired ..."), with no negator before it in its
    clause."""
    words, edge, negator = tokens.words, tokens.edge, tokens.negator
    k = v - 1
    while k >= a and edge[k + 1] < COMMA and words[k] in _ADVERBS:
        k -= 1
    if k < a or edge[k + 1] >= COMMA:
        return True
    w = words[k]
    if negator[k]:
        return False
    if w in _DETERMINERS:
        return _participle(words[v])
    if w not in _WRITERS:
        return False
    while k >= a and edge[k + 1] < COMMA:  # no negator back to the clause's start
        if negator[k] or words[k] in _REFUSING:
            return False  # "we did not remove", "we refused to drop"
        k -= 1
    return True


def _verb_before(tokens: Tokens, p: int, a: int) -> int:
    """The verb of removing that takes the quotation opening at word p (see the module's
    text), looking back over copy nouns, determiners and earlier quotations of a list;
    else -1."""
    words, edge = tokens.words, tokens.edge
    k, last, steps = p - 1, p, 0  # ``last``: the word walked past last
    while k >= a and steps < _REACH:
        sep = seps(tokens, k + 1)[0]
        if edge[k + 1] >= CLAUSE and not sep.strip(_SPACES_AND_QUOTES).startswith(")"):
            return -1  # a clause's edge, but for a bracket closing round a participle
        w = words[k]
        if closes(sep):  # an earlier quotation ends at word k: only as an item of a list
            if not (words[last] in _JOINERS or (last == p and "," in sep)):
                return -1
            while k > a and not opens(seps(tokens, k)[0]):
                k -= 1
        elif w in _REMOVING or w in _TAKING:
            return k
        elif w in _PARTICLES and k > a and words[k - 1] in _TAKING:
            return k - 1
        elif w in _JOINERS:
            if not closes(seps(tokens, k)[0]):
                return -1  # "and" joins only quotations: "the words '...' and '...'"
        elif w not in _FILLERS and not (w in _CONNECTORS and k > a and words[k - 1] in _COPY):
            return -1
        last = k
        k -= 1
        steps += 1
    return -1


_SPACES_AND_QUOTES = " \t'\"\u2018\u2019\u201c\u201d"


def _quoted_removed(tokens: Tokens, i: int, j: int, a: int, b: int) -> bool:
    """Whether the claim on words i..j ends in a quotation named as removed."""
    span = quotation(tokens, j, j, a, b) or quotation(tokens, i, i, a, b)
    if span is None:  # (a match may run on past its quotation: 'arthritis" is gone')
        return False
    p, q = span
    words, edge = tokens.words, tokens.edge
    if i >= p and (
        _labelled(tokens, p, a)
        or _gone_after(tokens, q, b)
        or _along_gone(tokens, p, a)
        or _taken_down(tokens, q)
    ):
        return True  # "Gone: '...'", "'...' is gone", "... we took it down"
    c = _changed_from(tokens, p, q, a, b)
    if c >= 0 and i >= c:
        return True  # "changed tooltip from '...' to '...'"
    v = _verb_before(tokens, p, a)
    if v < 0 or i < v or not _by_writer(tokens, v, a):
        return False
    nxt = q + 1
    if nxt <= b and edge[nxt] < COMMA and words[nxt] not in _AFTER:
        return False  # the quotation qualifies a noun: "removed the 'stubborn' knots"
    if words[v] in _TAKING:  # "took the '...' badge down": its particle after
        return words[v + 1] in _PARTICLES or any(
            words[m] in _PARTICLES for m in range(nxt, min(b, q + 3) + 1)
        )
    return True


def _changed_from(tokens: Tokens, p: int, q: int, a: int, b: int) -> int:
    """The verb of changing copy (the writer's) whose old words are the quotation on words
    p..q, the new ones following "to": "changed the tooltip from '...' to '...'", "reworded
    '...' into '...'" (not the new words, nor "changed the wrap from 850 to '...'"); else -1."""
    words, edge = tokens.words, tokens.edge
    if q + 1 > b or edge[q + 1] >= COMMA or words[q + 1] not in _INTO:
        return -1
    k = p - 1
    if k >= a and words[k] == "from" and edge[p] < CLAUSE:
        k -= 1
    for _ in range(_REACH):
        if k < a or edge[k + 1] >= CLAUSE:
            return -1
        w = words[k]
        if w in _CHANGING:
            return k if _by_writer(tokens, k, a) else -1
        if w not in _FILLERS:
            return -1
        k -= 1
    return -1


def _labelled(tokens: Tokens, p: int, a: int) -> bool:
    """Whether the quotation opening at word p follows a label of removed copy opening its
    clause: "Gone: '...'", "Removed: '...'"."""
    k = p - 1
    return (
        k >= a
        and tokens.words[k] in _LABELS
        and ":" in seps(tokens, p)[0]
        and (k == a or tokens.edge[k] >= CLAUSE)
    )


def _gone_after(tokens: Tokens, q: int, b: int) -> bool:
    """Whether, later in its sentence, the quotation ending at word q is said to be gone:
    "'...' is gone", "...; that line's gone", with no other quotation opening between; or,
    as a note's line, removed: "tooltip '...' removed.", "'...' line cut in this build"."""
    words, edge = tokens.words, tokens.edge
    for k in range(q + 1, b + 1):
        if opens(seps(tokens, k)[0]):
            return False
        w = words[k]
        if w not in _GONE and (
            w not in _NOTED or (k < b and edge[k + 1] < COMMA and words[k + 1] not in _AFTER)
        ):
            continue  # a participle only at its clause's end or before where or why
        s = k - 1
        while s > q and words[s] in ("is", "are", "was", "were", "been", "has", "now"):
            s -= 1
        w = words[s]
        if s == q or w in _COPY or w in ("it's", "that's", "its", "thats", "it", "that"):
            return True
        if w.endswith("'s") and w[:-2] in _COPY:
            return True  # "that line's gone"
    return False


def _along_gone(tokens: Tokens, p: int, a: int) -> bool:
    """Whether the quotation opening at word p is added to copy said gone before it in its
    sentence: "the '...' badge is gone, along with the '...' banner"."""
    words = tokens.words
    k = p - 1
    while k > a and words[k] in _DETERMINERS:
        k -= 1
    joined = (k - 1 >= a and words[k] == "with" and words[k - 1] in ("along", "together")) or (
        k - 2 >= a and words[k - 2 : k + 1] == ["as", "well", "as"]
    )
    return joined and any(w in _GONE for w in words[a:k])


# verbs that take out copy pointed back to by a bare pronoun: "we deleted it", "pulled that"
_ERASING = frozenset(
    "delete deletes deleted remove removes removed withdraw withdrew withdrawn pull pulled"
    " scrap scrapped strike struck".split()
)
_DOWN_REACH = 40  # words after a quotation in which the writer may say it took it down
_DOWN_SENTENCES = 2  # sentences after the quotation's own that may say so


def _taken_down(tokens: Tokens, q: int) -> bool:
    """Whether, after the quotation ending at word q (the rest of its sentence and the two
    after it, no other quotation opening between), the writer or the seller takes it out,
    pointing back: "but we took it down", "Defendant deleted that sentence" (not "we never
    took that down")."""
    words, edge = tokens.words, tokens.edge
    n, seen = len(words), 0
    for k in range(q + 1, min(n - 1, q + 1 + _DOWN_REACH)):
        seen += edge[k] >= SENTENCE
        if seen > _DOWN_SENTENCES or opens(seps(tokens, k)[0]):
            return False
        w = words[k]
        if w not in _REMOVING and w not in _TAKING:
            continue
        m, down = k + 1, False
        if w in _TAKING and words[m] in _PARTICLES and m + 1 < n:
            m, down = m + 1, True  # "took down that line"
        if words[m] not in POINTING or edge[m] >= COMMA:
            continue
        end = m + 1 if m + 1 < n and words[m + 1] in _COPY and edge[m + 1] == NONE else m
        if w in _TAKING:
            down = down or any(
                words[x] in _PARTICLES and edge[x] == NONE for x in range(end + 1, min(n, end + 3))
            )
            if not down:
                continue
        elif end == m and w not in _ERASING:
            continue
        nxt = end + 1
        if nxt < n and edge[nxt] < COMMA and words[nxt] not in _AFTER:
            continue  # "we pulled it closer": moved, not taken out
        a = sentence_bounds(tokens, k)[0]
        if k > a and edge[k] < COMMA and _by_writer(tokens, k, a):
            return True  # a subject before the verb: not "pull it over your back"
    return False


def may_take_down(own: Tokens) -> bool:
    """Whether a sentence (its own tokens) holds a verb of removing with a word pointing
    back after it, as ``_taken_down`` reads: a listing holding one is read whole (see
    ``disowned.may_deny``), that reading crossing sentences."""
    words = own.words
    return any(
        (w in _REMOVING or w in _TAKING) and not POINTING.isdisjoint(words[k + 1 : k + 3])
        for k, w in enumerate(words)
    )


def _named_removed(tokens: Tokens, i: int, a: int) -> bool:
    """Whether the unquoted claim opening at word i follows a verb of removing and a noun
    of copy ("we deleted every mention of ..."), or "stop" and a verb of calling."""
    words, edge = tokens.words, tokens.edge
    for c in range(i - 1, max(a, i - _CALL_REACH) - 1, -1):
        if edge[c + 1] >= COMMA:
            return False
        w = words[c]
        if w in _CALLING and c > a and words[c - 1] in _STOPPING:
            return _by_writer(tokens, c - 1, a)
        if i - c <= _LEAD + 1 and w in _CONNECTORS and c > a and words[c - 1] in _COPY:
            k = c - 2
            while k >= a and edge[k + 1] < COMMA and words[k] in _DETERMINERS:
                k -= 1
            if k < a or edge[k + 1] >= COMMA:
                return False
            if words[k] in _PARTICLES and k > a and words[k - 1] in _TAKING:
                k -= 1
            return words[k] in _REMOVING | _TAKING and _by_writer(tokens, k, a)
    return False


def removed(tokens: Tokens, i: int, j: int) -> bool:
    """Whether the claim on words i..j is copy the listing names as removed (see the
    module's text)."""
    a, b = sentence_bounds(tokens, i)
    if j > b:
        return False
    if _named_removed(tokens, i, a):
        return True
    return has_quotes(tokens) and _quoted_removed(tokens, i, j, a, b)
