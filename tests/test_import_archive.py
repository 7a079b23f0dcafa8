"""The zip itself: each guard refuses the whole zip with its own message (never a 500), folders
inside it work predictably, and the command line and the import page take it."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from catalogue.cli import main
from catalogue.data.db import Database
from catalogue.imports import archive, importer
from catalogue.media.storage import MediaStore
from catalogue.settings import Settings
from tests import media_support as m
from tests.archive_support import csv_text, files, galleries, import_zip, row, zip_of


@pytest.fixture
def cli_env(db_url: str) -> dict[str, str]:
    return {"DATABASE_URL": db_url, "CATALOGUE_ENV": "test", "SECRET_KEY": "s" * 40}


@pytest.fixture
def store(settings: Settings) -> MediaStore:
    return MediaStore(settings.media_dir)


def _entry(name: str, data: bytes, **attributes: Any) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("devices.csv", csv_text(row()))
        info = zipfile.ZipInfo(name)
        for key, value in attributes.items():
            setattr(info, key, value)
        z.writestr(info, data)
    return out.getvalue()


def _encrypted() -> bytes:
    """A member marked encrypted (zipfile cannot write one, so the flag is set afterwards)."""
    data = bytearray(_entry("secret.jpg", b"x"))
    data[data.rfind(b"PK\x03\x04") + 6] |= 0x1  # the local header's flags
    data[data.rfind(b"PK\x01\x02") + 8] |= 0x1  # the central directory's
    return bytes(data)


def _duplicated() -> bytes:
    out = io.BytesIO()
    with pytest.warns(UserWarning), zipfile.ZipFile(out, "w") as z:
        z.writestr("devices.csv", csv_text(row()))
        z.writestr("devices.csv", csv_text(row()))
    return out.getvalue()


GUARDS: list[tuple[str, Any, str]] = [
    ("damaged", lambda: b"PK\x03\x04" + b"\x00" * 200, "the zip cannot be read"),
    ("parent path", lambda: _entry("../evil.jpg", b"x"), "paths with '..' could lead outside"),
    ("absolute path", lambda: _entry("/etc/evil.jpg", b"x"), "a path from a root"),
    ("drive letter", lambda: _entry("C:\\evil.jpg", b"x"), "a path from a root"),
    (
        "symlink",
        lambda: _entry("link.jpg", b"/etc/passwd", external_attr=(stat.S_IFLNK | 0o777) << 16),
        "'link.jpg', a symbolic link",
    ),
    ("encrypted", _encrypted, "'secret.jpg' encrypted"),
    (
        "bomb",
        lambda: _entry("zeros.jpg", b"\x00" * (8 << 20), compress_type=zipfile.ZIP_DEFLATED),
        "'zeros.jpg', which unpacks to 1,0",
    ),
    ("twice", _duplicated, "holds 'devices.csv' twice"),
    ("no device file", lambda: zip_of({"a.jpg": m.jpeg()}), "holds no device file"),
    (
        "two device files",
        lambda: zip_of({"a.csv": csv_text(row()), "b/c.json": "[]"}),
        "holds 2 device files (a.csv, b/c.json)",
    ),
]


@pytest.mark.parametrize(("build", "message"), [g[1:] for g in GUARDS], ids=[g[0] for g in GUARDS])
def test_each_guard_refuses_the_whole_zip_with_its_message(
    db: Database, store: MediaStore, build: Any, message: str
) -> None:
    report = import_zip(db, store, build())
    assert [(p.row, p.column) for p in report.problems] == [(None, "file")]
    assert message in report.problems[0].message
    assert galleries(db) == {} and files(store) == []


@pytest.mark.parametrize(
    ("limit", "value", "message"),
    [
        ("MAX_ARCHIVE_BYTES", 1000, "the zip is 0 MB; the most we take is 0 MB"),
        ("MAX_MEMBERS", 2, "the zip holds 3 files; the most we take is 2"),
        ("MAX_UNCOMPRESSED", 5000, "the zip unpacks to 0 MB; the most we take is 0 MB in all"),
    ],
)
def test_size_and_count_caps(
    db: Database,
    store: MediaStore,
    monkeypatch: pytest.MonkeyPatch,
    limit: str,
    value: int,
    message: str,
) -> None:
    monkeypatch.setattr(archive, limit, value)
    data = zip_of({"devices.csv": csv_text(row()), "a.jpg": m.jpeg(), "b.jpg": m.png()})
    report = import_zip(db, store, data)
    assert [str(p) for p in report.problems] == [f"file: {message}"]


def test_a_device_file_over_its_limit_is_named_with_its_size(
    db: Database, store: MediaStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "MAX_BYTES", 100)
    report = import_zip(db, store, zip_of({"d/devices.csv": csv_text(row())}))
    assert [str(p) for p in report.problems] == [
        "file: the zip holds 'd/devices.csv' of 0.0 MB; a device file is at most 0 MB "
        "(split it over several zips)"
    ]


def test_the_command_line_refuses_a_bad_zip_with_a_message_and_exit_1(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "evil.zip"
    source.write_bytes(_entry("../../evil.jpg", b"x"))
    result = CliRunner().invoke(main, ["import", str(source)], env=cli_env)
    assert result.exit_code == 1
    assert (
        "file: the zip holds '../../evil.jpg'; paths with '..' could lead outside" in result.output
    )
    assert "Traceback" not in result.output


def test_folders_inside_the_zip_are_read_from_the_device_files_folder(
    db: Database, store: MediaStore
) -> None:
    """A zipped folder (``export/devices.csv``), Windows separators and macOS's extra files."""
    data = zip_of(
        {
            "export/devices.csv": csv_text(row(images="images/a.jpg | Front\nb.png | Side")),
            "export\\images\\a.jpg": m.jpeg(),
            "export/b.png": m.png(),
            "__MACOSX/export/._devices.csv": b"\x00\x05\x16\x07",
            "export/.DS_Store": b"\x00",
            "export/notes/unused.txt": "not named by any row, so never read",
        }
    )
    report = import_zip(db, store, data)
    assert report.ok, report.problems
    assert [alt for _, alt, _ in galleries(db)["PIC-1"]] == ["Front", "Side"]


