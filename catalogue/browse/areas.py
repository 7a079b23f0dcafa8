"""Area pages: every published device in fits / partial / misses for one body area."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, exists
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.browse.filter import url_for
from catalogue.browse.fit import Catalogue, fit_levels
from catalogue.browse.labels import AREA_GROUP_LABELS, DEPTH_NEEDS, FIT_LABELS
from catalogue.browse.listing import DeviceSummary, counts, published, summaries
from catalogue.core import bands as core
from catalogue.data.models import BodyArea, Device, DeviceArea


@dataclass(frozen=True, slots=True)
class FitGroup:
    """The devices one fit level holds for an area, e.g. every "misses" device for knees."""

    level: str
    label: str
    light_types: tuple[str, ...]
    count: int
    items: list[DeviceSummary]
    url: str  # the filter page holding exactly this group


@dataclass(frozen=True, slots=True)
class AreaView:
    slug: str
    name: str
    depth: str
    group: str
    group_label: str
    target: str
    note: str
    needs: str
    fits_count: int = 0
    partial_count: int = 0
    groups: list[FitGroup] = field(default_factory=list)


def _area_view(
    row: BodyArea, *, groups: list[FitGroup] | None = None, fits: int = 0, partial: int = 0
) -> AreaView:
    return AreaView(
        slug=row.slug,
        name=row.name,
        depth=row.depth,
        group=row.group,
        group_label=AREA_GROUP_LABELS.get(row.group, row.group),
        target=row.target,
        note=row.note,
        needs=DEPTH_NEEDS.get(row.depth, ""),
        fits_count=fits,
        partial_count=partial,
        groups=groups or [],
    )


def area_index(session: Session, *, cat: Catalogue) -> list[tuple[str, list[AreaView]]]:
    """Body areas by the article's groups, each with how many devices fit it."""
    by_lt = counts(session, Device.light_type, [published()])
    grouped: dict[str, list[AreaView]] = {}
    rows = session.scalars(select(BodyArea).order_by(col(BodyArea.position))).all()
    for row in rows:
        area = cat.area_by_slug[row.slug]
        levels = fit_levels(area, cat.bands)
        fits = sum(n for lt, n in by_lt.items() if levels.get(lt) == "fits")
        partial = sum(n for lt, n in by_lt.items() if levels.get(lt) == "partial")
        grouped.setdefault(row.group, []).append(_area_view(row, fits=fits, partial=partial))
    return [(AREA_GROUP_LABELS.get(g, g), views) for g, views in grouped.items()]


def _listed_first(
    session: Session, *, area: str, light_types: Sequence[str], limit: int
) -> list[Device]:
    """Up to ``limit`` devices of these light types by name, those listed for the area first.

    Two queries rather than one ORDER BY on "is it listed": that sort would have to look up
    every matching device; these stop after ``limit`` rows.
    """
    of_types = select(Device).where(published(), col(Device.light_type).in_(light_types))
    by_name = (col(Device.name), col(Device.id))
    listed_here = and_(
        col(DeviceArea.device_id) == col(Device.id), col(DeviceArea.area_slug) == area
    )
    devices = list(
        session.scalars(of_types.join(DeviceArea, listed_here).order_by(*by_name).limit(limit))
    )
    if len(devices) < limit:
        rest = of_types.where(~exists().where(listed_here)).order_by(*by_name)
        devices += session.scalars(rest.limit(limit - len(devices)))
    return devices


def area_page(
    session: Session, *, slug: str, cat: Catalogue, per_group: int = 8
) -> AreaView | None:
    """Published devices in fits / partial / misses for one area; those listed for it first."""
    row = session.get(BodyArea, slug)
    area = cat.area_by_slug.get(slug)
    if row is None or area is None:
        return None
    levels = fit_levels(area, cat.bands)
    by_lt = counts(session, Device.light_type, [published()])
    groups: list[FitGroup] = []
    picked: list[tuple[str, tuple[str, ...], int, list[Device]]] = []
    for fit_level in core.FIT_LEVELS:
        of_level = tuple(lt for lt in core.LIGHT_TYPES if levels[lt] == fit_level)
        count = sum(by_lt.get(lt, 0) for lt in of_level)
        devices = (
            _listed_first(session, area=slug, light_types=of_level, limit=per_group)
            if count
            else []
        )
        picked.append((fit_level, of_level, count, devices))
    everyone = [d for *_, devices in picked for d in devices]
    rows_by_slug = {
        s.slug: s for s in summaries(session, devices=everyone, cat=cat, fit_areas=[area])
    }
    for level, light_types, count, devices in picked:
        # Fits and partial are a filter state; misses are the light types that cannot reach.
        pairs = [("area", slug)] if level != "misses" else []
        pairs += [("light_type", lt) for lt in light_types]
        groups.append(
            FitGroup(
                level=level,
                label=FIT_LABELS[level],
                light_types=light_types,
                count=count,
                items=[rows_by_slug[d.slug] for d in devices],
                url=url_for("/devices", pairs),
            )
        )
    return _area_view(row, groups=groups, fits=groups[0].count, partial=groups[1].count)
