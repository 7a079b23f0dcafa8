"""The bulk write phase of an import (``devices/batch.py``): rows staged in TEMP tables and moved
in with a few statements, only what changed written, the change log noted once for a large
import, and a failure in the write transaction leaving nothing behind. Both databases."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from catalogue.data.db import STATISTICS_AFTER_ROWS, Database, is_sqlite
from catalogue.data.models import CatalogueChange, CatalogueVersion, Device, DeviceChange
from catalogue.devices import batch
from catalogue.imports import importer
from tests.factories import add_device
from tests.import_support import csv_file, fingerprint, row


def _rows(count: int, **values: Any) -> bytes:
    return csv_file(*(row(sku=f"B-{n:04d}", slug=f"b-{n:04d}", **values) for n in range(count)))


def _version(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(CatalogueVersion.version)) or 0


def _notes(db: Database) -> list[tuple[int, int]]:
    with db.session() as s:
        query = select(CatalogueChange.version, CatalogueChange.device_id)
        return [(v, d) for v, d in s.execute(query.order_by(CatalogueChange.id))]


def _triggers(db: Database) -> list[tuple[str, str]]:
    """SQLite's triggers and their SQL; PostgreSQL's trigger names."""
    with db.session() as s:
        if is_sqlite(db.url):
            query = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        else:
            query = "SELECT tgname, tgrelid::regclass::text FROM pg_trigger ORDER BY tgname"
        return [(a, b) for a, b in s.execute(text(query))]


def _device(db: Database, sku: str) -> dict[str, Any]:
    with db.session() as s:
        device = s.scalars(select(Device).where(Device.sku == sku)).one()
        history = s.scalars(
            select(DeviceChange)
            .where(DeviceChange.device_id == device.id)
            .order_by(DeviceChange.id)
        ).all()
        emission_ids = s.execute(
            text("SELECT id FROM emission WHERE device_id = :d ORDER BY id"), {"d": device.id}
        ).all()
        areas = s.execute(
            text("SELECT area_slug FROM device_area WHERE device_id = :d ORDER BY area_slug"),
            {"d": device.id},
        ).all()
        return {
            "device": device,
            "history": [(h.action, h.changes) for h in history],
            "emission_ids": [i for (i,) in emission_ids],
            "areas": [a for (a,) in areas],
        }


def test_a_large_import_notes_everything_changed_once_and_keeps_its_triggers(
    db: Database,
) -> None:
    with db.writing() as s:
        add_device(s, sku="BEFORE-1", slug="before-1")
    triggers, version = _triggers(db), _version(db)
    report = importer.import_devices(db, _rows(STATISTICS_AFTER_ROWS), fmt="csv")
    assert report.ok and report.created == STATISTICS_AFTER_ROWS
    after = _version(db)
    assert after > version
    assert _notes(db) == [(after, 0)]  # "everything changed" at the import's version
    assert _triggers(db) == triggers
    # The triggers work again: an edit afterwards is noted device by device.
    with db.writing() as s:
        device = s.scalars(select(Device).where(Device.sku == "B-0001")).one()
        device.name = "Renamed after the import"
    assert (after, 0) in _notes(db)
    assert any(d == device.id and v > after for v, d in _notes(db))


def test_a_small_import_keeps_the_change_log_device_by_device(db: Database) -> None:
    before = _notes(db)  # PostgreSQL: the tests' TRUNCATE noted "everything" already
    report = importer.import_devices(db, _rows(3), fmt="csv")
    assert report.ok and report.created == 3
    with db.session() as s:
        ids = set(s.scalars(select(Device.id)))
    added = [note for note in _notes(db) if note not in before]
    assert {device_id for _, device_id in added} == ids


@pytest.mark.parametrize("rows", [3, STATISTICS_AFTER_ROWS])
def test_a_write_phase_that_fails_after_moving_rows_in_leaves_nothing(
    db: Database, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    with db.writing() as s:
        add_device(s, sku="B-0000", slug="b-0000", name="Stored Panel")
    before, triggers, version = fingerprint(db), _triggers(db), _version(db)
    notes = _notes(db)
    real = batch.apply

    def apply_then_fail(session: Any, bulk: batch.BulkWrite) -> None:
        real(session, bulk)
        assert session.scalar(select(func.count()).select_from(Device)) == rows
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(batch, "apply", apply_then_fail)
    with pytest.raises(RuntimeError, match="disk is full"):
        importer.import_devices(db, _rows(rows, name="Imported Panel"), fmt="csv")
    assert fingerprint(db) == before
    assert (_triggers(db), _version(db), _notes(db)) == (triggers, version, notes)
    monkeypatch.setattr(batch, "apply", real)
    # The connection went back to the pool without its staging tables: the next import works.
    report = importer.import_devices(db, _rows(rows, name="Imported Panel"), fmt="csv")
    assert report.ok and (report.created, report.updated) == (rows - 1, 1)


CHANGES = [
    # (the row's new values, the history's changed fields, emissions and areas replaced)
    ({"warranty_months": "24"}, {"warranty_months"}, False),
    ({"emissions": "630;850"}, {"emissions"}, True),
    ({"areas": "knees"}, {"areas"}, True),
    ({"price": "149.00", "name": "Cheaper Panel"}, {"price", "name"}, False),
]


@pytest.mark.parametrize(("values", "fields", "replaced"), CHANGES)
def test_an_update_writes_what_changed_and_its_history(
    db: Database, values: dict[str, str], fields: set[str], replaced: bool
) -> None:
    assert importer.import_devices(db, csv_file(row()), fmt="csv").created == 1
    # A later device's emissions, so that replaced ones get new ids on SQLite too.
    later = csv_file(row(sku="IMP-2", slug="later-panel"))
    assert importer.import_devices(db, later, fmt="csv").created == 1
    first = _device(db, "IMP-1")
    report = importer.import_devices(db, csv_file(row(**values)), fmt="csv")
    assert report.ok and report.updated == 1
    now = _device(db, "IMP-1")
    device = now["device"]
    assert device.version == first["device"].version + 1
    assert now["history"][:-1] == first["history"]
    action, changes = now["history"][-1]
    assert action == "import" and set(changes) == fields
    assert (now["emission_ids"] != first["emission_ids"]) is replaced
    expected_areas = sorted(values.get("areas", "knees;lower-back").split(";"))
    assert now["areas"] == expected_areas
    if "price" in values:
        assert (str(device.price), str(device.price_usd), device.name) == (
            "149.00",
            "149.00",
            "Cheaper Panel",
        )
    if "emissions" in values:
        assert changes["emissions"][1] == [
            {"wavelength_nm": 630.0, "share_pct": None},
            {"wavelength_nm": 850.0, "share_pct": None},
        ]


def test_an_exchange_rate_changed_before_the_write_phase_is_a_conflict(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Prices are converted before the write lock; a rate changed meanwhile sends the import
    round again, and its second round converts at the new rate."""
    rounds = []
    real = batch.unmoved

    def rate_moved_once(session: Any, bulk: batch.BulkWrite) -> bool:
        rounds.append(dict(bulk.rates))
        if len(rounds) == 1:
            bulk.rates["USD"] = bulk.rates["USD"] * 2
        return real(session, bulk)

    monkeypatch.setattr(batch, "unmoved", rate_moved_once)
    report = importer.import_devices(db, csv_file(row()), fmt="csv")
    assert report.ok and report.created == 1 and len(rounds) == 2


