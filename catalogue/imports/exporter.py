"""Export of devices in the import format (CSV or JSON): re-importing the file changes nothing.

Devices are read in batches ordered by SKU, so memory stays flat however large the catalogue.
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
from catalogue.data.models import STATUSES, Device
from catalogue.devices import crud
from catalogue.imports.devicefile import COLUMNS, snapshot_to_row, write_csv

BATCH = 500


def snapshots(
    session: Session, *, status: str | None = None, device_ids: Sequence[int] | None = None
) -> Iterator[dict[str, Any]]:
    """Every device (or those in one status, or those ticked) as a snapshot, in SKU order."""
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
        for device in devices:
            assert device.id is not None
            yield crud.snapshot(device, emissions[device.id], areas[device.id])
        session.expunge_all()
        last_sku = devices[-1].sku


def export_devices(
    session: Session, out: TextIO, *, fmt: Literal["csv", "json"] = "csv", status: str | None = None
) -> int:
    """Write the devices to ``out``; returns how many."""
    count = 0
    if fmt == "csv":

        def rows() -> Iterator[dict[str, str]]:
            nonlocal count
            for snap in snapshots(session, status=status):
                count += 1
                yield snapshot_to_row(snap)

        write_csv(rows(), out)
        return count
    # JSON: one object per device in the column order of the CSV, written as it goes.
    out.write("[")
    for snap in snapshots(session, status=status):
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
