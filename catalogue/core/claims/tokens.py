"""A listing as words with offsets, the edges between them, and the words that negate.

Works on the same-length matching copy (``text.matching_text``), so every word's offsets
are offsets into the original description. Hashtags are split at their capitals using the
original ("#ByeByePainkillers" -> bye, bye, painkillers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate
from typing import cast

from catalogue.core.claims.negators import (
    BEYOND,
    BEYOND_AT,
    BLOCK_WORDS,
    CONTRASTS,
    NEG_MARKS,
    NEGATOR_PAIRS,
    NEGATORS,
    PSEUDO,
    WAITED_FOR,
    ZERO,
    ZERO_COUNTED,
    ZERO_VERBS,
    candour,
    plain,
)
from catalogue.core.claims.pieces import PIECES_KEPT, Piece, kept_pieces, piece_key, remember

# Edge before a word: how strongly it is cut off from the word before it.
NONE, COMMA, CLAUSE, SENTENCE, QUESTION = 0, 1, 2, 3, 4

_EDGE_MARKS = "\u2705\u2714\u2022\u25aa\u25cf\u2023\u2043"  # ticks and bullets open a clause
# Splitting on words (captured) leaves the separators between them in the odd slots.
_SPLIT = re.compile(rf"([0-9a-z\u00df-\u024f]++(?:['.,][0-9a-z\u00df-\u024f]++)*+|[{NEG_MARKS}])")
_EDGES = {
    ".": SENTENCE,
    "!": SENTENCE,
    "\n": SENTENCE,
    "\r": SENTENCE,
    "?": QUESTION,
    ",": COMMA,
}
_CLAUSE_MARKS = frozenset(";:()[]|#\u2013\u2014" + _EDGE_MARKS)
# "#FDAapproved": capitals running into lower case cannot be split without a dictionary
# ("FD" + "Aapproved"?), so such a tag stays one word and is read as a run-together phrase.
# A one-letter word between two capitalised ones ("#MiracleInABox") is no such run.
_RUN_INTO_LOWER = re.compile(r"(?<![a-z])[A-Z]{2}[a-z]|(?<=[a-z])(?![AI][A-Z][a-z])[A-Z]{2}[a-z]")
_CAMEL = re.compile(r"[A-Z][a-z]+|[a-z]+|[A-Z]+(?![a-z])|\d+")


@dataclass(slots=True)
class Tokens:
    """Words of one listing: ``words[i]`` spans ``starts[i]:ends[i]``; ``edge[i]`` is the strongest
    edge between word i - 1 and word i; ``last_edge`` the edge after the last word."""

    words: list[str]
    starts: list[int]
    # the ends, or None until first asked for (``ends``): a word's end is its start plus its
    # length, and most listings never need the list
    known_ends: list[int] | None
    edge: list[int]
    last_edge: int
    negator: list[bool]
    blocks: list[int]  # indices of negators and contrast words, in order
    text: str = ""  # the matching copy the words come from
    # (key, index of its first word, offset of its first character) of each sentence holding
    # words, for the per-sentence caches
    pieces: list[tuple[str, int, int]] = field(default_factory=list)
    # runs of pieces (first, one past the last) that segments may join: a question and its
    # short answer, a short fragment and its neighbour; most runs are one sentence
    runs: list[tuple[int, int]] = field(default_factory=list)
    questions: bool = False  # whether any sentence ends with "?"
    # the words some test of ``scope.holds`` needs, found there on first need: most
    # listings have none, and then never pay for a set of their words
    cues: frozenset[str] | None = None
    original: str = ""  # the description itself, with its quotation marks (see ``quoted``)
    quoted: bool | None = None  # whether it holds quotation marks, on first need

    @property
    def ends(self) -> list[int]:
        found = self.known_ends
        if found is None:
            found = self.known_ends = list(map(int.__add__, self.starts, map(len, self.words)))
        return found

    def end(self, i: int) -> int:
        """The end of word i, without building ``ends``."""
        found = self.known_ends
        return found[i] if found is not None else self.starts[i] + len(self.words[i])

    def blocked(self, a: int, b: int) -> bool:
        """Whether a negator or contrast word stands strictly between words a and b."""
        return any(a < k < b for k in self.blocks) if self.blocks else False

    def edge_after(self, i: int) -> int:
        return self.edge[i + 1] if i + 1 < len(self.edge) else self.last_edge


_separators: dict[str, int] = {"": NONE, " ": NONE, "-": NONE, "'": NONE}


def _strength(sep: str) -> int:
    """How strongly the characters between two words cut them apart (cached per string)."""
    found = _separators.get(sep)
    if found is None:
        found = NONE
        for k, c in enumerate(sep):
            if c in _EDGES:
                strength = _EDGES[c]
                if c == "." and (sep[k + 1 : k + 2] == "." or not sep[k + 1 :].strip()):
                    strength = SENTENCE  # "...", "." then space: a full stop
                elif c in "\r\n" and sep[:k].rstrip(" \t\r").endswith(","):
                    strength = COMMA  # a line that ends with a comma runs on (verse, wraps)
            elif c in _CLAUSE_MARKS or (c == "-" and sep.strip(" -") == "" and " " in sep):
                strength = CLAUSE  # a spaced dash, a bracket, a bullet
            else:
                continue
            found = max(found, strength)
        if len(_separators) < 4096:
            _separators[sep] = found
    return found


# A listing is read sentence by sentence: a sentence's words never depend on the sentence
# before, so each is worked out once and kept (catalogues repeat their boilerplate). The
# store is cleared when full, so memory stays flat on endless new text.
# "[.!?]+\s+" spelt to start with a plain character class: the regex engine then skips to
# the next stop with a fast scan instead of trying a match at every character (twice as fast)
# A full stop after dotted initials ("the U.S. FDA", "e.g. knees") ends no sentence.
_PIECE_END = re.compile(r"[.!?](?<!\.[A-Za-z]\.)[.!?]*\s+")
# The same where a listing has no "!" and no "?": a literal first character lets the engine
# jump to each full stop (three times as fast on a typical listing)
_STOP_END = re.compile(r"\.(?<!\.[A-Za-z]\.)[.!?]*\s+")
_MATCH_END = re.Match.end  # for ``map``: cheaper than a comprehension over the matches
_INITIALS = re.compile(r"\.[A-Za-z]\.(?: +|-)[^\W_]")  # "U.S. FDA", "F.D.A.-approved"
_INITIALS_WORD = re.compile(r"[a-z](?:\.[a-z])+")
_seen: dict[str, None] = {}  # sentences met once, not kept yet (see ``pieces.kept_pieces``)
Split = tuple[list[int], list[int], list[str]]  # each sentence's start, end and key


def split(text: str, original: str) -> Split:
    """Where the listing's sentences start and end, and their keys (see ``piece_key``)."""
    ends = _PIECE_END if "!" in text or "?" in text else _STOP_END
    bounds = list(map(_MATCH_END, ends.finditer(text)))
    if not bounds or bounds[-1] != len(text):
        bounds.append(len(text))
    froms = [0, *bounds[:-1]]
    if len(bounds) == 1:
        keys = [piece_key(text, original)]
    elif "#" not in text:  # no piece needs its capitals in its key
        keys = [text[a:b] for a, b in zip(froms, bounds, strict=True)]
    else:
        keys = [piece_key(text[a:b], original[a:b]) for a, b in zip(froms, bounds, strict=True)]
    return froms, bounds, keys


