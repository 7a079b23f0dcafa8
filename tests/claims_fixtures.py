"""The seeded rules, bands and areas the claim checker tests run against, loaded once a module."""

from __future__ import annotations

import csv
import json
from typing import Any

import pytest

from catalogue.core.bands import Area, Band
from catalogue.core.claims.check import Rule, load_rules
from tests.claims_support import ROOT, RULES_JSON


@pytest.fixture(scope="module")
def rules_data() -> list[dict[str, Any]]:
    return json.loads(RULES_JSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rules(rules_data: list[dict[str, Any]]) -> tuple[Rule, ...]:
    return load_rules(rules_data)


@pytest.fixture(scope="module")
def bands() -> list[Band]:
    with (ROOT / "seed" / "bands.csv").open(encoding="utf-8") as fh:
        return [
            Band(r["slug"], r["name"], float(r["min_nm"]), float(r["max_nm"]), r["depth"])  # type: ignore[arg-type]
            for r in csv.DictReader(fh)
        ]


@pytest.fixture(scope="module")
def areas() -> dict[str, Area]:
    with (ROOT / "seed" / "areas.csv").open(encoding="utf-8") as fh:
        return {
            r["slug"]: Area(r["slug"], r["name"], r["depth"], r["group"], r["target"])  # type: ignore[arg-type]
            for r in csv.DictReader(fh)
        }
