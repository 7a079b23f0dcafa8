"""Bulk import of devices from CSV or JSON: all or nothing, with a report by row and column.

One engine serves ``catalogue import`` and the ``/admin/import`` page:

- The whole file is one transaction (on SQLite it takes the write lock up front). Any bad
  row, and nothing is written; ``--dry-run`` checks everything and rolls back too.
- Rows are upserted by SKU. A row that matches the stored device exactly changes nothing
  and writes no history, so exporting and re-importing a file is a no-op.
- Every problem is reported with its row and column: ``row 17, irradiance_mw_cm2: 900 is
  above the maximum 500``. CSV rows are numbered as a spreadsheet shows them (the header is
  row 1, the first device row 2); JSON items from 1.
- Claim findings are reported per row. Rows land as drafts unless they ask for a status; a
  status change takes the same workflow moves and roles as the buttons, and ``published``
  also a clean publish gate.
- Limits: 10 MB, 50,000 rows, known columns only, each SKU and slug once per file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from sqlalchemy import insert, or_
from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.claims import audit
from catalogue.core.claims.check import ClaimFinding
from catalogue.core.inputs import JSONInputError, formula_safe_row, load_json
from catalogue.data.db import STATISTICS_AFTER_ROWS, Database, is_sqlite, refresh_statistics
from catalogue.data.models import Device, Finding
from catalogue.devices import crud, workflow
from catalogue.devices.schemas import DeviceInput, parse_device
from catalogue.imports.devicefile import (
    COLUMNS,
    check_columns,
    parse_areas,
    parse_emissions,
    row_to_input,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# Longer than any field holds (a description is at most 20,000 characters), so a longer cell
# is refused by its row and column before anything else reads it.
MAX_CELL_CHARS = 25_000
BATCH = 500  # new devices inserted per statement batch
ATTEMPTS = 2  # a write phase that finds its devices moved on reads the file once more
# PostgreSQL: an import waits this long for the import before it, then a row lock of an
# editor's transaction this long, before it gives up with a conflict.
IMPORT_WAIT_SECONDS = 120
LOCK_TIMEOUT_SECONDS = 5
IMPORT_LOCK_KEY = 0x4C554D454E  # "LUMEN": one advisory lock for all imports
Format = Literal["csv", "json"]
Progress = Callable[[int, int], None]  # (rows done, rows in the file)


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason the file cannot be imported; ``row`` is None for the file as a whole."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, {self.column}" if self.row is not None else self.column
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class RowFinding:
    row: int
    sku: str
    finding: ClaimFinding


@dataclass
class ImportReport:
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    findings: list[RowFinding] = field(default_factory=list)
    conflict: bool = False  # another import changed these devices first: run it again

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run and (self.created + self.updated) > 0

    def summary(self) -> str:
        if not self.ok:
            return (
                f"nothing imported: {len(self.problems)} problem"
                f"{'s' if len(self.problems) != 1 else ''} in {self.rows} rows"
            )
        verb = "would create" if self.dry_run else "created"
        return (
            f"{verb} {self.created}, {'would update' if self.dry_run else 'updated'} "
            f"{self.updated}, unchanged {self.unchanged} of {self.rows} rows; "
            f"{len(self.findings)} claim findings"
        )

    def to_csv(self) -> str:
        """Problems, then claim findings, as a CSV to download: one line each."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["row", "column", "kind", "severity", "rule", "message"])
        for p in self.problems:
            writer.writerow(
                formula_safe_row([p.row or "", p.column, "problem", "error", "", p.message])
            )
        for f in self.findings:
            writer.writerow(
                formula_safe_row(
                    [
                        f.row,
                        "description",
                        "claim finding",
                        f.finding.severity,
                        f.finding.rule,
                        f"{f.finding.text!r}: {f.finding.message}"
                        if f.finding.text
                        else f.finding.message,
                    ]
                )
            )
        return out.getvalue()


class ImportFileError(ValueError):
    """The file as a whole cannot be read (size, encoding, header, row count)."""

    def __init__(self, message: str, column: str = "file") -> None:
        super().__init__(message)
        self.message, self.column = message, column


# --- reading the file ------------------------------------------------------------------


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise ImportFileError(
            f"the file is {len(raw) / 1024 / 1024:.1f} MB; "
            f"the limit is {MAX_BYTES // 1024 // 1024} MB"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02X} on line {line}); "
            "save it as UTF-8 and import again"
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ImportFileError("the file is empty")
    return text


