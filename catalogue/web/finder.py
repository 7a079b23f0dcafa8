"""The guided finder at ``/finder`` and its JSON twin: a plain GET form, so it works without
JavaScript; htmx only swaps the answer in place."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.response import Template

from catalogue.browse import area_groups, url_for
from catalogue.browse.finder import find_devices, finder_filter
from catalogue.web.deps import DbSession
from catalogue.web.shop import ShopCatalogue, bad_request, provide_catalogue, query_args


class FinderController(Controller):
    dependencies = {"cat": Provide(provide_catalogue, sync_to_thread=True)}  # noqa: RUF012

    @get("/api/finder", sync_to_thread=True)
    def finder_json(
        self, request: Request[Any, Any, Any], session: DbSession, cat: ShopCatalogue
    ) -> dict[str, Any]:
        flt, errors = finder_filter(query_args(request), cat=cat)
        if errors:
            raise bad_request(errors, "Some finder choices are not valid")
        result = find_devices(session, flt=flt, cat=cat)
        return {
            "areas": list(flt.area),
            "budget": float(flt.max_price) if flt.max_price is not None else None,
            "display_currency": cat.money.display,
            "items": result.items if result else [],
            "total": result.total if result else 0,
        }

    @get("/finder", sync_to_thread=True, include_in_schema=False)
    def finder(
        self, request: Request[Any, Any, Any], session: DbSession, cat: ShopCatalogue
    ) -> Template:
        flt, errors = finder_filter(query_args(request), cat=cat)
        result = find_devices(session, flt=flt, cat=cat)
        return Template(
            "finder/index.html",
            context={
                "flt": flt,
                "errors": errors,
                "result": result,
                "area_groups": area_groups(cat),
                "area_names": {a.slug: a.name for a in cat.areas},
                "display_currency": cat.money.display,
                "all_url": url_for("/devices", flt.query_pairs()),
            },
            status_code=400 if errors else 200,
        )
