"""The claim checker beyond the corpus: pinned behaviour, word families, frames and stems."""

from __future__ import annotations

import ast
import copy
import sys
from typing import Any

import pytest

from catalogue.core.bands import Area, Band
from catalogue.core.claims.check import Rule, check_listing, warm_up
from tests.claims_support import ROOT, assert_spans, check

# The rules, bands and areas fixtures come from tests/claims_fixtures.py.


# --- behaviour worth pinning beyond the corpus -------------------------------------------


def test_rules_may_be_any_sequence_and_results_are_stable(
    rules: tuple[Rule, ...], bands: list[Band], areas: dict[str, Area]
) -> None:
    text = "Cures arthritis in one session, FDA approved."
    first = check(text, [660, 850], ["knees"], rules, bands, areas)
    again = check_listing(text, [660, 850], [areas["knees"]], list(rules), bands)
    assert first == again
    assert {f.rule for f in first} == {"cure-claim", "miracle-or-guarantee", "regulatory-approval"}


# The phrases DOMAIN.md ("What a checker must get right") and the brief require, verbatim.
SPEC_SILENT = [
    "This device does not cure anything.",
    "It is no substitute for medical care.",
    "It is not a one-session miracle.",
    "The goal isn't instant relief.",
    "A gradual loosening rather than immediate pain relief.",
    "There is no bright glow.",
    "It is not the sharp heat of a heating pad.",
    "It does not replace medical treatment, instantly eliminate pain, or serve as a cure-all.",
    "Don't expect 'instant results'.",
]
SPEC_FIRES = [
    ("Stop taking your medication - this replaces it", [660, 850], "replaces-medical-care"),
    ("NIR glow", [660, 850], "visible-nir"),
    ("The infrared LEDs shine bright red.", [660, 850], "visible-nir"),
    ("You can see the near-infrared beam.", [660, 850], "visible-nir"),
    ("It glows while you rest.", [850], "visible-nir"),
    ("FDA approved.", [660, 850], "regulatory-approval"),
    ("Scientifically proven.", [660, 850], "clinically-proven"),
]


@pytest.mark.parametrize("text", SPEC_SILENT)
def test_spec_negations_fire_nothing(
    text: str, rules: tuple[Rule, ...], bands: list[Band], areas: dict[str, Area]
) -> None:
    assert check(text, [660, 850], ["knees"], rules, bands, areas) == []


@pytest.mark.parametrize(("text", "waves", "rule_id"), SPEC_FIRES)
def test_spec_claims_fire(
    text: str,
    waves: list[float],
    rule_id: str,
    rules: tuple[Rule, ...],
    bands: list[Band],
    areas: dict[str, Area],
) -> None:
    found = check(text, waves, ["knees"], rules, bands, areas)
    assert rule_id in {f.rule for f in found}
    assert_spans(text, found, rules)


def test_warm_up_compiles_every_band_combination(
    rules: tuple[Rule, ...], bands: list[Band], areas: dict[str, Area]
) -> None:
    warm_up(rules, bands)
    assert check("Dual red and NIR panel.", [850], ["knees"], rules, bands, areas)


def test_finding_to_dict(
    rules: tuple[Rule, ...], bands: list[Band], areas: dict[str, Area]
) -> None:
    (finding,) = check("FDA approved.", [660, 850], ["knees"], rules, bands, areas)
    assert finding.to_dict() == {
        "rule": "regulatory-approval",
        "severity": "error",
        "start": 0,
        "end": 12,
        "text": "FDA approved",
        "message": finding.message,
        "suggestion": finding.suggestion,
    }
    assert "FDA approved" in finding.message


def test_messages_name_the_record(
    rules: tuple[Rule, ...], bands: list[Band], areas: dict[str, Area]
) -> None:
    (wave,) = check("Built on 630 nm LEDs.", [660, 850], ["knees"], rules, bands, areas)
    assert "630 nm" in wave.message and "660/850 nm" in wave.message
    (outside,) = check("A pad.", [590, 660, 850, 940], ["knees"], rules, bands, areas)
    assert outside.rule == "outside-article-band"
    assert "590 nm is visible light" in outside.message
    assert "940 nm is near-infrared light" in outside.message  # outside the band, still NIR
    (depth,) = check("A pad.", [630, 660], ["knees", "hips", "face"], rules, bands, areas)
    assert depth.rule == "area-depth-mismatch" and "knees, hips" in depth.message


