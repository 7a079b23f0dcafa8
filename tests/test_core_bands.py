"""The coverage distinction as a table of cases: light type, coverage, fit and reasons."""

from __future__ import annotations

import pytest

from catalogue.core.bands import Area, Band, coverage, fit_for_area, light_type, outside_bands
from catalogue.core.dose import dose_j_cm2

BANDS = (Band("red", "Red", 630, 660, "surface"), Band("nir", "Near-infrared", 800, 900, "deep"))
KNEES = Area("knees", "Knees", "deep", "joint", "the knee joint")
FACE = Area("face", "Face", "surface", "surface", "facial skin")
WHOLE = Area("whole-body", "Whole body", "both", "whole-body", "the whole body")


@pytest.mark.parametrize(
    ("wavelengths", "expected_type", "expected_coverage"),
    [
        ([660], "red", "surface"),
        ([630, 660], "red", "surface"),
        ([850], "nir", "deep"),
        ([810, 830, 850], "nir", "deep"),
        ([660, 850], "combined", "both"),
        ([630, 660, 810, 850], "combined", "both"),
        ([590], "other", "none"),
        ([415], "other", "none"),
        ([940], "other", "none"),
        ([1064], "other", "none"),
        ([660, 940], "red", "surface"),
        ([850, 1064], "nir", "deep"),
        ([660, 850, 940], "combined", "both"),
        # Band edges are inclusive; one nanometre outside is outside.
        ([630], "red", "surface"),
        ([629], "other", "none"),
        ([661], "other", "none"),
        ([800], "nir", "deep"),
        ([900], "nir", "deep"),
        ([799], "other", "none"),
        ([901], "other", "none"),
        ([629, 901], "other", "none"),
        ([], "other", "none"),
    ],
)
def test_light_type_and_coverage(wavelengths, expected_type, expected_coverage):
    assert light_type(wavelengths, BANDS) == expected_type
    assert coverage(wavelengths, BANDS) == expected_coverage


@pytest.mark.parametrize(
    ("wavelengths", "outside"),
    [([660, 850], []), ([590, 660], [590]), ([660, 850, 940], [940]), ([1064], [1064])],
)
def test_outside_bands(wavelengths, outside):
    assert outside_bands(wavelengths, BANDS) == outside


@pytest.mark.parametrize(
    ("wavelengths", "area", "level", "reason"),
    [
        ([850], KNEES, "fits", "850 nm NIR reaches the knee joint"),
        ([660, 850], KNEES, "fits", "850 nm NIR reaches the knee joint"),
        (
            [660],
            KNEES,
            "misses",
            "red light only acts on the surface; it does not reach the knee joint",
        ),
        ([630, 660], FACE, "fits", "630/660 nm red light acts on facial skin"),
        ([660, 850], FACE, "fits", "660 nm red light acts on facial skin"),
        (
            [850],
            FACE,
            "partial",
            "850 nm NIR passes through facial skin; red light is the band chosen for surface care",
        ),
        ([660, 850], WHOLE, "fits", "660 nm red covers the skin and 850 nm NIR reaches deeper"),
        ([660], WHOLE, "partial", "660 nm red covers the skin only; no NIR for muscle and joints"),
        (
            [850],
            WHOLE,
            "partial",
            "850 nm NIR reaches deep tissue; no red band for the skin surface",
        ),
        ([590], FACE, "misses", None),
        ([940], KNEES, "misses", None),
        ([800], KNEES, "fits", "800 nm NIR reaches the knee joint"),
        ([901], KNEES, "misses", None),
        ([629, 661], FACE, "misses", None),
    ],
)
def test_fit_for_area(wavelengths, area, level, reason):
    fit = fit_for_area(wavelengths, area, BANDS)
    assert fit.level == level
    if reason is not None:
        assert fit.reason == reason
    else:
        assert "no emission in the red or NIR band" in fit.reason


def test_bands_are_data_not_constants():
    wide_red = (Band("red", "Red", 600, 700, "surface"), BANDS[1])
    assert light_type([610], BANDS) == "other"
    assert light_type([610], wide_red) == "red"


@pytest.mark.parametrize(
    ("irradiance", "minutes", "dose"),
    [(50, 10, 30.0), (100, 20, 120.0), (25.5, 0.25, 0.4), (None, 10, None), (50, None, None)],
)
def test_dose(irradiance, minutes, dose):
    assert dose_j_cm2(irradiance, minutes) == dose
