"""The claim checker: a listing's words and its device record against the claim rules.

Rules are data (``seed/rules.json``). Their phrase patterns are compiled into one combined
scanner per rules tuple (cached), and each rule is evaluated by its ``kind``:

- ``phrase``: every claim its patterns find fires (negated ones do not, see ``claim_text``).
- ``visible``: group ``visible`` fires always; group ``glow`` only for a NIR-only device.
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

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
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
from catalogue.core.claims.text import (
    CONTRASTS,
    NEGATORS,
    PhraseScanner,
    expand_fragment,
    matching_text,
    negated_scopes,
    patterns_problem,
    wavelength_reader,
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
RECORD_KINDS = frozenset({"area-depth", "outside-band"})  # check the record, not the words
REQUIRED_KEYS = (
    *("id", "severity", "title", "rationale", "message", "suggestion", "kind", "patterns"),
    *("example_fires", "example_passes", "example_record"),
)
OPTIONAL_KEYS = (
    *("applies_to", "terms", "unless", "ignore_after", "params", "example_passes_record"),
)
PLACEHOLDERS = frozenset({"text", "record", "detail", "light_type"})

Groups = tuple[tuple[str, tuple[str, ...]], ...]
ParamValue = int | float | str | tuple[str, ...]
Record = tuple[tuple[float, ...], tuple[str, ...]]


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
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _fail(rule_id: object, problem: str) -> ValueError:
    return ValueError(f"rule {rule_id!r}: {problem}")


def _strings(rid: object, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(rid, f"{key!r} must be a list of non-empty strings")
    return tuple(value)


def _groups(rid: object, key: str, value: object) -> Groups:
    if not isinstance(value, dict):
        raise _fail(rid, f"{key!r} must be an object of lists")
    return tuple((str(k), _strings(rid, f"{key}.{k}", v)) for k, v in value.items())


def _record(rid: object, key: str, value: object) -> Record:
    if not isinstance(value, dict) or set(value) != {"wavelengths_nm", "areas"}:
        raise _fail(rid, f"{key!r} must hold exactly 'wavelengths_nm' and 'areas'")
    waves = value["wavelengths_nm"]
    if not isinstance(waves, list) or not all(
        isinstance(w, int | float) and not isinstance(w, bool) for w in waves
    ):
        raise _fail(rid, f"{key}.wavelengths_nm must be a list of numbers")
    return tuple(waves), _strings(rid, f"{key}.areas", value["areas"])


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
    example_record: Record
    example_passes_record: Record | None = None  # record checks: the passing record
    applies_to: tuple[str, ...] = LIGHT_TYPES
    terms: Groups = ()
    unless: tuple[str, ...] = ()
    ignore_after: tuple[str, ...] = ()
    params: tuple[tuple[str, ParamValue], ...] = ()

    def __post_init__(self) -> None:  # rules are cache keys: hash once
        object.__setattr__(self, "_hash", hash(tuple(getattr(self, f.name) for f in fields(self))))

    def __hash__(self) -> int:
        return int(self.__dict__["_hash"])

    def group(self, name: str) -> tuple[str, ...]:
        return dict(self.patterns).get(name, ())

    def number(self, name: str, default: float) -> float:
        value = dict(self.params).get(name, default)
        return float(value) if isinstance(value, int | float) else default

    def words(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = dict(self.params).get(name, default)
        return value if isinstance(value, tuple) else (str(value),)

    @property
    def passes_record(self) -> Record:
        """The record ``example_passes`` is checked against."""
        return self.example_passes_record or self.example_record

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
        for key in ("id", "title", "rationale", "message", "suggestion", "kind", "severity"):
            if not isinstance(d[key], str) or not d[key].strip():
                raise _fail(rid, f"{key!r} must be a non-empty string")
        rid = d["id"]
        if not isinstance(d["example_fires"], str) or not isinstance(d["example_passes"], str):
            raise _fail(rid, "'example_fires' and 'example_passes' must be strings")
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", d["id"]):
            raise _fail(rid, "id must be lower-case words joined by hyphens")
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
                bad = sorted(names - PLACEHOLDERS)
                raise _fail(rid, f"{key!r} uses unknown placeholder(s) {bad}")
        patterns = _groups(rid, "patterns", d["patterns"])
        allowed = KIND_GROUPS[kind]
        if allowed is not None and {g for g, _ in patterns} - allowed:
            raise _fail(rid, f"kind {kind!r} accepts pattern groups {sorted(allowed)} only")
        if kind in TEXT_KINDS | {"wavelength"} and not patterns:
            raise _fail(rid, f"kind {kind!r} needs patterns")
        terms = _groups(rid, "terms", d.get("terms", {}))
        unless = _strings(rid, "unless", d.get("unless", []))
        ignore_after = _strings(rid, "ignore_after", d.get("ignore_after", []))
        checks = [(f"patterns.{g}", fs) for g, fs in patterns]
        for where, fragments in [*checks, ("unless", unless), ("ignore_after", ignore_after)]:
            problem = patterns_problem(fragments, dict(terms))
            if problem:
                raise _fail(rid, f"{where}: {problem}")
        applies_to = _strings(rid, "applies_to", d.get("applies_to", list(LIGHT_TYPES)))
        if set(applies_to) - set(LIGHT_TYPES):
            raise _fail(rid, f"applies_to takes light types {', '.join(LIGHT_TYPES)}")
        params: list[tuple[str, ParamValue]] = []
        params_in = d.get("params", {})
        if not isinstance(params_in, dict):
            raise _fail(rid, "'params' must be an object")
        for key, value in params_in.items():
            if isinstance(value, list):
                params.append((key, _strings(rid, f"params.{key}", value)))
            elif isinstance(value, int | float | str) and not isinstance(value, bool):
                params.append((key, value))
            else:
                raise _fail(rid, f"params.{key} must be a number, a string or a list of strings")
        passes = d.get("example_passes_record")
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
            example_record=_record(rid, "example_record", d["example_record"]),
            example_passes_record=None
            if passes is None
            else _record(rid, "example_passes_record", passes),
            applies_to=applies_to,
            terms=terms,
            unless=unless,
            ignore_after=ignore_after,
            params=tuple(params),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object this rule came from; optional keys only when they say something."""
        out: dict[str, Any] = {"id": self.id, "severity": self.severity, "title": self.title}
        out["kind"] = self.kind
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
        records: list[tuple[str, Record | None]] = [("example_record", self.example_record)]
        records.append(("example_passes_record", self.example_passes_record))
        for key, rec in records:
            if rec is not None:
                out[key] = {"wavelengths_nm": list(rec[0]), "areas": list(rec[1])}
        return out


