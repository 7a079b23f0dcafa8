"""What an import says back: problems by row and column, claim findings by row, counts."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from catalogue.core.claims.check import ClaimFinding
from catalogue.core.inputs import formula_safe_row


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason the file cannot be imported; ``row`` is None for the file as a whole."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, {self.column}" if self.row is not None else self.column
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class RowFinding:
    row: int
    sku: str
    finding: ClaimFinding


@dataclass
class ImportReport:
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    findings: list[RowFinding] = field(default_factory=list)
    conflict: bool = False  # another import changed these devices first: run it again

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run and (self.created + self.updated) > 0

    def summary(self) -> str:
        if not self.ok:
            return (
                f"nothing imported: {len(self.problems)} problem"
                f"{'s' if len(self.problems) != 1 else ''} in {self.rows} rows"
            )
        verb = "would create" if self.dry_run else "created"
        return (
            f"{verb} {self.created}, {'would update' if self.dry_run else 'updated'} "
            f"{self.updated}, unchanged {self.unchanged} of {self.rows} rows; "
            f"{len(self.findings)} claim findings"
        )

    def to_csv(self) -> str:
        """Problems, then claim findings, as a CSV to download: one line each."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["row", "column", "kind", "severity", "rule", "message"])
        for p in self.problems:
            writer.writerow(
                formula_safe_row([p.row or "", p.column, "problem", "error", "", p.message])
            )
        for f in self.findings:
            writer.writerow(
                formula_safe_row(
                    [
                        f.row,
                        "description",
                        "claim finding",
                        f.finding.severity,
                        f.finding.rule,
                        f"{f.finding.text!r}: {f.finding.message}"
                        if f.finding.text
                        else f.finding.message,
                    ]
                )
            )
        return out.getvalue()
