"""QA in a real browser: filter the audit by a rule, read a highlight, waive a warning, approve."""

from __future__ import annotations

import re
from typing import Any

import pytest

from catalogue.data.db import Database
from tests.browser_support import watch_csp
from tests.conftest import LiveServer, screenshot
from tests.qa_support import RULES, add_listing

pytestmark = pytest.mark.browser

QA_EMAIL = "qa.browser@example.com"
QA_PASSWORD = "a long enough qa password"
SLUG = "browser-check-panel"


@pytest.fixture
def qa_server(live_server: LiveServer) -> LiveServer:
    """The seeded catalogue, a QA account and one listing in review with a single warning."""
    live_server.cli(
        "users", "create", "--email", QA_EMAIL, "--role", "qa", "--password-stdin",
        input=QA_PASSWORD + "\n",
    )  # fmt: skip
    db = Database(live_server.database_url)
    try:
        with db.writing() as session:
            add_listing(
                session,
                "clinically-proven",
                slug=SLUG,
                name="Browser Check Panel",
                brand="Aaa Test Brand",
                status="in_review",
            )
    finally:
        db.dispose()
    return live_server


def test_qa_filters_by_rule_reads_the_highlight_and_waives_the_warning(
    qa_server: LiveServer, page: Any
) -> None:
    from playwright.sync_api import expect

    csp_errors = watch_csp(page)
    page.goto(f"{qa_server.url}/qa/audit")
    expect(page).to_have_url(f"{qa_server.url}/signin?next=/qa/audit")
    page.get_by_label("Email").fill(QA_EMAIL)
    page.get_by_label("Password").fill(QA_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Claim audit")).to_be_visible()

    page.get_by_label("Rule").select_option("clinically-proven")
    page.get_by_role("button", name="Show listings").click()
    expect(page).to_have_url(re.compile(r"/qa/audit\?rule=clinically-proven&"))
    listing = page.locator(f"#listing-{SLUG}")
    expect(listing).to_be_visible()
    expect(page.locator(f"#count-{SLUG}-warning")).to_have_text("1")

    mark = listing.locator("mark.finding--warning")
    expect(mark).to_have_text("Clinically proven")
    tip = listing.locator(".finding__tip")
    expect(tip).to_be_hidden()
    mark.focus()  # the message shows on keyboard focus, not only on hover
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("clinically-proven")
    expect(tip).to_contain_text(RULES["clinically-proven"]["message"].split("”")[-1].strip()[:30])
    screenshot(page, "qa-audit-filtered")

    listing.get_by_label("Why this warning is acceptable").fill("The brand sent its trial summary.")
    listing.get_by_role("button", name="Waive warning").click()
    title = RULES["clinically-proven"]["title"]
    expect(page.get_by_role("status")).to_have_text(f"Waived '{title}' on Browser Check Panel.")
    expect(page.locator(f"#count-{SLUG}-warning")).to_have_text("0")
    expect(listing).to_contain_text(f"Waived by {QA_EMAIL}")
    expect(listing.locator("mark.finding--waived")).to_have_count(1)

    listing.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Approved Browser Check Panel: it is now published."
    )
    screenshot(page, "qa-audit-after-waiver")
    assert csp_errors == []


def test_audit_page_fits_a_phone(qa_server: LiveServer, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{qa_server.url}/signin?next=/qa/audit")
        page.get_by_label("Email").fill(QA_EMAIL)
        page.get_by_label("Password").fill(QA_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{qa_server.url}/qa/audit?status=in_review")
        mark = page.locator("mark.finding").first
        mark.focus()
        tip = page.locator(".finding__tip:visible")
        box = tip.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
        # Only the table may scroll sideways (inside its own box); the page itself may not.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        screenshot(page, "qa-audit-375")
        page.goto(f"{qa_server.url}/qa/rules")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        screenshot(page, "qa-rules-375")
    finally:
        context.close()
