"""Import and export on the admin pages: the upload, its report, its limits, the CSV export."""

from __future__ import annotations

from catalogue.data.db import Database
from catalogue.imports import importer
from catalogue.imports.seed import seed_database
from tests.conftest import SEED_DIR
from tests.import_support import SEED_DEVICES, csv_file, fingerprint, row, upload


def test_upload_page_imports_and_offers_the_report(staff, db: Database) -> None:
    merchandiser = staff("merchandiser")
    response = upload(
        merchandiser, csv_file(row(), row(sku="IMP-2", slug="p2", irradiance_mw_cm2="900"))
    )
    assert response.status_code == 400
    assert "900 is above the maximum 500" in response.text
    link = response.text.split('href="/admin/import/report/')[1].split('"')[0]
    report = merchandiser.get(f"/admin/import/report/{link}")
    assert report.status_code == 200 and "text/csv" in report.headers["content-type"]
    assert "3,irradiance_mw_cm2,problem" in report.text
    assert staff("merchandiser").get(f"/admin/import/report/{link}").status_code == 404  # not yours
    good = upload(merchandiser, csv_file(row()))
    assert good.status_code == 200 and "created 1" in good.text


def test_oversized_upload_is_refused(staff, db: Database) -> None:
    before = fingerprint(db)
    response = upload(staff("merchandiser"), b"x" * (importer.MAX_BYTES + 300 * 1024))
    assert response.status_code == 413
    assert "larger than 10 MB" in response.text
    assert fingerprint(db) == before


def test_a_merchandiser_upload_cannot_publish(staff, db: Database) -> None:
    response = upload(staff("merchandiser"), csv_file(row(status="published")))
    assert response.status_code == 400
    assert "Approve and publish needs the qa role" in response.text


def test_export_csv_page_round_trips(staff, db: Database) -> None:
    with db.writing() as s:
        seed_database(s, SEED_DIR, devices=True)
    qa = staff("qa")
    response = qa.get("/admin/export.csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")
    report = importer.import_devices(db, response.content)
    assert report.ok and report.unchanged == SEED_DEVICES
    assert qa.get("/admin/export.csv?status=nonsense").status_code == 400
    published = qa.get("/admin/export.csv?status=published").text
    assert ",published," in published and ",draft," not in published
