"""Search as you type on /devices, in a real Chromium over the seed catalogue.

The list and its count follow the search box after a pause in the typing, without Enter and
without a console error or CSP violation, at 1280 and 375 px; the box is a plain GET form
without JavaScript.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser_support import PHONE, watched_page  # noqa: F401
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


def api_total(server: Any, query: str) -> int:
    with urllib.request.urlopen(f"{server.url}/api/devices?{query}&per_page=1") as response:
        return int(json.load(response)["total"])


def shown_count(page: Any) -> int:
    return int(page.locator(".results__count strong").inner_text().replace(",", ""))


def no_overflow(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width} px wide"


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A 375 px page that fails the test on a script error or any console error."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert problems == []


def devices_requests(page: Any) -> list[str]:
    """The list requests the page makes from now on (htmx's, not the first load's)."""
    seen: list[str] = []
    page.on(
        "request",
        lambda r: (
            seen.append(r.url) if "/devices?" in r.url and r.resource_type != "document" else None
        ),
    )
    return seen


@pytest.mark.parametrize("width", [1280, 375])
def test_typing_updates_the_list_and_its_count(live_server, watched, phone, width) -> None:
    page = watched if width == 1280 else phone
    page.goto(f"{live_server.url}/devices")
    everything = shown_count(page)
    asked = devices_requests(page)

    page.locator("#q").press_sequentially("solvane", delay=40)
    page.wait_for_url(re.compile(r"/devices\?q=solvane$"))
    solvane = api_total(live_server, "q=solvane")
    assert 0 < solvane < everything
    expect(page.locator(".results__count strong")).to_have_text(str(solvane))
    expect(page.locator("#search-status")).to_have_text(f"{solvane} devices")
    assert all("Solvane" in row.inner_text() for row in page.locator(".device-row").all())
    # The box keeps the focus and every letter while the list changes under it.
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.locator("#q").input_value() == "solvane"

    page.locator("#q").press_sequentially(" panel", delay=40)
    page.wait_for_url(re.compile(r"/devices\?q=solvane\+panel$"))
    panels = api_total(live_server, "q=solvane+panel")
    expect(page.locator(".results__count strong")).to_have_text(str(panels))
    # Debounced: far fewer requests than keys pressed.
    assert 1 <= len(asked) < len("solvane panel") // 2, asked
    no_overflow(page)
    screenshot(page, f"shop-search-typing-{width}")

    # One history entry for the whole search: Back returns to the list before it.
    page.go_back()
    page.wait_for_url(re.compile(r"/devices$"))
    expect(page.locator(".results__count strong")).to_have_text(str(everything))


def test_slow_answers_while_typing_log_nothing_and_the_last_wins(live_server, watched) -> None:
    """Each pause asks while the answer to the one before is still on its way: nothing is
    aborted (an aborted htmx request logs console errors), and the list ends on the last."""
    page = watched
    page.goto(f"{live_server.url}/devices")
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 700, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    asked = devices_requests(page)
    page.locator("#q").press_sequentially("horizon", delay=350)
    page.wait_for_url(re.compile(r"/devices\?q=horizon$"))
    expect(page.locator(".results__count strong")).to_have_text(
        str(api_total(live_server, "q=horizon"))
    )
    assert page.locator("#q").input_value() == "horizon"
    assert len(asked) >= 3, asked  # the answers did overlap the typing


def test_search_is_a_plain_form_without_javascript(live_server, browser) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/devices")
        page.locator("#q").fill("wrap")
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_url(re.compile(r"/devices\?q=wrap$"))
        assert shown_count(page) == api_total(live_server, "q=wrap") > 0
        assert page.locator("#q").input_value() == "wrap"
        assert urllib.parse.urlsplit(page.url).query == "q=wrap"
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_misspelt_brand_is_put_right(live_server, watched, phone, width) -> None:
    page = watched if width == 1280 else phone
    page.goto(f"{live_server.url}/devices")
    page.locator("#q").press_sequentially("slovane", delay=40)
    page.wait_for_url(re.compile(r"/devices\?q=slovane$"))
    expect(page.locator(".results__count strong")).to_have_text("0")
    solvane = api_total(live_server, "q=Solvane")
    expect(page.locator("#did-you-mean a")).to_have_text("Solvane")
    expect(page.locator("#did-you-mean")).to_contain_text(f"It finds {solvane} devices")
    expect(page.locator("#search-status")).to_have_text("0 devices. Did you mean Solvane?")
    no_overflow(page)
    screenshot(page, f"shop-search-did-you-mean-{width}")

    page.locator("#did-you-mean a").click()
    page.wait_for_url(re.compile(r"/devices\?q=Solvane$"))
    expect(page.locator(".results__count strong")).to_have_text(str(solvane))
    assert page.locator("#q").input_value() == "Solvane"
    expect(page.locator("#did-you-mean")).to_have_count(0)

    # A brand from a typed-in URL (not from the ticks) is put right too.
    page.goto(f"{live_server.url}/devices?brand=solvane")
    expect(page.locator(".results__count strong")).to_have_text("0")
    page.locator("#did-you-mean a").click()
    page.wait_for_url(re.compile(r"/devices\?brand=Solvane$"))
    expect(page.locator(".results__count strong")).to_have_text(
        str(api_total(live_server, "brand=Solvane"))
    )
    assert page.locator("input[name=brand][value=Solvane]").is_checked()
