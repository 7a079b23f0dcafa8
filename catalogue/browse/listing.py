"""One page of the filter: the devices, their total, and disjunctive facet counts.

Published devices only. Query counts are constant per page: one GROUP BY per facet (light
type, coverage and area share one when they can), one query for the page's devices and one
each for their emissions, listed areas and main images, whatever the page size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.browse.cache import CountCache, catalogue_version, counting_state
from catalogue.browse.filter import BRAND_FACET_LIMIT, COVERAGE_FILTERS, FACETS, DeviceFilter
from catalogue.browse.fit import AreaFit, Catalogue, area_fits
from catalogue.browse.for_area import (
    area_counts,
    count_at,
    fit_rank,
    for_areas,
    group_of,
    reach_condition,
)
from catalogue.browse.labels import FORM_FACTOR_LABELS
from catalogue.browse.text import contains, text_conditions
from catalogue.core import bands as core
from catalogue.core.dose import dose_j_cm2
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

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def published() -> ColumnElement[bool]:
    return col(Device.status) == "published"


def _conditions(
    flt: DeviceFilter, cat: Catalogue, dialect: str, *, leave_out: str | None = None
) -> list[ColumnElement[bool]]:
    """The WHERE clause of a filter; ``leave_out`` drops one facet for its disjunctive count."""
    conditions = [published()]
    for name, column in (
        ("light_type", Device.light_type),
        ("form_factor", Device.form_factor),
        ("brand", Device.brand),
    ):
        chosen = getattr(flt, name)
        if chosen and name != leave_out:
            conditions.append(col(column).in_(chosen))
    if flt.coverage and leave_out != "coverage":
        # Coverage follows from light type (both are stored by the core), so filtering on
        # the light type gives the same rows and uses the browse indexes.
        types = [lt for lt, cov in core.COVERAGE_FOR_LIGHT_TYPE.items() if cov in flt.coverage]
        conditions.append(col(Device.light_type).in_(types))
    if flt.area and leave_out != "area":
        conditions.append(for_areas(flt.area))
        if flt.hide_misses:
            conditions.append(reach_condition(cat.chosen_areas(flt.area), cat))
    # Price bounds are in the display currency; devices keep their price in US dollars.
    if flt.min_price is not None:
        conditions.append(col(Device.price_usd) >= cat.money.to_usd(flt.min_price))
    if flt.max_price is not None:
        conditions.append(col(Device.price_usd) <= cat.money.to_usd(flt.max_price))
    if flt.max_session is not None:
        conditions.append(col(Device.session_minutes) <= flt.max_session)
    if flt.min_warranty is not None:
        conditions.append(col(Device.warranty_months) >= flt.min_warranty)
    if flt.min_nm is not None or flt.max_nm is not None:
        in_range = select(Emission.device_id)
        if flt.min_nm is not None:
            in_range = in_range.where(col(Emission.wavelength_nm) >= flt.min_nm)
        if flt.max_nm is not None:
            in_range = in_range.where(col(Emission.wavelength_nm) <= flt.max_nm)
        conditions.append(col(Device.id).in_(in_range))
    conditions += text_conditions(flt.words, dialect)
    return conditions


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _order(flt: DeviceFilter, cat: Catalogue) -> list[Any]:
    order: list[Any] = []
    if flt.area:
        # Fits, then partial, then misses, whatever the sort.
        rank = fit_rank(cat.chosen_areas(flt.area), cat)
        if rank is not None:
            order.append(rank.desc())
    if flt.sort == "relevance":
        if flt.words:
            in_name = or_(*(contains(Device.name, w) for w in flt.words))
            order.append(case((in_name, 0), else_=1))
        order += [col(Device.name), col(Device.id)]
    elif flt.sort in ("price", "-price"):
        # In US dollars: the same order as the display currency, whatever it is.
        price = col(Device.price_usd)
        order += [(price.desc() if flt.sort == "-price" else price).nulls_last(), col(Device.id)]
    elif flt.sort in ("irradiance", "-irradiance"):
        irr = col(Device.irradiance_mw_cm2)
        order += [(irr.desc() if flt.sort == "-irradiance" else irr).nulls_last(), col(Device.id)]
    elif flt.sort == "-dose":
        # J/cm² = mW/cm² x minutes x 60 / 1000: the product orders the same.
        dose = col(Device.irradiance_mw_cm2) * col(Device.session_minutes)
        order += [dose.desc().nulls_last(), col(Device.id)]
    elif flt.sort == "price_per_cm2":
        per_cm2 = col(Device.price_usd) / col(Device.treatment_area_cm2)
        order += [per_cm2.nulls_last(), col(Device.id)]
    elif flt.sort == "name":
        order += [col(Device.name), col(Device.id)]
    else:  # newest
        order += [col(Device.created_at).desc(), col(Device.id).desc()]
    return order


def counts(session: Session, column: Any, conditions: list[ColumnElement[bool]]) -> dict[str, int]:
    query = select(column, func.count()).where(*conditions).group_by(column)
    return {value: count for value, count in session.execute(query).all()}


def _facet_counts(
    session: Session, column: Any, flt: DeviceFilter, cat: Catalogue, *, leave_out: str | None
) -> dict[str, int]:
    """One facet's GROUP BY: the filter without the facet's own choice."""
    key: Any = col(column)
    if any(getattr(flt, name) for name in FACETS if name != leave_out):
        # Asked to GROUP BY a column, SQLite walks the whole (status, column) index to get the
        # groups in order, even when another facet's choice could seek a small part of a
        # browse index instead (6 ms against 0.7 ms at 100k devices). Grouping by an
        # expression takes that order away, so the seek wins. PostgreSQL hash-aggregates
        # either way; with no other choice made, the ordered walk is the right plan.
        key = func.coalesce(col(column), "")
    return counts(session, key, _conditions(flt, cat, _dialect(session), leave_out=leave_out))


@dataclass(frozen=True, slots=True)
class FacetTally:
    """Every facet's disjunctive counts for one filter state, and the rows it matches."""

    total: int
    counts: dict[str, dict[str, int]]


