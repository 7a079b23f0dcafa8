"""Named constraints for every table, set on the metadata before any table is declared, so
migrations can drop and alter them on every backend. Both table modules import this first."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData
from sqlmodel import SQLModel

SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def utcnow() -> datetime:
    return datetime.now(UTC)
