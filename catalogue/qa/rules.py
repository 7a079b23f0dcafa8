"""The rule catalogue QA reads: each rule, the listings it hits now, its examples checked live."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session
from sqlmodel import col, select

from catalogue.claims import audit
from catalogue.claims.highlight import Segment, claim_spans, segments
from catalogue.core.claims.check import RECORD_KINDS, SEVERITIES, Record, Rule, check_listing
from catalogue.data.models import ClaimRule
from catalogue.qa.listing import rule_hits


@dataclass(frozen=True)
class RuleExample:
    text: str
    wavelengths_nm: tuple[float, ...]
    areas: tuple[str, ...]
    segments: list[Segment]
    fires: bool  # whether this rule fires on it with today's checker


@dataclass(frozen=True)
class RuleEntry:
    rule: Rule
    hits: int
    fires: RuleExample
    passes: RuleExample

    @property
    def is_record_check(self) -> bool:
        return self.rule.kind in RECORD_KINDS

    @property
    def examples_hold(self) -> bool:
        return self.fires.fires and not self.passes.fires


def _example(context: audit.AuditContext, rule: Rule, text: str, record: Record) -> RuleExample:
    wavelengths_nm = tuple(float(w) for w in record[0])
    areas = record[1]
    found = [
        f
        for f in check_listing(
            text, wavelengths_nm, context.areas_for(areas), context.rules, context.bands
        )
        if f.rule == rule.id
    ]
    return RuleExample(text, wavelengths_nm, areas, segments(text, claim_spans(found)), bool(found))


def rule_catalogue(session: Session) -> list[RuleEntry]:
    """Every rule with its listings hit now and both examples run through today's checker."""
    context = audit.load_context(session)
    hits = rule_hits(session)
    return [
        RuleEntry(
            rule=rule,
            hits=hits.get(rule.id, 0),
            fires=_example(context, rule, rule.example_fires, rule.example_record),
            passes=_example(context, rule, rule.example_passes, rule.passes_record),
        )
        for rule in sorted(context.rules, key=lambda r: (SEVERITIES.index(r.severity), r.id))
    ]


def disabled_rules(session: Session) -> list[tuple[str, str, str]]:
    """``(id, severity, title)`` of the rules switched off in the editor, by title."""
    rows = session.execute(
        select(ClaimRule.id, ClaimRule.severity, ClaimRule.title)
        .where(col(ClaimRule.enabled).is_(False))
        .order_by(col(ClaimRule.title))
    )
    return [(rule_id, severity, title) for rule_id, severity, title in rows]
