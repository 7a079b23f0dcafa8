"""Which devices are *for* a body area, and how well their light suits it.

A device is for an area when its record lists that area or lists ``whole-body`` (a panel or
mat for the whole body serves every area). Among the devices for an area, the fit says
whether the light gets there: a red-only knee wrap is for knees and misses them.

Every query that narrows by area goes through ``for_areas`` and the helpers below, so the
area filter has one home (the benchmark at 100k devices measures exactly these). They stay
in SQL: ``device_area`` has an index on (area_slug, device_id), and the fit follows from the
stored light type, so no row is looked at in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_
from sqlalchemy.orm import Session, aliased
from sqlmodel import col, select

from catalogue.browse.fit import AreaFit, Catalogue, fit_levels
from catalogue.core import bands as core
from catalogue.data.models import Device, DeviceArea

WHOLE_BODY = "whole-body"
GROUP_RANK: dict[str, int] = {"fits": 2, "partial": 1, "misses": 0}


def for_areas(slugs: Iterable[str]) -> ColumnElement[bool]:
    """Devices made for any of the areas: ``knees`` -> listed for knees or for the whole body."""
    wanted = sorted({*slugs, WHOLE_BODY})
    listed = select(DeviceArea.device_id).where(col(DeviceArea.area_slug).in_(wanted))
    return col(Device.id).in_(listed)


def levels_by_light_type(
    areas: Sequence[core.Area], cat: Catalogue
) -> dict[str, dict[str, list[str]]]:
    """For each light type, the chosen areas at each fit level: nir -> {"fits": ["knees"], ...}."""
    result: dict[str, dict[str, list[str]]] = {lt: {} for lt in core.LIGHT_TYPES}
    for area in areas:
        for lt, level in fit_levels(area, cat.bands).items():
            result[lt].setdefault(level, []).append(area.slug)
    return result


def fit_rank(areas: Sequence[core.Area], cat: Catalogue) -> Any:
    """An ORDER BY key: 2 for fits, 1 for partial, 0 for misses, for devices ``for_areas``.

    With one area (or areas a light type suits alike) the rank follows from the light type
    alone; only a light type that fits one chosen area and misses another needs to ask which
    of them the device is listed for.
    """
    whens: list[tuple[ColumnElement[bool], int]] = []
    for lt, by_level in levels_by_light_type(areas, cat).items():
        is_lt = col(Device.light_type) == lt
        if len(by_level) == 1:
            whens.append((is_lt, GROUP_RANK[next(iter(by_level))]))
            continue
        for level in ("fits", "partial"):
            if level in by_level:
                whens.append((and_(is_lt, for_areas(by_level[level])), GROUP_RANK[level]))
    return case(*whens, else_=0) if whens else None


def reach_condition(areas: Sequence[core.Area], cat: Catalogue) -> ColumnElement[bool]:
    """Devices whose light reaches (fits or partly) a chosen area they are for: misses hidden."""
    parts: list[ColumnElement[bool]] = []
    for lt, by_level in levels_by_light_type(areas, cat).items():
        reached = [slug for level, slugs in by_level.items() if level != "misses" for slug in slugs]
        if not reached:
            continue
        is_lt = col(Device.light_type) == lt
        parts.append(is_lt if len(reached) == len(areas) else and_(is_lt, for_areas(reached)))
    return or_(*parts) if parts else false()


@dataclass(frozen=True, slots=True)
class Group:
    """Where one device stands for the chosen areas, with the reason a shopper reads."""

    level: str
    reason: str


def group_of(listed: Sequence[str], fits: dict[str, AreaFit], cat: Catalogue) -> Group | None:
    """The best fit among the chosen areas (``fits``) that a device is made for.

    ``listed`` is the device's own areas. A miss says what the device is sold for:
    "listed for knees, but red light only acts on the surface; ...".
    """
    made_for = list(fits) if WHOLE_BODY in listed else [s for s in fits if s in listed]
    if not made_for:
        return None
    best = max(made_for, key=lambda s: GROUP_RANK[fits[s].fit])
    fit = fits[best]
    if fit.fit != "misses":
        return Group(fit.fit, fit.reason)
    name = cat.area_by_slug[best].name.lower() if best != WHOLE_BODY else "the whole body"
    return Group("misses", f"listed for {name}, but {fit.reason}")


def area_counts(
    session: Session, conditions: list[ColumnElement[bool]], cat: Catalogue
) -> dict[str, dict[str, int]]:
    """How many devices meeting ``conditions`` are for each area, by light type.

    One GROUP BY over the listed areas, split by whether the device also lists the whole
    body: a whole-body device counts once for every area, even one it also names.
    ``{"knees": {"nir": 3, "red": 1}, ...}``.
    """
    wb = aliased(DeviceArea)
    has_wb = col(wb.device_id).is_not(None)
    query = (
        select(DeviceArea.area_slug, Device.light_type, has_wb, func.count())
        .join(Device, col(Device.id) == col(DeviceArea.device_id))
        .outerjoin(wb, and_(col(wb.device_id) == col(Device.id), col(wb.area_slug) == WHOLE_BODY))
        .where(*conditions)
        .group_by(DeviceArea.area_slug, Device.light_type, has_wb)
    )
    listed: dict[str, dict[str, int]] = {}
    also_whole: dict[str, dict[str, int]] = {}
    for slug, lt, whole, n in session.execute(query).all():
        listed.setdefault(slug, {}).setdefault(lt, 0)
        listed[slug][lt] += n
        if whole:
            also_whole.setdefault(slug, {})[lt] = n
    whole_body = listed.get(WHOLE_BODY, {})
    result: dict[str, dict[str, int]] = {}
    for slug in cat.area_slugs:
        mine, both = listed.get(slug, {}), also_whole.get(slug, {})
        if slug == WHOLE_BODY:
            result[slug] = dict(whole_body)
            continue
        result[slug] = {
            lt: mine.get(lt, 0) + whole_body.get(lt, 0) - both.get(lt, 0)
            for lt in core.LIGHT_TYPES
            if mine.get(lt, 0) + whole_body.get(lt, 0) - both.get(lt, 0)
        }
    return result


def count_at(
    by_light_type: dict[str, int], area: core.Area, cat: Catalogue, levels: Iterable[str]
) -> int:
    """Of one area's per-light-type counts, those whose fit is one of ``levels``."""
    fit_of = fit_levels(area, cat.bands)
    wanted = set(levels)
    return sum(n for lt, n in by_light_type.items() if fit_of.get(lt) in wanted)
