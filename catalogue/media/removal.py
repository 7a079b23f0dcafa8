"""When a picture's files may go: after the change that dropped its last row has committed,
and never while another request is putting the same picture on a device.

Files are named by content, so one picture's files can belong to several image rows (the
same photo on two devices), and a removal can meet an upload of the same bytes. Unguarded:
request A deletes the last row showing picture P and, after its commit, finds no row for P;
meanwhile request B has written P's files for another device and is about to commit its row;
A deletes the files and B's new row points at nothing.

So both sides take a lock per picture inside a write transaction: an upload writes the files
and inserts its row while it holds the lock (``hold``), a removal looks for rows and deletes
files while it holds it (``remove_unused``). Whoever comes second sees what the first did:
the row (and keeps the files) or the missing files (and writes them again). On PostgreSQL the
lock is a transaction advisory lock per content hash; SQLite already runs one write
transaction at a time (``BEGIN IMMEDIATE``), which is the same lock, only coarser.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceImage
from catalogue.media import images
from catalogue.media.storage import MediaStore

# The first of the two 32-bit keys of every picture lock ("ME"): PostgreSQL keeps two-key
# advisory locks apart from one-key ones such as the import lock.
LOCK_SPACE = 0x4D45

Dropped = list[tuple[str, int]]  # (content hash, width) of pictures whose rows went


def hold(session: Session, content_hashes: Iterable[str]) -> None:
    """Lock these pictures until the session's transaction ends (a write transaction)."""
    connection = session.connection()  # begins it: on SQLite that takes the write lock
    if connection.dialect.name != "postgresql":
        return
    for content_hash in sorted(set(content_hashes)):  # one order everywhere: no deadlock
        session.execute(
            text("SELECT pg_advisory_xact_lock(:space, :key)"),
            {"space": LOCK_SPACE, "key": int(content_hash[:8], 16) - 2**31},
        )


def remove_unused(db: Database, store: MediaStore, dropped: Iterable[tuple[str, int]]) -> list[str]:
    """Delete the files of ``dropped`` pictures that no image row shows any more; returns
    the names deleted. Call it after the change that dropped them has committed."""
    dropped = list(dropped)
    if not dropped:
        return []
    with db.writing() as session:
        hold(session, [h for h, _ in dropped])
        names = images.orphaned_names(session, dropped)
        store.remove(names)
    return names


@contextmanager
def writing(db: Database, store: MediaStore) -> Iterator[Session]:
    """``db.writing()`` that, once the transaction has committed, deletes the files of every
    picture it dropped (an image row deleted, or a device deleted with its pictures) that no
    other row shows. A transaction that rolls back deletes nothing."""
    dropped: Dropped = []

    def collect(session: Session, _context: Any, _instances: Any) -> None:
        gone_devices = []
        for obj in session.deleted:
            if isinstance(obj, DeviceImage):
                dropped.append((obj.content_hash, obj.width))
            elif isinstance(obj, Device) and obj.id is not None:
                gone_devices.append(obj.id)
        if gone_devices:  # the database deletes their image rows by cascade
            with session.no_autoflush:
                dropped.extend(
                    session.execute(
                        select(DeviceImage.content_hash, DeviceImage.width).where(
                            col(DeviceImage.device_id).in_(gone_devices)
                        )
                    ).tuples()
                )

    listening: Session | None = None
    try:
        with db.writing() as session:
            listening = session
            event.listen(session, "before_flush", collect)
            yield session
    finally:
        if listening is not None:
            event.remove(listening, "before_flush", collect)
    remove_unused(db, store, dropped)
