"""The shop's page of one device, drawn for the shop and for the editor's preview of a device
shoppers cannot see yet (``web/admin/preview.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar.response import Template

from catalogue.browse import Catalogue, DeviceDetail, area_groups
from catalogue.web.svg import Series, spectrum_chart


def spectrum(devices: Sequence[DeviceDetail], cat: Catalogue) -> Any:
    series = [
        Series(d.name, tuple((e.wavelength_nm, e.share_pct) for e in d.emissions)) for d in devices
    ]
    return spectrum_chart(series, cat.bands)


DEVICE_TEMPLATE = "devices/detail.html"


def device_context(
    detail: DeviceDetail, cat: Catalogue, *, back_url: str, preview: dict[str, str] | None = None
) -> dict[str, Any]:
    """What the device page shows; ``preview`` (the status and the editor's address) banners
    it as a preview."""
    return {
        "device": detail,
        "back_url": back_url,
        "chart": spectrum([detail], cat),
        "area_groups": area_groups(cat),
        "area_names": {a.slug: a.name for a in cat.areas},
        "bands": cat.bands,
        "preview": preview,
    }


def device_page(
    detail: DeviceDetail,
    cat: Catalogue,
    *,
    back_url: str,
    preview: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Template:
    return Template(
        DEVICE_TEMPLATE,
        context=device_context(detail, cat, back_url=back_url, preview=preview),
        headers=headers,
    )
