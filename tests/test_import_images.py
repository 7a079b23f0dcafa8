"""The ``images`` column: a zip brings each row's pictures through the upload pipeline, a bad
or missing picture is a problem at its row and column with nothing written, galleries change
as rows say (with a history entry), plain CSV re-imports keep pictures they name."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceChange, DeviceImage
from catalogue.imports import importer
from catalogue.imports.exporter import export_devices
from catalogue.media.storage import MediaStore
from catalogue.settings import Settings
from tests import media_support as m
from tests.archive_support import csv_text, files, galleries, import_zip, row, zip_of


@pytest.fixture
def store(settings: Settings) -> MediaStore:
    return MediaStore(settings.media_dir)


def _counts(db: Database) -> tuple[int, int, int]:
    with db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Device)) or 0,
            s.scalar(select(func.count()).select_from(DeviceImage)) or 0,
            s.scalar(select(func.count()).select_from(DeviceChange)) or 0,
        )


def _history(db: Database, sku: str) -> list[tuple[str, dict[str, Any]]]:
    with db.session() as s:
        query = (
            select(DeviceChange.action, DeviceChange.changes)
            .join(Device, col(Device.id) == col(DeviceChange.device_id))
            .where(Device.sku == sku)
            .order_by(col(DeviceChange.id))
        )
        return [(a, c) for a, c in s.execute(query)]


def test_a_zip_brings_each_rows_pictures_in_order_with_alt_text_and_the_main_one(
    db: Database, store: MediaStore
) -> None:
    cell = "images/front.jpg | The panel from the front\n*images/side.png | The panel's side; 2 cm"
    data = zip_of(
        {
            "devices.csv": csv_text(row(images=cell)),
            "images/front.jpg": m.jpeg(1600, 1200),
            "images/side.png": m.png(),
        }
    )
    report = import_zip(db, store, data)
    assert report.ok, report.problems
    assert report.created == 1
    gallery = galleries(db)["PIC-1"]
    assert [(alt, main) for _, alt, main in gallery] == [
        ("The panel from the front", False),
        ("The panel's side; 2 cm", True),
    ]
    for content_hash, _, _ in gallery:
        assert len([p for p in files(store) if p.name.startswith(content_hash)]) == 6
    # The pictures are part of the device's history, in the import's own entry.
    entries = [(a, c["images"]) for a, c in _history(db, "PIC-1") if "images" in c]
    assert entries == [
        ("import", [[], ["The panel from the front", "The panel's side; 2 cm (main)"]])
    ]


BAD_PICTURES: list[tuple[str, str, dict[str, bytes], str]] = [
    (
        "missing",
        "images/gone.jpg | A panel",
        {},
        "images/gone.jpg: there is no such file in the zip",
    ),
    ("renamed html", "x.png | A panel", {"x.png": m.HTML}, "x.png: is not a JPEG, PNG or WebP"),
    ("svg", "x.png | A panel", {"x.png": m.SVG}, "x.png: is not a JPEG, PNG or WebP"),
    ("truncated", "x.jpg | A panel", {"x.jpg": m.jpeg(800, 600)[:2000]}, "x.jpg: is truncated"),
    ("bomb", "x.png | A panel", {"x.png": m.bomb_png()}, "x.png: has more than 40 megapixels"),
    ("too small", "x.jpg | A panel", {"x.jpg": m.jpeg(300, 100)}, "the shorter side must be"),
    ("animated", "x.webp | A panel", {"x.webp": m.animated_webp()}, "x.webp: is animated"),
    ("no alt text", "x.jpg |  ", {"x.jpg": m.jpeg()}, "x.jpg: Alt text is required"),
    ("no bar", "x.jpg", {"x.jpg": m.jpeg()}, "'x.jpg' is not one picture a line"),
    ("two mains", "*a.jpg | A\n*b.jpg | B", {}, "only one picture can be the main one"),
    ("twice", "a.jpg | A\nb.jpg | B", {"a.jpg": m.jpeg(), "b.jpg": m.jpeg()}, "b.jpg is the same"),
    ("escaping", "../a.jpg | A", {}, "'../a.jpg' is not a path inside the zip"),
    ("rooted", "/etc/a.jpg | A", {}, "'/etc/a.jpg' is not a path inside the zip"),
    (
        "nine",
        "\n".join(f"p{i}.jpg | Picture {i}" for i in range(9)),
        {f"p{i}.jpg": m.jpeg(400 + i, 300) for i in range(9)},
        "a device has at most 8 pictures; this row names 9",
    ),
]


@pytest.mark.parametrize(
    ("cell", "pictures", "message"),
    [case[1:] for case in BAD_PICTURES],
    ids=[case[0] for case in BAD_PICTURES],
)
def test_a_bad_or_missing_picture_is_a_problem_at_its_row_and_nothing_is_written(
    db: Database, store: MediaStore, cell: str, pictures: dict[str, bytes], message: str
) -> None:
    good = row(sku="OK-1", slug="fine-panel", images="images/ok.jpg | A fine panel")
    data = zip_of(
        {
            "devices.csv": csv_text(good, row(images=cell)),
            "images/ok.jpg": m.jpeg(700, 500),
            **pictures,
        }
    )
    report = import_zip(db, store, data)
    assert not report.ok
    assert [(p.row, p.column) for p in report.problems] == [(3, "images")]
    assert message in report.problems[0].message
    assert _counts(db) == (0, 0, 0)
    assert files(store) == []  # the good row's picture was written, then removed again


def test_valid_rows_only_skips_a_row_with_a_bad_picture_and_keeps_the_rest(
    db: Database, store: MediaStore
) -> None:
    data = zip_of(
        {
            "devices.csv": csv_text(
                row(sku="OK-1", slug="fine-panel", images="ok.jpg | A fine panel"),
                row(images="bad.png | A panel"),
            ),
            "ok.jpg": m.jpeg(),
            "bad.png": m.HTML,
        }
    )
    report = import_zip(db, store, data, valid_only=True)
    assert report.ok and report.problem_rows == [3]
    assert list(galleries(db)) == ["OK-1"]
    assert len(files(store)) == 6


def test_a_dry_run_checks_every_picture_and_writes_nothing(db: Database, store: MediaStore) -> None:
    data = zip_of({"devices.csv": csv_text(row(images="a.jpg | A panel")), "a.jpg": m.jpeg()})
    report = import_zip(db, store, data, dry_run=True)
    assert report.ok and report.created == 1
    assert _counts(db) == (0, 0, 0)
    assert files(store) == []


def _import_csv(db: Database, store: MediaStore, text: str) -> importer.ImportReport:
    return importer.import_devices(db, text.encode(), filename="devices.csv", media=store)


def _export(db: Database) -> str:
    out = io.StringIO()
    with db.session() as s:
        export_devices(s, out)
    return out.getvalue()


def test_a_rows_new_gallery_replaces_the_old_one_and_the_dropped_files_go(
    db: Database, store: MediaStore
) -> None:
    first = zip_of(
        {
            "devices.csv": csv_text(row(images="a.jpg | Front\nb.png | Side")),
            "a.jpg": m.jpeg(),
            "b.png": m.png(),
        }
    )
    assert import_zip(db, store, first).ok
    (front, _, _), (side, _, _) = galleries(db)["PIC-1"]
    exported = _export(db)
    assert f"images/{front}.jpg | Front\nimages/{side}.jpg | Side" in exported
    # A plain CSV names pictures the catalogue holds: reorder, new main, new alt text, drop.
    edited = exported.replace(
        f"images/{front}.jpg | Front\nimages/{side}.jpg | Side",
        f"images/{side}.jpg | The side, lit",
    )
    report = _import_csv(db, store, edited)
    assert report.ok and report.updated == 1, report.problems
    assert galleries(db)["PIC-1"] == [(side, "The side, lit", True)]
    assert not [p for p in files(store) if p.name.startswith(front)]
    assert len([p for p in files(store) if p.name.startswith(side)]) == 6
    action, changes = _history(db, "PIC-1")[-1]
    assert (action, changes["images"]) == (
        "import",
        [["Front (main)", "Side"], ["The side, lit (main)"]],
    )


def test_re_importing_an_export_changes_nothing(db: Database, store: MediaStore) -> None:
    data = zip_of({"devices.csv": csv_text(row(images="a.jpg | Front")), "a.jpg": m.jpeg()})
    assert import_zip(db, store, data).ok
    before = _counts(db), galleries(db), files(store)
    report = _import_csv(db, store, _export(db))
    assert report.ok and (report.updated, report.unchanged) == (0, 1)
    assert (_counts(db), galleries(db), files(store)) == before


def test_a_plain_csv_cannot_bring_a_new_picture(db: Database, store: MediaStore) -> None:
    report = _import_csv(db, store, csv_text(row(images="images/new.jpg | A panel")))
    assert [str(p) for p in report.problems] == [
        "row 2, images: images/new.jpg: a CSV or JSON file alone cannot bring new pictures; "
        "import a .zip holding the file and the pictures it names"
    ]


@pytest.mark.parametrize("form", ["no column", "empty cell", "empty JSON list"])
def test_a_file_without_pictures_for_a_row_leaves_its_pictures_alone(
    db: Database, store: MediaStore, form: str
) -> None:
    data = zip_of({"devices.csv": csv_text(row(images="a.jpg | Front")), "a.jpg": m.jpeg()})
    assert import_zip(db, store, data).ok
    before = galleries(db)
    renamed = row(name="Renamed Panel")
    if form == "no column":
        text = csv_text(renamed, columns=tuple(c for c in renamed if c != "images"))
    elif form == "empty cell":
        text = csv_text(renamed)  # every column, images empty
    else:
        text = json.dumps([{**renamed, "images": []}])
    report = importer.import_devices(db, text.encode(), media=store)
    assert report.ok and report.updated == 1, report.problems
    assert galleries(db) == before


def test_alt_text_is_claim_checked_with_the_row(db: Database, store: MediaStore) -> None:
    data = zip_of(
        {
            "devices.csv": csv_text(row(images="a.jpg | A panel that cures arthritis")),
            "a.jpg": m.jpeg(),
        }
    )
    report = import_zip(db, store, data, dry_run=True)
    assert [(f.row, f.finding.rule) for f in report.findings] == [(2, "cure-claim")]


def test_files_a_removal_took_meanwhile_are_written_again(db: Database, store: MediaStore) -> None:
    """Pictures are written while the file is read; if another request's removal of the same
    picture deletes them before the write phase, the write phase puts them back."""
    data = zip_of({"devices.csv": csv_text(row(images="a.jpg | Front")), "a.jpg": m.jpeg()})

    def remove_everything(done: int, total: int) -> None:
        if done == total:
            for path in files(store):
                path.unlink()

    report = import_zip(db, store, data, progress=remove_everything)
    assert report.ok
    [(content_hash, _, _)] = galleries(db)["PIC-1"]
    assert len([p for p in files(store) if p.name.startswith(content_hash)]) == 6
