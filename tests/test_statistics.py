"""Planner statistics are refreshed after a bulk write (import, seed), not left to autovacuum."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from catalogue.data.db import STATISTICS_AFTER_ROWS, Database
from catalogue.imports import importer
from catalogue.imports.seed import seed_database
from tests.conftest import SEED_DIR
from tests.import_support import csv_file, row


def analyzed_rows(session: Session) -> int | None:
    """How many devices the planner's statistics know of; None before any ANALYZE."""
    if session.get_bind().dialect.name == "postgresql":
        # reltuples is -1 until the table is first analyzed (0 after TRUNCATE).
        tuples = session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'device'"))
        return int(tuples) if tuples and tuples > 0 else None
    present = session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"))
    if not present:
        return None
    stat = session.scalar(
        text(
            "SELECT stat FROM sqlite_stat1 WHERE tbl = 'device' AND idx = 'ix_device_status_price'"
        )
    )
    return int(stat.split()[0]) if stat else None


@pytest.mark.parametrize(
    ("rows", "analyzed"),
    [(STATISTICS_AFTER_ROWS, True), (STATISTICS_AFTER_ROWS - 1, False), (3, False)],
)
def test_an_import_of_many_rows_refreshes_statistics(
    db: Database, rows: int, analyzed: bool
) -> None:
    raw = csv_file(*(row(sku=f"STAT-{n}", slug=f"stat-{n}") for n in range(rows)))
    report = importer.import_devices(db, raw, fmt="csv")
    assert report.ok and report.created == rows, report.summary()
    with db.session() as s:
        assert (analyzed_rows(s) == rows) is analyzed


def test_a_dry_run_leaves_statistics_alone(db: Database) -> None:
    raw = csv_file(*(row(sku=f"DRY-{n}", slug=f"dry-{n}") for n in range(STATISTICS_AFTER_ROWS)))
    importer.import_devices(db, raw, fmt="csv", dry_run=True)
    with db.session() as s:
        assert analyzed_rows(s) is None


def test_seeding_devices_refreshes_statistics(db: Database) -> None:
    with db.writing() as s:
        report = seed_database(s, SEED_DIR, devices=True)
    with db.session() as s:
        assert report.devices > 0
        assert analyzed_rows(s) == report.devices
