"""A ``.zip`` import (one device file and the pictures its rows name) and the same zip written
by export.

The zip is read where it lies (a file, or the upload's spooled file), one member at a time;
nothing is extracted to disk. Before any row is read the whole zip is refused, with a message
naming the file inside it, when it holds:

- more than ``MAX_MEMBERS`` files, or more than ``MAX_UNCOMPRESSED`` bytes once unpacked,
  or a member that unpacks to more than ``MAX_RATIO`` times its packed size (a zip bomb).
  The sizes come from the zip's directory, and reading never goes past them: Python's
  zipfile stops at the declared size and fails the CRC of a member that lies;
- a name that leads outside it (``..``, a leading ``/``, a drive letter), a symbolic link,
  an encrypted member, or the same name twice;
- no device file (``.csv`` or ``.json``), or more than one.

Folders are kept as they are: picture names in the ``images`` column are paths from the
folder the device file is in (``images/front.jpg``), so a zip of a folder works like a zip of
its contents. ``__MACOSX/`` folders and ``.DS_Store``/``Thumbs.db`` files are left out, and a
backslash in a name is read as a folder separator, as Windows tools write them.
"""

from __future__ import annotations

import csv
import io
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from sqlalchemy.orm import Session

from catalogue.data.db import Database
from catalogue.imports import importer
from catalogue.imports.devicefile import COLUMNS, picture_file, snapshot_to_row
from catalogue.imports.exporter import BATCH, export_devices, snapshots
from catalogue.imports.reading import ImportFileError
from catalogue.imports.report import ImportReport, Problem
from catalogue.media.processing import rendition_name, rendition_widths
from catalogue.media.storage import MediaStore

MAX_ARCHIVE_BYTES = 256 * 1024 * 1024  # the zip as uploaded
MAX_UNCOMPRESSED = 1024 * 1024 * 1024  # every member unpacked
MAX_MEMBERS = 5_000  # a device file and 8 pictures for each of 600 devices, with room
MAX_RATIO = 100  # unpacked / packed; a CSV packs 5-10x, pictures about 1x
RATIO_FROM = 1024 * 1024  # tiny members may pack better than that without harm
DEVICE_FILE_TYPES = (".csv", ".json")
IGNORED_NAMES = (".DS_Store", "Thumbs.db")
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")


def is_zip(head: bytes) -> bool:
    """Whether a file starts like a zip (read from its bytes, never its name)."""
    return head[:4] in ZIP_SIGNATURES


def _mb(size: float) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def _refuse(message: str) -> ImportFileError:
    return ImportFileError(f"the zip {message}", "file")


def _clean(name: str) -> str | None:
    """A member's path with ``/`` separators, None for folders and files left out; refuses
    one that leads outside the zip."""
    path = name.replace("\\", "/")
    parts = path.split("/")
    if path.startswith("/") or parts[0].endswith(":"):
        raise _refuse(f"holds {name[:80]!r}, a path from a root; paths must stay inside the zip")
    if ".." in parts:
        raise _refuse(f"holds {name[:80]!r}; paths with '..' could lead outside the zip")
    if "\x00" in path:
        raise _refuse(f"holds a file whose name has a NUL character ({name[:80]!r})")
    kept = [p for p in parts if p not in ("", ".")]
    if not kept or path.endswith("/") or "__MACOSX" in kept or kept[-1] in IGNORED_NAMES:
        return None
    return "/".join(kept)


def _check(info: zipfile.ZipInfo, name: str) -> None:
    if stat.S_ISLNK(info.external_attr >> 16):
        raise _refuse(f"holds {name!r}, a symbolic link; put the file itself in the zip")
    if info.flag_bits & 0x1:
        raise _refuse(f"holds {name!r} encrypted; zip it without a password")
    if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(1, info.compress_size):
        raise _refuse(
            f"holds {name!r}, which unpacks to {info.file_size // max(1, info.compress_size):,}"
            f" times its packed size (at most {MAX_RATIO}): it looks like a zip bomb"
        )


