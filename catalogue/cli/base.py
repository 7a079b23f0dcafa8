"""What every command shares: settings from the environment and a database that is closed
when the command ends. The command modules import this, never ``catalogue.cli`` itself, so
the package has no import cycle."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from catalogue.data.db import Database
from catalogue.settings import ROOT, Settings, SettingsError


def load_settings() -> Settings:
    """Settings from the environment; a bad value is a usage error naming it."""
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc


@contextmanager
def open_database(url: str | None = None) -> Iterator[Database]:
    """The database at ``url`` (default: ``DATABASE_URL``), its connections closed on the way
    out whether the command succeeds or not."""
    db = Database(url or load_settings().database_url)
    try:
        yield db
    finally:
        db.dispose()


def run_migrations(url: str, revision: str = "head", *, downgrade: bool = False) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(toml_file=str(ROOT / "pyproject.toml"))
    config.attributes["url"] = url
    (command.downgrade if downgrade else command.upgrade)(config, revision)
