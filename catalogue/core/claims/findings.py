"""A listing's findings: its claims through the rules' evaluators, and its record's checks.

``check.check_listing`` finds which matches are claims; ``findings`` turns them into findings
(see ``evaluate``), checks each wavelength mention against the record, runs the record
checks (kept per record), and drops a rule's overlapping second hits.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from math import inf
from operator import attrgetter

from catalogue.core.bands import Area, Band
from catalogue.core.claims.compiled import Compiled, Plan
from catalogue.core.claims.evaluate import EVALUATORS, Listing, Span, record_nm
from catalogue.core.claims.kept import KeptMention
from catalogue.core.claims.pieces import remember
from catalogue.core.claims.rules import TEXT_KINDS, ClaimFinding
from catalogue.core.claims.tokens import Tokens
from catalogue.core.claims.wavelengths import WavelengthMention, unlabelled_bare

_ORDER = attrgetter("start", "rule", "end")  # how findings are sorted


def findings(
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
            # a text rule with no claim in the listing has nothing to say; one with
            # ``params.only_below_nm`` reads only records that emit nothing from that
            # wavelength up (red-depth-claim: near-infrared light from 780 nm, 1064 nm too,
            # whatever band the guide gives it); one with ``params.only_from_nm`` only
            # records that emit nothing below it (cosmetic-nir: a 940 nm-only device is
            # near-infrared-only though the guide's band stops at 900 nm)
            if i in claims:
                below = rule.number("only_below_nm", inf)
                above = rule.number("only_from_nm", 0)
                if (below == inf or all(w < below for w in record_waves)) and (
                    not above or all(w >= above for w in record_waves)
                ):
                    EVALUATORS[rule.kind](ctx, rule, claims[i])
            continue
        if rule.kind != "wavelength":  # a record check: the same record, the same findings
            if by_rule is None:  # the record is hashed once per listing (its areas are slow)
                record = (tuple(wavelengths_nm), tuple(areas))
                by_rule = comp.record_findings.get(record)
                if by_rule is None:
                    by_rule = {}
                    remember(comp.record_findings, record, by_rule, 4096)
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
            said = mismatches.get(key)
            if said is None:
                missed = [
                    f"{lo:g} nm" if lo == hi else f"a {lo:g}-{hi:g} nm range"
                    for lo, hi in m.items
                    if not any(
                        (abs(w - lo) <= tolerance) if lo == hi else (lo <= w <= hi)
                        for w in record_waves
                    )
                ]
                said = ", ".join(missed), len(missed) == len(m.items)
                remember(mismatches, key, said)
            bad, none_held = said
            if not bad:
                continue
            # bare numbers joined by slashes name light only where the record emits one
            if none_held and reader is not None and unlabelled_bare(reader, text, m):
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
