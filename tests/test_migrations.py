"""Migrations are the only way a schema is made: they round-trip and match the models."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from catalogue.cli import run_migrations
from catalogue.data.db import include_in_compare, make_engine
from catalogue.data.models import SQLModel
from tests.conftest import BACKENDS, POSTGRES_URL


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own (PostgreSQL: a throwaway database beside the test one)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set")
    name = f"catalogue_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(empty_url: str) -> None:
    expected = {t.name for t in SQLModel.metadata.sorted_tables}
    if empty_url.startswith("sqlite"):
        # Migration 0003's full-text table, and the shadow tables FTS5 keeps beside it.
        shadows = ("data", "idx", "docsize", "config")
        expected |= {"device_fts", *(f"device_fts_{s}" for s in shadows)}
    run_migrations(empty_url)
    assert _tables(empty_url) == expected
    run_migrations(empty_url, "base", downgrade=True)
    assert _tables(empty_url) == set()
    run_migrations(empty_url)
    assert _tables(empty_url) == expected


def test_models_match_migrations(empty_url: str) -> None:
    run_migrations(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.connect() as conn:
            # The same filter as migrations/env.py: the text search table and index are the
            # migrations' own, outside the models.
            opts = {"compare_type": True, "include_name": include_in_compare}
            context = MigrationContext.configure(conn, opts=opts)
            assert compare_metadata(context, SQLModel.metadata) == []
    finally:
        engine.dispose()


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def _device_indexes(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {str(index["name"]) for index in inspect(engine).get_indexes("device")}
    finally:
        engine.dispose()


# Migration 0195: indexes every device written paid for and no query plan used.
TRIMMED = {
    "ix_device_status_light_type_price",
    "ix_device_status_coverage",
    "ix_device_status_brand",
    "ix_device_status_form_factor",
}
# What still serves the lookups the trimmed ones could have: status and brand, status and
# form factor, status and light type.
KEPT = {"ix_device_browse_brand", "ix_device_browse_form_factor", "ix_device_browse_light_type"}


@pytest.mark.parametrize(
    ("revision", "present", "absent"),
    [
        ("0190", TRIMMED | KEPT, set()),
        ("0195", KEPT, TRIMMED),
    ],
)
def test_device_index_trim(
    empty_url: str, revision: str, present: set[str], absent: set[str]
) -> None:
    run_migrations(empty_url)
    run_migrations(empty_url, revision, downgrade=True)
    indexes = _device_indexes(empty_url)
    assert present <= indexes
    assert not absent & indexes