def _too_many(count: int) -> ImportFileError:
    return ImportFileError(
        f"the file has {count:,} rows; at most {MAX_ROWS:,} can be imported at once, "
        "so split it into smaller files"
    )


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one by one. ``io.StringIO`` would copy the whole file into a
    buffer four bytes a character, which is most of an import's memory."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _long_cells(data: Mapping[str, Any]) -> list[str]:
    return [k for k, v in data.items() if isinstance(v, str) and len(v) > MAX_CELL_CHARS]


def _count_rows(text: str) -> int:
    """Device rows in a CSV text; a row the csv module refuses (a cell over its own limit of
    131,072 characters) still counts, and is reported when the rows are read."""
    reader = csv.reader(_lines(text))
    count = 0
    while True:
        try:
            next(reader)
        except StopIteration:
            return count - 1
        except csv.Error:
            pass
        count += 1


def _csv_records(text: str) -> tuple[int, Iterator[tuple[int, dict[str, Any]]]]:
    rows = csv.DictReader(_lines(text))
    try:
        header = list(rows.fieldnames or [])
    except csv.Error:
        raise ImportFileError("the header row cannot be read as CSV", "header") from None
    if long := [h for h in header if len(h) > 100]:
        raise ImportFileError(f"unknown column(s) {long[0][:40]!r}…", "header")
    errors = check_columns(header)
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        errors["header"] = f"column(s) {', '.join(duplicated)} appear more than once"
    if errors:
        raise ImportFileError(errors["header"], "header")
    # Counting first (cheap: no validation) refuses an oversized file before any work.
    count = _count_rows(text)
    if count > MAX_ROWS:
        raise _too_many(count)
    if count <= 0:
        raise ImportFileError("the file has a header but no device rows")

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        number = 1
        while True:
            number += 1
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error:  # a cell over the csv module's own limit
                yield number, {"__long__": ["row"]}
                continue
            # DictReader files cells beyond the header under the key None.
            extra = cast(dict[Any, Any], row).pop(None, None)
            if long := _long_cells(row):
                yield number, {"__long__": long}
                continue
            data = row_to_input(row)
            if extra:
                data["__extra__"] = extra
            yield number, data

    return count, records()


def json_to_input(item: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON object as the raw mapping ``parse_device`` validates.

    Emissions may be a list of ``{"wavelength_nm", "share_pct"}`` or the CSV spelling
    ``"660:50;850:50"``; areas a list or ``"knees;lower-back"``.
    """
    data = dict(item)
    if isinstance(data.get("emissions"), str):
        data["emissions"] = parse_emissions(data["emissions"])
    if isinstance(data.get("areas"), str):
        data["areas"] = parse_areas(data["areas"])
    if data.get("status") in (None, ""):
        data.pop("status", None)
    return data


def _json_records(text: str) -> tuple[int, Iterator[tuple[int, dict[str, Any]]]]:
    try:
        items = load_json(text)
    except JSONInputError as exc:  # bad JSON, nested too deep, a 5,000-digit number
        raise ImportFileError(str(exc).removeprefix("is ")) from None
    if not isinstance(items, list):
        raise ImportFileError("a JSON import is a list of device objects: [{...}, {...}]")
    if len(items) > MAX_ROWS:
        raise _too_many(len(items))
    if not items:
        raise ImportFileError("the file holds no devices")

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                yield number, {"__not_object__": True}
                continue
            if long := _long_cells(item):
                yield number, {"__long__": long}
                continue
            unknown = [k for k in item if k not in COLUMNS]
            data = json_to_input({k: v for k, v in item.items() if k in COLUMNS})
            if unknown:
                data["__unknown__"] = unknown
            yield number, data

    return len(items), records()


def open_records(text: str, fmt: Format) -> tuple[int, Iterator[tuple[int, dict[str, Any]]]]:
    if fmt == "json":
        return _json_records(text)
    if fmt == "csv":
        return _csv_records(text)
    raise ImportFileError(f"unknown format {fmt!r}; use csv or json")


def guess_format(filename: str | None, text: str) -> Format:
    if filename and filename.lower().endswith(".json"):
        return "json"
    if filename and filename.lower().endswith(".csv"):
        return "csv"
    return "json" if text.lstrip().startswith("[") else "csv"


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
