"""QA in a real browser: work the review queue (approve one, send one back), and add a rule
in the editor, then find the listing it now catches."""

from __future__ import annotations

from typing import Any

import pytest

from catalogue.data.db import Database
from tests.browser_support import PHONE, watch_csp
from tests.conftest import LiveServer, screenshot
from tests.qa_support import add_listing

pytestmark = pytest.mark.browser

QA_EMAIL = "qa.queue@example.com"
QA_PASSWORD = "a long enough qa password"
PAIN_FREE = "Live pain free with ten minutes a day, every day."


@pytest.fixture
def qa_server(live_server: LiveServer) -> LiveServer:
    """The seeded catalogue, a QA account, two listings waiting for review and a published
    listing that promises a pain-free life."""
    live_server.cli(
        "users", "create", "--email", QA_EMAIL, "--role", "qa", "--password-stdin",
        input=QA_PASSWORD + "\n",
    )  # fmt: skip
    db = Database(live_server.database_url)
    try:
        with db.writing() as session:
            add_listing(session, None, slug="ready-glow-panel", name="Ready Glow Panel",
                        status="in_review")  # fmt: skip
            add_listing(session, "clinically-proven", slug="proven-knee-wrap",
                        name="Proven Knee Wrap", status="in_review")  # fmt: skip
            add_listing(session, None, slug="pain-free-mat", name="Pain Free Mat",
                        description=PAIN_FREE, status="published")  # fmt: skip
    finally:
        db.dispose()
    return live_server


def _sign_in(page: Any, url: str) -> None:
    page.goto(f"{url}/signin")
    page.get_by_label("Email").fill(QA_EMAIL)
    page.get_by_label("Password").fill(QA_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_qa_works_the_queue(qa_server: LiveServer, page: Any) -> None:
    from playwright.sync_api import expect

    csp_errors = watch_csp(page)
    _sign_in(page, qa_server.url)
    expect(page).to_have_url(f"{qa_server.url}/qa/queue")  # where QA works
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    ready = page.locator("#listing-ready-glow-panel")
    proven = page.locator("#listing-proven-knee-wrap")
    expect(proven.locator(".qa-findings mark.finding--warning")).to_have_text("Clinically proven")
    expect(proven).to_contain_text("Says clinically or scientifically proven")
    screenshot(page, "qa-queue")

    ready.get_by_role("button", name="Approve and publish").click()
    expect(page.locator("#queue-notice")).to_have_text(
        "Approved Ready Glow Panel: it is now published."
    )
    expect(page.locator("#listing-ready-glow-panel")).to_have_count(0)

    proven.get_by_text("Send back to draft…").click()
    proven.get_by_label("What needs to change").fill("Name the trial, or drop the word proven.")
    proven.get_by_role("button", name="Send back to draft").click()
    expect(page.locator("#queue-notice")).to_have_text(
        "Sent Proven Knee Wrap back to draft with your note."
    )
    expect(page.locator("#listing-proven-knee-wrap")).to_have_count(0)
    screenshot(page, "qa-queue-after")
    assert csp_errors == []


def test_qa_adds_a_rule_and_sees_the_listing_it_catches(qa_server: LiveServer, page: Any) -> None:
    from playwright.sync_api import expect

    csp_errors = watch_csp(page)
    _sign_in(page, qa_server.url)
    page.goto(f"{qa_server.url}/qa/rules")
    page.get_by_role("link", name="Add a rule").click()
    expect(page.get_by_role("heading", name="Add a claim rule")).to_be_visible()
    fields = {
        "Rule id": "pain-free-promise",
        "Title": "Promises a pain-free life",
        "Why the rule exists": "Light supports comfort; it does not end pain for good.",
        "Message": "“{text}” promises an end to pain.",
        "Suggestion": "Say it may help ease discomfort with regular use.",
        "Word families": "painfree: pain free, free of pain",
        "Frames": "claim: painfree",
        "Examples that must fire": "Wake up free of pain.",
        "Examples that must not fire": "A gentle panel for daily routines.",
    }
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Severity").select_option("error")
    page.get_by_role("button", name="Check the rule and show its impact").click()

    impact = page.locator("#impact")
    expect(impact).to_contain_text("Pain Free Mat")
    gained = int(page.locator("#impact-gain").inner_text())
    assert gained >= 1
    screenshot(page, "rule-editor-impact")
    page.get_by_role("button", name="Save as version 1").click()

    expect(page.get_by_role("status").first).to_contain_text("Saved 'Promises a pain-free life'")
    # htmx polls the progress until the re-audit is done.
    expect(page.locator("#reaudit")).to_contain_text("done", timeout=60_000)
    expect(page.locator("#reaudit")).to_contain_text("went back to review")

    page.goto(f"{qa_server.url}/qa/audit")
    page.get_by_label("Rule").select_option(label=f"Promises a pain-free life ({gained})")
    page.get_by_role("button", name="Show listings").click()
    listing = page.locator("#listing-pain-free-mat")
    expect(listing).to_be_visible()
    expect(listing.locator("mark.finding--error")).to_have_text("pain free")
    expect(listing).to_contain_text("In review")  # left the shop for QA to look at
    screenshot(page, "rule-editor-caught")
    assert csp_errors == []


@pytest.mark.parametrize("path", ["/qa/queue", "/qa/rules/new", "/qa/audit", "/qa/rules"])
def test_qa_pages_fit_a_phone(qa_server: LiveServer, browser: Any, path: str) -> None:
    """At 375 px nothing sticks out sideways: QA can work from a phone."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    try:
        phone = context.new_page()
        csp_errors = watch_csp(phone)
        _sign_in(phone, qa_server.url)
        phone.goto(f"{qa_server.url}{path}")
        screenshot(phone, f"qa{path.replace('/', '-')}-375")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide at 375 px"
        assert csp_errors == []
    finally:
        context.close()
