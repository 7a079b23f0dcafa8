"""A small known catalogue for the shop's query and page tests: its devices and their fixture."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

# Two published devices of each light type (red, nir, combined, other), then a draft, an
# archived and an in-review device that shoppers must never see.
# (slug, brand, form factor, price, wavelengths, areas, irradiance, status)
KNOWN_DEVICES: list[tuple[Any, ...]] = [
    ("red-face-mask", "Lumo", "mask", 199, [630, 660], ["face", "skin"], 30, "published"),
    ("red-scalp-cap", "Lumo", "cap", 349, [660], ["scalp"], 15, "published"),
    ("nir-knee-wrap", "Kinetix", "wrap", 149, [850], ["knees", "elbows"], 40, "published"),
    ("nir-back-pad", "Kinetix", "pad", 249, [810, 850], ["lower-back", "hips"], None, "published"),
    ("combo-panel", "Solara", "panel", 899, [660, 850], ["whole-body", "knees"], 100, "published"),
    ("combo-handheld", "Solara", "handheld", 149, [630, 830], ["knees", "face"], 80, "published"),
    ("amber-wand", "Lumo", "handheld", 99, [590], ["skin"], 20, "published"),
    ("deep-1064-handheld", "Kinetix", "handheld", 399, [1064], ["knees"], 60, "published"),
    ("draft-nir-panel", "Kinetix", "panel", 500, [850], ["knees"], 50, "draft"),
    ("archived-red-bulb", "Lumo", "bulb", 49, [660], ["face"], 10, "archived"),
    ("review-combo-panel", "Solara", "panel", 700, [660, 850], ["knees"], 90, "in_review"),
]
KNOWN_WORDS = {
    "red-face-mask": "A soft mask for facial skin, 50% red LEDs at 630 nm.",
    "red-scalp-cap": "A cap worn over the hair for scalp routines.",
    "nir-knee-wrap": "A flexible sleeve that hugs the knee joint.",
    "nir-back-pad": "A flat pad to lie on after long days.",
    "combo-panel": "A tall panel that lights the whole body from head to knee.",
    "combo-handheld": "A pocket device for spot sessions.",
    "amber-wand": "An amber wand for evening routines.",
    "deep-1064-handheld": "A handheld with 1064 nm diodes.",
}
PUBLISHED = [d[0] for d in KNOWN_DEVICES if d[7] == "published"]


@pytest.fixture
def known_catalogue(session: Session) -> list[str]:
    """The devices above, created a minute apart in table order; returns the published slugs.

    Written straight to the tables (light type and coverage from the pure core), not through
    ``crud``: the shop tests read, and building this for every test must stay cheap.
    """
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from catalogue.core.bands import coverage, light_type
    from catalogue.data.models import Device, DeviceArea, Emission
    from catalogue.data.reference import load_bands

    bands = load_bands(session)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    devices = []
    for minute, (slug, brand, form, price, nm, _areas, irradiance, status) in enumerate(
        KNOWN_DEVICES
    ):
        devices.append(
            Device(
                slug=slug,
                sku=f"KNOWN-{minute:02d}",
                name=slug.replace("-", " ").title().replace("Nir", "NIR"),
                brand=brand,
                form_factor=form,
                price=Decimal(price),
                currency="USD",
                irradiance_mw_cm2=irradiance,
                irradiance_distance_cm=15 if irradiance else None,
                treatment_area_cm2=100 + 50 * minute,
                session_minutes=10,
                warranty_months=12 + 6 * (minute % 3),
                description=KNOWN_WORDS.get(slug, "Not for sale."),
                status=status,
                light_type=light_type(nm, bands),
                coverage=coverage(nm, bands),
                created_at=start + timedelta(minutes=minute),
            )
        )
    session.add_all(devices)
    session.flush()
    for device, row in zip(devices, KNOWN_DEVICES, strict=True):
        assert device.id is not None
        session.add_all(Emission(device_id=device.id, wavelength_nm=w) for w in row[4])
        session.add_all(DeviceArea(device_id=device.id, area_slug=a) for a in row[5])
    session.commit()
    return list(PUBLISHED)
