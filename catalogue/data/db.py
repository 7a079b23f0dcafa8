"""Engines and sessions. SQLite gets WAL, a busy timeout, foreign keys and up-front write locks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from catalogue.data.models import CatalogueChange, CatalogueVersion

# PostgreSQL: how long any statement waits for a lock before it gives up (a 503 to the
# person, ``web/errors.database_busy``). Writes set it on their transaction; every connection
# has it too, so even a read stuck behind a table lock (a migration, ``LOCK TABLE``) answers.
WRITE_LOCK_TIMEOUT = "5s"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, immediate: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url``.

    With ``immediate=True`` every SQLite transaction starts with ``BEGIN IMMEDIATE``, so a
    writer takes the write lock before it reads and concurrent writers queue up on
    ``busy_timeout`` instead of failing halfway with "database is locked".
    """
    if not is_sqlite(url):
        options = {"options": f"-c lock_timeout={WRITE_LOCK_TIMEOUT}"}
        return create_engine(url, pool_pre_ping=True, connect_args=options, **kwargs)
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


class Database:
    """A reading engine and a writing engine on one URL (the same engine off SQLite)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.write_engine = make_engine(url, immediate=True) if is_sqlite(url) else self.engine
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._read()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error.

        On PostgreSQL a write waits at most ``WRITE_LOCK_TIMEOUT`` for a row lock (an edit
        behind an import answers within seconds); SQLite's writers wait ``busy_timeout``."""
        with self._write() as session, session.begin():
            if self.write_engine.dialect.name == "postgresql":
                session.execute(text(f"SET LOCAL lock_timeout = '{WRITE_LOCK_TIMEOUT}'"))
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()


# What the shop's queries read: the planner needs their statistics after a bulk write.
SHOP_TABLES = ("device", "emission", "device_area")
STATISTICS_AFTER_ROWS = 100  # fewer new or changed devices leave the estimates about right


def after_bulk_write(session: Session) -> None:
    """Inside the bulk write's transaction (it sees its own rows): ANALYZE the shop's tables
    and prune the catalogue change log.

    Right after a bulk import PostgreSQL has no statistics for the new rows until autovacuum
    gets round to them, and plans the shop's queries as if the tables were nearly empty
    (seconds instead of milliseconds at 100,000 devices); SQLite never gathers them itself.

    The change log (migration 0175) is forgotten up to the current version, leaving one
    "everything changed" note (device 0) at it: a process whose facet bitmaps are older reads
    the catalogue again, as it would after so many changes anyway.
    """
    for table in SHOP_TABLES:
        session.execute(text(f"ANALYZE {table}"))
    version = session.scalar(
        select(col(CatalogueVersion.version)).where(col(CatalogueVersion.id) == 1)
    )
    if version is not None:
        session.execute(delete(CatalogueChange).where(col(CatalogueChange.version) <= version))
        session.add(CatalogueChange(version=version, device_id=0))


# Made by migration 0003 and not on the SQLModel metadata, which cannot describe them: the
# SQLite full-text table (with its shadow tables device_fts_data, _idx, …) and the
# PostgreSQL expression index.
TEXT_SEARCH_TABLE_PREFIX = "device_fts"
TEXT_SEARCH_INDEX = "ix_device_text_search"


def include_in_compare(name: str | None, type_: str, _parent_names: Any) -> bool:
    """Alembic's ``include_name`` hook: leave the text search structures out of autogenerate,
    which would otherwise offer to drop them."""
    if type_ == "table" and name and name.startswith(TEXT_SEARCH_TABLE_PREFIX):
        return False
    return not (type_ == "index" and name == TEXT_SEARCH_INDEX)


# Registers the flush hook that keeps ``device.price_usd`` in step with every ORM write.
import catalogue.prices.rates  # noqa: E402, F401