def tokenize(text: str, original: str, parts: Split | None = None) -> Tokens:
    """The listing's words, put together from its sentences (see ``Tokens.pieces``);
    ``parts``: the listing's ``split``, when worked out already."""
    froms, bounds, keys = split(text, original) if parts is None else parts
    if len(bounds) == 1:
        tokens, _ = _words(text, original)
        tokens.pieces = [(keys[0], 0, 0)]
        tokens.original = original
        return _finish(tokens)
    kept = kept_pieces
    new = [key for key in keys if key not in kept]
    if new and 4 * sum(1 for key in new if key not in _seen) > len(keys):
        # mostly sentences never met: read the listing whole (each step then reads it whole,
        # as ``pieces`` is empty); a sentence is kept from its second sighting on
        if len(_seen) >= 4 * PIECES_KEPT:
            _seen.clear()
        _seen.update(dict.fromkeys(keys))
        tokens, _ = _words(text, original)
        tokens.original = original
        return _finish(tokens)
    words: list[str] = []
    edge: list[int] = []
    negator: list[bool] = []
    blocks: list[int] = []
    pieces: list[tuple[str, int, int]] = []
    runs: list[tuple[int, int]] = []  # see ``Tokens.runs``
    shifted: list[tuple[int, list[int]]] = []  # each sentence's offset and word starts in it
    last, tail, run, k = NONE, 0, 0, 0
    for a, b, key in zip(froms, bounds, keys, strict=True):
        found = kept.get(key)
        if found is None:
            found = _piece(text[a:b], original[a:b])
            remember(kept, key, found)
        _, p_words, p_starts, _, p_edge, p_negator, p_blocks, p_last, lead, head, p_tail = found
        if p_words:
            if k:
                between = max(last, lead)
                if not (
                    (between == QUESTION and head <= SHORT_ANSWER)
                    or min(tail, head) <= SHORT_FRAGMENT
                ):  # segments do not join across this sentence end
                    runs.append((run, len(pieces)))
                    run = len(pieces)
                edge.append(between)
            else:
                edge.append(SENTENCE)
            edge += p_edge
            pieces.append((key, k, a))
            words += p_words
            shifted.append((a, p_starts))
            negator += p_negator
            if p_blocks:
                blocks += [x + k for x in p_blocks]
            k += len(p_words)
            last, tail = p_last, p_tail
        else:
            last = max(last, lead)
    runs.append((run, len(pieces)))
    # one comprehension shifts every start: half the cost of shifting sentence by sentence
    starts = [x + a for a, p_starts in shifted for x in p_starts]
    tokens = Tokens(words, starts, None, edge, last, negator, blocks, text, pieces)
    tokens.runs = runs
    tokens.original = original
    return _finish(tokens)


