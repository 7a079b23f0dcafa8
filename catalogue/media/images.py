"""A device's images in the database: add, alt text, order, main image, remove, and reads.

Keyword-only functions that take the session and leave the commit to the caller, like
``devices.crud``. Every change is a history entry (``images``: the gallery before and after)
and refreshes the claim findings, because alt text is listing copy. A change that adds words
(a new image, new alt text) takes a published device back to review, as any edit does.

Files are not touched here: ``uploads`` writes them before the insert, and a removal hands
back the names the caller deletes once the transaction has committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.claims import audit
from catalogue.data.models import Device, DeviceChange, DeviceImage, utcnow
from catalogue.devices import workflow
from catalogue.media.processing import (
    ProcessedImage,
    rendition_height,
    rendition_name,
    rendition_names,
    rendition_widths,
)

MAX_IMAGES = 8
ALT_MAX = 300


class ImageEditRefused(ValueError):
    """An image change that is not allowed; nothing was written."""


def clean_alt(alt_text: str | None) -> str:
    """Alt text as stored, or ``ImageEditRefused`` saying what is wrong with it."""
    alt = " ".join((alt_text or "").split())
    if not alt:
        raise ImageEditRefused(
            "Alt text is required: describe what the picture shows for people who cannot see it."
        )
    if len(alt) > ALT_MAX:
        raise ImageEditRefused(f"Alt text is {len(alt)} characters; at most {ALT_MAX}.")
    return alt


def images_of(session: Session, device_id: int) -> list[DeviceImage]:
    query = (
        select(DeviceImage)
        .where(DeviceImage.device_id == device_id)
        .order_by(col(DeviceImage.position), col(DeviceImage.id))
    )
    return list(session.scalars(query).all())


def main_images(session: Session, device_ids: Sequence[int]) -> dict[int, DeviceImage]:
    """Each device's main image (the first one when none is marked), in one query."""
    if not device_ids:
        return {}
    query = (
        select(DeviceImage)
        .where(col(DeviceImage.device_id).in_(device_ids))
        .order_by(
            col(DeviceImage.device_id),
            col(DeviceImage.is_main).desc(),
            col(DeviceImage.position),
            col(DeviceImage.id),
        )
    )
    found: dict[int, DeviceImage] = {}
    for image in session.scalars(query):
        found.setdefault(image.device_id, image)
    return found


def gallery_summary(images: Iterable[DeviceImage]) -> list[str]:
    """The gallery as the history shows it: alt texts in order, the main one marked."""
    return [f"{i.alt_text} (main)" if i.is_main else i.alt_text for i in images]


def _record(
    session: Session,
    *,
    device: Device,
    before: list[str],
    user_id: int | None,
    action: str,
    adds_words: bool,
) -> None:
    """The history entry, the status rule for edits, and the findings again."""
    assert device.id is not None
    session.flush()
    after = gallery_summary(images_of(session, device.id))
    changes: dict[str, Any] = {"images": [before, after]}
    if adds_words:
        status = workflow.status_after_edit(device.status)
        if status != device.status:
            changes["status"] = [device.status, status]
            device.status = status
    device.updated_at = utcnow()
    device.updated_by_id = user_id
    session.add(DeviceChange(device_id=device.id, user_id=user_id, action=action, changes=changes))
    session.flush()
    audit.refresh_findings(session, device_id=device.id)


def _get(session: Session, device: Device, image_id: int) -> DeviceImage:
    image = session.get(DeviceImage, image_id)
    if image is None or image.device_id != device.id:
        raise ImageEditRefused(f"This device has no image {image_id}.")
    return image