def test_span_of_a_quoted_claim_points_into_the_original(
    rules: tuple[Rule, ...], bands: list[Band], areas: dict[str, Area]
) -> None:
    text = "Reviewers say it “repairs nerves” — we think that goes too far."
    (finding,) = check(text, [660, 850], ["feet"], rules, bands, areas)
    assert finding.rule == "nerve-repair" and finding.text == "repairs nerves"


def test_the_core_imports_only_the_standard_library() -> None:
    core = ROOT / "catalogue" / "core"
    paths = sorted(core.rglob("*.py"))
    assert len(paths) >= 5, paths  # bands, dose, the claim checker's modules
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                inside = module.startswith("catalogue.core")
                assert inside or top in sys.stdlib_module_names, (path.name, module)


# --- word families and frames -----------------------------------------------------------


def test_every_family_word_is_reachable(rules: tuple[Rule, ...], bands: list[Band]) -> None:
    """Each word of each family, alone in a listing, is found as that family: no entry is
    shadowed by the stemmer or lost in the index. A family only ``params.antecedent`` (or
    ``antecedent_<group>``) or ``params.rival`` names, and no frame, is read by the
    evaluator as a regex: the index leaves it out."""
    from catalogue.core.claims.frames import FrameIndex, RuleWords
    from catalogue.core.claims.text import matching_text
    from catalogue.core.claims.tokens import tokenize

    with_words = [r for r in rules if r.lexicon]
    assert len(with_words) >= 10
    index = FrameIndex([RuleWords(dict(r.lexicon), dict(r.frames)) for r in with_words])
    names = {fid: (with_words[i].id, name) for fid, (i, name) in enumerate(index.families)}
    for rule in with_words:
        indexed = {name for rid, name in names.values() if rid == rule.id}
        apart = [k for k, _ in rule.params if k in ("antecedent", "rival")]
        apart += [k for k, _ in rule.params if k.startswith("antecedent_")]
        read_apart = {w for k in apart for w in rule.words(k, ())} - indexed
        for family, words in rule.lexicon:
            if family in read_apart:
                continue
            for word in words:
                # a suffix entry ("*itis") is found at the end of a longer word
                text = f"x {'bur' + word[1:] if word.startswith('*') else word} x"
                hits = index.occurrences(tokenize(matching_text(text), text))
                found = {names[fid] for fid in hits}
                assert (rule.id, family) in found, (rule.id, family, word)


@pytest.mark.parametrize(
    ("frame", "problem"),
    [
        ("heal ..", "ends with an operator"),
        (".. heal", "operator must stand between"),
        ("heal ~ pain ~ arthritis", "'~' joins two steps only"),
        ("Heal pain", "is not a family name or a word"),
        ("", "at least one"),
    ],
)
def test_bad_frames_are_refused(frame: str, problem: str) -> None:
    from catalogue.core.claims.lexicon import parse_frame

    with pytest.raises(ValueError, match=problem):
        parse_frame(frame)


def test_rule_with_unused_family_is_refused(rules_data: list[dict[str, Any]]) -> None:
    d = copy.deepcopy(next(r for r in rules_data if r["id"] == "cure-claim"))
    d["lexicon"]["spare"] = ["spare"]
    with pytest.raises(ValueError, match="used by no frame"):
        Rule.from_dict(d)


@pytest.mark.parametrize(
    ("word", "same_as"),
    [
        ("cures", "cure"),
        ("cured", "cure"),
        ("healing", "heal"),
        ("ligaments", "ligament"),
        ("instantly", "instant"),
        ("fixes", "fix"),
        ("therapies", "therapy"),
        ("stopped", "stop"),
    ],
)
def test_stem_joins_inflections(word: str, same_as: str) -> None:
    from catalogue.core.claims.lexicon import stem

    assert stem(word) == stem(same_as)


def test_scanner_needs_no_private_regex_api() -> None:
    """The phrase scanner works from the fragment text with plain ``re``."""
    import catalogue.core.claims.text as text_module
    from catalogue.core.claims.text import PhraseScanner

    assert "_parser" not in vars(text_module) and "_constants" not in vars(text_module)
    scanner = PhraseScanner([["(?:cure|heal)s? all", "[a-z]+ly proven"], ["glow"]])
    found = scanner.find(" it cures all and is clinically proven; no glow")
    assert [(k, s, e) for k, s, e in found] == [(0, 4, 13), (0, 21, 38), (1, 43, 47)]
