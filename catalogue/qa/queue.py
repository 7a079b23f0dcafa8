"""The review queue: listings in review, the longest-waiting first, with their open findings.

"Waiting since" is when the listing last entered ``in_review``: the newest history entry
whose ``status`` change ends in ``in_review`` (a submit, an edit of a published listing, an
import). A listing with no such entry (written straight to the table) waits since it was
last updated. Approving many at once runs each through ``workflow.move_device`` in a
transaction of its own, so the publish gate decides for each and one refusal leaves the
others done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.claims import audit
from catalogue.core.paging import page_count
from catalogue.data.db import Database
from catalogue.data.models import Device, DeviceChange
from catalogue.devices import crud, workflow
from catalogue.qa.listing import (
    AuditFilters,
    AuditFinding,
    AuditListing,
    attach_findings,
    listing_from_row,
    listing_query,
)

PER_PAGE = 50
MAX_TICKED = 100  # two pages' worth: more than one form can show is not a person ticking


@dataclass(frozen=True, slots=True)
class QueueFinding:
    rule: str
    title: str
    severity: str
    text: str
    message: str
    is_record_check: bool


@dataclass
class QueueItem:
    listing: AuditListing
    waiting_since: datetime
    findings: list[QueueFinding]  # open ones only: a waived warning no longer needs a look


@dataclass
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0


def _entered_review() -> Any:
    """Per device in review: when its history last moved it into ``in_review``."""
    target = col(DeviceChange.changes)[("status", 1)].as_string()
    in_review = select(Device.id).where(col(Device.status) == "in_review")
    return (
        sa_select(
            col(DeviceChange.device_id).label("device_id"),
            func.max(col(DeviceChange.at)).label("entered"),
        )
        .where(col(DeviceChange.device_id).in_(in_review), target == "in_review")
        .group_by(col(DeviceChange.device_id))
        .subquery("entered_review")
    )


def _finding(f: AuditFinding, titles: dict[str, str]) -> QueueFinding:
    return QueueFinding(
        rule=f.rule,
        title=titles.get(f.rule, f.rule),
        severity=f.severity,
        text=f.text,
        message=f.message,
        is_record_check=f.is_record_check,
    )


def queue_page(session: Session, page: int = 1, *, per_page: int = PER_PAGE) -> QueuePage:
    """One page of the queue, oldest submission first: a fixed number of queries."""
    query, _ = listing_query(AuditFilters(status="in_review"))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = min(max(page, 1), page_count(total, per_page))
    entered = _entered_review()
    waiting = func.coalesce(entered.c.entered, col(Device.updated_at))
    rows = session.execute(
        query.add_columns(waiting.label("waiting_since"))
        .outerjoin(entered, entered.c.device_id == col(Device.id))
        .order_by(waiting, col(Device.id))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    listings = [listing_from_row(row) for row in rows]
    attach_findings(session, listings, rule=None)
    titles = audit.rule_title_map(session) if listings else {}
    items = [
        QueueItem(
            listing=listing,
            waiting_since=row.waiting_since,
            findings=[_finding(f, titles) for f in listing.findings if not f.waived],
        )
        for listing, row in zip(listings, rows, strict=True)
    ]
    return QueuePage(items=items, total=total, page=page, per_page=per_page)


def item_json(item: QueueItem) -> dict[str, Any]:
    listing = item.listing
    return {
        "slug": listing.slug,
        "name": listing.name,
        "brand": listing.brand,
        "version": listing.version,
        "waiting_since": item.waiting_since.isoformat(),
        "blocked": listing.blocked,
        "findings": [
            {
                "rule": f.rule,
                "title": f.title,
                "severity": f.severity,
                "text": f.text,
                "message": f.message,
            }
            for f in item.findings
        ],
    }


# --- approving many ---------------------------------------------------------------------------


@dataclass
class Approvals:
    """What "Approve ticked" did: names of the approved, and each refused with why."""

    approved: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (device name, why)

    def as_notice(self) -> dict[str, Any]:
        return {"approved": self.approved, "refused": [list(pair) for pair in self.refused]}


def _blocked_by(session: Session, device_id: int) -> str:
    """``open error 'Promises a cure or treatment'; unwaived warning 'Clinically proven'``."""
    titles = audit.rule_title_map(session)
    named: dict[str, None] = {}
    for f in audit.blocking_findings(session, device_id=device_id):
        kind = "open error" if f.severity == "error" else "unwaived warning"
        named[f"{kind} {titles.get(f.rule_id, f.rule_id)!r}"] = None
    return "; ".join(named)


def approve_ticked(
    db: Database,
    *,
    ticked: Sequence[tuple[int, int]],
    role: str,
    user_id: int | None,
) -> Approvals:
    """Approve each ticked ``(device id, version seen)``: the gate decides for each one."""
    outcome = Approvals()
    for device_id, version in ticked[:MAX_TICKED]:
        with db.writing() as session:
            device = session.get(Device, device_id)
            if device is None:
                outcome.refused.append((f"device {device_id}", "it no longer exists"))
                continue
            name = device.name
            try:
                # A savepoint: a refusal must leave nothing of this device's attempt behind.
                with session.begin_nested():
                    workflow.move_device(
                        session,
                        device=device,
                        action="approve",
                        role=role,
                        user_id=user_id,
                        expected_version=version,
                    )
            except workflow.WorkflowError as exc:
                why = _blocked_by(session, device_id) if exc.blockers else exc.message
                outcome.refused.append((name, why))
            except crud.VersionConflict:
                outcome.refused.append((name, "it changed after the queue was loaded"))
            else:
                outcome.approved.append(name)
    return outcome
