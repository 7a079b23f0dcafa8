"""Helpers for the claim checker tests: the rule file, the labelled corpus, one checker call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalogue.core.bands import Area, Band
from catalogue.core.claims.check import TEXT_KINDS, ClaimFinding, Rule, check_listing

ROOT = Path(__file__).resolve().parents[1]
RULES_JSON = ROOT / "seed" / "rules.json"
CASES_PATH = ROOT / "tests" / "data" / "claims_cases.jsonl"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"
EXCERPT = Path(__file__).parent / "data" / "article_excerpt.txt"

DOMAIN_RULES = {
    "cure-claim": "error",
    "instant-result": "error",
    "replaces-medical-care": "error",
    "miracle-or-guarantee": "error",
    "nerve-repair": "error",
    "visible-nir": "error",
    "burning-heat": "warning",
    "red-depth-claim": "error",
    "area-depth-mismatch": "warning",
    "wavelength-mismatch": "error",
    "band-mismatch": "error",
    "outside-article-band": "suggestion",
    "cosmetic-nir": "suggestion",
    "regulatory-approval": "error",
    "clinically-proven": "warning",
}


BATCHES_DIR = ROOT / "tests" / "data" / "claims"


def _cases() -> list[dict[str, Any]]:
    """The hand-written corpus and every batch written since (``tests/data/claims/``)."""
    out: list[dict[str, Any]] = []
    for path in [CASES_PATH, *sorted(BATCHES_DIR.glob("batch_*.jsonl"))]:
        with path.open(encoding="utf-8") as fh:
            out += [json.loads(line) for line in fh if line.strip()]
    return out


CASES = _cases()


def check(
    text: str,
    wavelengths: list[float] | tuple[float, ...],
    area_slugs: list[str] | tuple[str, ...],
    rules: tuple[Rule, ...],
    bands: list[Band],
    areas: dict[str, Area],
) -> list[ClaimFinding]:
    return check_listing(text, list(wavelengths), [areas[a] for a in area_slugs], rules, bands)


def assert_spans(text: str, findings: list[ClaimFinding], rules: tuple[Rule, ...]) -> None:
    kinds = {r.id: r.kind for r in rules}
    for f in findings:
        assert text[f.start : f.end] == f.text, f
        if kinds[f.rule] in TEXT_KINDS or kinds[f.rule] == "wavelength":
            assert f.text.strip(), f"phrase finding without words: {f}"
        else:
            assert (f.start, f.end, f.text) == (0, 0, ""), f
        assert f.message and f.suggestion and "{" not in f.message + f.suggestion
    assert findings == sorted(findings, key=lambda f: (f.start, f.rule, f.end))
