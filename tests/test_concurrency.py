"""Concurrent writers: one edit wins per round, the rest get a conflict, nothing is lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceChange
from catalogue.devices import crud, editing
from catalogue.imports import importer
from tests.factories import add_device, device_data

THREADS = 6
ROUNDS = 4


def test_one_edit_wins_per_round_and_no_update_is_lost(db: Database) -> None:
    with db.writing() as s:
        device = add_device(s, status="draft")
        device_id = device.id
        base = device_data(slug=device.slug, sku=device.sku)
    barrier = threading.Barrier(THREADS)

    def edit(version: int, name: str) -> str:
        barrier.wait()  # every thread starts from the same version at the same moment
        try:
            with db.writing() as s:
                current = s.get(Device, device_id)
                assert current is not None
                editing.save(
                    s,
                    device=current,
                    raw={**base, "name": name},
                    expected_version=version,
                    user_id=None,
                )
            return name
        except crud.VersionConflict:
            return "conflict"

    for round_ in range(ROUNDS):
        with db.session() as s:
            version = s.get(Device, device_id).version  # type: ignore[union-attr]
        names = [f"Round {round_} writer {t}" for t in range(THREADS)]
        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(edit, [version] * THREADS, names))
        winners = [r for r in results if r != "conflict"]
        assert len(winners) == 1, results
        assert results.count("conflict") == THREADS - 1
        with db.session() as s:
            stored = s.get(Device, device_id)
            assert stored is not None
            assert stored.name == winners[0]  # the winner's write is the one stored
            assert stored.version == version + 1
    with db.session() as s:
        changes = s.scalar(
            select(func.count())
            .select_from(DeviceChange)
            .where(DeviceChange.device_id == device_id)
        )
    assert changes == 1 + ROUNDS  # the create, then exactly one change a round


@pytest.mark.parametrize("writers", [3])
def test_concurrent_imports_wait_for_each_other(db: Database, writers: int) -> None:
    header = "sku,slug,name,brand,form_factor,price,currency,emissions"

    def run(n: int) -> importer.ImportReport:
        rows = [f"C{n}-{i},c{n}-{i},Panel {n} {i},Brand,panel,100,USD,660;850" for i in range(200)]
        return importer.import_devices(db, ("\n".join([header, *rows]) + "\n").encode())

    with ThreadPoolExecutor(writers) as pool:
        reports = list(pool.map(run, range(writers)))
    assert all(r.ok and r.created == 200 for r in reports), [r.problems[:2] for r in reports]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Device)) == 200 * writers
