"""The size and balance of the claim corpus: enough cases per text rule, both ways.

A corpus that only holds easy cases proves little. Every text rule needs cases that must
fire and "tricky" cases that must not: its patterns or frames match the words as written,
yet negation, a question, another sense of a word or the device record clear them.
"""

from __future__ import annotations

import pytest

from catalogue.core.claims.check import TEXT_KINDS, Rule, read_rules
from catalogue.core.claims.coverage import claim_shapes
from tests.claims_support import CASES, RULES_JSON

FLOOR = 40  # cases per text rule, each way
RULES: tuple[Rule, ...] = read_rules(RULES_JSON)
TEXT_RULES = [r.id for r in RULES if r.kind in TEXT_KINDS]
SHAPES = {c["id"]: claim_shapes(c["description"], RULES) for c in CASES}


def test_the_corpus_holds_a_thousand_cases() -> None:
    assert len(CASES) >= 1000


@pytest.mark.parametrize("rule_id", TEXT_RULES)
def test_each_text_rule_has_enough_cases_both_ways(rule_id: str) -> None:
    fire = [c for c in CASES if rule_id in c["expect"]]
    tricky = [c for c in CASES if rule_id not in c["expect"] and rule_id in SHAPES[c["id"]]]
    assert len(fire) >= FLOOR, f"{rule_id}: {len(fire)} cases that must fire"
    assert len(tricky) >= FLOOR, f"{rule_id}: {len(tricky)} tricky cases that must not"


@pytest.mark.parametrize(
    ("text", "shaped", "not_shaped"),
    [
        ("It does not cure arthritis.", {"cure-claim"}, set()),
        ("Is it FDA approved? No.", {"regulatory-approval"}, {"cure-claim"}),
        ("A quiet fan and a two-year warranty.", set(), set(TEXT_RULES)),
    ],
)
def test_claim_shapes_ignore_scope_but_need_the_words(
    text: str, shaped: set[str], not_shaped: set[str]
) -> None:
    found = claim_shapes(text, RULES)
    assert shaped <= found
    assert not (not_shaped & found)
