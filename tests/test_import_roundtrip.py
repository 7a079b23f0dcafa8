"""The zip round trip: export a catalogue with pictures, import the zip into an empty catalogue,
and get the same devices with the same pictures (content, alt text, order, main one)."""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import delete, func
from sqlmodel import select

from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceChange, DeviceImage
from catalogue.imports.archive import write_archive
from catalogue.imports.exporter import snapshots
from catalogue.media import images, uploads
from catalogue.media.processing import HASH_LENGTH
from catalogue.media.storage import MediaStore
from catalogue.settings import Settings
from tests import media_support as m
from tests.archive_support import files, galleries, import_zip
from tests.factories import add_device


@pytest.fixture
def store(settings: Settings) -> MediaStore:
    return MediaStore(settings.media_dir)


def _lookup(slug: str) -> Any:
    return lambda s: s.scalars(select(Device).where(Device.slug == slug)).one()


def _catalogue(db: Database, store: MediaStore) -> None:
    """Three devices: one with three pictures (the main one not first, one wider than the
    widest rendition), one sharing a picture with it, one with none."""
    with db.writing() as s:
        slugs = [
            add_device(s, sku=f"RT-{n}", slug=f"round-trip-{n}", status=status).slug
            for n, status in ((1, "published"), (2, "draft"), (3, "in_review"))
        ]

    def put(slug: str, data: bytes, alt: str) -> DeviceImage:
        return uploads.upload(
            db, store, device=_lookup(slug), filename="p", data=data, alt_text=alt, user_id=None
        )

    put(slugs[0], m.jpeg(1600, 1200), "The panel from the front")
    side = put(slugs[0], m.png(640, 480), "The side | with its stand; 4 cm deep")
    put(slugs[0], m.webp(800, 600), "The controls")
    put(slugs[1], m.jpeg(1600, 1200), "Same photo, other device")
    with db.writing() as s:
        device = _lookup(slugs[0])(s)
        images.set_main(s, device=device, image_id=side.id or 0)
        images.move(s, device=device, image_id=side.id or 0, step=1)


def _devices(db: Database) -> dict[str, dict[str, Any]]:
    with db.session() as s:
        return {
            snap["sku"]: {k: v for k, v in snap.items() if k != "images"} for snap in snapshots(s)
        }


def _export(db: Database, store: MediaStore, fmt: str = "csv") -> bytes:
    out = io.BytesIO()
    with db.session() as s:
        result = write_archive(s, out, store, fmt=fmt)  # type: ignore[arg-type]
    assert result.missing == []
    return out.getvalue()


def _empty(db: Database, store: MediaStore) -> None:
    with db.writing() as s:
        s.execute(delete(Device))
    shutil.rmtree(store.root)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_zip_then_import_into_an_empty_catalogue_gives_the_same_catalogue(
    db: Database, store: MediaStore, fmt: str
) -> None:
    _catalogue(db, store)
    devices, pictures = _devices(db), galleries(db)
    with db.session() as s:
        sizes = {i.content_hash: (i.width, i.height) for i in s.scalars(select(DeviceImage))}
    exported = _export(db, store, fmt)
    with zipfile.ZipFile(io.BytesIO(exported)) as z:
        packed = {n: z.read(n) for n in z.namelist() if n != f"devices.{fmt}"}
    assert len(packed) == 3  # the shared picture is packed once

    _empty(db, store)
    assert galleries(db) == {} and files(store) == []
    report = import_zip(db, store, exported)
    assert report.ok and report.created == 3, report.problems

    assert _devices(db) == devices
    # Each picture is now exactly the file the export packed: its content hash is that file's,
    # its size the widest rendition's; alt text, order and the main one are as they were.
    new_hash = {
        old: hashlib.sha256(packed[f"images/{old}.jpg"]).hexdigest()[:HASH_LENGTH] for old in sizes
    }
    assert galleries(db) == {
        sku: [(new_hash[h], alt, main) for h, alt, main in gallery]
        for sku, gallery in pictures.items()
    }
    with db.session() as s:
        for image in s.scalars(select(DeviceImage)):
            packed_file = Image.open(io.BytesIO(packed[f"images/{_old(new_hash, image)}.jpg"]))
            assert (image.width, image.height) == packed_file.size
            assert image.width == min(1200, sizes[_old(new_hash, image)][0])
            assert len(images.rendition_names(image.content_hash, image.width)) == 6
            assert all(
                store.exists(n) for n in images.rendition_names(image.content_hash, image.width)
            )


def _old(new_hash: dict[str, str], image: DeviceImage) -> str:
    return next(old for old, new in new_hash.items() if new == image.content_hash)


@pytest.mark.parametrize("which", ["original catalogue", "imported catalogue"])
def test_importing_a_catalogues_own_zip_changes_nothing(
    db: Database, store: MediaStore, which: str
) -> None:
    _catalogue(db, store)
    if which == "imported catalogue":
        exported = _export(db, store)
        _empty(db, store)
        assert import_zip(db, store, exported).ok
    exported = _export(db, store)
    with db.session() as s:
        history = s.scalar(select(func.count()).select_from(DeviceChange))
    before = galleries(db), files(store), [p.stat().st_mtime_ns for p in files(store)]
    report = import_zip(db, store, exported)
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 3)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(DeviceChange)) == history
    # Known pictures are recognised by name and bytes: no file is processed or written again.
    assert (galleries(db), files(store), [p.stat().st_mtime_ns for p in files(store)]) == before
