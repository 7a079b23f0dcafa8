"""An upload from bytes to a stored image, and a removal from row to deleted files.

Order matters for readers in other processes: the renditions are written (atomically) before
the row that points at them commits, and deleted only after the row's removal commits. Both
happen under the picture's lock (``removal.hold``), so a removal of the same picture running
at the same moment cannot delete files a new row is about to show. A failed insert leaves
files no row uses; they are removed at once when nothing else uses them.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceImage
from catalogue.media import images, removal
from catalogue.media.processing import process
from catalogue.media.storage import MediaStore

DeviceLookup = Callable[[Session], Device]


def upload(
    db: Database,
    store: MediaStore,
    *,
    device: DeviceLookup,
    filename: str,
    data: bytes,
    alt_text: str,
    user_id: int | None,
) -> DeviceImage:
    """Process, store and record one image. Raises ``ImageRefused`` (the file) or
    ``ImageEditRefused`` (the gallery); in both cases no row is written."""
    images.clean_alt(alt_text)  # refuse before the work of decoding
    processed = process(data, filename)  # the slow part, outside any transaction
    try:
        with db.writing() as session:
            removal.hold(session, [processed.content_hash])
            store.save(processed)
            return images.add_image(
                session,
                device=device(session),
                processed=processed,
                alt_text=alt_text,
                user_id=user_id,
                filename=filename,
            )
    except BaseException:
        removal.remove_unused(db, store, [(processed.content_hash, processed.width)])
        raise


def remove(
    db: Database, store: MediaStore, *, device: DeviceLookup, image_id: int, user_id: int | None
) -> None:
    """Delete one image; its files go once that has committed (unless another row shows
    the same picture)."""
    with removal.writing(db, store) as session:
        images.remove_image(session, device=device(session), image_id=image_id, user_id=user_id)
