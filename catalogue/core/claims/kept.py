"""The claims a sentence yields, kept per sentence and kind of device record.

A catalogue repeats its sentences. Where nothing outside a sentence can change which of its
matches are claims, ``check`` keeps them, with the little it needs to tell, in another
listing, that nothing outside matters there either; a listing whose every sentence is kept
then costs a lookup per sentence, with no words read at all.

What may reach outside a sentence, and how it is kept out (``check.check_listing`` decides
per claim, ``assemble`` per listing):

- a question ("?" anywhere), a comparison ("vs") or an error word ("That was wrong"):
  listings holding those words (a plain substring test) keep and use nothing;
- a reported, conditional or asked claim (``scope.holds`` reads the clause after it or
  the words before its verb): a sentence holding such a cue word is not kept when a
  match in it gets that far;
- frames join a short sentence to its neighbour (``Tokens.runs``): every sentence must
  be longer than ``SHORT_FRAGMENT`` words at both ends;
- an excuse read from the sentence before (a phrase that may cross a stop, see
  ``stops``, or a cue that decides whether the sentence's own cues are tried): kept only
  for rules whose verdicts are kept per sentence, never near such a phrase in the
  sentence itself, and used only when the sentences before, as far as an excuse
  reaches, hold none either;
- a list of claims denied as a block by a later sentence ("None of that is true", see
  ``disowned``): listings with a sentence that may deny so keep and use nothing (the
  sentence itself is never kept, so a listing of kept sentences holds none);
- copy shown as rejected (struck through, under an old label or a heading of what not to
  say, in a rewrite table's old column, see ``struck``): listings holding such a mark keep
  and use nothing, so no sentence holding one is ever kept;
- a short clause after the claim that denies it ("This one doesn't.", see
  ``framing.denied``): when the claim's clause ends its sentence, the next sentence's
  opening decides, and each sentence keeps whether its opening denies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from catalogue.core.claims.compared import COMPARING
from catalogue.core.claims.evaluate import Span
from catalogue.core.claims.framing import ERRORS, LABELS, denied
from catalogue.core.claims.tokens import SHORT_FRAGMENT, Tokens
from catalogue.core.claims.versions import MARKS as VERSION_MARKS

# A claim kept: (rule index, group, start, end in its sentence, flags): it holds unless
# (``DENIED_NEXT``) the next sentence's opening denies it or (``RECHECK``) an excuse of a
# rule whose phrases may cross a stop takes it back, read afresh in each listing.
KeptClaim = tuple[int, str, int, int, int]
# A wavelength mention kept: (rule index, its numbers, start, end, as ``KeptClaim``).
KeptMention = tuple[int, tuple[tuple[float, float], ...], int, int, int]
DENIED_NEXT, RECHECK = 1, 2

# Words whose tests read outside the claim's sentence in any listing: a listing holding
# one (as any part of a word: the test must be cheap and never miss) keeps nothing.
# "stand b": the writer standing by words reported as another's (``hearsay.endorsed``); an
# earlier version named, its claim replaced by a later one's (``versions``)
_OUTSIDE = ("?", "stand b", *VERSION_MARKS, *sorted(COMPARING | ERRORS))


def outside(text: str) -> bool:
    """Whether some word of the listing may carry a claim's verdict across sentences."""
    return any(map(text.__contains__, _OUTSIDE))


@dataclass(frozen=True, slots=True)
class Kept:
    """What one sentence yields for one kind of device record (see the module notes)."""

    claims: tuple[KeptClaim, ...]  # phrase matches that are claims, in the order found
    framed: tuple[KeptClaim, ...]  # frame matches that are claims, in the order found
    topics: frozenset[int]  # rules with a ``topic`` match here, claim or not
    mentions: tuple[KeptMention, ...]  # wavelength mentions that are claims
    words: bool  # whether it holds any word
    head: int  # words of its first sentence and of its last (see ``tokens._piece``)
    tail: int
    quiet: frozenset[int]  # rules whose verdicts need no crossing phrase in the sentences before
    reach: frozenset[int]  # rules with a cue of a phrase that may cross a stop in it
    denies: bool | None  # whether its opening denies the claim before it; None: unknown
    deniable: bool  # whether some claim or mention here holds unless the next one denies it


def denies(piece: Tokens) -> bool | None:
    """Whether the opening clause of a sentence, read on its own, denies a claim that ends
    the sentence before (``framing.denied`` from before its first word). A lone label
    ("A:") leaves it to the sentence after: unknown."""
    words = piece.words
    if len(words) == 1 and words[0] in LABELS:
        return None
    return denied(piece, -1)


def assemble(
    kept: list[Kept],
    froms: list[int],
    bounds: list[int],
    reach: int,
    barred: Callable[[int, int, int], bool],
) -> tuple[dict[int, dict[str, list[Span]]], dict[int, list[tuple[KeptMention, int]]]] | None:
    """The listing's claims, and its wavelength mentions that are claims with the offset of
    their sentence, from its kept sentences; None when something outside a sentence may
    matter here (see the module notes). ``reach``: how far before a claim an excuse reads;
    ``barred(rule, start, end)``: whether an excuse read afresh takes a claim back."""
    last: Kept | None = None  # the last sentence holding words so far
    deniable = False
    topics: set[int] = set()
    for p, entry in enumerate(kept):
        if not entry.words:
            continue
        if last is not None and min(last.tail, entry.head) <= SHORT_FRAGMENT:
            return None  # frames may join the two
        last = entry
        if entry.quiet:
            q = p - 1
            while q >= 0 and bounds[q] > froms[p] - reach:
                if not entry.quiet.isdisjoint(kept[q].reach):
                    return None
                q -= 1
        if entry.deniable:
            deniable = True
        if entry.topics:
            topics |= entry.topics
    # whether the next sentence with words denies a claim ending each sentence
    denying: list[bool | None] = []
    if deniable:
        denying = [False] * len(kept)
        after: bool | None = False
        for p in range(len(kept) - 1, -1, -1):
            denying[p] = after
            if kept[p].words:
                after = kept[p].denies
    claims: dict[int, dict[str, list[Span]]] = {}
    mentions: dict[int, list[tuple[KeptMention, int]]] = {}
    for which in (0, 1):
        for p, entry in enumerate(kept):
            found = entry.framed if which else entry.claims
            if not found:
                continue
            a = froms[p]
            for i, group, start, end, flags in found:
                if group == "counter" and i not in topics:
                    continue
                if flags & DENIED_NEXT:
                    if denying[p] is None:
                        return None
                    if denying[p]:
                        continue
                if flags & RECHECK and barred(i, start + a, end + a):
                    continue
                if i in claims:
                    claims[i].setdefault(group, []).append((start + a, end + a))
                else:
                    claims[i] = {group: [(start + a, end + a)]}
    for p, entry in enumerate(kept):
        for m in entry.mentions:
            if m[4] & DENIED_NEXT:
                if denying[p] is None:
                    return None
                if denying[p]:
                    continue
            if m[4] & RECHECK and barred(m[0], m[2] + froms[p], m[3] + froms[p]):
                continue
            mentions.setdefault(m[0], []).append((m, froms[p]))
    return claims, mentions
