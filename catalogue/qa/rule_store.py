"""Saving a rule as a new version, its history, and what a change would do to the catalogue.

Every save (a new rule, an edit, disabling or enabling) is a ``ClaimRuleVersion`` with who,
when and the changed parts. The impact of a draft is measured the way a re-audit would
find it: the draft rule alone is run over every listing's text and record and compared with
the findings of that rule stored now.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.claims import audit
from catalogue.core.claims.check import check_listing
from catalogue.core.claims.rules import Rule
from catalogue.data.children import areas_by_device, wavelengths_by_device
from catalogue.data.models import ClaimRule, Device, Finding, User, utcnow
from catalogue.data.rule_tables import ClaimRuleVersion
from catalogue.qa.rule_form import RuleDraft

SAMPLE = 10


class RuleConflict(Exception):
    """Someone saved this rule since the form was opened."""


@dataclass(frozen=True, slots=True)
class VersionView:
    number: int
    at: datetime
    by: str
    action: str
    changed: list[str]
    comment: str | None


def editable(spec: dict[str, Any], enabled: bool, examples: Any) -> dict[str, Any]:
    """The parts of a rule a version compares: its spec's keys, whether it is on, examples."""
    return {**spec, "enabled": enabled, "examples": examples}


def current_number(session: Session, rule_id: str) -> int:
    """The rule's newest version number (0 for a rule not stored yet)."""
    return (
        session.scalar(
            select(func.max(ClaimRuleVersion.number)).where(
                col(ClaimRuleVersion.rule_id) == rule_id
            )
        )
        or 0
    )


def save_rule(
    session: Session,
    *,
    draft: RuleDraft,
    user_id: int | None,
    base_number: int,
    comment: str = "",
) -> ClaimRuleVersion:
    """Store the draft as the rule's next version; ``RuleConflict`` when the rule moved past
    ``base_number`` (the version the form was opened at) or a new rule's id is taken."""
    assert draft.ok and draft.rule is not None
    rule_id = draft.rule.id
    row = session.get(ClaimRule, rule_id, with_for_update=True)
    number = current_number(session, rule_id)
    if number != base_number or (row is None and base_number != 0):
        raise RuleConflict(rule_id)
    before = editable(row.spec, row.enabled, row.examples) if row else {}
    after = editable(draft.spec, draft.enabled, draft.examples)
    changes = {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}
    changes |= {k: [before[k], None] for k in before if k not in after}
    if row is None:
        action = "create"
        row = ClaimRule(id=rule_id, severity="", title="", spec={})
    elif set(changes) == {"enabled"}:
        action = "enable" if draft.enabled else "disable"
    else:
        action = "edit"
    row.spec, row.severity, row.title = draft.spec, draft.rule.severity, draft.rule.title
    row.enabled, row.examples, row.updated_at = draft.enabled, draft.examples, utcnow()
    session.add(row)
    session.flush()
    version = ClaimRuleVersion(
        rule_id=rule_id,
        number=number + 1,
        user_id=user_id,
        action=action,
        changes=changes,
        spec=draft.spec,
        enabled=draft.enabled,
        examples=draft.examples,
        comment=comment.strip() or None,
    )
    session.add(version)
    session.flush()
    return version


def versions(session: Session, rule_id: str) -> list[VersionView]:
    """The rule's versions, newest first, each with who saved it and the parts it changed."""
    rows = session.execute(
        select(ClaimRuleVersion, User.email)
        .outerjoin(User, col(User.id) == col(ClaimRuleVersion.user_id))
        .where(col(ClaimRuleVersion.rule_id) == rule_id)
        .order_by(col(ClaimRuleVersion.number).desc())
    )
    return [
        VersionView(
            number=v.number,
            at=v.at,
            by=email or ("the seed" if v.action == "seed" else "a removed account"),
            action=v.action,
            changed=sorted(v.changes),
            comment=v.comment,
        )
        for v, email in rows
    ]


# --- impact ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Touched:
    slug: str
    name: str
    status: str
    words: str  # what the rule finds (after) or found (before)


@dataclass
class Impact:
    """How a draft changes which listings the rule hits: ``before`` and ``after`` counts,
    those that would gain a finding of it and those that would lose every one, with samples,
    and the published listings that would gain an error of it (and so go back to review)."""

    before: int = 0
    after: int = 0
    gain: int = 0
    lose: int = 0
    gain_sample: list[Touched] = field(default_factory=list)
    lose_sample: list[Touched] = field(default_factory=list)
    checked: int = 0
    # Published listings that would gain an error of this rule: the re-audit sends them back.
    to_review: int = 0
    to_review_sample: list[Touched] = field(default_factory=list)


def _listings(session: Session, batch: int) -> Iterator[list[tuple[Any, ...]]]:
    """Every listing as ``(id, slug, name, status, text, wavelengths, areas)``, in batches."""
    last = 0
    while True:
        rows = session.execute(
            sa_select(
                col(Device.id),
                col(Device.slug),
                col(Device.name),
                col(Device.status),
                col(Device.description),
            )
            .where(col(Device.id) > last)
            .order_by(col(Device.id))
            .limit(batch)
        ).all()
        if not rows:
            return
        ids: list[int] = [r[0] for r in rows if r[0] is not None]
        wavelengths = wavelengths_by_device(session, ids)
        areas = areas_by_device(session, ids)
        alt = audit.alt_texts(session, ids)
        yield [
            (
                i,
                r.slug,
                r.name,
                r.status,
                audit.listing_text(r.description, alt[i]),
                wavelengths[i],
                areas[i],
            )
            for i, r in zip(ids, rows, strict=True)
        ]
        last = ids[-1]


def impact(session: Session, *, rule_id: str, candidate: Rule | None, batch: int = 1_000) -> Impact:
    """What saving ``candidate`` (None: the rule disabled) would change, listing by listing."""
    context = audit.load_context(session)
    hit_now: dict[int, str] = {}
    errors_now: dict[int, set[str]] = {}
    for device_id, text, severity in session.execute(
        select(Finding.device_id, Finding.text, Finding.severity)
        .where(col(Finding.rule_id) == rule_id)
        .order_by(col(Finding.device_id), col(Finding.start).desc())
    ):
        hit_now[device_id] = text
        if severity == "error":
            errors_now.setdefault(device_id, set()).add(text)
    result = Impact(before=len(hit_now))
    rules: Sequence[Rule] = (candidate,) if candidate is not None else ()
    for chunk in _listings(session, batch):
        for device_id, slug, name, status, text, wavelengths, areas in chunk:
            result.checked += 1
            found = (
                check_listing(text, wavelengths, context.areas_for(areas), rules, context.bands)
                if rules
                else []
            )
            if found:
                result.after += 1
                # The re-audit's test, for this rule: a published listing with an error
                # finding it did not have before goes back to review.
                new_errors = {f.text for f in found if f.severity == "error"}
                if status == "published" and new_errors - errors_now.get(device_id, set()):
                    result.to_review += 1
                    if len(result.to_review_sample) < SAMPLE:
                        words = sorted(new_errors)[0] or "(the record)"
                        result.to_review_sample.append(Touched(slug, name, status, words))
                if device_id not in hit_now:
                    result.gain += 1
                    if len(result.gain_sample) < SAMPLE:
                        words = found[0].text or "(the record)"
                        result.gain_sample.append(Touched(slug, name, status, words))
            elif device_id in hit_now:
                result.lose += 1
                if len(result.lose_sample) < SAMPLE:
                    words = hit_now[device_id] or "(the record)"
                    result.lose_sample.append(Touched(slug, name, status, words))
    return result
