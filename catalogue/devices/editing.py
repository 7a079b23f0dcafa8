"""The device editor's data layer: listing, saving, restoring, and reading the history.

Saving goes through ``crud`` (uniqueness, optimistic locking, history, findings) and the
workflow's rule for edits (a published device goes back to review).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.data.models import BodyArea, Device, DeviceChange, User
from catalogue.data.reference import load_bands
from catalogue.devices import crud, workflow
from catalogue.devices.schemas import DeviceInput, FieldErrors, parse_device


def user_emails(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.email).where(col(User.id).in_(wanted)))
    return {i: e for i, e in rows}


def get_device(session: Session, slug: str) -> Device | None:
    return session.scalars(select(Device).where(Device.slug == slug)).first()


def known_areas(session: Session) -> set[str]:
    return set(session.scalars(select(BodyArea.slug)).all())


def area_groups(session: Session) -> list[tuple[str, list[BodyArea]]]:
    """Body areas grouped as the article groups them, in the seed's order."""
    groups: dict[str, list[BodyArea]] = {}
    for area in session.scalars(select(BodyArea).order_by(col(BodyArea.position))).all():
        groups.setdefault(area.group, []).append(area)
    return list(groups.items())


def history(session: Session, device_id: int) -> list[DeviceChange]:
    query = (
        select(DeviceChange)
        .where(DeviceChange.device_id == device_id)
        .order_by(col(DeviceChange.id).desc())
    )
    return list(session.scalars(query).all())


class SaveRefused(Exception):
    """Input that does not validate; nothing was written."""

    def __init__(self, errors: FieldErrors) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _validate(session: Session, raw: Mapping[str, Any], status: str) -> DeviceInput:
    data, errors = parse_device({**raw, "status": status}, known_areas=known_areas(session))
    if data is None:
        raise SaveRefused(errors)
    return data


def create(session: Session, *, raw: Mapping[str, Any], user_id: int | None) -> Device:
    """A new device, always a draft. Raises ``SaveRefused`` or ``crud.DuplicateKeys``."""
    data = _validate(session, raw, "draft")
    return crud.create_device(session, data=data, bands=load_bands(session), user_id=user_id)


def save(
    session: Session,
    *,
    device: Device,
    raw: Mapping[str, Any],
    expected_version: int,
    user_id: int | None,
    action: str = "update",
    comment: str | None = None,
) -> dict[str, list[Any]]:
    """Save an edit (or a restore). Raises ``SaveRefused``, ``crud.DuplicateKeys`` or
    ``crud.VersionConflict``; in every case nothing is written."""
    # Before validating, so a stale form shows who changed what rather than field errors.
    crud.lock_at_version(session, device, expected_version)
    data = _validate(session, raw, workflow.status_after_edit(device.status))
    return crud.update_device(
        session,
        device=device,
        data=data,
        bands=load_bands(session),
        expected_version=expected_version,
        user_id=user_id,
        action=action,
        comment=comment,
    )


def restore(
    session: Session, *, device: Device, change_id: int, expected_version: int, user_id: int | None
) -> dict[str, list[Any]]:
    """Bring back the record as it was after ``change_id``, as a new change."""
    change = session.get(DeviceChange, change_id)
    if change is None or change.device_id != device.id or not change.snapshot:
        raise SaveRefused({"change": f"no earlier version {change_id} of this device"})
    return save(
        session,
        device=device,
        raw=change.snapshot,
        expected_version=expected_version,
        user_id=user_id,
        action="restore",
        comment=f"restored the version of {change.at:%Y-%m-%d %H:%M} UTC",
    )
