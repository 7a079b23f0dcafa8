"""The ``images`` column of an import: each row's pictures read, checked and processed in the
reading phase, and the galleries written in the write phase.

A row names its pictures by file (``devicefile.parse_images``). A name is found, in order:

1. in the zip the device file came in (``archive``): the bytes go through the same pipeline
   as an upload (``media.processing``), so a renamed HTML file or a bomb is refused with the
   same message, at the row and the ``images`` column. A file an export wrote
   (``images/<hash>.jpg``) whose bytes are still that picture's stored rendition is the
   picture already held, not a new one, so export -> import changes nothing;
2. as ``images/<hash>.jpg`` of a picture the catalogue already holds (a plain CSV export
   re-imported, or a picture moved to another device): no file is needed;
3. otherwise it is a problem at that row.

Processed files are written to ``MEDIA_DIR`` as soon as they are read (not in a dry run), so
the write transaction stays short; whatever no row uses in the end (the import failed, or a
row was refused) is removed again. The write phase locks the new pictures and writes any file
a concurrent removal took meanwhile again (``media.removal``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceImage
from catalogue.imports.devicefile import KNOWN_PICTURE, ImagesCellError, parse_images
from catalogue.media import images, removal
from catalogue.media.images import ImageEditRefused, Wanted
from catalogue.media.processing import (
    MAX_BYTES,
    ImageRefused,
    process,
    rendition_name,
    rendition_names,
    rendition_widths,
)
from catalogue.media.storage import MediaStore

COLUMN = "images"
Report = Callable[[str], None]  # a problem at this row's images column


class PictureFiles(Protocol):
    """Where an import's picture files are (a zip): looked up by the name a row gives."""

    def size(self, name: str) -> int | None:
        """Bytes of the file ``name`` uncompressed, or None when there is no such file."""

    def read(self, name: str, limit: int) -> bytes:
        """At most ``limit`` bytes of ``name``; ``ValueError`` saying why it cannot be read."""


class PictureNameError(ValueError):
    pass


