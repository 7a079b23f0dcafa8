"""The claim checker: a listing's words and its device record against the claim rules.

Rules are data (``seed/rules.json``); this module turns them into one combined regex per
rules tuple (cached) and evaluates each rule by its ``kind``:

- ``phrase``: every claim its patterns find fires (unless negated, see ``claim_text``).
- ``visible``: group ``visible`` fires always; group ``glow`` only for a NIR-only device.
- ``band``: groups named by band slug (``red``, ``nir``) or ``both``; fires when the text
  claims a band the record does not emit.
- ``emphasis``: group ``topic`` fires when its claims outnumber group ``counter``.
- ``wavelength``: group ``unit`` spells the unit; each mention must match an emission
  (within ``params.tolerance_nm``) or, for a range, hold one.
- ``area-depth`` (record): an area whose depth is in ``params.depths``.
- ``outside-band`` (record): emissions outside every band.

``applies_to`` limits a rule to devices of the listed light types.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from os import PathLike
from string import Formatter
from typing import Any

from catalogue.core.bands import (
    LIGHT_TYPE_LABELS,
    LIGHT_TYPES,
    Area,
    Band,
    bands_present,
    light_type,
    outside_bands,
)
from catalogue.core.claim_text import (
    FLAGS,
    WavelengthMention,
    expand_fragment,
    is_negated,
    matching_text,
    negated_scopes,
    wavelength_reader,
    word_regex,
)

SEVERITIES = ("error", "warning", "suggestion")
# kind -> the pattern groups it accepts (None: any name)
KIND_GROUPS: dict[str, frozenset[str] | None] = {
    "phrase": None,
    "visible": frozenset({"visible", "glow"}),
    "band": None,
    "emphasis": frozenset({"topic", "counter"}),
    "wavelength": frozenset({"unit"}),
    "area-depth": frozenset(),
    "outside-band": frozenset(),
}
TEXT_KINDS = frozenset({"phrase", "visible", "band", "emphasis"})
REQUIRED_KEYS = (
    "id",
    "severity",
    "title",
    "rationale",
    "message",
    "suggestion",
    "kind",
    "patterns",
    "example_fires",
    "example_passes",
    "example_record",
)
OPTIONAL_KEYS = (
    "applies_to",
    "terms",
    "unless",
    "ignore_after",
    "params",
    "example_passes_record",
)
PLACEHOLDERS = frozenset({"text", "record", "detail", "light_type"})

Groups = tuple[tuple[str, tuple[str, ...]], ...]
ParamValue = int | float | str | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClaimFinding:
    rule: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
        }


def _fail(rule_id: object, problem: str) -> ValueError:
    return ValueError(f"rule {rule_id!r}: {problem}")


def _strings(rule_id: object, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(rule_id, f"{key!r} must be a list of non-empty strings")
    return tuple(value)


def _groups(rule_id: object, key: str, value: object) -> Groups:
    if not isinstance(value, dict):
        raise _fail(rule_id, f"{key!r} must be an object of lists")
    return tuple((str(k), _strings(rule_id, f"{key}.{k}", v)) for k, v in value.items())


def _compile_check(rule_id: str, where: str, fragments: Sequence[str], terms: Groups) -> None:
    term_map = dict(terms)
    for fragment in fragments:
        try:
            compiled = re.compile(expand_fragment(fragment, term_map), FLAGS)
        except (re.error, ValueError, RecursionError) as exc:
            raise _fail(rule_id, f"{where} pattern {fragment!r} does not compile: {exc}") from exc
        if compiled.fullmatch(""):
            raise _fail(rule_id, f"{where} pattern {fragment!r} matches empty text")


@dataclass(frozen=True)
class Rule:
    """One claim rule, built from one object of ``seed/rules.json``."""

    id: str
    severity: str
    title: str
    rationale: str
    message: str
    suggestion: str
    kind: str
    patterns: Groups
    example_fires: str
    example_passes: str
    example_wavelengths_nm: tuple[float, ...]
    example_areas: tuple[str, ...]
    # record checks only: the record the passing example is checked against
    passes_wavelengths_nm: tuple[float, ...] | None = None
    passes_areas: tuple[str, ...] | None = None
    applies_to: tuple[str, ...] = LIGHT_TYPES
    terms: Groups = ()
    unless: tuple[str, ...] = ()
    ignore_after: tuple[str, ...] = ()
    params: tuple[tuple[str, ParamValue], ...] = ()

    def __post_init__(self) -> None:
        fields = tuple(getattr(self, name) for name in self.__dataclass_fields__)
        object.__setattr__(self, "_hash", hash(fields))

    def __hash__(self) -> int:
        return int(self.__dict__["_hash"])

    def group(self, name: str) -> tuple[str, ...]:
        return dict(self.patterns).get(name, ())

    def param(self, name: str, default: ParamValue) -> ParamValue:
        return dict(self.params).get(name, default)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Rule:
        if not isinstance(d, Mapping):
            raise ValueError(f"a rule must be a JSON object, got {type(d).__name__}")
        rid = d.get("id")
        missing = [k for k in REQUIRED_KEYS if k not in d]
        if missing:
            raise _fail(rid, f"missing key(s): {', '.join(missing)}")
        unknown = sorted(set(d) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
        if unknown:
            raise _fail(rid, f"unknown key(s): {', '.join(unknown)}")
        for key in ("id", "title", "rationale", "message", "suggestion", "kind"):
            if not isinstance(d[key], str) or not d[key].strip():
                raise _fail(rid, f"{key!r} must be a non-empty string")
        for key in ("example_fires", "example_passes"):
            if not isinstance(d[key], str):
                raise _fail(rid, f"{key!r} must be a string")
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", d["id"]):
            raise _fail(rid, "id must be lowercase words joined by hyphens")
        if d["severity"] not in SEVERITIES:
            raise _fail(rid, f"unknown severity {d['severity']!r} (use {', '.join(SEVERITIES)})")
        kind = d["kind"]
        if kind not in KIND_GROUPS:
            raise _fail(rid, f"unknown kind {kind!r} (use {', '.join(KIND_GROUPS)})")
        for key in ("message", "suggestion"):
            try:
                names = {f for _, f, _, _ in Formatter().parse(d[key]) if f is not None}
            except ValueError as exc:
                raise _fail(rid, f"{key!r} is not a valid template: {exc}") from exc
            if names - PLACEHOLDERS:
                raise _fail(
                    rid, f"{key!r} uses unknown placeholder(s) {sorted(names - PLACEHOLDERS)}"
                )
        patterns = _groups(rid, "patterns", d["patterns"])
        allowed = KIND_GROUPS[kind]
        if allowed is not None and {g for g, _ in patterns} - allowed:
            raise _fail(rid, f"kind {kind!r} accepts pattern groups {sorted(allowed)} only")
        if kind in TEXT_KINDS | {"wavelength"} and not patterns:
            raise _fail(rid, f"kind {kind!r} needs patterns")
        terms = _groups(rid, "terms", d.get("terms", {}))
        unless = _strings(rid, "unless", d.get("unless", []))
        ignore_after = _strings(rid, "ignore_after", d.get("ignore_after", []))
        for group, fragments in patterns:
            _compile_check(rid, f"patterns.{group}", fragments, terms)
        _compile_check(rid, "unless", unless, terms)
        _compile_check(rid, "ignore_after", ignore_after, terms)
        applies_to = _strings(rid, "applies_to", d.get("applies_to", list(LIGHT_TYPES)))
        if set(applies_to) - set(LIGHT_TYPES):
            raise _fail(rid, f"applies_to takes light types {', '.join(LIGHT_TYPES)}")
        params_in = d.get("params", {})
        if not isinstance(params_in, dict):
            raise _fail(rid, "'params' must be an object")
        params: list[tuple[str, ParamValue]] = []
        for key, value in params_in.items():
            if isinstance(value, list):
                params.append((key, _strings(rid, f"params.{key}", value)))
            elif isinstance(value, int | float | str) and not isinstance(value, bool):
                params.append((key, value))
            else:
                raise _fail(rid, f"params.{key} must be a number, a string or a list of strings")
        waves, areas = _example_record(rid, "example_record", d["example_record"])
        passes = d.get("example_passes_record")
        if passes is not None:
            passes = _example_record(rid, "example_passes_record", passes)
        return cls(
            id=d["id"],
            severity=d["severity"],
            title=d["title"],
            rationale=d["rationale"],
            message=d["message"],
            suggestion=d["suggestion"],
            kind=kind,
            patterns=patterns,
            example_fires=d["example_fires"],
            example_passes=d["example_passes"],
            example_wavelengths_nm=waves,
            example_areas=areas,
            passes_wavelengths_nm=None if passes is None else passes[0],
            passes_areas=None if passes is None else passes[1],
            applies_to=applies_to,
            terms=terms,
            unless=unless,
            ignore_after=ignore_after,
            params=tuple(params),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object this rule came from; optional keys only when they say something."""
        out: dict[str, Any] = {
            "id": self.id,
            "severity": self.severity,
            "title": self.title,
            "kind": self.kind,
        }
        if self.applies_to != LIGHT_TYPES:
            out["applies_to"] = list(self.applies_to)
        out |= {"rationale": self.rationale, "message": self.message}
        out["suggestion"] = self.suggestion
        out["patterns"] = {g: list(f) for g, f in self.patterns}
        if self.terms:
            out["terms"] = {g: list(f) for g, f in self.terms}
        if self.unless:
            out["unless"] = list(self.unless)
        if self.ignore_after:
            out["ignore_after"] = list(self.ignore_after)
        if self.params:
            out["params"] = {k: list(v) if isinstance(v, tuple) else v for k, v in self.params}
        out["example_fires"] = self.example_fires
        out["example_passes"] = self.example_passes
        out["example_record"] = {
            "wavelengths_nm": list(self.example_wavelengths_nm),
            "areas": list(self.example_areas),
        }
        if self.passes_wavelengths_nm is not None:
            out["example_passes_record"] = {
                "wavelengths_nm": list(self.passes_wavelengths_nm),
                "areas": list(self.passes_areas or ()),
            }
        return out

    @property
    def example_passes_wavelengths_nm(self) -> tuple[float, ...]:
        """The record ``example_passes`` is checked against (``example_record`` by default)."""
        if self.passes_wavelengths_nm is None:
            return self.example_wavelengths_nm
        return self.passes_wavelengths_nm

    @property
    def example_passes_areas(self) -> tuple[str, ...]:
        if self.passes_areas is None:
            return self.example_areas
        return self.passes_areas


