"""The claim checker: a listing's words and its device record against the claim rules.

Rules are data (``seed/rules.json``). Their phrase patterns are compiled into one combined
scanner per rules tuple (cached), and each rule is evaluated by its ``kind``:

- ``phrase``: every claim its patterns find fires (negated ones do not, see ``claim_text``),
  but group ``pronoun`` ("it does what he did") only when a word of the family that
  ``params.antecedent`` names stands in the sentence before or earlier in the claim's own.
- ``visible``: group ``visible`` fires always; group ``glow`` only for a NIR-only device;
  group ``every`` (every emitter said to glow) for any device with near-infrared emitters;
  group ``answer`` ("they shine brightly") for such a device when it answers a question
  that names near-infrared light (a word of the rule's ``nir`` family).
- ``band``: groups named by band slug (``red``, ``nir``) or ``both``; fires when the text
  claims a band the record does not emit.
- ``emphasis``: group ``topic`` fires when its claims outnumber group ``counter``'s.
- ``wavelength``: group ``unit`` spells the unit; each mention must match an emission
  (within ``params.tolerance_nm``) or, for a range, hold one.
- ``area-depth`` (record): an area whose depth is in ``params.depths``.
- ``outside-band`` (record): emissions outside every band.

``applies_to`` limits a rule to devices of the listed light types.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from operator import attrgetter

from catalogue.core.bands import Area, Band
from catalogue.core.claims.compiled import Compiled, Plan, compiled
from catalogue.core.claims.disowned import may_deny
from catalogue.core.claims.evaluate import EVALUATORS, Listing, Span, record_nm
from catalogue.core.claims.framing import ASKING, CONDITIONS, REPORTING, denied
from catalogue.core.claims.kept import (
    DENIED_NEXT,
    RECHECK,
    Kept,
    KeptClaim,
    KeptMention,
    assemble,
    denies,
    outside,
)
from catalogue.core.claims.negation import negated_words
from catalogue.core.claims.rules import (
    OPTIONAL_KEYS,
    PLACEHOLDERS,
    RECORD_KINDS,
    REQUIRED_KEYS,
    SEVERITIES,
    TEXT_KINDS,
    ClaimFinding,
    Record,
    Rule,
    load_rules,
    read_rules,
)
from catalogue.core.claims.scope import holds as claim_holds
from catalogue.core.claims.stops import look_back
from catalogue.core.claims.text import matching_text
from catalogue.core.claims.tokens import CLAUSE, PIECES_KEPT, Tokens, piece_parts, split, tokenize
from catalogue.core.claims.wavelengths import WavelengthMention

__all__ = [
    "OPTIONAL_KEYS",
    "PLACEHOLDERS",
    "RECORD_KINDS",
    "REQUIRED_KEYS",
    "SEVERITIES",
    "TEXT_KINDS",
    "ClaimFinding",
    "Record",
    "Rule",
    "check_listing",
    "load_rules",
    "read_rules",
    "warm_up",
]

_EXCUSE_REACH = 80  # characters around a claim in which its excuse may stand
# An excuse that stands as the clock of a claim ("the ache has faded before the timer even
# beeps") does not excuse it: what happens before, until or by the time the device does
# something is timed by the device, not said of it.
# It starts with a letter and never consumes a sentence stop, so it reads the excuse's own
# sentence alone (``kept_blocked`` relies on it; see ``stops``).
_CLOCK = re.compile(r"\b(?:before|until|by the time)(?: (?:the|your|my|its|their))?(?: [\w-]+)? *$")
_CLOCK_REACH = 40
_CLOCK_BACK = _CLOCK_REACH + (look_back(_CLOCK.pattern) or 0)  # read before an excuse's start
_ORDER = attrgetter("start", "rule", "end")  # how findings are sorted
_VERDICTS_KEPT = 4 * PIECES_KEPT  # claims whose verdicts are kept (see ``kept_blocked``)
# words of the tests of ``scope.holds`` that may read the sentence before or after a claim's
_READ_AROUND = REPORTING | CONDITIONS | ASKING


def _own_length(key: str) -> int:
    """The length of a sentence's text in its key (see ``tokens.piece_key``)."""
    at = key.find("\x00")
    return len(key) if at < 0 else at


