"""Writing many devices in a few statements: the bulk import's write phase.

The import has already parsed, validated and claim-checked every row (outside any write
transaction) and checked SKUs and slugs in memory; here the rows only go in, a batch per
statement, so the write lock is held for as short a time as the database allows.

- New devices: one multi-row insert per batch for the devices, their emissions, areas,
  history entries and findings.
- Changed devices: the new values go into a temporary table, then one ``UPDATE ... FROM`` writes
  them all (PostgreSQL's statement triggers that note catalogue changes fire once, not once a
  device); emissions, areas and findings are replaced a batch at a time, and each device gets
  its history entry (old and new value of every field that changed), as ``crud.update_device``
  writes it one device at a time.

The caller makes sure nothing moved since its rows were read (the importer checks every
version under the write lock, and on PostgreSQL locks the rows).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Column, MetaData, Table, delete, insert, select, text, update
from sqlalchemy.orm import Session
from sqlmodel import col

from catalogue.claims import audit
from catalogue.core import bands as core
from catalogue.core.claims.check import ClaimFinding
from catalogue.data.children import areas_by_device, emissions_by_device
from catalogue.data.models import Device, DeviceArea, DeviceChange, Emission, Finding, utcnow
from catalogue.devices.crud import SCALAR_FIELDS, diff, input_snapshot, snapshot
from catalogue.devices.schemas import DeviceInput
from catalogue.prices.rates import in_usd, usd_rates

BATCH = 500  # devices per statement batch
DEVICE = cast(Table, Device.__table__)  # type: ignore[attr-defined]
# The columns an update writes: the input's fields and what is derived from them.
WRITTEN = (*SCALAR_FIELDS, "light_type", "coverage", "price_usd", "updated_at", "updated_by_id")
# Where an update's new values wait for the one UPDATE ... FROM (dropped again at the end).
INCOMING = Table(
    "incoming_device",
    MetaData(),
    Column("id", DEVICE.c.id.type, primary_key=True),
    *(Column(name, DEVICE.c[name].type) for name in WRITTEN),
    prefixes=["TEMPORARY"],
)


def _values(
    data: DeviceInput, bands: Sequence[core.Band], rates: Mapping[str, Any], now: Any, user: Any
) -> dict[str, Any]:
    wavelengths = [e.wavelength_nm for e in data.emissions]
    row: dict[str, Any] = {name: getattr(data, name) for name in SCALAR_FIELDS}
    row.update(
        light_type=core.light_type(wavelengths, bands),
        coverage=core.coverage(wavelengths, bands),
        price_usd=in_usd(data.price, data.currency, rates),
        updated_at=now,
        updated_by_id=user,
    )
    return row


def _children(pairs: Sequence[tuple[int, DeviceInput]]) -> tuple[list[Any], list[Any]]:
    emissions = [
        {"device_id": i, "wavelength_nm": e.wavelength_nm, "share_pct": e.share_pct}
        for i, data in pairs
        for e in data.emissions
    ]
    areas = [{"device_id": i, "area_slug": a} for i, data in pairs for a in data.areas]
    return emissions, areas


def insert_rows(session: Session, model: Any, values: Sequence[dict[str, Any]]) -> None:
    """``values`` in as few statements as the database runs fastest.

    SQLite: one executemany (its row triggers fire per row anyway). PostgreSQL: psycopg runs
    a plain executemany as one statement a row, so the statement triggers that keep the
    catalogue change log would fire per row; with RETURNING, SQLAlchemy sends the rows as
    multi-row ``INSERT ... VALUES`` pages of 1,000 instead (the ids are not needed)."""
    if not values:
        return
    table = model if isinstance(model, Table) else model.__table__
    statement = insert(table)
    if session.get_bind().dialect.name != "sqlite":
        statement = statement.returning(*table.primary_key.columns)
    session.execute(statement, list(values)).close()


def _insert_all(session: Session, *tables: tuple[Any, list[dict[str, Any]]]) -> None:
    for model, values in tables:
        insert_rows(session, model, values)


def create_devices(
    session: Session,
    *,
    items: Sequence[DeviceInput],
    bands: Sequence[core.Band],
    user_id: int | None = None,
    action: str = "import",
) -> list[int]:
    """Insert many new devices in a few statements; returns their ids in order.

    The caller has checked slugs and SKUs (the bulk importer does so in memory) and stores
    the findings it already computed: per-row ``create_device`` costs ~1 ms a device more.
    """
    if not items:
        return []
    now, rates = utcnow(), usd_rates(session)
    rows = [
        {**_values(data, bands, rates, now, user_id), "created_at": now, "version": 1}
        for data in items
    ]
    # A multi-row insert, then the ids by SKU: RETURNING in the rows' order makes SQLite
    # insert one row per statement.
    insert_rows(session, DEVICE, rows)
    skus = [data.sku for data in items]
    query = select(DEVICE.c.sku, DEVICE.c.id).where(DEVICE.c.sku.in_(skus))
    id_of = {sku: device_id for sku, device_id in session.execute(query)}
    ids = [int(id_of[sku]) for sku in skus]
    pairs = list(zip(ids, items, strict=True))
    emissions, areas = _children(pairs)
    changes = [_history_row(i, {}, input_snapshot(data), user_id, now, action) for i, data in pairs]
    _insert_all(session, (Emission, emissions), (DeviceArea, areas), (DeviceChange, changes))
    return ids


def _history_row(
    device_id: int,
    before: dict[str, Any],
    new: dict[str, Any],
    user_id: int | None,
    at: Any,
    action: str,
) -> dict[str, Any]:
    """One ``device_change`` row: what the write changed, and the record as it now is."""
    return {
        "device_id": device_id,
        "user_id": user_id,
        "at": at,
        "action": action,
        "changes": diff(before, new),
        "snapshot": new,
    }


def update_devices(
    session: Session,
    *,
    updates: Sequence[tuple[int, DeviceInput]],
    findings: Mapping[int, Sequence[ClaimFinding]],
    bands: Sequence[core.Band],
    user_id: int | None = None,
    action: str = "import",
) -> None:
    """Write each ``(device id, row)`` over the stored device, with its history entry and the
    ``findings`` already computed for its listing; every device's version goes up by one."""
    if not updates:
        return
    now, rates = utcnow(), usd_rates(session)
    session.execute(text("DROP TABLE IF EXISTS incoming_device"))
    INCOMING.create(session.connection())
    for start in range(0, len(updates), BATCH):
        pairs = updates[start : start + BATCH]
        ids = [i for i, _ in pairs]
        old = {row.id: row for row in session.execute(select(DEVICE).where(DEVICE.c.id.in_(ids)))}
        emissions_before, areas_before = (
            emissions_by_device(session, ids),
            areas_by_device(session, ids),
        )
        changes = [
            _history_row(
                i,
                snapshot(cast(Device, old[i]), emissions_before[i], areas_before[i]),
                input_snapshot(data),
                user_id,
                now,
                action,
            )
            for i, data in pairs
        ]
        incoming = [{"id": i, **_values(data, bands, rates, now, user_id)} for i, data in pairs]
        session.execute(delete(Emission).where(col(Emission.device_id).in_(ids)))
        session.execute(delete(DeviceArea).where(col(DeviceArea.device_id).in_(ids)))
        session.execute(delete(Finding).where(col(Finding.device_id).in_(ids)))
        emissions, areas = _children(pairs)
        found = [audit.finding_row(i, f) for i in ids for f in findings.get(i, ())]
        _insert_all(
            session,
            (INCOMING, incoming),
            (Emission, emissions),
            (DeviceArea, areas),
            (DeviceChange, changes),
            (Finding, found),
        )
    session.execute(
        update(DEVICE)
        .values({**{name: INCOMING.c[name] for name in WRITTEN}, "version": DEVICE.c.version + 1})
        .where(DEVICE.c.id == INCOMING.c.id)
    )
    session.execute(text("DROP TABLE incoming_device"))
    # The ORM may hold some of these devices from the reading of them: read them afresh.
    session.expire_all()
