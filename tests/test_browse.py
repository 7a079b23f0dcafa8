"""The browse queries over a known catalogue: every filter, combinations and disjunctive counts.

The catalogue is ``known_catalogue`` in tests/known_catalogue_fixtures.py: two published devices
of each light type plus a draft, an archived and an in-review device that must never show.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from catalogue.core.bands import Band
from tests.browse_support import browse, slugs

BANDS = (Band("red", "Red", 630, 660, "surface"), Band("nir", "Near-infrared", 800, 900, "deep"))
AREAS = ("face", "knees", "whole-body")


# --- Filters over the known catalogue ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "*"),
        ("light_type=red", {"red-face-mask", "red-scalp-cap"}),
        (
            "light_type=red&light_type=nir",
            {"red-face-mask", "red-scalp-cap", "nir-knee-wrap", "nir-back-pad"},
        ),
        ("light_type=other", {"amber-wand", "deep-1064-handheld"}),
        ("coverage=deep", {"nir-knee-wrap", "nir-back-pad"}),
        (
            "coverage=surface&coverage=both",
            {"red-face-mask", "red-scalp-cap", "combo-panel", "combo-handheld"},
        ),
        # An area gives the devices made for it (listed, or listed for the whole body).
        ("area=knees", {"nir-knee-wrap", "combo-panel", "combo-handheld", "deep-1064-handheld"}),
        ("area=face", {"red-face-mask", "combo-panel", "combo-handheld"}),
        (
            "area=knees&area=scalp",
            {
                "red-scalp-cap",
                "combo-panel",
                "combo-handheld",
                "nir-knee-wrap",
                "deep-1064-handheld",
            },
        ),
        ("area=whole-body", {"combo-panel"}),
        ("area=knees&hide_misses=1", {"nir-knee-wrap", "combo-panel", "combo-handheld"}),
        ("area=knees&area=scalp&hide_misses=1&light_type=red", {"red-scalp-cap"}),
        ("hide_misses=1&light_type=other", {"amber-wand", "deep-1064-handheld"}),
        ("form_factor=handheld", {"combo-handheld", "amber-wand", "deep-1064-handheld"}),
        ("form_factor=mask&form_factor=cap", {"red-face-mask", "red-scalp-cap"}),
        ("brand=Kinetix", {"nir-knee-wrap", "nir-back-pad", "deep-1064-handheld"}),
        (
            "brand=Kinetix&brand=Solara",
            {
                "nir-knee-wrap",
                "nir-back-pad",
                "deep-1064-handheld",
                "combo-panel",
                "combo-handheld",
            },
        ),
        ("brand=kinetix", set()),
        ("min_price=349", {"red-scalp-cap", "combo-panel", "deep-1064-handheld"}),
        ("max_price=149", {"nir-knee-wrap", "combo-handheld", "amber-wand"}),
        (
            "min_price=149&max_price=249",
            {"nir-knee-wrap", "combo-handheld", "red-face-mask", "nir-back-pad"},
        ),
        (
            "min_nm=800&max_nm=900",
            {"nir-knee-wrap", "nir-back-pad", "combo-panel", "combo-handheld"},
        ),
        ("min_nm=1000", {"deep-1064-handheld"}),
        ("max_nm=600", {"amber-wand"}),
        # A range holding none of a device's emissions does not match it, even inside its span.
        ("min_nm=640&max_nm=650", set()),
        ("min_nm=830&max_nm=830", {"combo-handheld"}),
        ("q=knee", {"nir-knee-wrap", "combo-panel"}),
        ("q=KNEE+joint", {"nir-knee-wrap"}),
        ("q=whole+body", {"combo-panel"}),
        ("q=solara", {"combo-panel", "combo-handheld"}),
        ("q=50%25", {"red-face-mask"}),
        ("q=5_%25", set()),
        ("q=not+ready", set()),
        # Across facets: AND.
        ("light_type=nir&area=knees&max_price=200", {"nir-knee-wrap"}),
        ("area=knees&form_factor=handheld", {"combo-handheld", "deep-1064-handheld"}),
        ("light_type=red&area=knees", set()),
        ("area=face&brand=Kinetix", set()),
        ("coverage=both&min_nm=630&max_nm=630", {"combo-handheld"}),
    ],
)
def test_filter(session: Session, known_catalogue: list[str], query: str, expected) -> None:
    result = browse(session, query + "&per_page=100")
    wanted = set(known_catalogue) if expected == "*" else expected
    assert set(slugs(result)) == wanted
    assert result.total == len(wanted)


@pytest.mark.parametrize("query", ["", "brand=Kinetix", "light_type=nir", "area=knees"])
def test_shoppers_never_see_unpublished_devices(
    session: Session, known_catalogue: list[str], query: str
) -> None:
    """Each query matches unpublished devices too (a draft NIR panel for knees by Kinetix, …):
    the shop lists exactly the published ones among them."""
    unpublished = {"draft-nir-panel", "archived-red-bulb", "review-combo-panel"}
    shown = set(slugs(browse(session, query + "&per_page=100")))
    assert shown
    assert shown <= set(known_catalogue)
    assert not shown & unpublished
    if not query:
        assert shown == set(known_catalogue)


@pytest.mark.parametrize(
    ("query", "order"),
    [
        # Fits first, then partial, then misses; the sort within each.
        ("area=face", ["combo-handheld", "combo-panel", "red-face-mask"]),
        ("area=face&sort=-price", ["combo-panel", "red-face-mask", "combo-handheld"]),
        (
            "area=knees&sort=price",
            ["nir-knee-wrap", "combo-handheld", "combo-panel", "deep-1064-handheld"],
        ),
        # Red fits the scalp and misses the knees: the cap is listed for the scalp, so it fits.
        (
            "area=knees&area=scalp",
            [
                "combo-handheld",
                "combo-panel",
                "nir-knee-wrap",
                "red-scalp-cap",
                "deep-1064-handheld",
            ],
        ),
        # NIR is partial for the face, but the wrap is only listed for the knees, where it fits.
        (
            "area=face&area=knees&light_type=combined&light_type=nir",
            ["combo-handheld", "combo-panel", "nir-knee-wrap"],
        ),
        # A name match ranks above a description match.
        ("q=knee", ["nir-knee-wrap", "combo-panel"]),
    ],
)
def test_fits_first_then_the_sort(session: Session, known_catalogue, query: str, order) -> None:
    assert slugs(browse(session, query)) == order


def test_every_item_carries_its_fit_and_reason_for_each_chosen_area(
    session: Session, known_catalogue
) -> None:
    result = browse(session, "area=knees&area=face&light_type=nir")
    for item in result.items:
        assert set(item.fit) == {"face", "knees"}
        assert (item.fit["knees"].fit, item.fit["face"].fit) == ("fits", "partial")
    wrap = next(i for i in result.items if i.slug == "nir-knee-wrap")
    assert wrap.fit["knees"].reason == "850 nm NIR reaches the knee joint"
    assert browse(session, "light_type=nir").items[0].fit == {}


# --- Disjunctive facet counts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "facet", "counts"),
    [
        ("", "light_type", {"red": 2, "nir": 2, "combined": 2, "other": 2}),
        ("", "coverage", {"surface": 2, "deep": 2, "both": 2}),
        (
            "",
            "form_factor",
            {
                "mask": 1,
                "cap": 1,
                "wrap": 1,
                "pad": 1,
                "panel": 1,
                "handheld": 3,
                "mat": 0,
                "bulb": 0,
            },
        ),
        ("", "brand", {"Kinetix": 3, "Lumo": 3, "Solara": 2}),
        # A facet is counted without its own filter: ticking red still shows the other types.
        ("light_type=red", "light_type", {"red": 2, "nir": 2, "combined": 2, "other": 2}),
        ("light_type=red", "coverage", {"surface": 2, "deep": 0, "both": 0}),
        ("light_type=red", "form_factor", {"mask": 1, "cap": 1, "handheld": 0}),
        # Area counts are the devices made for each area, so they differ by area.
        ("light_type=red", "area", {"face": 1, "scalp": 1, "knees": 0, "whole-body": 0}),
        ("area=knees", "area", {"face": 3, "knees": 4, "whole-body": 1, "hips": 2, "neck": 1}),
        (
            "area=knees&hide_misses=1",
            "area",
            {"face": 3, "knees": 3, "scalp": 2, "skin": 2, "elbows": 2},
        ),
        ("area=knees", "light_type", {"red": 0, "nir": 1, "combined": 2, "other": 1}),
        ("area=knees", "brand", {"Kinetix": 2, "Solara": 2, "Lumo": 0}),
        ("coverage=deep", "coverage", {"surface": 2, "deep": 2, "both": 2}),
        ("coverage=deep", "light_type", {"red": 0, "nir": 2, "combined": 0, "other": 0}),
        ("brand=Kinetix", "brand", {"Kinetix": 3, "Lumo": 3, "Solara": 2}),
        ("brand=Kinetix", "form_factor", {"wrap": 1, "pad": 1, "handheld": 1, "mask": 0}),
        ("form_factor=handheld&brand=Kinetix", "form_factor", {"wrap": 1, "pad": 1, "handheld": 1}),
        ("form_factor=handheld&brand=Kinetix", "brand", {"Kinetix": 1, "Solara": 1, "Lumo": 1}),
        ("max_price=149", "light_type", {"red": 0, "nir": 1, "combined": 1, "other": 1}),
        (
            "light_type=nir&light_type=combined&area=face",
            "area",
            {"face": 2, "knees": 3, "scalp": 1},
        ),
        (
            "light_type=nir&light_type=combined&area=face",
            "light_type",
            {"red": 1, "nir": 0, "combined": 2, "other": 0},
        ),
        ("q=knee", "brand", {"Kinetix": 1, "Solara": 1}),
        ("min_nm=800&max_nm=900", "coverage", {"surface": 0, "deep": 2, "both": 2}),
    ],
)
def test_disjunctive_counts(
    session: Session, known_catalogue, query: str, facet: str, counts
) -> None:
    result = browse(session, query)
    got = {f.value: f.count for f in result.facets[facet]}
    assert {k: got.get(k, 0) for k in counts} == counts


def test_counts_say_what_ticking_a_value_would_give(session: Session, known_catalogue) -> None:
    base = "area=knees&max_price=500"
    result = browse(session, base)
    for facet in ("light_type", "coverage", "form_factor", "brand"):
        for f in result.facets[facet]:
            if f.selected:
                continue
            ticked = browse(session, f"{base}&{facet}={f.value}&per_page=1")
            assert ticked.total == f.count, (facet, f.value)


def test_facets_mark_the_selected_values(session: Session, known_catalogue) -> None:
    result = browse(session, "light_type=nir&area=knees&brand=Kinetix")
    selected = {
        name: [f.value for f in values if f.selected] for name, values in result.facets.items()
    }
    assert selected == {
        "light_type": ["nir"],
        "coverage": [],
        "area": ["knees"],
        "form_factor": [],
        "brand": ["Kinetix"],
    }
    assert [f.label for f in result.facets["light_type"]] == [
        "Red",
        "Near-infrared",
        "Red + near-infrared",
        "Other wavelengths",
    ]


def test_a_chosen_brand_stays_in_its_facet_with_no_devices(
    session: Session, known_catalogue
) -> None:
    result = browse(session, "brand=Nobody")
    assert result.total == 0
    nobody = [(f.count, f.selected) for f in result.facets["brand"] if f.value == "Nobody"]
    assert nobody == [(0, True)]