def _clock(text: str, at: int) -> bool:
    """Whether the excuse starting at ``at`` is a claim's clock (see ``_CLOCK``)."""
    return _CLOCK.search(text, max(0, at - _CLOCK_REACH), at) is not None


def warm_up(rules: Sequence[Rule], bands: Sequence[Band]) -> None:
    """Compile the scanners for every combination of bands now (about 0.1 s each). The app
    does not call it: each combination compiles on first use. The bench does, before timing."""
    comp = compiled(rules)
    for mask in range(1 << len(bands)):
        chosen = [b for k, b in enumerate(bands) if mask >> k & 1]
        comp.plan(*comp.record([(b.min_nm + b.max_nm) / 2 for b in chosen], bands))


def check_listing(
    description: str,
    wavelengths_nm: Sequence[float],
    areas: Sequence[Area],
    rules: Sequence[Rule],
    bands: Sequence[Band],
) -> list[ClaimFinding]:
    """Every rule finding for one listing, sorted by start offset, then rule id."""
    comp = compiled(rules)
    text = matching_text(description)
    light, present, every = comp.record(wavelengths_nm, bands)
    plan = comp.plan(light, present, every)
    parts = split(text, description)
    froms, bounds, keys = parts
    # per sentence, what it yields when nothing outside it matters (see ``kept``); a
    # sentence is kept only from a listing that ``outside`` passes, so a listing whose
    # every sentence is kept passes too
    store, plan_id = comp.sentence_claims, id(plan)
    entries: list[Kept | None] = []  # each sentence's, as far as all are kept
    if len(keys) > 1:
        get = store.get
        for key, a in zip(keys, froms, strict=True):
            entry = get((key, plan_id, _before(text, a)))
            if entry is None:
                break
            entries.append(entry)
        else:
            got = assemble(
                entries,  # type: ignore[arg-type]
                froms,
                bounds,
                _EXCUSE_REACH,
                lambda i, start, end: _window_barred(comp, text, i, start, end),
            )
            if got is not None:
                return _evaluate(
                    comp, plan, description, text, wavelengths_nm, areas, bands, light, present, got
                )
    tokens = tokenize(text, description, parts)
    starts = tokens.starts
    slots = plan.slots
    matches = plan.scanner.find_pieces(text, tokens.pieces)
    # (rule index, start, end, group) of each claim found, and its first and last word
    found = [(slots[k][1], start, end, slots[k][2]) for k, start, end in matches]
    words = [
        (bisect_left(starts, start), max(bisect_left(starts, end) - 1, 0))
        for _, start, end in matches
    ]
    phrased = len(found)  # the phrase matches; frame matches follow
    if plan.frames.frames:
        end_of = tokens.end
        for i, group, a, b in plan.frames.find(tokens):
            found.append((i, starts[a], end_of(b), group))
            words.append((a, b))
    n = len(tokens.words)
    negated: list[bool] = [False] * n
    if tokens.blocks:  # negators inside a claim ("no more pills") are the claim itself
        dead = {k for k in tokens.blocks for a, b in words if a <= k <= b}
        negated = negated_words(tokens, dead)
    unless_of, cues_of, after_of, cue_spots = comp.unless, comp.cues, comp.after, comp.cue_spots
    after_cues, after_spots = comp.after_cues, comp.after_spots
    unless_by_cue = comp.unless_by_cue

    listing_spots: dict[int, list[tuple[int, int]]] = {}  # id of a store -> the listing's cues

    def spots(
        cues: re.Pattern[str], kept: dict[str, list[tuple[int, int]]], lo: int, end: int
    ) -> list[tuple[int, int]]:
        """(start, end) of the cues that start in lo..end - 1, in order. Each sentence's cues
        are worked out once while ``kept`` keeps it, the listing's once per listing: a cue
        starts a word, so it never reaches across a sentence's edge, and a sentence starts
        after a space."""
        every = listing_spots.get(id(kept))
        if every is None:
            every = []
            pieces = tokens.pieces
            count = len(pieces)
            for n in range(count):
                key, _, at = pieces[n]
                found = kept.get(key)
                if found is None:
                    upto = pieces[n + 1][2] if n + 1 < count else len(text)
                    found = [m.span() for m in cues.finditer(text[at:upto])]
                    if len(kept) >= PIECES_KEPT:
                        kept.clear()
                    kept[key] = found
                if found:
                    every += [(a + at, b + at) for a, b in found] if at else found
            listing_spots[id(kept)] = every
        return every[bisect_left(every, (lo,)) : bisect_left(every, (end,))]

    def excused(i: int, start: int, end: int) -> bool:
        """Whether an excuse phrase of rule i overlaps the claim at start..end (see
        ``_cues``)."""
        unless, cues = unless_of[i], cues_of[i]
        assert unless is not None
        lo, hi = max(0, start - _EXCUSE_REACH), min(len(text), end + _EXCUSE_REACH)
        if cues is None:
            return any(
                m.start() < end and start < m.end() and not _clock(text, m.start())
                for m in unless.finditer(text, lo, hi)
            )
        # An excuse starts where a cue does, so only those places are tried, in the order
        # ``unless.finditer`` would meet them (a match hides the places it covers); and as
        # before, only when some cue ends before the claim does (and within the window).
        if tokens.pieces:
            found = spots(cues, cue_spots[i], lo, end)
        else:  # a listing read whole
            found = []
            for c in cues.finditer(text, lo, hi):
                if c.start() >= end:
                    break
                found.append(c.span())
        if not any(b <= end for _, b in found):
            return False
        by_cue = unless_by_cue[i]
        pos = lo
        for at, b in found:
            if b > hi:  # a cue the window cuts short starts no excuse
                continue
            if at >= pos and (m := by_cue[text[at:b]].match(text, at, hi)) is not None:
                if start < m.end() and not _clock(text, at):  # it starts before the claim ends
                    return True
                pos = m.end()
        return False

    def compared(i: int, start: int) -> bool:
        """Whether the claim at ``start`` follows a comparison phrase of rule i."""
        after = after_of[i]
        assert after is not None
        lo = max(0, start - _EXCUSE_REACH)
        cues = after_cues[i]
        if cues is None or not tokens.pieces:
            return after.search(text, lo, start) is not None
        return any(  # the phrase starts where a cue does
            b <= start and after.match(text, a, start)
            for a, b in spots(cues, after_spots[i], lo, start)
        )

    def blocked(i: int, start: int, end: int) -> bool:
        """Whether an excuse of rule i, or a comparison before it, takes the claim back."""
        return (unless_of[i] is not None and excused(i, start, end)) or (
            after_of[i] is not None and compared(i, start)
        )

    pieces = tokens.pieces
    piece_at: list[int] = []  # where each sentence starts, on first need
    tagged = "#" in text  # only then may a sentence's key hold more than its text
    verdicts, reach_out, reach_spots = comp.verdicts, comp.reach_out, comp.reach_spots
    reach_words = comp.reach_words
    reach_here: dict[int, bool] = {}  # rule -> whether one of its ``reach_words`` stands here

    def reaches(i: int, lo: int, end: int) -> bool:
        """Whether a cue of a phrase of rule i that may cross a stop starts in lo..end - 1.
        Most listings hold none of those words: a substring test says so at once."""
        reach = reach_out[i]
        if reach is None:
            return False
        here = reach_here.get(i)
        if here is None:
            here = reach_here[i] = any(map(text.__contains__, reach_words[i]))
        return here and bool(spots(reach, reach_spots[i], lo, end))

    def kept_blocked(i: int, start: int, end: int) -> bool:
        """``blocked``, kept per sentence: a rule's excuse and comparison phrases that never
        consume a sentence stop read the claim's own sentence alone (see ``stops``), so a
        sentence met before costs a lookup. Near a cue of a phrase that may reach across
        a stop ("vs."), it is worked out afresh."""
        if not piece_at:
            piece_at.extend(p[2] for p in pieces)
        p = bisect_right(piece_at, start) - 1
        key, _, a = pieces[p]
        lo = max(0, start - _EXCUSE_REACH)
        if p < 0 or end - a > (_own_length(key) if tagged else len(key)) or reaches(i, lo, end):
            return blocked(i, start, end)
        k = (i, key, start - a, end - a)
        found = verdicts.get(k)
        if found is None:
            found = blocked(i, start, end)
            if not straddled(i, max(lo, a), end):
                if len(verdicts) >= _VERDICTS_KEPT:
                    verdicts.clear()
                verdicts[k] = found
        return found

    def straddled(i: int, lo: int, end: int) -> bool:
        """Whether the excuse test of rule i hangs on its sentence's neighbour: its own
        cues from ``lo`` on all run past the claim's end, so a cue in the sentence before
        decides whether they are tried (see ``excused``)."""
        cues = cues_of[i]
        if unless_of[i] is None or cues is None:
            return False
        own = spots(cues, cue_spots[i], lo, end)
        return bool(own) and not any(b <= end for _, b in own)

    sentence_verdicts, window_back = comp.sentence_verdicts, comp.window_back
    window_verdicts = comp.window_verdicts

    def window_blocked(i: int, start: int, end: int, back: int) -> bool:
        """``blocked``, kept per window of text: a rule whose excuse and comparison phrases
        are plain searches (``excused`` and ``compared`` without cues) reads the text from
        ``back`` characters (its lookbehinds, the clock's reach) before its window's start up
        to its window's end and nothing else, so the same text around the same claim
        gets the same verdict."""
        base = max(0, start - _EXCUSE_REACH - max(back, _CLOCK_BACK))
        k = (i, text[base : end + _EXCUSE_REACH], start - base, end - base)
        found = window_verdicts.get(k)
        if found is None:
            found = blocked(i, start, end)
            if len(window_verdicts) >= PIECES_KEPT:
                window_verdicts.clear()
            window_verdicts[k] = found
        return found

    def holds(i: int, start: int, end: int, first: int, last: int) -> bool:
        """Whether a match is a claim: not negated, not after a comparison, not excused."""
        if first < n and negated[first]:
            return False  # the cheapest test first: most rejected claims are negated
        if (unless_of[i] is not None or after_of[i] is not None) and (
            kept_blocked(i, start, end)
            if pieces and sentence_verdicts[i]
            else blocked(i, start, end)
            if (back := window_back[i]) is None
            else window_blocked(i, start, end, back)
        ):
            return False
        return first >= n or claim_holds(tokens, first, max(first, last), negated)

    # an emphasis rule's counter words matter only against its topic words
    topics = {i for i, _, _, group in found if group == "topic"}
    claims: dict[int, dict[str, list[Span]]] = {}
    if len(pieces) <= 1 or outside(text) or may_deny(tokens):
        for (i, start, end, group), (first, last) in zip(found, words, strict=True):
            if group == "counter" and i not in topics:
                continue
            if holds(i, start, end, first, last):
                claims.setdefault(i, {}).setdefault(group, []).append((start, end))
        return _evaluate(
            comp,
            plan,
            description,
            text,
            wavelengths_nm,
            areas,
            bands,
            light,
            present,
            (claims, None),
            tokens,
            holds,
        )

    # Every match is judged, and each sentence whose verdicts nothing outside it decides is
    # kept (see ``kept``): judge's second value is 0 for such a verdict, 1 when it holds
    # unless the next sentence's opening denies it, None when anything else outside matters.
    edge, blocks = tokens.edge, tokens.blocks
    if not piece_at:
        piece_at.extend(p[2] for p in pieces)
    plain_reach, plain_stays = comp.plain_reach, comp.plain_stays
    quiet: dict[int, set[int]] = {}  # word piece -> rules whose verdicts need no reach before
    around: dict[int, bool] = {}  # word piece -> whether it holds a word of ``_READ_AROUND``

    def judge(i: int, start: int, end: int, first: int, last: int) -> tuple[bool, int | None]:
        if first < n and negated[first]:
            return False, 0
        p = bisect_right(piece_at, start) - 1
        key, k0, a = pieces[p]
        recheck, barred = 0, False
        if unless_of[i] is not None or after_of[i] is not None:
            lo = max(0, start - _EXCUSE_REACH)
            if p < 0 or end - a > (_own_length(key) if tagged else len(key)):
                return holds(i, start, end, first, last), None
            if sentence_verdicts[i]:  # read at cues: see ``kept_blocked``
                reach = plain_reach[i]
                if (reach is not None and reach.search(text, lo, end) is not None) or straddled(
                    i, max(lo, a), end
                ):
                    return holds(i, start, end, first, last), None
                if lo < a:
                    quiet.setdefault(p, set()).add(i)
                if kept_blocked(i, start, end):
                    return False, 0
            elif not plain_stays[i]:  # a phrase may cross a stop: read afresh where used
                if (back := window_back[i]) is None:
                    return holds(i, start, end, first, last), None
                recheck = RECHECK
                barred = window_blocked(i, start, end, back)
            elif (
                blocked(i, start, end)
                if (back := window_back[i]) is None
                else window_blocked(i, start, end, back)
            ):
                return False, 0
        if first >= n:
            return not barred, recheck
        k1 = pieces[p + 1][1] if p + 1 < len(pieces) else n
        near = around.get(p)
        if near is None:
            near = around[p] = not _READ_AROUND.isdisjoint(tokens.words[k0:k1])
        j = max(first, last)
        if near:
            return not barred and claim_holds(tokens, first, j, negated), None
        if not claim_holds(tokens, first, j, negated, deny=False):
            return False, 0
        k = j + 1
        while k < n and edge[k] < CLAUSE:
            k += 1
        if blocks and blocks[-1] > j and denied(tokens, j):
            return False, 0 if k < k1 else DENIED_NEXT | recheck
        return not barred, (DENIED_NEXT if k >= k1 else 0) | recheck

    word_piece = {a: p for p, (_, _, a) in enumerate(pieces)}  # its start -> word piece
    alone = {p for p, q in tokens.runs if q - p == 1}  # word pieces no frame joins to another
    count = len(pieces)

    def denial(p: int) -> bool | None:
        """Whether the word piece after word piece p opens by denying the claim before."""
        if p + 1 >= count:
            return False
        key, _, a = pieces[p + 1]
        entry = store.get((key, plan_id, _before(text, a)))
        if entry is not None:
            return entry.denies
        parts_of = piece_parts(key)
        return None if parts_of is None else denies(parts_of[0])

    entries += [
        store.get((key, plan_id, _before(text, a)))
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
        lo = max(0, a - _EXCUSE_REACH)
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
                    flags and _dropped(comp, text, flags, i, start + a, end + a, denial(p))
                ):
                    claims.setdefault(i, {}).setdefault(group, []).append((start + a, end + a))
    read: dict[int, list[tuple[tuple[bool, int | None], KeptMention]]] = {}
    kept_mentions: dict[int, list[tuple[KeptMention, int]]] = {}
    for i, rule in plan.todo:
        reader = comp.readers[i] if rule.kind == "wavelength" else None
        if reader is None:
            continue
        mine: dict[int, list[tuple[tuple[bool, int | None], KeptMention]]] = {}
        for m in reader.read_pieces(text, pieces):
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
                    and not (m[4] and _dropped(comp, text, m[4], i, m[2] + a, m[3] + a, denial(p)))
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
                _keep(
                    store,
                    (key, plan_id, _before(text, a)),
                    Kept(
                        (), (), frozenset(), (), False, 0, 0, frozenset(), frozenset(), False, False
                    ),
                )
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
        _keep(
            store,
            (key, plan_id, _before(text, a)),
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
    return _evaluate(
        comp,
        plan,
        description,
        text,
        wavelengths_nm,
        areas,
        bands,
        light,
        present,
        (claims, kept_mentions),
    )


def _dropped(
    comp: Compiled, text: str, flags: int, i: int, start: int, end: int, denying: bool | None
) -> bool:
    """Whether a kept claim with ``flags`` (see ``kept``) is no claim in this listing."""
    return bool(flags & DENIED_NEXT and denying) or bool(
        flags & RECHECK and _window_barred(comp, text, i, start, end)
    )


def _window_barred(comp: Compiled, text: str, i: int, start: int, end: int) -> bool:
    """``window_blocked`` for a rule whose excuse and comparison phrases have no cues, from
    the text alone, with the same store of verdicts per window."""
    back = comp.window_back[i]
    assert back is not None
    base = max(0, start - _EXCUSE_REACH - max(back, _CLOCK_BACK))
    k = (i, text[base : end + _EXCUSE_REACH], start - base, end - base)
    found = comp.window_verdicts.get(k)
    if found is None:
        unless, after = comp.unless[i], comp.after[i]
        lo, hi = max(0, start - _EXCUSE_REACH), min(len(text), end + _EXCUSE_REACH)
        found = (
            unless is not None
            and any(
                m.start() < end and start < m.end() and not _clock(text, m.start())
                for m in unless.finditer(text, lo, hi)
            )
        ) or (after is not None and after.search(text, lo, start) is not None)
        if len(comp.window_verdicts) >= PIECES_KEPT:
            comp.window_verdicts.clear()
        comp.window_verdicts[k] = found
    return found


def _before(text: str, a: int) -> str:
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


def _keep(store: dict[tuple[str, int, str], Kept], key: tuple[str, int, str], entry: Kept) -> None:
    if len(store) >= PIECES_KEPT:
        store.clear()
    store[key] = entry


def _evaluate(
    comp: Compiled,
    plan: Plan,
    description: str,
    text: str,
    wavelengths_nm: Sequence[float],
    areas: Sequence[Area],
    bands: Sequence[Band],
    light: str,
    present: frozenset[str],
    got: tuple[dict[int, dict[str, list[Span]]], dict[int, list[tuple[KeptMention, int]]] | None],
    tokens: Tokens | None = None,
    holds: Callable[[int, int, int, int, int], bool] | None = None,
) -> list[ClaimFinding]:
    """The findings of a listing's claims and of its record. Wavelength mentions come kept
    (``got``'s second part: each one a claim) or are read from ``tokens`` and judged by
    ``holds``."""
    claims, kept_mentions = got
    ctx = Listing(
        description, wavelengths_nm, areas, bands, light, present, record_nm(tuple(wavelengths_nm))
    )
    by_rule: dict[int, list[ClaimFinding]] | None = None  # this record's record checks
    record_waves, mismatches = tuple(wavelengths_nm), comp.mismatches
    for i, rule in plan.todo:
        if rule.kind in TEXT_KINDS:
            if i in claims:  # a text rule with no claim in the listing has nothing to say
                EVALUATORS[rule.kind](ctx, rule, claims[i])
            continue
        if rule.kind != "wavelength":  # a record check: the same record, the same findings
            if by_rule is None:  # the record is hashed once per listing (its areas are slow)
                record = (tuple(wavelengths_nm), tuple(areas))
                by_rule = comp.record_findings.get(record)
                if by_rule is None:
                    if len(comp.record_findings) >= 4096:
                        comp.record_findings.clear()
                    by_rule = comp.record_findings[record] = {}
            known = by_rule.get(i)
            if known is None:
                before = len(ctx.findings)
                EVALUATORS[rule.kind](ctx, rule, {})
                by_rule[i] = ctx.findings[before:]
            else:
                ctx.findings += known
            continue
        tolerance = rule.number("tolerance_nm", 5)
        reader = comp.readers[i]
        if kept_mentions is not None:
            mentions = [
                WavelengthMention(m[2] + a, m[3] + a, m[1]) for m, a in kept_mentions.get(i, ())
            ]
        elif reader is not None and tokens is not None:
            mentions = reader.read_pieces(text, tokens.pieces)
        else:
            mentions = []
        for m in mentions:
            # the same numbers against the same record and tolerance: the same words
            key = (m.items, record_waves, tolerance)
            bad = mismatches.get(key)
            if bad is None:
                bad = ", ".join(
                    f"{lo:g} nm" if lo == hi else f"a {lo:g}-{hi:g} nm range"
                    for lo, hi in m.items
                    if not any(
                        (abs(w - lo) <= tolerance) if lo == hi else (lo <= w <= hi)
                        for w in record_waves
                    )
                )
                if len(mismatches) >= PIECES_KEPT:
                    mismatches.clear()
                mismatches[key] = bad
            if not bad:
                continue
            if holds is not None and tokens is not None:
                first = bisect_left(tokens.starts, m.start)
                if not holds(i, m.start, m.end, first, first):
                    continue
            ctx.emit(rule, (m.start, m.end), bad)

    ctx.findings.sort(key=_ORDER)
    kept: list[ClaimFinding] = []
    last_end: dict[str, int] = {}
    for f in ctx.findings:
        if f.start < last_end.get(f.rule, 0):
            continue  # an overlapping second hit of the same rule ("near infrared" twice)
        kept.append(f)
        last_end[f.rule] = f.end
    return kept
