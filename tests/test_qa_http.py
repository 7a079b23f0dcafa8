"""The QA pages over HTTP: who may see them, filters, highlights, pages, export, rule catalogue."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from catalogue.data.models import Waiver
from catalogue.qa import CSV_COLUMNS, PER_PAGE
from tests.qa_http_support import TITLE, waive
from tests.qa_support import RULES, add_listing, count_on_page, listing_slugs

# The ``listings`` fixture comes from tests/qa_fixtures.py.


# --- who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("merchandiser", 403), ("qa", 200), ("admin", 200)],
)
@pytest.mark.parametrize("path", ["/qa/audit", "/qa/rules", "/qa/audit.csv"])
def test_only_qa_and_admin_see_the_qa_pages(
    staff, path: str, role: str | None, status: int
) -> None:
    response = staff(role).get(path, follow_redirects=False)
    assert response.status_code == status
    if role is None:
        assert response.headers["location"] == f"/signin?next={path}"


def test_qa_home_goes_to_the_review_queue(staff) -> None:
    response = staff("qa").get("/qa", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (302, "/qa/queue")


def test_the_rule_filter_names_rules_by_title(staff, listings) -> None:
    html = staff("qa").get("/qa/audit?rule=clinically-proven").text
    options = dict(re.findall(r'<option value="([a-z-]+)"(?: selected)?>([^<(]+) \(', html))
    assert options["clinically-proven"] == TITLE
    assert options["cure-claim"] == RULES["cure-claim"]["title"]
    assert set(options) >= set(RULES)


# --- the list ------------------------------------------------------------------------------


def test_audit_lists_every_listing_with_its_open_counts(staff, listings) -> None:
    html = staff("qa").get("/qa/audit").text
    assert sorted(listing_slugs(html)) == sorted(d.slug for d in listings.values())
    assert count_on_page(html, "warned-panel", "warning") == 1
    assert count_on_page(html, "cured-wrap", "error") >= 1
    assert [count_on_page(html, "clean-panel", s) for s in ("error", "warning")] == [0, 0]
    # The review queue comes first: in review, most errors first.
    assert listing_slugs(html)[:2] == ["cured-wrap", "warned-panel"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"warned-panel", "cured-wrap", "clean-panel", "miracle-pad"}),
        ("rule=clinically-proven", {"warned-panel"}),
        ("rule=cure-claim", {"cured-wrap"}),
        ("severity=error", {"cured-wrap", "miracle-pad"}),
        ("severity=warning", {"warned-panel"}),
        ("status=draft", {"miracle-pad"}),
        ("status=all", {"warned-panel", "cured-wrap", "clean-panel", "miracle-pad"}),
        ("brand=Alpha", {"warned-panel", "clean-panel"}),
        ("brand=Beta&severity=error&status=in_review", {"cured-wrap"}),
        ("rule=cure-claim&status=published", set()),
    ],
)
def test_filters_narrow_the_list(staff, listings, query: str, expected: set[str]) -> None:
    client = staff("qa")
    assert set(listing_slugs(client.get(f"/qa/audit?{query}").text)) == expected
    twin = client.get(f"/qa/audit.json?{query}").json()
    assert {item["slug"] for item in twin["listings"]} == expected
    assert twin["total"] == len(expected)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("severity=fatal", "severity"),
        ("status=gone", "status"),
        ("rule=no-such-rule", "rule"),
        ("page=0", "page"),
        ("page=two", "page"),
    ],
)
def test_a_filter_that_makes_no_sense_is_a_400_naming_it(staff, query: str, key: str) -> None:
    client = staff("qa")
    page = client.get(f"/qa/audit?{query}")
    assert page.status_code == 400
    assert f"<code>{key}</code>" in page.text
    twin = client.get(f"/qa/audit.json?{query}")
    assert twin.status_code == 400
    assert twin.json()["detail"][0]["key"] == key


def test_the_words_are_marked_and_everything_is_escaped(staff, session: Session) -> None:
    words = RULES["clinically-proven"]["example_fires"]
    add_listing(
        session,
        "clinically-proven",
        slug="sneaky-panel",
        name="<b>Sneaky</b> Panel",
        description=f'<script>alert("x")</script> {words}',
    )
    session.commit()
    html = staff("qa").get("/qa/audit").text
    assert "<script>alert" not in html and "<b>Sneaky" not in html
    assert "&lt;script&gt;alert" in html and "&lt;b&gt;Sneaky&lt;/b&gt; Panel" in html
    mark = re.search(
        r'<mark class="finding finding--warning" tabindex="0" aria-describedby="([\w-]+)">'
        r'([^<]+)</mark><span class="finding__tip" role="tooltip" id="([\w-]+)">'
        r"(.*?)</span></span>",
        html,
    )
    assert mark, "no warning highlight"
    assert mark.group(1) == mark.group(3)  # the mark is described by its own tooltip
    assert mark.group(2).lower().startswith("clinically proven")
    assert "clinically-proven" in mark.group(4)


def test_pages_hold_25_listings_and_run_past_the_end_to_the_last(staff, session) -> None:
    for n in range(PER_PAGE + 5):
        add_listing(session, None, slug=f"panel-{n:02d}", name=f"Panel {n:02d}")
    session.commit()
    client = staff("qa")
    first = client.get("/qa/audit").text
    second = client.get("/qa/audit?page=2").text
    assert len(listing_slugs(first)) == PER_PAGE
    assert len(listing_slugs(second)) == 5
    assert set(listing_slugs(first)).isdisjoint(listing_slugs(second))
    assert "Listings 26–30 of 30" in second
    assert 'rel="next" href="/qa/audit?page=2"' in first
    assert listing_slugs(client.get("/qa/audit?page=99").text) == listing_slugs(second)


def test_a_page_costs_the_same_queries_for_3_listings_as_for_25(staff, staff_app, session) -> None:
    client = staff("qa")
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if re.search(r"\b(finding|waiver|device)\b", statement):
            statements.append(statement)

    event.listen(staff_app.state.db.engine, "before_cursor_execute", record)
    try:
        counts = []
        for start, stop in ((0, 3), (3, PER_PAGE)):
            for n in range(start, stop):
                # Every listing with a finding and a waiver, so each kind of row is loaded.
                device = add_listing(session, "clinically-proven", slug=f"warned-{n:02d}")
                session.add(
                    Waiver(
                        device_id=device.id,
                        rule_id="clinically-proven",
                        text="Clinically proven",
                        reason="checked",
                    )
                )
            session.commit()
            statements.clear()
            assert len(listing_slugs(client.get("/qa/audit").text)) == stop
            counts.append(len(statements))
    finally:
        event.remove(staff_app.state.db.engine, "before_cursor_execute", record)
    assert counts[0] == counts[1], statements
    assert counts[1] <= 8


# --- export and the rule catalogue ---------------------------------------------------------


def test_csv_export_has_one_row_per_finding_under_the_filters(staff, listings) -> None:
    client = staff("qa")
    waive(client, "warned-panel", "clinically-proven", "Trial report on file.")
    response = client.get("/qa/audit.csv?rule=clinically-proven")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(r["device"], r["rule"], r["waived"]) for r in rows] == [
        ("warned-panel", "clinically-proven", "yes")
    ]
    assert rows[0]["waiver_reason"] == "Trial report on file."
    assert rows[0]["waived_by"] == client.email
    everything = list(csv.DictReader(io.StringIO(client.get("/qa/audit.csv").text)))
    assert {r["device"] for r in everything} == {"warned-panel", "cured-wrap", "miracle-pad"}


def test_csv_cells_cannot_run_as_spreadsheet_formulas(staff, session) -> None:
    add_listing(session, "clinically-proven", name="=HYPERLINK(1)", slug="formula-panel")
    session.commit()
    rows = list(csv.DictReader(io.StringIO(staff("qa").get("/qa/audit.csv").text)))
    assert rows[0]["name"] == "'=HYPERLINK(1)"


def test_rule_catalogue_shows_each_rule_with_examples_and_hits(staff, listings) -> None:
    html = staff("qa").get("/qa/rules").text
    for rule_id, rule in RULES.items():
        assert f'id="rule-{rule_id}"' in html
        assert f'<span class="sev sev--{rule["severity"]}">' in html
    assert re.search(
        r'<a href="/qa/audit\?rule=clinically-proven" id="hits-clinically-proven">1</a>', html
    )
    assert '<span class="muted" id="hits-burning-heat">0</span>' in html
    # The firing example is run through the checker and marked.
    section = html[html.index('id="rule-cure-claim"') :]
    section = section[: section.index("</section>")]
    assert '<mark class="finding finding--error"' in section
    assert "Its examples no longer behave" not in html
