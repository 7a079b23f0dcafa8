"""Pages read tier by tier from the facet bitmaps (``browse/ordered.py``) equal the SQL
ORDER BY: fit rank, a searched word in the name, then name and id, on every reading path."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from catalogue.browse import DeviceFilter, area_page, browse_devices, pages
from catalogue.browse import ordered as ordered_module
from catalogue.browse.cache import CountCache, catalogue_version
from catalogue.browse.facet_index import bitmap
from catalogue.browse.ordered import members
from catalogue.data.db import Database
from catalogue.data.models import Device
from tests.browse_support import catalogue_of, query_args
from tests.factories import add_device

# name, wavelengths (red 630/660, nir 810/850, other 590), areas, description
# For knees: nir and combined fit, red and other miss. For face: red and combined fit, nir
# is partial, so choosing knees and face ranks nir by the areas the device is made for.
TABLE = [
    ("Alpha Knee Wrap", [850], ["knees"], "Deep light."),
    ("Beta Panel", [630], ["knees"], "Knee support in red."),
    ("Gamma Combo", [660, 850], ["whole-body"], "Whole body."),
    ("Delta Amber", [590], ["knees"], "Amber glow."),
    ("Epsilon Knee Red", [630], ["knees", "face"], "Red for the face."),
    ("Zeta Face Mask", [850], ["face"], "Near infrared mask."),
    ("Eta Knee Deep", [810, 850], ["knees"], "Knee and more."),
    ("Alpha Knee Wrap", [660], ["knees"], "Same name, red."),
    ("Theta Face Knee", [850], ["face", "knees"], "Both areas."),
    ("Iota Scalp", [660], ["scalp"], "Knee not listed."),
]
# How each tier is read: walked in the name index, by id, by the filter's own query, with
# batches of one row; the names holding a searched word kept in order, or walked as well.
PATHS = {
    "walk": {"SMALL_TIER": 0},
    "by id": {"SMALL_TIER": 10_000},
    "filter query": {"SMALL_TIER": 0, "MAX_WALK": 0},
    "one row per batch": {"SMALL_TIER": 0, "FIRST_BATCH": 1},
    "names walked": {"SMALL_TIER": 0, "MAX_NAMED_IN_ORDER": -1},
}
QUERIES = [
    "area=knees",
    "area=face",
    "area=knees&area=face",
    "area=knees&area=face&hide_misses=1",
    "area=knees&sort=name",
    "area=face&light_type=red&light_type=nir",
    "q=knee",
    "q=knee&area=knees",
    "q=knee&area=face&max_price=400",
    "q=alpha+knee",
    "sort=name&form_factor=panel",
    "max_price=400",
    "",
]


@pytest.fixture
def table(db: Database) -> dict[str, list[int]]:
    """The devices of TABLE, prices rising down the table; their ids by name."""
    ids: dict[str, list[int]] = {}
    with db.writing() as s:
        for n, (name, wavelengths, areas, description) in enumerate(TABLE):
            made = add_device(
                s,
                name=name,
                wavelengths=wavelengths,
                areas=areas,
                description=description,
                price=str(100 + 50 * n),
            )
            assert made.id is not None
            ids.setdefault(name, []).append(made.id)
    return ids


@pytest.fixture(params=list(PATHS))
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    for name, value in PATHS[request.param].items():
        module = pages if name == "MAX_NAMED_IN_ORDER" else ordered_module
        monkeypatch.setattr(module, name, value)
    return str(request.param)


def _page(s: Session, query: str, cache: CountCache | None) -> list[str]:
    cat = catalogue_of(s)
    flt, errors = DeviceFilter.from_query(query_args(query), area_slugs=cat.area_slugs)
    assert errors == []
    return [item.name for item in browse_devices(s, flt=flt, cat=cat, cache=cache).items]


def _ids(s: Session, query: str, cache: CountCache | None) -> list[str]:
    cat = catalogue_of(s)
    flt, _ = DeviceFilter.from_query(query_args(query), area_slugs=cat.area_slugs)
    return [item.slug for item in browse_devices(s, flt=flt, cat=cat, cache=cache).items]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        (
            "area=knees",
            # fits (nir, combined) by name, then misses (red, other) by name, then id
            [
                "Alpha Knee Wrap",
                "Eta Knee Deep",
                "Gamma Combo",
                "Theta Face Knee",
                "Alpha Knee Wrap",
                "Beta Panel",
                "Delta Amber",
                "Epsilon Knee Red",
            ],
        ),
        (
            "area=knees&area=face",
            # nir fits knees and is partial for face, red fits face and misses knees: each
            # ranked by the areas the device is made for (a face-only nir mask is partial)
            [
                "Alpha Knee Wrap",
                "Epsilon Knee Red",
                "Eta Knee Deep",
                "Gamma Combo",
                "Theta Face Knee",
                "Zeta Face Mask",
                "Alpha Knee Wrap",
                "Beta Panel",
                "Delta Amber",
            ],
        ),
        (
            "q=knee",
            # a word in the name first, then the rest that mention it, each by name
            [
                "Alpha Knee Wrap",
                "Alpha Knee Wrap",
                "Epsilon Knee Red",
                "Eta Knee Deep",
                "Theta Face Knee",
                "Beta Panel",
                "Iota Scalp",
            ],
        ),
        (
            "q=knee&area=knees",
            [
                "Alpha Knee Wrap",
                "Eta Knee Deep",
                "Theta Face Knee",
                "Alpha Knee Wrap",
                "Epsilon Knee Red",
                "Beta Panel",
            ],
        ),
    ],
)
def test_a_page_in_tiers_lists_fit_levels_then_names(
    db: Database, table, path: str, query: str, names: list[str]
) -> None:
    with db.session() as s:
        assert _page(s, f"{query}&per_page=50", CountCache()) == names
        assert _page(s, f"{query}&per_page=50", None) == names


@pytest.mark.parametrize("query", QUERIES)
def test_every_page_equals_the_sql_order(db: Database, table, path: str, query: str) -> None:
    cache = CountCache()
    with db.session() as s:
        for page in range(1, 6):
            paged = f"{query}&per_page=2&page={page}"
            assert _ids(s, paged, cache) == _ids(s, paged, None), paged


def test_pages_follow_writes_to_names_and_levels(db: Database, table, path: str) -> None:
    """The names kept in order for a search, and the tiers, after each kind of write."""
    cache = CountCache()
    writes = [
        update(Device).where(Device.name == "Zeta Face Mask").values(name="Aardvark Knee"),
        update(Device).where(Device.name == "Beta Panel").values(price=Decimal(999)),
        update(Device).where(Device.name == "Eta Knee Deep").values(name="Eta Deep"),
        update(Device).where(Device.name == "Gamma Combo").values(status="draft"),
        update(Device).where(Device.name == "Delta Amber").values(light_type="nir"),
    ]
    for write in [None, *writes]:
        if write is not None:
            with db.writing() as s:
                s.execute(write)
        with db.session() as s:
            for query in ("q=knee&per_page=3", "q=knee&per_page=3&page=2", "area=knees"):
                assert _ids(s, query, cache) == _ids(s, query, None), (write, query)


@pytest.mark.parametrize("slug", ["knees", "face", "whole-body"])
def test_area_page_from_the_index_equals_the_sql_one(
    db: Database, table, path: str, slug: str
) -> None:
    with db.session() as s:
        cat = catalogue_of(s)
        version = catalogue_version(s)
        assert version is not None
        index = CountCache().index.at(s, version)
        for per_group in (1, 2, 8):
            from_index = area_page(s, slug=slug, cat=cat, per_group=per_group, index=index)
            assert from_index == area_page(s, slug=slug, cat=cat, per_group=per_group)


@pytest.mark.parametrize("ids", [[], [0], [1, 3], [7, 8, 9, 64, 1000], list(range(3, 40, 3))])
def test_members_lists_the_ids_of_a_bitmap(ids: list[int]) -> None:
    assert members(bitmap(ids)) == ids
