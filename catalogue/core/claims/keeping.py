"""The kept-sentence path of ``check.check_listing``: a listing judged sentence by sentence.

Where a listing may keep its sentences (see ``kept``), each sentence met before and still
kept yields its claims from the store; the others are judged (``Reader.judge``), and each
one whose verdicts nothing outside it decides is kept for the listings after.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from catalogue.core.claims.compiled import Compiled, Plan
from catalogue.core.claims.evaluate import Span
from catalogue.core.claims.excuses import EXCUSE_REACH, dropped
from catalogue.core.claims.kept import DENIED_NEXT, Kept, KeptClaim, KeptMention, denies
from catalogue.core.claims.pieces import piece_parts, remember
from catalogue.core.claims.reader import Reader

# (rule index, start, end, group) of a match, and its first and last word
Found = tuple[int, int, int, str]
Words = tuple[int, int]
_NOTHING = Kept((), (), frozenset(), (), False, 0, 0, frozenset(), frozenset(), False, False)


def before(text: str, a: int) -> str:
    """The whitespace before the sentence that starts at ``a`` ("" for the first): what a
    kept sentence's excuse phrases may read before it (see ``stops``, ``behind``)."""
    if a < 2:
        return text[:a]
    if not text[a - 2].isspace():  # the usual case: one space or newline
        return text[a - 1]
    b = a - 1
    while b and text[b - 1].isspace():
        b -= 1
    return text[b:a]


