"""The claim checker: a listing's words and its device record against the claim rules.

Rules are data (``seed/rules.json``). Their phrase patterns are compiled into one combined
scanner per rules tuple (cached), and each rule is evaluated by its ``kind``:

- ``phrase``: every claim its patterns find fires (negated ones do not, see ``claim_text``),
  but group ``pronoun`` ("it does what he did") only when a word of the family that
  ``params.antecedent`` names stands in the sentence before or earlier in the claim's own.
- ``visible``: group ``visible`` fires always; group ``glow`` only for a NIR-only device;
  group ``every`` (every emitter said to glow) for any device with near-infrared emitters;
  group ``answer`` ("they shine brightly") for such a device when it answers a question
  that names near-infrared light (a word of the rule's ``nir`` family); group ``pronoun``
  ("they're the brightest ones") for such a device when a word of the family
  ``params.antecedent`` names, and none of the ``params.rival`` family, stands before it in
  its sentence or the one before.
- ``band``: groups named by band slug (``red``, ``nir``) or ``both``; fires when the text
  claims a band the record does not emit; near-infrared light beyond the guide's band (940,
  1064 nm) is near-infrared all the same. Group ``pair`` ("dual wavelength") claims both
  bands only for a record with fewer than two emissions.
- ``emphasis``: group ``topic`` fires when its claims outnumber group ``counter``'s.
- ``wavelength``: group ``unit`` spells the unit; each mention must match an emission
  (within ``params.tolerance_nm``) or, for a range, hold one. Numbers without a unit count
  after a label naming wavelengths, or joined by slashes ("660/850") on a record that emits
  one of them (see ``wavelengths.bare_run``).
- ``area-depth`` (record): an area whose depth is in ``params.depths``.
- ``outside-band`` (record): emissions outside every band.

``applies_to`` limits a rule to devices of the listed light types; a text rule's
``params.only_below_nm`` further to records emitting nothing from that wavelength up
(red-depth-claim: no near-infrared light from 780 nm, a 1064 nm emission included), and
``params.only_from_nm`` to records emitting nothing below it (cosmetic-nir: light type
"other" only when all of it is near-infrared, 940 or 1064 nm alone).

This module finds the matches and keeps the public entry points; the rest is split by
meaning: ``reader`` (one listing's verdicts: negation, excuses, comparisons, scope),
``excuses`` (how far an excuse reads, and the tests a listing of kept sentences runs),
``keeping`` (the listing judged sentence by sentence, its sentences kept, see ``kept``)
and ``findings`` (claims and the record into findings).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from functools import partial
from operator import attrgetter

from catalogue.core.bands import Area, Band
from catalogue.core.claims.compiled import compiled
from catalogue.core.claims.disowned import may_deny
from catalogue.core.claims.evaluate import Span
from catalogue.core.claims.excuses import EXCUSE_REACH, window_barred
from catalogue.core.claims.findings import findings
from catalogue.core.claims.keeping import before, read_kept
from catalogue.core.claims.kept import Kept, assemble, outside
from catalogue.core.claims.likened import GROUP as LIKENED
from catalogue.core.claims.likened import find as find_likened
from catalogue.core.claims.likened import may_liken
from catalogue.core.claims.negation import negated_words
from catalogue.core.claims.reader import Reader
from catalogue.core.claims.riddles import reading, riddle, turned_away
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
from catalogue.core.claims.text import matching_text
from catalogue.core.claims.tokens import split, tokenize

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
    out = _read_listing(description, wavelengths_nm, areas, rules, bands)
    found = riddle(description) if ":" in description else None
    if found is None:
        return out
    clue, answer, clue_at, label_at, end = found
    if turned_away(answer):  # "Answer: not this wrap": the clue's words claim nothing
        numbers = {r.id for r in rules if r.kind == "wavelength"}  # a wrong number stays wrong
        return [f for f in out if f.rule in numbers or not (clue_at <= f.start < f.end <= label_at)]
    joined = reading(clue, answer)
    if joined is None:
        return out
    have = {f.rule for f in out}
    said = description[label_at:end]
    for f in _read_listing(joined, wavelengths_nm, areas, rules, bands):
        if f.rule not in have and f.end > f.start:  # the answer completes the clue's claim
            message = f.message.replace(f"“{f.text}”", f"“{said}”")
            out.append(ClaimFinding(f.rule, f.severity, label_at, end, said, message, f.suggestion))
            have.add(f.rule)
    return sorted(out, key=attrgetter("start", "rule", "end"))


def _read_listing(
    description: str,
    wavelengths_nm: Sequence[float],
    areas: Sequence[Area],
    rules: Sequence[Rule],
    bands: Sequence[Band],
) -> list[ClaimFinding]:
    """``check_listing`` without the riddle reading (see ``riddles``)."""
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
    # a likeness reads the sentences after it: such a listing is read whole
    likened = [r for r in comp.likened if may_liken(text, r[1])] if comp.likened else ()
    if len(keys) > 1 and not likened:
        get = store.get
        for key, a in zip(keys, froms, strict=True):
            entry = get((key, plan_id, before(text, a)))
            if entry is None:
                break
            entries.append(entry)
        else:
            got = assemble(
                entries,  # type: ignore[arg-type]
                froms,
                bounds,
                EXCUSE_REACH,
                lambda i, start, end: window_barred(comp, text, i, start, end),
            )
            if got is not None:
                return findings(
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
    for i, likened_words, verbs in likened:
        for _, a, b in find_likened(tokens, i, likened_words, verbs):
            found.append((i, starts[a], tokens.end(b), LIKENED))
            words.append((a, b))
    n = len(tokens.words)
    negated: list[bool] = [False] * n
    if tokens.blocks:  # negators inside a claim ("no more pills") are the claim itself
        dead = {k for k in tokens.blocks for a, b in words if a <= k <= b}
        negated = negated_words(tokens, dead)
    reader = Reader(comp, text, tokens, negated)
    # an emphasis rule's counter words matter only against its topic words
    topics = {i for i, _, _, group in found if group == "topic"}
    listing_findings = partial(
        findings, comp, plan, description, text, wavelengths_nm, areas, bands, light, present
    )
    if len(tokens.pieces) <= 1 or likened or outside(text) or may_deny(tokens):
        claims: dict[int, dict[str, list[Span]]] = {}
        holds = reader.holds
        for (i, start, end, group), (first, last) in zip(found, words, strict=True):
            if group == "counter" and i not in topics:
                continue
            if holds(i, start, end, first, last):
                claims.setdefault(i, {}).setdefault(group, []).append((start, end))
        return listing_findings((claims, None), tokens, holds)
    # here wavelength mentions come kept too, each one a claim
    return listing_findings(read_kept(reader, plan, found, words, phrased, topics, entries, parts))