def _example_record(
    rule_id: object, key: str, record: object
) -> tuple[tuple[float, ...], tuple[str, ...]]:
    if not isinstance(record, dict) or set(record) != {"wavelengths_nm", "areas"}:
        raise _fail(rule_id, f"{key} must hold exactly 'wavelengths_nm' and 'areas'")
    waves, areas = record["wavelengths_nm"], record["areas"]
    if not isinstance(waves, list) or not all(
        isinstance(w, int | float) and not isinstance(w, bool) for w in waves
    ):
        raise _fail(rule_id, f"{key}.wavelengths_nm must be a list of numbers")
    if not isinstance(areas, list) or not all(isinstance(a, str) and a for a in areas):
        raise _fail(rule_id, f"{key}.areas must be a list of area slugs")
    return tuple(waves), tuple(areas)


def load_rules(data: list[dict[str, Any]]) -> tuple[Rule, ...]:
    """Rules from the parsed ``seed/rules.json``; ValueError names the rule and the problem."""
    if not isinstance(data, list):
        raise ValueError("rules must be a JSON array of rule objects")
    rules = tuple(Rule.from_dict(d) for d in data)
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise _fail(rule.id, "duplicate id")
        seen.add(rule.id)
    return rules


def read_rules(path: str | PathLike[str]) -> tuple[Rule, ...]:
    with open(path, encoding="utf-8") as fh:
        return load_rules(json.load(fh))


