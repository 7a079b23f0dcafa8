"""A device's emissions and listed areas, loaded for many devices in one query each.

The one home of "emissions and areas by device id": lists, compare, the audit, the exporter and
the editor all read them through here, so an order or a filter changes in one place. Every
device id asked for is a key of the result, with an empty list when it has none.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.data.models import DeviceArea, Emission


def emissions_by_device(session: Session, ids: Sequence[int]) -> dict[int, list[Emission]]:
    """Each device's emissions, shortest wavelength first."""
    found: dict[int, list[Emission]] = {i: [] for i in ids}
    if ids:
        query = (
            select(Emission)
            .where(col(Emission.device_id).in_(ids))
            .order_by(col(Emission.device_id), col(Emission.wavelength_nm))
        )
        for emission in session.scalars(query):
            found[emission.device_id].append(emission)
    return found


def wavelengths_by_device(session: Session, ids: Sequence[int]) -> dict[int, list[float]]:
    """Only the wavelengths (the audit reads 100,000 devices: no ORM objects for them)."""
    found: dict[int, list[float]] = {i: [] for i in ids}
    if ids:
        query = (
            select(Emission.device_id, Emission.wavelength_nm)
            .where(col(Emission.device_id).in_(ids))
            .order_by(col(Emission.device_id), col(Emission.wavelength_nm))
        )
        for device_id, nm in session.execute(query):
            found[device_id].append(nm)
    return found


def areas_by_device(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    """Each device's listed area slugs, in slug order."""
    found: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        query = (
            select(DeviceArea.device_id, DeviceArea.area_slug)
            .where(col(DeviceArea.device_id).in_(ids))
            .order_by(col(DeviceArea.device_id), col(DeviceArea.area_slug))
        )
        for device_id, slug in session.execute(query):
            found[device_id].append(slug)
    return found