def colon(tokens: Tokens, i: int) -> bool:
    """Whether a colon stands between word i - 1 and word i. What follows the last colon of
    a sentence is what the sentence ends on ("Club captain, after the final: 'One session.'"):
    as a fragment it joins the sentence after it, however long the words before the colon."""
    return ":" in tokens.text[tokens.end(i - 1) : tokens.starts[i]]


def _piece(text: str, original: str) -> Piece:
    """A sentence's words and its parts (see ``pieces.Piece``), with how many words its first
    sentence holds and its last holds after its last colon (see ``colon``), counted up to
    one more than a short answer or fragment can have."""
    tokens, lead = _words(text, original)
    edge, n = tokens.edge, len(tokens.words)
    head = 1
    while head <= SHORT_ANSWER and head < n and edge[head] < SENTENCE:
        head += 1
    tail = 1
    while (
        tail <= SHORT_FRAGMENT
        and n - tail - 1 >= 0
        and edge[n - tail] < SENTENCE
        and not (edge[n - tail] == CLAUSE and colon(tokens, n - tail))
    ):
        tail += 1
    return (
        tokens,
        tokens.words,
        tokens.starts,
        tokens.ends,
        edge[1:],
        tokens.negator,
        tokens.blocks,
        tokens.last_edge,
        lead,
        head,
        tail,
    )