# --- compiled form, cached per rules tuple -----------------------------------------------


@dataclass(frozen=True, slots=True)
class _Slot:
    rule: int
    group: str


class _Compiled:
    """One scanning alternation over every text pattern, plus per-rule helpers.

    ``scan`` finds the next position where any pattern starts; ``at`` then reports, in one
    call, every pattern group that matches at that position (overlapping claims of
    different rules are all found).
    """

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.slots: list[_Slot] = []
        alternatives: list[str] = []
        for i, rule in enumerate(rules):
            if rule.kind not in TEXT_KINDS:
                continue
            terms = dict(rule.terms)
            for group, fragments in rule.patterns:
                name = f"s{len(self.slots)}"
                self.slots.append(_Slot(i, group))
                alternatives.append(f"(?P<{name}>{word_regex(fragments, terms)})")
        self.scan = re.compile("|".join(alternatives), FLAGS) if alternatives else None
        at = "".join(f"(?:(?={alt}))?" for alt in alternatives)
        self.at = re.compile(at, FLAGS) if alternatives else None
        self.at_index = (
            [self.at.groupindex[f"s{k}"] for k in range(len(self.slots))] if self.at else []
        )
        self.unless = [_optional(r.unless, r.terms) for r in rules]
        self.ignore_after = [
            re.compile(
                word_regex(r.ignore_after, dict(r.terms)) + r"(?:[^\S\n]+[\w'-]+){0,2}[^\S\n]+$",
                FLAGS,
            )
            if r.ignore_after
            else None
            for r in rules
        ]
        self.readers = [
            wavelength_reader(r.group("unit")) if r.kind == "wavelength" else None for r in rules
        ]

    def candidates(self, text: str) -> list[tuple[int, int, int]]:
        """(slot, start, end) of every pattern match; one slot's matches never overlap."""
        if self.scan is None or self.at is None:
            return []
        found: list[tuple[int, int, int]] = []
        last_end = [-1] * len(self.slots)
        search, match, index = self.scan.search, self.at.match, self.at_index
        pos = 0
        while (m := search(text, pos)) is not None:
            regs = match(text, m.start()).regs  # type: ignore[union-attr]
            for k, gi in enumerate(index):
                start, end = regs[gi]
                if start >= 0 and start >= last_end[k]:
                    found.append((k, start, end))
                    last_end[k] = end
            pos = m.start() + 1
        return found