def add_image(
    session: Session,
    *,
    device: Device,
    processed: ProcessedImage,
    alt_text: str,
    user_id: int | None = None,
    filename: str = "the image",
    action: str = "image_add",
    keep_status: bool = False,
) -> DeviceImage:
    """Add a processed picture at the end of the gallery (the main one when it is the first).

    ``keep_status`` is for loads that set the status themselves (the seed, an import)."""
    assert device.id is not None
    alt = clean_alt(alt_text)
    current = images_of(session, device.id)
    if len(current) >= MAX_IMAGES:
        raise ImageEditRefused(
            f"{filename}: a device has at most {MAX_IMAGES} images; delete one first."
        )
    if any(i.content_hash == processed.content_hash for i in current):
        raise ImageEditRefused(f"{filename}: this picture is already in the gallery.")
    image = DeviceImage(
        device_id=device.id,
        position=max((i.position for i in current), default=-1) + 1,
        is_main=not current,
        alt_text=alt,
        content_hash=processed.content_hash,
        width=processed.width,
        height=processed.height,
    )
    session.add(image)
    _record(
        session,
        device=device,
        before=gallery_summary(current),
        user_id=user_id,
        action=action,
        adds_words=not keep_status,
    )
    return image


def set_alt(
    session: Session, *, device: Device, image_id: int, alt_text: str, user_id: int | None = None
) -> None:
    assert device.id is not None
    image = _get(session, device, image_id)
    alt = clean_alt(alt_text)
    if alt == image.alt_text:
        return
    before = gallery_summary(images_of(session, device.id))
    image.alt_text = alt
    _record(
        session, device=device, before=before, user_id=user_id, action="image_alt", adds_words=True
    )


def set_main(
    session: Session, *, device: Device, image_id: int, user_id: int | None = None
) -> None:
    assert device.id is not None
    chosen = _get(session, device, image_id)
    current = images_of(session, device.id)
    if chosen.is_main:
        return
    before = gallery_summary(current)
    for image in current:
        image.is_main = image.id == chosen.id
    _record(
        session,
        device=device,
        before=before,
        user_id=user_id,
        action="image_main",
        adds_words=False,
    )


def move(
    session: Session, *, device: Device, image_id: int, step: int, user_id: int | None = None
) -> None:
    """Move an image ``step`` places (-1 earlier, +1 later) in the gallery."""
    assert device.id is not None
    image = _get(session, device, image_id)
    current = images_of(session, device.id)
    at = current.index(image)
    to = max(0, min(len(current) - 1, at + step))
    if to == at:
        return
    before = gallery_summary(current)
    current.insert(to, current.pop(at))
    for position, item in enumerate(current):
        item.position = position
    _record(
        session,
        device=device,
        before=before,
        user_id=user_id,
        action="image_move",
        adds_words=False,
    )


def remove_image(
    session: Session, *, device: Device, image_id: int, user_id: int | None = None
) -> list[tuple[str, int]]:
    """Delete an image row; returns its (content hash, width) for ``orphaned_names`` after the
    commit. The files stay until then, so a rolled-back delete loses nothing."""
    assert device.id is not None
    image = _get(session, device, image_id)
    current = images_of(session, device.id)
    before = gallery_summary(current)
    was_main = image.is_main
    session.delete(image)
    rest = [i for i in current if i.id != image.id]
    for position, item in enumerate(rest):
        item.position = position
    if was_main and rest:
        rest[0].is_main = True
    _record(
        session,
        device=device,
        before=before,
        user_id=user_id,
        action="image_remove",
        adds_words=False,
    )
    return [(image.content_hash, image.width)]


@dataclass(frozen=True, slots=True)
class Wanted:
    """A picture as an import asks for it: stored files of this content hash and size."""

    content_hash: str
    width: int
    height: int
    alt_text: str
    main: bool


def effective_gallery(current: Sequence[DeviceImage]) -> list[tuple[str, str, bool]]:
    """(hash, alt text, main) in order, the main one as the shop shows it (the marked one,
    else the first): what an import compares its row with."""
    main = next((i for i in current if i.is_main), current[0] if current else None)
    return [(i.content_hash, i.alt_text, i is main) for i in current]


