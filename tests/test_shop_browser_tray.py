"""The compare tray, only-differences, the finder and phone widths in a real Chromium.

Run with ``pytest -m browser tests/test_shop_browser_tray.py``. Screenshots go to
test-artifacts/; the ``watched`` page fails on any console error or CSP violation.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser_support import PHONE, at_phone_width, watched_page  # noqa: F401
from tests.conftest import ROOT, screenshot

pytestmark = pytest.mark.browser
WIDE = {"width": 1280, "height": 900}


def in_view(page: Any, selector: str) -> bool:
    """Whether the element is inside the viewport as it is now, with no scrolling."""
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "375"])
def test_tick_two_low_on_the_page_and_compare_without_scrolling(
    live_server, browser, viewport
) -> None:
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    problems: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(f"{live_server.url}/devices?per_page=24")
        picks = page.locator(".device-row__pick input")
        assert picks.count() >= 12
        for n in (10, 11):
            picks.nth(n).scroll_into_view_if_needed()
            picks.nth(n).check()
            page.wait_for_url(lambda url, want=n - 9: url.count("ids=") == want)
        page.wait_for_selector("#compare-link")
        # The tray docks at the bottom: Compare is on screen where the shopper already is.
        assert in_view(page, "#compare-link")
        assert page.locator(".tray__list li").count() == 2
        width = viewport["width"]
        # The screen as the shopper sees it (a full-page shot would hide where the tray sits).
        # caret="initial": hiding the caret injects a style element, which the CSP refuses.
        shot = ROOT / "test-artifacts" / f"shop-tray-viewport-{width}.png"
        page.screenshot(path=str(shot), caret="initial")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # The picks survive paging.
        page.locator(".pager a[rel=next]").click()
        page.wait_for_url(re.compile(r"page=2"))
        assert page.locator(".tray__list li").count() == 2
        page.locator("#compare-link").click()
        page.wait_for_url(re.compile(r"/compare\?ids=[a-z0-9-]+,[a-z0-9-]+$"))
        assert page.locator(".compare__name").count() == 2
    finally:
        context.close()
    assert [p for p in problems if "status of 400" not in p] == []


def test_clear_empties_the_tray(live_server, watched) -> None:
    page = watched
    page.goto(f"{live_server.url}/devices?area=knees")
    page.locator(".device-row__pick input").nth(0).check()
    page.wait_for_selector("#tray-clear")
    page.locator("#tray-clear").click()
    page.wait_for_url(re.compile(r"/devices\?area=knees$"))
    expect(page.locator(".tray--dock")).to_have_count(0)


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "375"])
def test_only_differences_hides_equal_rows(live_server, browser, viewport) -> None:
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    try:
        page = context.new_page()
        # Two Solvane panels: same brand, form, light type, measuring distance, ...
        ids = "solvane-horizon-600-panel,solvane-horizon-full-body-panel"
        page.goto(f"{live_server.url}/compare?ids={ids}")
        rows = page.locator("table.compare:not(.fit-matrix) tbody tr")
        every = rows.count()
        assert page.locator("tr[data-key=brand]").count() == 1
        page.locator("#diff-toggle").click()
        page.wait_for_url(re.compile(r"diff=1$"))
        assert 0 < rows.count() < every
        assert page.locator("tr[data-key=brand]").count() == 0
        note = page.locator("#diff-note").inner_text()
        assert "hidden" in note
        width = viewport["width"]
        screenshot(page, f"shop-compare-diff-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width == PHONE["width"]:
            frame = page.locator(".compare-wrap").first
            assert frame.evaluate("e => e.scrollWidth > e.clientWidth")  # scrolls sideways
            assert page.locator(".scroll-hint").is_visible()
            first = page.locator("table.compare th[scope=row]").first
            assert first.evaluate("e => getComputedStyle(e).position") == "sticky"
    finally:
        context.close()


def test_finder_with_javascript(live_server, watched, browser) -> None:
    page = watched
    page.goto(f"{live_server.url}/finder")
    page.locator("#finder-knees").check()
    page.locator("#finder-budget").fill("1500")
    page.locator("#finder-go").click()
    page.wait_for_url(re.compile(r"/finder\?area=knees&max_price=1500$"))
    page.wait_for_selector("#finder-answer .device-row")
    groups = page.locator("#finder-answer .device-row__group .fit").all_inner_texts()
    assert groups and all(g.strip() in ("Fits", "Partial") for g in groups)
    screenshot(page, "shop-finder-1280")
    at_phone_width(browser, page.url, "shop-finder")


def test_finder_without_javascript(live_server, browser) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/finder")
        page.locator("#finder-face").check()
        page.locator("#finder-go").click()
        page.wait_for_url(re.compile(r"/finder\?area=face"))
        assert page.locator("#finder-answer .device-row").count() > 0
    finally:
        context.close()


def test_area_page_compare_boxes(live_server, watched, browser) -> None:
    page = watched
    page.goto(f"{live_server.url}/areas/knees")
    assert "Listed for knees, but red light only" in page.locator("#misses").inner_text()
    picks = page.locator(".device-row__pick input")
    picks.nth(0).check()
    picks.nth(1).check()
    assert in_view(page, "#area-compare")
    screenshot(page, "shop-area-knees-picked-1280")
    page.locator("#area-compare").click()
    page.wait_for_url(re.compile(r"/compare\?ids=[a-z0-9-]+,[a-z0-9-]+$"))
    at_phone_width(browser, f"{live_server.url}/areas/knees", "shop-area-knees-picked")


def test_phone_pages_have_no_sideways_overflow(live_server, browser) -> None:
    for path, name in [
        ("/devices/solvane-horizon-600-panel", "shop-device-axis"),
        (
            "/devices?area=knees&ids=tidelamp-red-knee-sleeve&ids=quillon-joint-wrap-nir",
            "shop-tray",
        ),
        ("/compare?ids=solvane-horizon-600-panel,vantoro-compact-120-panel", "shop-compare"),
    ]:
        at_phone_width(browser, f"{live_server.url}{path}", name)
