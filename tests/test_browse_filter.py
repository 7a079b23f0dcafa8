"""The shopper's filter as parsed from query arguments: pure, no database."""

from __future__ import annotations

import pytest

from catalogue.browse import (
    DeviceFilter,
    fit_levels,
    reaching,
)
from catalogue.core.bands import Area, Band
from tests.browse_support import query_args

BANDS = (Band("red", "Red", 630, 660, "surface"), Band("nir", "Near-infrared", 800, 900, "deep"))
AREAS = ("face", "knees", "whole-body")


# --- Parsing: pure, no database ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", DeviceFilter()),
        ("light_type=nir&light_type=red", DeviceFilter(light_type=("red", "nir"))),
        ("light_type=nir&light_type=nir", DeviceFilter(light_type=("nir",))),
        ("area=knees&area=face&area=", DeviceFilter(area=("face", "knees"))),
        ("coverage=both&form_factor=wrap", DeviceFilter(coverage=("both",), form_factor=("wrap",))),
        ("brand=Solara&brand=Kinetix", DeviceFilter(brand=("Kinetix", "Solara"))),
        ("q=++knee+++wrap+", DeviceFilter(q="knee wrap")),
        ("min_nm=800&max_nm=900.5", DeviceFilter(min_nm=800.0, max_nm=900.5)),
        ("sort=-price&page=3&per_page=100", DeviceFilter(sort="-price", page=3, per_page=100)),
        ("min_price=&max_price=&q=&sort=", DeviceFilter()),
        ("utm_source=mail&ids=a-b", DeviceFilter()),
    ],
)
def test_filter_parses_query(query: str, expected: DeviceFilter) -> None:
    flt, errors = DeviceFilter.from_query(query_args(query), area_slugs=AREAS)
    assert errors == []
    assert flt == expected


@pytest.mark.parametrize(
    ("query", "key", "says"),
    [
        ("light_type=uv", "light_type", "red, nir, combined, other"),
        ("coverage=none", "coverage", "surface, deep, both"),
        ("area=elbow", "area", "face, knees, whole-body"),
        ("form_factor=tablet", "form_factor", "panel, handheld"),
        ("brand=" + "x" * 101, "brand", "at most 100 characters"),
        ("min_price=abc", "min_price", "a price from 0 to 150000"),
        ("max_price=-5", "max_price", "a price from 0 to 150000"),
        ("max_price=nan", "max_price", "a price from 0 to 150000"),
        ("min_price=500&max_price=100", "max_price", "below min_price"),
        ("min_nm=200", "min_nm", "380 to 1400 nm"),
        ("max_nm=inf", "max_nm", "380 to 1400 nm"),
        ("min_nm=900&max_nm=800", "max_nm", "below min_nm"),
        ("q=" + "+".join(["w"] * 9), "q", "up to 8 words"),
        ("sort=cheapest", "sort", "relevance, price, -price"),
        ("page=0", "page", "whole number from 1 to 100000"),
        ("page=two", "page", "whole number from 1 to 100000"),
        ("per_page=100000", "per_page", "whole number from 1 to 100"),
        ("per_page=-1", "per_page", "whole number from 1 to 100"),
        ("per_page=10&per_page=20", "per_page", "give per_page once"),
    ],
)
def test_bad_argument_is_named_with_what_it_accepts(query: str, key: str, says: str) -> None:
    flt, errors = DeviceFilter.from_query(query_args(query), area_slugs=AREAS)
    assert [e.key for e in errors] == [key]
    assert says in errors[0].message
    # What was bad is left out; the rest of the filter still stands.
    assert getattr(flt, key) == getattr(DeviceFilter(), key)


def test_good_arguments_survive_a_bad_one() -> None:
    flt, errors = DeviceFilter.from_query(
        query_args("light_type=nir&light_type=uv&area=knees&min_price=abc"), area_slugs=AREAS
    )
    assert {e.key for e in errors} == {"light_type", "min_price"}
    assert (flt.light_type, flt.area, flt.min_price) == (("nir",), ("knees",), None)


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("", []),
        ("area=knees&light_type=nir", [("light_type", "nir"), ("area", "knees")]),
        ("min_price=500.00&max_nm=900.0", [("min_price", "500"), ("max_nm", "900")]),
        ("sort=relevance&page=1&per_page=24", []),
        ("page=2&sort=name&q=knee", [("q", "knee"), ("sort", "name"), ("page", "2")]),
    ],
)
def test_one_selection_has_one_url(query: str, canonical: list[tuple[str, str]]) -> None:
    flt, _ = DeviceFilter.from_query(query_args(query), area_slugs=AREAS)
    assert flt.query_pairs() == canonical


def test_toggling_a_value_adds_or_removes_one_argument_and_goes_back_to_page_one() -> None:
    flt = DeviceFilter(light_type=("nir",), page=3)
    assert flt.toggled("light_type", "red").query_pairs() == [
        ("light_type", "nir"),
        ("light_type", "red"),
    ]
    assert flt.toggled("light_type", "nir").query_pairs() == []


@pytest.mark.parametrize(
    ("area", "levels"),
    [
        (
            Area("knees", "Knees", "deep", "joint", "the knee joint"),
            {"red": "misses", "nir": "fits", "combined": "fits", "other": "misses"},
        ),
        (
            Area("face", "Face", "surface", "surface", "facial skin"),
            {"red": "fits", "nir": "partial", "combined": "fits", "other": "misses"},
        ),
        (
            Area("whole-body", "Whole body", "both", "whole-body", "the whole body"),
            {"red": "partial", "nir": "partial", "combined": "fits", "other": "misses"},
        ),
    ],
)
def test_fit_by_light_type_follows_the_core(area: Area, levels: dict[str, str]) -> None:
    assert fit_levels(area, BANDS) == levels
    assert set(reaching([area], BANDS)) == {lt for lt, lv in levels.items() if lv != "misses"}
