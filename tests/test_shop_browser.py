"""The shop in a real Chromium against the real server over the seed catalogue.

Run with the browser tests selected: ``pytest -m browser tests/test_shop_browser.py``.
The server sends its Content-Security-Policy, so a blocked inline script or style shows up
as a console error and fails the test. Screenshots go to test-artifacts/ at 1280 and 375 px.
"""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser_support import PHONE, at_phone_width, watched_page  # noqa: F401
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


def count_on_page(page: Any) -> int:
    return int(page.locator(".results__count strong").inner_text().replace(",", ""))


def facet_count(page: Any, name: str, value: str) -> int:
    option = page.locator(f"label.facet__option:has(input[name={name}][value={value}])")
    return int(option.locator(".facet__count").inner_text())


def test_tick_nir_and_knees(live_server, watched, browser) -> None:
    page = watched
    with urllib.request.urlopen(f"{live_server.url}/api/devices?per_page=1") as response:
        published = json.load(response)["total"]
    page.goto(f"{live_server.url}/devices")
    everything = count_on_page(page)
    knees_before = facet_count(page, "area", "knees")
    assert everything == published and knees_before < everything

    page.locator("input[name=light_type][value=nir]").check()
    page.wait_for_url(re.compile(r"/devices\?light_type=nir$"))
    expect(page.locator(".results__count strong")).not_to_have_text(str(everything))
    nir_only = count_on_page(page)
    assert 0 < nir_only < everything
    # Disjunctive: the light-type facet still offers the other types with their own counts.
    assert facet_count(page, "light_type", "red") > 0
    # The knees count is the NIR devices made for the knees, what ticking it would list.
    with urllib.request.urlopen(
        f"{live_server.url}/api/devices?light_type=nir&area=knees&per_page=1"
    ) as response:
        nir_for_knees = json.load(response)["total"]
    assert facet_count(page, "area", "knees") == nir_for_knees < nir_only

    page.locator("input[name=area][value=knees]").check()
    page.wait_for_url(re.compile(r"/devices\?light_type=nir&area=knees$"))
    page.wait_for_selector(".device-row__group")
    assert count_on_page(page) == nir_for_knees
    fits = page.locator(".device-row .fit--fits")
    assert fits.count() == page.locator(".device-row").count() > 0
    assert "NIR reaches the knee joint" in page.locator(".device-row__group").first.inner_text()
    assert page.locator("input[name=area][value=knees]").is_checked()
    screenshot(page, "shop-devices-nir-knees-1280")

    # The URL is the state: opening it afresh gives the same page.
    page.goto(page.url)
    assert count_on_page(page) == nir_for_knees
    at_phone_width(browser, page.url, "shop-devices-nir-knees")

    # Unticking NIR widens the list again, in place.
    page.locator("input[name=light_type][value=nir]").uncheck()
    page.wait_for_url(re.compile(r"/devices\?area=knees$"))
    expect(page.locator(".results__count strong")).not_to_have_text(str(nir_for_knees))
    assert count_on_page(page) == knees_before


def test_area_page(live_server, watched, browser) -> None:
    page = watched
    page.goto(f"{live_server.url}/areas")
    screenshot(page, "shop-areas-1280")
    page.get_by_role("link", name="Knees", exact=True).click()
    page.wait_for_url(re.compile(r"/areas/knees$"))
    assert page.locator("h1").inner_text() == "Knees"
    assert page.locator("#fits .device-row").count() > 0
    assert page.locator("#misses .device-row").count() > 0
    assert "does not reach the knee joint" in page.locator("#misses").inner_text()
    screenshot(page, "shop-area-knees-1280")
    at_phone_width(browser, page.url, "shop-area-knees")
    at_phone_width(browser, f"{live_server.url}/areas", "shop-areas")


def test_pick_three_compare_and_show_differences(live_server, watched, browser) -> None:
    page = watched
    page.goto(f"{live_server.url}/devices?area=knees")
    picks = page.locator(".device-row__pick input")
    names = []
    for n in range(3):
        names.append(page.locator(".device-row__title").nth(n).inner_text())
        picks.nth(n).check()
        page.wait_for_url(lambda url, picked=n + 1: url.count("ids=") == picked)
    assert page.locator(".tray__list li").count() == 3
    page.locator("#compare-link").click()
    page.wait_for_url(re.compile(r"/compare\?ids=[a-z0-9-]+,[a-z0-9-]+,[a-z0-9-]+$"))
    assert [h.inner_text() for h in page.locator(".compare__name").all()] == names
    all_rows = page.locator("table.compare:not(.fit-matrix) tbody tr").count()
    assert page.locator("svg.spectrum__svg line.spectrum__line").count() >= 3
    screenshot(page, "shop-compare-1280")

    page.locator("#diff-toggle").click()
    page.wait_for_url(re.compile(r"&diff=1$"))
    differing = page.locator("table.compare:not(.fit-matrix) tbody tr").count()
    # These three may differ in every row; the hiding itself is checked on two look-alikes
    # in test_shop_browser_tray.py. The note says which it is.
    assert 0 < differing <= all_rows
    assert page.locator("#diff-note").is_visible()
    assert page.locator("#diff-toggle").get_attribute("aria-current") == "true"
    # The reason behind a fit shows on focus as well as hover.
    cell = page.locator(".fit-matrix .has-tip").first
    cell.focus()
    assert page.locator(".fit-matrix .tip").first.is_visible()
    screenshot(page, "shop-compare-diff-1280")
    at_phone_width(browser, page.url, "shop-compare-diff")


def test_device_page_spectrum(live_server, watched, browser) -> None:
    page = watched
    page.goto(f"{live_server.url}/devices/solvane-modular-tower-three")
    chart = page.locator("svg.spectrum__svg")
    assert chart.get_attribute("role") == "img"
    assert (
        "940 nm (outside the red and near-infrared bands)" in chart.locator("desc").text_content()
    )
    assert chart.locator("line.spectrum__line").count() == 5
    assert chart.locator("rect.spectrum__band").count() == 2
    assert page.locator(".fit-table tbody tr:not(.group-row)").count() == 19
    screenshot(page, "shop-device-1280")
    at_phone_width(browser, page.url, "shop-device")


def test_the_shop_works_without_javascript(live_server, browser) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/devices")
        page.locator("input[name=light_type][value=nir]").check()
        page.locator("input[name=area][value=knees]").check()
        page.locator(".facets__apply").click()
        # The form sends every field; the server answers with the short, shareable URL.
        page.wait_for_url(re.compile(r"/devices\?light_type=nir&area=knees$"))
        assert page.locator("input[name=light_type][value=nir]").is_checked()
        picks = page.locator(".device-row__pick input")
        picks.nth(0).check()
        picks.nth(1).check()
        page.get_by_role("button", name="Compare ticked devices").click()
        page.wait_for_url(re.compile(r"/compare\?ids=[a-z0-9-]+,[a-z0-9-]+$"))
        assert page.locator(".compare__name").count() == 2
        page.get_by_role("link", name="Only differences").click()
        page.wait_for_url(re.compile(r"diff=1$"))
    finally:
        context.close()
