"""The shop over HTTP: one device's page and JSON, and the body-area pages.

The catalogue is ``known_catalogue`` in tests/known_catalogue_fixtures.py.
"""

from __future__ import annotations

import re

import pytest

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