def _optional(fragments: tuple[str, ...], terms: Groups) -> re.Pattern[str] | None:
    return re.compile(word_regex(fragments, dict(terms)), FLAGS) if fragments else None


@lru_cache(maxsize=32)
def _compile(rules: tuple[Rule, ...]) -> _Compiled:
    return _Compiled(rules)


# --- evaluation --------------------------------------------------------------------------

Span = tuple[int, int]


@dataclass(slots=True)
class _Listing:
    description: str
    wavelengths: Sequence[float]
    areas: Sequence[Area]
    bands: Sequence[Band]
    light: str
    present: set[str]
    findings: list[ClaimFinding]

    def emit(self, rule: Rule, span: Span, detail: str | None = None) -> None:
        start, end = span
        text = self.description[start:end]
        values = {
            "text": text,
            "detail": text if detail is None else detail,
            "record": _nm(self.wavelengths),
            "light_type": LIGHT_TYPE_LABELS.get(self.light, self.light),
        }
        self.findings.append(
            ClaimFinding(
                rule.id,
                rule.severity,
                start,
                end,
                text,
                rule.message.format_map(values),
                rule.suggestion.format_map(values),
            )
        )


def _nm(values: Sequence[float]) -> str:
    return "/".join(f"{w:g}" for w in sorted(values)) + " nm" if values else "no emission"


def _band_names(slugs: set[str], bands: Sequence[Band]) -> str:
    names = [b.name.lower() for b in bands if b.slug in slugs]
    names += sorted(s for s in slugs if s not in {b.slug for b in bands})
    return " and ".join(names) + " light"


Claims = Mapping[str, list[Span]]
Evaluator = Callable[[_Listing, Rule, Claims], None]


def _phrase(ctx: _Listing, rule: Rule, claims: Claims) -> None:
    for spans in claims.values():
        for span in spans:
            ctx.emit(rule, span)


def _visible(ctx: _Listing, rule: Rule, claims: Claims) -> None:
    for span in claims.get("visible", []):
        ctx.emit(rule, span)
    if ctx.light == "nir":
        for span in claims.get("glow", []):
            ctx.emit(rule, span)


def _band(ctx: _Listing, rule: Rule, claims: Claims) -> None:
    every = {b.slug for b in ctx.bands}
    for group, spans in claims.items():
        missing = (every if group == "both" else {group}) - ctx.present
        for span in spans if missing else ():
            ctx.emit(rule, span, _band_names(missing, ctx.bands))


