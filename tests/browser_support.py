"""Helpers for the tests that drive a real browser."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import screenshot

PHONE = {"width": 375, "height": 812}


def watch_csp(page: Any) -> list[str]:
    """The Content-Security-Policy violations ``page`` reports from now on, as they come."""
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return errors


@pytest.fixture(name="watched")
def watched_page(page: Any) -> Iterator[Any]:
    """The page, failing the test on a script error or a CSP violation."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: (
            problems.append(m.text) if m.type == "error" and "status of 400" not in m.text else None
        ),
    )
    yield page
    assert problems == [], problems


def at_phone_width(browser: Any, url: str, name: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    try:
        phone = context.new_page()
        phone.goto(url)
        screenshot(phone, f"{name}-375")
        # Nothing may stick out sideways at 375 px (the compare table scrolls in its frame).
        overflow = phone.evaluate("document.documentElement.scrollWidth")
        assert overflow <= PHONE["width"], f"{name} is {overflow} px wide at 375 px"
    finally:
        context.close()
