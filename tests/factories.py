"""Small builders for device records in tests."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from catalogue.data.models import Device
from catalogue.data.reference import load_bands
from catalogue.devices import crud
from catalogue.devices.schemas import parse_device

_counter = itertools.count(1)


def device_data(**overrides: Any) -> dict[str, Any]:
    """Valid raw input for one device; ``wavelengths=[660, 850]`` is a shortcut for emissions."""
    n = next(_counter)
    wavelengths = overrides.pop("wavelengths", [660, 850])
    data: dict[str, Any] = {
        "name": f"Test Panel {n}",
        "brand": "Testbrand",
        "slug": f"test-panel-{n}",
        "sku": f"TST-{n:05d}",
        "form_factor": "panel",
        "price": "299.00",
        "currency": "USD",
        "emissions": [{"wavelength_nm": w} for w in wavelengths],
        "areas": ["knees"],
        "irradiance_mw_cm2": 60,
        "irradiance_distance_cm": 15,
        "session_minutes": 10,
        "description": "A panel for gradual, gentle support after training.",
        "status": "published",
    }
    data.update(overrides)
    return data


def add_device(session: Session, **overrides: Any) -> Device:
    data, errors = parse_device(device_data(**overrides))
    assert data is not None, errors
    return crud.create_device(session, data=data, bands=load_bands(session))
