"""Helpers for the import tests: a device file built row by row, its upload, what it left."""

from __future__ import annotations

import csv
from typing import Any

from sqlalchemy import func, select

from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceChange
from catalogue.imports.devicefile import COLUMNS
from tests.conftest import SEED_DIR

HEADER = ",".join(COLUMNS)
with (SEED_DIR / "devices.csv").open(encoding="utf-8") as _seed:
    SEED_DEVICES = sum(1 for _ in csv.DictReader(_seed))


def row(**values: Any) -> str:
    base = {
        "sku": "IMP-1",
        "slug": "imported-panel",
        "name": "Imported Panel",
        "brand": "Importbrand",
        "form_factor": "panel",
        "price": "199.00",
        "currency": "USD",
        "emissions": "660;850",
        "areas": "knees;lower-back",
        "irradiance_mw_cm2": "70",
        "irradiance_distance_cm": "15",
        "description": "Gentle warmth for sore knees over several weeks.",
    }
    base.update({k: str(v) for k, v in values.items()})
    return ",".join(f'"{base.get(c, "")}"' for c in COLUMNS)


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def fingerprint(db: Database) -> tuple[int, int, list[tuple[str, str, int]]]:
    """What an import must leave untouched when it fails: devices, history, versions."""
    with db.session() as s:
        devices = s.scalar(select(func.count()).select_from(Device))
        changes = s.scalar(select(func.count()).select_from(DeviceChange))
        versions = [
            (d.sku, d.name, d.version) for d in s.scalars(select(Device).order_by(Device.sku))
        ]
    return devices or 0, changes or 0, versions


def upload(client: Any, raw: bytes, name: str = "devices.csv", **data: Any) -> Any:
    return client.post(
        "/admin/import",
        files={"file": (name, raw, "text/csv")},
        data={"_csrf_token": client.token(), **data},
    )