def test_a_picture_is_found_only_under_the_device_files_folder(
    db: Database, store: MediaStore
) -> None:
    data = zip_of({"export/devices.csv": csv_text(row(images="a.jpg | Front")), "a.jpg": m.jpeg()})
    report = import_zip(db, store, data)
    assert [str(p) for p in report.problems] == [
        "row 2, images: a.jpg: there is no such file in the zip"
    ]


def test_the_command_line_imports_and_exports_a_zip(
    cli_env: dict[str, str], db: Database, settings: Settings, tmp_path: Path
) -> None:
    source = tmp_path / "in.zip"
    source.write_bytes(
        zip_of({"devices.csv": csv_text(row(images="a.jpg | Front")), "a.jpg": m.jpeg()})
    )
    env = {**cli_env, "MEDIA_DIR": str(settings.media_dir)}
    result = CliRunner().invoke(main, ["import", str(source)], env=env)
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.zip"
    result = CliRunner().invoke(main, ["export", "--zip", "--output", str(out)], env=env)
    assert result.exit_code == 0, result.output
    [(content_hash, _, _)] = galleries(db)["PIC-1"]
    with zipfile.ZipFile(out) as z:
        assert z.namelist() == ["devices.csv", f"images/{content_hash}.jpg"]
    result = CliRunner().invoke(main, ["export", "--zip"], env=env)
    assert result.exit_code == 2 and "--output" in result.output


def test_the_import_page_takes_a_zip_and_the_export_page_gives_one(
    staff: Any, db: Database
) -> None:
    client = staff("merchandiser")
    data = zip_of({"devices.csv": csv_text(row(images="a.jpg | Front")), "a.jpg": m.jpeg()})
    response = client.form(
        "/admin/import", files={"file": ("pictures.zip", data, "application/zip")}
    )
    assert response.status_code == 200, response.text
    assert [alt for _, alt, _ in galleries(db)["PIC-1"]] == ["Front"]
    exported = client.get("/admin/export.zip")
    assert exported.status_code == 200
    assert exported.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(exported.content)) as z:
        assert len(z.namelist()) == 2


@pytest.mark.parametrize(
    ("build", "message"), [g[1:] for g in GUARDS[:5]], ids=[g[0] for g in GUARDS[:5]]
)
def test_the_import_page_answers_a_refused_zip_with_a_400_naming_why(
    staff: Any, build: Any, message: str
) -> None:
    client = staff("merchandiser")
    response = client.form("/admin/import", files={"file": ("x.zip", build(), "application/zip")})
    assert response.status_code == 400
    assert message.replace("'", "&#39;") in response.text
