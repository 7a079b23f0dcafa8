"""Helpers for the tests that drive a real browser."""

from __future__ import annotations

from typing import Any


def watch_csp(page: Any) -> list[str]:
    """The Content-Security-Policy violations ``page`` reports from now on, as they come."""
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return errors
