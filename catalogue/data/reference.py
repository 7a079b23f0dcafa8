"""Reference data (bands, body areas) read from the database into pure-core values."""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.core.bands import Area, Band
from catalogue.data.models import Band as BandRow
from catalogue.data.models import BodyArea


def load_bands(session: Session) -> tuple[Band, ...]:
    rows = session.scalars(select(BandRow).order_by(col(BandRow.min_nm))).all()
    return tuple(Band(r.slug, r.name, r.min_nm, r.max_nm, r.depth) for r in rows)  # type: ignore[arg-type]


def load_areas(session: Session) -> tuple[Area, ...]:
    rows = session.scalars(select(BodyArea).order_by(col(BodyArea.position))).all()
    return tuple(Area(r.slug, r.name, r.depth, r.group, r.target) for r in rows)  # type: ignore[arg-type]
