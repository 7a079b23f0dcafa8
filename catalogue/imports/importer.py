"""Bulk import of devices from CSV or JSON: all or nothing, with a report by row and column.

One engine serves ``catalogue import`` and the ``/admin/import`` page:

- Reading, validation and the claim check run outside any write transaction (a dry run never
  writes); the write phase is short (bulk statements, ``devices/batch.py``) and checks that
  nothing it read has moved since. Any bad
  row, and nothing is written.
- Rows are upserted by SKU. A row that matches the stored device exactly changes nothing
  and writes no history, so exporting and re-importing a file is a no-op.
- Every problem is reported with its row and column: ``row 17, irradiance_mw_cm2: 900 is
  above the maximum 500``. CSV rows are numbered as a spreadsheet shows them (the header is
  row 1, the first device row 2); JSON items from 1.
- Claim findings are reported per row. Rows land as drafts unless they ask for a status; a
  status change takes the same workflow moves and roles as the buttons, and ``published``
  also a clean publish gate.
- Limits (``reading.py``): 10 MB, 50,000 rows, known columns only, each SKU and slug once
  per file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from itertools import islice
from typing import TypeVar

from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError, OperationalError

from catalogue.data.db import (
    STATISTICS_AFTER_ROWS,
    Database,
    after_bulk_write,
    changes_noted_once,
    is_sqlite,
)
from catalogue.devices import batch, crud
from catalogue.imports.checking import ImportCheck
from catalogue.imports.pictures import ImportPictures, PictureFiles
from catalogue.imports.reading import (
    MAX_BYTES,
    MAX_ROWS,
    Format,
    ImportFileError,
    decode,
    guess_format,
    open_records,
)
from catalogue.imports.report import ImportReport, Problem, RowFinding
from catalogue.media.storage import MediaStore

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "Format",
    "ImportConflict",
    "ImportFileError",
    "ImportReport",
    "Problem",
    "RowFinding",
    "decode",
    "guess_format",
    "import_devices",
    "open_records",
]

READ_AHEAD = 500  # rows whose stored devices the reading phase reads at once
ATTEMPTS = 2  # a write phase that finds its devices moved on reads the file once more
# PostgreSQL: an import waits this long for the import before it, then a row lock of an
# editor's transaction this long, before it gives up with a conflict.
IMPORT_WAIT_SECONDS = 120
LOCK_TIMEOUT_SECONDS = 5
IMPORT_LOCK_KEY = 0x4C554D454E  # "LUMEN": one advisory lock for all imports
Progress = Callable[[int, int], None]  # (rows done, rows in the file)
T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- writing ------------------------------------------------------------------------------


class ImportConflict(Exception):
    """Something this import read (a device's version, a free SKU or slug) changed before
    its write phase: another import or an editor got there first."""


CONFLICT_MESSAGE = "another import changed these devices; run it again"


def _write(db: Database, run: ImportCheck) -> None:
    """The write phase: the rows prepared and staged first (``devices/batch.py``), then one
    short transaction of bulk statements that checks nothing read has moved and moves them in.

    On PostgreSQL whole imports are serialised by an advisory lock (an import waits for the
    one before it instead of deadlocking on its rows); on SQLite ``BEGIN IMMEDIATE`` does it.
    """
    bulk = batch.prepare(
        creates=run.creates,
        updates=run.updates,
        versions=run.versions,
        bands=run.context.bands,
        rates=run.rates,
        user_id=run.user_id,
        action="import",
    )
    with db.bulk_writing(lambda c: batch.stage(c, bulk), batch.unstage) as session:
        if not is_sqlite(db.url):
            session.execute(sql(f"SET LOCAL lock_timeout = '{IMPORT_WAIT_SECONDS}s'"))
            session.execute(sql("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK_KEY})
            session.execute(sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'"))
        if not batch.unmoved(session, bulk):
            raise ImportConflict
        large = bulk.devices >= STATISTICS_AFTER_ROWS
        # A large import notes "everything changed" (after_bulk_write) rather than each row.
        with changes_noted_once(session) if large else nullcontext():
            batch.apply(session, bulk)
        run.pictures.write(session, run.galleries, user_id=run.user_id)
        if large:
            after_bulk_write(session)


def _conflicting(exc: BaseException) -> bool:
    """Errors that mean another writer touched the same devices between our two phases."""
    if isinstance(exc, ImportConflict | crud.VersionConflict | crud.DuplicateKeys):
        return True
    if isinstance(exc, IntegrityError):  # a unique SKU or slug taken by an editor's save
        return True
    return isinstance(exc, OperationalError) and any(
        word in str(exc.orig) for word in ("lock timeout", "deadlock", "database is locked")
    )


def import_devices(
    db: Database,
    raw: bytes,
    *,
    fmt: Format | None = None,
    filename: str | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
    user_id: int | None = None,
    role: str = "admin",
    progress: Progress | None = None,
    files: PictureFiles | None = None,
    media: MediaStore | None = None,
) -> ImportReport:
    """Import a device file; the report says what happened (or would have, or why not).

    All or nothing by default: one bad row and nothing is written. ``valid_only`` writes the
    rows without problems, still in one transaction, and the report lists the rows skipped.
    ``role`` is the importer's: a row's status moves as that role's buttons would move it
    (``workflow.import_moves``). The command line imports as an operator, that is as admin.
    The ``images`` column's new pictures come from ``files`` (the zip, ``archive``) and are
    stored in ``media``, which also loses the files of pictures no row shows any more.
    """
    pictures = ImportPictures(files=files, store=media, dry_run=dry_run)
    try:
        return _import(
            db, raw, pictures, fmt, filename, dry_run, valid_only, user_id, role, progress
        )
    finally:
        pictures.finish(db)


def _import(
    db: Database,
    raw: bytes,
    pictures: ImportPictures,
    fmt: Format | None,
    filename: str | None,
    dry_run: bool,
    valid_only: bool,
    user_id: int | None,
    role: str,
    progress: Progress | None,
) -> ImportReport:
    report = ImportReport(dry_run=dry_run, valid_only=valid_only)
    try:
        text = decode(raw)
        file_format = fmt or guess_format(filename, text)
        report.rows, records = open_records(text, file_format)
    except ImportFileError as exc:
        report.problems.append(Problem(None, exc.column, exc.message))
        return report
    for attempt in range(1, ATTEMPTS + 1):
        report.created = report.updated = report.unchanged = 0
        report.findings.clear()
        report.problems.clear()
        with db.session() as session:
            run = ImportCheck(
                session,
                report,
                user_id=user_id,
                role=role,
                valid_only=valid_only,
                pictures=pictures,
            )
            done = 0
            for chunk in batched(records, READ_AHEAD):
                run.read_ahead(row for _, row in chunk)
                for number, row in chunk:
                    run.row(number, row)
                    done += 1
                    if progress and (done % 200 == 0 or done == report.rows):
                        progress(done, report.rows)
        if not report.ok:
            report.created = report.updated = 0
            return report
        if dry_run or not (run.creates or run.updates or run.galleries):
            return report
        try:
            _write(db, run)
        except Exception as exc:
            if not _conflicting(exc):
                raise
            if attempt == ATTEMPTS:
                report.conflict = True
                report.created = report.updated = 0
                report.problems.append(Problem(None, "file", CONFLICT_MESSAGE))
                return report
            # Read the file again against what the other writer left, and try once more.
            _, records = open_records(text, file_format)
        else:
            return report
    return report
