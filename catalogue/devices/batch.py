"""Writing many devices in a few statements: the bulk import's write phase.

The import has already parsed, validated and claim-checked every row (outside any write
transaction). What is left happens in three steps, so that the write lock is held only for
the database's own work:

1. ``prepare`` (no database): every row the write puts in (devices, emissions, areas, history
   entries with their before and after, findings) built in Python, keyed by SKU.
2. ``stage`` (a transaction of its own, before the write transaction): those rows go into
   connection-private TEMP tables. On SQLite the temp tables are a database of their own and
   filling them takes no lock on the catalogue (``Database.bulk_writing`` begins it as a
   reader); on PostgreSQL it locks nothing another session uses.
3. ``apply`` (inside the write transaction): ``unmoved`` checks that nothing read has changed
   since, then a few ``INSERT ... SELECT`` and one ``UPDATE ... FROM`` move the staged rows in,
   device ids found by SKU. An update writes only the columns some row changes, and replaces
   the emissions and areas only of the devices whose emissions or areas changed: an untouched
   index or child row costs nothing.

Rows go in SKU order (new devices get their ids in that order). ``unstage`` drops the tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    MetaData,
    Table,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from catalogue.claims import audit
from catalogue.core import bands as core
from catalogue.core.claims.check import ClaimFinding
from catalogue.data.models import Device, DeviceArea, DeviceChange, Emission, Finding, utcnow
from catalogue.devices.crud import SCALAR_FIELDS, diff, input_snapshot
from catalogue.devices.schemas import DeviceInput
from catalogue.prices.rates import in_usd, usd_rates

DEVICE = cast(Table, Device.__table__)  # type: ignore[attr-defined]
EMISSION = cast(Table, Emission.__table__)  # type: ignore[attr-defined]
AREA = cast(Table, DeviceArea.__table__)  # type: ignore[attr-defined]
CHANGE = cast(Table, DeviceChange.__table__)  # type: ignore[attr-defined]
FINDING = cast(Table, Finding.__table__)  # type: ignore[attr-defined]
# The columns a write sets from the row: the input's fields and what is derived from them.
STORED = (*SCALAR_FIELDS, "light_type", "coverage", "price_usd")
WRITTEN = (*STORED, "updated_at", "updated_by_id")
NEW_COLUMNS = (*WRITTEN, "created_at", "version")
EMISSION_COLUMNS = ("wavelength_nm", "share_pct")
AREA_COLUMNS = ("area_slug",)
CHANGE_COLUMNS = ("user_id", "at", "action", "changes", "snapshot")
FINDING_COLUMNS = tuple(c.name for c in FINDING.columns if c.name not in ("id", "device_id"))

_staging = MetaData()


def _temporary(name: str, source: Table, columns: Sequence[str], *extra: Column[Any]) -> Table:
    """A TEMP table with ``columns`` typed as in ``source`` (JSON stays JSON, and so on)."""
    copied = [Column(c, source.c[c].type) for c in columns]
    return Table(name, _staging, *extra, *copied, prefixes=["TEMPORARY"])


def _sku() -> Column[Any]:
    return Column("sku", DEVICE.c.sku.type, nullable=False)


NEW = _temporary("import_new", DEVICE, NEW_COLUMNS)
UPDATED = _temporary("import_updated", DEVICE, WRITTEN, Column("id", DEVICE.c.id.type))
# The stored devices the write reads: the version read, whether the write changes them and
# whether their emissions or areas change (only theirs are replaced).
KNOWN = Table(
    "import_known",
    _staging,
    Column("id", DEVICE.c.id.type, primary_key=True),
    Column("version", DEVICE.c.version.type, nullable=False),
    Column("written", Boolean, nullable=False),
    Column("children", Boolean, nullable=False),
    prefixes=["TEMPORARY"],
)
EMISSIONS = _temporary("import_emission", EMISSION, EMISSION_COLUMNS, _sku())
AREAS = _temporary("import_area", AREA, AREA_COLUMNS, _sku())
CHANGES = _temporary("import_change", CHANGE, CHANGE_COLUMNS, _sku())
FINDINGS = _temporary("import_finding", FINDING, FINDING_COLUMNS, _sku())
STAGING = (NEW, UPDATED, KNOWN, EMISSIONS, AREAS, CHANGES, FINDINGS)


@dataclass
class Update:
    """A stored device a row changes, as the reading phase saw it."""

    device_id: int
    data: DeviceInput  # the row
    before: dict[str, Any]  # ``crud.snapshot`` of the stored device: its history's "before"
    stored: dict[str, Any]  # its ``STORED`` columns
    findings: Sequence[ClaimFinding]  # the row's, stored as they are


@dataclass
class BulkWrite:
    """Every row a bulk write puts in, ready for ``stage``."""

    rates: dict[str, Decimal]  # the exchange rates the prices were converted at
    new: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    known: list[dict[str, Any]] = field(default_factory=list)
    emissions: list[dict[str, Any]] = field(default_factory=list)
    areas: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    columns: tuple[str, ...] = ()  # what the updates write: the columns some row changes

    @property
    def devices(self) -> int:
        return len(self.new) + len(self.updated)

    def rows(self) -> tuple[tuple[Table, list[dict[str, Any]]], ...]:
        return (
            (NEW, self.new),
            (UPDATED, self.updated),
            (KNOWN, self.known),
            (EMISSIONS, self.emissions),
            (AREAS, self.areas),
            (CHANGES, self.changes),
            (FINDINGS, self.findings),
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


def prepare(
    *,
    creates: Sequence[tuple[DeviceInput, Sequence[ClaimFinding]]] = (),
    updates: Sequence[Update] = (),
    versions: Mapping[int, int] | None = None,
    bands: Sequence[core.Band],
    rates: Mapping[str, Decimal],
    user_id: int | None = None,
    action: str = "import",
) -> BulkWrite:
    """The rows of a write of new devices (``creates``: each row and its findings) and changed
    ones, with their history entries as ``crud`` writes them one device at a time.
    ``versions``: of every stored device read (``updates`` and any other the write touches),
    checked by ``unmoved``."""
    now = utcnow()
    bulk = BulkWrite(rates=dict(rates))
    changed: set[str] = set()
    known = {
        i: {"id": i, "version": v, "written": False, "children": False}
        for i, v in (versions or {}).items()
    }

    def children(data: DeviceInput) -> None:
        sku = data.sku
        bulk.emissions.extend(
            {"sku": sku, "wavelength_nm": e.wavelength_nm, "share_pct": e.share_pct}
            for e in data.emissions
        )
        bulk.areas.extend({"sku": sku, "area_slug": a} for a in data.areas)

    def history(sku: str, before: dict[str, Any], new: dict[str, Any]) -> None:
        bulk.changes.append(
            {
                "sku": sku,
                "user_id": user_id,
                "at": now,
                "action": action,
                "changes": diff(before, new),
                "snapshot": new,
            }
        )

    def found(sku: str, findings: Sequence[ClaimFinding]) -> None:
        for finding in findings:
            row = audit.finding_row(0, finding)
            del row["device_id"]
            bulk.findings.append({"sku": sku, **row})

    for data, findings in sorted(creates, key=lambda item: item[0].sku):
        bulk.new.append(
            {**_values(data, bands, rates, now, user_id), "created_at": now, "version": 1}
        )
        new = input_snapshot(data)
        children(data)
        history(data.sku, {}, new)
        found(data.sku, findings)
    for item in sorted(updates, key=lambda u: u.data.sku):
        values = _values(item.data, bands, rates, now, user_id)
        changed.update(name for name in STORED if values[name] != item.stored.get(name))
        new = input_snapshot(item.data)
        before = item.before
        replace = new["emissions"] != before["emissions"] or new["areas"] != before["areas"]
        bulk.updated.append({"id": item.device_id, **values})
        known[item.device_id].update(written=True, children=replace)
        if replace:
            children(item.data)
        history(item.data.sku, before, new)
        found(item.data.sku, item.findings)
    bulk.known = sorted(known.values(), key=lambda row: row["id"])
    bulk.columns = tuple(name for name in WRITTEN if name in changed or name not in STORED)
    return bulk


def insert_rows(connection: Connection, table: Table, values: list[dict[str, Any]]) -> None:
    """``values`` in as few statements as the database runs fastest.

    SQLite: one executemany. PostgreSQL: psycopg runs a plain executemany as one statement a
    row; with RETURNING, SQLAlchemy sends the rows as multi-row ``INSERT ... VALUES`` pages
    of 1,000 instead (what is returned is not needed)."""
    if not values:
        return
    statement = insert(table)
    if connection.dialect.name != "sqlite":
        statement = statement.returning(next(iter(table.columns)))
    connection.execute(statement, values).close()


def stage(connection: Connection, bulk: BulkWrite) -> None:
    """The prepared rows into the TEMP tables of ``connection`` (made afresh)."""
    for table, values in bulk.rows():
        connection.execute(text(f"DROP TABLE IF EXISTS {table.name}"))
        table.create(connection)
        insert_rows(connection, table, values)


def unstage(connection: Connection) -> None:
    for table in STAGING:
        connection.execute(text(f"DROP TABLE IF EXISTS {table.name}"))


def unmoved(session: Session, bulk: BulkWrite) -> bool:
    """Whether every stored device the write changes is still at the version read, no new
    SKU or slug has been taken meanwhile, and the exchange rates are the ones converted at.

    PostgreSQL: the changed devices are locked from here to the commit, in id order, so an
    editor's save of one of them waits for the import (or the import for it) instead of
    slipping in between."""
    postgres = session.get_bind().dialect.name == "postgresql"
    read = (
        select(DEVICE.c.id, case((DEVICE.c.version != KNOWN.c.version, 1), else_=0).label("moved"))
        .join(KNOWN, KNOWN.c.id == DEVICE.c.id)
        .order_by(DEVICE.c.id)
    )
    if postgres:
        read = read.with_for_update(of=DEVICE)
    locked = read.subquery()
    found, moved = session.execute(
        select(func.count(), func.coalesce(func.sum(locked.c.moved), 0))
    ).one()
    if found != len(bulk.known) or moved:
        return False
    taken = select(literal(1)).select_from(NEW.join(DEVICE, DEVICE.c.sku == NEW.c.sku)).limit(1)
    if session.execute(taken).first() is not None:
        return False
    wanted = union_all(
        select(NEW.c.sku, NEW.c.slug), select(UPDATED.c.sku, UPDATED.c.slug)
    ).subquery()
    owned = (
        select(literal(1))
        .select_from(wanted.join(DEVICE, DEVICE.c.slug == wanted.c.slug))
        .where(DEVICE.c.sku != wanted.c.sku)
        .limit(1)
    )
    if session.execute(owned).first() is not None:
        return False
    return usd_rates(session) == bulk.rates


def _by_sku(staged: Table, target: Table, columns: Sequence[str]) -> Any:
    """``INSERT INTO target (device_id, columns) SELECT device.id, ... JOIN device ON sku``."""
    rows = (
        select(DEVICE.c.id, *(staged.c[c] for c in columns))
        .select_from(staged.join(DEVICE, DEVICE.c.sku == staged.c.sku))
        .order_by(DEVICE.c.id)
    )
    return insert(target).from_select(["device_id", *columns], rows, include_defaults=False)


def apply(session: Session, bulk: BulkWrite) -> None:
    """Inside the write transaction, after ``unmoved``: the staged rows into the catalogue.
    Every changed device's version goes up by one."""
    if bulk.updated:
        replaced = select(KNOWN.c.id).where(KNOWN.c.children)
        session.execute(delete(EMISSION).where(EMISSION.c.device_id.in_(replaced)))
        session.execute(delete(AREA).where(AREA.c.device_id.in_(replaced)))
        written = select(KNOWN.c.id).where(KNOWN.c.written)
        session.execute(delete(FINDING).where(FINDING.c.device_id.in_(written)))
        session.execute(
            update(DEVICE)
            .values(
                {
                    **{name: UPDATED.c[name] for name in bulk.columns},
                    "version": DEVICE.c.version + 1,
                }
            )
            .where(DEVICE.c.id == UPDATED.c.id)
        )
    if bulk.new:
        rows = select(*(NEW.c[c] for c in NEW_COLUMNS)).order_by(NEW.c.sku)
        session.execute(insert(DEVICE).from_select(NEW_COLUMNS, rows, include_defaults=False))
    for staged, target, columns, values in (
        (EMISSIONS, EMISSION, EMISSION_COLUMNS, bulk.emissions),
        (AREAS, AREA, AREA_COLUMNS, bulk.areas),
        (CHANGES, CHANGE, CHANGE_COLUMNS, bulk.changes),
        (FINDINGS, FINDING, FINDING_COLUMNS, bulk.findings),
    ):
        if values:
            session.execute(_by_sku(staged, target, columns))
    # The ORM may hold some of these devices from an earlier read: read them afresh.
    session.expire_all()


def create_devices(
    session: Session,
    *,
    items: Sequence[DeviceInput],
    bands: Sequence[core.Band],
    user_id: int | None = None,
    action: str = "import",
) -> list[int]:
    """Insert many new devices (no findings) in the session's transaction; their ids in order.

    The caller has checked slugs and SKUs. The bulk importer stages outside its write
    transaction instead (``Database.bulk_writing``)."""
    if not items:
        return []
    bulk = prepare(
        creates=[(data, []) for data in items],
        bands=bands,
        rates=usd_rates(session),
        user_id=user_id,
        action=action,
    )
    connection = session.connection()
    stage(connection, bulk)
    apply(session, bulk)
    unstage(connection)
    skus = [data.sku for data in items]
    query = select(DEVICE.c.sku, DEVICE.c.id).where(DEVICE.c.sku.in_(skus))
    id_of = dict(session.execute(query).tuples().all())
    return [int(id_of[sku]) for sku in skus]
