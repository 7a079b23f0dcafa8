"""Engines and sessions. SQLite gets WAL, a busy timeout, foreign keys and up-front write locks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from catalogue.data.models import CatalogueChange, CatalogueVersion

# PostgreSQL: how long any statement waits for a lock before it gives up (a 503 to the
# person, ``web/errors.database_busy``). Writes set it on their transaction; every connection
# has it too, so even a read stuck behind a table lock (a migration, ``LOCK TABLE``) answers.
WRITE_LOCK_TIMEOUT = "5s"
# SQLite: a transaction on a connection with this execution option begins as a reader
# (deferred) even on the writing engine; it may write the connection's TEMP tables, which
# take no lock on the database (``Database.bulk_writing``).
READER_BEGIN = "lumen_reader_begin"
# SQLite: the page cache of a bulk write's connection, in KiB (the default is 2 MB): the
# devices' indexes of a 50,000-row import fit, instead of being written out and read back.
BULK_CACHE_KIB = 131_072


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
        reader = connection.get_execution_options().get(READER_BEGIN, False)
        connection.exec_driver_sql("BEGIN" if reader else begin)

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
    def writing(self, connection: Connection | None = None) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error; on
        ``connection`` (of the writing engine) if given.

        On PostgreSQL a write waits at most ``WRITE_LOCK_TIMEOUT`` for a row lock (an edit
        behind an import answers within seconds); SQLite's writers wait ``busy_timeout``."""
        made = self._write() if connection is None else self._write(bind=connection)
        with made as session, session.begin():
            if self.write_engine.dialect.name == "postgresql":
                session.execute(text(f"SET LOCAL lock_timeout = '{WRITE_LOCK_TIMEOUT}'"))
            yield session

    @contextmanager
    def bulk_writing(
        self, stage: Callable[[Connection], None], unstage: Callable[[Connection], None]
    ) -> Iterator[Session]:
        """A write session for a bulk write whose rows wait in TEMP tables.

        ``stage`` fills them first, in a transaction of its own on the same connection; on
        SQLite that transaction begins as a reader, so other writers go on meanwhile and the
        write lock is taken only by the session this yields. ``unstage`` drops the tables
        afterwards, committed or not. SQLite: the connection has a large page cache meanwhile.
        """
        with self.write_engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            raw: Any = connection.connection.dbapi_connection
            if sqlite:  # outside any transaction: the driver runs it at once
                cache = raw.execute("PRAGMA cache_size").fetchone()[0]
                raw.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            try:
                connection.execution_options(**{READER_BEGIN: True})
                with connection.begin():
                    stage(connection)
                connection.execution_options(**{READER_BEGIN: False})
                with self.writing(connection) as session:
                    yield session
            finally:
                try:
                    if connection.in_transaction():
                        connection.rollback()
                    connection.execution_options(**{READER_BEGIN: True})
                    with connection.begin():
                        unstage(connection)
                    if sqlite:
                        raw.execute(f"PRAGMA cache_size = {int(cache)}")
                except Exception:
                    # A connection that cannot drop its temp tables is not reused: closed,
                    # it drops them.
                    connection.invalidate()

    def dispose(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()


# What the shop's queries read: the planner needs their statistics after a bulk write.
SHOP_TABLES = ("device", "emission", "device_area")
STATISTICS_AFTER_ROWS = 100  # fewer new or changed devices leave the estimates about right
ANALYSIS_LIMIT = 2000  # SQLite: rows of each index ANALYZE reads (its docs advise 100-1000)


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
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:  # statistics from a sample of each index: a tenth of the time at 50,000 rows
        session.execute(text(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}"))
    for table in SHOP_TABLES:
        session.execute(text(f"ANALYZE {table}"))
    if sqlite:
        session.execute(text("PRAGMA analysis_limit = 0"))
    version = session.scalar(
        select(col(CatalogueVersion.version)).where(col(CatalogueVersion.id) == 1)
    )
    if version is not None:
        session.execute(delete(CatalogueChange).where(col(CatalogueChange.version) <= version))
        session.add(CatalogueChange(version=version, device_id=0))


# The triggers of migration 0175 that note each row written to these tables in the change log.
NOTED_TABLES = ("device", "emission", "device_area")
NOTE_TRIGGERS = "catalogue_version_%"
BUMP_VERSION = (
    "INSERT INTO catalogue_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = catalogue_version.version + 1"
)


@contextmanager
def changes_noted_once(session: Session) -> Iterator[None]:
    """Inside a bulk write's transaction, before ``after_bulk_write``: SQLite's row triggers
    that bump the catalogue version and note each device in the change log are set aside
    (dropped, and made again from their own SQL before the commit: a failure rolls both
    back), and the version goes up once at the end. ``after_bulk_write`` then leaves its one
    "everything changed" note, as it would after the row triggers' notes anyway; a 50,000-row
    import spares some 300,000 trigger runs (one per device, emission and area row).

    PostgreSQL's triggers run once a statement already: nothing to do there."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    names = ", ".join(f"'{table}'" for table in NOTED_TABLES)
    triggers = session.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            f"AND name LIKE '{NOTE_TRIGGERS}' AND tbl_name IN ({names})"
        )
    ).all()
    connection = session.connection()
    for name, _sql in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for _name, sql in triggers:
        connection.exec_driver_sql(sql)
    connection.exec_driver_sql(BUMP_VERSION)


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
