"""The ``catalogue`` command: the app's own commands (migrate, seed, serve, recompute, ...)."""

from __future__ import annotations

import os
import sys

import click

from catalogue.cli import admin, claims
from catalogue.cli.base import load_settings, open_database, run_migrations

__all__ = ["main", "run_migrations"]


@click.group()
def main() -> None:
    """Manage the light-device catalogue."""


@main.command()
def migrate() -> None:
    """Bring the database schema up to date (alembic upgrade head)."""
    settings = load_settings()
    run_migrations(settings.database_url)
    click.echo("database is at the newest schema")


@main.command()
@click.option("--no-devices", is_flag=True, help="Load bands, areas and rules only.")
def seed(no_devices: bool) -> None:
    """Load seed/ into the database; devices only when the catalogue is empty."""
    from catalogue.imports.seed import SeedError, seed_database
    from catalogue.media.storage import MediaStore

    settings = load_settings()
    try:
        with open_database(settings.database_url) as db, db.writing() as session:
            report = seed_database(
                session,
                settings.seed_dir,
                devices=not no_devices,
                media=MediaStore(settings.media_dir),
            )
    except SeedError as exc:
        raise click.ClickException(str(exc)) from exc
    devices = (
        "devices already present, none added"
        if report.skipped_devices
        else f"{report.devices} devices, {report.images} with pictures"
    )
    click.echo(
        f"seeded {report.bands} bands, {report.areas} areas, {report.rules} rules; {devices}"
    )


@main.command()
def recompute() -> None:
    """Recompute every device's light type and coverage (after band edges change)."""
    from catalogue.data.reference import load_bands
    from catalogue.devices.crud import recompute_derived

    with open_database() as db, db.writing() as session:
        changed = recompute_derived(session, bands=load_bands(session))
    click.echo(f"recomputed light type and coverage: {changed} devices changed")


@main.command()
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
def serve(reload: bool) -> None:
    """Serve the app on HOST:PORT (default http://127.0.0.1:8000)."""
    settings = load_settings()
    # Each worker is a process of its own on the same port; sessions and the catalogue live
    # in the database (or Redis), so any worker can answer any request. --reload runs one.
    workers = 1 if reload else settings.workers
    click.echo(
        f"serving on http://{settings.host}:{settings.port} with {workers} worker(s)", err=True
    )
    if not reload:
        from catalogue.cli import serving

        serving.serve(settings, workers)
        return
    # With --reload uvicorn watches the files and runs the app in a process it restarts.
    # The app reads X-Forwarded-For itself, and only from TRUSTED_PROXIES (web/auth.py);
    # uvicorn's default would believe it from 127.0.0.1, hence --no-proxy-headers.
    os.environ["RELOAD_TEMPLATES"] = "1"  # and templates are read again when they change
    argv = [sys.executable, "-m", "uvicorn", "catalogue.app:app_from_env", "--factory"]
    argv += ["--host", settings.host, "--port", str(settings.port), "--reload"]
    argv += ["--log-level", "info", "--no-access-log", "--no-proxy-headers"]
    sys.stdout.flush()
    os.execv(sys.executable, argv)


for command in (*admin.COMMANDS, *claims.COMMANDS):
    main.add_command(command)