def clean_name(name: str) -> str:
    """A row's file name as a path inside the zip: ``/`` separators, no ``.`` parts; one that
    points outside (``..``, a leading ``/`` or drive) is refused."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (parts and parts[0].endswith(":")):
        raise PictureNameError(f"{name!r} is not a path inside the zip (it starts at a root)")
    kept = [p for p in parts if p not in ("", ".")]
    if ".." in kept or not kept:
        raise PictureNameError(f"{name!r} is not a path inside the zip (no '..' in names)")
    return "/".join(kept)


@dataclass(frozen=True, slots=True)
class Found:
    content_hash: str
    width: int
    height: int


class ImportPictures:
    """One import's pictures; kept across its attempts, so nothing is processed twice."""

    def __init__(
        self, *, files: PictureFiles | None, store: MediaStore | None, dry_run: bool
    ) -> None:
        self.files, self.store, self.dry_run = files, store, dry_run
        self._found: dict[str, Found | str] = {}  # file -> the picture, or why not
        self._held: dict[str, Found | None] = {}  # hash -> a stored picture of that hash
        self.saved: dict[str, tuple[str, int]] = {}  # hash -> (the file it came from, width)
        self.dropped: list[tuple[str, int]] = []

    # --- the reading phase ---------------------------------------------------------------

    def _stored(self, session: Session, content_hash: str) -> Found | None:
        if content_hash not in self._held:
            row = session.execute(
                select(DeviceImage.width, DeviceImage.height)
                .where(DeviceImage.content_hash == content_hash)
                .limit(1)
            ).first()
            self._held[content_hash] = Found(content_hash, row[0], row[1]) if row else None
        return self._held[content_hash]

    def _same_as_stored(self, held: Found, data: bytes) -> bool:
        """Whether ``data`` is the widest JPEG rendition of ``held`` (what an export wrote)."""
        if self.store is None:
            return False
        widest = rendition_widths(held.width)[-1]
        path = self.store.path_for(rendition_name(held.content_hash, widest, "jpg"))
        try:
            return path is not None and path.read_bytes() == data
        except OSError:
            return False

    def _from_zip(self, session: Session, name: str, files: PictureFiles) -> Found:
        size = files.size(name)
        assert size is not None
        if size > MAX_BYTES:
            raise ImageRefused(name, f"is {size / 1048576:.1f} MB; the most we take is 10 MB")
        try:
            data = files.read(name, MAX_BYTES)
        except ValueError as exc:
            raise ImageRefused(name, str(exc)) from None
        known = KNOWN_PICTURE.match(name)
        held = self._stored(session, known["hash"]) if known else None
        if held is not None and self._same_as_stored(held, data):
            return held
        if self.store is None:
            raise ImageRefused(name, "cannot be stored: this import has no media folder")
        processed = process(data, name)
        if not self.dry_run:
            self.store.save(processed)
            self.saved[processed.content_hash] = (name, processed.width)
        return Found(processed.content_hash, processed.width, processed.height)

    def _find(self, session: Session, file: str) -> Found:
        name = clean_name(file)
        if name not in self._found:
            try:
                self._found[name] = self._locate(session, name)
            except (ImageRefused, PictureNameError) as exc:
                self._found[name] = str(exc)
        found = self._found[name]
        if isinstance(found, str):
            raise PictureNameError(found)
        return found

    def _locate(self, session: Session, name: str) -> Found:
        if self.files is not None and self.files.size(name) is not None:
            return self._from_zip(session, name, self.files)
        known = KNOWN_PICTURE.match(name)
        held = self._stored(session, known["hash"]) if known else None
        if held is not None:
            return held
        if self.files is not None:
            raise PictureNameError(f"{name}: there is no such file in the zip")
        raise PictureNameError(
            f"{name}: a CSV or JSON file alone cannot bring new pictures; import a .zip "
            "holding the file and the pictures it names"
        )

    def read(self, session: Session, value: object, problem: Report) -> list[Wanted] | None:
        """A row's ``images`` cell as the gallery it asks for, or None after reporting each
        of its problems (every picture is checked, so one round of fixes is enough)."""
        try:
            entries = parse_images(value)
        except ImagesCellError as exc:
            problem(str(exc))
            return None
        wanted: list[Wanted] = []
        ok = True
        if len(entries) > images.MAX_IMAGES:
            problem(
                f"a device has at most {images.MAX_IMAGES} pictures; this row names {len(entries)}"
            )
            ok = False
        first_of: dict[str, str] = {}
        for entry in entries:
            try:
                alt = images.clean_alt(entry.alt_text)
                found = self._find(session, entry.file)
            except ImageEditRefused as exc:
                problem(f"{entry.file}: {exc}")
                ok = False
                continue
            except PictureNameError as exc:
                problem(str(exc))
                ok = False
                continue
            earlier = first_of.setdefault(found.content_hash, entry.file)
            if earlier != entry.file:
                problem(f"{entry.file} is the same picture as {earlier}")
                ok = False
                continue
            wanted.append(Wanted(found.content_hash, found.width, found.height, alt, entry.main))
        return wanted if ok else None

    # --- the write phase -----------------------------------------------------------------

    def write(
        self,
        session: Session,
        galleries: Mapping[str, Sequence[Wanted]],
        *,
        user_id: int | None,
    ) -> None:
        """Inside the import's write transaction: lock the new pictures, write again any file
        taken meanwhile, and make each device's gallery what its row asks for."""
        if not galleries:
            return
        new = {w.content_hash for gallery in galleries.values() for w in gallery} & set(self.saved)
        removal.hold(session, new)
        for content_hash in sorted(new):
            self._restore(content_hash)
        skus = list(galleries)
        devices = {
            d.sku: d for d in session.scalars(select(Device).where(col(Device.sku).in_(skus)))
        }
        self.dropped.clear()
        for sku in sorted(galleries):
            device = devices[sku]
            assert device.id is not None
            before = {i.content_hash: i.width for i in images.images_of(session, device.id)}
            images.replace_gallery(
                session, device=device, wanted=galleries[sku], user_id=user_id, action="import"
            )
            kept = {w.content_hash for w in galleries[sku]}
            self.dropped.extend((h, w) for h, w in before.items() if h not in kept)

    def _restore(self, content_hash: str) -> None:
        """Write a new picture's files again when a removal of the same picture (on another
        device) deleted them after this import wrote them."""
        name, width = self.saved[content_hash]
        assert self.store is not None and self.files is not None
        if all(self.store.exists(n) for n in rendition_names(content_hash, width)):
            return
        self.store.save(process(self.files.read(name, MAX_BYTES), name))

    def finish(self, db: Database) -> None:
        """After the import, committed or not: the files of pictures no row shows (dropped
        from a gallery, or written for an import that did not go ahead) are deleted."""
        if self.store is not None:
            leftovers = [(h, w) for h, (_, w) in self.saved.items()]
            removal.remove_unused(db, self.store, [*leftovers, *self.dropped])
        self.saved.clear()
        self.dropped.clear()
