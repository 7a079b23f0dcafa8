"""Helpers for the browse tests: the catalogue a session holds, a query run as a shopper would."""

from __future__ import annotations

from urllib.parse import parse_qs

from sqlalchemy.orm import Session

from catalogue.browse import BrowseResult, Catalogue, DeviceFilter, browse_devices
from catalogue.data.reference import load_areas, load_bands


def catalogue_of(session: Session) -> Catalogue:
    return Catalogue(bands=load_bands(session), areas=load_areas(session))


def query_args(query: str) -> dict[str, list[str]]:
    return parse_qs(query, keep_blank_values=True)


def browse(session: Session, query: str) -> BrowseResult:
    cat = catalogue_of(session)
    flt, errors = DeviceFilter.from_query(query_args(query), area_slugs=cat.area_slugs)
    assert errors == []
    return browse_devices(session, flt=flt, cat=cat)


def slugs(result: BrowseResult) -> list[str]:
    return [item.slug for item in result.items]
