"""The whole way in a real browser: a merchandiser enters a device, fixes a range error and a
claim the live preview flags, submits it; QA approves; shoppers find it by body area."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser_support import watch_csp
from tests.conftest import LiveServer, screenshot

pytestmark = pytest.mark.browser

MERCHANDISER = ("merch.browser@example.com", "a long merchandiser password")
QA = ("qa.flow@example.com", "a long enough qa password")
NAME = "Zephyr Knee Relief Wrap"
SLUG = "zephyr-knee-relief-wrap"


@pytest.fixture
def staff_server(live_server: LiveServer) -> LiveServer:
    for (email, password), role in ((MERCHANDISER, "merchandiser"), (QA, "qa")):
        live_server.cli(
            "users", "create", "--email", email, "--role", role, "--password-stdin",
            input=password + "\n",
        )  # fmt: skip
    return live_server


def _sign_in(page: Any, server: LiveServer, email: str, password: str, target: str) -> None:
    page.goto(f"{server.url}{target}")
    assert "/signin" in page.url  # guarded: sent to sign in first
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_url(f"{server.url}{target}")


def test_merchandiser_enters_qa_approves_shopper_finds(
    staff_server: LiveServer, browser: Any, page: Any
) -> None:
    from playwright.sync_api import expect

    server = staff_server
    csp_errors = watch_csp(page)
    _sign_in(page, server, *MERCHANDISER, "/admin/devices/new")

    page.fill("#f-name", NAME)
    expect(page.locator("#f-slug")).to_have_value(SLUG)  # suggested from the name
    page.fill("#f-brand", "Zephyr")
    page.fill("#f-sku", "ZPH-WRP-01")
    page.select_option("#f-form_factor", "wrap")
    page.fill("#f-price", "189.00")
    rows = page.locator("input[name=emission_nm]")
    rows.nth(0).fill("660")
    rows.nth(1).fill("850")
    page.check("input[name=areas][value=knees]")
    page.fill("#f-irradiance_mw_cm2", "900")
    page.fill("#f-irradiance_distance_cm", "10")
    page.fill("#f-session_minutes", "15")
    page.fill("#f-description", "A flexible wrap for the knee.")
    page.click("button:has-text('Create draft')")

    error = page.locator("#e-irradiance_mw_cm2")
    expect(error).to_contain_text("900 is above the maximum 500")
    expect(page.locator("#f-sku")).to_have_value("ZPH-WRP-01")  # input kept
    screenshot(page, "admin-01-field-error")

    page.fill("#f-irradiance_mw_cm2", "90")
    description = page.locator("#f-description")
    description.fill("")
    description.press_sequentially("A flexible wrap that cures arthritis", delay=10)
    mark = page.locator("#claim-preview mark.finding--error")
    expect(mark).to_be_visible(timeout=5000)
    expect(mark.first).to_contain_text("cures")
    screenshot(page, "admin-02-live-claim-preview")

    description.fill("")
    description.press_sequentially(
        "A flexible wrap for the knee: warmth you feel mildly, comfort that builds "
        "over weeks of regular sessions.",
        delay=5,
    )
    expect(page.locator("#claim-preview mark.finding--error")).to_have_count(0, timeout=5000)
    page.click("button:has-text('Create draft')")
    page.wait_for_url(f"{server.url}/admin/devices/{SLUG}?saved=1")
    expect(page.locator(".status").first).to_have_text("Draft")
    page.click("button:has-text('Submit for review')")
    expect(page.locator(".status").first).to_have_text("In review")
    screenshot(page, "admin-03-submitted")

    # QA, in a browser of their own.
    qa_context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        qa_page = qa_context.new_page()
        qa_csp = watch_csp(qa_page)
        _sign_in(qa_page, server, *QA, f"/admin/devices/{SLUG}")
        expect(qa_page.locator("button:has-text('Submit for review')")).to_have_count(0)
        qa_page.click("button:has-text('Approve and publish')")
        expect(qa_page.locator(".status").first).to_have_text("Published")
        screenshot(qa_page, "admin-04-approved")
        assert qa_csp == []
    finally:
        qa_context.close()

    # A shopper, signed in as nobody, filters by body area.
    shop_context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        shop = shop_context.new_page()
        shop.goto(f"{server.url}/devices?area=knees&brand=Zephyr")
        expect(shop.get_by_text(NAME).first).to_be_visible()
        screenshot(shop, "admin-05-shopper-filter")
    finally:
        shop_context.close()
    assert csp_errors == []
