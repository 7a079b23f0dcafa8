"""The device editor's form: raw form fields <-> the input ``parse_device`` validates.

The form keeps every value as the merchandiser typed it, so a page re-rendered with errors
shows exactly what was entered. Emissions are rows of two inputs (``emission_nm``,
``emission_share``); areas are checkboxes named ``areas``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from catalogue.devices.fields import status_label
from catalogue.devices.schemas import MEASUREMENTS, PRODUCT_FIELDS, FieldErrors
from catalogue.imports.devicefile import format_emissions

TEXT_FIELDS = (*PRODUCT_FIELDS, "description")
# Blank emission rows offered below the filled ones, so a form works without JavaScript.
SPARE_EMISSION_ROWS = 2


def getall(data: Mapping[str, Any], key: str) -> list[str]:
    """Litestar gives a repeated form key as a list and a single one as a string."""
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def slugify(text: str) -> str:
    """``"Horizon 600 Panel (2025)"`` -> ``"horizon-600-panel-2025"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120]


@dataclass
class DeviceForm:
    """What the form shows: values as strings, emission rows, checked areas, errors."""

    values: dict[str, str] = field(default_factory=dict)
    emissions: list[tuple[str, str]] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    errors: FieldErrors = field(default_factory=dict)

    @property
    def emission_rows(self) -> list[tuple[str, str]]:
        return [*self.emissions, *[("", "")] * SPARE_EMISSION_ROWS]

    def wavelengths(self) -> list[float]:
        """The wavelengths that parse, for the live claim preview of a half-typed form."""
        found = []
        for nm, _share in self.emissions:
            try:
                found.append(float(nm))
            except ValueError:
                continue
        return found

    def to_input(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: self.values.get(name, "") for name in TEXT_FIELDS}
        for name in MEASUREMENTS:
            data[name] = self.values.get(name) or None
        if not data["slug"] and data["name"]:
            data["slug"] = slugify(data["name"])
        data["emissions"] = [
            {"wavelength_nm": nm, "share_pct": share or None} for nm, share in self.emissions
        ]
        data["areas"] = list(self.areas)
        return data


def form_from_post(data: Mapping[str, Any]) -> DeviceForm:
    values = {name: str(data.get(name) or "").strip() for name in (*TEXT_FIELDS, *MEASUREMENTS)}
    values["description"] = str(data.get("description") or "")
    nms, shares = getall(data, "emission_nm"), getall(data, "emission_share")
    shares += [""] * (len(nms) - len(shares))
    emissions = [
        (nm.strip(), share.strip())
        for nm, share in zip(nms, shares, strict=False)
        if nm.strip() or share.strip()
    ]
    return DeviceForm(values=values, emissions=emissions, areas=getall(data, "areas"))


def form_from_snapshot(snapshot: Mapping[str, Any]) -> DeviceForm:
    """A form filled from a stored device (``crud.snapshot``)."""
    values: dict[str, str] = {}
    for name in (*TEXT_FIELDS, *MEASUREMENTS):
        value = snapshot.get(name)
        values[name] = (
            "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
        )
    emissions = [
        (
            f"{float(e['wavelength_nm']):g}",
            "" if e.get("share_pct") is None else f"{float(e['share_pct']):g}",
        )
        for e in snapshot.get("emissions", [])
    ]
    return DeviceForm(values=values, emissions=emissions, areas=list(snapshot.get("areas", [])))


def display_value(name: str, value: Any) -> str:
    """A history or conflict value as a person reads it."""
    if value is None or value == "":
        return "—"
    if name == "emissions" and isinstance(value, list):
        return format_emissions(value) or "—"
    if name == "areas" and isinstance(value, list):
        return ", ".join(value) or "—"
    if name == "status" and isinstance(value, str):
        return status_label(value)
    if name == "images" and isinstance(value, list):  # alt texts in gallery order
        return "; ".join(value) or "—"
    if name == "waiver" and isinstance(value, dict):  # a waived warning: rule and words
        text = value.get("text")
        return f"{value.get('rule')} on “{text}”" if text else f"{value.get('rule')} (record check)"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