def _words(text: str, original: str) -> tuple[Tokens, int]:
    """The words of one piece of text, and the edge before its first word."""
    parts = _SPLIT.split(text)
    words = parts[1::2]
    seps = parts[0::2]
    get = _separators.get
    known = [get(sep) for sep in seps]
    edge: list[int] = (
        [_strength(sep) if e is None else e for sep, e in zip(seps, known, strict=True)]
        if None in known
        else cast("list[int]", known)
    )
    if _INITIALS.search(text) is not None:  # rare: only then look at the words
        for i in range(len(words) - 1):
            if (
                edge[i + 1] == SENTENCE
                and seps[i + 1].rstrip(" ") in (".", ".-")
                and _INITIALS_WORD.fullmatch(words[i])
            ):
                edge[i + 1] = NONE
    last = edge.pop()  # after the last word
    offsets = list(accumulate(map(len, parts)))  # the end of each part
    starts = offsets[0:-1:2]
    ends = offsets[1::2]
    lead = edge[0] if words else last
    if words:
        edge[0] = SENTENCE
    if "#" in text:
        words, starts, ends, edge = _split_hashtags(seps, words, starts, ends, edge, original)
    n = len(words)
    negator = [False] * n
    blocks: list[int] = []
    if BLOCK_WORDS.isdisjoint(words) and "'" not in text:
        return Tokens(words, starts, ends, edge, last, negator, blocks, text), lead
    for i in [i for i, w in enumerate(words) if w in BLOCK_WORDS or "'" in w]:
        w = words[i]
        p = plain(w)
        nxt = plain(words[i + 1]) if i + 1 < n and edge[i + 1] == NONE else ""
        if p in NEGATORS or w.endswith("n't"):
            negator[i] = (
                (nxt not in PSEUDO.get(p, ()) or _waited_for(words, edge, i))
                and not (
                    nxt == "to" and i + 2 < n and words[i + 2] == "mention"  # "not to mention"
                )
                and not (  # "no one tells you", "no one else": see ``TELLING``, ``PSEUDO``
                    nxt == "one" and p == "no" and i + 2 < n and words[i + 2] in PSEUDO["nobody"]
                )
                and not candour(words, edge, i + 1)
                and not (
                    nxt in BEYOND
                    and i + 2 < n
                    and edge[i + 2] == NONE
                    and words[i + 2] in BEYOND_AT
                )
            )
        elif p in ZERO:
            negator[i] = (
                text[ends[i] : starts[i + 1] if i + 1 < n else None].strip() == "%"
                and nxt in ZERO_VERBS
                if w == "0"
                else nxt in ZERO_COUNTED
            )
        elif p in NEGATOR_PAIRS:
            follow = NEGATOR_PAIRS[p]
            negator[i] = nxt == follow if isinstance(follow, str) else nxt in follow
        if negator[i] or p in CONTRASTS or (p == "instead" and nxt != "of"):
            blocks.append(i)
    return Tokens(words, starts, ends, edge, last, negator, blocks, text), lead


def _waited_for(words: list[str], edge: list[int], i: int) -> bool:
    """ "don't wait for ...": the "wait" that vouches (``PSEUDO``) negates what it awaits."""
    k = i + 3 if words[i + 2 : i + 3] == ["around"] else i + 2
    return (
        words[i + 1] == "wait"
        and k < len(words)
        and not any(edge[i + 2 : k + 1])
        and words[k] in WAITED_FOR
    )


def _finish(tokens: Tokens) -> Tokens:
    # only a "?" makes a question's edge (see ``_EDGES``): most listings skip the scan
    tokens.questions = "?" in tokens.text and (
        QUESTION in tokens.edge or tokens.last_edge == QUESTION
    )
    return tokens


def _split_hashtags(
    seps: list[str],
    words: list[str],
    starts: list[int],
    ends: list[int],
    edge: list[int],
    original: str,
) -> tuple[list[str], list[int], list[int], list[int]]:
    """ "#ByeByePainkillers" -> bye, bye, painkillers, split at the original's capitals."""
    out_w: list[str] = []
    out_s: list[int] = []
    out_e: list[int] = []
    out_edge: list[int] = []
    for k, w in enumerate(words):
        start, end = starts[k], ends[k]
        pieces = [(w, start, end)]
        tag = original[start:end]
        if seps[k].endswith("#") and not tag.islower() and not _RUN_INTO_LOWER.search(tag):
            pieces = [(p.group().lower(), *p.span()) for p in _CAMEL.finditer(original, start, end)]
        for j, (piece, a, b) in enumerate(pieces):
            out_w.append(piece)
            out_s.append(a)
            out_e.append(b)
            out_edge.append(edge[k] if j == 0 else NONE)
    return out_w, out_s, out_e, out_edge


SHORT_FRAGMENT = 4  # words: a fragment this short joins the sentence next to it
SHORT_ANSWER = 6  # words: an answer this short joins its question
