"""The publish gate: which of a listing's findings keep it from the shop.

Any error blocks; a warning blocks until QA waives it with a reason; a suggestion never
blocks. Record checks (a deep body area on a device with no near-infrared) are findings too,
so they count the same way. A waiver is matched by (rule, words) and only ever covers a
warning: a waiver left over from when a rule was a warning does not excuse an error.

This is the one place the rule is written. ``catalogue.claims.audit.blocking_sql`` is its SQL
twin for counting blocked listings inside a query; a test runs both over one table of cases.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Protocol, TypeVar

WAIVABLE = "warning"  # the one severity QA may waive
BLOCKING = ("error", WAIVABLE)  # severities that block while open


class GateFinding(Protocol):
    """What the gate reads of a finding: a stored ``Finding`` row or a fresh ``ClaimFinding``."""

    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def message(self) -> str: ...


F = TypeVar("F", bound=GateFinding)


def waiver_applies(severity: str) -> bool:
    """Whether a waiver can cover a finding of this severity."""
    return severity == WAIVABLE


def is_open(severity: str, *, waived: bool) -> bool:
    """Whether a finding still counts: a waiver closes a warning, nothing closes an error."""
    return not (waived and waiver_applies(severity))


def publish_blockers(findings: Iterable[F], waivers: Collection[tuple[str, str]]) -> list[F]:
    """The findings that keep a listing from being published, in the order given.

    ``waivers`` holds the ``(rule, words)`` QA has waived for this listing. An empty answer
    means the listing may be published.
    """
    return [
        f
        for f in findings
        if f.severity in BLOCKING and is_open(f.severity, waived=(f.rule, f.text) in waivers)
    ]


def describe(finding: GateFinding, title: str | None = None) -> str:
    """One blocker as a refusal names it, by the rule's title when it is known:
    ``'Promises a cure or treatment' ('cures arthritis'): <message>``."""
    name = f"{title!r}" if title else finding.rule
    words = f" ({finding.text!r})" if finding.text else ""
    needs = " needs a QA waiver" if waiver_applies(finding.severity) else ""
    return f"{name}{words}{needs}: {finding.message}"
