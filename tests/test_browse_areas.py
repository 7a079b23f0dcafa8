"""A body area as a shopper means it: the devices made for it, grouped by whether their light
gets there. The known catalogue plus a red-only knee wrap (sold for knees, misses them) and a
NIR handheld sold for the elbows (reaches the knees, not made for them)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.factories import add_device


@pytest.fixture
def shop(session: Session, known_catalogue: list[str]) -> list[str]:
    add_device(
        session,
        slug="red-knee-wrap",
        name="Red Knee Wrap",
        form_factor="wrap",
        wavelengths=[660],
        areas=["knees"],
        price="120.00",
        description="A soft wrap with red LEDs.",
    )
    add_device(
        session,
        slug="nir-elbow-handheld",
        name="NIR Elbow Handheld",
        form_factor="handheld",
        wavelengths=[850],
        areas=["elbows"],
        price="210.00",
        description="A small handheld for the elbows.",
    )
    session.commit()
    return [*known_catalogue, "red-knee-wrap", "nir-elbow-handheld"]


KNEES_OR_WHOLE_BODY = {"nir-knee-wrap", "combo-panel", "combo-handheld", "deep-1064-handheld"}


def test_knees_lists_only_devices_made_for_knees(client, shop) -> None:
    data = client.get("/api/devices?area=knees&per_page=100").json()
    listed = [i["slug"] for i in data["items"]]
    assert set(listed) == KNEES_OR_WHOLE_BODY | {"red-knee-wrap"}
    for item in data["items"]:
        assert "knees" in item["areas"] or "whole-body" in item["areas"]
    groups = [i["group"] for i in data["items"]]
    assert groups == sorted(groups, key=["fits", "partial", "misses"].index)


def test_a_red_only_knee_device_misses_with_its_reason(client, shop) -> None:
    data = client.get("/api/devices?area=knees&per_page=100").json()
    wrap = next(i for i in data["items"] if i["slug"] == "red-knee-wrap")
    assert wrap["group"] == "misses"
    assert wrap["group_reason"] == (
        "listed for knees, but red light only acts on the surface; it does not reach the knee joint"
    )
    html = client.get("/devices?area=knees").text
    assert "Listed for knees, but red light only acts on the surface" in html


def test_hiding_misses_keeps_the_devices_whose_light_gets_there(client, shop) -> None:
    data = client.get("/api/devices?area=knees&hide_misses=1&per_page=100").json()
    assert {i["slug"] for i in data["items"]} == {"nir-knee-wrap", "combo-panel", "combo-handheld"}
    assert {i["group"] for i in data["items"]} == {"fits"}
    html = client.get("/devices?area=knees&hide_misses=1").text
    assert 'name="hide_misses" value="1" id="hide_misses" checked' in html


@pytest.mark.parametrize("extra", ["", "&hide_misses=1", "&form_factor=wrap", "&max_price=200"])
def test_area_counts_equal_the_devices_listed_for_each_area(client, shop, extra: str) -> None:
    facets = client.get(f"/api/devices?{extra}").json()["facets"]["area"]
    counts = {f["value"]: f["count"] for f in facets}
    for slug, count in counts.items():
        listed = client.get(f"/api/devices?area={slug}{extra}&per_page=1").json()
        assert listed["total"] == count, slug
    if not extra:
        assert len(set(counts.values())) > 3  # they mean something: they differ by area


def test_area_page_offers_general_devices_apart_and_says_so(client, shop) -> None:
    data = client.get("/api/areas/knees").json()
    misses = next(g for g in data["groups"] if g["level"] == "misses")
    assert {i["slug"] for i in misses["items"]} == {"red-knee-wrap", "deep-1064-handheld"}
    assert [i["slug"] for i in data["also"]] == ["nir-elbow-handheld"]
    assert data["also"][0]["group"] is None
    html = client.get("/areas/knees").text
    assert "Also reaches the knees" in html
    assert "not made for the knees" in html


def test_fit_matrix_marks_the_areas_a_device_is_made_for(client, shop) -> None:
    detail = client.get("/api/devices/red-knee-wrap").json()
    assert detail["made_for"] == ["knees"]
    panel = client.get("/api/devices/combo-panel").json()
    assert "face" in panel["made_for"] and "hips" in panel["made_for"]  # whole-body
    html = client.get("/compare?ids=red-knee-wrap,combo-panel").text
    assert html.count('class="made-for"') == 1 + 19  # knees, and every area for the panel
