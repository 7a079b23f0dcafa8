"""Range checks on every device field: one good value, one bad value and its message."""

from __future__ import annotations

from typing import Any

import pytest

from catalogue.devices.fields import field_max_length, field_range
from catalogue.devices.schemas import parse_device
from tests.factories import device_data

AREAS = {"knees", "face", "lower-back"}


@pytest.mark.parametrize(
    ("field", "good"),
    [
        ("name", "Core 300 Panel"),
        ("brand", "Lumexa"),
        ("slug", "lumexa-core-300"),
        ("sku", "LMX-PNL-300"),
        ("form_factor", "mask"),
        ("price", "149999.99"),
        ("currency", "eur"),
        ("emissions", [{"wavelength_nm": 380}, {"wavelength_nm": 1400, "share_pct": 100}]),
        ("areas", ["knees", "lower-back"]),
        ("treatment_area_cm2", 900),
        ("led_count", 100_000),
        ("session_minutes", 0.25),
        ("recommended_distance_cm", 200),
        ("power_w", 5000),
        ("weight_kg", 0),
        ("warranty_months", 120),
        ("description", "Gentle warmth over a few weeks of use."),
        ("status", "in_review"),
    ],
)
def test_good_value_is_accepted(field: str, good: Any) -> None:
    data, errors = parse_device(device_data(**{field: good}), known_areas=AREAS)
    assert errors == {}
    assert data is not None


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("name", "", "must not be empty"),
        ("brand", "   ", "must not be empty"),
        ("slug", "Bad Slug!", "'Bad Slug!' may hold only lowercase letters, digits and hyphens"),
        (
            "sku",
            "no spaces",
            "'no spaces' may hold only letters, digits, dots, dashes, underscores",
        ),
        ("form_factor", "lamp", "'lamp' is not one of"),
        ("price", "0.50", "0.50 is below the minimum 1"),
        ("price", "150001", "150001 is above the maximum 150000"),
        ("price", "abc", "'abc' is not a number"),
        ("currency", "XYZ", "'XYZ' is not an ISO 4217 currency code we sell in"),
        ("emissions", [], "needs at least one emission"),
        (
            "emissions",
            [{"wavelength_nm": 1500}],
            "emission 1, wavelength_nm: 1500 is above the maximum 1400",
        ),
        (
            "emissions",
            [{"wavelength_nm": 300}],
            "emission 1, wavelength_nm: 300 is below the minimum 380",
        ),
        ("emissions", [{"wavelength_nm": 850}, {"wavelength_nm": 850}], "850 nm is listed twice"),
        (
            "emissions",
            [{"wavelength_nm": 660, "share_pct": 70}, {"wavelength_nm": 850, "share_pct": 40}],
            "shares add up to 110 %, at most 100 % is allowed",
        ),
        (
            "emissions",
            [{"wavelength_nm": 660, "share_pct": 101}],
            "emission 1, share_pct: 101 is above the maximum 100",
        ),
        ("areas", ["kneecaps"], "unknown body area 'kneecaps'"),
        ("areas", ["knees", "knees"], "an area is listed twice"),
        ("irradiance_mw_cm2", 900, "900 is above the maximum 500"),
        ("irradiance_mw_cm2", 0, "0 must be above 0"),
        ("irradiance_distance_cm", 250, "250 is above the maximum 200"),
        ("treatment_area_cm2", -1, "-1 must be above 0"),
        ("led_count", 0, "0 is below the minimum 1"),
        ("led_count", 100_001, "100001 is above the maximum 100000"),
        ("led_count", 2.5, "2.5 must be a whole number"),
        ("session_minutes", 0.1, "0.1 is below the minimum 0.25"),
        ("session_minutes", 61, "61 is above the maximum 60"),
        ("recommended_distance_cm", -5, "-5 is below the minimum 0"),
        ("power_w", 5001, "5001 is above the maximum 5000"),
        ("weight_kg", 201, "201 is above the maximum 200"),
        ("warranty_months", 121, "121 is above the maximum 120"),
        ("status", "live", "'live' is not one of"),
    ],
)
def test_bad_value_names_the_field_and_range(field: str, bad: Any, message: str) -> None:
    data, errors = parse_device(device_data(**{field: bad}), known_areas=AREAS)
    assert data is None
    assert field in errors, errors
    assert errors[field].startswith(message), errors[field]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"irradiance_mw_cm2": 50, "irradiance_distance_cm": None},
            "irradiance_distance_cm",
            "give the distance the irradiance was measured at",
        ),
        (
            {"irradiance_mw_cm2": None, "irradiance_distance_cm": 15},
            "irradiance_mw_cm2",
            "give the irradiance measured at this distance, or leave both empty",
        ),
    ],
)
def test_irradiance_only_with_its_distance(
    overrides: dict[str, Any], field: str, message: str
) -> None:
    data, errors = parse_device(device_data(**overrides), known_areas=AREAS)
    assert data is None
    assert errors == {field: message}


def test_several_bad_fields_each_get_a_message() -> None:
    _, errors = parse_device(
        device_data(price="0", led_count=0, warranty_months=500), known_areas=AREAS
    )
    assert set(errors) == {"price", "led_count", "warranty_months"}


@pytest.mark.parametrize(
    ("field", "hint", "max_length"),
    [
        ("irradiance_mw_cm2", "Above 0, at most 500 mW/cm²", None),
        ("led_count", "1–100,000", None),
        ("session_minutes", "0.25–60 minutes", None),
        ("power_w", "0–5,000 W", None),
        ("price", "1–150,000", None),
        ("name", "", 200),
        ("sku", "", 64),
        ("description", "", 20_000),
    ],
)
def test_form_hints_and_lengths_come_from_the_schema(
    field: str, hint: str, max_length: int | None
) -> None:
    """The editor's range hints and maxlength values are read from the input schema, so a
    changed bound changes the form with it."""
    assert field_range(field) == hint
    assert field_max_length(field) == max_length
