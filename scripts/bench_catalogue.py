"""A synthetic catalogue for the benchmarks, on SQLite or on a PostgreSQL database of its own.

Bulk inserts (light type and coverage from the pure core), then the statistics refresh that
``catalogue import`` runs after a bulk write: nothing is analyzed by hand, so PostgreSQL is
measured as a shop would be served right after importing its catalogue.
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from catalogue.cli import run_migrations  # noqa: E402
from catalogue.core.bands import coverage, light_type  # noqa: E402
from catalogue.data.db import Database, after_bulk_write  # noqa: E402
from catalogue.data.models import BodyArea, Device, DeviceArea, Emission  # noqa: E402
from catalogue.data.reference import load_bands  # noqa: E402
from catalogue.imports.seed import seed_database  # noqa: E402

BENCH_DIR = ROOT / "var" / "bench"
FORMS = ["panel", "handheld", "wrap", "pad", "mask", "cap", "mat", "bulb"]
BRANDS = [f"Brand {n:02d}" for n in range(40)]
EMISSIONS = {
    "red": [[630], [660], [630, 660]],
    "nir": [[850], [810, 850], [830, 850], [850, 880]],
    "combined": [[660, 850], [630, 660, 850], [660, 810, 850], [630, 830], [660, 850, 940]],
    "other": [[590], [415], [940], [1064]],
}
# A small vocabulary, so common words ("knee") match a large share of the catalogue.
WORDS = (
    "gentle warmth knee wrap panel recovery routine skin face shoulders back evening session "
    "portable travel flexible strap timer stand door hanging quiet fan-free diodes"
).split()


def rows(size: int, areas: list[str], rng: random.Random) -> Iterator[tuple[str, list[Any]]]:
    """(table, rows) in chunks: devices, their emissions and their listed areas."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    bands_by_kind = rng.choices(["red", "nir", "combined", "other"], [25, 25, 40, 10], k=size)
    chunk = 20_000
    for first in range(1, size + 1, chunk):
        devices, emissions, listed = [], [], []
        for n in range(first, min(size, first + chunk - 1) + 1):
            kind = bands_by_kind[n - 1]
            nm = rng.choice(EMISSIONS[kind])
            irradiance = rng.choice([None, *range(10, 160, 5)])
            devices.append(
                {
                    "id": n,
                    "slug": f"bench-device-{n}",
                    "sku": f"BENCH-{n:06d}",
                    "name": f"{rng.choice(WORDS).capitalize()} {kind.upper()} {n}",
                    "brand": rng.choice(BRANDS),
                    "form_factor": rng.choice(FORMS),
                    "price": Decimal(rng.randrange(2_000, 800_000)) / 100,
                    "currency": "USD",
                    "irradiance_mw_cm2": irradiance,
                    "irradiance_distance_cm": 15 if irradiance else None,
                    "treatment_area_cm2": rng.choice([None, 20, 300, 900, 1800, 5400]),
                    "led_count": rng.randrange(1, 1200),
                    "session_minutes": rng.choice([5, 10, 12, 15, 20]),
                    "recommended_distance_cm": rng.choice([None, 0, 15, 20]),
                    "power_w": rng.randrange(5, 1200),
                    "weight_kg": rng.randrange(1, 400) / 10,
                    "warranty_months": rng.choice([None, 12, 24, 36, 60]),
                    "description": " ".join(rng.choices(WORDS, k=40)),
                    # Every device published: the targets are for 100k published devices.
                    "status": "published",
                    "light_type": None,  # filled below from the core
                    "coverage": None,
                    "created_at": start + timedelta(minutes=n),
                    "updated_at": start + timedelta(minutes=n),
                    "version": 1,
                    "_nm": nm,
                }
            )
            emissions += [{"device_id": n, "wavelength_nm": w} for w in nm]
            # One device in 20 is a whole-body device: it is for every area.
            if rng.random() < 0.05 and "whole-body" in areas:
                chosen = ["whole-body"]
            else:
                chosen = rng.sample(areas, rng.randint(1, 3))
            listed += [{"device_id": n, "area_slug": a} for a in chosen]
        yield "device", devices
        yield "emission", emissions
        yield "device_area", listed


def fill(url: str, size: int, seed: int = 1) -> None:
    """Migrate ``url`` and load ``size`` published devices into it."""
    rng = random.Random(seed)
    run_migrations(url)
    db = Database(url)
    try:
        with db.writing() as session:
            seed_database(session, ROOT / "seed", devices=False)
            bands = load_bands(session)
            areas = list(session.scalars(select(BodyArea.slug)).all())
        tables = {"device": Device, "emission": Emission, "device_area": DeviceArea}
        with db.write_engine.begin() as conn:
            for name, chunk in rows(size, areas, rng):
                if name == "device":
                    for row in chunk:
                        nm = row.pop("_nm")
                        row["light_type"] = light_type(nm, bands)
                        row["coverage"] = coverage(nm, bands)
                        row["price_usd"] = row["price"]  # every bench device is priced in USD
                # One multi-row INSERT per 1,000 rows, not one statement per row: the
                # catalogue's statement triggers (version, change log) fire once per statement.
                for start in range(0, len(chunk), 1_000):
                    conn.execute(insert(tables[name]).values(chunk[start : start + 1_000]))
            if conn.dialect.name == "postgresql":
                # Ids were given explicitly; the next device the app makes continues after them.
                conn.execute(
                    text("SELECT setval(pg_get_serial_sequence('device', 'id'), :n)"), {"n": size}
                )
        with db.writing() as session:
            after_bulk_write(session)  # what catalogue import does after a bulk write
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Device)) == size
    finally:
        db.dispose()


def sqlite_catalogue(size: int, *, keep: bool) -> str:
    path = BENCH_DIR / f"shop-{size}.db"
    url = f"sqlite:///{path}"
    if keep and path.exists():
        return url
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    fill(url, size)
    return url


@contextmanager
def postgres_catalogue(server_url: str, size: int) -> Iterator[str]:
    """A fresh database of the bench's own on the server, dropped afterwards."""
    name = f"catalogue_bench_{os.getpid()}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
        fill(url, size)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
