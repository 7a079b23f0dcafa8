"""The shop over HTTP: the comparison page and its JSON twin, with their error cases.

The catalogue is ``known_catalogue`` in tests/known_catalogue_fixtures.py.
"""

from __future__ import annotations

from html import unescape

import pytest

from tests.shop_support import THREE

# --- Compare --------------------------------------------------------------------------------


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
