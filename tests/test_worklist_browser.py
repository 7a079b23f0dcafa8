"""The merchandiser's list and form in a real browser: search the list, tick rows, submit them
for review in one go; a form with errors moves focus to its summary, whose links reach the
fields."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from catalogue.data.db import Database
from catalogue.data.models import Device
from tests.browser_support import watch_csp
from tests.conftest import LiveServer, screenshot
from tests.factories import add_device

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "merch.list@example.com", "a long merchandiser password"
# Three drafts the search finds, one draft it does not.
DRAFTS = {
    "nimbus-knee-wrap": "Nimbus Knee Wrap",
    "nimbus-face-mask": "Nimbus Face Mask",
    "nimbus-back-pad": "Nimbus Back Pad",
    "cirrus-panel": "Cirrus Panel",
}


@pytest.fixture
def server(live_server: LiveServer) -> LiveServer:
    live_server.cli(
        "users", "create", "--email", EMAIL, "--role", "merchandiser", "--password-stdin",
        input=PASSWORD + "\n",
    )  # fmt: skip
    db = Database(live_server.database_url)
    try:
        with db.writing() as session:
            for slug, name in DRAFTS.items():
                add_device(session, slug=slug, name=name, brand="Skyward", status="draft")
    finally:
        db.dispose()
    return live_server


def _sign_in(page: Any, server: LiveServer, target: str) -> None:
    page.goto(f"{server.url}{target}")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_url(f"{server.url}{target}")


def _statuses(server: LiveServer) -> dict[str, str]:
    db = Database(server.database_url)
    try:
        with db.session() as session:
            rows = session.execute(
                select(Device.slug, Device.status).where(Device.slug.in_(list(DRAFTS)))
            )
            return dict(rows.tuples().all())
    finally:
        db.dispose()


def test_a_merchandiser_searches_and_submits_the_ticked_rows(server: LiveServer, page: Any) -> None:
    from playwright.sync_api import expect

    csp_errors = watch_csp(page)
    _sign_in(page, server, "/admin/devices")
    page.get_by_label("Search name, brand, SKU or slug").fill("nimbus")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/admin/devices?q=nimbus*")
    rows = page.locator("table.worklist-table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#worklist-count")).to_contain_text("of 3 devices")

    page.get_by_label("Tick every device on this page").check()  # admin.js ticks all three
    page.get_by_label("Tick Nimbus Back Pad").uncheck()
    expect(page.get_by_label("Tick every device on this page")).not_to_be_checked()
    page.locator(".bulk-bar").get_by_role("button", name="Submit for review").click()

    notice = page.get_by_role("status")
    expect(notice).to_contain_text("Submit for review: 2 devices.")
    assert "q=nimbus" in page.url  # back on the same search
    expect(page.locator("tbody .status--in_review")).to_have_count(2)
    screenshot(page, "worklist-bulk-submitted")
    assert _statuses(server) == {
        "nimbus-knee-wrap": "in_review",
        "nimbus-face-mask": "in_review",
        "nimbus-back-pad": "draft",
        "cirrus-panel": "draft",
    }
    assert csp_errors == []


def test_the_error_summary_takes_focus_and_its_links_reach_the_fields(
    server: LiveServer, page: Any
) -> None:
    from playwright.sync_api import expect

    csp_errors = watch_csp(page)
    _sign_in(page, server, "/admin/devices/nimbus-knee-wrap/duplicate")
    expect(page.locator("#f-name")).to_have_value("Nimbus Knee Wrap (copy)")
    page.fill("#f-price", "0")
    page.fill("#f-session_minutes", "90")
    page.click("button:has-text('Create draft')")

    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("3 fields need attention")  # the SKU too: a copy has none
    screenshot(page, "form-error-summary")
    summary.get_by_role("link", name="Session length (minutes)").click()
    expect(page.locator("#f-session_minutes")).to_be_focused()
    summary.get_by_role("link", name="SKU").click()
    expect(page.locator("#f-sku")).to_be_focused()
    assert csp_errors == []


def test_a_draft_previews_as_the_shop_shows_it(server: LiveServer, page: Any) -> None:
    from playwright.sync_api import expect

    csp_errors = watch_csp(page)
    _sign_in(page, server, "/admin/devices/cirrus-panel")
    page.get_by_role("link", name="Preview as the shop shows it").click()
    page.wait_for_url("**/admin/devices/cirrus-panel/preview")
    expect(page.locator("#preview-banner")).to_contain_text("draft, so shoppers cannot see it")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cirrus Panel")
    screenshot(page, "device-preview")
    page.get_by_role("link", name="Back to the editor").click()
    page.wait_for_url("**/admin/devices/cirrus-panel")
    assert csp_errors == []


def test_an_invited_person_sets_a_password_and_signs_in(
    server: LiveServer, browser: Any, page: Any
) -> None:
    from playwright.sync_api import expect

    admin_email, admin_password = "admin.people@example.com", "a long admin password here"
    server.cli(
        "users", "create", "--email", admin_email, "--role", "admin", "--password-stdin",
        input=admin_password + "\n",
    )  # fmt: skip
    page.goto(f"{server.url}/admin/users")
    page.fill("#email", admin_email)
    page.fill("#password", admin_password)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_url(f"{server.url}/admin/users")
    form = page.locator("#invite-form")
    form.get_by_label("Email").fill("new.qa@example.com")
    form.get_by_label("Role").select_option("qa")
    form.get_by_role("button", name="Make an invitation link").click()
    link = page.locator("#new-link-url").input_value()
    assert link.startswith(f"{server.url}/set-password/")
    screenshot(page, "people-invitation-link")

    context = browser.new_context(viewport={"width": 375, "height": 812})
    try:
        person = context.new_page()
        csp_errors = watch_csp(person)
        person.goto(link)
        expect(person.locator("main")).to_contain_text("new.qa@example.com")
        person.get_by_label("New password (12 characters or more)").fill("a fresh qa password")
        person.get_by_label("The same password again").fill("a fresh qa password")
        person.get_by_role("button", name="Set password").click()
        expect(person.locator("#password-set")).to_be_visible()
        screenshot(person, "set-password-done-375")
        person.goto(link)
        expect(person.locator("#link-refused")).to_be_visible()  # once only
        person.goto(f"{server.url}/signin")
        person.fill("#email", "new.qa@example.com")
        person.fill("#password", "a fresh qa password")
        person.click("form.auth-form button[type=submit]")
        expect(person.get_by_text("new.qa@example.com · qa")).to_be_visible()
        assert csp_errors == []
    finally:
        context.close()