def facet_tally(session: Session, *, flt: DeviceFilter, cat: Catalogue) -> FacetTally:
    """The counts of every facet value for a filter, with the filter's total.

    Light type, coverage and area counts all come from a GROUP BY light_type (coverage and
    reach follow from it), so filters that leave the same set of conditions share one query.
    """
    by_light_type: dict[frozenset[str], dict[str, int]] = {}

    def light_type_counts(leave_out: str) -> dict[str, int]:
        active = leave_out if getattr(flt, leave_out) else ""
        key = frozenset({active} - {""})
        if key not in by_light_type:
            by_light_type[key] = _facet_counts(
                session, Device.light_type, flt, cat, leave_out=active or None
            )
        return by_light_type[key]

    lt_counts = light_type_counts("light_type")
    # The light type filter is a plain IN, so the rows it keeps are the filter's total.
    total = sum(n for lt, n in lt_counts.items() if not flt.light_type or lt in flt.light_type)

    cov_by_lt = light_type_counts("coverage")
    cov_counts: dict[str, int] = {}
    for lt, n in cov_by_lt.items():
        cov = core.COVERAGE_FOR_LIGHT_TYPE.get(lt, "none")
        cov_counts[cov] = cov_counts.get(cov, 0) + n

    # Devices made for each area (disjunctive: the filter without its own area choice);
    # with misses hidden, only those whose light gets there.
    levels = ("fits", "partial") if flt.hide_misses else core.FIT_LEVELS
    by_area = area_counts(session, _conditions(flt, cat, _dialect(session), leave_out="area"), cat)
    area_tally = {a.slug: count_at(by_area[a.slug], a, cat, levels) for a in cat.areas}
    return FacetTally(
        total=total,
        counts={
            "light_type": lt_counts,
            "coverage": cov_counts,
            "area": area_tally,
            "form_factor": _facet_counts(
                session, Device.form_factor, flt, cat, leave_out="form_factor"
            ),
            "brand": _facet_counts(session, Device.brand, flt, cat, leave_out="brand"),
        },
    )


def matching_count(session: Session, *, flt: DeviceFilter, cat: Catalogue) -> int:
    """A plain COUNT(*) of the published devices the filter keeps: what every tally must equal."""
    query = select(func.count()).select_from(Device)
    return session.scalar(query.where(*_conditions(flt, cat, _dialect(session)))) or 0


def _page_query(flt: DeviceFilter, cat: Catalogue, dialect: str, what: Any) -> Any:
    return (
        select(what)
        .where(*_conditions(flt, cat, dialect))
        .order_by(*_order(flt, cat))
        .limit(flt.per_page)
        .offset(flt.offset)
    )


def _page_devices(
    session: Session,
    *,
    flt: DeviceFilter,
    cat: Catalogue,
    cache: CountCache | None,
    version: int | None,
) -> list[Device]:
    """The page's devices: one query, or with a cache the page's ids (kept per version) and
    one lookup by primary key, so a repeated page skips the filter and the sort."""
    dialect = _dialect(session)
    if cache is None:
        return list(session.scalars(_page_query(flt, cat, dialect, Device)).all())
    ids = cache.get(
        version,
        ("page", flt),
        lambda: list(session.scalars(_page_query(flt, cat, dialect, Device.id)).all()),
    )
    by_id = {d.id: d for d in session.scalars(select(Device).where(col(Device.id).in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def browse_devices(
    session: Session, *, flt: DeviceFilter, cat: Catalogue, cache: CountCache | None = None
) -> BrowseResult:
    """One page of devices for a filter, with disjunctive facet counts.

    With a ``cache`` the counts (per filter state) and the page's device ids (per filter,
    sort and page) are reused until the catalogue changes.
    """
    # Read before any data: see catalogue/browse/cache.py for why that order is safe.
    version = catalogue_version(session) if cache is not None else None
    state = counting_state(flt)
    tally = (
        cache.get(version, ("tally", state), lambda: facet_tally(session, flt=state, cat=cat))
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
        devices = _page_devices(session, flt=flt, cat=cat, cache=cache, version=version)
        items = summaries(session, devices=devices, cat=cat, fit_areas=cat.chosen_areas(flt.area))
    return BrowseResult(
        items=items,
        total=total,
        page=flt.page,
        per_page=flt.per_page,
        facets=facets,
        more_brands=len(set(brand_counts) - set(shown_brands)),
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
