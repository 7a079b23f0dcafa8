"""The seed catalogue's pictures: one per device, through the upload pipeline, with alt text
that raises no claim finding, and the committed drawings kept small."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from sqlalchemy import func
from sqlmodel import select

from catalogue.claims import audit
from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceImage, Finding
from catalogue.imports.seed import seed_database
from catalogue.media import images
from catalogue.media.storage import MediaStore
from tests.conftest import SEED_DIR


def test_every_seed_device_gets_its_drawing_and_nothing_else_changes(
    db: Database, tmp_path: Path
) -> None:
    store = MediaStore(tmp_path / "media")
    with db.writing() as s:
        report = seed_database(s, SEED_DIR, media=store)
    with db.session() as s:
        devices = s.scalars(select(Device)).all()
        assert report.images == len(devices) >= 60
        counts = images.image_counts(s, [d.id for d in devices if d.id])
        assert set(counts.values()) == {1}
        # Alt text is checked as listing copy: the drawings' words raise no finding.
        assert all(
            f.start < len(d.description)
            for d in devices
            for f in s.scalars(select(Finding).where(Finding.device_id == d.id))
        )
        published = [d.id for d in devices if d.status == "published"]
        assert len(published) >= 40
        assert all(audit.device_blockers(s, device_id=i) == [] for i in published if i)
        for image in s.scalars(select(DeviceImage)):
            for name in images.rendition_names(image.content_hash, image.width):
                assert store.exists(name)
    with db.writing() as s:
        again = seed_database(s, SEED_DIR, media=store)
    assert again.images == 0
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(DeviceImage)) == len(devices)


def test_the_committed_drawings_are_small_stills() -> None:
    files = sorted((SEED_DIR / "images").glob("*.webp"))
    assert len(files) >= 60
    assert sum(f.stat().st_size for f in files) < 1_000_000
    for path in files[:8]:
        with Image.open(io.BytesIO(path.read_bytes())) as image:
            assert image.size == (480, 360) and not getattr(image, "is_animated", False)
