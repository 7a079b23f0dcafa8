"""Every shop route over HTTP, HTML and JSON, with its error cases.

The catalogue is ``known_catalogue`` in conftest (eight published devices, three hidden).
"""

from __future__ import annotations

import re
from html import unescape

import pytest

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


# --- One device ------------------------------------------------------------------------------


def test_device_page(client, known_catalogue) -> None:
    response = client.get("/devices/combo-handheld")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Combo Handheld</h1>" in html
    assert '<svg viewBox="0 0' in html and 'role="img"' in html
    assert "Combo Handheld: 630 nm (red band), 830 nm (near-infrared band)." in html
    assert html.count('class="spectrum__line') == 2
    assert 'class="spectrum__band spectrum__band--red"' in html
    assert 'class="spectrum__band spectrum__band--nir"' in html
    assert "Where its light reaches" in html
    assert html.count('<td class="reason">') == 19
    assert "830 nm NIR reaches the knee joint" in html
    assert "48 J/cm²" in html  # 80 mW/cm² for 10 minutes
    assert "red works on the skin while near-infrared" in html


def test_device_json_has_every_field(client, known_catalogue) -> None:
    data = client.get("/api/devices/nir-back-pad").json()
    assert data["slug"] == "nir-back-pad"
    assert data["light_type"] == "nir" and data["coverage"] == "deep"
    assert [(e["wavelength_nm"], e["band"]) for e in data["emissions"]] == [
        (810.0, "nir"),
        (850.0, "nir"),
    ]
    assert len(data["fit"]) == 19
    assert data["fit"]["face"]["fit"] == "partial"
    assert data["fit"]["knees"] == {
        "fit": "fits",
        "reason": "810/850 nm NIR reaches the knee joint",
    }
    # No irradiance listed: no dose is guessed.
    assert data["irradiance_mw_cm2"] is None and data["dose_j_cm2"] is None
    for field in ("sku", "warranty_months", "treatment_area_cm2", "description", "price_per_cm2"):
        assert field in data