def load_rules(data: list[dict[str, Any]]) -> tuple[Rule, ...]:
    """Rules from the parsed ``seed/rules.json``; ValueError names the rule and the problem."""
    if not isinstance(data, list):
        raise ValueError("rules must be a JSON array of rule objects")
    rules = tuple(Rule.from_dict(d) for d in data)
    ids = [r.id for r in rules]
    for rid in ids:
        if ids.count(rid) > 1:
            raise _fail(rid, "duplicate id")
    return rules


def read_rules(path: str | PathLike[str]) -> tuple[Rule, ...]:
    with open(path, encoding="utf-8") as fh:
        return load_rules(json.load(fh))


# --- compiled form, cached per rules tuple -----------------------------------------------

Slot = tuple[str, int, str]  # (role, rule index, group); role: claim, unless, after, negator...
RecordKey = tuple[str, frozenset[str], frozenset[str]]  # light type, bands present, all bands
Plan = tuple[PhraseScanner, list[Slot], list[tuple[int, "Rule"]]]


def _needed(
    rule: Rule, group: str, light: str, present: frozenset[str], every: frozenset[str]
) -> bool:
    """Whether a pattern group can lead to a finding for a device with these bands."""
    if light not in rule.applies_to:
        return False
    if rule.kind == "visible" and group == "glow":
        return light == "nir"
    if rule.kind == "band":
        return not (every if group == "both" else {group}) <= present
    return True


