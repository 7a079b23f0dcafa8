"""Sentences and segments of a listing's words: where a frame may join words.

A frame joins words of one segment: segments break at clause and sentence edges, except
where a question meets its short answer, a short fragment its neighbour, or a short head
its dash; an answer's label ("A:") never cuts it off, nor the colon after a one-word
heading ("Heat: ...").
"""

from __future__ import annotations

import re

from catalogue.core.claims.framing import LABELS
from catalogue.core.claims.tokens import (
    CLAUSE,
    COMMA,
    QUESTION,
    SENTENCE,
    SHORT_ANSWER,
    SHORT_FRAGMENT,
    Tokens,
    colon,
)


def sentence_bounds(tokens: Tokens, i: int) -> tuple[int, int]:
    """First and last word index of the sentence holding word i."""
    edge, n = tokens.edge, len(tokens.words)
    a = i
    while a > 0 and edge[a] < SENTENCE:
        a -= 1
    b = i
    while b + 1 < n and edge[b + 1] < SENTENCE:
        b += 1
    return a, b


_DASHES = frozenset("-\u2013\u2014")


def _dash(tokens: Tokens, i: int) -> bool:
    """Whether the clause edge before word i is a dash."""
    return not _DASHES.isdisjoint(tokens.text[tokens.end(i - 1) : tokens.starts[i]])


_PRODUCT = frozenset({"this", "these", "our", "now"})


def _verdict(tokens: Tokens, i: int, short: int) -> bool:
    """Whether the clause edge before word i is a colon, an opening bracket or a table's
    cell border and what follows is a short verdict or aside ("Tennis elbow: sorted in a
    fortnight.", "Proven results (clinical study, 2023)", "| Results | guaranteed |"), not
    a clause of its own."""
    between = tokens.text[tokens.end(i - 1) : tokens.starts[i]]
    if ":" not in between and "(" not in between and "|" not in between:
        return False
    edge, n = tokens.edge, len(tokens.words)
    k = i + 1
    while k < n and edge[k] < CLAUSE:
        k += 1
    return k - i <= short


_DASH_TAIL = 2  # words: "... melt the knots in your back - instantly." runs on over its dash


def _tail(tokens: Tokens, i: int) -> int:
    """How many words the clause starting at word i holds, up to one more than ``_DASH_TAIL``;
    only a clause that ends the sentence counts (else one more is returned)."""
    edge, n = tokens.edge, len(tokens.words)
    k = i + 1
    while k < n and edge[k] < CLAUSE and k - i <= _DASH_TAIL:
        k += 1
    if k < n and edge[k] < SENTENCE:
        return _DASH_TAIL + 1
    return k - i


def _semicolon(tokens: Tokens, i: int) -> bool:
    """Whether the clause edge before word i is a semicolon or a dash and the clause after
    it names the product, or "now", near its start: that half often points back to the
    first ("tendinitis for a year; with this it was gone", "I used to see my chiropractor;
    now that money goes on holidays", "my shoulder seized up - this wrap sorted it"), while
    "...; my physio sorted it" credits someone else."""
    between = tokens.text[tokens.end(i - 1) : tokens.starts[i]]
    if ";" not in between and _DASHES.isdisjoint(between):
        return False
    edge, words = tokens.edge, tokens.words
    k = i
    while k < len(words) and k - i < 5 and (k == i or edge[k] < COMMA):
        if words[k] in _PRODUCT:
            return True
        k += 1
    return False


def _line_dash(tokens: Tokens, i: int) -> bool:
    """Whether the sentence edge before word i is only a dash ending a line (verse, a
    caption): the line after runs on from it as after a dash within a line."""
    between = tokens.text[tokens.end(i - 1) : tokens.starts[i]]
    head, _, tail = between.partition("\n")
    return not _DASHES.isdisjoint(head) and not head.strip(" \t\u2013\u2014-") and not tail.strip()


# words no line of verse or caption ends on when its sentence goes on
_RUN_ON = frozenset("and then but or so the a an with of to his her my your our their its".split())


def _runs_on(tokens: Tokens, i: int) -> bool:
    """Whether the sentence edge before word i is a bare line break after a word no
    sentence ends on ("one session, and then / his hip healed"): the line runs on."""
    between = tokens.text[tokens.end(i - 1) : tokens.starts[i]]
    return "\n" in between and not between.strip(" \t\n,") and tokens.words[i - 1] in _RUN_ON


def _label(tokens: Tokens, i: int) -> bool:
    """Whether the clause edge before word i only closes a label heading its sentence
    ("A: Just one is usually enough."): the answer runs on from its label."""
    return (i == 1 or tokens.edge[i - 1] >= SENTENCE) and tokens.words[i - 1] in LABELS


def _heading(tokens: Tokens, i: int) -> bool:
    """Whether the clause edge before word i is a colon after one word heading its sentence,
    a spec line's name ("Heat: sharp, deep and relentless"): what follows describes it,
    however long it runs."""
    between = tokens.text[tokens.end(i - 1) : tokens.starts[i]]
    return ":" in between and (i == 1 or tokens.edge[i - 1] >= SENTENCE)


def _rows(tokens: Tokens, i: int) -> bool:
    """Whether the sentence edge before word i parts two rows of a table ("| Warranty |
    2 years |" then "| Results | vary |"): a short row is no fragment of the next."""
    between = tokens.text[tokens.end(i - 1) : tokens.starts[i]]
    return "|" in between and "\n" in between


