"""Shop pages kept per catalogue version for anonymous visitors (catalogue/web/page_cache.py).

An anonymous visitor of a URL gets the body rendered for the first one, until a write bumps
the catalogue version; a signed-in person always gets a page rendered for them (their name
in the header, the CSRF token htmx sends). SQLite, and PostgreSQL when TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

from typing import Any

import pytest

from catalogue.data.db import Database
from catalogue.data.models import Device

# (page, a device name it shows when it shows the device renamed below)
PAGES = [
    "/devices",
    "/devices?area=knees",
    "/devices?area=knees&sort=price",
    "/devices/combo-handheld",
    "/compare?ids=combo-handheld,combo-panel",
    "/areas",
    "/areas/knees",
]
SHOWS_THE_HANDHELD = [p for p in PAGES if p != "/areas"]


def kept_pages(client: Any) -> Any:
    return client.app.state.count_cache.pages


@pytest.mark.parametrize("path", PAGES)
def test_an_anonymous_page_is_rendered_once_per_version(
    client: Any, known_catalogue: list[str], path: str
) -> None:
    first = client.get(path)
    assert first.status_code == 200, first.text
    pages = kept_pages(client)
    hits = pages.hits
    again = client.get(path)
    assert again.status_code == 200
    assert again.text == first.text
    assert again.headers["content-type"].startswith("text/html")
    assert pages.hits == hits + 1
    assert "x-csrftoken" not in first.text  # one body serves every anonymous visitor


@pytest.mark.parametrize("path", SHOWS_THE_HANDHELD)
def test_a_write_shows_at_once(
    client: Any, known_catalogue: list[str], db: Database, path: str
) -> None:
    assert "Combo Handheld" in client.get(path).text
    with db.writing() as session:
        device = session.query(Device).filter_by(slug="combo-handheld").one()
        device.name = "Combo Handheld Mk II"
    html = client.get(path).text
    assert "Combo Handheld Mk II" in html


def test_urls_are_kept_apart(client: Any, known_catalogue: list[str]) -> None:
    everything = client.get("/devices").text
    knees = client.get("/devices?area=knees").text
    assert knees != everything
    assert client.get("/devices").text == everything
    assert "red-scalp-cap" in everything and "red-scalp-cap" not in knees


def test_signed_in_people_get_a_page_of_their_own(staff: Any, known_catalogue: list[str]) -> None:
    qa = staff("qa")
    mine = qa.get("/devices").text
    assert qa.email in mine and '"x-csrftoken"' in mine
    assert qa.form("/signout").status_code == 303
    anonymous = qa.get("/devices").text  # now kept for anonymous visitors of /devices
    assert qa.email not in anonymous and "x-csrftoken" not in anonymous
    assert qa.sign_in(qa.email).status_code == 303
    again = qa.get("/devices").text
    assert qa.email in again and '"x-csrftoken"' in again


def test_a_bad_filter_keeps_its_status(client: Any, known_catalogue: list[str]) -> None:
    for _ in range(2):
        response = client.get("/devices?max_price=abc")
        assert response.status_code == 400
        assert "max_price" in response.text or "price" in response.text.lower()
