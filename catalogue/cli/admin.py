"""Commands for people and bulk data: ``users create|list|disable|enable|invite|reset``,
``import``, ``export``.

Registered on the ``catalogue`` group in ``catalogue/cli/__init__.py``.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import IO, Any, Literal, cast

import click

from catalogue.cli.base import load_settings, open_database


@click.group()
def users() -> None:
    """Accounts for merchandisers, QA and admins (there is no default account)."""


@users.command("create")
@click.option("--email", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["merchandiser", "qa", "admin"]),
    help="What they may do.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email: str, role: str, password_stdin: bool) -> None:
    """Create an account; the password is asked for (or read with --password-stdin)."""
    from catalogue import accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = load_settings()
    try:
        with open_database(settings.database_url) as db, db.writing() as session:
            user = accounts.create_user(
                session,
                email=email,
                password=password,
                role=role,
                hasher=accounts.password_hasher(fast=settings.fast_password_hashing),
            )
            click.echo(f"created {user.email} ({user.role})")
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc


@users.command("list")
def users_list() -> None:
    """Every account with its role and whether it is active."""
    from catalogue import accounts

    with open_database() as db, db.session() as session:
        rows = accounts.list_users(session)
    if not rows:
        click.echo("no accounts yet: catalogue users create --email E --role R")
    for user in rows:
        state = "active" if user.is_active else "disabled"
        seen = f"{user.last_sign_in_at:%Y-%m-%d %H:%M}" if user.last_sign_in_at else "never"
        click.echo(f"{user.email}\t{user.role}\t{state}\tlast sign-in {seen}")


def _set_active(email: str, active: bool) -> None:
    from catalogue import accounts

    try:
        with open_database() as db, db.writing() as session:
            user = accounts.set_active(session, email=email, active=active)
            click.echo(f"{user.email} is {'active' if active else 'disabled'}")
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc


@users.command("disable")
@click.option("--email", required=True)
def users_disable(email: str) -> None:
    """Disable an account; its open sessions stop working at once."""
    _set_active(email, False)


@users.command("enable")
@click.option("--email", required=True)
def users_enable(email: str) -> None:
    """Re-enable a disabled account."""
    _set_active(email, True)


def _hand_over(email: str, kind: str, token: str, site: str | None) -> None:
    settings = load_settings()
    base = (site or f"http://{settings.host}:{settings.port}").rstrip("/")
    click.echo(f"{kind} link for {email} (works once, for 48 hours; give it to them yourself):")
    click.echo(f"{base}/set-password/{token}")


@users.command("invite")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(["merchandiser", "qa", "admin"]))
@click.option("--site", help="The address people open the catalogue at (default: HOST:PORT).")
def users_invite(email: str, role: str, site: str | None) -> None:
    """Create an account without a password and print the link its person sets one with."""
    from catalogue import accounts, password_links

    try:
        with open_database() as db, db.writing() as session:
            user, token = password_links.invite(session, email=email, role=role)
            email = user.email
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    _hand_over(email, "invitation", token, site)


@users.command("reset")
@click.option("--email", required=True)
@click.option("--site", help="The address people open the catalogue at (default: HOST:PORT).")
def users_reset(email: str, site: str | None) -> None:
    """Print a link that sets a new password for an active account; older links stop working."""
    from catalogue import accounts, password_links

    try:
        with open_database() as db, db.writing() as session:
            user, token = password_links.reset(session, email=email)
            email = user.email
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    _hand_over(email, "reset", token, site)


def _open_import_file(file: Path) -> IO[bytes]:
    """The file to import, open for reading: a device file of at most 10 MB, or a zip of one
    with its pictures (told apart by the first bytes)."""
    from catalogue.imports import archive, importer

    if str(file) == "-":
        return io.BytesIO(sys.stdin.buffer.read(archive.MAX_ARCHIVE_BYTES + 1))
    try:
        source = file.open("rb")
    except FileNotFoundError:
        raise click.ClickException(f"{file}: no such file") from None
    except OSError as exc:
        raise click.ClickException(f"{file}: cannot read it ({exc.strerror})") from None
    size = file.stat().st_size
    if not archive.is_zip(source.read(4)) and size > importer.MAX_BYTES:
        source.close()
        raise click.ClickException(f"{file}: {size / 1024 / 1024:.1f} MB; the limit is 10 MB")
    source.seek(0)
    return source


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@click.option(
    "--valid-only",
    is_flag=True,
    help="Import the rows without problems and skip the others (default: all or nothing).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), help="Default: from the file name."
)
@click.option(
    "--report", type=click.Path(dir_okay=False, path_type=Path), help="Write the report as CSV."
)
def import_command(
    file: Path, dry_run: bool, valid_only: bool, fmt: str | None, report: Path | None
) -> None:
    """Import devices from a CSV or JSON file, or a .zip of one with the pictures its images
    column names (upsert by SKU): all rows or none, or with --valid-only the rows without
    problems, listing the rows skipped."""
    from catalogue.imports import archive
    from catalogue.media.storage import MediaStore

    source = _open_import_file(file)
    bar: list[Any] = []  # the progress bar, made once the row count is known

    def progress(done: int, total: int) -> None:
        if not bar:
            bar.append(click.progressbar(length=total, label="checking rows", file=sys.stderr))
            bar[0].__enter__()
        bar[0].update(done - bar[0].pos)

    try:
        with open_database() as db, source:
            result = archive.import_upload(
                db,
                source,
                media=MediaStore(load_settings().media_dir),
                fmt=cast(Literal["csv", "json"] | None, fmt),
                filename=file.name,
                dry_run=dry_run,
                valid_only=valid_only,
                progress=progress,
            )
    finally:
        if bar:
            bar[0].__exit__(None, None, None)
    if report:
        try:
            report.write_text(result.to_csv(), encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(
                f"{report}: cannot write the report ({exc.strerror})"
            ) from None
    if result.skipped:
        click.echo(f"rows skipped: {', '.join(map(str, result.problem_rows[:200]))}", err=True)
    for problem in result.problems[:200]:
        click.echo(str(problem), err=True)
    if len(result.problems) > 200:
        click.echo(f"... and {len(result.problems) - 200} more (see --report)", err=True)
    errors = sum(1 for f in result.findings if f.finding.severity == "error")
    if result.findings:
        click.echo(
            f"claim findings: {len(result.findings)} ({errors} errors); "
            "each row's are in the --report file",
            err=True,
        )
    click.echo(("dry run: " if dry_run else "") + result.summary())
    # Skipped rows are what --valid-only asked for; a run that kept no row at all failed.
    if not result.ok or (result.skipped and len(result.problem_rows) == result.rows):
        sys.exit(1)


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: standard output."
)
@click.option("--status", type=click.Choice(["draft", "in_review", "published", "archived"]))
@click.option(
    "--zip",
    "as_zip",
    is_flag=True,
    help="Write a .zip of the device file and every picture it names (needs --output).",
)
def export_command(fmt: str, output: Path | None, status: str | None, as_zip: bool) -> None:
    """Export devices in the import format; re-importing the file changes nothing."""
    from catalogue.imports.archive import write_archive
    from catalogue.imports.exporter import export_devices
    from catalogue.media.storage import MediaStore

    if as_zip and output is None:
        raise click.UsageError("--zip writes a file: name it with --output devices.zip")
    try:
        with open_database() as db, db.session() as session:
            if output is None:
                count = export_devices(session, sys.stdout, fmt=fmt, status=status)  # type: ignore[arg-type]
            elif as_zip:
                store = MediaStore(load_settings().media_dir)
                with output.open("wb") as binary:
                    done = write_archive(session, binary, store, status=status, fmt=fmt)  # type: ignore[arg-type]
                count = done.devices
                click.echo(f"packed {done.pictures} pictures", err=True)
                for name in done.missing:
                    click.echo(f"{name}: its file is missing from MEDIA_DIR; not packed", err=True)
            else:
                with output.open("w", encoding="utf-8", newline="") as out:
                    count = export_devices(session, out, fmt=fmt, status=status)  # type: ignore[arg-type]
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write the export ({exc.strerror})") from None
    click.echo(f"exported {count} devices", err=True)
    if as_zip and done.missing:
        sys.exit(1)


COMMANDS = (users, import_command, export_command)
