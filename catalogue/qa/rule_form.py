"""The rule editor's form: a rule as fields people can type, and back to a rule spec.

Word families, frames and patterns are typed one per line, a group name first::

    lexicon:   heal: heal, cure, mend, get rid of
    frames:    claim: heal ..3 condition
    patterns:  cure: cur(?:e|es|ed|ing)

``unless`` and the examples are one per line. A draft is saved only when ``Rule.from_dict``
accepts it and every example does what it says: each must-fire line fires the rule, no
must-not line does. Keys the form does not show (``terms``, ``params``, ``applies_to``, …)
are kept from the stored rule unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalogue.core.bands import Area, Band
from catalogue.core.claims.check import check_listing
from catalogue.core.claims.rules import (
    KIND_GROUPS,
    RECORD_KINDS,
    SEVERITIES,
    ClaimFinding,
    Record,
    Rule,
)

MAX_TEXT = 5_000  # one message, suggestion or rationale
MAX_LINES = 400  # lines of families, frames, patterns or examples
# A family line holds a whole word family: the seed's longest (instant-result's fast words)
# is about 26,000 characters and its lexicon about 60,000, so a rule the catalogue ships
# can always be saved back as it is, with room to grow
MAX_LINE = 50_000
MAX_FIELD = 250_000  # characters in one field of lines
TEXT_FIELDS = ("title", "rationale", "message", "suggestion")
LINE_FIELDS = ("lexicon", "frames", "patterns", "unless", "must_fire", "must_not")
FIELDS = ("rule_id", *TEXT_FIELDS, "severity", "kind", *LINE_FIELDS, "wavelengths", "areas")
LABELS = {
    "rule_id": "Rule id",
    "title": "Title",
    "rationale": "Why the rule exists",
    "message": "Message",
    "suggestion": "Suggestion",
    "severity": "Severity",
    "kind": "Kind",
    "lexicon": "Word families",
    "frames": "Frames",
    "patterns": "Patterns",
    "unless": "Never when",
    "must_fire": "Examples that must fire",
    "must_not": "Examples that must not fire",
    "wavelengths": "Example record: wavelengths (nm)",
    "areas": "Example record: body areas",
    "rule": "The rule",
}


@dataclass
class RuleDraft:
    """What the form says: the spec to store, whether the rule is on, its examples, and a
    message per field that is wrong (``errors``; empty when it may be saved)."""

    values: dict[str, str]
    enabled: bool
    spec: dict[str, Any] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    rule: Rule | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and self.rule is not None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _grouped_lines(groups: Mapping[str, Sequence[str]], *, joined: bool) -> str:
    """``{"heal": ["heal", "cure"]}`` as ``heal: heal, cure`` (joined) or a line per item."""
    if joined:
        return "\n".join(f"{name}: {', '.join(items)}" for name, items in groups.items())
    return "\n".join(f"{name}: {item}" for name, items in groups.items() for item in items)


def form_values(spec: Mapping[str, Any], examples: Mapping[str, Any] | None) -> dict[str, str]:
    """A stored rule as the form shows it."""
    record = spec.get("example_record") or {"wavelengths_nm": [], "areas": []}
    examples = examples or {}
    must_fire = examples.get("must_fire") or [spec.get("example_fires", "")]
    must_not = examples.get("must_not") or [spec.get("example_passes", "")]
    return {
        "rule_id": str(spec.get("id", "")),
        **{key: str(spec.get(key, "")) for key in TEXT_FIELDS},
        "severity": str(spec.get("severity", "warning")),
        "kind": str(spec.get("kind", "phrase")),
        "lexicon": _grouped_lines(spec.get("lexicon", {}), joined=True),
        "frames": _grouped_lines(spec.get("frames", {}), joined=False),
        "patterns": _grouped_lines(spec.get("patterns", {}), joined=False),
        "unless": "\n".join(spec.get("unless", [])),
        "must_fire": "\n".join(must_fire),
        "must_not": "\n".join(must_not),
        "wavelengths": ", ".join(f"{w:g}" for w in record.get("wavelengths_nm", [])),
        "areas": ", ".join(record.get("areas", [])),
    }


def posted_values(data: Mapping[str, Any]) -> dict[str, str]:
    """The form as posted; a missing field is empty."""
    return {key: str(data.get(key) or "").replace("\r\n", "\n") for key in FIELDS}


def _groups(text: str, *, joined: bool) -> tuple[dict[str, list[str]], str | None]:
    """Lines ``name: item`` (or ``name: a, b, c``) as groups; the problem, if any."""
    groups: dict[str, list[str]] = {}
    for number, line in enumerate(_lines(text), start=1):
        name, colon, rest = line.partition(":")
        name = name.strip()
        if not colon or not re.fullmatch(r"[a-z0-9_]+", name) or not rest.strip():
            return {}, (
                f"line {number}: write a group name (lower-case letters, digits, '_'), "
                f"a colon, then {'the words, separated by commas' if joined else 'the item'}"
            )
        items = [w.strip() for w in rest.split(",")] if joined else [rest.strip()]
        if any(not item for item in items):
            return {}, f"line {number}: an empty word between commas"
        groups.setdefault(name, []).extend(items)
    return groups, None


def _record(values: Mapping[str, str], areas: Mapping[str, Area]) -> tuple[Any, dict[str, str]]:
    errors: dict[str, str] = {}
    wavelengths: list[float] = []
    for part in [p.strip() for p in values["wavelengths"].split(",") if p.strip()]:
        try:
            nm = float(part)
        except ValueError:
            errors["wavelengths"] = f"{part[:20]!r} is not a wavelength in nm"
            break
        if not 380 <= nm <= 1400:
            errors["wavelengths"] = f"{part} nm is outside 380–1400 nm"
            break
        wavelengths.append(int(nm) if nm.is_integer() else nm)
    slugs = [p.strip() for p in values["areas"].split(",") if p.strip()]
    unknown = [s for s in slugs if s not in areas]
    if unknown:
        errors["areas"] = f"no body area {unknown[0][:40]!r} (use slugs such as knees, face)"
    return {"wavelengths_nm": wavelengths, "areas": slugs}, errors


# Which field a problem ``Rule.from_dict`` names belongs to, checked in this order.
_PROBLEM_FIELDS = (
    ("unless", "unless"),
    ("frame", "frames"),
    ("famil", "lexicon"),
    ("lexicon", "lexicon"),
    ("pattern", "patterns"),
    ("'message'", "message"),
    ("'suggestion'", "suggestion"),
    ("'title'", "title"),
    ("'rationale'", "rationale"),
    ("example_record", "wavelengths"),
    ("severity", "severity"),
    ("kind", "kind"),
    ("id ", "rule_id"),
    ("'id'", "rule_id"),
)


def problem_field(problem: str) -> str:
    lowered = problem.lower()
    return next((name for word, name in _PROBLEM_FIELDS if word in lowered), "rule")


def _fires(
    rule: Rule, text: str, record: Record, areas: Mapping[str, Area], bands: Sequence[Band]
) -> list[ClaimFinding]:
    """What this rule alone finds in one example, read with its example record."""
    wavelengths, slugs = record
    found = check_listing(
        text, list(wavelengths), [areas[s] for s in slugs if s in areas], (rule,), bands
    )
    return [f for f in found if f.rule == rule.id]


def size_errors(values: Mapping[str, str]) -> dict[str, str]:
    """The fields too long to read, each with what it may hold."""
    errors: dict[str, str] = {}
    for key in FIELDS:
        limit = MAX_TEXT if key in TEXT_FIELDS else MAX_FIELD
        if len(values[key]) > limit:
            errors[key] = f"Keep this under {limit:,} characters."
    for key in LINE_FIELDS:
        lines = values[key].splitlines()
        if len(lines) > MAX_LINES or any(len(line) > MAX_LINE for line in lines):
            errors[key] = f"At most {MAX_LINES} lines of {MAX_LINE:,} characters."
    return errors


def build_draft(
    values: Mapping[str, str],
    *,
    enabled: bool,
    stored: Mapping[str, Any] | None,
    areas: Mapping[str, Area],
    bands: Sequence[Band],
    taken_ids: Sequence[str] = (),
) -> RuleDraft:
    """The rule the form describes, checked: ``errors`` names each field that is wrong."""
    draft = RuleDraft(values=dict(values), enabled=enabled)
    errors = draft.errors
    errors.update(size_errors(values))
    rule_id = str(stored["id"]) if stored else values["rule_id"].strip()
    if len(rule_id) > 64:
        errors["rule_id"] = "Keep the id under 64 characters."
    elif stored is None and rule_id in taken_ids:
        errors["rule_id"] = f"There is already a rule {rule_id!r}; edit that one instead."
    if len(values["title"]) > 200:
        errors["title"] = "Keep the title under 200 characters."
    if values["severity"] not in SEVERITIES:
        errors["severity"] = f"Choose one of {', '.join(SEVERITIES)}."
    kind = str(stored["kind"]) if stored else values["kind"]
    if kind not in KIND_GROUPS:
        errors["kind"] = f"Choose one of {', '.join(KIND_GROUPS)}."
    lexicon, problem = _groups(values["lexicon"], joined=True)
    if problem:
        errors["lexicon"] = problem
    frames, problem = _groups(values["frames"], joined=False)
    if problem:
        errors["frames"] = problem
    patterns, problem = _groups(values["patterns"], joined=False)
    if problem:
        errors["patterns"] = problem
    record, record_errors = _record(values, areas)
    errors.update(record_errors)
    must_fire, must_not = _lines(values["must_fire"]), _lines(values["must_not"])
    if kind not in RECORD_KINDS:
        if not must_fire:
            errors["must_fire"] = "Give at least one example the rule must catch."
        if not must_not:
            errors["must_not"] = "Give at least one example the rule must leave alone."
    if errors:
        return draft
    spec: dict[str, Any] = {**(stored or {})}
    spec.update(
        {
            "id": rule_id,
            **{key: values[key].strip() for key in TEXT_FIELDS},
            "severity": values["severity"],
            "kind": kind,
            "patterns": patterns,
            "example_fires": must_fire[0] if must_fire else spec.get("example_fires", ""),
            "example_passes": must_not[0] if must_not else spec.get("example_passes", ""),
            "example_record": record,
        }
    )
    for key, value in (
        ("lexicon", lexicon),
        ("frames", frames),
        ("unless", _lines(values["unless"])),
    ):
        if value:
            spec[key] = value
        else:
            spec.pop(key, None)
    try:
        rule = Rule.from_dict(spec)
    except ValueError as exc:
        problem = str(exc).split(": ", 1)[-1]
        errors[problem_field(problem)] = problem[0].upper() + problem[1:] + "."
        return draft
    draft.spec, draft.rule = spec, rule
    draft.examples = {"must_fire": must_fire, "must_not": must_not}
    silent = [t for t in must_fire if not _fires(rule, t, rule.example_record, areas, bands)]
    if silent:
        errors["must_fire"] = "The rule does not catch: " + "; ".join(repr(t) for t in silent)
    noisy = [t for t in must_not if _fires(rule, t, rule.passes_record, areas, bands)]
    if noisy:
        errors["must_not"] = "The rule catches, but must not: " + "; ".join(repr(t) for t in noisy)
    return draft
