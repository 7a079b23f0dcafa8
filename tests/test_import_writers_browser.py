"""A big import runs while people work: during its write phase a merchandiser saves a device,
QA waives a warning and an admin signs in, each in a real browser, and each succeeds (no 500,
no "database is locked", no 409). SQLite and PostgreSQL.

``IMPORT_WRITERS_ROWS`` sets the file's size (default 3,000, so the test stays short);
``IMPORT_WRITERS_ROWS=50000`` runs the issue's full size by hand. Each action's time is
printed (``-s`` shows it), never asserted: the machines are shared. ``make bench`` prints
the same at 50,000 rows (``scripts/bench_import_writers.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from catalogue.data.db import Database
from catalogue.data.models import Device, Waiver
from tests.conftest import LiveServer, start_server, stop_server
from tests.import_writers_support import (
    EDITED_NAME,
    EDITED_SLUG,
    REVIEWED_SLUG,
    device_file,
    import_while_people_work,
    prepare_catalogue,
)

pytestmark = pytest.mark.browser

ROWS = int(os.environ.get("IMPORT_WRITERS_ROWS", "3000"))


@pytest.fixture
def busy_server(db_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    prepare_catalogue(db_url)
    process, server = start_server(
        db_url, tmp_path / "server.log", MEDIA_DIR=str(tmp_path / "media")
    )
    yield server
    stop_server(process)


def test_an_editor_save_a_waiver_and_a_sign_in_succeed_during_a_big_import(
    busy_server: LiveServer, browser: Any, tmp_path: Path
) -> None:
    file = device_file(ROWS, tmp_path / "devices.csv")
    outcome = import_while_people_work(
        browser, busy_server.url, busy_server.database_url, busy_server.env, file, ROWS
    )
    print("\n" + "\n".join(outcome.lines()))
    assert outcome.problems() == []
    assert f"created {ROWS}," in outcome.import_output, outcome.import_output[-400:]

    db = Database(busy_server.database_url)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Device)) == ROWS + 2
            edited = s.scalars(select(Device).where(Device.slug == EDITED_SLUG)).one()
            assert edited.name == EDITED_NAME
            reviewed = s.scalars(select(Device).where(Device.slug == REVIEWED_SLUG)).one()
            waivers = s.scalars(select(Waiver).where(Waiver.device_id == reviewed.id)).all()
            assert [w.rule_id for w in waivers] == ["clinically-proven"]
    finally:
        db.dispose()
