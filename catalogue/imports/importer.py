"""Bulk import of devices from CSV or JSON: all or nothing, with a report by row and column.

One engine serves ``catalogue import`` and the ``/admin/import`` page:

- Reading, validation and the claim check run outside any write transaction (a dry run never
  writes); the write phase is short and checks that nothing it read has moved since. Any bad
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

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import insert, or_
from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.claims import audit
from catalogue.core.claims.check import ClaimFinding
from catalogue.data.db import STATISTICS_AFTER_ROWS, Database, is_sqlite, refresh_statistics
from catalogue.data.models import Device, Finding
from catalogue.devices import crud, workflow
from catalogue.devices.schemas import DeviceInput, parse_device
from catalogue.imports.devicefile import COLUMNS
from catalogue.imports.reading import (
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_ROWS,
    Format,
    ImportFileError,
    decode,
    guess_format,
    open_records,
)
from catalogue.imports.report import ImportReport, Problem, RowFinding

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

BATCH = 500  # new devices inserted per statement batch
ATTEMPTS = 2  # a write phase that finds its devices moved on reads the file once more
# PostgreSQL: an import waits this long for the import before it, then a row lock of an
# editor's transaction this long, before it gives up with a conflict.
IMPORT_WAIT_SECONDS = 120
LOCK_TIMEOUT_SECONDS = 5
IMPORT_LOCK_KEY = 0x4C554D454E  # "LUMEN": one advisory lock for all imports
Progress = Callable[[int, int], None]  # (rows done, rows in the file)


# --- checking and writing --------------------------------------------------------------


def _comparable(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    data = dict(snapshot)
    data["emissions"] = sorted(
        (float(e["wavelength_nm"]), e.get("share_pct")) for e in data.get("emissions", [])
    )
    return data


class ImportConflict(Exception):
    """Something this import read (a device's version, a free SKU or slug) changed before
    its write phase: another import or an editor got there first."""


CONFLICT_MESSAGE = "another import changed these devices; run it again"


class _Run:
    """One import's reading phase: every row parsed, validated and claim-checked on a read
    session, and what to write collected, in memory. Nothing here takes a write lock."""

    def __init__(
        self, session: Session, report: ImportReport, *, user_id: int | None, role: str
    ) -> None:
        self.session, self.report = session, report
        self.user_id, self.role = user_id, role
        self.context = audit.load_context(session)
        self.areas = set(self.context.areas)
        # sku -> device id and slug -> sku of every stored device: uniqueness in memory.
        self.id_of_sku: dict[str, int] = {}
        self.sku_of_slug: dict[str, str] = {}
        for device_id, sku, slug in session.execute(select(Device.id, Device.sku, Device.slug)):
            self.id_of_sku[sku] = device_id
            self.sku_of_slug[slug] = sku
        self.rows_of_sku: dict[str, int] = {}
        self.rows_of_slug: dict[str, int] = {}
        self.creates: list[tuple[DeviceInput, list[ClaimFinding]]] = []
        self.updates: list[tuple[int, DeviceInput]] = []  # (device id, the row)
        # The version of every stored device the file names, as read: the write phase
        # checks that none moved on meanwhile.
        self.versions: dict[int, int] = {}

    def problem(self, row: int, column: str, message: str) -> None:
        self.report.problems.append(Problem(row, column, message))

    def _shape_problems(self, number: int, raw: Mapping[str, Any]) -> bool:
        if long := raw.get("__long__"):
            for column in long:
                self.problem(
                    number, column[:40], f"a cell holds at most {MAX_CELL_CHARS:,} characters"
                )
            return True
        if raw.get("__not_object__"):
            self.problem(number, "row", "each item must be a JSON object")
            return True
        if raw.get("__unknown__"):
            unknown = ", ".join(repr(str(k)[:40]) for k in raw["__unknown__"])
            self.problem(
                number, "row", f"unknown field(s) {unknown}; expected: {', '.join(COLUMNS)}"
            )
            return True
        if raw.get("__extra__"):
            self.problem(number, "row", "the row has more cells than the header has columns")
            return True
        return False

    def _duplicates(self, number: int, data: DeviceInput) -> bool:
        found = False
        first = self.rows_of_sku.setdefault(data.sku, number)
        if first != number:
            self.problem(number, "sku", f"{data.sku!r} appears again (first in row {first})")
            found = True
        first = self.rows_of_slug.setdefault(data.slug, number)
        if first != number:
            self.problem(number, "slug", f"{data.slug!r} appears again (first in row {first})")
            found = True
        owner = self.sku_of_slug.get(data.slug)
        if owner is not None and owner != data.sku:
            self.problem(number, "slug", f"{data.slug!r} already belongs to the device {owner}")
            found = True
        return found

    def row(self, number: int, raw: dict[str, Any]) -> None:
        if self._shape_problems(number, raw):
            return
        data, errors = parse_device(raw, known_areas=self.areas)
        if data is None:
            for column, message in errors.items():
                self.problem(number, "row" if column == "__all__" else column, message)
            return
        if self._duplicates(number, data):
            return
        findings = audit.preview(
            self.session,
            description=data.description,
            wavelengths_nm=[e.wavelength_nm for e in data.emissions],
            areas=data.areas,
            context=self.context,
        )
        self.report.findings.extend(RowFinding(number, data.sku, f) for f in findings)
        device_id = self.id_of_sku.get(data.sku)
        if device_id is None:
            self._create(number, data, findings)
        else:
            # A SKU seen earlier in this file was refused above as a duplicate, so a known
            # SKU here is a stored device.
            self._update(number, data, findings, device_id)

    def _status_ok(
        self,
        number: int,
        data: DeviceInput,
        findings: Sequence[ClaimFinding],
        *,
        current: str | None,
        changed: bool,
        waived: set[tuple[str, str]],
    ) -> bool:
        problem = workflow.import_status_problem(
            data.status,
            current=current,
            changed=changed,
            role=self.role,
            findings=findings,
            waivers=waived,
        )
        if problem:
            self.problem(number, "status", problem)
        return problem is None

    def _create(self, number: int, data: DeviceInput, findings: list[ClaimFinding]) -> None:
        if not self._status_ok(number, data, findings, current=None, changed=True, waived=set()):
            return
        self.sku_of_slug[data.slug] = data.sku
        self.report.created += 1
        if not self.report.problems:  # once nothing will be written, only keep checking
            self.creates.append((data, findings))

    def _update(
        self, number: int, data: DeviceInput, findings: Sequence[ClaimFinding], device_id: int
    ) -> None:
        device = self.session.get(Device, device_id)
        assert device is not None
        self.versions[device_id] = device.version
        stored = crud.device_snapshot(self.session, device)
        old, new = _comparable(stored), _comparable(crud.input_snapshot(data))
        # The workflow asks whether the listing was edited; a status change alone is a move.
        edited = {**old, "status": None} != {**new, "status": None}
        waived = audit.waivers_of(self.session, device_id)
        if not self._status_ok(
            number, data, findings, current=device.status, changed=edited, waived=waived
        ):
            return
        if old == new:
            self.report.unchanged += 1
            return
        self.sku_of_slug.pop(device.slug, None)
        self.sku_of_slug[data.slug] = data.sku
        self.report.updated += 1
        if not self.report.problems:
            self.updates.append((device_id, data))


def _check_unmoved(session: Session, run: _Run) -> None:
    """``ImportConflict`` unless every device the file names is still at the version read,
    and no new SKU or slug of the file has been taken meanwhile."""
    ids = list(run.versions)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        query = select(Device.id, Device.version).where(col(Device.id).in_(chunk))
        now = {device_id: version for device_id, version in session.execute(query)}
        if any(now.get(i) != run.versions[i] for i in chunk):
            raise ImportConflict
    owner = {data.slug: data.sku for data, _ in run.creates}
    owner.update({data.slug: data.sku for _, data in run.updates})
    new_skus = [data.sku for data, _ in run.creates]
    slugs = list(owner)
    for start in range(0, max(len(new_skus), len(slugs)), BATCH):
        skus, some_slugs = new_skus[start : start + BATCH], slugs[start : start + BATCH]
        taken = session.execute(
            select(Device.sku, Device.slug).where(
                or_(col(Device.sku).in_(skus), col(Device.slug).in_(some_slugs))
            )
        )
        if any(sku in skus or owner.get(slug, sku) != sku for sku, slug in taken):
            raise ImportConflict


def _write(db: Database, run: _Run) -> None:
    """The write phase: one short transaction of bulk statements, rows in SKU order.

    On PostgreSQL whole imports are serialised by an advisory lock (an import waits for the
    one before it instead of deadlocking on its rows); on SQLite ``BEGIN IMMEDIATE`` does it.
    """
    with db.writing() as session:
        if not is_sqlite(db.url):
            session.execute(sql(f"SET LOCAL lock_timeout = '{IMPORT_WAIT_SECONDS}s'"))
            session.execute(sql("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK_KEY})
            session.execute(sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'"))
        _check_unmoved(session, run)
        creates = sorted(run.creates, key=lambda item: item[0].sku)
        for start in range(0, len(creates), BATCH):
            batch = creates[start : start + BATCH]
            ids = crud.create_devices(
                session,
                items=[data for data, _ in batch],
                bands=run.context.bands,
                user_id=run.user_id,
                action="import",
            )
            # The findings were computed for the report already: store them rather than
            # checking every listing twice (what audit.refresh_findings would do).
            rows = [
                audit.finding_row(device_id, f)
                for device_id, (_, findings) in zip(ids, batch, strict=True)
                for f in findings
            ]
            if rows:
                session.execute(insert(Finding), rows)
        for device_id, data in sorted(run.updates, key=lambda item: item[1].sku):
            device = session.get(Device, device_id)
            assert device is not None
            crud.update_device(
                session,
                device=device,
                data=data,
                bands=run.context.bands,
                expected_version=run.versions[device_id],
                user_id=run.user_id,
                action="import",
                audit_context=run.context,
            )
        if len(run.creates) + len(run.updates) >= STATISTICS_AFTER_ROWS:
            refresh_statistics(session)


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
    user_id: int | None = None,
    role: str = "admin",
    progress: Progress | None = None,
) -> ImportReport:
    """Import a device file; the report says what happened (or would have, or why not).

    ``role`` is the importer's: a row's status moves as that role's buttons would move it
    (``workflow.import_moves``). The command line imports as an operator, that is as admin.
    """
    report = ImportReport(dry_run=dry_run)
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
        with db.session() as session:
            run = _Run(session, report, user_id=user_id, role=role)
            for done, (number, row) in enumerate(records, start=1):
                run.row(number, row)
                if progress and (done % 200 == 0 or done == report.rows):
                    progress(done, report.rows)
        if not report.ok:
            report.created = report.updated = 0
            return report
        if dry_run or not (run.creates or run.updates):
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
