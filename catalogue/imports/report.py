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


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


@dataclass
class ImportReport:
    dry_run: bool = False
    valid_only: bool = False  # write the good rows, skip the bad ones (else all or nothing)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    findings: list[RowFinding] = field(default_factory=list)
    conflict: bool = False  # another import changed these devices first: run it again

    @property
    def file_problems(self) -> list[Problem]:
        """Problems with the file as a whole: nothing in it can be imported."""
        return [p for p in self.problems if p.row is None]

    @property
    def problem_rows(self) -> list[int]:
        """The rows that have at least one problem, in file order (three problems in row 3
        are one row)."""
        return sorted({p.row for p in self.problems if p.row is not None})

    @property
    def skipped(self) -> list[tuple[int, list[Problem]]]:
        """Each row left out of a valid-rows-only import, with its problems."""
        if not self.valid_only:
            return []
        return [(row, [p for p in self.problems if p.row == row]) for row in self.problem_rows]

    @property
    def ok(self) -> bool:
        """Whether the import went ahead: no problem at all, or (valid rows only) none with
        the file as a whole."""
        return not (self.file_problems if self.valid_only else self.problems)

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run and (self.created + self.updated) > 0

    def problem_count(self) -> str:
        """``"3 problems in 1 row"``, ``"1 problem with the file"``."""
        rows, whole = self.problem_rows, self.file_problems
        where = []
        if rows:
            where.append(f"in {_plural(len(rows), 'row')}")
        if whole:
            where.append("with the file")
        return f"{_plural(len(self.problems), 'problem')} {' and '.join(where)}"

    def summary(self) -> str:
        if not self.ok:
            return f"nothing imported: {self.problem_count()}"
        verb = "would create" if self.dry_run else "created"
        text = (
            f"{verb} {self.created}, {'would update' if self.dry_run else 'updated'} "
            f"{self.updated}, unchanged {self.unchanged} of {_plural(self.rows, 'row')}"
        )
        if self.skipped:
            text += f"; {'would skip' if self.dry_run else 'skipped'} {self.problem_count()}"
        return f"{text}; {_plural(len(self.findings), 'claim finding')}"

    def to_csv(self) -> str:
        """Problems, then claim findings, as a CSV to download: one line each."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["row", "column", "kind", "severity", "rule", "message"])
        for p in self.problems:
            # A valid-rows-only import goes ahead without the row: say so on its line.
            kind = "row skipped" if self.valid_only and p.row is not None else "problem"
            writer.writerow(formula_safe_row([p.row or "", p.column, kind, "error", "", p.message]))
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
