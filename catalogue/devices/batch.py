"""Writing many devices in a few statements: the bulk import's write phase.

The import has already parsed, validated and claim-checked every row (outside any write
transaction). What is left happens in three steps, so that the write lock is held only for
the database's own work:

1. ``prepare`` (no database): the checked rows in SKU order, with what they are written with.
2. ``stage`` (a transaction of its own, before the write transaction): every row the write
   puts in (devices, emissions, areas, history entries with their before and after, findings)
   built in Python a batch of devices at a time, keyed by SKU, and put into connection-private
   TEMP tables. On SQLite the temp tables are a database of their own and filling them takes
   no lock on the catalogue (``Database.bulk_writing`` begins it as a reader); on PostgreSQL
   it locks nothing another session uses.
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
    Integer,
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

STAGE_BATCH = 1_000  # devices whose rows are built and staged at once
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
    """A TEMP table with ``columns`` typed as in ``source`` (JSON stays JSON, and so on), and
    ``seq``, the order its rows were staged in: SKU order, each device's rows in the row's own
    order. On SQLite ``seq`` is the row id, so reading the rows in that order is the table's
    own order, with no sort inside the write transaction."""
    copied = [Column(c, source.c[c].type) for c in columns]
    seq = Column("seq", Integer, primary_key=True)
    return Table(name, _staging, seq, *extra, *copied, prefixes=["TEMPORARY"])


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
class Rows:
    """The rows of one batch of devices, one list per TEMP table."""

    new: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    emissions: list[dict[str, Any]] = field(default_factory=list)
    areas: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    def tables(self) -> tuple[tuple[Table, list[dict[str, Any]]], ...]:
        return (
            (NEW, self.new),
            (UPDATED, self.updated),
            (EMISSIONS, self.emissions),
            (AREAS, self.areas),
            (CHANGES, self.changes),
            (FINDINGS, self.findings),
        )


@dataclass
class BulkWrite:
    """A bulk write of new devices (each row with its findings) and changed ones, in SKU order.

    ``stage`` builds their rows a batch of devices at a time (a 50,000-row import never holds
    all of them at once) and notes what ``apply`` needs: the columns the updates change and
    how many rows each TEMP table got."""

    creates: Sequence[tuple[DeviceInput, Sequence[ClaimFinding]]]
    updates: Sequence[Update]
    versions: Mapping[int, int]  # of every stored device read: ``unmoved`` checks them
    bands: Sequence[core.Band]
    rates: dict[str, Decimal]  # the exchange rates the prices are converted at
    user_id: int | None
    action: str
    now: Any = field(default_factory=utcnow)
    columns: tuple[str, ...] = ()  # what the updates write: the columns some row changes
    staged: dict[str, int] = field(default_factory=dict)  # rows by TEMP table

    @property
    def devices(self) -> int:
        return len(self.creates) + len(self.updates)

    def _history(self, rows: Rows, sku: str, before: dict[str, Any], new: dict[str, Any]) -> None:
        rows.changes.append(
            {
                "sku": sku,
                "user_id": self.user_id,
                "at": self.now,
                "action": self.action,
                "changes": diff(before, new),
                "snapshot": new,
            }
        )

    def _children(self, rows: Rows, data: DeviceInput) -> None:
        sku = data.sku
        rows.emissions.extend(
            {"sku": sku, "wavelength_nm": e.wavelength_nm, "share_pct": e.share_pct}
            for e in data.emissions
        )
        rows.areas.extend({"sku": sku, "area_slug": a} for a in data.areas)

    def _findings(self, rows: Rows, sku: str, findings: Sequence[ClaimFinding]) -> None:
        for finding in findings:
            row = audit.finding_row(0, finding)
            del row["device_id"]
            rows.findings.append({"sku": sku, **row})

    def new_rows(self, creates: Sequence[tuple[DeviceInput, Sequence[ClaimFinding]]]) -> Rows:
        rows = Rows()
        for data, findings in creates:
            values = _values(data, self.bands, self.rates, self.now, self.user_id)
            rows.new.append({**values, "created_at": self.now, "version": 1})
            self._children(rows, data)
            self._history(rows, data.sku, {}, input_snapshot(data))
            self._findings(rows, data.sku, findings)
        return rows

    def update_rows(
        self, updates: Sequence[Update], known: dict[int, dict[str, Any]], changed: set[str]
    ) -> Rows:
        """Also marks in ``known`` which devices are written and which get new emissions
        and areas, and adds to ``changed`` the columns these rows change."""
        rows = Rows()
        for item in updates:
            values = _values(item.data, self.bands, self.rates, self.now, self.user_id)
            changed.update(name for name in STORED if values[name] != item.stored.get(name))
            new, before = input_snapshot(item.data), item.before
            replace = new["emissions"] != before["emissions"] or new["areas"] != before["areas"]
            rows.updated.append({"id": item.device_id, **values})
            known[item.device_id].update(written=True, children=replace)
            if replace:
                self._children(rows, item.data)
            self._history(rows, item.data.sku, before, new)
            self._findings(rows, item.data.sku, item.findings)
        return rows


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
    """A write of new devices (``creates``: each row and its findings) and changed ones, with
    their history entries as ``crud`` writes them one device at a time. ``versions``: of every
    stored device read (``updates`` and any other the write touches)."""
    return BulkWrite(
        creates=sorted(creates, key=lambda item: item[0].sku),
        updates=sorted(updates, key=lambda u: u.data.sku),
        versions=dict(versions or {}),
        bands=bands,
        rates=dict(rates),
        user_id=user_id,
        action=action,
    )


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
    """The write's rows into the TEMP tables of ``connection`` (made afresh), built a batch
    of ``STAGE_BATCH`` devices at a time."""
    for table in STAGING:
        connection.execute(text(f"DROP TABLE IF EXISTS {table.name}"))
        table.create(connection)
    staged = dict.fromkeys((table.name for table in STAGING), 0)

    def put(rows: Rows) -> None:
        for table, values in rows.tables():
            insert_rows(connection, table, values)
            staged[table.name] += len(values)

    for start in range(0, len(bulk.creates), STAGE_BATCH):
        put(bulk.new_rows(bulk.creates[start : start + STAGE_BATCH]))
    known = {
        i: {"id": i, "version": v, "written": False, "children": False}
        for i, v in bulk.versions.items()
    }
    changed: set[str] = set()
    for start in range(0, len(bulk.updates), STAGE_BATCH):
        put(bulk.update_rows(bulk.updates[start : start + STAGE_BATCH], known, changed))
    insert_rows(connection, KNOWN, sorted(known.values(), key=lambda row: row["id"]))
    staged[KNOWN.name] = len(known)
    bulk.columns = tuple(name for name in WRITTEN if name in changed or name not in STORED)
    bulk.staged = staged


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
    if found != len(bulk.versions) or moved:
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
    """``INSERT INTO target (device_id, columns) SELECT device.id, ... JOIN device ON sku``,
    in the order staged (the new devices' rows in the order of their ids)."""
    rows = (
        select(DEVICE.c.id, *(staged.c[c] for c in columns))
        .select_from(staged.join(DEVICE, DEVICE.c.sku == staged.c.sku))
        .order_by(staged.c.seq)
    )
    return insert(target).from_select(["device_id", *columns], rows, include_defaults=False)


def apply(session: Session, bulk: BulkWrite) -> None:
    """Inside the write transaction, after ``unmoved``: the staged rows into the catalogue.
    Every changed device's version goes up by one."""
    if bulk.updates:
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
    if bulk.creates:
        # Staged in SKU order: the new devices get their ids in that order.
        rows = select(*(NEW.c[c] for c in NEW_COLUMNS)).order_by(NEW.c.seq)
        session.execute(insert(DEVICE).from_select(NEW_COLUMNS, rows, include_defaults=False))
    for staged, target, columns in (
        (EMISSIONS, EMISSION, EMISSION_COLUMNS),
        (AREAS, AREA, AREA_COLUMNS),
        (CHANGES, CHANGE, CHANGE_COLUMNS),
        (FINDINGS, FINDING, FINDING_COLUMNS),
    ):
        if bulk.staged.get(staged.name):
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
