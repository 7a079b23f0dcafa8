"""Alembic environment: the database URL comes from the caller or from the environment."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

from catalogue.data import models  # noqa: F401  (registers every table on the metadata)
from catalogue.data.db import include_in_compare, is_sqlite, make_engine
from catalogue.settings import Settings

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return config.attributes.get("url") or Settings.from_env().database_url


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    url = url or _url()
    context.configure(
        connection=connection,
        url=None if connection is not None else url,
        target_metadata=target_metadata,
        render_as_batch=is_sqlite(url),  # SQLite alters tables by copying them
        compare_type=True,
        include_name=include_in_compare,
    )


def run_migrations_offline() -> None:
    _configure(url=_url())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection, url=str(connection.engine.url))
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as conn:
            _configure(conn, url=str(engine.url))
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
