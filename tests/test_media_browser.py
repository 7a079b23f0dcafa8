"""Pictures in a real browser: a merchandiser uploads and describes a picture, QA publishes
the device, and shoppers see its thumbnail on /devices on a phone and on a desktop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from catalogue.data.db import Database
from tests import media_support as m
from tests.browser_support import watch_csp
from tests.conftest import LiveServer, screenshot
from tests.factories import add_device

pytestmark = pytest.mark.browser

PASSWORD = "a long enough browser password"
SLUG = "zircon-picture-panel"
ALT = "The Zircon panel on its floor stand"


def _sign_in(browser: Any, url: str, email: str) -> Any:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Sign in")).to_have_count(0)
    return page


def test_upload_describe_publish_and_see_the_thumbnail(
    live_server: LiveServer, browser: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    for email, role in (("merch.pics@example.com", "merchandiser"), ("qa.pics@example.com", "qa")):
        live_server.cli(
            "users", "create", "--email", email, "--role", role, "--password-stdin",
            input=PASSWORD + "\n",
        )  # fmt: skip
    db = Database(live_server.database_url)
    try:
        with db.writing() as session:
            add_device(
                session,
                slug=SLUG,
                name="Zircon Picture Panel",
                status="draft",
                description="A panel for gentle evening sessions.",
            )
    finally:
        db.dispose()
    photo = tmp_path / "zircon.jpg"
    photo.write_bytes(m.jpeg(1600, 1200, gps=True))

    merch = _sign_in(browser, live_server.url, "merch.pics@example.com")
    csp_errors = watch_csp(merch)
    merch.goto(f"{live_server.url}/admin/devices/{SLUG}/images")
    merch.get_by_label("JPEG, PNG or WebP").set_input_files(str(photo))
    merch.get_by_label("Alt text (what the picture shows)").fill("A panel")
    merch.get_by_role("button", name="Upload").click()
    expect(merch.get_by_role("status")).to_have_text("Saved.")
    merch.get_by_label("Alt text", exact=True).fill(ALT)
    merch.get_by_role("button", name="Save alt text").click()
    expect(merch.locator(f'img[alt="{ALT}"]')).to_be_visible()
    screenshot(merch, "media-editor")
    merch.goto(f"{live_server.url}/admin/devices/{SLUG}")
    merch.get_by_role("button", name="Submit for review").click()
    expect(merch.locator(".status")).to_have_text("In review")
    assert csp_errors == []

    qa = _sign_in(browser, live_server.url, "qa.pics@example.com")
    qa.goto(f"{live_server.url}/admin/devices/{SLUG}")
    qa.get_by_role("button", name="Approve and publish").click()
    expect(qa.locator(".status")).to_have_text("Published")

    # 160 px CSS wide at 1x: both a phone and a desktop fetch the smallest WebP.
    for width, height in ((375, 800), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height})
        shopper = context.new_page()
        shopper_csp = watch_csp(shopper)
        shopper.goto(f"{live_server.url}/devices?q=zircon")
        thumb = shopper.locator(f'.device-row__image img[alt="{ALT}"]')
        expect(thumb).to_be_visible()
        loaded = thumb.evaluate("img => [img.complete, img.naturalWidth, img.currentSrc]")
        assert loaded[0] and loaded[1] > 0
        assert loaded[2].endswith("-160.webp")
        screenshot(shopper, f"media-devices-{width}")
        assert shopper_csp == []
        context.close()
