"""Builders for the zip import tests: device rows with an ``images`` cell, zips of them with
their pictures, and what a test reads back (galleries, files)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceImage
from catalogue.imports import archive
from catalogue.imports.devicefile import COLUMNS
from catalogue.imports.report import ImportReport
from catalogue.media.storage import MediaStore


def row(**values: Any) -> dict[str, str]:
    base = {
        "sku": "PIC-1",
        "slug": "pictured-panel",
        "name": "Pictured Panel",
        "brand": "Importbrand",
        "form_factor": "panel",
        "price": "199.00",
        "currency": "USD",
        "emissions": "660;850",
        "areas": "knees",
        "description": "Gentle warmth for sore knees over several weeks.",
    }
    base.update({k: str(v) for k, v in values.items()})
    return base


def csv_text(*rows: dict[str, str], columns: tuple[str, ...] = COLUMNS) -> str:
    import csv

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def zip_of(files: dict[str, bytes | str], **info: Any) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def import_zip(db: Database, store: MediaStore, data: bytes, **options: Any) -> ImportReport:
    return archive.import_upload(
        db, io.BytesIO(data), filename="devices.zip", media=store, **options
    )


def galleries(db: Database) -> dict[str, list[tuple[str, str, bool]]]:
    """sku -> [(content hash, alt text, main)] in gallery order."""
    with db.session() as s:
        rows = s.execute(
            select(Device.sku, DeviceImage.content_hash, DeviceImage.alt_text, DeviceImage.is_main)
            .join(DeviceImage, col(DeviceImage.device_id) == col(Device.id))
            .order_by(col(Device.sku), col(DeviceImage.position))
        ).all()
    found: dict[str, list[tuple[str, str, bool]]] = {}
    for sku, content_hash, alt, main in rows:
        found.setdefault(sku, []).append((content_hash, alt, main))
    return found


def files(store: MediaStore) -> list[Path]:
    return sorted(p for p in store.root.rglob("*") if p.is_file()) if store.root.exists() else []
