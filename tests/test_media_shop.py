"""Pictures on the shopper's pages: list thumbnails, the device page's gallery, compare
columns, their JSON twins, and the drawing shown for a device without pictures."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlmodel import select

from catalogue.data.db import Database
from catalogue.data.models import Device
from catalogue.media import uploads
from catalogue.media.storage import MediaStore
from catalogue.settings import Settings
from tests import media_support as m


@pytest.fixture
def pictured(known_catalogue: list[str], db: Database, settings: Settings) -> dict[str, list[Any]]:
    """Two pictures on the combo panel, one on the knee wrap; the rest have none."""
    store = MediaStore(settings.media_dir)
    added: dict[str, list[Any]] = {}
    for slug, width, alt in (
        ("combo-panel", 1600, "The panel from the front"),
        ("combo-panel", 900, "The panel from the side"),
        ("nir-knee-wrap", 640, "The wrap around a knee"),
    ):
        image = uploads.upload(
            db,
            store,
            device=lambda s, slug=slug: s.scalars(select(Device).where(Device.slug == slug)).one(),
            filename=f"{slug}.jpg",
            data=m.jpeg(width, width * 3 // 4),
            alt_text=alt,
            user_id=None,
        )
        added.setdefault(slug, []).append(image)
    # Uploading sends a published device back to review; these stay in the shop.
    with db.writing() as s:
        for device in s.scalars(select(Device).where(Device.slug.in_(added))):  # type: ignore[attr-defined]
            device.status = "published"
    return added


def _tags(html: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}\b[^>]*>", html)


def test_the_list_shows_each_main_picture_or_the_form_factors_drawing(
    client: Any, pictured: dict[str, list[Any]]
) -> None:
    html = client.get("/devices?per_page=24&sort=name").text
    images = _tags(html, "img")
    panel = next(t for t in images if 'alt="The panel from the front"' in t)
    assert 'width="1200" height="900"' in panel
    assert 'sizes="(max-width: 600px) 88px, 160px"' in panel
    assert re.search(r'srcset="/media/[0-9a-f]{32}-160\.jpg 160w, ', panel)
    assert 'alt="The panel from the side"' not in html  # the list shows the main one only
    assert '<source type="image/webp" srcset="/media/' in html
    drawings = [t for t in images if "/static/placeholders/" in t]
    assert len(drawings) == 8 - 2 and all('alt=""' in t for t in drawings)
    assert '/static/placeholders/handheld.svg"' in html
    # The first three rows are in view when the page opens; the rest load lazily.
    rows = re.findall(r'<a class="device-row__image".*?</a>', html, flags=re.S)
    assert ['loading="lazy"' in r for r in rows] == [False] * 3 + [True] * (len(rows) - 3)


def test_the_json_twin_carries_the_same_picture(
    client: Any, pictured: dict[str, list[Any]]
) -> None:
    items = {i["slug"]: i for i in client.get("/api/devices?per_page=24").json()["items"]}
    panel = items["combo-panel"]["picture"]
    assert panel["alt"] == "The panel from the front" and panel["is_main"] is True
    assert (panel["width"], panel["height"]) == (1200, 900)
    assert panel["srcset_webp"].count("w, ") == 2
    assert items["amber-wand"]["picture"] is None
    detail = client.get("/api/devices/combo-panel").json()
    assert [p["alt"] for p in detail["pictures"]] == [
        "The panel from the front",
        "The panel from the side",
    ]


def test_the_device_page_has_a_gallery_that_needs_no_script(
    client: Any, pictured: dict[str, list[Any]]
) -> None:
    html = client.get("/devices/combo-panel").text
    assert html.count('class="gallery__slide"') == 2
    thumbs = re.findall(r'<a class="gallery__thumb" href="(#picture-\d)"', html)
    assert thumbs == ["#picture-1", "#picture-2"]
    assert 'id="picture-1"' in html and 'id="picture-2"' in html
    assert 'alt="Picture 2 of 2: The panel from the side"' in html
    slides = re.findall(r'<figure class="gallery__slide".*?</figure>', html, flags=re.S)
    assert 'loading="lazy"' not in slides[0] and 'loading="lazy"' in slides[1]
    assert " style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    single = client.get("/devices/nir-knee-wrap").text
    assert "gallery__thumbs" not in single and 'alt="The wrap around a knee"' in single
    none = client.get("/devices/amber-wand").text
    assert '/static/placeholders/handheld.svg"' in none


def test_compare_shows_a_picture_atop_each_column(
    client: Any, pictured: dict[str, list[Any]]
) -> None:
    html = client.get("/compare?ids=combo-panel,nir-knee-wrap,amber-wand").text
    heads = re.findall(r'<a href="/devices/[^"]+" class="compare__image".*?</a>', html, flags=re.S)
    assert len(heads) == 3
    assert 'alt="The panel from the front"' in heads[0]
    assert 'alt="The wrap around a knee"' in heads[1]
    assert "/static/placeholders/handheld.svg" in heads[2]
    assert all('sizes="160px"' in h for h in heads[:2])


@pytest.mark.parametrize(
    "form_factor", ["panel", "handheld", "wrap", "pad", "mask", "cap", "mat", "bulb"]
)
def test_every_form_factor_has_a_drawing(client: Any, form_factor: str) -> None:
    response = client.get(f"/static/placeholders/{form_factor}.svg")
    assert response.status_code == 200
    assert response.text.startswith("<svg") and "<script" not in response.text
