"""The guided finder: body areas and a budget in, the devices made for those areas whose light
gets there out, best first (fits before partial, then the highest dose per session)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from catalogue.browse.filter import ArgumentError, DeviceFilter
from catalogue.browse.fit import Catalogue
from catalogue.browse.listing import BrowseResult, browse_devices

FINDER_RESULTS = 12


def finder_filter(
    args: Mapping[str, Sequence[str]], *, cat: Catalogue
) -> tuple[DeviceFilter, list[ArgumentError]]:
    """Only ``area`` and ``max_price`` (the budget) are read; the rest is the finder's own."""
    asked = {k: v for k, v in args.items() if k in ("area", "max_price")}
    flt, errors = DeviceFilter.from_query(asked, area_slugs=cat.area_slugs)
    return replace(flt, hide_misses=True, sort="-dose", per_page=FINDER_RESULTS), errors


def find_devices(session: Session, *, flt: DeviceFilter, cat: Catalogue) -> BrowseResult | None:
    """None until at least one area is picked: the finder answers "for what?" first."""
    if not flt.area:
        return None
    return browse_devices(session, flt=flt, cat=cat)
