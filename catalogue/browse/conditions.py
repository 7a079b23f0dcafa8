"""A shopper's filter as SQL: the WHERE clause every list, count and page of the shop uses.

Two halves, because the facet counts treat them differently (``browse/facet_index.py``):
the *facets* (light type, coverage, area, form factor, brand), which a disjunctive count
leaves out one at a time, and the *base* (published, price, wavelength, session length,
warranty, the words of ``q``), which every count keeps.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.browse.filter import DeviceFilter
from catalogue.browse.fit import Catalogue
from catalogue.browse.for_area import for_areas, reach_condition
from catalogue.browse.text import text_conditions
from catalogue.core import bands as core
from catalogue.data.models import Device, Emission


def published() -> ColumnElement[bool]:
    return col(Device.status) == "published"


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def conditions(
    flt: DeviceFilter, cat: Catalogue, dialect: str, *, leave_out: str | None = None
) -> list[ColumnElement[bool]]:
    """The WHERE clause of a filter; ``leave_out`` drops one facet for its disjunctive count."""
    return base_conditions(flt, cat, dialect) + facet_conditions(flt, cat, leave_out=leave_out)


def facet_conditions(
    flt: DeviceFilter, cat: Catalogue, *, leave_out: str | None = None
) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    for name, column in (
        ("light_type", Device.light_type),
        ("form_factor", Device.form_factor),
        ("brand", Device.brand),
    ):
        chosen = getattr(flt, name)
        if chosen and name != leave_out:
            found.append(col(column).in_(chosen))
    if flt.coverage and leave_out != "coverage":
        # Coverage follows from light type (both are stored by the core), so filtering on
        # the light type gives the same rows and uses the browse indexes.
        types = [lt for lt, cov in core.COVERAGE_FOR_LIGHT_TYPE.items() if cov in flt.coverage]
        found.append(col(Device.light_type).in_(types))
    if flt.area and leave_out != "area":
        found.append(for_areas(flt.area))
        if flt.hide_misses:
            found.append(reach_condition(cat.chosen_areas(flt.area), cat))
    return found


def has_base(flt: DeviceFilter) -> bool:
    """Whether the filter narrows beyond "published" outside the facets."""
    bounds = (
        flt.min_price,
        flt.max_price,
        flt.max_session,
        flt.min_warranty,
        flt.min_nm,
        flt.max_nm,
    )
    return any(v is not None for v in bounds) or bool(flt.words)


def in_name_index(flt: DeviceFilter, cat: Catalogue) -> list[ColumnElement[bool]]:
    """The filter's conditions on the columns of the name index (``BROWSE_NAME``): published,
    price, light type (and coverage), form factor and brand; what ``browse/ordered.py`` asks
    of the rows it walks in name order. The area, words and the rest are left out."""
    return [published(), *_price_bounds(flt, cat), *facet_conditions(flt, cat, leave_out="area")]


def _price_bounds(flt: DeviceFilter, cat: Catalogue) -> list[ColumnElement[bool]]:
    # Price bounds are in the display currency; devices keep their price in US dollars.
    found = []
    if flt.min_price is not None:
        found.append(col(Device.price_usd) >= cat.money.to_usd(flt.min_price))
    if flt.max_price is not None:
        found.append(col(Device.price_usd) <= cat.money.to_usd(flt.max_price))
    return found


def base_conditions(flt: DeviceFilter, cat: Catalogue, dialect: str) -> list[ColumnElement[bool]]:
    found = [published(), *_price_bounds(flt, cat)]
    if flt.max_session is not None:
        found.append(col(Device.session_minutes) <= flt.max_session)
    if flt.min_warranty is not None:
        found.append(col(Device.warranty_months) >= flt.min_warranty)
    if flt.min_nm is not None or flt.max_nm is not None:
        in_range = select(Emission.device_id)
        if flt.min_nm is not None:
            in_range = in_range.where(col(Emission.wavelength_nm) >= flt.min_nm)
        if flt.max_nm is not None:
            in_range = in_range.where(col(Emission.wavelength_nm) <= flt.max_nm)
        found.append(col(Device.id).in_(in_range))
    return found + text_conditions(flt.words, dialect)
