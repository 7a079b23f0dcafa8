"""The merchandiser's device list at catalogue scale: search, filters, sort, one page at a time.

Every state is a URL (``WorklistQuery.from_params`` / ``.pairs``). A page costs a constant
number of queries whatever the catalogue's size: one COUNT, one SELECT of the page's 50 rows
(only the columns the list shows, never the description), one GROUP BY of their findings and
one look-up of their editors. Migration 0150 adds the indexes the sorts and the findings
filter read (``scripts/bench_admin.py`` times it at 50,000 devices).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, and_, func, literal_column, or_, table, text
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.browse.text import contains, runs
from catalogue.claims import audit
from catalogue.core.paging import page_count
from catalogue.data.models import FORM_FACTORS, STATUSES, Device, Finding
from catalogue.devices.editing import user_emails

PER_PAGE = 50
MAX_WORDS = 8
# Sort keys in URLs (``sort=name``, ``sort=-updated`` for newest first) and their columns.
SORTS: dict[str, Any] = {
    "name": Device.name,
    "brand": Device.brand,
    "sku": Device.sku,
    "status": Device.status,
    "light": Device.light_type,
    "form": Device.form_factor,
    "price": Device.price,
    "updated": Device.updated_at,
}
DEFAULT_SORT = "-updated"
# What a row shows: never the description, the one large column.
PAGE_COLUMNS = (
    Device.id,
    Device.slug,
    Device.name,
    Device.brand,
    Device.sku,
    Device.status,
    Device.light_type,
    Device.form_factor,
    Device.price,
    Device.currency,
    Device.updated_at,
    Device.version,
    Device.updated_by_id,
)
# ``findings=``: devices with an error, a warning, any finding at all, or none.
FINDINGS = {
    "error": "With an error",
    "warning": "With a warning",
    "any": "With any finding",
    "none": "Without findings",
}


class WorklistError(ValueError):
    """A query argument the list cannot use, named so the page can say which."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key, self.message = key, message


