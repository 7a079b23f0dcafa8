"""An upload from bytes to a stored image, and a removal from row to deleted files.

Order matters for readers in other processes: the renditions are written (atomically) before
the row that points at them commits, and deleted only after the row's removal commits. A
failed insert leaves files no row uses; they are removed at once when nothing else uses them.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceImage
from catalogue.media import images
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
    processed = process(data, filename)
    store.save(processed)
    try:
        with db.writing() as session:
            return images.add_image(
                session,
                device=device(session),
                processed=processed,
                alt_text=alt_text,
                user_id=user_id,
                filename=filename,
            )
    except BaseException:
        removed = [(processed.content_hash, processed.width)]
        with db.session() as session:
            store.remove(images.orphaned_names(session, removed))
        raise


def remove(
    db: Database, store: MediaStore, *, device: DeviceLookup, image_id: int, user_id: int | None
) -> None:
    with db.writing() as session:
        removed = images.remove_image(
            session, device=device(session), image_id=image_id, user_id=user_id
        )
    # Committed: now the files may go (unless another image row shows the same picture).
    with db.session() as session:
        store.remove(images.orphaned_names(session, removed))
