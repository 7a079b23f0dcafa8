"""Writing devices: keyword-only functions that take the session and leave commit to the caller.

Every write stores the derived ``light_type`` and ``coverage``, records a history entry,
and refuses a stale write (optimistic locking on ``Device.version``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import col, select

from catalogue.claims import audit
from catalogue.core import bands as core
from catalogue.data.children import areas_by_device, emissions_by_device
from catalogue.data.models import Device, DeviceArea, DeviceChange, Emission, utcnow
from catalogue.devices.schemas import MEASUREMENTS, PRODUCT_FIELDS, DeviceInput, FieldErrors

# Fields copied one to one from the input onto the device row.
SCALAR_FIELDS = (*PRODUCT_FIELDS, *MEASUREMENTS, "description", "status")


class DuplicateKeys(Exception):
    """The slug or SKU already belongs to another device."""

    def __init__(self, errors: FieldErrors) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class VersionConflict(Exception):
    """Someone saved the device after the editor opened it; nothing was written."""

    device_slug: str
    expected_version: int
    current_version: int
    changed_by_id: int | None
    changes: dict[str, Any]

    def __str__(self) -> str:
        return (
            f"{self.device_slug} was saved by someone else (version {self.current_version}, "
            f"you started from {self.expected_version})"
        )


def emissions_of(session: Session, device_id: int) -> list[Emission]:
    return emissions_by_device(session, [device_id])[device_id]


def areas_of(session: Session, device_id: int) -> list[str]:
    return areas_by_device(session, [device_id])[device_id]


def snapshot(device: Device, emissions: Sequence[Emission], areas: Sequence[str]) -> dict[str, Any]:
    """The device as plain JSON values, in the shape of ``DeviceInput``."""
    data: dict[str, Any] = {name: getattr(device, name) for name in SCALAR_FIELDS}
    data["price"] = f"{device.price:.2f}"
    data["emissions"] = [
        {"wavelength_nm": e.wavelength_nm, "share_pct": e.share_pct} for e in emissions
    ]
    data["areas"] = sorted(areas)
    return data


def device_snapshot(session: Session, device: Device) -> dict[str, Any]:
    """``snapshot`` of the device as stored now, emissions and areas read from the session."""
    assert device.id is not None
    return snapshot(device, emissions_of(session, device.id), areas_of(session, device.id))


def input_snapshot(data: DeviceInput) -> dict[str, Any]:
    values = data.model_dump(mode="json")
    values["price"] = f"{data.price:.2f}"
    values["areas"] = sorted(data.areas)
    return values


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}


def check_unique(session: Session, data: DeviceInput, device_id: int | None) -> None:
    query = select(Device.slug, Device.sku).where(
        or_(col(Device.slug) == data.slug, col(Device.sku) == data.sku)
    )
    if device_id is not None:
        query = query.where(Device.id != device_id)
    errors: FieldErrors = {}
    for slug, sku in session.execute(query).all():
        if slug == data.slug:
            errors["slug"] = f"{data.slug!r} is already used by another device"
        if sku == data.sku:
            errors["sku"] = f"{data.sku!r} is already used by another device"
    if errors:
        raise DuplicateKeys(errors)


def _apply(device: Device, data: DeviceInput, bands: Sequence[core.Band]) -> None:
    for name in SCALAR_FIELDS:
        setattr(device, name, getattr(data, name))
    wavelengths = [e.wavelength_nm for e in data.emissions]
    device.light_type = core.light_type(wavelengths, bands)
    device.coverage = core.coverage(wavelengths, bands)
    device.updated_at = utcnow()


def _replace_children(session: Session, device_id: int, data: DeviceInput) -> None:
    session.execute(delete(Emission).where(Emission.device_id == device_id))  # type: ignore[arg-type]
    session.execute(delete(DeviceArea).where(DeviceArea.device_id == device_id))  # type: ignore[arg-type]
    session.add_all(
        Emission(device_id=device_id, wavelength_nm=e.wavelength_nm, share_pct=e.share_pct)
        for e in data.emissions
    )
    session.add_all(DeviceArea(device_id=device_id, area_slug=a) for a in data.areas)


def create_device(
    session: Session,
    *,
    data: DeviceInput,
    bands: Sequence[core.Band],
    user_id: int | None = None,
    action: str = "create",
    audit_context: audit.AuditContext | None = None,
) -> Device:
    check_unique(session, data, None)
    fields: dict[str, Any] = {name: getattr(data, name) for name in SCALAR_FIELDS}
    device = Device(**fields, light_type="other", coverage="none")
    _apply(device, data, bands)
    device.updated_by_id = user_id
    session.add(device)
    session.flush()
    assert device.id is not None
    _replace_children(session, device.id, data)
    new = input_snapshot(data)
    session.add(
        DeviceChange(
            device_id=device.id,
            user_id=user_id,
            action=action,
            changes=diff({}, new),
            snapshot=new,
        )
    )
    session.flush()
    audit.refresh_findings(session, device_id=device.id, context=audit_context)
    return device


def update_device(
    session: Session,
    *,
    device: Device,
    data: DeviceInput,
    bands: Sequence[core.Band],
    expected_version: int,
    user_id: int | None = None,
    action: str = "update",
    comment: str | None = None,
    audit_context: audit.AuditContext | None = None,
) -> dict[str, list[Any]]:
    """Apply ``data`` to ``device``; returns what changed. Raises ``VersionConflict``."""
    assert device.id is not None
    lock_at_version(session, device, expected_version)
    check_unique(session, data, device.id)
    old = device_snapshot(session, device)
    new = input_snapshot(data)
    changes = diff(old, new)
    _apply(device, data, bands)
    device.updated_by_id = user_id
    flush_at_version(session, device, expected_version)
    _replace_children(session, device.id, data)
    session.add(
        DeviceChange(
            device_id=device.id,
            user_id=user_id,
            action=action,
            changes=changes,
            snapshot=new,
            comment=comment,
        )
    )
    session.flush()
    audit.refresh_findings(session, device_id=device.id, context=audit_context)
    return changes


def _conflict(session: Session, device: Device, expected_version: int) -> VersionConflict:
    assert device.id is not None
    last = session.scalars(
        select(DeviceChange)
        .where(DeviceChange.device_id == device.id)
        .order_by(col(DeviceChange.id).desc())
        .limit(1)
    ).first()
    return VersionConflict(
        device_slug=device.slug,
        expected_version=expected_version,
        current_version=device.version,
        changed_by_id=last.user_id if last else None,
        changes=last.changes if last else {},
    )


def recompute_derived(session: Session, *, bands: Sequence[core.Band]) -> int:
    """Recompute light type and coverage of every device after band edges change."""
    changed = 0
    wavelengths: dict[int, list[float]] = {}
    for device_id, nm in session.execute(select(Emission.device_id, Emission.wavelength_nm)):
        wavelengths.setdefault(device_id, []).append(nm)
    for device in session.scalars(select(Device)).all():
        assert device.id is not None
        values = wavelengths.get(device.id, [])
        lt, cov = core.light_type(values, bands), core.coverage(values, bands)
        if (device.light_type, device.coverage) != (lt, cov):
            device.light_type, device.coverage = lt, cov
            changed += 1
    session.flush()
    return changed


def lock_at_version(session: Session, device: Device, expected_version: int) -> None:
    """Re-read the device under a row lock; ``VersionConflict`` when it has moved past the
    version the editor started from.

    The lock is ``SELECT ... FOR UPDATE`` (SQLite's writers are already serialised by
    ``BEGIN IMMEDIATE``): a concurrent writer waits here until the other commits, then sees
    its version and gets a clean ``VersionConflict``.
    """
    session.refresh(device, with_for_update=True)
    if device.version != expected_version:
        raise _conflict(session, device, expected_version)


def flush_at_version(session: Session, device: Device, expected_version: int) -> None:
    """Write the device's new values; ``VersionConflict`` when its row changed meanwhile.

    Only reachable without the row lock; the failed flush has ended the transaction, so
    nothing more (such as who changed it) can be read here.
    """
    try:
        session.flush()
    except StaleDataError:
        raise VersionConflict(
            device_slug=device.slug,
            expected_version=expected_version,
            current_version=expected_version + 1,
            changed_by_id=None,
            changes={},
        ) from None


def changes_since(session: Session, *, device_id: int, after_change_id: int) -> list[DeviceChange]:
    """History entries written after the one an editor saw when it opened the form."""
    query = (
        select(DeviceChange)
        .where(DeviceChange.device_id == device_id, col(DeviceChange.id) > after_change_id)
        .order_by(col(DeviceChange.id))
    )
    return list(session.scalars(query).all())


def last_change_id(session: Session, *, device_id: int) -> int:
    query = select(func.max(DeviceChange.id)).where(DeviceChange.device_id == device_id)
    return int(session.scalar(query) or 0)
