"""The editor's "preview as the shop shows it": the shop's device page for a device shoppers
cannot see (a draft, one in review, an archived one), for signed-in staff only, bannered as a
preview and kept out of search engines and caches."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Template

from catalogue.browse.detail import details
from catalogue.devices.fields import status_label
from catalogue.web.deps import DbSession, device_or_404
from catalogue.web.device_page import device_page
from catalogue.web.guards import require_roles
from catalogue.web.shop import ShopCatalogue, provide_catalogue

PRIVATE = {"x-robots-tag": "noindex, nofollow", "cache-control": "no-store"}


class AdminPreviewController(Controller):
    path = "/admin"
    include_in_schema = False
    guards = [require_roles("merchandiser", "qa")]  # noqa: RUF012
    dependencies = {"cat": Provide(provide_catalogue, sync_to_thread=True)}  # noqa: RUF012

    @get("/devices/{slug:str}/preview", sync_to_thread=True)
    def preview(self, session: DbSession, slug: FromPath[str], cat: ShopCatalogue) -> Template:
        # Read here, not as a dependency: ``cat`` reads the same session, and Litestar
        # resolves sibling dependencies at the same time.
        device = device_or_404(session, slug)
        detail = details(session, devices=[device], cat=cat)[0]
        editor = f"/admin/devices/{device.slug}"
        return device_page(
            detail,
            cat,
            back_url=editor,
            preview={"status": status_label(device.status), "editor": editor},
            headers=PRIVATE,
        )
