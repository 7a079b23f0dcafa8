"""Picture files go only after the change that dropped them commits, and never from under a
row that shows them: a deleted device, a rolled-back delete, a removal racing an upload."""

from __future__ import annotations

import threading
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceImage
from catalogue.media import images, removal, uploads
from catalogue.media.storage import MediaStore
from catalogue.settings import Settings
from tests import media_support as m
from tests.factories import add_device


@pytest.fixture
def store(settings: Settings) -> MediaStore:
    return MediaStore(settings.media_dir)


def _device(db: Database) -> str:
    with db.writing() as s:
        return add_device(s).slug


def _lookup(slug: str) -> Any:
    return lambda s: s.scalars(select(Device).where(Device.slug == slug)).one()


def _upload(db: Database, store: MediaStore, slug: str, data: bytes) -> DeviceImage:
    return uploads.upload(
        db,
        store,
        device=_lookup(slug),
        filename="p.jpg",
        data=data,
        alt_text="A panel",
        user_id=None,
    )


def _files_of(store: MediaStore, image: DeviceImage) -> list[Path]:
    return sorted(store.root.rglob(f"{image.content_hash}-*"))


def _image_rows(db: Database) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(DeviceImage.content_hash).order_by(DeviceImage.id)).all())


@pytest.mark.parametrize("commits", [True, False], ids=["committed", "rolled-back"])
def test_a_deleted_devices_files_go_only_once_the_delete_commits(
    db: Database, store: MediaStore, commits: bool
) -> None:
    slug, other = _device(db), _device(db)
    own = _upload(db, store, slug, m.png())
    shared = _upload(db, store, slug, m.jpeg())
    _upload(db, store, other, m.jpeg())  # the same picture on another device
    expected = nullcontext() if commits else pytest.raises(RuntimeError)
    with expected, removal.writing(db, store) as s:
        s.delete(_lookup(slug)(s))
        s.flush()
        # Until the commit every file is still there, for readers in other processes.
        assert len(_files_of(store, own)) == 6
        if not commits:
            raise RuntimeError("the transaction fails after the delete")
    assert len(_files_of(store, own)) == (0 if commits else 6)
    assert len(_files_of(store, shared)) == 6  # still shown by the other device
    assert len(_image_rows(db)) == (1 if commits else 3)


def test_a_removal_that_rolls_back_keeps_the_files(
    db: Database, store: MediaStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    slug = _device(db)
    image = _upload(db, store, slug, m.jpeg())

    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the claim check fails inside the removal's transaction")

    monkeypatch.setattr(images.audit, "refresh_findings", fail)
    with pytest.raises(RuntimeError):
        uploads.remove(db, store, device=_lookup(slug), image_id=image.id or 0, user_id=None)
    assert len(_files_of(store, image)) == 6
    assert _image_rows(db) == [image.content_hash]


def test_a_removal_racing_an_upload_of_the_same_picture_leaves_its_files(
    db: Database, store: MediaStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A removes the last row of picture P while B puts P on another device. B stops right
    after writing P's files; A runs as far as it can; then B commits. Whatever the order, the
    row B committed must find its files."""
    leaving, arriving = _device(db), _device(db)
    old = _upload(db, store, leaving, m.jpeg())
    saved, go = threading.Event(), threading.Event()
    real_save = MediaStore.save

    def save_then_wait(self: MediaStore, processed: Any) -> None:
        real_save(self, processed)
        saved.set()
        go.wait(30)

    monkeypatch.setattr(MediaStore, "save", save_then_wait)
    errors: list[BaseException] = []

    def run(job: Any) -> None:
        try:
            job()
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)

    b = threading.Thread(target=run, args=(lambda: _upload(db, store, arriving, m.jpeg()),))
    a = threading.Thread(
        target=run,
        args=(
            lambda: uploads.remove(
                db, store, device=_lookup(leaving), image_id=old.id or 0, user_id=None
            ),
        ),
    )
    b.start()
    assert saved.wait(30)
    a.start()
    a.join(1.0)  # A deletes what it may; with the lock it waits for B here
    go.set()
    a.join(30)
    b.join(30)
    assert not errors
    with db.session() as s:
        rows = s.scalars(select(DeviceImage)).all()
    assert [r.content_hash for r in rows] == [old.content_hash]
    assert len(_files_of(store, old)) == 6


def test_an_upload_after_a_removal_writes_the_files_again(db: Database, store: MediaStore) -> None:
    slug = _device(db)
    image = _upload(db, store, slug, m.jpeg())
    uploads.remove(db, store, device=_lookup(slug), image_id=image.id or 0, user_id=None)
    assert _files_of(store, image) == []
    again = _upload(db, store, _device(db), m.jpeg())
    assert again.content_hash == image.content_hash
    assert len(_files_of(store, again)) == 6
