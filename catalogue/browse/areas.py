"""Area pages: the published devices made for one body area, in fits / partial / misses."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.browse.conditions import published
from catalogue.browse.facet_index import FacetIndex
from catalogue.browse.filter import url_for
from catalogue.browse.fit import Catalogue, fit_levels
from catalogue.browse.for_area import area_counts, count_at, fit_rank, for_areas
from catalogue.browse.labels import AREA_GROUP_LABELS, DEPTH_NEEDS, FIT_LABELS
from catalogue.browse.listing import DeviceSummary, summaries
from catalogue.browse.ordered import Tier, page_in_tiers
from catalogue.core import bands as core
from catalogue.data.models import BodyArea, Device

# Forms that light whatever they are pointed at, so "also reaches" is an honest offer.
GENERAL_PURPOSE = ("panel", "bulb", "handheld")


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
    misses_count: int = 0
    groups: list[FitGroup] = field(default_factory=list)
    # General-purpose devices not made for this area whose light still gets there.
    also: list[DeviceSummary] = field(default_factory=list)
    also_count: int = 0


def _area_view(
    row: BodyArea,
    *,
    groups: list[FitGroup] | None = None,
    fits: int = 0,
    partial: int = 0,
    misses: int = 0,
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
        misses_count=misses,
        groups=groups or [],
    )


def area_index(
    session: Session, *, cat: Catalogue, index: FacetIndex | None = None
) -> list[tuple[str, list[AreaView]]]:
    """Body areas by the article's groups, each with how many devices made for it fit it
    (counted from the process's facet ``index`` when given, else in SQL)."""
    by_area = index.area_counts(cat) if index else area_counts(session, [published()], cat)
    grouped: dict[str, list[AreaView]] = {}
    rows = session.scalars(select(BodyArea).order_by(col(BodyArea.position))).all()
    for row in rows:
        area, tally = cat.area_by_slug[row.slug], by_area.get(row.slug, {})
        view = _area_view(
            row,
            fits=count_at(tally, area, cat, ["fits"]),
            partial=count_at(tally, area, cat, ["partial"]),
            misses=count_at(tally, area, cat, ["misses"]),
        )
        grouped.setdefault(row.group, []).append(view)
    return [(AREA_GROUP_LABELS.get(g, g), views) for g, views in grouped.items()]


def _by_name(session: Session, query: Any, limit: int) -> list[Device]:
    return list(session.scalars(query.order_by(col(Device.name), col(Device.id)).limit(limit)))


def _devices(session: Session, ids: list[int] | None) -> list[Device] | None:
    """The devices of ``ids`` in that order (None stays None: read them by query)."""
    if ids is None:
        return None
    by_id = {d.id: d for d in session.scalars(select(Device).where(col(Device.id).in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def area_page(
    session: Session,
    *,
    slug: str,
    cat: Catalogue,
    per_group: int = 8,
    index: FacetIndex | None = None,
) -> AreaView | None:
    """Devices made for one area in fits / partial / misses, then general-purpose devices that
    are not made for it but whose light gets there (counted from ``index`` when given)."""
    row = session.get(BodyArea, slug)
    area = cat.area_by_slug.get(slug)
    if row is None or area is None:
        return None
    levels = fit_levels(area, cat.bands)
    by_area = index.area_counts(cat) if index else area_counts(session, [published()], cat)
    tally = by_area.get(slug, {})
    made_for = select(Device).where(published(), for_areas([slug]))
    picked: list[tuple[str, tuple[str, ...], int, list[Device]]] = []
    for fit_level in core.FIT_LEVELS:
        of_level = tuple(lt for lt in core.LIGHT_TYPES if levels[lt] == fit_level)
        count = sum(tally.get(lt, 0) for lt in of_level)
        query = made_for.where(col(Device.light_type).in_(of_level))
        devices: list[Device] | None = [] if not count else None
        if count and index is not None:
            tier = Tier(
                index.for_area(slug) & index.of_light_types(of_level),
                (published(), col(Device.light_type).in_(of_level)),
                index.of_light_types(of_level).bit_count(),
            )
            devices = _devices(session, page_in_tiers(session, [tier], offset=0, limit=per_group))
        if devices is None:
            devices = _by_name(session, query, per_group)
        picked.append((fit_level, of_level, count, devices))

    reaching_types = [lt for lt in core.LIGHT_TYPES if levels[lt] != "misses"]
    general = (
        published(),
        col(Device.form_factor).in_(GENERAL_PURPOSE),
        col(Device.light_type).in_(reaching_types),
    )
    others = select(Device).where(*general, ~for_areas([slug]))
    also_count = (
        index.also_reaching(slug, GENERAL_PURPOSE, reaching_types)
        if index
        else session.scalar(select(func.count()).select_from(others.subquery())) or 0
    )
    also: list[Device] | None = None
    if index is not None:
        # The same rows as the query below: by fit rank, then name, from the bitmaps.
        of_general = index.of_form_factors(GENERAL_PURPOSE) & index.of_light_types(reaching_types)
        wanted = of_general & ~index.for_area(slug)
        tiers = [
            Tier(bits & wanted, (*general, cond), (among & of_general).bit_count())
            for bits, cond, among in index.rank_tiers([area], cat)
        ]
        also = _devices(session, page_in_tiers(session, tiers, offset=0, limit=per_group))
    if also is None:
        rank = fit_rank([area], cat)
        also = list(
            session.scalars(
                others.order_by(rank.desc(), col(Device.name), col(Device.id)).limit(per_group)
            )
        )

    everyone = [d for *_, devices in picked for d in devices] + also
    rows_by_slug = {
        s.slug: s for s in summaries(session, devices=everyone, cat=cat, fit_areas=[area])
    }
    groups: list[FitGroup] = []
    for level, light_types, count, devices in picked:
        pairs = [("area", slug), *(("light_type", lt) for lt in light_types)]
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
    view = _area_view(
        row, groups=groups, fits=groups[0].count, partial=groups[1].count, misses=groups[2].count
    )
    return replace(view, also=[rows_by_slug[d.slug] for d in also], also_count=also_count)