# a field's label opening a line of a form: "Recipient:", "Total value:" (up to three words)
_FIELD = re.compile(r"[ \t]*[a-z][\w'&/-]*(?: [\w'&/-]+){0,2}[ \t]*:")


def _fields(tokens: Tokens, i: int) -> bool:
    """Whether the sentence edge before word i is a line break between two fields of a form
    ("Sender: Brightwell Trading, Ningbo" / "Recipient: Northside Clinic"): the line before
    holds a label's colon and this one opens with a label of its own (not an answer's, see
    ``LABELS``), so a short value is no fragment of the next field."""
    text, start = tokens.text, tokens.starts[i]
    line = text.rfind("\n", 0, start)
    if line < 0 or text[tokens.end(i - 1) : start].strip(" \t\n"):
        return False
    m = _FIELD.match(text, line + 1)
    if m is None or tokens.words[i] in LABELS:
        return False
    return ":" in text[text.rfind("\n", 0, line) + 1 : line]


_LEAD_IN = 6  # words: "Her verdict in the pull quote: ..." leads in to a short answer


def _lead_in(tokens: Tokens, a: int, end: int, answer: int) -> int:
    """The word after the colon when the sentence on words a..end-1, after a short question,
    is a lead-in of at most ``_LEAD_IN`` words, a colon and a short answer ("Plantar
    fasciitis? Her verdict: 'Cleared it up for good.'"); else -1."""
    edge = tokens.edge
    for k in range(a + 1, min(end, a + _LEAD_IN + 1)):
        if edge[k] >= CLAUSE:
            between = tokens.text[tokens.end(k - 1) : tokens.starts[k]]
            return k if ":" in between and end - k <= answer else -1
    return -1


def segments(tokens: Tokens, short: int = SHORT_FRAGMENT, answer: int = SHORT_ANSWER) -> list[int]:
    """Frame segment of each word: frames match inside one segment.

    Segments break at clause and sentence edges, except that a question followed by a
    short answer, and a fragment of at most ``short`` words and the sentence after it,
    stay together ("Relief? Right away." / "One session. No more pain."). A sentence's
    words after its last colon count as its fragment ("Club captain, after the final:
    'One session. That was all it took.'"; see ``tokens.colon``).
    """
    edge, n = tokens.edge, len(tokens.words)
    lengths: list[int] = []  # words per sentence, in order
    starts = [i for i in range(n) if i == 0 or edge[i] >= SENTENCE]
    for k, s in enumerate(starts):
        lengths.append((starts[k + 1] if k + 1 < len(starts) else n) - s)
    seg = [0] * n
    current, sentence, head, bridge = 0, -1, 0, -1
    spoken = 0  # where the words after the sentence's last colon start (see ``tokens.colon``)
    for i in range(n):
        e = edge[i]
        if i and e >= SENTENCE:
            sentence += 1
            before, after = i - spoken, lengths[sentence]
            joined = (
                (e == QUESTION and after <= answer)
                or (min(before, after) <= short and not _rows(tokens, i) and not _fields(tokens, i))
                or (_line_dash(tokens, i) and _semicolon(tokens, i))
                or _runs_on(tokens, i)
            )
            if e == QUESTION and after > answer and before <= short:
                bridge = _lead_in(tokens, i, i + after, answer)  # joined: before is short
            if not joined:
                current += 1
        elif i == bridge:
            pass  # the colon after a short lead-in to a question's answer
        elif (
            i
            and e == CLAUSE
            and not (i - head <= short and (_dash(tokens, i) or _verdict(tokens, i, short)))
            and not (_dash(tokens, i) and _tail(tokens, i) <= _DASH_TAIL)
            and not _semicolon(tokens, i)
            and not _label(tokens, i)
            and not _heading(tokens, i)
        ):
            current += 1  # a short head before a dash stays with what follows: "Pain - gone."
        elif i == 0:
            sentence = 0
        seg[i] = current
        if e >= CLAUSE:
            head = i  # where the words before the next dash start
        if i == 0 or e >= SENTENCE or (e == CLAUSE and colon(tokens, i)):
            spoken = i
    return seg


def content_start(tokens: Tokens, a: int, b: int) -> int:
    """Skip a leading "Q:" / "A:" label, and a short aside after it in brackets or after
    a dash up to its colon ("A (verified owner): Yes, it does", "A - seller: Yes")."""
    if a < b and tokens.words[a] in LABELS and tokens.edge[a + 1] >= COMMA:
        text, starts, edge = tokens.text, tokens.starts, tokens.edge
        opened = text[tokens.end(a) : starts[a + 1]]
        if ":" not in opened and not _ASIDE_OPENERS.isdisjoint(opened):
            for k in range(a + 2, min(b, a + _ASIDE_WORDS + 1) + 1):
                if edge[k] >= CLAUSE:
                    gap = text[tokens.end(k - 1) : starts[k]]
                    closed = (")" if "(" in opened else ":") in gap
                    return k if closed else a + 1
        return a + 1
    return a


_ASIDE_OPENERS = frozenset("(-\u2013\u2014")
_ASIDE_WORDS = 4  # the words an aside after a label may hold: "(verified owner)"
