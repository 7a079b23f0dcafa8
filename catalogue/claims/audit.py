"""Stored claim findings: recomputed on every write, read by the editor, QA and the publish gate.

The checking itself is the pure core (``catalogue.core.claims.check``); this module feeds it a
device's record and keeps its findings in the ``finding`` table. Waivers live apart, keyed
by (device, rule, words), so a recompute that finds the same words keeps their waiver.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.core import gate
from catalogue.core.bands import Area, Band
from catalogue.core.claims.check import SEVERITIES, ClaimFinding, Rule, check_listing, load_rules
from catalogue.data.children import areas_by_device, wavelengths_by_device
from catalogue.data.models import (
    ClaimRule,
    Device,
    DeviceImage,
    Finding,
    Waiver,
)
from catalogue.data.reference import load_areas, load_bands
from catalogue.data.rule_tables import RuleSetVersion


@dataclass(frozen=True)
class AuditContext:
    """What every check needs, loaded once per request, import or audit run."""

    rules: tuple[Rule, ...]
    bands: tuple[Band, ...]
    areas: dict[str, Area]

    def areas_for(self, slugs: Iterable[str]) -> list[Area]:
        return [self.areas[s] for s in slugs if s in self.areas]


# Validated rules per database, filed under the rules version that triggers on
# ``claim_rule`` bump (migration 0180): a process validates them once per version, not once
# per request. Keyed by engine, so a process serving several databases keeps them apart.
_RULES: weakref.WeakKeyDictionary[Any, tuple[int, tuple[Rule, ...]]] = weakref.WeakKeyDictionary()


def rules_version(session: Session) -> int | None:
    """The rules version now (None when the counter row is missing, e.g. after a TRUNCATE)."""
    return session.scalar(select(RuleSetVersion.version).where(col(RuleSetVersion.id) == 1))


def load_rule_rows(session: Session) -> tuple[Rule, ...]:
    """The enabled rules, validated; cached per rules version (read first, so rules read
    after a change are never filed under the version before it)."""
    version = rules_version(session)
    engine = session.get_bind()
    cached = _RULES.get(engine)
    if version is not None and cached is not None and cached[0] == version:
        return cached[1]
    specs = session.scalars(
        select(ClaimRule.spec).where(col(ClaimRule.enabled)).order_by(col(ClaimRule.id))
    ).all()
    rules = load_rules(list(specs))
    if version is not None:
        _RULES[engine] = (version, rules)
    return rules


def load_context(session: Session) -> AuditContext:
    return AuditContext(
        rules=load_rule_rows(session),
        bands=load_bands(session),
        areas={a.slug: a for a in load_areas(session)},
    )


def preview(
    session: Session,
    *,
    description: str,
    wavelengths_nm: Sequence[float],
    areas: Sequence[str],
    context: AuditContext | None = None,
) -> list[ClaimFinding]:
    """Findings for a listing that is not saved yet (the editor's live preview, the API)."""
    context = context or load_context(session)
    return check_listing(
        description, wavelengths_nm, context.areas_for(areas), context.rules, context.bands
    )


def listing_text(description: str, alt_texts: Sequence[str]) -> str:
    """What the checker reads for a device: the description, then each image's alt text as a
    paragraph of its own (alt text is listing copy too). A finding that starts past the
    description's end is in alt text; highlights of the description leave it out."""
    return "\n\n".join([description, *alt_texts])


def alt_texts(session: Session, device_ids: Sequence[int]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(DeviceImage.device_id, DeviceImage.alt_text)
        .where(col(DeviceImage.device_id).in_(device_ids))
        .order_by(col(DeviceImage.device_id), col(DeviceImage.position), col(DeviceImage.id))
    )
    for device_id, alt in rows:
        texts[device_id].append(alt)
    return texts


def finding_row(device_id: int, finding: ClaimFinding) -> dict[str, Any]:
    """A checker finding as a ``finding`` row stores it."""
    return {
        "device_id": device_id,
        "rule_id": finding.rule,
        "severity": finding.severity,
        "start": finding.start,
        "end": finding.end,
        "text": finding.text,
        "message": finding.message,
        "suggestion": finding.suggestion,
    }


def refresh_findings(
    session: Session,
    *,
    device_id: int | None = None,
    device_ids: Sequence[int] = (),
    context: AuditContext | None = None,
) -> int:
    """Recompute and store the findings of one device or several; returns how many were stored."""
    device_ids = [device_id] if device_id is not None else list(device_ids)
    if not device_ids:
        return 0
    context = context or load_context(session)
    wavelengths = wavelengths_by_device(session, device_ids)
    areas = areas_by_device(session, device_ids)
    descriptions: dict[int, str] = {
        device_id: text
        for device_id, text in session.execute(
            select(Device.id, Device.description).where(col(Device.id).in_(device_ids))
        )
    }
    alt = alt_texts(session, device_ids)
    session.execute(delete(Finding).where(col(Finding.device_id).in_(device_ids)))
    stored = 0
    for device_id in device_ids:
        findings = check_listing(
            listing_text(descriptions.get(device_id, ""), alt[device_id]),
            wavelengths[device_id],
            context.areas_for(areas[device_id]),
            context.rules,
            context.bands,
        )
        session.add_all(Finding(**finding_row(device_id, f)) for f in findings)
        stored += len(findings)
    session.flush()
    return stored


def refresh_all(
    session: Session,
    *,
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Recompute every device's findings in batches (after a rule or band changes)."""
    context = load_context(session)
    ids = list(session.scalars(select(Device.id).order_by(col(Device.id))).all())
    stored = 0
    for start in range(0, len(ids), batch):
        chunk = [i for i in ids[start : start + batch] if i is not None]
        stored += refresh_findings(session, device_ids=chunk, context=context)
        if progress:
            progress(len(chunk))
    return stored


def waived_keys(session: Session, device_ids: Sequence[int]) -> set[tuple[int, str, str]]:
    rows = session.execute(
        select(Waiver.device_id, Waiver.rule_id, Waiver.text).where(
            col(Waiver.device_id).in_(device_ids)
        )
    )
    return {(d, r, t) for d, r, t in rows}


def waivers_of(session: Session, device_id: int) -> set[tuple[str, str]]:
    """The ``(rule, words)`` QA has waived on one device, as ``gate.publish_blockers`` reads."""
    return {(r, t) for _, r, t in waived_keys(session, [device_id])}


def open_findings(session: Session, *, device_id: int) -> list[tuple[Finding, bool]]:
    """A device's findings in text order, each with whether a waiver covers it."""
    findings = session.scalars(
        select(Finding)
        .where(Finding.device_id == device_id)
        .order_by(col(Finding.start), col(Finding.rule_id))
    ).all()
    waived = waivers_of(session, device_id)
    return [
        (f, (f.rule_id, f.text) in waived and gate.waiver_applies(f.severity)) for f in findings
    ]


def blocking_findings(session: Session, *, device_id: int) -> list[Finding]:
    """The stored findings that keep this device from being published now, in text order."""
    findings = session.scalars(
        select(Finding)
        .where(Finding.device_id == device_id)
        .order_by(col(Finding.start), col(Finding.rule_id))
    ).all()
    return gate.publish_blockers(findings, waivers_of(session, device_id))


def rule_title_map(session: Session) -> dict[str, str]:
    """``{rule id: title}``: how people name a rule."""
    return dict(session.execute(select(ClaimRule.id, ClaimRule.title)).tuples().all())


def device_blockers(session: Session, *, device_id: int) -> list[str]:
    """Why this stored device cannot be published now (``gate.publish_blockers``), each
    blocker named by its rule's title; empty when it can."""
    blockers = blocking_findings(session, device_id=device_id)
    titles = rule_title_map(session) if blockers else {}
    return [gate.describe(f, titles.get(f.rule_id)) for f in blockers]


# --- the gate's SQL twin ---------------------------------------------------------------------


def waiver_covers() -> ColumnElement[bool]:
    """The join condition of ``Finding`` to the ``Waiver`` that covers it: same device, rule
    and words, and only for the severity a waiver applies to (``gate.WAIVABLE``)."""
    return and_(
        col(Waiver.device_id) == col(Finding.device_id),
        col(Waiver.rule_id) == col(Finding.rule_id),
        col(Waiver.text) == col(Finding.text),
        col(Finding.severity) == gate.WAIVABLE,
    )


def blocking_sql() -> ColumnElement[bool]:
    """The SQL twin of ``gate.publish_blockers``: true for a finding row (outer-joined to
    ``Waiver`` on ``waiver_covers()``) that blocks publishing. ``test_gate`` checks both agree."""
    return and_(col(Finding.severity).in_(gate.BLOCKING), col(Waiver.id).is_(None))


def open_counts() -> Any:
    """A subquery per device: open errors, warnings and suggestions, waived warnings, and
    ``blocking`` (findings that keep it from being published)."""
    waived = col(Waiver.id).is_not(None)

    def count(condition: ColumnElement[bool]) -> Any:
        return func.sum(case((condition, 1), else_=0))

    # sqlalchemy's select: sqlmodel's typed overloads stop at four columns.
    return (
        sa_select(
            col(Finding.device_id).label("device_id"),
            *(count(and_(col(Finding.severity) == s, ~waived)).label(s) for s in SEVERITIES),
            count(waived).label("waived"),
            count(blocking_sql()).label("blocking"),
        )
        .select_from(Finding)
        .outerjoin(Waiver, waiver_covers())
        .group_by(col(Finding.device_id))
        .subquery("open_counts")
    )


def finding_counts(session: Session, device_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """``{device_id: {"error": 1, "warning": 0, "suggestion": 2}}`` in one GROUP BY."""
    counts: dict[int, dict[str, int]] = {d: dict.fromkeys(SEVERITIES, 0) for d in device_ids}
    if not device_ids:
        return counts
    rows = session.execute(
        select(Finding.device_id, Finding.severity, func.count())
        .where(col(Finding.device_id).in_(device_ids))
        .group_by(col(Finding.device_id), col(Finding.severity))
    )
    for device_id, severity, n in rows:
        counts[device_id][severity] = n
    return counts
