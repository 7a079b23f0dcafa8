"""Picture changes an import makes are history entries like the editor's, by the person who
imported, and new words in alt text are an edit of a published device like any other."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlmodel import col, select

from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceChange
from catalogue.imports import importer
from catalogue.imports.exporter import export_devices
from catalogue.media.storage import MediaStore
from catalogue.settings import Settings
from tests import media_support as m
from tests.archive_support import csv_text, galleries, import_zip, row, zip_of


@pytest.fixture
def store(settings: Settings) -> MediaStore:
    return MediaStore(settings.media_dir)


def _entries(db: Database, sku: str) -> list[tuple[str, int | None, Any]]:
    with db.session() as s:
        query = (
            select(DeviceChange.action, DeviceChange.user_id, DeviceChange.changes)
            .join(Device, col(Device.id) == col(DeviceChange.device_id))
            .where(Device.sku == sku)
            .order_by(col(DeviceChange.id))
        )
        return [(a, u, c["images"]) for a, u, c in s.execute(query) if "images" in c]


def test_an_imports_picture_changes_are_on_the_devices_history(staff: Any, db: Database) -> None:
    client = staff("merchandiser")
    data = zip_of(
        {
            "devices.csv": csv_text(row(images="a.jpg | Front view\nb.png | Side view")),
            "a.jpg": m.jpeg(),
            "b.png": m.png(),
        }
    )
    upload = {"file": ("pictures.zip", data, "application/zip")}
    assert client.form("/admin/import", files=upload).status_code == 200
    exported = client.get("/admin/export.csv").text
    recaptioned = exported.replace("| Side view", "| Side view, stand folded")
    upload = {"file": ("devices.csv", recaptioned.encode(), "text/csv")}
    assert client.form("/admin/import", files=upload).status_code == 200

    entries = _entries(db, "PIC-1")
    assert [(action, images) for action, _, images in entries] == [
        ("import", [[], ["Front view (main)", "Side view"]]),
        (
            "import",
            [["Front view (main)", "Side view"], ["Front view (main)", "Side view, stand folded"]],
        ),
    ]
    assert len({user for _, user, _ in entries}) == 1 and entries[0][1] is not None
    page = client.get("/admin/devices/pictured-panel").text
    assert "<td>Image alt texts</td>" in page
    assert "Front view (main); Side view, stand folded" in page


def _published_with_a_picture(db: Database, store: MediaStore) -> str:
    data = zip_of({"devices.csv": csv_text(row(images="a.jpg | Front view")), "a.jpg": m.jpeg()})
    assert import_zip(db, store, data).ok
    out = io.StringIO()
    with db.writing() as s:
        s.scalars(select(Device)).one().status = "published"
    with db.session() as s:
        export_devices(s, out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("change", "status", "problem", "after"),
    [
        ("| Front view lit up", "published", "an edited published device goes back", "published"),
        ("| Front view lit up", "in_review", None, "in_review"),
        ("| Front view", "published", None, "published"),  # nothing new: no edit
    ],
    ids=["new-words-stay-published", "new-words-to-review", "same-words"],
)
def test_new_alt_text_by_import_is_an_edit_of_a_published_device(
    db: Database, store: MediaStore, change: str, status: str, problem: str | None, after: str
) -> None:
    exported = _published_with_a_picture(db, store)
    edited = exported.replace("| Front view", change).replace(",published,", f",{status},")
    report = importer.import_devices(
        db, edited.encode(), filename="d.csv", role="merchandiser", media=store
    )
    if problem is None:
        assert report.ok, report.problems
    else:
        assert [(p.row, p.column) for p in report.problems] == [(2, "status")]
        assert problem in report.problems[0].message
    with db.session() as s:
        assert s.scalars(select(Device.status)).one() == after
    alt = change.removeprefix("| ") if problem is None else "Front view"
    assert [a for _, a, _ in galleries(db)["PIC-1"]] == [alt]
