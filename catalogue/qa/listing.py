"""The audit list: filters, what a page shows, the queries behind it, and its facets.

Counts are of *open* findings (``core.gate.is_open``): a warning QA has waived no longer
counts, an error always does; whether a listing is blocked is the gate's SQL twin
(``audit.open_counts``). A page of listings costs a fixed number of queries
whatever its size: one for the page, one for the total, one for the findings of the shown
listings and one for their waivers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, case, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.claims import audit
from catalogue.claims.highlight import Note, Segment, segments
from catalogue.core import gate
from catalogue.core.claims.check import SEVERITIES
from catalogue.core.inputs import whole_number
from catalogue.core.paging import page_count
from catalogue.data.models import STATUSES, ClaimRule, Device, Finding, User, Waiver
from catalogue.devices import workflow

PER_PAGE = 25
MAX_PAGE = 100_000


class QAError(ValueError):
    """An audit action or filter that cannot be done, with a message for the person who tried.

    ``key`` names the query argument or form field at fault, when there is one.
    """

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.key = key


@dataclass(frozen=True, slots=True)
class AuditFilters:
    """What the audit list is narrowed to; every state is a URL (``query()``)."""

    rule: str | None = None
    severity: str | None = None  # listings with at least one *open* finding of it
    status: str | None = None
    brand: str | None = None
    page: int = 1

    def query(self, **changes: Any) -> str:
        """``?rule=cure-claim&page=2`` for this state with ``changes`` applied.

        Changing a filter goes back to page 1, so a link never lands past the last page.
        """
        if changes and "page" not in changes:
            changes["page"] = 1
        state = replace(self, **changes)
        pairs = [
            (k, v)
            for k, v in (
                ("rule", state.rule),
                ("severity", state.severity),
                ("status", state.status),
                ("brand", state.brand),
                ("page", state.page if state.page > 1 else None),
            )
            if v
        ]
        return "?" + urlencode(pairs) if pairs else ""

    @property
    def active(self) -> bool:
        return any((self.rule, self.severity, self.status, self.brand))


def parse_filters(params: Mapping[str, str], *, rule_ids: Sequence[str]) -> AuditFilters:
    """Filters from query arguments; ``QAError`` names the argument that makes no sense."""

    def pick(key: str, allowed: Sequence[str]) -> str | None:
        value = (params.get(key) or "").strip()
        if value in ("", "all"):
            return None
        if value not in allowed:
            raise QAError(f"{value!r} is not one of {', '.join(allowed)}", key=key)
        return value

    page_text = (params.get("page") or "1").strip()
    try:
        page = whole_number(page_text, low=1, high=MAX_PAGE)
    except ValueError:
        shown = page_text if len(page_text) <= 20 else page_text[:20] + "…"
        raise QAError(f"{shown!r} is not a page number (1 to {MAX_PAGE:,})", key="page") from None
    return AuditFilters(
        rule=pick("rule", rule_ids),
        severity=pick("severity", SEVERITIES),
        status=pick("status", STATUSES),
        brand=(params.get("brand") or "").strip() or None,
        page=page,
    )


# --- what a page shows --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WaiverView:
    id: int
    reason: str
    by: str  # the email of who waived it, or "a removed account"
    at: datetime


@dataclass(frozen=True, slots=True)
class AuditFinding:
    id: int
    rule: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str
    waiver: WaiverView | None = None

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    @property
    def is_record_check(self) -> bool:
        """A check of the record itself (a deep area on a red-only device): no words to mark."""
        return self.start == self.end

    @property
    def can_waive(self) -> bool:
        return gate.waiver_applies(self.severity) and self.waiver is None

    @property
    def anchor(self) -> str:
        return f"finding-{self.id}"


@dataclass
class AuditListing:
    id: int
    slug: str
    name: str
    brand: str
    status: str
    version: int
    description: str
    light_type: str
    counts: dict[str, int]  # open findings by severity
    waived: int
    blocking: int  # findings that keep it from being published (the gate, in SQL)
    findings: list[AuditFinding] = field(default_factory=list)

    @property
    def segments(self) -> list[Segment]:
        return segments(
            self.description,
            [
                (f.start, f.end, Note(f.rule, f.severity, f.message, f.waived))
                for f in self.findings
            ],
        )

    @property
    def blocked(self) -> bool:
        """The publish gate as the page sees it; ``workflow.move_device`` decides on approve."""
        return self.blocking > 0

    @property
    def can_approve(self) -> bool:
        return self.status == "in_review" and not self.blocked

    @property
    def can_send_back(self) -> bool:
        return self.status in workflow.TRANSITIONS["send_back"].sources


@dataclass
class AuditPage:
    filters: AuditFilters
    listings: list[AuditListing]
    total: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)

    @property
    def first(self) -> int:
        return (self.filters.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return self.first + len(self.listings) - 1 if self.listings else 0


# --- queries ------------------------------------------------------------------------------


def _where(filters: AuditFilters, counts: Any) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.status:
        conditions.append(col(Device.status) == filters.status)
    if filters.brand:
        conditions.append(col(Device.brand) == filters.brand)
    if filters.rule:
        hit = select(Finding.device_id).where(col(Finding.rule_id) == filters.rule)
        conditions.append(col(Device.id).in_(hit))
    if filters.severity:
        conditions.append(func.coalesce(counts.c[filters.severity], 0) > 0)
    return conditions


# Not the whole row: a page of listings needs no prices, distances or timestamps.
LISTING_COLUMNS = (
    Device.id,
    Device.slug,
    Device.name,
    Device.brand,
    Device.status,
    Device.version,
    Device.description,
    Device.light_type,
)


def listing_query(filters: AuditFilters) -> tuple[Any, Any]:
    counts = audit.open_counts()
    query = (
        sa_select(
            *(col(c) for c in LISTING_COLUMNS),
            *(func.coalesce(counts.c[s], 0).label(s) for s in (*SEVERITIES, "waived", "blocking")),
        )
        .select_from(Device)
        .outerjoin(counts, counts.c.device_id == col(Device.id))
        .where(*_where(filters, counts))
    )
    return query, counts


COUNT_COLUMNS = (*SEVERITIES, "waived", "blocking")


def page_query(filters: AuditFilters, per_page: int) -> Any:
    """One page of listings in the audit order: in review first, then most open errors,
    warnings, then name and id.

    The order is ranked in a subquery that reads only the columns it orders by (status, name
    and id, all in ``ix_device_browse_name``: an index alone, not the table) and keeps
    ``per_page`` rows; only those rows' listing columns are then read, so a page does not
    read every device's description."""
    counts = audit.open_counts()
    in_review_first = case((col(Device.status) == "in_review", 0), else_=1)
    ranked = (
        sa_select(
            col(Device.id).label("id"),
            in_review_first.label("in_review_first"),
            *(func.coalesce(counts.c[c], 0).label(c) for c in COUNT_COLUMNS),
        )
        .select_from(Device)
        .outerjoin(counts, counts.c.device_id == col(Device.id))
        .where(*_where(filters, counts))
        .order_by(
            in_review_first,
            func.coalesce(counts.c.error, 0).desc(),
            func.coalesce(counts.c.warning, 0).desc(),
            col(Device.name),
            # The same order as the id itself; SQLite, ordering by the row id last, would
            # otherwise walk a narrow index that lacks the name and read every row's table
            # entry besides (three times the time at 50,000 devices).
            col(Device.id) + 0,
        )
        .limit(per_page)
        .offset((filters.page - 1) * per_page)
        .subquery("ranked")
    )
    return (
        sa_select(*(col(c) for c in LISTING_COLUMNS), *(ranked.c[c] for c in COUNT_COLUMNS))
        .select_from(Device)
        .join(ranked, ranked.c.id == col(Device.id))
        .order_by(
            ranked.c.in_review_first,
            ranked.c.error.desc(),
            ranked.c.warning.desc(),
            col(Device.name),
            col(Device.id),
        )
    )


