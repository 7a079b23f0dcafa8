"""The shop over HTTP: the filter page and its JSON twin, and every page under the CSP.

The catalogue is ``known_catalogue`` in tests/known_catalogue_fixtures.py (eight published
devices, three hidden).
"""

from __future__ import annotations

import re

import pytest

from tests.shop_support import THREE

HIDDEN = ("draft-nir-panel", "archived-red-bulb", "review-combo-panel")


def _count(html: str) -> int:
    match = re.search(r'class="results__count"[^>]*>\s*<strong>(\d+)</strong>', html)
    assert match, "the result count is on the page"
    return int(match.group(1))


def _checked(html: str, name: str) -> list[str]:
    """Values of the ticked checkboxes named ``name``."""
    tags = re.findall(rf'<input type="checkbox" name="{name}"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', t).group(1) for t in tags if " checked" in t]  # type: ignore[union-attr]


# --- The filter page and its JSON twin -------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("", 8),
        ("light_type=nir", 2),
        ("light_type=nir&area=knees", 1),
        ("area=knees", 4),
        ("area=face&brand=Kinetix", 0),
        ("light_type=red&area=knees", 0),
        ("q=knee&sort=-price", 2),
        ("min_nm=800&max_nm=900&max_price=200", 2),
    ],
)
def test_filter_page_and_json_agree(client, known_catalogue, query: str, total: int) -> None:
    data = client.get(f"/api/devices?{query}").json()
    page = client.get(f"/devices?{query}")
    assert page.status_code == 200
    assert data["total"] == total == _count(page.text)
    for item in data["items"]:
        assert f'href="/devices/{item["slug"]}' in page.text  # ?back= keeps the filters
    for slug in HIDDEN:
        assert slug not in page.text


def test_json_shape(client, known_catalogue) -> None:
    data = client.get("/api/devices?area=knees&light_type=nir&light_type=red&per_page=1").json()
    assert {"items", "total", "page", "per_page", "facets"} <= set(data)
    assert (data["total"], data["page"], data["per_page"]) == (1, 1, 1)
    item = data["items"][0]
    assert {
        "slug",
        "name",
        "brand",
        "form_factor",
        "price",
        "currency",
        "light_type",
        "coverage",
        "wavelengths_nm",
        "areas",
        "irradiance_mw_cm2",
        "fit",
        "group",
        "group_reason",
    } <= set(item)
    assert item["group"] == "fits"
    assert item["fit"]["knees"]["fit"] == "fits"
    assert "NIR reaches the knee joint" in item["fit"]["knees"]["reason"]
    assert set(data["facets"]) == {"light_type", "coverage", "area", "form_factor", "brand"}
    for values in data["facets"].values():
        for value in values:
            assert set(value) == {"value", "label", "count", "selected"}
    light = {v["value"]: (v["count"], v["selected"]) for v in data["facets"]["light_type"]}
    assert light == {
        "red": (0, True),
        "nir": (1, True),
        "combined": (2, False),
        "other": (1, False),
    }


@pytest.mark.parametrize(
    ("query", "key", "says"),
    [
        ("light_type=uv", "light_type", "light_type accepts red, nir, combined, other"),
        ("min_price=abc", "min_price", "min_price accepts a price from 0 to 150000"),
        ("per_page=100000", "per_page", "per_page accepts a whole number from 1 to 100"),
        ("page=0", "page", "page accepts a whole number"),
        ("area=moon", "area", "area accepts face, scalp"),
        ("coverage=everything", "coverage", "coverage accepts surface, deep, both"),
        ("sort=cheapest", "sort", "sort accepts relevance"),
        ("min_nm=10", "min_nm", "380 to 1400 nm"),
        ("min_price=900&max_price=100", "max_price", "below min_price"),
    ],
)
def test_bad_argument_json_is_a_400_naming_it(client, known_catalogue, query, key, says) -> None:
    response = client.get(f"/api/devices?{query}")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert [d["key"] for d in detail] == [key]
    assert says in detail[0]["message"]


