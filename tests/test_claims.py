"""The claim checker against the labelled corpus, the rule examples and the source article."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from catalogue.core.bands import Area, Band
from catalogue.core.claims.check import SEVERITIES, Rule, load_rules, read_rules
from tests.claims_support import (
    CASES,
    DOMAIN_RULES,
    EXCERPT,
    RULES_JSON,
    SEEDS_DIR,
    assert_spans,
    check,
)

# The rules, bands and areas fixtures come from tests/claims_fixtures.py.


# --- the corpus ---------------------------------------------------------------------------


def test_corpus_is_large_and_well_formed(areas: dict[str, Area]) -> None:
    assert len(CASES) >= 140
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    for case in CASES:
        assert set(case) - {"known_miss"} == {
            "id",
            "description",
            "wavelengths_nm",
            "areas",
            "expect",
        }
        assert set(case["expect"]) <= set(DOMAIN_RULES), case["id"]
        assert all(a in areas for a in case["areas"]), case["id"]
    for rule_id in DOMAIN_RULES:
        fires = [c for c in CASES if rule_id in c["expect"]]
        assert len(fires) >= 3, f"too few cases that fire {rule_id}"
    assert sum(1 for c in CASES if not c["expect"]) >= 40, "too few near-misses"


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            marks=pytest.mark.xfail(
                strict=True,
                reason=c["known_miss"]
                if isinstance(c["known_miss"], str)
                else "a kind the checker cannot read",
            ),
        )
        if c.get("known_miss")
        else c
        for c in CASES
    ],
    ids=[c["id"] for c in CASES],
)
def test_corpus_case(
    case: dict[str, Any], rules: tuple[Rule, ...], bands: list[Band], areas: dict[str, Area]
) -> None:
    findings = check(
        case["description"], case["wavelengths_nm"], case["areas"], rules, bands, areas
    )
    assert {f.rule for f in findings} == set(case["expect"]), [(f.rule, f.text) for f in findings]
    assert_spans(case["description"], findings, rules)


# --- the rules ----------------------------------------------------------------------------


def test_every_domain_rule_with_its_severity(rules: tuple[Rule, ...]) -> None:
    assert {r.id: r.severity for r in rules} == DOMAIN_RULES


def test_rules_round_trip_exactly(rules_data: list[dict[str, Any]]) -> None:
    for d in rules_data:
        assert Rule.from_dict(d).to_dict() == d


def test_rules_json_is_pretty_printed(rules_data: list[dict[str, Any]]) -> None:
    text = RULES_JSON.read_text(encoding="utf-8")
    assert text == json.dumps(rules_data, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("rule_id", list(DOMAIN_RULES))
def test_rule_examples(
    rule_id: str, rules: tuple[Rule, ...], bands: list[Band], areas: dict[str, Area]
) -> None:
    rule = next(r for r in rules if r.id == rule_id)
    assert rule.example_fires and rule.example_passes and rule.rationale
    fired = check(rule.example_fires, *rule.example_record, rules, bands, areas)
    assert rule_id in {f.rule for f in fired}
    assert_spans(rule.example_fires, fired, rules)
    passed = check(rule.example_passes, *rule.passes_record, rules, bands, areas)
    assert rule_id not in {f.rule for f in passed}


def _mutate(base: dict[str, Any], change: Any) -> dict[str, Any]:
    d = copy.deepcopy(base)
    change(d)
    return d


BAD_RULES = [
    ("unknown severity", lambda d: d.update(severity="fatal"), "unknown severity"),
    ("missing message", lambda d: d.pop("message"), "missing key(s): message"),
    ("missing patterns", lambda d: d.pop("patterns"), "missing key(s): patterns"),
    ("pattern does not compile", lambda d: d["patterns"]["cure"].append("cure("), "compile"),
    ("unless does not compile", lambda d: d.update(unless=["[a-"]), "compile"),
    ("unknown kind", lambda d: d.update(kind="vibes"), "unknown kind"),
    ("unknown key", lambda d: d.update(colour="red"), "unknown key(s): colour"),
    ("unknown placeholder", lambda d: d.update(message="{oops}"), "placeholder"),
    ("upper-case pattern", lambda d: d["patterns"]["cure"].append("Cure"), "lower case"),
    ("unknown term", lambda d: d["patterns"]["cure"].append("{nothing_here}"), "unknown term"),
    ("empty match", lambda d: d["patterns"]["cure"].append("x?"), "matches empty"),
    ("named group", lambda d: d["patterns"]["cure"].append("(?P<x>cure)"), "named groups"),
    ("bad applies_to", lambda d: d.update(applies_to=["uv"]), "applies_to"),
    ("patterns not lists", lambda d: d.update(patterns={"cure": "cure"}), "list of"),
    ("bad example record", lambda d: d.update(example_record={"nm": [1]}), "example_record"),
    ("empty title", lambda d: d.update(title=" "), "'title' must be a non-empty string"),
    ("bad id", lambda d: d.update(id="Cure Claim"), "id must be"),
]


@pytest.mark.parametrize(
    ("change", "expected"), [b[1:] for b in BAD_RULES], ids=[b[0] for b in BAD_RULES]
)
def test_load_rules_rejects_bad_rule(
    rules_data: list[dict[str, Any]], change: Any, expected: str
) -> None:
    cure = next(d for d in rules_data if d["id"] == "cure-claim")
    with pytest.raises(ValueError, match=r"(?i)rule 'cure") as info:
        load_rules([_mutate(cure, change)])
    assert expected in str(info.value)


def test_load_rules_rejects_duplicates_and_non_lists(rules_data: list[dict[str, Any]]) -> None:
    with pytest.raises(ValueError, match="duplicate id"):
        load_rules([rules_data[0], rules_data[0]])
    with pytest.raises(ValueError, match="JSON array"):
        load_rules({"id": "x"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="JSON object"):
        load_rules(["cure-claim"])  # type: ignore[list-item]


def test_read_rules_reads_the_seed_file(rules: tuple[Rule, ...]) -> None:
    assert read_rules(RULES_JSON) == rules


# --- the source article -------------------------------------------------------------------


def test_the_article_as_a_combined_device_listing_has_no_error(
    rules: tuple[Rule, ...], bands: list[Band], areas: dict[str, Area]
) -> None:
    # Our paraphrase always runs; the article itself too when it sits beside the checkout.
    articles = [EXCERPT, *sorted(SEEDS_DIR.glob("*.txt"))]
    for path in articles:
        lines = path.read_text(encoding="utf-8").splitlines()
        text = "\n".join(line for line in lines if not line.startswith("# "))
        findings = check(
            text, [660, 850], ["knees", "shoulders", "lower-back"], rules, bands, areas
        )
        assert_spans(text, findings, rules)
        errors = [(f.rule, f.text) for f in findings if f.severity == "error"]
        assert errors == [], f"{path.name}: {errors}"
        assert all(f.severity in SEVERITIES for f in findings)
