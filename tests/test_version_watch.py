"""PostgreSQL announces the catalogue version (migration 0200); each app process follows it
(catalogue/data/version_watch.py), so anonymous pages its caches hold ask the database nothing.

PostgreSQL only: SQLite has no announcements and reads the version per request. Writes that
must reach the watch only by announcement go through plain psycopg, outside SQLAlchemy: a
commit through SQLAlchemy in this process makes its requests read the version for a moment.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient
from sqlalchemy import event

from catalogue.app import create_app
from catalogue.data import version_watch
from catalogue.data.db import Database
from catalogue.data.version_watch import VersionWatch, conninfo
from catalogue.settings import Settings

pytestmark = pytest.mark.postgres
DEADLINE = 15.0  # seconds to wait for something that takes milliseconds on a quiet machine


def eventually(check: Callable[[], bool]) -> bool:
    stop = time.monotonic() + DEADLINE
    while time.monotonic() < stop:
        if check():
            return True
        time.sleep(0.02)
    return check()


def bump_elsewhere(url: str, sql: str = "") -> int:
    """A write committed outside SQLAlchemy (as if by another process); the new version."""
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        if sql:
            conn.execute(sql)
        else:
            conn.execute("UPDATE catalogue_version SET version = version + 1 WHERE id = 1")
        row = conn.execute("SELECT version FROM catalogue_version WHERE id = 1").fetchone()
        assert row is not None
        return int(row[0])


@pytest.fixture
def pg_url(postgres_ready: str, db_url: str) -> str:
    if db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL only")
    return db_url


@pytest.fixture
def no_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures' own commits would make requests read the version for a second."""
    monkeypatch.setattr(version_watch, "LOCAL_GRACE", 0.0)


@pytest.fixture
def watch(pg_url: str) -> Iterator[VersionWatch]:
    started = VersionWatch(pg_url).start()
    yield started
    started.stop()


def test_the_watch_follows_commits_made_elsewhere(
    pg_url: str, watch: VersionWatch, no_grace: None
) -> None:
    assert eventually(lambda: watch.live)
    for _ in range(3):
        version = bump_elsewhere(pg_url)
        assert eventually(lambda v=version: watch.announced() == v), (watch.announced(), version)


def test_a_commit_here_reads_the_version_for_a_moment(
    pg_url: str, watch: VersionWatch, db: Database
) -> None:
    assert eventually(lambda: watch.live)
    with db.writing() as session:
        session.connection()  # a transaction, committed
    assert watch.announced() is None
    assert eventually(lambda: watch.announced() is not None)


def test_without_a_connection_there_is_nothing_announced() -> None:
    lost = VersionWatch("postgresql+psycopg://postgres@127.0.0.1:1/nowhere").start()
    try:
        time.sleep(0.3)
        assert not lost.live and lost.announced() is None
    finally:
        lost.stop()


@pytest.fixture
def shop(pg_url: str, settings: Settings, known_catalogue: list[str]) -> Iterator[Any]:
    with TestClient(app=create_app(settings)) as client:
        yield client


def queries_during(client: Any, action: Callable[[], Any]) -> int:
    engine = client.app.state.db.engine
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return len(seen)


@pytest.mark.parametrize("path", ["/api/devices", "/devices?area=knees", "/devices/nir-knee-wrap"])
def test_a_page_the_caches_hold_asks_the_database_nothing(
    shop: Any, no_grace: None, path: str
) -> None:
    watch = shop.app.state.version_watch
    assert eventually(lambda: watch.announced() is not None)
    assert shop.get(path).status_code == 200
    assert queries_during(shop, lambda: shop.get(path)) == 0


def test_a_write_elsewhere_shows_once_announced(shop: Any, pg_url: str, no_grace: None) -> None:
    watch = shop.app.state.version_watch
    assert eventually(lambda: watch.announced() is not None)
    assert "Knee Wrap Mk II" not in shop.get("/devices?area=knees").text
    bump_elsewhere(
        pg_url, "UPDATE device SET name = 'NIR Knee Wrap Mk II' WHERE slug = 'nir-knee-wrap'"
    )
    assert eventually(lambda: "Knee Wrap Mk II" in shop.get("/devices?area=knees").text)


def test_signed_in_people_read_the_version(
    staff: Any, known_catalogue: list[str], pg_url: str, no_grace: None
) -> None:
    qa = staff("qa")
    watch = qa.app.state.version_watch
    assert eventually(lambda: watch.announced() is not None)
    qa.get("/api/devices")
    assert queries_during(qa, lambda: qa.get("/api/devices")) >= 1
