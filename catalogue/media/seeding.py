"""Pictures for the seed catalogue: ``seed/images/index.csv`` names a file and its alt text per
device slug (made by ``scripts/draw_devices.py``); each goes through the upload pipeline."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy.orm import Session
from sqlmodel import select

from catalogue.data.models import Device
from catalogue.media import images
from catalogue.media.processing import process
from catalogue.media.storage import MediaStore


def seed_images(session: Session, store: MediaStore, images_dir: Path) -> int:
    """Add each listed picture to its device (one without pictures yet); returns how many."""
    index = images_dir / "index.csv"
    if not index.exists():
        return 0
    with index.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    devices = {
        d.slug: d
        for d in session.scalars(select(Device).where(Device.slug.in_([r["slug"] for r in rows])))  # type: ignore[attr-defined]
    }
    added = 0
    for row in rows:
        device = devices.get(row["slug"])
        if device is None or device.id is None or images.images_of(session, device.id):
            continue
        path = images_dir / row["file"]
        processed = process(path.read_bytes(), f"seed/images/{row['file']}")
        store.save(processed)
        images.add_image(
            session,
            device=device,
            processed=processed,
            alt_text=row["alt_text"],
            action="seed",
            keep_status=True,
        )
        added += 1
    return added