def audit_page(session: Session, filters: AuditFilters, *, per_page: int = PER_PAGE) -> AuditPage:
    """One page of listings, the review queue first: in review, then most errors, warnings."""
    total = count_listings(session, filters)
    pages = page_count(total, per_page)
    filters = replace(filters, page=min(filters.page, pages))
    rows = session.execute(page_query(filters, per_page)).all()
    listings = [listing_from_row(row) for row in rows]
    attach_findings(session, listings, rule=None)
    return AuditPage(filters=filters, listings=listings, total=total, per_page=per_page)


def listing_from_row(row: Any) -> AuditListing:
    return AuditListing(
        id=row.id,
        slug=row.slug,
        name=row.name,
        brand=row.brand,
        status=row.status,
        version=row.version,
        description=row.description,
        light_type=row.light_type,
        counts={s: int(getattr(row, s)) for s in SEVERITIES},
        waived=int(row.waived),
        blocking=int(row.blocking),
    )


def attach_findings(
    session: Session, listings: Sequence[AuditListing], *, rule: str | None
) -> None:
    """Fill each listing's findings: one query for the findings, one for the waivers."""
    by_id = {listing.id: listing for listing in listings}
    if not by_id:
        return
    query = select(Finding).where(col(Finding.device_id).in_(list(by_id)))
    if rule:
        query = query.where(col(Finding.rule_id) == rule)
    findings = session.scalars(
        query.order_by(col(Finding.device_id), col(Finding.start), col(Finding.rule_id))
    ).all()
    waivers: dict[tuple[int, str, str], WaiverView] = {}
    rows = session.execute(
        select(Waiver, User.email)
        .outerjoin(User, col(User.id) == col(Waiver.user_id))
        .where(col(Waiver.device_id).in_(list(by_id)))
    )
    for waiver, email in rows:
        assert waiver.id is not None
        waivers[(waiver.device_id, waiver.rule_id, waiver.text)] = WaiverView(
            waiver.id, waiver.reason, email or "a removed account", waiver.at
        )
    for f in findings:
        assert f.id is not None
        key = (f.device_id, f.rule_id, f.text)
        view = waivers.get(key) if gate.waiver_applies(f.severity) else None
        by_id[f.device_id].findings.append(
            AuditFinding(
                f.id, f.rule_id, f.severity, f.start, f.end, f.text, f.message, f.suggestion, view
            )
        )


