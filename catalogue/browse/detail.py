"""One published device with every field, its emissions by band and its fit for every area."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.browse.fit import AreaFit, Catalogue, area_fits
from catalogue.browse.for_area import WHOLE_BODY
from catalogue.browse.labels import AREA_GROUP_LABELS, LIGHT_TYPE_NOTES
from catalogue.browse.listing import load_children, shown_fields
from catalogue.core import bands as core
from catalogue.data.models import Device, Emission
from catalogue.devices.schemas import MEASUREMENTS
from catalogue.media.images import Picture, gallery


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
    display_price: float | None
    display_currency: str
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
    # Display price over treatment area, to compare panels of any size.
    price_per_cm2: float | None
    description: str
    fit: dict[str, AreaFit]  # every body area, in the vocabulary's order
    url: str
    made_for: list[str]  # the areas it is sold for: every area when it lists the whole body
    pictures: list[Picture] = field(default_factory=list)  # the main one first


def details(session: Session, *, devices: Sequence[Device], cat: Catalogue) -> list[DeviceDetail]:
    children = load_children(session, devices=devices, cat=cat)
    result = []
    for d in devices:
        assert d.id is not None
        emissions: list[Emission] = children.emissions[d.id]
        wavelengths = [e.wavelength_nm for e in emissions]
        shown = cat.money.shown(d.price_usd)
        per_cm2 = (
            round(shown / d.treatment_area_cm2, 4)
            if shown is not None and d.treatment_area_cm2
            else None
        )
        result.append(
            DeviceDetail(
                **shown_fields(d, cat),
                sku=d.sku,
                light_type_note=LIGHT_TYPE_NOTES.get(d.light_type, ""),
                wavelengths_nm=wavelengths,
                emissions=[
                    EmissionView(
                        e.wavelength_nm,
                        e.share_pct,
                        band.slug if (band := core.band_of(e.wavelength_nm, cat.bands)) else None,
                    )
                    for e in emissions
                ],
                outside_bands_nm=core.outside_bands(wavelengths, cat.bands),
                areas=children.areas[d.id],
                **{name: getattr(d, name) for name in MEASUREMENTS},
                price_per_cm2=per_cm2,
                description=d.description,
                fit=area_fits(wavelengths, cat.areas, cat.bands),
                made_for=(
                    list(cat.area_slugs)
                    if WHOLE_BODY in children.areas[d.id]
                    else children.areas[d.id]
                ),
                pictures=gallery(session, d.id),
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
