"""One page of the filter: the devices, their total, and disjunctive facet counts.

Published devices only. Query counts are constant per page: one GROUP BY per facet (light
type, coverage and area share one when they can), one query for the page's devices and one
each for their emissions, listed areas and main images, whatever the page size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from catalogue.browse.cache import CountCache, catalogue_version, counting_state
from catalogue.browse.filter import BRAND_FACET_LIMIT, COVERAGE_FILTERS, DeviceFilter
from catalogue.browse.fit import AreaFit, Catalogue, area_fits
from catalogue.browse.for_area import group_of
from catalogue.browse.labels import FORM_FACTOR_LABELS
from catalogue.browse.pages import filter_base, page_devices
from catalogue.browse.suggest import Suggestion, did_you_mean, load_vocabulary
from catalogue.browse.tally import FacetTally, facet_tally
from catalogue.core import bands as core
from catalogue.core.dose import dose_j_cm2
from catalogue.core.paging import page_count
from catalogue.data.children import areas_by_device, emissions_by_device
from catalogue.data.models import FORM_FACTORS, Device, Emission
from catalogue.media.images import Picture, main_pictures

# --- Results ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceSummary:
    """One row of a result list; ``fit`` holds the selected areas only."""

    slug: str
    name: str
    brand: str
    form_factor: str
    price: float
    currency: str
    display_price: float | None  # the price in the shop's display currency
    display_currency: str
    light_type: str
    coverage: str
    wavelengths_nm: list[float]
    areas: list[str]
    irradiance_mw_cm2: float | None
    session_minutes: float | None
    dose_j_cm2: float | None
    treatment_area_cm2: float | None
    fit: dict[str, AreaFit]
    url: str
    # With areas chosen: fits, partial or misses for those the device is made for, and why.
    group: str | None = None
    group_reason: str | None = None
    picture: Picture | None = None  # the main image; None shows the form factor's drawing


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True, slots=True)
class BrowseResult:
    items: list[DeviceSummary]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[FacetValue]]
    more_brands: int = 0  # brands with devices that the brand facet leaves out
    did_you_mean: Suggestion | None = None  # a better spelling when the search finds little

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def cached_tally(
    session: Session, *, flt: DeviceFilter, cat: Catalogue, cache: CountCache, version: int | None
) -> FacetTally:
    """The counts for a filter state (``counting_state``), kept per catalogue version, from
    the process's facet bitmaps (``browse/facet_index.py``) brought up to ``version``."""
    money = cat.money_key

    def compute() -> FacetTally:
        if version is None:
            return facet_tally(session, flt=flt, cat=cat)
        index = cache.index.at(session, version)
        if index.brand is None:
            return facet_tally(session, flt=flt, cat=cat)
        return index.tally(flt, cat, filter_base(session, cache, index, flt, cat, version))

    return cache.get(version, ("tally", flt, money), compute)


def browse_devices(
    session: Session, *, flt: DeviceFilter, cat: Catalogue, cache: CountCache | None = None
) -> BrowseResult:
    """One page of devices for a filter, with disjunctive facet counts.

    With a ``cache`` the whole result is kept per catalogue version (a few hundred of them,
    ``CountCache.results``), and below it the counts per filter state and the page's device
    ids, so a page asked for again after a write is rebuilt from them.
    """
    # Read before any data: see catalogue/browse/cache.py for why that order is safe.
    version = catalogue_version(session) if cache is not None else None
    if cache is None or version is None:
        return _browse(session, flt=flt, cat=cat, cache=cache, version=version)
    # Everything a result shows depends on: prices in the display currency, fits on bands.
    key = (flt, cat.money_key, cat.bands, cat.areas)
    return cache.results.get(
        version, key, lambda: _browse(session, flt=flt, cat=cat, cache=cache, version=version)
    )