def iter_listings(
    session: Session, filters: AuditFilters, *, batch: int = 500, only_rule_findings: bool = True
) -> Iterator[AuditListing]:
    """Every listing the filters select, in slug order, read ``batch`` at a time (export, CLI).

    With a rule filter, only that rule's findings are attached when ``only_rule_findings``.
    """
    query, _ = listing_query(filters)
    last = ""
    while True:
        rows = session.execute(
            query.where(col(Device.slug) > last).order_by(col(Device.slug)).limit(batch)
        ).all()
        if not rows:
            return
        listings = [listing_from_row(row) for row in rows]
        attach_findings(session, listings, rule=filters.rule if only_rule_findings else None)
        yield from listings
        last = listings[-1].slug


def _counted(filters: AuditFilters) -> Any:
    """The devices the filters select, to be counted: the findings' counts are joined only
    for a severity filter (every device is a listing, with findings or not), so the count
    reads an index of ``device`` rather than every device and every finding."""
    if filters.severity:
        query, _ = listing_query(filters)
        return query.subquery()
    return sa_select(col(Device.id), col(Device.status)).where(*_where(filters, None)).subquery()


def count_listings(session: Session, filters: AuditFilters) -> int:
    return session.scalar(sa_select(func.count()).select_from(_counted(filters))) or 0


# --- facets -------------------------------------------------------------------------------


def rule_hits(
    session: Session, *, status: str | None = None, brand: str | None = None
) -> dict[str, int]:
    """``{rule id: listings with a finding of it}``, waived findings included: they still hit."""
    query = select(Finding.rule_id, func.count(func.distinct(Finding.device_id))).group_by(
        col(Finding.rule_id)
    )
    if status or brand:
        query = query.join(Device, col(Device.id) == col(Finding.device_id))
        if status:
            query = query.where(col(Device.status) == status)
        if brand:
            query = query.where(col(Device.brand) == brand)
    return {rule_id: n for rule_id, n in session.execute(query)}


def status_counts(session: Session, filters: AuditFilters | None = None) -> dict[str, int]:
    """Listings per status under every other filter (the tabs that switch status)."""
    listed = _counted(replace(filters or AuditFilters(), status=None, page=1))
    rows = session.execute(sa_select(listed.c.status, func.count()).group_by(listed.c.status))
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: n for status, n in rows})
    return counts


def brands(session: Session) -> list[str]:
    return list(session.scalars(select(Device.brand).distinct().order_by(col(Device.brand))))


def rule_titles(session: Session) -> dict[str, tuple[str, str]]:
    """``{rule id: (severity, title)}`` in title order, for the filter's options."""
    rows = session.execute(
        select(ClaimRule.id, ClaimRule.severity, ClaimRule.title).order_by(
            col(ClaimRule.title), col(ClaimRule.id)
        )
    )
    return {rule_id: (severity, title) for rule_id, severity, title in rows}
