"""Export of devices in the import format (CSV or JSON): re-importing the file changes nothing.

Devices are read in batches ordered by SKU, so memory stays flat however large the catalogue.
The ``images`` column names each picture ``images/<content hash>.jpg`` with its alt text; an
import recognises those names as pictures it already holds, and the zip export
(``archive.write_archive``) puts the files themselves under those names.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from typing import Any, Literal, TextIO

from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.data.children import areas_by_device, emissions_by_device
from catalogue.data.models import STATUSES, Device, DeviceImage
from catalogue.devices import crud
from catalogue.imports.devicefile import COLUMNS, picture_file, snapshot_to_row, write_csv

BATCH = 500


def _pictures(
    session: Session, device_ids: Sequence[int], seen: dict[str, int] | None
) -> dict[int, list[dict[str, Any]]]:
    """Each device's pictures in gallery order as ``images`` entries; ``seen`` collects the
    content hash and width of each (what a zip export packs)."""
    found: dict[int, list[DeviceImage]] = {i: [] for i in device_ids}
    query = (
        select(DeviceImage)
        .where(col(DeviceImage.device_id).in_(device_ids))
        .order_by(col(DeviceImage.device_id), col(DeviceImage.position), col(DeviceImage.id))
    )
    for image in session.scalars(query):
        found[image.device_id].append(image)
        if seen is not None:
            seen[image.content_hash] = image.width
    entries: dict[int, list[dict[str, Any]]] = {}
    for device_id, gallery in found.items():
        # The main one as the shop shows it: the marked one, else the first.
        main = next((i for i in gallery if i.is_main), gallery[0] if gallery else None)
        entries[device_id] = [
            {"file": picture_file(i.content_hash), "alt_text": i.alt_text, "main": i is main}
            for i in gallery
        ]
    return entries


def snapshots(
    session: Session,
    *,
    status: str | None = None,
    device_ids: Sequence[int] | None = None,
    pictures: dict[str, int] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every device (or those in one status, or those ticked) as a snapshot with its
    ``images``, in SKU order. ``pictures`` collects each picture's hash and width."""
    query = select(Device).order_by(col(Device.sku))
    if device_ids is not None:
        query = query.where(col(Device.id).in_(device_ids))
    if status is not None:
        if status not in STATUSES:
            raise ValueError(f"{status!r} is not one of {', '.join(STATUSES)}")
        query = query.where(Device.status == status)
    last_sku: str | None = None
    while True:
        page = query if last_sku is None else query.where(col(Device.sku) > last_sku)
        devices = list(session.scalars(page.limit(BATCH)).all())
        if not devices:
            return
        ids = [d.id for d in devices if d.id is not None]
        emissions = emissions_by_device(session, ids)
        areas = areas_by_device(session, ids)
        images = _pictures(session, ids, pictures)
        for device in devices:
            assert device.id is not None
            snap = crud.snapshot(device, emissions[device.id], areas[device.id])
            snap["images"] = images[device.id]
            yield snap
        session.expunge_all()
        last_sku = devices[-1].sku


def export_devices(
    session: Session,
    out: TextIO,
    *,
    fmt: Literal["csv", "json"] = "csv",
    status: str | None = None,
    pictures: dict[str, int] | None = None,
) -> int:
    """Write the devices to ``out``; returns how many. ``pictures`` collects the hash and
    width of every picture they name."""
    count = 0
    if fmt == "csv":

        def rows() -> Iterator[dict[str, str]]:
            nonlocal count
            for snap in snapshots(session, status=status, pictures=pictures):
                count += 1
                yield snapshot_to_row(snap)

        write_csv(rows(), out)
        return count
    # JSON: one object per device in the column order of the CSV, written as it goes.
    out.write("[")
    for snap in snapshots(session, status=status, pictures=pictures):
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps({k: snap.get(k) for k in COLUMNS}, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def iter_csv(
    session: Session, *, status: str | None = None, device_ids: Sequence[int] | None = None
) -> Iterator[str]:
    """The CSV export in pieces of one batch each, for a streamed download."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for count, snap in enumerate(snapshots(session, status=status, device_ids=device_ids), start=1):
        writer.writerow(snapshot_to_row(snap))
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
