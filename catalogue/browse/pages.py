"""A page's devices in the order the shopper asked for, and the bitmaps they come from.

With no cache, one query. With the process's ``CountCache``, the page's ids are kept per
catalogue version and carried across writes that cannot move them; a page in the default
order (fit rank for the chosen areas, a searched word in the name, then name and id) is read
tier by tier from the facet bitmaps and the name index (``browse/ordered.py``), the other sorts
by the filter's own query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, case, not_, or_
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.browse.cache import CountCache, counting_state
from catalogue.browse.conditions import (
    conditions,
    dialect_of,
    has_base,
    in_name_index,
    published,
)
from catalogue.browse.facet_index import FacetIndex
from catalogue.browse.filter import FACETS, DeviceFilter
from catalogue.browse.fit import Catalogue
from catalogue.browse.for_area import fit_rank
from catalogue.browse.ordered import Tier, page_in_tiers
from catalogue.browse.text import contains
from catalogue.data.models import Device


def _order(flt: DeviceFilter, cat: Catalogue) -> list[Any]:
    order: list[Any] = []
    if flt.area:
        # Fits, then partial, then misses, whatever the sort.
        rank = fit_rank(cat.chosen_areas(flt.area), cat)
        if rank is not None:
            order.append(rank.desc())
    if flt.sort == "relevance":
        if flt.words:
            order.append(case((_in_name(flt.words), 0), else_=1))
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


def _in_name(words: Sequence[str]) -> ColumnElement[bool]:
    """A searched word in the device's name: relevance puts these first."""
    return or_(*(contains(Device.name, w) for w in words))


def _page_query(flt: DeviceFilter, cat: Catalogue, dialect: str, what: Any) -> Any:
    return (
        select(what)
        .where(*conditions(flt, cat, dialect))
        .order_by(*_order(flt, cat))
        .limit(flt.per_page)
        .offset(flt.offset)
    )


def page_devices(
    session: Session,
    *,
    flt: DeviceFilter,
    cat: Catalogue,
    cache: CountCache | None,
    version: int | None,
) -> list[Device]:
    """The page's devices: one query, or with a cache the page's ids (kept per version) and
    one lookup by primary key, so a repeated page skips the filter and the sort."""
    if cache is None:
        return list(session.scalars(_page_query(flt, cat, dialect_of(session), Device)).all())

    def read() -> list[int]:
        return filter_page_ids(session, flt=flt, cat=cat)

    def carried() -> list[int]:
        # After a write, a page whose filter keeps none of the changed devices is the same.
        if version is None:
            return read()
        index = cache.index.at(session, version)
        if index.brand is None:
            return read()
        matching = kept_matching(session, flt=flt, cat=cat, cache=cache, index=index)
        key = (flt, cat.money_key, cat.bands, cat.areas)  # a band edit can reorder fits

        def read_in_tiers() -> list[int]:
            found = tiered_page_ids(
                session, flt=flt, cat=cat, cache=cache, index=index, matching=matching
            )
            return read() if found is None else found

        return cache.index.page(session, key, version, matching, read_in_tiers)

    ids = cache.get(version, ("page", flt), carried)
    by_id = {d.id: d for d in session.scalars(select(Device).where(col(Device.id).in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def kept_matching(
    session: Session, *, flt: DeviceFilter, cat: Catalogue, cache: CountCache, index: FacetIndex
) -> int:
    """The devices the whole filter keeps, as a bitmap at ``index``'s version."""
    state = counting_state(flt)
    return index.matching(state, cat, filter_base(session, cache, index, state, cat, index.version))


def filter_page_ids(session: Session, *, flt: DeviceFilter, cat: Catalogue) -> list[int]:
    """The page's ids from the filter's own query: every match found, sorted, then cut."""
    query = _page_query(flt, cat, dialect_of(session), Device.id)
    return [i for i in session.scalars(query) if i is not None]


def tiered_page_ids(
    session: Session,
    *,
    flt: DeviceFilter,
    cat: Catalogue,
    cache: CountCache,
    index: FacetIndex,
    matching: int,
) -> list[int] | None:
    """The page's ids read tier by tier (``browse/ordered.py``) from ``index`` and the
    devices the filter keeps (``matching``); None when ``filter_page_ids`` reads it better."""
    tiers = _tiers(session, cache, index, flt, cat, index.version, matching)
    if tiers is None:
        return None
    return page_in_tiers(session, tiers, offset=flt.offset, limit=flt.per_page)


MAX_NAMED_IN_ORDER = 20_000  # devices with a searched word in the name kept in name order


def _tiers(
    session: Session,
    cache: CountCache,
    index: FacetIndex,
    flt: DeviceFilter,
    cat: Catalogue,
    version: int,
    matching: int,
) -> list[Tier] | None:
    """The devices the filter keeps (``matching``) in the levels of the page's ORDER BY
    (``_order``) before name and id: fit rank for the chosen areas, then, for relevance, a
    searched word in the name. None for the other sorts, which ``ordered.py`` does not read,
    and when there is no such level."""
    words = flt.sort == "relevance" and bool(flt.words)
    if flt.sort not in ("relevance", "name") or not (flt.area or words):
        return None  # no rank before the name: the filter's own query reads no more rows
    where = tuple(in_name_index(flt, cat))
    # The devices meeting ``where`` but for the price bounds, from the facet bitmaps.
    walked = index.matching(replace(flt, area=(), hide_misses=False), cat, index.published)
    levels = [(matching, where, walked)]
    areas = cat.chosen_areas(flt.area)
    if areas and fit_rank(areas, cat) is not None:
        levels = [
            (bits & matching, (*where, cond), among & walked)
            for bits, cond, among in index.rank_tiers(areas, cat)
        ]
    if not words:
        return [Tier(bits, cond, among.bit_count()) for bits, cond, among in levels]
    # A word in the name first. Those devices are found by no index and lie together in
    # name order (names start with a word): kept in name order when there are not too many.
    in_name = _in_name(flt.words)
    holds_word = [published(), in_name]
    named = cache.index.kept(session, holds_word, version, ("in name", tuple(flt.words)))
    order = None
    if named.bit_count() <= MAX_NAMED_IN_ORDER:
        named, order = cache.index.in_name_order(
            session, holds_word, version, ("in name order", tuple(flt.words))
        )
    tiers = []
    for bits, cond, among in levels:
        tiers.append(Tier(bits & named, (*cond, in_name), (among & named).bit_count(), order))
        tiers.append(Tier(bits & ~named, (*cond, not_(in_name)), (among & ~named).bit_count()))
    return tiers


def filter_base(
    session: Session,
    cache: CountCache,
    index: FacetIndex,
    flt: DeviceFilter,
    cat: Catalogue,
    version: int,
) -> int:
    """The published devices passing the filter's non-facet conditions, as a bitmap."""
    if not has_base(flt):
        return index.published
    outside = replace(flt, **NO_FACETS)
    return cache.index.base(session, outside, cat, version, (outside, cat.money_key))


NO_FACETS: dict[str, Any] = {name: () for name in FACETS} | {"hide_misses": False}