@pytest.mark.parametrize(
    ("query", "says", "total"),
    [
        ("light_type=uv&area=knees", "light_type accepts red, nir, combined, other", 4),
        ("min_price=abc", "min_price accepts a price", 8),
        ("per_page=100000&light_type=red", "per_page accepts a whole number from 1 to 100", 2),
        ("page=-3", "page accepts a whole number", 8),
    ],
)
def test_bad_argument_html_shows_the_page_with_a_message(
    client, known_catalogue, query, says, total
) -> None:
    response = client.get(f"/devices?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert says in response.text
    assert "Traceback" not in response.text
    # The arguments that were fine still apply.
    assert _count(response.text) == total


def test_blank_form_fields_redirect_to_the_shareable_url(client, known_catalogue) -> None:
    response = client.get(
        "/devices?q=&min_price=&max_price=&light_type=nir&area=knees&sort=relevance",
        follow_redirects=False,
    )
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/devices?light_type=nir&area=knees"


def test_htmx_gets_the_shareable_url_to_push(client, known_catalogue) -> None:
    response = client.get(
        "/devices?area=knees&q=&light_type=nir&sort=price", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.headers["hx-push-url"] == "/devices?light_type=nir&area=knees&sort=price"
    assert 'id="results"' in response.text and 'id="facets"' in response.text


def test_facets_are_ticked_for_the_url(client, known_catalogue) -> None:
    html = client.get("/devices?light_type=nir&light_type=combined&area=knees").text
    assert _checked(html, "light_type") == ["nir", "combined"]
    assert _checked(html, "area") == ["knees"]
    assert _checked(html, "brand") == []
    # Each active choice can be removed on its own, and the page says what coverage means.
    assert 'href="/devices?light_type=combined&amp;area=knees"' in html
    assert 'href="/devices?light_type=nir&amp;light_type=combined"' in html
    assert "Red light (630–660 nm) stays in the skin" in html


def test_pages_link_to_each_other(client, known_catalogue) -> None:
    html = client.get("/devices?per_page=3&page=2&sort=price").text
    assert 'href="/devices?sort=price&amp;per_page=3" rel="prev"' in html
    assert 'href="/devices?sort=price&amp;per_page=3&amp;page=3" rel="next"' in html
    past = client.get("/devices?per_page=3&page=9")
    assert past.status_code == 200
    assert "past the end" in past.text


@pytest.mark.parametrize(
    ("ids", "says", "link"),
    [
        ([], "Tick “Compare” on 2 to 4 devices", None),
        (["amber-wand"], "Tick one more device", None),
        (["amber-wand", "combo-panel"], "2 of 4 picked", "/compare?ids=amber-wand,combo-panel"),
        (
            ["amber-wand", "combo-panel", "red-scalp-cap", "nir-back-pad", "nir-knee-wrap"],
            "at most 4 devices",
            None,
        ),
        # Unknown and hidden devices are dropped from the selection, not an error.
        (["amber-wand", "no-such-thing", "draft-nir-panel"], "Tick one more device", None),
    ],
)
def test_the_compare_selection_lives_in_the_url(
    client, known_catalogue, ids: list[str], says: str, link: str | None
) -> None:
    query = "&".join(f"ids={i}" for i in ids)
    html = client.get(f"/devices?light_type=nir&{query}").text
    assert says in html
    if link:
        assert f'href="{link}"' in html
    else:
        assert 'id="compare-link"' not in html
    # Ticked devices off this page ride along as hidden fields, so filtering keeps them.
    for slug in ids[:4]:
        if slug in ("amber-wand", "combo-panel", "red-scalp-cap"):
            assert f'<input type="hidden" name="ids" value="{slug}">' in html


def test_with_four_picked_the_other_ticks_are_disabled(client, known_catalogue) -> None:
    picked = ["amber-wand", "combo-panel", "red-scalp-cap", "nir-back-pad"]
    html = client.get("/devices?" + "&".join(f"ids={i}" for i in picked)).text
    assert re.search(r'value="nir-knee-wrap" id="cmp-nir-knee-wrap" disabled', html)
    assert re.search(r'value="nir-back-pad" id="cmp-nir-back-pad" checked', html)


# --- Every page under the Content-Security-Policy ---------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/devices",
        "/devices?area=knees&ids=amber-wand&ids=combo-panel",
        "/devices?light_type=uv",
        "/devices/combo-panel",
        "/areas",
        "/areas/whole-body",
        f"/compare?ids={THREE}",
        "/compare?ids=nope",
    ],
)
def test_pages_need_no_inline_script_or_style(client, known_catalogue, path: str) -> None:
    html = client.get(path).text
    assert not re.search(r"\sstyle\s*=", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    assert "unpkg.com" not in html and "cdn" not in html.lower()


def test_home_goes_to_the_catalogue(client) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.headers["location"] == "/devices"
