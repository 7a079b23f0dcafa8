"""The body-area pages and their JSON twins: every area by the article's groups, and one
area's devices in fits / partial / misses. Counts come from the process's facet bitmaps."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.orm import Session

from catalogue.browse import (
    AREA_GROUP_LABELS,
    COMPARE_MAX,
    DEPTH_NEEDS,
    AreaView,
    Catalogue,
    area_index,
    area_page,
)
from catalogue.browse.cache import CountCache, catalogue_version
from catalogue.browse.facet_index import FacetIndex
from catalogue.web.deps import Counts, DbSession
from catalogue.web.page_cache import shop_page
from catalogue.web.shop import ShopCatalogue, provide_catalogue


def _area_index(
    session: Session, cat: Catalogue, counts: CountCache
) -> list[tuple[str, list[AreaView]]]:
    version = catalogue_version(session)
    return counts.get(
        version,
        "area index",
        lambda: area_index(session, cat=cat, index=_facet_index(session, counts, version)),
    )


def _facet_index(session: Session, counts: CountCache, version: int | None) -> FacetIndex | None:
    """The process's facet bitmaps at ``version`` (None without one: count in SQL)."""
    return None if version is None else counts.index.at(session, version)


def _area_or_404(session: Session, slug: str, cat: Catalogue, counts: CountCache) -> AreaView:
    # Whole pages by catalogue version: each recounts and sorts every device of its groups.
    version = catalogue_version(session)
    view = counts.get(
        version,
        ("area page", slug, cat.money_key),
        lambda: area_page(
            session, slug=slug, cat=cat, index=_facet_index(session, counts, version)
        ),
    )
    if view is None:
        raise NotFoundException(detail="We can't find that body area.")
    return view


class AreasController(Controller):
    dependencies = {"cat": Provide(provide_catalogue, sync_to_thread=True)}  # noqa: RUF012

    @get("/api/areas", sync_to_thread=True)
    def areas_json(self, session: DbSession, cat: ShopCatalogue, counts: Counts) -> dict[str, Any]:
        groups = _area_index(session, cat, counts)
        return {"groups": [{"label": label, "areas": areas} for label, areas in groups]}

    @get("/areas", sync_to_thread=True, include_in_schema=False)
    def areas(
        self,
        request: Request[Any, Any, Any],
        session: DbSession,
        cat: ShopCatalogue,
        counts: Counts,
    ) -> Template | Response[bytes]:
        def context() -> dict[str, Any]:
            return {"groups": _area_index(session, cat, counts), "needs": DEPTH_NEEDS}

        return shop_page(request, session, counts, "areas/index.html", context)

    @get("/api/areas/{slug:str}", sync_to_thread=True)
    def area_json(
        self, slug: FromPath[str], session: DbSession, cat: ShopCatalogue, counts: Counts
    ) -> Any:
        return _area_or_404(session, slug, cat, counts)

    @get("/areas/{slug:str}", sync_to_thread=True, include_in_schema=False)
    def area(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        session: DbSession,
        cat: ShopCatalogue,
        counts: Counts,
    ) -> Template | Response[bytes]:
        view = _area_or_404(session, slug, cat, counts)

        def context() -> dict[str, Any]:
            return {
                "area": view,
                "group_labels": AREA_GROUP_LABELS,
                "area_names": {view.slug: view.name},  # the rows' fit lines name only this area
                # Compare boxes: the area page is a plain GET form to /compare.
                "tray_slugs": set(),
                "tray_full": False,
                "compare_max": COMPARE_MAX,
            }

        return shop_page(request, session, counts, "areas/detail.html", context)
