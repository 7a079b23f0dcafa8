"""Imports next to other writers: dry runs take no write lock, two imports of the same SKUs at
once both finish (or one is told to run again), an edit between an import's reading and writing
phases is noticed, PostgreSQL writes wait for row locks only seconds. Both databases."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from catalogue.data.db import Database, is_sqlite
from catalogue.data.models import Device
from catalogue.devices import editing
from catalogue.imports import importer
from tests.factories import device_data
from tests.import_support import csv_file, row


def _file(skus: range, name: str, *, reverse: bool = False) -> bytes:
    numbers = reversed(skus) if reverse else skus
    return csv_file(*(row(sku=f"W-{n:04d}", slug=f"w-{n:04d}", name=name) for n in numbers))


def _count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Device)) or 0


def test_a_dry_run_takes_no_write_lock(db: Database, db_url: str) -> None:
    """Another writer holds the write lock (SQLite) or the import lock (PostgreSQL) all along;
    a dry run still finishes, where taking the lock would wait and fail."""
    if is_sqlite(db_url):
        holder: Any = sqlite3.connect(make_url(db_url).database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        holder = db.engine.connect()
        holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": importer.IMPORT_LOCK_KEY})
    try:
        report = importer.import_devices(db, _file(range(30), "Dry"), fmt="csv", dry_run=True)
    finally:
        if is_sqlite(db_url):
            holder.execute("ROLLBACK")
        else:
            holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": importer.IMPORT_LOCK_KEY})
            holder.commit()
        holder.close()
    assert report.ok and report.created == 30
    assert _count(db) == 0


@pytest.mark.parametrize("rounds", [3])
def test_two_imports_of_the_same_skus_at_once_never_fail_with_an_error(
    db: Database, rounds: int
) -> None:
    barrier = threading.Barrier(2)

    def run(raw: bytes) -> importer.ImportReport:
        barrier.wait()
        return importer.import_devices(db, raw, fmt="csv")

    for n in range(rounds):
        files = [
            _file(range(0, 120), f"First {n}"),
            _file(range(60, 180), f"Second {n}", reverse=True),
        ]
        with ThreadPoolExecutor(2) as pool:
            reports = list(pool.map(run, files))  # an exception here fails the test
        for report in reports:
            assert report.ok or report.conflict, report.problems[:3]
            if report.conflict:
                assert "another import changed these devices; run it again" in str(
                    report.problems[0]
                )
        assert any(r.ok for r in reports)
        assert _count(db) == 180


def _edit_once_between_phases(db: Database, times: int) -> Any:
    """A progress callback that saves the device W-0000 the first ``times`` times the file is
    read, as an editor might between the import's reading and writing phases."""
    edits = {"done": 0}

    def progress(done: int, total: int) -> None:
        if done != total or edits["done"] >= times:
            return
        edits["done"] += 1
        with db.writing() as s:
            device = s.scalars(select(Device).where(Device.sku == "W-0000")).one()
            raw = device_data(
                sku="W-0000", slug="w-0000", name=f"Edited {edits['done']}", status="draft"
            )
            editing.save(s, device=device, raw=raw, expected_version=device.version, user_id=None)

    return progress


@pytest.mark.parametrize(
    ("edits", "ok", "name"),
    [
        (1, True, "Imported"),  # read again after the edit, then written
        (2, False, "Edited 2"),  # moved on again: a conflict, nothing written
    ],
)
def test_an_edit_between_reading_and_writing_is_noticed(
    db: Database, edits: int, ok: bool, name: str
) -> None:
    assert importer.import_devices(db, _file(range(3), "Before"), fmt="csv").ok
    progress = _edit_once_between_phases(db, edits)
    report = importer.import_devices(db, _file(range(3), "Imported"), fmt="csv", progress=progress)
    assert report.ok is ok and report.conflict is not ok
    with db.session() as s:
        names = dict(s.execute(select(Device.sku, Device.name)).all())
    assert names["W-0000"] == name
    assert names["W-0001"] == ("Imported" if ok else "Before")  # all or nothing


def test_postgresql_writes_wait_for_row_locks_only_seconds(db: Database, db_url: str) -> None:
    if is_sqlite(db_url):
        pytest.skip("SQLite writers wait on busy_timeout, one writer at a time")
    with db.writing() as s:
        assert s.execute(text("SHOW lock_timeout")).scalar() == "5s"


@pytest.mark.parametrize("currency", ["EUR", "USD"])
def test_imported_devices_carry_their_price_in_us_dollars(db: Database, currency: str) -> None:
    """New and changed rows are written in bulk statements, past the ORM's price hook: the
    shop's price filters read ``price_usd``, so the batch writer sets it too."""
    from catalogue.prices.rates import in_usd, usd_rates

    for price in ("100.00", "250.00"):  # created, then updated
        raw = csv_file(row(sku="P-1", slug="p-1", currency=currency, price=price))
        assert importer.import_devices(db, raw, fmt="csv").ok
        with db.session() as s:
            device = s.scalars(select(Device).where(Device.sku == "P-1")).one()
            expected = in_usd(device.price, currency, usd_rates(s))
        assert expected is not None and device.price_usd == expected
        assert device.version == (1 if price == "100.00" else 2)
