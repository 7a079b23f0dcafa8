"""Rule messages say what is true as physics: 940 and 1064 nm ARE near-infrared.

What the guide's bands leave out is a matter of the guide (800-900 nm), not of the light.
"""

from __future__ import annotations

import csv
import dataclasses

import pytest

from catalogue.core.bands import Area, Band
from catalogue.core.claims.check import check_listing, read_rules
from tests.claims_support import ROOT, RULES_JSON

RULES = read_rules(RULES_JSON)
with (ROOT / "seed" / "bands.csv").open(encoding="utf-8") as fh:
    BANDS = [
        Band(r["slug"], r["name"], float(r["min_nm"]), float(r["max_nm"]), r["depth"])  # type: ignore[arg-type]
        for r in csv.DictReader(fh)
    ]
with (ROOT / "seed" / "areas.csv").open(encoding="utf-8") as fh:
    AREAS = {
        r["slug"]: Area(r["slug"], r["name"], r["depth"], r["group"], r["target"])  # type: ignore[arg-type]
        for r in csv.DictReader(fh)
    }


def _messages(text: str, waves: list[float], slugs: list[str]) -> dict[str, str]:
    found = check_listing(text, waves, [AREAS[a] for a in slugs], RULES, BANDS)
    return {f.rule: f.message for f in found}


@pytest.mark.parametrize(
    ("nm", "says"),
    [
        (940, "940 nm is near-infrared light above the guide's 800-900 nm near-infrared band"),
        (1064, "1064 nm is near-infrared light above the guide's 800-900 nm near-infrared band"),
        (590, "590 nm is visible light below the guide's 630-660 nm red band"),
        (730, "730 nm is visible light between the guide's 630-660 nm red band and its"),
    ],
)
def test_outside_band_names_the_light_and_the_band_it_misses(nm: float, says: str) -> None:
    message = _messages("A pad.", [660, 850, nm], ["knees"])
    assert says in message["outside-article-band"]


def test_no_message_denies_that_940_nm_is_near_infrared() -> None:
    found = _messages("Reaches deep into the joint.", [940], ["knees"])
    # near-infrared light outside the guide's band is near-infrared all the same: a deep
    # claim is no red-depth claim (``params.only_below_nm``); the record checks still tell
    assert {"area-depth-mismatch", "outside-article-band"} <= set(found)
    assert "red-depth-claim" not in found
    for message in found.values():
        lowered = message.lower()
        assert "no near-infrared" not in lowered and "not near-infrared" not in lowered
        assert "red light acts on the surface" not in lowered
    assert "940 nm is near-infrared light" in found["outside-article-band"]


@pytest.mark.parametrize("waves", [[1064], [630, 1064], [660, 940]])
def test_red_depth_reads_no_near_infrared_as_any_light_from_780_nm(waves: list[float]) -> None:
    assert "red-depth-claim" not in _messages("Reaches deep into the joint.", waves, ["knees"])


def test_red_depth_still_fires_without_near_infrared() -> None:
    found = _messages("Reaches deep into the joint.", [590, 660], ["knees"])
    assert "800–900 nm near-infrared band" in found["red-depth-claim"]


def test_an_edited_message_is_used_at_once() -> None:
    """Messages are kept per template: a rule edited under the same id says the new words."""
    rule = next(r for r in RULES if r.id == "cure-claim")
    edited = dataclasses.replace(rule, message="Edited: “{text}” is a cure claim.")
    rules = tuple(edited if r is rule else r for r in RULES)
    text = "It cures arthritis."
    before = check_listing(text, [660, 850], [AREAS["knees"]], RULES, BANDS)
    after = check_listing(text, [660, 850], [AREAS["knees"]], rules, BANDS)
    assert [f.message for f in before if f.rule == "cure-claim"] != [
        f.message for f in after if f.rule == "cure-claim"
    ]
    assert any(f.message.startswith("Edited: ") for f in after)
