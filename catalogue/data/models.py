"""Database tables. Table models never cross HTTP: ``schemas.py`` holds what does.

The schema is made only by the migrations in ``migrations/``; a test checks that
autogenerate finds no difference between these models and the migrated database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

# Names the constraints before any table is declared; utcnow is re-exported for the callers.
from catalogue.data.naming import utcnow as utcnow

STATUSES = ("draft", "in_review", "published", "archived")
FORM_FACTORS = ("panel", "handheld", "wrap", "pad", "mask", "cap", "mat", "bulb")
ROLES = ("merchandiser", "qa", "admin")


def as_utc(moment: datetime) -> datetime:
    """A stored time, made aware: SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _timestamp(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), **kwargs)


class Band(SQLModel, table=True):
    """An article band with its edges, e.g. red 630-660 nm reaching the surface."""

    slug: str = Field(primary_key=True, max_length=16)
    name: str = Field(max_length=64)
    min_nm: float
    max_nm: float
    depth: str = Field(max_length=16)


class BodyArea(SQLModel, table=True):
    __tablename__: ClassVar[str] = "body_area"

    slug: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=64)
    depth: str = Field(max_length=16)
    group: str = Field(max_length=32)
    target: str = Field(max_length=128)
    note: str = Field(sa_type=Text)
    position: int = 0


class DeviceArea(SQLModel, table=True):
    __tablename__: ClassVar[str] = "device_area"
    __table_args__ = (Index("ix_device_area_area_device", "area_slug", "device_id"),)

    device_id: int = Field(
        sa_column=Column(Integer, ForeignKey("device.id", ondelete="CASCADE"), primary_key=True)
    )
    area_slug: str = Field(foreign_key="body_area.slug", primary_key=True, max_length=32)


class User(SQLModel, table=True):
    __tablename__: ClassVar[str] = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=16)
    is_active: bool = True
    created_at: datetime = _timestamp()
    last_sign_in_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


# The shop filters on the price in US dollars (``price_usd``), whatever the listing's currency.
BROWSE_LIGHT_TYPE = ("status", "light_type", "price_usd", "form_factor", "brand")
BROWSE_FORM_FACTOR = ("status", "form_factor", "price_usd", "light_type", "brand")
BROWSE_BRAND = ("status", "brand", "price_usd", "light_type", "form_factor")
# Name order (the default sort, name then id) read with the filters checked in the index.
BROWSE_NAME = ("status", "name", "id", "light_type", "form_factor", "brand", "price_usd")

# Optimistic locking: SQLAlchemy bumps this column on every UPDATE and refuses a stale write.
_device_version = Column("version", Integer, nullable=False, default=1)


class Device(SQLModel, table=True):
    __table_args__ = (
        # Every index here costs each device written (an import adds 50,000 rows to each):
        # one no query plan uses goes (migration 0195).
        Index("ix_device_status_price", "status", "price"),
        Index("ix_device_status_created", "status", "created_at"),
        # The shop's filter page: each facet's GROUP BY and the page itself read one of these
        # covering indexes instead of the table (catalogue/browse/listing.py, scripts/bench_web.py).
        Index("ix_device_browse_light_type", *BROWSE_LIGHT_TYPE),
        Index("ix_device_browse_form_factor", *BROWSE_FORM_FACTOR),
        Index("ix_device_browse_brand", *BROWSE_BRAND),
        Index("ix_device_browse_name", *BROWSE_NAME),
        Index("ix_device_status_price_usd", "status", "price_usd"),
        # The editor's list sorts by any column (catalogue/devices/worklist.py, migration 0150).
        Index("ix_device_worklist_updated", "updated_at"),
        Index("ix_device_worklist_status_updated", "status", "updated_at"),
        Index("ix_device_worklist_name", "name"),
        Index("ix_device_worklist_brand", "brand"),
        Index("ix_device_worklist_light_type", "light_type"),
        Index("ix_device_worklist_form_factor", "form_factor"),
        Index("ix_device_worklist_price", "price"),
    )
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": _device_version}

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True)
    sku: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    brand: str = Field(max_length=100)
    form_factor: str = Field(max_length=16)
    price: Decimal = Field(sa_type=Numeric(12, 2))
    currency: str = Field(max_length=3)
    # The price in US dollars at the stored exchange rates, kept by ``catalogue.prices`` on
    # every write and rate change, so the shop sorts and filters across currencies by index.
    price_usd: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    irradiance_mw_cm2: float | None = None
    irradiance_distance_cm: float | None = None
    treatment_area_cm2: float | None = None
    led_count: int | None = None
    session_minutes: float | None = None
    recommended_distance_cm: float | None = None
    power_w: float | None = None
    weight_kg: float | None = None
    warranty_months: int | None = None
    description: str = Field(default="", sa_type=Text)
    status: str = Field(default="draft", max_length=16)
    # Derived by the pure core from the emissions and the bands, stored for fast filtering.
    light_type: str = Field(max_length=16)
    coverage: str = Field(max_length=16)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()
    updated_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    version: int = Field(default=1, sa_column=_device_version)