class _Compiled:
    """The rules' patterns compiled once; one phrase scanner per kind of device record.

    Every scanner holds the claim patterns that can fire for that record (a combined
    device cannot break the band rule, so its band words are not even looked for), the
    rules' ``unless`` and ``ignore_after`` phrases, the negators and the contrast words.
    """

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self.expanded = [
            {g: [expand_fragment(f, dict(r.terms)) for f in fs] for g, fs in r.patterns}
            for r in rules
        ]
        self.excuses = [
            {
                role: [expand_fragment(f, dict(r.terms)) for f in fs]
                for role, fs in (("unless", r.unless), ("after", r.ignore_after))
                if fs
            }
            for r in rules
        ]
        self.readers = [
            wavelength_reader(r.group("unit")) if r.kind == "wavelength" else None for r in rules
        ]
        self.after_gap = re.compile(r"(?:[^\S\n]+[\w'-]+){0,2}[^\S\n]+")  # <= 2 words
        self._plans: dict[RecordKey, Plan] = {}
        self._records: dict[tuple[tuple[float, ...], tuple[Band, ...]], RecordKey] = {}

    def record(self, wavelengths: Sequence[float], bands: Sequence[Band]) -> RecordKey:
        """Light type, bands present and all band slugs for a record (cached by value)."""
        key = (tuple(wavelengths), tuple(bands))
        found = self._records.get(key)
        if found is None:
            present = frozenset(bands_present(wavelengths, bands))
            found = (light_type(wavelengths, bands), present, frozenset(b.slug for b in bands))
            if len(self._records) > 4096:
                self._records.clear()
            self._records[key] = found
        return found

    def plan(self, light: str, present: frozenset[str], every: frozenset[str]) -> Plan:
        """The scanner, its slots and the rules to evaluate, for one kind of device record."""
        key = (light, present, every)
        if key not in self._plans:
            slots: list[Slot] = [("negator", -1, ""), ("contrast", -1, "")]
            fragments = [[expand_fragment(f, {}) for f in NEGATORS]]
            fragments.append([expand_fragment(f, {}) for f in CONTRASTS])
            for i, rule in enumerate(self.rules):
                if rule.kind not in TEXT_KINDS:
                    continue
                groups = [g for g, _ in rule.patterns if _needed(rule, g, light, present, every)]
                for group in groups:
                    slots.append(("claim", i, group))
                    fragments.append(self.expanded[i][group])
                for role, frs in self.excuses[i].items() if groups else ():
                    slots.append((role, i, ""))
                    fragments.append(frs)
            todo = [(i, r) for i, r in enumerate(self.rules) if light in r.applies_to]
            self._plans[key] = (PhraseScanner(fragments), slots, todo)
        return self._plans[key]


@lru_cache(maxsize=32)
def _compile(rules: tuple[Rule, ...]) -> _Compiled:
    return _Compiled(rules)


_recent: _Compiled | None = None


def _compiled(rules: Sequence[Rule]) -> _Compiled:
    """The compiled rules; the same rule objects as last time skip hashing the tuple."""
    global _recent
    recent = _recent
    if recent is not None and recent.rules is rules:
        return recent
    if (
        recent is not None
        and len(recent.rules) == len(rules)
        and all(a is b for a, b in zip(recent.rules, rules, strict=True))
    ):
        return recent
    _recent = comp = _compile(rules if isinstance(rules, tuple) else tuple(rules))
    return comp


def warm_up(rules: Sequence[Rule], bands: Sequence[Band]) -> None:
    """Compile the scanners for every combination of bands now (about 0.1 s each), so the
    first listing checked after start-up is as fast as the rest."""
    comp = _compiled(rules)
    for mask in range(1 << len(bands)):
        chosen = [b for k, b in enumerate(bands) if mask >> k & 1]
        comp.plan(*comp.record([(b.min_nm + b.max_nm) / 2 for b in chosen], bands))


# --- evaluation --------------------------------------------------------------------------

Span = tuple[int, int]
Claims = Mapping[str, list[Span]]


@dataclass(slots=True)
class _Listing:
    description: str
    wavelengths: Sequence[float]
    areas: Sequence[Area]
    bands: Sequence[Band]
    light: str
    present: frozenset[str]
    record: str
    findings: list[ClaimFinding] = field(default_factory=list)

    def emit(self, rule: Rule, span: Span, detail: str | None = None) -> None:
        text = self.description[span[0] : span[1]]
        values = {
            "text": text,
            "detail": text if detail is None else detail,
            "record": self.record,
            "light_type": LIGHT_TYPE_LABELS.get(self.light, self.light),
        }
        message, suggestion = (rule.message.format_map(values), rule.suggestion.format_map(values))
        self.findings.append(ClaimFinding(rule.id, rule.severity, *span, text, message, suggestion))


def _nm(values: Sequence[float]) -> str:
    return "/".join(f"{w:g}" for w in sorted(values)) + " nm" if values else "no emission"


def _phrase(ctx: _Listing, rule: Rule, claims: Claims) -> None:
    for spans in claims.values():
        for span in spans:
            ctx.emit(rule, span)


