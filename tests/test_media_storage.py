"""Uploads through storage and the database, the files on disk, and serving them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import select

from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceChange, DeviceImage
from catalogue.media import images, uploads
from catalogue.media.processing import ImageRefused
from catalogue.media.storage import MediaStore
from catalogue.settings import Settings
from tests import media_support as m
from tests.factories import add_device


@pytest.fixture
def store(settings: Settings) -> MediaStore:
    return MediaStore(settings.media_dir)


def _device(db: Database, **overrides: Any) -> str:
    with db.writing() as s:
        return add_device(s, **overrides).slug


def _lookup(slug: str) -> Any:
    return lambda s: s.scalars(select(Device).where(Device.slug == slug)).one()


def _files(store: MediaStore) -> list[Path]:
    return sorted(p for p in store.root.rglob("*") if p.is_file())


def _upload(db: Database, store: MediaStore, slug: str, data: bytes, alt: str = "A panel") -> Any:
    return uploads.upload(
        db, store, device=_lookup(slug), filename="p.jpg", data=data, alt_text=alt, user_id=None
    )


def test_an_upload_writes_every_rendition_then_the_row(db: Database, store: MediaStore) -> None:
    slug = _device(db)
    image = _upload(db, store, slug, m.jpeg(1600, 1200, gps=True))
    names = images.rendition_names(image.content_hash, image.width)
    assert len(names) == 6
    assert [p.name for p in _files(store)] == sorted(names)
    with db.session() as s:
        row = s.scalars(select(DeviceImage)).one()
        assert (row.width, row.height, row.is_main, row.alt_text) == (1600, 1200, True, "A panel")
        actions = s.scalars(select(DeviceChange.action).order_by(DeviceChange.id)).all()
    assert actions[-1] == "image_add"


@pytest.mark.parametrize(
    ("data", "alt", "error"),
    [
        (m.HTML, "A panel", ImageRefused),
        (m.SVG, "A panel", ImageRefused),
        (m.jpeg(800, 600)[:2000], "A panel", ImageRefused),
        (m.bomb_png(), "A panel", ImageRefused),
        (m.jpeg(300, 100), "A panel", ImageRefused),
        (b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024), "A panel", ImageRefused),
        (m.jpeg(), "   ", images.ImageEditRefused),
    ],
    ids=["html", "svg", "truncated", "bomb", "too-small", "over-10mb", "no-alt-text"],
)
def test_a_refused_upload_stores_nothing(
    db: Database, store: MediaStore, data: bytes, alt: str, error: type[Exception]
) -> None:
    slug = _device(db)
    with pytest.raises(error):
        _upload(db, store, slug, data, alt)
    assert _files(store) == []
    with db.session() as s:
        assert s.scalars(select(DeviceImage)).all() == []


def test_a_ninth_image_is_refused_and_its_files_removed(db: Database, store: MediaStore) -> None:
    slug = _device(db)
    for i in range(images.MAX_IMAGES):
        _upload(db, store, slug, m.jpeg(400 + i, 300))
    before = _files(store)
    with pytest.raises(images.ImageEditRefused, match="at most 8 images"):
        _upload(db, store, slug, m.jpeg(500, 300))
    assert _files(store) == before


def test_removal_deletes_files_after_commit_unless_another_device_shows_them(
    db: Database, store: MediaStore
) -> None:
    first, second = _device(db), _device(db)
    shared = _upload(db, store, first, m.jpeg())
    _upload(db, store, second, m.jpeg())
    own = _upload(db, store, first, m.png())
    uploads.remove(db, store, device=_lookup(first), image_id=own.id, user_id=None)
    assert not any(p.name.startswith(own.content_hash) for p in _files(store))
    uploads.remove(db, store, device=_lookup(first), image_id=shared.id, user_id=None)
    assert any(p.name.startswith(shared.content_hash) for p in _files(store))


def test_a_rolled_back_removal_keeps_the_files(db: Database, store: MediaStore) -> None:
    slug = _device(db)
    image = _upload(db, store, slug, m.jpeg())
    before = _files(store)
    with pytest.raises(RuntimeError), db.writing() as s:
        images.remove_image(s, device=_lookup(slug)(s), image_id=image.id)
        raise RuntimeError("the transaction fails after the delete")
    assert _files(store) == before
    assert not list(store.root.rglob(".tmp-*"))


def test_renditions_are_served_for_a_year_with_nosniff(
    db: Database, store: MediaStore, client: TestClient[Litestar]
) -> None:
    image = _upload(db, store, _device(db), m.jpeg())
    for name in images.rendition_names(image.content_hash, image.width):
        response = client.get(f"/media/{name}")
        assert response.status_code == 200
        assert response.content == (store.path_for(name) or Path()).read_bytes()
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["x-content-type-options"] == "nosniff"
        ext = name.rsplit(".", 1)[1]
        assert response.headers["content-type"] == {"jpg": "image/jpeg", "webp": "image/webp"}[ext]


@pytest.mark.parametrize(
    "name",
    [
        "0" * 32 + "-160.webp",
        "..%2F..%2Fcatalogue.db",
        "notahash-160.jpg",
        "0" * 32 + "-160.svg",
    ],
)
def test_unknown_or_malformed_names_are_404(client: TestClient[Litestar], name: str) -> None:
    assert client.get(f"/media/{name}").status_code == 404
