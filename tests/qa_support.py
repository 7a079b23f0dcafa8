"""Listings built from the rules' own examples, for the QA page, API and CLI tests.

Taking the words from ``seed/rules.json`` keeps these tests about the interfaces: the
checker's own tests (tests/test_claims.py) say which words fire which rule.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy.orm import Session

from catalogue.data.models import Device
from catalogue.settings import ROOT
from tests.factories import add_device

RULES: dict[str, dict[str, Any]] = {
    r["id"]: r for r in json.loads((ROOT / "seed" / "rules.json").read_text(encoding="utf-8"))
}
CLEAN_WORDS = "A panel for gradual, gentle support after training."


def add_listing(session: Session, rule_id: str | None = None, **overrides: Any) -> Device:
    """A device whose description and record fire ``rule_id`` (or a clean one with None)."""
    if rule_id is None:
        data: dict[str, Any] = {"description": CLEAN_WORDS, "wavelengths": [660, 850]}
    else:
        rule = RULES[rule_id]
        data = {
            "description": rule["example_fires"],
            "wavelengths": rule["example_record"]["wavelengths_nm"],
            "areas": rule["example_record"]["areas"],
        }
    return add_device(session, **(data | overrides))


def listing_slugs(html: str) -> list[str]:
    """The listings an audit page shows, in order."""
    return re.findall(r'<section class="qa-listing card" id="listing-([a-z0-9-]+)"', html)


def count_on_page(html: str, slug: str, severity: str) -> int:
    match = re.search(rf'id="count-{re.escape(slug)}-{severity}">(\d+)<', html)
    assert match, f"no {severity} count for {slug}"
    return int(match.group(1))