@dataclass(frozen=True, slots=True)
class WorklistQuery:
    q: str = ""
    status: str = ""
    brand: str = ""
    form_factor: str = ""
    findings: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> WorklistQuery:
        """The query from ``?q=&status=…``; ``WorklistError`` naming a value it cannot use."""
        choices = {"status": STATUSES, "form_factor": FORM_FACTORS, "findings": tuple(FINDINGS)}
        values: dict[str, Any] = {}
        for key, allowed in choices.items():
            value = (params.get(key) or "").strip()
            if value and value not in allowed:
                raise WorklistError(key, f"{value!r} is not one of {', '.join(allowed)}")
            values[key] = value
        sort = (params.get("sort") or DEFAULT_SORT).strip()
        if sort.lstrip("-") not in SORTS:
            raise WorklistError("sort", f"{sort!r} is not one of {', '.join(SORTS)}")
        page_text = (params.get("page") or "1").strip()
        if not page_text.isdigit() or not 1 <= int(page_text) <= 100_000:
            raise WorklistError("page", f"{page_text!r} is not a page number")
        return cls(
            q=" ".join((params.get("q") or "").split())[:200],
            brand=(params.get("brand") or "").strip()[:100],
            sort=sort,
            page=int(page_text),
            **values,
        )

    @property
    def words(self) -> list[str]:
        return self.q.split()[:MAX_WORDS]

    @property
    def sort_key(self) -> str:
        return self.sort.lstrip("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def pairs(self) -> list[tuple[str, str]]:
        """The query arguments that differ from the defaults, in a stable order."""
        pairs = [
            (name, value)
            for name in ("q", "status", "brand", "form_factor", "findings")
            if (value := getattr(self, name))
        ]
        if self.sort != DEFAULT_SORT:
            pairs.append(("sort", self.sort))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def query_string(self) -> str:
        return urlencode(self.pairs())

    def url(self, path: str = "/admin/devices", **changes: Any) -> str:
        """This state's address with ``changes``; a change other than ``page`` starts at 1."""
        if changes and "page" not in changes:
            changes["page"] = 1
        query = replace(self, **changes).query_string()
        return f"{path}?{query}" if query else path

    def sorted_by(self, key: str) -> str:
        """The address that sorts by ``key``, or reverses it when the list is sorted by it."""
        if self.sort_key == key:
            return self.url(sort=key if self.descending else f"-{key}")
        return self.url(sort=f"-{key}" if key == "updated" else key)


@dataclass(frozen=True, slots=True)
class WorkRow:
    id: int
    slug: str
    name: str
    brand: str
    sku: str
    status: str
    light_type: str
    form_factor: str
    price: Decimal
    currency: str
    updated_at: datetime
    version: int
    editor: str | None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WorklistPage:
    query: WorklistQuery
    rows: list[WorkRow]
    total: int

    @property
    def pages(self) -> int:
        return page_count(self.total, PER_PAGE)

    @property
    def first(self) -> int:
        return (self.query.page - 1) * PER_PAGE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    def page_links(self) -> list[tuple[int, str] | None]:
        """1 … 4 5 [6] 7 8 … 20, with None for a gap."""
        now, last = self.query.page, self.pages
        shown = sorted({1, last, *range(max(1, now - 2), min(last, now + 2) + 1)})
        links: list[tuple[int, str] | None] = []
        previous = 0
        for n in shown:
            if n - previous > 1:
                links.append(None)
            links.append((n, self.query.url(page=n)))
            previous = n
        return links


def _findings_condition(kind: str) -> ColumnElement[bool]:
    with_findings = select(Finding.device_id)
    if kind in ("error", "warning"):
        with_findings = with_findings.where(Finding.severity == kind)
    if kind == "none":
        return col(Device.id).not_in(with_findings)
    return col(Device.id).in_(with_findings)


def _starts_with(column: Any, text: str) -> ColumnElement[bool]:
    """``column`` begins with ``text``, as a range the column's unique index answers."""
    return and_(col(column) >= text, col(column) < text + "\U0010ffff")


def _word(word: str, dialect: str) -> ColumnElement[bool]:
    """One searched word: the start of a word in the name or brand, or the start of the SKU or
    slug (``BENCH-01`` finds ``BENCH-012345``)."""
    keys = [
        _starts_with(Device.sku, word),
        _starts_with(Device.sku, word.upper()),
        _starts_with(Device.slug, word.lower()),
    ]
    terms = runs(word)
    if dialect == "sqlite" and terms:
        # device_fts (migration 0003) restricted to the name and brand columns.
        match = "{name brand} : " + " ".join(f'"{t}"*' for t in terms)
        named: Any = select(literal_column("rowid")).select_from(table("device_fts"))
        keys.append(
            col(Device.id).in_(named.where(literal_column("device_fts").op("MATCH")(match)))
        )
    else:
        keys += [contains(Device.name, word), contains(Device.brand, word)]
    return or_(*keys)


def conditions(query: WorklistQuery, dialect: str) -> list[ColumnElement[bool]]:
    """The WHERE clause: every searched word in the name, brand, SKU or slug, and the filters."""
    where = [_word(word, dialect) for word in query.words]
    for name in ("status", "brand", "form_factor"):
        if value := getattr(query, name):
            where.append(getattr(Device, name) == value)
    if query.findings:
        where.append(_findings_condition(query.findings))
    return where


def worklist(session: Session, query: WorklistQuery) -> WorklistPage:
    where = conditions(query, session.get_bind().dialect.name)
    total = int(session.scalar(select(func.count()).select_from(Device).where(*where)) or 0)
    column = SORTS[query.sort_key]
    order = (col(column).desc(), col(Device.id).desc()) if query.descending else (column, Device.id)
    found = session.execute(
        sa_select(*(col(c) for c in PAGE_COLUMNS))
        .where(*where)
        .order_by(*order)
        .limit(PER_PAGE)
        .offset((query.page - 1) * PER_PAGE)
    ).all()
    counts = audit.finding_counts(session, [r.id for r in found])
    emails = user_emails(session, (r.updated_by_id for r in found))
    rows = [
        WorkRow(
            **{k: v for k, v in r._mapping.items() if k != "updated_by_id"},
            editor=emails.get(r.updated_by_id) if r.updated_by_id else None,
            counts=counts.get(r.id, {}),
        )
        for r in found
    ]
    return WorklistPage(query=query, rows=rows, total=total)


def brands(session: Session) -> list[str]:
    """Every brand once, for the brand filter.

    A skip scan: each step asks the brand index for the next brand after the last one, so
    60 brands cost 60 index seeks rather than a DISTINCT over every device.
    """
    step = text(
        "WITH RECURSIVE b(brand) AS ("
        " SELECT min(brand) FROM device"
        " UNION ALL"
        " SELECT (SELECT min(d.brand) FROM device d WHERE d.brand > b.brand)"
        " FROM b WHERE b.brand IS NOT NULL"
        ") SELECT brand FROM b WHERE brand IS NOT NULL"
    )
    return [str(b) for b in session.scalars(step)]


def status_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Device.status, func.count()).group_by(col(Device.status)))
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: n for status, n in rows})
    return counts


def parse_ticked(values: Sequence[str]) -> list[tuple[int, int]]:
    """Ticked rows as ``(device id, version seen)``; a checkbox's value is ``"12:3"``."""
    ticked = []
    for value in values:
        device_id, _, version = value.partition(":")
        if device_id.isdigit() and version.isdigit():
            ticked.append((int(device_id), int(version)))
    return list(dict.fromkeys(ticked))
