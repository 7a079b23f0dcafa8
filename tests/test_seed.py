"""The seed catalogue loads through the same validation as an import, once."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func
from sqlalchemy.orm import Session
from sqlmodel import select

from catalogue.db import Database
from catalogue.models import Band, BodyArea, Device, Emission
from catalogue.seed import seed_database
from tests.conftest import SEED_DIR


def _seed(db: Database):
    with db.writing() as session:
        return seed_database(session, SEED_DIR)


def test_seed_loads_a_varied_catalogue(db: Database, session: Session) -> None:
    report = _seed(db)
    assert report.devices >= 60
    devices = session.scalars(select(Device)).all()
    assert {d.form_factor for d in devices} == {
        "panel",
        "handheld",
        "wrap",
        "pad",
        "mask",
        "cap",
        "mat",
        "bulb",
    }
    light_types = Counter(d.light_type for d in devices)
    assert set(light_types) == {"red", "nir", "combined", "other"}
    statuses = Counter(d.status for d in devices)
    assert statuses["published"] > len(devices) / 2
    assert statuses["draft"] and statuses["in_review"]
    prices = [float(d.price) for d in devices]
    assert min(prices) < 60 and max(prices) > 4000
    outside = session.scalars(
        select(Emission.wavelength_nm).where(Emission.wavelength_nm.in_([590, 415, 940, 1064]))
    ).all()
    assert {590, 940, 1064} <= set(outside)


def test_seed_twice_adds_nothing(db: Database, session: Session) -> None:
    _seed(db)
    counts = [session.scalar(select(func.count()).select_from(t)) for t in (Device, Band, BodyArea)]
    again = _seed(db)
    assert again.skipped_devices and again.devices == again.bands == again.areas == 0
    session.expire_all()
    assert [
        session.scalar(select(func.count()).select_from(t)) for t in (Device, Band, BodyArea)
    ] == counts
