"""The shopper's pages beyond the list: the finder, sorts and filters shoppers expect, compare
in plain words, breadcrumbs that keep the filters, the icon."""

from __future__ import annotations

import html

import pytest


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Made for the knees and reached: fits first, then the highest dose (mW/cm² x min).
        ("area=knees", ["combo-panel", "combo-handheld", "nir-knee-wrap"]),
        ("area=knees&max_price=500", ["combo-handheld", "nir-knee-wrap"]),
        # Made for the face: the red mask fits; the combined devices too.
        (
            "area=face&area=scalp",
            ["combo-panel", "combo-handheld", "red-face-mask", "red-scalp-cap"],
        ),
        ("", []),
    ],
)
def test_finder_lists_devices_made_for_the_areas_whose_light_gets_there(
    client, known_catalogue, query: str, expected: list[str]
) -> None:
    data = client.get(f"/api/finder?{query}").json()
    assert [i["slug"] for i in data["items"]] == expected
    assert all(i["group"] in ("fits", "partial") and i["group_reason"] for i in data["items"])
    page = client.get(f"/finder?{query}")
    assert page.status_code == 200
    for slug in expected:
        assert f'href="/devices/{slug}' in page.text


def test_finder_refuses_a_bad_budget_in_words(client, known_catalogue) -> None:
    response = client.get("/api/finder?area=knees&max_price=lots")
    assert response.status_code == 400
    assert response.json()["detail"][0]["key"] == "max_price"
    page = client.get("/finder?area=knees&max_price=lots")
    assert page.status_code == 400 and "max_price accepts a price" in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # dose = irradiance x session (10 min each): 100, 80, 60, 40, 30, 20, 15; unknown last.
        (
            "sort=-dose",
            [
                "combo-panel",
                "combo-handheld",
                "deep-1064-handheld",
                "nir-knee-wrap",
                "red-face-mask",
                "amber-wand",
                "red-scalp-cap",
                "nir-back-pad",
            ],
        ),
        # price / treatment area: 99/400, 149/350, 149/200 ...
        ("sort=price_per_cm2&per_page=3", ["amber-wand", "combo-handheld", "nir-knee-wrap"]),
        ("min_warranty=24", ["combo-handheld", "nir-knee-wrap"]),
        (
            "min_warranty=13&sort=name",
            [
                "combo-handheld",
                "combo-panel",
                "deep-1064-handheld",
                "nir-knee-wrap",
                "red-scalp-cap",
            ],
        ),
        ("max_session=5", []),
        ("max_session=10&per_page=1", ["amber-wand"]),
    ],
)
def test_shopper_sorts_and_filters(client, known_catalogue, query: str, expected) -> None:
    data = client.get(f"/api/devices?{query}").json()
    assert [i["slug"] for i in data["items"]] == expected


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("max_session=0", "max_session"),
        ("max_session=x", "max_session"),
        ("min_warranty=121", "min_warranty"),
    ],
)
def test_bad_session_and_warranty_bounds_are_named(client, known_catalogue, query, key) -> None:
    response = client.get(f"/api/devices?{query}")
    assert response.status_code == 400
    assert [d["key"] for d in response.json()["detail"]] == [key]


@pytest.mark.parametrize(
    ("ids", "says"),
    [
        ("nir-knee-wrap", "You picked one device"),
        ("", "No device is picked yet"),
        ("a,b,c,d,e", "Pick 2 to 4 devices"),
        ("nir-knee-wrap,combo-panel,red-face-mask,amber-wand,nir-back-pad", "take 1 away"),
    ],
)
def test_a_compare_that_cannot_be_drawn_says_so_in_plain_words(
    client, known_catalogue, ids: str, says: str
) -> None:
    page = client.get(f"/compare?ids={ids}")
    assert page.status_code == 400
    assert "Pick 2 to 4 devices" in page.text and says in page.text
    assert ">400<" not in page.text and "<code>ids</code>" not in page.text
    api = client.get(f"/api/compare?ids={ids}")
    assert api.status_code == 400 and api.json()["detail"][0]["key"] == "ids"


def test_a_missing_device_is_a_plain_404(client, known_catalogue) -> None:
    page = client.get("/devices/no-such-thing")
    assert page.status_code == 404 and "We can't find that device" in html.unescape(page.text)
    assert "slug" not in page.text.split("<main", 1)[1]
    assert client.get("/api/devices/no-such-thing").status_code == 404


def test_the_device_breadcrumb_keeps_the_filters(client, known_catalogue) -> None:
    listing = client.get("/devices?area=knees&sort=price&ids=combo-panel").text
    assert 'href="/devices/nir-knee-wrap?back=' in listing
    link = listing.split('href="/devices/nir-knee-wrap?back=', 1)[1].split('"', 1)[0]
    page = client.get(f"/devices/nir-knee-wrap?back={link.replace('&amp;', '&')}").text
    assert 'href="/devices?area=knees&amp;sort=price&amp;ids=combo-panel">Devices</a>' in page
    plain = client.get("/devices/nir-knee-wrap?back=area%3Dmoon%26evil%3D1").text
    assert 'href="/devices">Devices</a>' in plain


def test_the_icon_is_served(client) -> None:
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and "<svg" in icon.text
    assert client.get("/favicon.ico", follow_redirects=False).status_code == 301
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/devices").text


def test_help_on_units_is_on_the_filter_and_device_pages(client, known_catalogue) -> None:
    for path in ("/devices", "/devices/combo-panel"):
        assert "What mW/cm² and J/cm² mean" in client.get(path).text
