"""The audit list's queries: its order across pages, what its counts read, and its plan."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from catalogue import qa
from catalogue.claims import audit
from catalogue.qa.listing import page_query
from tests.qa_support import add_listing

# (slug, rule fired or None for a clean listing, name, status): duplicate names so that the
# id decides between them, and each status with and without findings.
LISTINGS = [
    ("cured-a", "cure-claim", "Same Name", "in_review"),
    ("cured-b", "cure-claim", "Same Name", "in_review"),
    ("warned-a", "clinically-proven", "Bright Panel", "in_review"),
    ("clean-review", None, "Calm Panel", "in_review"),
    ("miracle-draft", "miracle-or-guarantee", "Zeta Pad", "draft"),
    ("warned-draft", "clinically-proven", "Alpha Wrap", "draft"),
    ("clean-a", None, "Same Name", "published"),
    ("clean-b", None, "Same Name", "draft"),
    ("clean-c", None, "Aardvark Lamp", "published"),
    ("warned-pub", "clinically-proven", "Mid Lamp", "published"),
]


@pytest.fixture
def many(session: Session) -> dict[str, int]:
    made = {
        slug: add_listing(session, rule, slug=slug, name=name, status=status)
        for slug, rule, name, status in LISTINGS
    }
    session.commit()
    return {slug: int(device.id or 0) for slug, device in made.items()}


def _expected(session: Session, ids: dict[str, int], keep: Any) -> list[str]:
    """The audit order worked out here: in review first, most errors, warnings, name, id."""
    counts = audit.finding_counts(session, list(ids.values()))
    rows = {slug: (name, status) for slug, _rule, name, status in LISTINGS}

    def key(slug: str) -> tuple[Any, ...]:
        name, status = rows[slug]
        found = counts[ids[slug]]
        return (status != "in_review", -found["error"], -found["warning"], name, ids[slug])

    return sorted((slug for slug in ids if keep(slug, rows[slug][1], counts[ids[slug]])), key=key)


@pytest.mark.parametrize("per_page", [1, 3, 25])
@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({}, lambda _slug, _status, _found: True),
        ({"status": "draft"}, lambda _slug, status, _found: status == "draft"),
        ({"severity": "warning"}, lambda _slug, _status, found: found["warning"] > 0),
        ({"rule": "cure-claim"}, lambda slug, _status, _found: slug.startswith("cured")),
    ],
)
def test_every_page_follows_the_audit_order(
    session: Session, many: dict[str, int], params: dict[str, str], keep: Any, per_page: int
) -> None:
    filters = qa.parse_filters(params, rule_ids=list(qa.rule_titles(session)))
    first = qa.audit_page(session, filters, per_page=per_page)
    shown: list[str] = []
    for page in range(1, first.pages + 1):
        got = qa.audit_page(session, replace(filters, page=page), per_page=per_page)
        assert got.total == first.total
        assert len(got.listings) <= per_page
        shown += [listing.slug for listing in got.listings]
    expected = _expected(session, many, keep)
    assert shown == expected
    assert first.total == len(expected)


@pytest.mark.parametrize(
    ("params", "reads_findings"),
    [
        ({}, False),
        ({"status": "in_review"}, False),
        ({"brand": "Lumina"}, False),
        ({"rule": "cure-claim"}, True),  # the rule filter is a lookup in the findings
        ({"severity": "warning"}, True),  # open counts decide, so the findings are read
    ],
)
def test_counting_reads_the_findings_only_when_a_filter_needs_them(
    session: Session, many: dict[str, int], params: dict[str, str], reads_findings: bool
) -> None:
    filters = qa.parse_filters(params, rule_ids=list(qa.rule_titles(session)))
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        qa.count_listings(session, filters)
        qa.status_counts(session, filters)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(statements) == 2
    assert all(("finding" in s) == reads_findings for s in statements), statements


def test_the_page_ranks_on_the_name_index_alone_on_sqlite(
    session: Session, many: dict[str, int]
) -> None:
    """The ranking reads status, name and id from ``ix_device_browse_name`` without the
    table; only the page's rows are read in full (by primary key)."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    session.execute(text("ANALYZE"))  # as after an import (``after_bulk_write``)
    query = page_query(qa.AuditFilters(), 25)
    compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    plan = [row[3] for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
    scans = [step for step in plan if step.startswith(("SCAN device", "SEARCH device"))]
    assert scans == [
        "SCAN device USING COVERING INDEX ix_device_browse_name",
        "SEARCH device USING INTEGER PRIMARY KEY (rowid=?)",
    ], plan
