"""Writing devices: derived fields stored, history kept, stale writes refused."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from sqlmodel import select

from catalogue.data.models import Band, Device, DeviceChange
from catalogue.data.reference import load_bands
from catalogue.devices import crud
from catalogue.devices.schemas import parse_device
from tests.factories import add_device, device_data


@pytest.mark.parametrize(
    ("wavelengths", "light_type", "coverage"),
    [
        ([660], "red", "surface"),
        ([850], "nir", "deep"),
        ([660, 850], "combined", "both"),
        ([590], "other", "none"),
    ],
)
def test_derived_fields_are_stored(session: Session, wavelengths, light_type, coverage) -> None:
    device = add_device(session, wavelengths=wavelengths)
    session.commit()
    stored = session.scalars(select(Device).where(Device.id == device.id)).one()
    assert (stored.light_type, stored.coverage) == (light_type, coverage)


def test_update_records_history_and_bumps_version(session: Session) -> None:
    device = add_device(session, price="100.00")
    session.commit()
    assert device.version == 1
    data, _ = parse_device(
        device_data(slug=device.slug, sku=device.sku, name=device.name, price="120.00")
    )
    assert data is not None
    changes = crud.update_device(
        session, device=device, data=data, bands=load_bands(session), expected_version=1
    )
    session.commit()
    assert changes["price"] == ["100.00", "120.00"]
    assert device.version == 2
    actions = session.scalars(
        select(DeviceChange.action).where(DeviceChange.device_id == device.id)
    ).all()
    assert actions == ["create", "update"]


def test_stale_version_is_refused_and_nothing_written(session: Session) -> None:
    device = add_device(session, price="100.00")
    session.commit()
    data, _ = parse_device(device_data(slug=device.slug, sku=device.sku, price="999.00"))
    assert data is not None
    with pytest.raises(crud.VersionConflict) as info:
        crud.update_device(
            session, device=device, data=data, bands=load_bands(session), expected_version=0
        )
    assert info.value.current_version == 1
    session.rollback()
    assert session.get(Device, device.id).price == 100


def test_duplicate_slug_and_sku_are_field_errors(session: Session) -> None:
    first = add_device(session)
    data, _ = parse_device(device_data(slug=first.slug, sku=first.sku))
    assert data is not None
    with pytest.raises(crud.DuplicateKeys) as info:
        crud.create_device(session, data=data, bands=load_bands(session))
    assert set(info.value.errors) == {"slug", "sku"}


def test_recompute_follows_new_band_edges(session: Session) -> None:
    device = add_device(session, wavelengths=[620])
    session.commit()
    assert device.light_type == "other"
    session.get(Band, "red").min_nm = 610
    assert crud.recompute_derived(session, bands=load_bands(session)) == 1
    session.commit()
    assert session.get(Device, device.id).light_type == "red"