def read_kept(
    reader: Reader,
    plan: Plan,
    found: list[Found],
    words: list[Words],
    phrased: int,
    topics: set[int],
    entries: list[Kept | None],
    parts: tuple[list[int], list[int], list[str]],
) -> tuple[dict[int, dict[str, list[Span]]], dict[int, list[tuple[KeptMention, int]]]]:
    """The listing's claims and wavelength mentions that are claims (with the offset of
    their sentence), as ``assemble`` gives them; ``found`` and ``words``: the matches, the
    first ``phrased`` of them phrase matches; ``entries``: the kept sentences met so far,
    in order (extended here)."""
    # Every match is judged, and each sentence whose verdicts nothing outside it decides is
    # kept (see ``kept``): judge's second value is 0 for such a verdict, 1 when it holds
    # unless the next sentence's opening denies it, None when anything else outside matters.
    comp: Compiled = reader.comp
    text, pieces, starts = reader.text, reader.pieces, reader.tokens.starts
    froms, bounds, keys = parts
    store, plan_id = comp.sentence_claims, id(plan)
    piece_at = reader.sentence_starts()
    plain_reach = comp.plain_reach
    quiet = reader.quiet
    judge = reader.judge
    claims: dict[int, dict[str, list[Span]]] = {}
    word_piece = {a: p for p, (_, _, a) in enumerate(pieces)}  # its start -> word piece
    alone = {
        p for p, q in reader.tokens.runs if q - p == 1
    }  # word pieces no frame joins to another
    count = len(pieces)

    def denial(p: int) -> bool | None:
        """Whether the word piece after word piece p opens by denying the claim before."""
        if p + 1 >= count:
            return False
        key, _, a = pieces[p + 1]
        entry = store.get((key, plan_id, before(text, a)))
        if entry is not None:
            return entry.denies
        parts_of = piece_parts(key)
        return None if parts_of is None else denies(parts_of[0])

    entries += [
        store.get((key, plan_id, before(text, a)))
        for key, a in zip(keys[len(entries) :], froms[len(entries) :], strict=True)
    ]
    # word piece -> its kept entry, where nothing outside it matters here either
    usable: dict[int, Kept] = {}
    for c, entry in enumerate(entries):
        if entry is None or not entry.words:
            continue
        a = froms[c]
        p = word_piece.get(a, -1)
        if p not in alone:
            continue
        lo = max(0, a - EXCUSE_REACH)
        if any(
            (reach := plain_reach[i]) is not None and reach.search(text, lo, a) is not None
            for i in entry.quiet
        ):
            continue
        if entry.deniable and denial(p) is None:
            continue
        usable[p] = entry

    judged: dict[int, tuple[bool, int | None]] = {}  # index into found -> its verdict
    by_piece: tuple[dict[int, list[int]], dict[int, list[int]]] = ({}, {})  # phrases, frames
    for x, ((i, start, end, _), (first, last)) in enumerate(zip(found, words, strict=True)):
        p = bisect_right(piece_at, start) - 1
        if p not in usable:
            judged[x] = judge(i, start, end, first, last)
            by_piece[x >= phrased].setdefault(p, []).append(x)
    for which in (0, 1):
        for p in range(count):
            entry = usable.get(p)
            if entry is None:
                for x in by_piece[which].get(p, ()):
                    i, start, end, group = found[x]
                    if (group != "counter" or i in topics) and judged[x][0]:
                        claims.setdefault(i, {}).setdefault(group, []).append((start, end))
                continue
            a = pieces[p][2]
            for i, group, start, end, flags in entry.framed if which else entry.claims:
                if (group != "counter" or i in topics) and not (
                    flags and dropped(comp, text, flags, i, start + a, end + a, denial(p))
                ):
                    claims.setdefault(i, {}).setdefault(group, []).append((start + a, end + a))
    read: dict[int, list[tuple[tuple[bool, int | None], KeptMention]]] = {}
    kept_mentions: dict[int, list[tuple[KeptMention, int]]] = {}
    for i, rule in plan.todo:
        wave_reader = comp.readers[i] if rule.kind == "wavelength" else None
        if wave_reader is None:
            continue
        mine: dict[int, list[tuple[tuple[bool, int | None], KeptMention]]] = {}
        for m in wave_reader.read_pieces(text, pieces):
            p = bisect_right(piece_at, m.start) - 1
            if p in usable:
                continue
            first = bisect_left(starts, m.start)
            verdict = judge(i, m.start, m.end, first, first)
            a = pieces[p][2]
            mention = (i, m.items, m.start - a, m.end - a, verdict[1] or 0)
            mine.setdefault(p, []).append((verdict, mention))
            read.setdefault(p, []).append((verdict, mention))
        out = kept_mentions[i] = []
        for p in range(count):
            a = pieces[p][2]
            entry = usable.get(p)
            if entry is None:
                out += [(m, a) for v, m in mine.get(p, ()) if v[0]]
            else:
                out += [
                    (m, a)
                    for m in entry.mentions
                    if m[0] == i
                    and not (m[4] and dropped(comp, text, m[4], i, m[2] + a, m[3] + a, denial(p)))
                ]

    for c, key in enumerate(keys):  # keep the sentences met here that can be kept
        if entries[c] is not None:
            continue
        parts_of = piece_parts(key)
        if parts_of is None:
            continue
        a = froms[c]
        p = word_piece.get(a, -1)
        if p < 0:
            if not parts_of[1]:  # no words: it yields nothing, whatever stands around it
                remember(store, (key, plan_id, before(text, a)), _NOTHING)
            continue
        own = by_piece[0].get(p, []) + by_piece[1].get(p, [])
        mentions = read.get(p, [])
        if (
            p not in alone
            or any(judged[x][1] is None for x in own)
            or any(v[1] is None for v, _ in mentions)
        ):
            continue
        kept_claims: tuple[list[KeptClaim], list[KeptClaim]] = ([], [])
        for x in own:
            (i, start, end, group), (held, how) = found[x], judged[x]
            if held or how:
                kept_claims[x >= phrased].append((i, group, start - a, end - a, how or 0))
        piece_text = text[a : bounds[c]]
        remember(
            store,
            (key, plan_id, before(text, a)),
            Kept(
                tuple(kept_claims[0]),
                tuple(kept_claims[1]),
                frozenset(found[x][0] for x in own if found[x][3] == "topic"),
                tuple(m for v, m in mentions if v[0] or v[1]),
                True,
                parts_of[9],
                parts_of[10],
                frozenset(quiet.get(p, ())),
                frozenset(
                    i
                    for i, reach in enumerate(plain_reach)
                    if reach is not None and reach.search(piece_text) is not None
                ),
                denies(parts_of[0]),
                any(k[4] & DENIED_NEXT for k in kept_claims[0] + kept_claims[1])
                or any(m[4] & DENIED_NEXT for _, m in mentions),
            ),
        )
    return claims, kept_mentions