def _visible(ctx: _Listing, rule: Rule, claims: Claims) -> None:
    for span in claims.get("visible", []) + (claims.get("glow", []) if ctx.light == "nir" else []):
        ctx.emit(rule, span)


def _band(ctx: _Listing, rule: Rule, claims: Claims) -> None:
    every = [b.slug for b in ctx.bands]
    for group, spans in claims.items():
        missing = {s for s in (every if group == "both" else [group]) if s not in ctx.present}
        names = [b.name.lower() for b in ctx.bands if b.slug in missing]
        names += sorted(missing - set(every))
        for span in spans if missing else ():
            ctx.emit(rule, span, " and ".join(names) + " light")


def _emphasis(ctx: _Listing, rule: Rule, claims: Claims) -> None:
    topic = claims.get("topic", [])
    if len(topic) > len(claims.get("counter", [])):
        for span in topic:
            ctx.emit(rule, span)


def _area_depth(ctx: _Listing, rule: Rule, claims: Claims) -> None:
    depths = rule.words("depths", ("deep", "both"))
    hit = [a.name.lower() for a in ctx.areas if a.depth in depths]
    if hit:
        ctx.emit(rule, (0, 0), ", ".join(hit))


def _outside_band(ctx: _Listing, rule: Rule, claims: Claims) -> None:
    outside = outside_bands(ctx.wavelengths, ctx.bands)
    if outside:
        ctx.emit(rule, (0, 0), _nm(outside))


EVALUATORS: dict[str, Callable[[_Listing, Rule, Claims], None]] = {
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
    comp = _compiled(rules)
    text = matching_text(description)
    light, present, every = comp.record(wavelengths_nm, bands)
    scanner, slots, todo = comp.plan(light, present, every)
    negators: list[Span] = []
    contrasts: list[Span] = []
    found: list[tuple[int, int, int, str]] = []  # (rule index, start, end, group)
    excuses: dict[int, list[tuple[str, int, int]]] = {}
    for k, start, end in scanner.find(text):
        role, i, group = slots[k]
        if role == "claim":
            found.append((i, start, end, group))
        elif role == "negator":
            negators.append((start, end))
        elif role == "contrast":
            contrasts.append((start, end))
        else:
            excuses.setdefault(i, []).append((role, start, end))
    scopes: list[Span] | None = None

    def holds(i: int, start: int, end: int) -> bool:
        """Whether a match is a claim: not negated, not after a comparison, not excused."""
        nonlocal scopes
        if scopes is None:  # worked out on first need: most clean listings never need it
            claimed = [(s, e) for _, s, e, _ in found]
            scopes = negated_scopes(text, negators, contrasts, claimed)
        for a, b in scopes:
            if a <= start < b:
                return False
        for role, s, e in excuses.get(i, ()):
            if role == "unless" and s < end and start < e:
                return False
            if role == "after" and e <= start and comp.after_gap.fullmatch(text, e, start):
                return False
        return True

    claims: dict[int, dict[str, list[Span]]] = {}
    for i, start, end, group in found:
        if holds(i, start, end):
            claims.setdefault(i, {}).setdefault(group, []).append((start, end))

    ctx = _Listing(description, wavelengths_nm, areas, bands, light, present, _nm(wavelengths_nm))
    for i, rule in todo:
        if rule.kind in TEXT_KINDS:
            if i in claims:  # a text rule with no claim in the listing has nothing to say
                EVALUATORS[rule.kind](ctx, rule, claims[i])
            continue
        if rule.kind != "wavelength":
            EVALUATORS[rule.kind](ctx, rule, {})
            continue
        tolerance = rule.number("tolerance_nm", 5)
        reader = comp.readers[i]
        for m in reader.read(text) if reader is not None else ():
            bad = [
                f"{lo:g} nm" if lo == hi else f"a {lo:g}-{hi:g} nm range"
                for lo, hi in m.items
                if not any(
                    (abs(w - lo) <= tolerance) if lo == hi else (lo <= w <= hi)
                    for w in wavelengths_nm
                )
            ]
            if bad and holds(i, m.start, m.end):
                ctx.emit(rule, (m.start, m.end), ", ".join(bad))

    ctx.findings.sort(key=lambda f: (f.start, f.rule, f.end))
    kept: list[ClaimFinding] = []
    last_end: dict[str, int] = {}
    for f in ctx.findings:
        if f.start < last_end.get(f.rule, 0):
            continue  # an overlapping second hit of the same rule ("near infrared" twice)
        kept.append(f)
        last_end[f.rule] = f.end
    return kept
