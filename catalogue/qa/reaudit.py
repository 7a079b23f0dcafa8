"""Re-auditing the catalogue after a rule change, in the background, with its progress stored.

Saving a rule records a ``Reaudit`` row in the same transaction, then a thread of the app
process works through every listing in batches, one transaction per batch: it recomputes
the findings and sends each published listing that gained an error back to review
(``workflow.move_device``, the automatic ``recheck`` move, with a note naming the rule and
the words). Progress is a row in the database, so any process can show it. A run stops as
``superseded`` when a newer rule change has started its own run (which redoes everything),
and a run whose process died shows as stalled once it stops moving.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.claims import audit
from catalogue.core.inputs import MAX_ID
from catalogue.data.db import Database
from catalogue.data.models import Device, Finding, as_utc, utcnow
from catalogue.data.rule_tables import Reaudit
from catalogue.devices import workflow

BATCH = 500
STALLED_AFTER = timedelta(minutes=2)
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Progress:
    id: int
    rule_id: str
    rule_version: int
    state: str  # running, done, superseded, failed, stalled
    done: int
    total: int
    sent_back: int
    started_at: datetime
    error: str | None

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.state != "running"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule_id,
            "rule_version": self.rule_version,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "sent_back": self.sent_back,
            "started_at": self.started_at.isoformat(),
        }


def begin(session: Session, *, rule_id: str, rule_version: int, user_id: int | None) -> Reaudit:
    """The run's row, written with the rule change (same transaction)."""
    total = session.scalar(select(func.count()).select_from(Device)) or 0
    run = Reaudit(rule_id=rule_id, rule_version=rule_version, started_by_id=user_id, total=total)
    session.add(run)
    session.flush()
    return run


def launch(db: Database, run_id: int) -> threading.Thread:
    """Work through the run in a thread of this process (after its row is committed)."""
    thread = threading.Thread(target=run, args=(db, run_id), name=f"reaudit-{run_id}", daemon=True)
    thread.start()
    return thread


def progress(session: Session, run_id: int) -> Progress | None:
    # An id no INTEGER column can hold is no run (PostgreSQL would refuse the query).
    row = session.get(Reaudit, run_id) if 0 < run_id <= MAX_ID else None
    if row is None or row.id is None:
        return None
    state = row.state
    if state == "running" and utcnow() - as_utc(row.updated_at) > STALLED_AFTER:
        state = "stalled"
    return Progress(
        id=row.id,
        rule_id=row.rule_id,
        rule_version=row.rule_version,
        state=state,
        done=row.done,
        total=row.total,
        sent_back=row.sent_back,
        started_at=as_utc(row.started_at),
        error=row.error,
    )


def latest(session: Session, rule_id: str | None = None) -> Progress | None:
    """The newest run (of one rule's changes, when given)."""
    query = select(Reaudit.id).order_by(col(Reaudit.id).desc()).limit(1)
    if rule_id:
        query = query.where(col(Reaudit.rule_id) == rule_id)
    run_id = session.scalar(query)
    return progress(session, run_id) if run_id is not None else None


def _errors(session: Session, device_ids: list[int]) -> dict[int, set[tuple[str, str]]]:
    found: dict[int, set[tuple[str, str]]] = {i: set() for i in device_ids}
    rows = session.execute(
        select(Finding.device_id, Finding.rule_id, Finding.text).where(
            col(Finding.device_id).in_(device_ids), col(Finding.severity) == "error"
        )
    )
    for device_id, rule_id, text in rows:
        found[device_id].add((rule_id, text))
    return found


def _note(titles: dict[str, str], gained: set[tuple[str, str]], run: Reaudit) -> str:
    """Why the listing left the shop, e.g. "The claim rule 'Promises a cure or treatment'
    (version 3) now finds an error here: 'cures arthritis'."""
    parts = []
    for rule_id, text in sorted(gained):
        words = f": '{text}'" if text else " in the record (emissions and areas)"
        parts.append(f"'{titles.get(rule_id, rule_id)}'{words}")
    return (
        f"Back to review after a change to the claim rule '{titles.get(run.rule_id, run.rule_id)}'"
        f" (version {run.rule_version}): it now finds an error in this published listing, "
        + "; ".join(parts)
        + ". Fix the listing, then approve it again."
    )


def _batch(session: Session, run: Reaudit, ids: list[int], context: audit.AuditContext) -> int:
    """Re-audit one batch; returns how many published listings went back to review."""
    # A listing deleted since the run began has nothing left to check.
    ids = [i for i in session.scalars(select(Device.id).where(col(Device.id).in_(ids))) if i]
    published = list(
        session.scalars(
            select(Device.id).where(col(Device.id).in_(ids), col(Device.status) == "published")
        )
    )
    before = _errors(session, [i for i in published if i is not None])
    audit.refresh_findings(session, device_ids=ids, context=context)
    after = _errors(session, list(before))
    titles: dict[str, str] | None = None
    sent = 0
    for device_id, errors in after.items():
        gained = errors - before[device_id]
        if not gained:
            continue
        titles = titles or audit.rule_title_map(session)
        device = session.get(Device, device_id)
        assert device is not None
        workflow.move_device(
            session,
            device=device,
            action="recheck",
            role="qa",
            user_id=run.started_by_id,
            expected_version=device.version,
            comment=_note(titles, gained, run),
            automatic=True,
        )
        sent += 1
    return sent


def _superseded(session: Session, run_id: int) -> bool:
    newest = session.scalar(select(func.max(Reaudit.id)))
    return newest is not None and newest > run_id


def run(db: Database, run_id: int, *, batch: int = BATCH) -> None:
    """Work through every listing; the run's row says how far it got and how it ended."""
    try:
        with db.session() as session:
            ids = [i for i in session.scalars(select(Device.id).order_by(col(Device.id))) if i]
            context = audit.load_context(session)
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            with db.writing() as session:
                run_row = session.get(Reaudit, run_id, with_for_update=True)
                if run_row is None or run_row.state != "running":
                    return
                if _superseded(session, run_id):
                    run_row.state, run_row.finished_at = "superseded", utcnow()
                    return
                sent = _batch(session, run_row, chunk, context)
                run_row.done += len(chunk)
                run_row.sent_back += sent
                run_row.updated_at = utcnow()
        with db.writing() as session:
            session.execute(
                update(Reaudit)
                .where(col(Reaudit.id) == run_id, col(Reaudit.state) == "running")
                .values(state="done", done=len(ids), total=len(ids), finished_at=utcnow())
            )
    except Exception as exc:  # the run must end with a state, whatever went wrong
        log.exception("re-audit %s failed", run_id)
        with db.writing() as session:
            session.execute(
                update(Reaudit)
                .where(col(Reaudit.id) == run_id)
                .values(state="failed", error=str(exc)[:2000], finished_at=utcnow())
            )
