"""Precision and recall of the claim checker per rule: the project corpus, then the outside set.

Run from the repo root: ``python scripts/eval_claims.py [cases.jsonl ...]``. With no
argument it scores the project corpus (``tests/data/claims_cases.jsonl`` and every
``tests/data/claims/batch_*.jsonl``) and, when ``../shared/claims/external_dev.jsonl``
exists, that external set separately (its labels are ``must``/``must_not`` lists). Lists
every disagreement, then TP/FP/FN, precision and recall per rule, and text-rule recall
with the count of false positives (the figures kept in ``tests/data/claims_batches.md``).
Exits 1 when a project case disagrees, so it can gate CI.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from catalogue.core.bands import Area, Band  # noqa: E402
from catalogue.core.claims.check import (  # noqa: E402
    RECORD_KINDS,
    TEXT_KINDS,
    Rule,
    check_listing,
    read_rules,
)
from catalogue.core.claims.coverage import claim_shapes  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "claims" / "external_dev.jsonl"


def load_bands(path: Path) -> list[Band]:
    with path.open(encoding="utf-8") as fh:
        return [
            Band(r["slug"], r["name"], float(r["min_nm"]), float(r["max_nm"]), r["depth"])  # type: ignore[arg-type]
            for r in csv.DictReader(fh)
        ]


def load_areas(path: Path) -> dict[str, Area]:
    with path.open(encoding="utf-8") as fh:
        return {
            r["slug"]: Area(r["slug"], r["name"], r["depth"], r["group"], r["target"])  # type: ignore[arg-type]
            for r in csv.DictReader(fh)
        }


def read_cases(paths: list[Path]) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            cases += [json.loads(line) for line in fh if line.strip()]
    return cases


def score(title: str, cases: list[dict[str, Any]], rules: tuple[Rule, ...]) -> int:
    """Print the disagreements and the table; return how many cases disagree."""
    bands = load_bands(ROOT / "seed" / "bands.csv")
    areas = load_areas(ROOT / "seed" / "areas.csv")
    record_rules = {r.id for r in rules if r.kind in RECORD_KINDS}
    counts = {r.id: [0, 0, 0] for r in rules}  # tp, fp, fn
    wrong = 0
    for case in cases:
        found = check_listing(
            case["description"],
            case["wavelengths_nm"],
            [areas[a] for a in case["areas"]],
            rules,
            bands,
        )
        got = {f.rule for f in found}
        if "expect" in case:  # the project's cases: the exact set of rules
            expected, judged = set(case["expect"]), got | set(case["expect"])
        else:  # the external set: rules that must fire and rules that must not
            expected = set(case["must"])
            judged = expected | (got & set(case["must_not"]))
        for rule_id in judged:
            tally = counts.setdefault(rule_id, [0, 0, 0])
            tally[0 if rule_id in got & expected else 1 if rule_id in got else 2] += 1
        if {r for r in got if r in judged} != expected:
            wrong += 0 if case.get("known_miss") else 1
            extra, missing = sorted((got & judged) - expected), sorted(expected - got)
            print(f"MISMATCH {case['id']}: extra={extra} missing={missing}")
            print(f"    {case['description']!r}")
            for f in found:
                print(f"    - {f.rule}: {f.text!r}")

    def ratio(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "  n/a"

    print(f"\n{title}")
    print(f"{'rule':24} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}")
    total = [0, 0, 0]
    text = [0, 0, 0]
    for rule_id, (tp, fp, fn) in counts.items():
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
        if rule_id not in record_rules:
            text = [text[0] + tp, text[1] + fp, text[2] + fn]
        print(f"{rule_id:24} {tp:4} {fp:4} {fn:4} {ratio(tp, tp + fp):>10} {ratio(tp, tp + fn):>8}")
    tp, fp, fn = total
    print(f"{'TOTAL':24} {tp:4} {fp:4} {fn:4} {ratio(tp, tp + fp):>10} {ratio(tp, tp + fn):>8}")
    print(
        f"text rules: recall {ratio(text[0], text[0] + text[2])} ({text[0]}/{text[0] + text[2]}),"
        f" false positives {text[1]}"
    )
    known = sum(1 for c in cases if c.get("known_miss"))
    print(f"{len(cases)} cases: {wrong} wrong, {known} known misses (kinds it cannot read yet)")
    return wrong


def case_counts(cases: list[dict[str, Any]], rules: tuple[Rule, ...]) -> dict[str, tuple[int, int]]:
    """Per text rule: cases that must fire it, and tricky cases that must not (its words
    shape a claim, but negation, a question, another sense or the record clear it)."""
    counts = {r.id: [0, 0] for r in rules if r.kind in TEXT_KINDS}
    for case in cases:
        shaped = claim_shapes(case["description"], rules)
        for rule_id, tally in counts.items():
            if rule_id in case["expect"]:
                tally[0] += 1
            elif rule_id in shaped:
                tally[1] += 1
    return {k: (a, b) for k, (a, b) in counts.items()}


def print_case_counts(cases: list[dict[str, Any]], rules: tuple[Rule, ...]) -> None:
    print(f"\n{'text rule':24} {'must fire':>10} {'tricky must-not':>16}")
    for rule_id, (fire, tricky) in case_counts(cases, rules).items():
        print(f"{rule_id:24} {fire:10} {tricky:16}")


def main(argv: list[str]) -> int:
    rules = read_rules(ROOT / "seed" / "rules.json")
    if len(argv) > 1:
        return 1 if score("given cases", read_cases([Path(a) for a in argv[1:]]), rules) else 0
    own = [ROOT / "tests" / "data" / "claims_cases.jsonl"]
    own += sorted((ROOT / "tests" / "data" / "claims").glob("batch_*.jsonl"))
    cases = read_cases(own)
    wrong = score("project corpus", cases, rules)
    print_case_counts(cases, rules)
    if EXTERNAL.exists():
        print()
        score(
            f"external set ({EXTERNAL.name}, not the project's words)",
            read_cases([EXTERNAL]),
            rules,
        )
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