def test_device_outside_the_bands_is_marked(client, known_catalogue) -> None:
    html = client.get("/devices/amber-wand").text
    assert "outside the red and near-infrared bands" in html
    assert 'class="spectrum__line spectrum__line--outside"' in html


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/devices/no-such-device", "html"),
        ("/devices/draft-nir-panel", "html"),
        ("/devices/archived-red-bulb", "html"),
        ("/api/devices/no-such-device", "json"),
        ("/api/devices/review-combo-panel", "json"),
        ("/areas/moon", "html"),
        ("/api/areas/moon", "json"),
    ],
)
def test_unknown_or_hidden_is_404(client, known_catalogue, path: str, kind: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    if kind == "json":
        assert response.json()["status_code"] == 404
    else:
        assert "We could not find that page" in response.text


# --- Body areas -------------------------------------------------------------------------------


def test_areas_index_follows_the_articles_groups(client, known_catalogue) -> None:
    html = client.get("/areas").text
    headings = re.findall(r'<h2 id="g-\d+">([^<]+)</h2>', html)
    assert headings == [
        "Skin and cosmetic care",
        "Muscle recovery",
        "Joint comfort and mobility",
        "Circulation",
        "Whole body",
    ]
    data = client.get("/api/areas").json()
    knees = next(a for g in data["groups"] for a in g["areas"] if a["slug"] == "knees")
    # Devices made for the knees (listed, or listed for the whole body) whose light fits.
    assert (knees["fits_count"], knees["partial_count"], knees["misses_count"]) == (3, 0, 1)
    face = next(a for g in data["groups"] for a in g["areas"] if a["slug"] == "face")
    assert (face["fits_count"], face["partial_count"], face["misses_count"]) == (3, 0, 0)


def test_area_page_groups_devices_by_fit_with_reasons(client, known_catalogue) -> None:
    html = client.get("/areas/knees").text
    assert "A joint sits under skin and connective tissue" in html  # body_area.note
    assert "only near-infrared (800–900 nm) gets past the skin" in html
    assert "850 nm NIR reaches the knee joint" in html
    data = client.get("/api/areas/knees").json()
    groups = {g["level"]: g for g in data["groups"]}
    assert [g["level"] for g in data["groups"]] == ["fits", "partial", "misses"]
    assert {lv: g["count"] for lv, g in groups.items()} == {"fits": 3, "partial": 0, "misses": 1}
    assert [i["slug"] for i in groups["fits"]["items"]] == [
        "combo-handheld",
        "combo-panel",
        "nir-knee-wrap",
    ]
    assert [i["slug"] for i in groups["misses"]["items"]] == ["deep-1064-handheld"]
    assert groups["misses"]["url"] == "/devices?area=knees&light_type=red&light_type=other"
    assert groups["fits"]["url"] == "/devices?area=knees&light_type=nir&light_type=combined"
    # Not made for the knees: the NIR back pad (a pad) is not offered; no panel, bulb or
    # handheld reaches them without being listed for them.
    everyone = {i["slug"] for g in data["groups"] for i in g["items"]}
    assert "nir-back-pad" not in everyone and data["also"] == []


def test_area_page_for_the_face_offers_general_devices_apart(client, known_catalogue) -> None:
    data = client.get("/api/areas/face").json()
    made_for = {i["slug"] for g in data["groups"] for i in g["items"]}
    assert made_for == {"red-face-mask", "combo-panel", "combo-handheld"}
    # The NIR wrap and pad reach facial skin too, but only panels, bulbs and handhelds are
    # offered as "also reaches", and neither is one.
    assert data["also"] == [] and data["also_count"] == 0
    html = client.get("/areas/face").text
    assert "Also reaches" not in html


# --- Compare --------------------------------------------------------------------------------

THREE = "nir-knee-wrap,combo-panel,red-face-mask"


def test_compare_page(client, known_catalogue) -> None:
    response = client.get(f"/compare?ids={THREE}")
    assert response.status_code == 200
    html = response.text
    for name in ("NIR Knee Wrap", "Combo Panel", "Red Face Mask"):
        assert name in html
    assert html.count('class="best"') >= 3
    assert 'data-area="knees"' in html
    assert "acts on the surface; it does not reach the knee joint" in html  # the reason on focus
    assert '<svg viewBox="0 0' in html and html.count("spectrum__line--s") >= 4
    assert 'data-key="session_minutes"' in html


def test_compare_differences_only_hides_equal_rows(client, known_catalogue) -> None:
    html = client.get(f"/compare?ids={THREE}&diff=1").text
    assert 'data-key="session_minutes"' not in html  # all ten minutes
    assert 'data-key="irradiance_distance_cm"' not in html
    assert 'data-key="price"' in html
    assert 'data-area="knees"' in html  # fits, fits, misses
    # Two NIR-only devices reach every area alike: the whole fit matrix folds away.
    same = client.get("/compare?ids=nir-knee-wrap,nir-back-pad&diff=1").text
    assert "data-area=" not in same
    assert "All 2 reach every area the same way" in same


def test_compare_json_marks_the_best_values(client, known_catalogue) -> None:
    data = client.get(f"/api/compare?ids={THREE}").json()
    assert [d["slug"] for d in data["devices"]] == THREE.split(",")
    rows = {r["key"]: r for r in data["rows"]}
    assert rows["display_price"]["best"] == [0]  # 149 against 899 and 199
    assert rows["price"]["better"] is None  # the listed price, shown beside it
    assert rows["irradiance_mw_cm2"]["best"] == [1]  # 100 mW/cm²
    assert rows["warranty_months"]["best"] == [0]  # 24 months
    assert rows["price_per_cm2"]["best"] == [0]  # 149 / 200 cm²
    assert rows["session_minutes"]["equal"] and rows["session_minutes"]["best"] == []
    assert rows["brand"]["better"] is None
    knees = next(r for r in data["fit"] if r["area"] == "knees")
    assert [c["fit"] for c in knees["cells"]] == ["fits", "fits", "misses"]


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("", 400, "compare takes 2 to 4 different devices, got 0"),
        ("ids=amber-wand", 400, "got 1"),
        ("ids=amber-wand,combo-panel,red-face-mask,nir-back-pad,nir-knee-wrap", 400, "got 5"),
        ("ids=amber-wand,amber-wand", 400, "amber-wand listed more than once"),
        ("ids=amber-wand,Bad_Slug", 400, "'Bad_Slug' is not a device slug"),
        ("ids=amber-wand,combo-panel&diff=2", 400, "diff accepts 1"),
        ("ids=amber-wand,no-such-device", 404, "'no-such-device'"),
        ("ids=amber-wand,draft-nir-panel", 404, "'draft-nir-panel'"),
    ],
)
@pytest.mark.parametrize("prefix", ["", "/api"])
def test_compare_errors(client, known_catalogue, prefix, query, status, says) -> None:
    response = client.get(f"{prefix}/compare?{query}")
    assert response.status_code == status
    assert "Traceback" not in response.text
    if prefix:
        body = response.json()
        assert says in body["error"] + " ".join(d["message"] for d in body.get("detail", []))
    else:
        # The page says what to do in plain words; the JSON above names the argument.
        assert (says if status == 404 else "Pick 2 to 4 devices") in unescape(response.text)


def test_compare_from_the_filter_form_redirects_to_the_short_url(client, known_catalogue) -> None:
    response = client.get(
        "/compare?light_type=nir&ids=nir-knee-wrap&ids=combo-panel&q=", follow_redirects=False
    )
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/compare?ids=nir-knee-wrap,combo-panel"


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