@dataclass
class ImportArchive:
    """An opened zip: its device file, and its other files by their path from that file's
    folder (``pictures.PictureFiles``)."""

    zip: zipfile.ZipFile
    device_name: str
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    @property
    def folder(self) -> str:
        return self.device_name.rpartition("/")[0]

    def _path(self, name: str) -> str:
        return f"{self.folder}/{name}" if self.folder else name

    def size(self, name: str) -> int | None:
        info = self.members.get(self._path(name))
        return None if info is None else info.file_size

    def read(self, name: str, limit: int) -> bytes:
        return self._read(self.members[self._path(name)], limit)

    def _read(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        try:
            with self.zip.open(info) as member:
                return member.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise ValueError(f"is damaged inside the zip ({exc})") from None
        except NotImplementedError:
            raise ValueError("is packed with a method we cannot unpack; use plain zip") from None

    def device_file(self) -> bytes:
        info = self.members[self.device_name]
        if info.file_size > importer.MAX_BYTES:
            raise _refuse(
                f"holds {self.device_name!r} of {info.file_size / 1024 / 1024:.1f} MB; a device "
                f"file is at most {_mb(importer.MAX_BYTES)} (split it over several zips)"
            )
        try:
            return self._read(info, importer.MAX_BYTES)
        except ValueError as exc:
            raise _refuse(f"holds {self.device_name!r}, which {exc}") from None


def open_archive(source: IO[bytes]) -> ImportArchive:
    """The zip in ``source`` (seekable), checked as the module says; ``ImportFileError``."""
    size = source.seek(0, io.SEEK_END)
    source.seek(0)
    if size > MAX_ARCHIVE_BYTES:
        raise _refuse(f"is {_mb(size)}; the most we take is {_mb(MAX_ARCHIVE_BYTES)}")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise _refuse("cannot be read: it is damaged or not a zip file") from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(f"holds {len(infos):,} files; the most we take is {MAX_MEMBERS:,}")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise _refuse(
            f"unpacks to {_mb(total)}; the most we take is {_mb(MAX_UNCOMPRESSED)} in all"
        )
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = _clean(info.filename)
        if name is None:
            continue
        _check(info, name)
        if name in members:
            raise _refuse(f"holds {name!r} twice")
        members[name] = info
    device_files = sorted(n for n in members if n.lower().endswith(DEVICE_FILE_TYPES))
    if not device_files:
        raise _refuse("holds no device file: put one .csv or .json file in it")
    if len(device_files) > 1:
        raise _refuse(
            f"holds {len(device_files)} device files ({', '.join(device_files[:5])}); "
            "put exactly one .csv or .json file in it"
        )
    return ImportArchive(archive, device_files[0], members)


def import_upload(
    db: Database,
    source: IO[bytes],
    *,
    filename: str | None,
    media: MediaStore,
    fmt: importer.Format | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
    user_id: int | None = None,
    role: str = "admin",
    progress: importer.Progress | None = None,
) -> ImportReport:
    """Import a device file or a zip of one with its pictures (told apart by the bytes)."""
    options: dict[str, Any] = {
        "fmt": fmt,
        "dry_run": dry_run,
        "valid_only": valid_only,
        "user_id": user_id,
        "role": role,
        "progress": progress,
        "media": media,
    }
    head = source.read(4)
    source.seek(0)
    if not is_zip(head):
        raw = source.read(importer.MAX_BYTES + 1)
        return importer.import_devices(db, raw, filename=filename, **options)
    try:
        archive = open_archive(source)
        raw = archive.device_file()
    except ImportFileError as exc:
        report = ImportReport(dry_run=dry_run, valid_only=valid_only)
        report.problems.append(Problem(None, exc.column, exc.message))
        return report
    with archive.zip:
        return importer.import_devices(
            db, raw, filename=archive.device_name, files=archive, **options
        )


# --- export ---------------------------------------------------------------------------------


@dataclass
class ZipExport:
    devices: int = 0
    pictures: int = 0
    missing: list[str] = field(default_factory=list)  # pictures whose files are gone


def archive_pieces(
    session: Session,
    store: MediaStore,
    result: ZipExport,
    *,
    status: str | None = None,
    fmt: Literal["csv", "json"] = "csv",
) -> Iterator[bytes]:
    """The zip export piece by piece: ``devices.csv`` (or ``.json``), then
    ``images/<hash>.jpg`` for each picture it names, the widest JPEG rendition (the upload
    itself is never kept). Importing the zip into an empty catalogue gives the same devices
    and pictures; into this one, changes nothing. Files gone from ``MEDIA_DIR`` are listed
    in ``result.missing`` (and their rows then name a file the zip lacks)."""
    pipe = _Pipe()
    seen: dict[str, int] = {}
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(f"devices.{fmt}", "w", force_zip64=True) as member:
            text = io.TextIOWrapper(member, encoding="utf-8", newline="", write_through=True)
            if fmt == "csv":
                writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
                writer.writeheader()
                for snap in snapshots(session, status=status, pictures=seen):
                    writer.writerow(snapshot_to_row(snap))
                    result.devices += 1
                    if result.devices % BATCH == 0:
                        yield pipe.drain()
            else:
                result.devices = export_devices(
                    session, text, fmt="json", status=status, pictures=seen
                )
            text.detach()
        yield pipe.drain()
        for content_hash, width in sorted(seen.items()):
            name = rendition_name(content_hash, rendition_widths(width)[-1], "jpg")
            path = store.path_for(name)
            if path is None or not path.is_file():
                result.missing.append(picture_file(content_hash))
                continue
            # Pictures are JPEG already: packing them again only costs time.
            archive.write(path, picture_file(content_hash), compress_type=zipfile.ZIP_STORED)
            result.pictures += 1
            yield pipe.drain()
    yield pipe.drain()


def write_archive(
    session: Session,
    out: IO[bytes],
    store: MediaStore,
    *,
    status: str | None = None,
    fmt: Literal["csv", "json"] = "csv",
) -> ZipExport:
    """The zip export into ``out``; see ``archive_pieces``."""
    result = ZipExport()
    for piece in archive_pieces(session, store, result, status=status, fmt=fmt):
        out.write(piece)
    return result


class _Pipe(io.RawIOBase):
    """A write-only stream that is drained as the zip is written: the zip never sits whole
    in memory. It cannot seek, so zipfile writes each member's sizes after its data."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.chunks.append(chunk)
        self.position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self.position

    def drain(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def iter_archive(db: Database, store: MediaStore, *, status: str | None = None) -> Iterator[bytes]:
    """The zip export as a streamed download."""
    with db.session() as session:
        yield from archive_pieces(session, store, ZipExport(), status=status)