def _emphasis(ctx: _Listing, rule: Rule, claims: Claims) -> None:
    topic = claims.get("topic", [])
    if len(topic) > len(claims.get("counter", [])):
        for span in topic:
            ctx.emit(rule, span)


def _area_depth(ctx: _Listing, rule: Rule, claims: Claims) -> None:
    depths = rule.param("depths", ("deep", "both"))
    hit = [a.name.lower() for a in ctx.areas if a.depth in depths]
    if hit:
        ctx.emit(rule, (0, 0), ", ".join(hit))


def _outside_band(ctx: _Listing, rule: Rule, claims: Claims) -> None:
    outside = outside_bands(ctx.wavelengths, ctx.bands)
    if outside:
        ctx.emit(rule, (0, 0), _nm(outside))


def _wavelength_fault(mention: WavelengthMention, ctx: _Listing, tolerance: float) -> str | None:
    bad = []
    for lo, hi in mention.items:
        if lo == hi and not any(abs(w - lo) <= tolerance for w in ctx.wavelengths):
            bad.append(f"{lo:g} nm")
        elif lo != hi and not any(lo <= w <= hi for w in ctx.wavelengths):
            bad.append(f"a {lo:g}-{hi:g} nm range")
    return ", ".join(bad) if bad else None


EVALUATORS: dict[str, Evaluator] = {
    "phrase": _phrase,
    "visible": _visible,
    "band": _band,
    "emphasis": _emphasis,
    "area-depth": _area_depth,
    "outside-band": _outside_band,
}


def check_listing(
    description: str,
    wavelengths_nm: Sequence[float],
    areas: Sequence[Area],
    rules: Sequence[Rule],
    bands: Sequence[Band],
) -> list[ClaimFinding]:
    """Every rule finding for one listing, sorted by start offset, then rule id."""
    rules_t = rules if isinstance(rules, tuple) else tuple(rules)
    comp = _compile(rules_t)
    text = matching_text(description)
    raw = comp.candidates(text)
    mentions = {
        i: reader.read(text)
        for i, reader in enumerate(comp.readers)
        if reader is not None and rules_t[i].kind == "wavelength"
    }
    protected = [(s, e) for _, s, e in raw]
    scopes = negated_scopes(text, protected) if raw or any(mentions.values()) else []

    def holds(i: int, start: int, end: int) -> bool:
        """Whether a match at [start, end) is a claim: not negated, compared or excused."""
        if is_negated(start, scopes):
            return False
        before = comp.ignore_after[i]
        if before is not None and before.search(text, max(0, start - 60), start):
            return False
        unless = comp.unless[i]
        if unless is not None:
            lo, hi = max(0, start - 80), min(len(text), end + 80)
            if any(u.start() < end and start < u.end() for u in unless.finditer(text, lo, hi)):
                return False
        return True

    claims: dict[int, dict[str, list[Span]]] = {}
    for k, start, end in raw:
        slot = comp.slots[k]
        if holds(slot.rule, start, end):
            claims.setdefault(slot.rule, {}).setdefault(slot.group, []).append((start, end))

    ctx = _Listing(
        description,
        wavelengths_nm,
        areas,
        bands,
        light_type(wavelengths_nm, bands),
        bands_present(wavelengths_nm, bands),
        [],
    )
    for i, rule in enumerate(rules_t):
        if ctx.light not in rule.applies_to:
            continue
        if rule.kind == "wavelength":
            tolerance = float(rule.param("tolerance_nm", 5))  # type: ignore[arg-type]
            for m in mentions[i]:
                detail = _wavelength_fault(m, ctx, tolerance)
                if detail is not None and holds(i, m.start, m.end):
                    ctx.emit(rule, (m.start, m.end), detail)
        else:
            EVALUATORS[rule.kind](ctx, rule, claims.get(i, {}))

    ctx.findings.sort(key=lambda f: (f.start, f.rule, f.end))
    kept: list[ClaimFinding] = []
    last_end: dict[str, int] = {}
    for f in ctx.findings:
        if f.start < last_end.get(f.rule, -1):
            continue  # an overlapping second hit of the same rule ("near infrared" twice)
        kept.append(f)
        last_end[f.rule] = f.end
    return kept
