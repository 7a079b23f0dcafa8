"""Claim rules as data: the objects of ``seed/rules.json`` and their validation.

A rule object holds ``id``, ``severity``, ``title``, ``rationale``, ``message`` and
``suggestion`` (templates with ``{text}``, ``{record}``, ``{detail}``, ``{light_type}``),
``kind``, ``patterns`` (regex fragments by group, may be ``{}``), the examples, and
optionally ``applies_to``, ``terms`` (named regex alternations), ``unless``,
``ignore_after``, ``params``, and the word families ``lexicon`` with the ``frames`` that
join them (format in ``lexicon``). The format is stable: the rule editor writes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from os import PathLike
from string import Formatter
from typing import Any

from catalogue.core.bands import LIGHT_TYPES
from catalogue.core.claims.lexicon import lexicon_problem
from catalogue.core.claims.text import patterns_problem

SEVERITIES = ("error", "warning", "suggestion")
# kind -> the pattern groups it accepts (None: any name)
KIND_GROUPS: dict[str, frozenset[str] | None] = {
    "phrase": None,
    "visible": frozenset({"visible", "glow", "every", "answer", "pronoun"}),
    "band": None,
    "emphasis": frozenset({"topic", "counter"}),
    "wavelength": frozenset({"unit"}),
    "area-depth": frozenset(),
    "outside-band": frozenset(),
}
TEXT_KINDS = frozenset({"phrase", "visible", "band", "emphasis"})
RECORD_KINDS = frozenset({"area-depth", "outside-band"})  # check the record, not the words
REQUIRED_KEYS = (
    *(
        "id",
        "severity",
        "title",
        "rationale",
        "message",
        "suggestion",
        "kind",
        "patterns",
    ),
    *("example_fires", "example_passes", "example_record"),
)
OPTIONAL_KEYS = (
    *(
        "applies_to",
        "terms",
        "unless",
        "ignore_after",
        "params",
        "example_passes_record",
    ),
    *("lexicon", "frames"),
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
    lexicon: Groups = ()  # word families, see ``lexicon``
    frames: Groups = ()  # group -> frames joining the families

    def __post_init__(self) -> None:  # rules are cache keys: hash once
        object.__setattr__(self, "_hash", hash(tuple(getattr(self, f.name) for f in fields(self))))
        object.__setattr__(self, "_params", dict(self.params))  # read on every listing

    def __hash__(self) -> int:
        return int(self.__dict__["_hash"])

    def group(self, name: str) -> tuple[str, ...]:
        return dict(self.patterns).get(name, ())

    def number(self, name: str, default: float) -> float:
        value = self.__dict__["_params"].get(name, default)
        return float(value) if isinstance(value, int | float) else default

    def words(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self.__dict__["_params"].get(name, default)
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
        for key in (
            "id",
            "title",
            "rationale",
            "message",
            "suggestion",
            "kind",
            "severity",
        ):
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
        lexicon = _groups(rid, "lexicon", d.get("lexicon", {}))
        frames = _groups(rid, "frames", d.get("frames", {}))
        group_names = {g for g, _ in patterns} | {g for g, _ in frames}
        if allowed is not None and group_names - allowed:
            raise _fail(rid, f"kind {kind!r} accepts pattern groups {sorted(allowed)} only")
        if kind in TEXT_KINDS and not patterns and not frames:
            raise _fail(rid, f"kind {kind!r} needs patterns or frames")
        if kind == "wavelength" and not patterns:
            raise _fail(rid, "kind 'wavelength' needs patterns")
        if (lexicon or frames) and kind not in TEXT_KINDS:
            raise _fail(rid, f"kind {kind!r} takes no lexicon or frames")
        # a family that ``params.antecedent`` (or ``antecedent_<group>``) or ``params.rival``
        # names is read by the evaluator, not by a frame
        params_d = d["params"] if isinstance(d.get("params"), dict) else {}
        read = [
            n
            for key, named in params_d.items()
            if key in ("antecedent", "rival") or key.startswith("antecedent_")
            for n in ([named] if isinstance(named, str) else named)
            if isinstance(n, str)
        ]
        families = dict(lexicon)
        problem = lexicon_problem(
            families, [f for _, fs in frames for f in fs] + [n for n in read if n in families]
        )
        if problem:
            raise _fail(rid, problem)
        terms = _groups(rid, "terms", d.get("terms", {}))
        unless = _strings(rid, "unless", d.get("unless", []))
        ignore_after = _strings(rid, "ignore_after", d.get("ignore_after", []))
        checks = [(f"patterns.{g}", fs) for g, fs in patterns]
        for where, fragments in [
            *checks,
            ("unless", unless),
            ("ignore_after", ignore_after),
        ]:
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
            lexicon=lexicon,
            frames=frames,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object this rule came from; optional keys only when they say something."""
        out: dict[str, Any] = {
            "id": self.id,
            "severity": self.severity,
            "title": self.title,
        }
        out["kind"] = self.kind
        if self.applies_to != LIGHT_TYPES:
            out["applies_to"] = list(self.applies_to)
        out |= {"rationale": self.rationale, "message": self.message}
        out["suggestion"] = self.suggestion
        out["patterns"] = {g: list(f) for g, f in self.patterns}
        if self.terms:
            out["terms"] = {g: list(f) for g, f in self.terms}
        if self.lexicon:
            out["lexicon"] = {g: list(f) for g, f in self.lexicon}
        if self.frames:
            out["frames"] = {g: list(f) for g, f in self.frames}
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
