"""Precision and recall of the claim checker per rule over the labelled corpus.

Run from the repo root: ``python scripts/eval_claims.py [path/to/cases.jsonl]``.
Lists every disagreement, then a table of TP/FP/FN, precision and recall per rule and in
total. Exits 1 when a case disagrees, so it can gate CI.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from catalogue.core.bands import Area, Band  # noqa: E402
from catalogue.core.claims.check import check_listing, read_rules  # noqa: E402


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


def main(argv: list[str]) -> int:
    cases_path = Path(argv[1]) if len(argv) > 1 else ROOT / "tests" / "data" / "claims_cases.jsonl"
    rules = read_rules(ROOT / "seed" / "rules.json")
    bands = load_bands(ROOT / "seed" / "bands.csv")
    areas = load_areas(ROOT / "seed" / "areas.csv")
    counts = {r.id: [0, 0, 0] for r in rules}  # tp, fp, fn
    wrong = 0
    with cases_path.open(encoding="utf-8") as fh:
        cases = [json.loads(line) for line in fh if line.strip()]
    for case in cases:
        found = check_listing(
            case["description"],
            case["wavelengths_nm"],
            [areas[a] for a in case["areas"]],
            rules,
            bands,
        )
        got = {f.rule for f in found}
        expected = set(case["expect"])
        for rule_id in got | expected:
            tally = counts.setdefault(rule_id, [0, 0, 0])
            tally[0 if rule_id in got & expected else 1 if rule_id in got else 2] += 1
        if got != expected:
            wrong += 1
            extra, missing = sorted(got - expected), sorted(expected - got)
            print(f"MISMATCH {case['id']}: extra={extra} missing={missing}")
            print(f"    {case['description']!r}")
            for f in found:
                print(f"    - {f.rule}: {f.text!r}")

    def ratio(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "  n/a"

    print(f"\n{'rule':24} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}")
    total = [0, 0, 0]
    for rule_id, (tp, fp, fn) in counts.items():
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
        print(f"{rule_id:24} {tp:4} {fp:4} {fn:4} {ratio(tp, tp + fp):>10} {ratio(tp, tp + fn):>8}")
    tp, fp, fn = total
    print(f"{'TOTAL':24} {tp:4} {fp:4} {fn:4} {ratio(tp, tp + fp):>10} {ratio(tp, tp + fn):>8}")
    print(f"\n{len(cases)} cases, {len(cases) - wrong} exactly right, {wrong} wrong")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