class Emission(SQLModel, table=True):
    __table_args__ = (Index("ix_emission_wavelength_device", "wavelength_nm", "device_id"),)

    id: int | None = Field(default=None, primary_key=True)
    device_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("device.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    wavelength_nm: float
    share_pct: float | None = None


class DeviceChange(SQLModel, table=True):
    """One entry of a device's history: who changed what, or moved it through review."""

    __tablename__: ClassVar[str] = "device_change"

    id: int | None = Field(default=None, primary_key=True)
    device_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("device.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    at: datetime = _timestamp()
    action: str = Field(max_length=32)  # create, update, restore, submit, approve, send_back, ...
    # {"field": [old, new]} for edits; a full snapshot of the record after the change.
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    comment: str | None = Field(default=None, sa_type=Text)


class ClaimRule(SQLModel, table=True):
    """A claim rule as data: ``spec`` is its object from ``seed/rules.json``."""

    __tablename__: ClassVar[str] = "claim_rule"

    id: str = Field(primary_key=True, max_length=64)
    severity: str = Field(max_length=16)
    title: str = Field(max_length=200)
    spec: dict[str, Any] = Field(sa_type=JSON)
    updated_at: datetime = _timestamp()
    # A disabled rule checks nothing; it stays, with its versions, to be enabled again.
    enabled: bool = True
    # The editor's examples: {"must_fire": [...], "must_not": [...]}; None: the spec's own.
    examples: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class Finding(SQLModel, table=True):
    """A stored claim finding, recomputed when a description, emission or rule changes."""

    __table_args__ = (
        Index("ix_finding_rule_device", "rule_id", "device_id"),
        Index("ix_finding_severity_device", "severity", "device_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    device_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("device.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    rule_id: str = Field(max_length=64)
    severity: str = Field(max_length=16)
    start: int
    end: int
    text: str = Field(sa_type=Text)
    message: str = Field(sa_type=Text)
    suggestion: str = Field(sa_type=Text)

    @property
    def rule(self) -> str:
        """The rule id under the name the pure core's findings use (``core.gate``)."""
        return self.rule_id


class Waiver(SQLModel, table=True):
    """A QA waiver of a warning, kept across recomputes by (device, rule, words)."""

    __table_args__ = (UniqueConstraint("device_id", "rule_id", "text"),)

    id: int | None = Field(default=None, primary_key=True)
    device_id: int = Field(
        sa_column=Column(Integer, ForeignKey("device.id", ondelete="CASCADE"), nullable=False)
    )
    rule_id: str = Field(max_length=64)
    text: str = Field(max_length=500)
    reason: str = Field(sa_type=Text)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    at: datetime = _timestamp()


class PasswordLink(SQLModel, table=True):
    """An invitation or a password reset an admin hands over by hand: a link that sets the
    account's password once. Only the SHA-256 of its random token is kept
    (``catalogue/password_links.py``)."""

    __tablename__: ClassVar[str] = "password_link"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=16)  # "invitation" or "reset"
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = _timestamp()
    expires_at: datetime = Field(sa_type=DateTime(timezone=True))
    used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class StoreEntry(SQLModel, table=True):
    """Key-value rows behind server-side sessions and sign-in throttling."""

    __tablename__: ClassVar[str] = "store_entry"

    key: str = Field(sa_column=Column(String(255), primary_key=True))
    value: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    expires_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True), index=True)


class DeviceImage(SQLModel, table=True):
    """A picture of a device; its files are renditions named by ``content_hash``
    (``catalogue/media``). ``position`` orders the gallery; one image per device is the main."""

    __tablename__: ClassVar[str] = "device_image"
    __table_args__ = (
        UniqueConstraint("device_id", "content_hash", name="uq_device_image_device_hash"),
        Index("ix_device_image_device_position", "device_id", "position"),
        Index("ix_device_image_content_hash", "content_hash"),
    )

    id: int | None = Field(default=None, primary_key=True)
    device_id: int = Field(
        sa_column=Column(Integer, ForeignKey("device.id", ondelete="CASCADE"), nullable=False)
    )
    position: int = 0
    is_main: bool = False
    alt_text: str = Field(max_length=300)
    content_hash: str = Field(max_length=64)
    width: int
    height: int
    created_at: datetime = _timestamp()


class CatalogueVersion(SQLModel, table=True):
    """One row whose ``version`` every write to what shoppers see bumps (devices, their
    emissions and areas, bands, body areas), by database triggers (migration 0160), so
    every app process agrees when its cached facet counts went stale."""

    __tablename__: ClassVar[str] = "catalogue_version"

    id: int = Field(primary_key=True)
    version: int = Field(default=0, sa_type=BigInteger)


class CatalogueChange(SQLModel, table=True):
    """One device a catalogue version touched (its row, areas or emissions), written by
    triggers (migration 0175); device 0 means "everything". Each process's facet bitmaps read
    these to catch up with a new version without reading the whole catalogue again."""

    __tablename__: ClassVar[str] = "catalogue_change"

    id: int | None = Field(
        default=None, primary_key=True, sa_type=BigInteger().with_variant(Integer(), "sqlite")
    )
    version: int = Field(sa_type=BigInteger, index=True)
    device_id: int


class ExchangeRate(SQLModel, table=True):
    """What one unit of a currency is worth in US dollars, and the day that was set."""

    __tablename__: ClassVar[str] = "exchange_rate"

    currency: str = Field(primary_key=True, max_length=3)
    usd_value: Decimal = Field(sa_type=Numeric(18, 8))
    set_on: date
    updated_at: datetime = _timestamp()
    updated_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class ExchangeRateChange(SQLModel, table=True):
    """One edit of a rate: the old and new value, who and when."""

    __tablename__: ClassVar[str] = "exchange_rate_change"

    id: int | None = Field(default=None, primary_key=True)
    currency: str = Field(max_length=3, index=True)
    old_value: Decimal | None = Field(default=None, sa_type=Numeric(18, 8))
    new_value: Decimal = Field(sa_type=Numeric(18, 8))
    set_on: date
    at: datetime = _timestamp()
    user_id: int | None = Field(default=None, foreign_key="app_user.id")


# The rule editor's tables live in their own module; importing it here puts them in this
# metadata, so the migrations' autogenerate check and every import of the models see them.
from catalogue.data import rule_tables  # noqa: E402, F401
