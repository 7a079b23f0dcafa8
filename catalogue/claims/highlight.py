"""A description cut into plain and marked pieces, so a page can put ``<mark>`` on the words
that broke a claim rule.

No HTML is built here: ``templates/partials/_highlighted.html`` prints every piece with
autoescape on. Overlapping spans become one mark carrying every finding that covers it, so
"cures arthritis instantly" flagged by two rules reads as one highlight with two messages
rather than marks nested inside marks::

    >>> [s.text for s in segments("It cures pain.", [(3, 8, Note("cure-claim", "error", "..."))])]
    ['It ', 'cures', ' pain.']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from catalogue.core.claims.check import SEVERITIES, ClaimFinding
from catalogue.data.models import Finding


@dataclass(frozen=True, slots=True)
class Note:
    """One finding as a highlight shows it."""

    rule: str
    severity: str
    message: str
    waived: bool = False


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    notes: tuple[Note, ...] = ()

    @property
    def marked(self) -> bool:
        return bool(self.notes)

    @property
    def waived(self) -> bool:
        """Every finding under these words is waived: shown muted, not as a problem."""
        return bool(self.notes) and all(n.waived for n in self.notes)

    @property
    def severity(self) -> str:
        """The most serious open finding here (or of all, when every one is waived)."""
        notes = [n for n in self.notes if not n.waived] or list(self.notes)
        return min((n.severity for n in notes), key=_rank, default="suggestion")


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


Span = tuple[int, int, Note]


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """``text`` as consecutive segments; joined back together they give ``text`` exactly.

    Empty spans (record checks such as a deep area on a red-only device point at no words)
    and spans outside the text are left out: callers list those findings on their own.
    """
    usable = sorted(
        ((max(0, s), min(len(text), e), n) for s, e, n in spans if 0 <= s < e and s < len(text)),
        key=lambda span: (span[0], -span[1]),
    )
    out: list[Segment] = []
    pos = 0
    i = 0
    while i < len(usable):
        start, end, note = usable[i]
        notes = [note]
        i += 1
        # Grow the cluster while the next span starts inside it (touching spans stay apart).
        while i < len(usable) and usable[i][0] < end:
            end = max(end, usable[i][1])
            notes.append(usable[i][2])
            i += 1
        if start > pos:
            out.append(Segment(text[pos:start]))
        notes.sort(key=lambda n: (_rank(n.severity), n.rule))
        out.append(Segment(text[start:end], tuple(notes)))
        pos = end
    if pos < len(text) or not out:
        out.append(Segment(text[pos:]))
    return out


def claim_spans(findings: Sequence[ClaimFinding]) -> list[Span]:
    """Spans of the pure checker's findings (the editor's preview, the rules page)."""
    return [(f.start, f.end, Note(f.rule, f.severity, f.message)) for f in findings]


def stored_spans(findings: Iterable[tuple[Finding, bool]]) -> list[Span]:
    """Spans of a device's stored findings, each with whether a waiver covers it
    (``audit.open_findings``; the editor's device page)."""
    return [
        (f.start, f.end, Note(f.rule_id, f.severity, f.message, waived)) for f, waived in findings
    ]
