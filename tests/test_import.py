"""Bulk import and export: every bad file refused whole with its message, upserts, round trip."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceChange
from catalogue.imports import importer
from catalogue.imports.devicefile import COLUMNS
from catalogue.imports.exporter import export_devices
from catalogue.imports.seed import seed_database
from tests.conftest import SEED_DIR
from tests.factories import add_device
from tests.import_support import HEADER, SEED_DEVICES, csv_file, fingerprint, row


@pytest.fixture
def existing(db: Database) -> Device:
    with db.writing() as s:
        return add_device(s, sku="OLD-1", slug="old-panel", name="Old Panel", status="draft")


many_rows = "\n".join(
    [HEADER, *(row(sku=f"S{n}", slug=f"s{n}") for n in range(importer.MAX_ROWS + 1))]
)

BAD_FILES: list[tuple[str, bytes, str]] = [
    (
        "bad number",
        csv_file(row(irradiance_mw_cm2="lots")),
        "row 2, irradiance_mw_cm2: 'lots' is not a number",
    ),
    (
        "out of range",
        csv_file(row(), row(sku="IMP-2", slug="p2", irradiance_mw_cm2="900")),
        "row 3, irradiance_mw_cm2: 900 is above the maximum 500",
    ),
    ("unknown area", csv_file(row(areas="knees;kneez")), "row 2, areas: unknown body area 'kneez'"),
    (
        "bad wavelength",
        csv_file(row(emissions="660;2000")),
        "row 2, emissions: emission 2, wavelength_nm: 2000 is above the maximum 1400",
    ),
    (
        "missing column",
        csv_file(header=HEADER.replace(",price", "")),
        "header: missing column(s) price",
    ),
    ("unknown column", csv_file(header=HEADER + ",colour"), "header: unknown column(s) 'colour'"),
    (
        "wrong encoding",
        csv_file(row(description="Caf\u00e9 grade")).replace(
            "Café".encode(), "Café".encode("latin-1")
        ),
        "file: the file is not UTF-8 (byte 0xE9 on line 2)",
    ),
    (
        "duplicate sku",
        csv_file(row(), row(slug="other-slug")),
        "row 3, sku: 'IMP-1' appears again (first in row 2)",
    ),
    (
        "duplicate slug",
        csv_file(row(), row(sku="IMP-2")),
        "row 3, slug: 'imported-panel' appears again (first in row 2)",
    ),
    (
        "slug of a stored device",
        csv_file(row(slug="old-panel")),
        "row 2, slug: 'old-panel' already belongs to the device OLD-1",
    ),
    ("empty file", b"", "file: the file is empty"),
    ("only a BOM", "\ufeff\n".encode(), "file: the file is empty"),
    ("header only", csv_file(), "file: the file has a header but no device rows"),
    (
        "too many rows",
        (many_rows + "\n").encode(),
        "file: the file has 50,001 rows; at most 50,000",
    ),
    ("too large", b"x" * (importer.MAX_BYTES + 1), "file: the file is 10.0 MB; the limit is 10 MB"),
    (
        "extra cells",
        csv_file(row() + ',"surplus"'),
        "row 2, row: the row has more cells than the header",
    ),
    (
        "publish with an error finding",
        csv_file(row(status="published", description="It cures arthritis.")),
        "row 2, status: cannot be published: cure-claim",
    ),
    ("unknown status", csv_file(row(status="live")), "row 2, status: 'live' is not one of"),
]


@pytest.mark.parametrize(("case", "raw", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_is_refused_whole_with_its_message(
    db: Database, existing: Device, case: str, raw: bytes, message: str
) -> None:
    before = fingerprint(db)
    # A good row first: it must not be written either.
    report = importer.import_devices(db, raw, fmt="csv")
    assert not report.ok
    assert any(message in str(p) for p in report.problems), [str(p) for p in report.problems]
    assert fingerprint(db) == before


BAD_JSON = [
    ("not json", b"{nope", "file: not valid JSON"),
    ("not a list", b'{"sku": "A"}', "a JSON import is a list"),
    (
        "unknown field",
        json.dumps([{"sku": "A", "colour": "red"}]).encode(),
        "row 1, row: unknown field(s) 'colour'",
    ),
    (
        "out of range",
        json.dumps(
            [
                {
                    "sku": "J-1",
                    "slug": "j-1",
                    "name": "J",
                    "brand": "B",
                    "form_factor": "pad",
                    "price": "50",
                    "currency": "EUR",
                    "emissions": [{"wavelength_nm": 660}],
                    "session_minutes": 90,
                }
            ]
        ).encode(),
        "row 1, session_minutes: 90 is above the maximum 60",
    ),
]


@pytest.mark.parametrize(("case", "raw", "message"), BAD_JSON, ids=[c[0] for c in BAD_JSON])
def test_bad_json_is_refused(
    db: Database, existing: Device, case: str, raw: bytes, message: str
) -> None:
    before = fingerprint(db)
    report = importer.import_devices(db, raw, fmt="json")
    assert any(message in str(p) for p in report.problems), [str(p) for p in report.problems]
    assert fingerprint(db) == before


def test_every_problem_is_reported_not_just_the_first(db: Database) -> None:
    raw = csv_file(
        row(price="0"),
        row(sku="B", slug="b", currency="ABC"),
        row(sku="C", slug="c", areas="elbow"),
    )
    report = importer.import_devices(db, raw)
    assert [str(p) for p in report.problems] == [
        "row 2, price: 0 is below the minimum 1",
        "row 3, currency: 'ABC' is not an ISO 4217 currency code we sell in",
        "row 4, areas: unknown body area 'elbow'",
    ]
    report_csv = report.to_csv().splitlines()
    assert report_csv[0] == "row,column,kind,severity,rule,message"
    assert report_csv[1] == "2,price,problem,error,,0 is below the minimum 1"


def test_good_file_with_bom_creates_drafts_and_reports_findings(db: Database) -> None:
    raw = "\ufeff".encode() + csv_file(
        row(), row(sku="IMP-2", slug="p2", description="This wrap cures arthritis.")
    )
    report = importer.import_devices(db, raw)
    assert report.ok, report.problems
    assert (report.created, report.updated) == (2, 0)
    assert [(f.row, f.finding.rule) for f in report.findings] == [(3, "cure-claim")]
    with db.session() as s:
        statuses = {d.sku: d.status for d in s.scalars(select(Device))}
        assert statuses == {"IMP-1": "draft", "IMP-2": "draft"}
        from catalogue.claims import audit

        counts = audit.finding_counts(
            s, [d.id for d in s.scalars(select(Device).where(Device.sku == "IMP-2"))]
        )
        assert next(iter(counts.values()))["error"] == 1  # findings are stored too


@pytest.mark.parametrize(
    ("role", "status", "problem"),
    [
        ("merchandiser", "draft", None),
        ("merchandiser", "in_review", None),
        ("merchandiser", "published", "Approve and publish needs the qa role"),
        ("merchandiser", "archived", "Approve and publish needs the qa role"),
        ("qa", "draft", None),
        ("qa", "in_review", "Submit for review needs the merchandiser role"),
        ("admin", "published", None),
        ("admin", "archived", None),
    ],
)
def test_a_new_row_takes_its_status_as_the_role_could_by_the_buttons(
    db: Database, role: str, status: str, problem: str | None
) -> None:
    report = importer.import_devices(db, csv_file(row(status=status)), role=role)
    assert [p.message for p in report.problems] == ([problem] if problem else [])


# (role, stored status, requested status, the problem or None); the row's other fields match
# the stored device, so only the status changes.
STATUS_CHANGES = [
    ("merchandiser", "published", "archived", "Archive needs the qa role"),
    ("merchandiser", "published", "draft", "Archive needs the qa role"),
    ("merchandiser", "in_review", "published", "Approve and publish needs the qa role"),
    ("merchandiser", "draft", "in_review", None),
    ("merchandiser", "archived", "draft", None),
    ("qa", "published", "archived", None),
    ("qa", "in_review", "published", None),
    ("qa", "archived", "draft", "Reopen as draft needs the merchandiser role"),
    ("admin", "published", "archived", None),
    ("admin", "archived", "draft", None),
]


@pytest.mark.parametrize(("role", "stored", "requested", "problem"), STATUS_CHANGES)
def test_a_status_change_by_import_obeys_the_workflow_and_roles(
    db: Database, role: str, stored: str, requested: str, problem: str | None
) -> None:
    assert importer.import_devices(db, csv_file(row(status=stored)), role="admin").ok
    report = importer.import_devices(db, csv_file(row(status=requested)), role=role)
    assert [p.message for p in report.problems] == ([problem] if problem else [])
    with db.session() as s:
        status = s.scalars(select(Device.status)).one()
    assert status == (stored if problem else requested)


def test_an_edit_of_a_published_row_goes_back_to_review_as_in_the_editor(db: Database) -> None:
    assert importer.import_devices(db, csv_file(row(status="published")), role="admin").ok
    refused = importer.import_devices(
        db, csv_file(row(name="Renamed", status="published")), role="merchandiser"
    )
    assert "edited published device goes back to in_review" in refused.problems[0].message
    done = importer.import_devices(
        db, csv_file(row(name="Renamed", status="in_review")), role="merchandiser"
    )
    assert done.ok and done.updated == 1


def test_upsert_by_sku_updates_and_records_history(db: Database, existing: Device) -> None:
    raw = csv_file(row(sku="OLD-1", slug="old-panel", name="Renamed Panel"), row())
    report = importer.import_devices(db, raw, user_id=None)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    with db.session() as s:
        device = s.scalars(select(Device).where(Device.sku == "OLD-1")).one()
        assert device.name == "Renamed Panel"
        last = s.scalars(
            select(DeviceChange)
            .where(DeviceChange.device_id == device.id)
            .order_by(DeviceChange.id.desc())
        ).first()
        assert (
            last is not None
            and last.action == "import"
            and last.changes["name"] == ["Old Panel", "Renamed Panel"]
        )


def test_dry_run_writes_nothing(db: Database, existing: Device) -> None:
    before = fingerprint(db)
    report = importer.import_devices(
        db, csv_file(row(), row(sku="OLD-1", slug="old-panel")), dry_run=True
    )
    assert report.ok and (report.created, report.updated) == (1, 1)
    assert "would create 1" in report.summary()
    assert fingerprint(db) == before


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_round_trip_changes_nothing(db: Database, fmt: str) -> None:
    with db.writing() as s:
        seed_database(s, SEED_DIR, devices=True)
    with db.session() as s:
        first = io.StringIO()
        count = export_devices(s, first, fmt=fmt)  # type: ignore[arg-type]
    assert count == SEED_DEVICES
    before = fingerprint(db)
    report = importer.import_devices(db, first.getvalue().encode(), fmt=fmt)  # type: ignore[arg-type]
    assert report.ok, report.problems[:3]
    assert (report.created, report.updated, report.unchanged) == (0, 0, SEED_DEVICES)
    assert fingerprint(db) == before
    with db.session() as s:
        second = io.StringIO()
        export_devices(s, second, fmt=fmt)  # type: ignore[arg-type]
    assert second.getvalue() == first.getvalue()


def test_export_into_an_empty_catalogue_imports_everything(db: Database, tmp_path) -> None:
    with db.writing() as s:
        seed_database(s, SEED_DIR, devices=True)
    with db.session() as s:
        out = io.StringIO()
        export_devices(s, out, fmt="json")
    items = json.loads(out.getvalue())
    assert len(items) == SEED_DEVICES and set(items[0]) == set(COLUMNS)
