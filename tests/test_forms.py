"""Form bodies and page counts read one way, whatever a browser or an attacker sends."""

from __future__ import annotations

from typing import Any

import pytest

from catalogue.core.paging import page_count
from catalogue.web.forms import MoveForm, SignInForm


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, MoveForm("", -1, "")),
        ({"action": "approve", "version": "3", "comment": "ok"}, MoveForm("approve", 3, "ok")),
        # A repeated field counts once, with its first value.
        ({"action": ["submit", "approve"], "version": ["2", "9"]}, MoveForm("submit", 2, "")),
        ({"action": []}, MoveForm("", -1, "")),
        # Not a whole number we accept: the form is stale, never an error page.
        ({"version": "²"}, MoveForm("", -1, "")),
        ({"version": "9" * 5_000}, MoveForm("", -1, "")),
        ({"version": "-4"}, MoveForm("", -1, "")),
        ({"version": " 7 "}, MoveForm("", 7, "")),  # spaces around digits are forgiven
        ({"version": "99999999999999999999"}, MoveForm("", -1, "")),
        # Fields a form does not have are ignored (the CSRF token, say).
        ({"_csrf": "x", "comment": "\u00e9\u00e8"}, MoveForm("", -1, "\u00e9\u00e8")),
    ],
)
def test_a_form_reads_each_field_one_way(data: dict[str, Any], expected: MoveForm) -> None:
    assert MoveForm.of(data) == expected


def test_text_is_kept_as_sent() -> None:
    """Stripping and checking are for the layer that knows what the text means."""
    form = SignInForm.of({"email": "  qa@example.org ", "password": " p ", "next": "/qa"})
    assert form == SignInForm("  qa@example.org ", " p ", "/qa")


@pytest.mark.parametrize(
    ("total", "per_page", "pages"), [(0, 25, 1), (1, 25, 1), (25, 25, 1), (26, 25, 2), (51, 25, 3)]
)
def test_every_paged_list_counts_its_pages_one_way(total: int, per_page: int, pages: int) -> None:
    assert page_count(total, per_page) == pages