def replace_gallery(
    session: Session,
    *,
    device: Device,
    wanted: Sequence[Wanted],
    user_id: int | None = None,
    action: str = "import",
) -> None:
    """Make the gallery exactly ``wanted`` (an import's row): rows of pictures no longer
    named are deleted (their files go after the commit, see ``media.removal``), the others
    kept or added, in order, with their alt text and the main mark. One history entry; the
    caller (the import) sets the status itself."""
    assert device.id is not None
    current = images_of(session, device.id)
    if effective_gallery(current) == [(w.content_hash, w.alt_text, w.main) for w in wanted]:
        return
    before = gallery_summary(current)
    keep = {w.content_hash for w in wanted}
    by_hash = {i.content_hash: i for i in current}
    for image in current:
        if image.content_hash not in keep:
            session.delete(image)
    session.flush()  # the deletes first: a position or hash is free before it is reused
    for position, w in enumerate(wanted):
        found = by_hash.get(w.content_hash)
        image = (
            found
            if found is not None
            else DeviceImage(
                device_id=device.id,
                content_hash=w.content_hash,
                width=w.width,
                height=w.height,
                alt_text=w.alt_text,
            )
        )
        session.add(image)
        image.position, image.is_main, image.alt_text = position, w.main, w.alt_text
    _record(session, device=device, before=before, user_id=user_id, action=action, adds_words=False)


def orphaned_names(session: Session, removed: Iterable[tuple[str, int]]) -> list[str]:
    """File names of removed images that no image row uses any more (the same picture may be
    on another device). Read after the commit, in a fresh session."""
    removed = list(removed)
    hashes = {h for h, _ in removed}
    if not hashes:
        return []
    used = set(
        session.scalars(
            select(DeviceImage.content_hash).where(col(DeviceImage.content_hash).in_(hashes))
        ).all()
    )
    return [name for h, w in removed if h not in used for name in rendition_names(h, w)]


def image_counts(session: Session, device_ids: Sequence[int]) -> dict[int, int]:
    if not device_ids:
        return {}
    rows = session.execute(
        select(DeviceImage.device_id, func.count())
        .where(col(DeviceImage.device_id).in_(device_ids))
        .group_by(col(DeviceImage.device_id))
    )
    return {d: n for d, n in rows}


@dataclass(frozen=True, slots=True)
class Picture:
    """An image as a page (or the JSON twin) shows it: rendition URLs, size and alt text.

    ``width`` and ``height`` are of the widest rendition; set on ``<img>`` they keep the page
    from jumping while the file loads."""

    id: int
    alt: str
    width: int
    height: int
    is_main: bool
    src: str  # the middle JPEG, for browsers that ignore srcset
    thumb: str  # the smallest WebP
    srcset_webp: str
    srcset_jpg: str


def media_url(content_hash: str, width: int, ext: str) -> str:
    return f"/media/{rendition_name(content_hash, width, ext)}"


def picture(image: DeviceImage) -> Picture:
    assert image.id is not None
    widths = rendition_widths(image.width)

    def srcset(ext: str) -> str:
        return ", ".join(f"{media_url(image.content_hash, w, ext)} {w}w" for w in widths)

    return Picture(
        id=image.id,
        alt=image.alt_text,
        width=widths[-1],
        height=rendition_height(image.width, image.height, widths[-1]),
        is_main=image.is_main,
        src=media_url(image.content_hash, widths[min(1, len(widths) - 1)], "jpg"),
        thumb=media_url(image.content_hash, widths[0], "webp"),
        srcset_webp=srcset("webp"),
        srcset_jpg=srcset("jpg"),
    )


def gallery(session: Session, device_id: int) -> list[Picture]:
    """A device's pictures in order, the main one first (the shop's device page)."""
    pictures = [picture(i) for i in images_of(session, device_id)]
    return sorted(pictures, key=lambda p: not p.is_main)


def main_pictures(session: Session, device_ids: Sequence[int]) -> dict[int, Picture]:
    return {d: picture(i) for d, i in main_images(session, device_ids).items()}
