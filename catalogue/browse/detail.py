"""One published device with every field, its emissions by band and its fit for every area."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.browse.fit import AreaFit, Catalogue
from catalogue.browse.labels import AREA_GROUP_LABELS, LIGHT_TYPE_NOTES
from catalogue.browse.listing import load_children
from catalogue.core import bands as core
from catalogue.core.dose import dose_j_cm2
from catalogue.models import Device, Emission


@dataclass(frozen=True, slots=True)
class EmissionView:
    wavelength_nm: float
    share_pct: float | None
    band: str | None  # "red", "nir", or None when outside the article's bands


@dataclass(frozen=True, slots=True)
class DeviceDetail:
    slug: str
    sku: str
    name: str
    brand: str
    form_factor: str
    price: float
    currency: str
    light_type: str
    coverage: str
    light_type_note: str
    wavelengths_nm: list[float]
    emissions: list[EmissionView]
    outside_bands_nm: list[float]
    areas: list[str]
    irradiance_mw_cm2: float | None
    irradiance_distance_cm: float | None
    treatment_area_cm2: float | None
    led_count: int | None
    session_minutes: float | None
    recommended_distance_cm: float | None
    power_w: float | None
    weight_kg: float | None
    warranty_months: int | None
    dose_j_cm2: float | None
    price_per_cm2: float | None  # price over treatment area, to compare panels of any size
    description: str
    fit: dict[str, AreaFit]  # every body area, in the vocabulary's order
    url: str


def details(session: Session, *, devices: Sequence[Device], cat: Catalogue) -> list[DeviceDetail]:
    children = load_children(session, devices=devices, cat=cat)
    result = []
    for d in devices:
        assert d.id is not None
        emissions: list[Emission] = children.emissions[d.id]
        wavelengths = [e.wavelength_nm for e in emissions]
        bands = {e.wavelength_nm: core.band_of(e.wavelength_nm, cat.bands) for e in emissions}
        fit = {}
        for area in cat.areas:
            f = core.fit_for_area(wavelengths, area, cat.bands)
            fit[area.slug] = AreaFit(f.level, f.reason)
        per_cm2 = round(float(d.price) / d.treatment_area_cm2, 4) if d.treatment_area_cm2 else None
        result.append(
            DeviceDetail(
                slug=d.slug,
                sku=d.sku,
                name=d.name,
                brand=d.brand,
                form_factor=d.form_factor,
                price=float(d.price),
                currency=d.currency,
                light_type=d.light_type,
                coverage=d.coverage,
                light_type_note=LIGHT_TYPE_NOTES.get(d.light_type, ""),
                wavelengths_nm=wavelengths,
                emissions=[
                    EmissionView(
                        e.wavelength_nm,
                        e.share_pct,
                        band.slug if (band := bands[e.wavelength_nm]) else None,
                    )
                    for e in emissions
                ],
                outside_bands_nm=core.outside_bands(wavelengths, cat.bands),
                areas=children.areas[d.id],
                irradiance_mw_cm2=d.irradiance_mw_cm2,
                irradiance_distance_cm=d.irradiance_distance_cm,
                treatment_area_cm2=d.treatment_area_cm2,
                led_count=d.led_count,
                session_minutes=d.session_minutes,
                recommended_distance_cm=d.recommended_distance_cm,
                power_w=d.power_w,
                weight_kg=d.weight_kg,
                warranty_months=d.warranty_months,
                dose_j_cm2=dose_j_cm2(d.irradiance_mw_cm2, d.session_minutes),
                price_per_cm2=per_cm2,
                description=d.description,
                fit=fit,
                url=f"/devices/{d.slug}",
            )
        )
    return result


def by_slugs(session: Session, slugs: Sequence[str]) -> dict[str, Device]:
    """Published devices by slug. Status is checked here, not in SQL: with both in the WHERE
    clause SQLite prefers a status index over the unique slug and walks every listing."""
    query = select(Device).where(col(Device.slug).in_(list(slugs)))
    return {d.slug: d for d in session.scalars(query).all() if d.status == "published"}


def device_detail(session: Session, *, slug: str, cat: Catalogue) -> DeviceDetail | None:
    device = by_slugs(session, [slug]).get(slug)
    return details(session, devices=[device], cat=cat)[0] if device else None


def area_groups(cat: Catalogue) -> list[tuple[str, list[core.Area]]]:
    """Body areas under the article's group headings, for fit tables."""
    grouped: dict[str, list[core.Area]] = {}
    for area in cat.areas:
        grouped.setdefault(area.group, []).append(area)
    return [(AREA_GROUP_LABELS.get(g, g), areas) for g, areas in grouped.items()]
