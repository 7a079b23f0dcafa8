"""Audit findings as CSV rows and JSON objects (the page's export, its JSON twin, the CLI)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from catalogue.core.inputs import formula_safe_row
from catalogue.qa.listing import AuditFinding, AuditListing

CSV_COLUMNS = (
    "device",
    "name",
    "brand",
    "status",
    "rule",
    "severity",
    "start",
    "end",
    "text",
    "message",
    "suggestion",
    "waived",
    "waiver_reason",
    "waived_by",
    "waived_at",
)


def csv_rows(listings: Iterator[AuditListing] | Sequence[AuditListing]) -> Iterator[list[str]]:
    """One row per finding, header first, in the ``CSV_COLUMNS`` order. Words are typed by
    people, so no cell may start like a spreadsheet formula (``formula_safe``)."""
    yield list(CSV_COLUMNS)
    for listing in listings:
        for f in listing.findings:
            w = f.waiver
            yield formula_safe_row(
                [
                    listing.slug,
                    listing.name,
                    listing.brand,
                    listing.status,
                    f.rule,
                    f.severity,
                    str(f.start),
                    str(f.end),
                    f.text,
                    f.message,
                    f.suggestion,
                    "yes" if w else "no",
                    w.reason if w else "",
                    w.by if w else "",
                    w.at.isoformat() if w else "",
                ]
            )


def finding_json(f: AuditFinding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": f.rule,
        "severity": f.severity,
        "start": f.start,
        "end": f.end,
        "text": f.text,
        "message": f.message,
        "suggestion": f.suggestion,
        "waived": f.waived,
    }
    if f.waiver:
        data["waiver"] = {
            "reason": f.waiver.reason,
            "by": f.waiver.by,
            "at": f.waiver.at.isoformat(),
        }
    return data


def listing_json(listing: AuditListing) -> dict[str, Any]:
    return {
        "slug": listing.slug,
        "name": listing.name,
        "brand": listing.brand,
        "status": listing.status,
        "counts": listing.counts,
        "waived": listing.waived,
        "findings": [finding_json(f) for f in listing.findings],
    }