def test_staging_takes_no_write_lock(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite: while the rows go into the TEMP tables another writer can take the lock; only
    the move into the catalogue holds it."""
    if not is_sqlite(db.url):
        pytest.skip("PostgreSQL has row locks, not one write lock")
    seen = []
    real = batch.stage

    def stage_then_probe(connection: Any, bulk: batch.BulkWrite) -> None:
        real(connection, bulk)
        probe = sqlite3.connect(make_url(db.url).database or "", timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")  # "database is locked" if the import held it
            probe.execute("ROLLBACK")
            seen.append(bulk.staged["import_new"])
        finally:
            probe.close()

    monkeypatch.setattr(batch, "stage", stage_then_probe)
    report = importer.import_devices(db, _rows(STATISTICS_AFTER_ROWS), fmt="csv")
    assert report.ok and seen == [STATISTICS_AFTER_ROWS]


@pytest.mark.parametrize("with_update", [False, True])
def test_new_devices_get_ids_in_sku_order_and_children_keep_the_rows_order(
    db: Database, with_update: bool
) -> None:
    """The staged rows are moved in the order staged (``batch._temporary``'s ``seq``): new
    devices in SKU order, whatever the file's order, and each device's emissions as its row
    lists them."""
    if with_update:
        assert importer.import_devices(db, csv_file(row(sku="C-0050", slug="c-0050"))).created
    skus = ["C-0300", "C-0100", "C-0200", "C-0050"]
    wavelengths = ["850;630;660", "630;850", "660;630;850;940", "940;660"]
    rows = (
        row(sku=sku, slug=sku.lower(), emissions=waves, name=f"Panel {sku}")
        for sku, waves in zip(skus, wavelengths, strict=True)
    )
    report = importer.import_devices(db, csv_file(*rows), fmt="csv")
    assert report.ok and (report.created, report.updated) == (3 + (not with_update), with_update)
    with db.session() as s:
        devices = s.scalars(select(Device).where(Device.sku.in_(skus)).order_by(Device.sku)).all()
        new = [d for d in devices if not (with_update and d.sku == "C-0050")]
        assert [d.id for d in new] == sorted(d.id for d in new)
        for device in devices:
            stored = s.execute(
                text("SELECT wavelength_nm FROM emission WHERE device_id = :d ORDER BY id"),
                {"d": device.id},
            ).scalars()
            last = s.scalars(
                select(DeviceChange)
                .where(DeviceChange.device_id == device.id)
                .order_by(DeviceChange.id)
            ).all()[-1]
            assert last.action == "import"
            assert list(stored) == [e["wavelength_nm"] for e in last.snapshot["emissions"]]