def _browse(
    session: Session,
    *,
    flt: DeviceFilter,
    cat: Catalogue,
    cache: CountCache | None,
    version: int | None,
) -> BrowseResult:
    state = counting_state(flt)
    tally = (
        cached_tally(session, flt=state, cat=cat, cache=cache, version=version)
        if cache is not None
        else facet_tally(session, flt=flt, cat=cat)
    )
    total, tallies = tally.total, tally.counts
    brand_counts = tallies["brand"]

    def facet(
        name: str, values: Iterable[str], tally: Mapping[str, int], labels: Mapping[str, str]
    ) -> list[FacetValue]:
        chosen = getattr(flt, name)
        return [FacetValue(v, labels.get(v, v), tally.get(v, 0), v in chosen) for v in values]

    # The brands with most devices, plus any chosen, in alphabetical order.
    by_count = sorted(brand_counts, key=lambda b: (-brand_counts[b], b.lower()))
    shown_brands = sorted(set(by_count[:BRAND_FACET_LIMIT]) | set(flt.brand), key=str.lower)
    facets = {
        "light_type": facet(
            "light_type", core.LIGHT_TYPES, tallies["light_type"], core.LIGHT_TYPE_LABELS
        ),
        "coverage": facet("coverage", COVERAGE_FILTERS, tallies["coverage"], core.COVERAGE_LABELS),
        "area": facet("area", cat.area_slugs, tallies["area"], {a.slug: a.name for a in cat.areas}),
        "form_factor": facet(
            "form_factor", FORM_FACTORS, tallies["form_factor"], FORM_FACTOR_LABELS
        ),
        "brand": facet("brand", shown_brands, brand_counts, {}),
    }

    items: list[DeviceSummary] = []
    if total and flt.offset < total:
        devices = page_devices(session, flt=flt, cat=cat, cache=cache, version=version)
        items = summaries(session, devices=devices, cat=cat, fit_areas=cat.chosen_areas(flt.area))
    return BrowseResult(
        items=items,
        total=total,
        page=flt.page,
        per_page=flt.per_page,
        facets=facets,
        more_brands=len(set(brand_counts) - set(shown_brands)),
        did_you_mean=_did_you_mean(
            session, flt=flt, total=total, cat=cat, cache=cache, version=version
        ),
    )


def _did_you_mean(
    session: Session,
    *,
    flt: DeviceFilter,
    total: int,
    cat: Catalogue,
    cache: CountCache | None,
    version: int | None,
) -> Suggestion | None:
    """With a cache, the vocabulary is read once per catalogue version and the corrected
    search's count is the one its page will show when the shopper follows the link."""
    if cache is None:
        return did_you_mean(
            flt,
            total,
            vocabulary=lambda: load_vocabulary(session),
            count=lambda fixed: facet_tally(session, flt=fixed, cat=cat).total,
        )
    return did_you_mean(
        flt,
        total,
        vocabulary=lambda: cache.get(version, ("vocabulary",), lambda: load_vocabulary(session)),
        count=lambda fixed: (
            cached_tally(
                session, flt=counting_state(fixed), cat=cat, cache=cache, version=version
            ).total
        ),
    )


# --- Loading a page's devices: one query for emissions, one for areas ------------------------


@dataclass(frozen=True, slots=True)
class Children:
    emissions: dict[int, list[Emission]]
    areas: dict[int, list[str]]
    pictures: dict[int, Picture]


def load_children(session: Session, *, devices: Sequence[Device], cat: Catalogue) -> Children:
    ids = [d.id for d in devices if d.id is not None]
    emissions = emissions_by_device(session, ids)
    areas = areas_by_device(session, ids)
    position = {slug: i for i, slug in enumerate(cat.area_slugs)}
    for slugs in areas.values():
        slugs.sort(key=lambda s: position.get(s, len(position)))
    return Children(emissions, areas, main_pictures(session, ids))


def summaries(
    session: Session, *, devices: Sequence[Device], cat: Catalogue, fit_areas: Sequence[core.Area]
) -> list[DeviceSummary]:
    children = load_children(session, devices=devices, cat=cat)
    result = []
    for d in devices:
        assert d.id is not None
        wavelengths = [e.wavelength_nm for e in children.emissions[d.id]]
        fit = area_fits(wavelengths, fit_areas, cat.bands)
        group = group_of(children.areas[d.id], fit, cat) if fit else None
        result.append(
            DeviceSummary(
                **shown_fields(d, cat),
                wavelengths_nm=wavelengths,
                areas=children.areas[d.id],
                irradiance_mw_cm2=d.irradiance_mw_cm2,
                session_minutes=d.session_minutes,
                treatment_area_cm2=d.treatment_area_cm2,
                fit=fit,
                group=group.level if group else None,
                group_reason=group.reason if group else None,
                picture=children.pictures.get(d.id),
            )
        )
    return result


def shown_fields(d: Device, cat: Catalogue) -> dict[str, Any]:
    """What a result row and a device page both take straight from the device's row."""
    return {
        "slug": d.slug,
        "name": d.name,
        "brand": d.brand,
        "form_factor": d.form_factor,
        "price": float(d.price),
        "currency": d.currency,
        "display_price": cat.money.shown(d.price_usd),
        "display_currency": cat.money.display,
        "light_type": d.light_type,
        "coverage": d.coverage,
        "dose_j_cm2": dose_j_cm2(d.irradiance_mw_cm2, d.session_minutes),
        "url": f"/devices/{d.slug}",
    }
