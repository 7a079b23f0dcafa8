"""Cached facet counts always equal a plain SQL count, whatever was written in between.

One ``CountCache`` lives across rounds of random writes (through crud, straight ORM edits and
raw SQL, as the importer, the editor, QA and a migration write), like an app process's cache.
After each round, every filter state of the table is answered twice (a miss, then a hit) and
every shown facet value is compared with COUNT(*) of the filter with that facet set to just
that value: a disjunctive count is exactly that.
"""

from __future__ import annotations

import random
import threading
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from catalogue.browse import FACETS, Catalogue, DeviceFilter, browse_devices
from catalogue.browse.cache import CountCache, catalogue_version
from catalogue.browse.listing import matching_count
from catalogue.data.db import Database
from catalogue.data.models import BodyArea, Device, DeviceArea
from catalogue.data.reference import load_areas, load_bands
from tests.factories import add_device

FILTER_STATES = [
    "",
    "light_type=nir",
    "light_type=nir&light_type=combined&form_factor=panel&form_factor=wrap&max_price=600",
    "coverage=deep&min_nm=800",
    "area=knees",
    "area=face&area=scalp&brand=Lumo",
    "q=panel",
    "q=knee&light_type=red&sort=price&page=2&per_page=2",
    "brand=Lumo&brand=Solara&min_price=100&sort=-price",
]
BRANDS = ["Lumo", "Solara", "Kinetix"]
FORMS = ["panel", "wrap", "mask", "handheld"]
WAVELENGTHS = [[630], [660, 850], [850], [810, 850], [590], [1064]]
WORDS = ["panel", "knee", "wrap", "evening", "face"]


def _catalogue(session: Session) -> Catalogue:
    return Catalogue(bands=load_bands(session), areas=load_areas(session))


def _filter(query: str, session: Session) -> DeviceFilter:
    args: dict[str, list[str]] = {}
    for pair in filter(None, query.split("&")):
        key, value = pair.split("=")
        args.setdefault(key, []).append(value)
    flt, errors = DeviceFilter.from_query(args, area_slugs=_catalogue(session).area_slugs)
    assert not errors
    return flt


def random_writes(db: Database, rng: random.Random, count: int) -> None:
    with db.writing() as s:
        areas = list(s.scalars(select(BodyArea.slug)))
    for _ in range(count):
        with db.writing() as s:
            ids = list(s.scalars(select(Device.id)))
            kind = rng.choice(["create", "status", "price", "form", "areas", "delete", "sql"])
            if kind == "create" or not ids:
                add_device(
                    s,
                    brand=rng.choice(BRANDS),
                    form_factor=rng.choice(FORMS),
                    wavelengths=rng.choice(WAVELENGTHS),
                    areas=rng.sample(areas, rng.randint(1, 3)),
                    price=str(rng.randrange(50, 1500)),
                    description=" ".join(rng.choices(WORDS, k=5)),
                    status=rng.choice(["published", "published", "draft"]),
                )
                continue
            device = s.get(Device, rng.choice(ids))
            assert device is not None
            if kind == "status":
                device.status = rng.choice(["published", "in_review", "archived"])
            elif kind == "price":
                device.price = Decimal(rng.randrange(50, 1500))
            elif kind == "form":
                device.form_factor = rng.choice(FORMS)
            elif kind == "areas":
                s.execute(delete(DeviceArea).where(DeviceArea.device_id == device.id))
                s.add_all(
                    DeviceArea(device_id=device.id, area_slug=a)
                    for a in rng.sample(areas, rng.randint(1, 3))
                )
            elif kind == "delete":
                s.delete(device)
            else:  # a bulk edit in SQL, as a migration or a console would make
                s.execute(
                    text("UPDATE device SET brand = :brand WHERE id = :id"),
                    {"brand": rng.choice(BRANDS), "id": device.id},
                )


def plain_counts(session: Session, flt: DeviceFilter, shown: dict[str, list[str]]) -> dict:
    cat = _catalogue(session)
    return {
        "total": matching_count(session, flt=flt, cat=cat),
        **{
            name: {
                v: matching_count(session, flt=replace(flt, **{name: (v,)}), cat=cat)
                for v in values
            }
            for name, values in shown.items()
        },
    }


def test_cached_counts_equal_plain_counts_after_random_writes(db: Database) -> None:
    rng = random.Random(15)
    cache = CountCache()
    random_writes(db, rng, 30)
    for _round in range(4):
        for query in FILTER_STATES:
            for _answer in ("miss", "hit"):
                with db.session() as s:
                    flt = _filter(query, s)
                    result = browse_devices(s, flt=flt, cat=_catalogue(s), cache=cache)
                    shown = {name: [f.value for f in result.facets[name]] for name in FACETS}
                    got = {
                        "total": result.total,
                        **{n: {f.value: f.count for f in result.facets[n]} for n in FACETS},
                    }
                    assert got == plain_counts(s, flt, shown), query
                    listed = [i.slug for i in result.items]
                    uncached = browse_devices(s, flt=flt, cat=_catalogue(s))
                    assert listed == [i.slug for i in uncached.items], query
        random_writes(db, rng, rng.randint(1, 6))
    assert cache.hits >= len(FILTER_STATES)


@pytest.mark.parametrize(
    "write",
    [
        "UPDATE device SET price = price + 1",
        "DELETE FROM device_area WHERE area_slug = 'knees'",
        "UPDATE emission SET wavelength_nm = wavelength_nm",
        "UPDATE band SET max_nm = max_nm",
        "UPDATE body_area SET name = name",
    ],
)
def test_every_write_to_what_shoppers_see_bumps_the_version(db: Database, write: str) -> None:
    with db.writing() as s:
        add_device(s)
        before = catalogue_version(s)
    with db.writing() as s:
        s.execute(text(write))
    with db.session() as s:
        assert before is not None and (catalogue_version(s) or 0) > before


def test_the_cache_keeps_at_most_its_size() -> None:
    cache = CountCache(max_entries=3)
    for n in range(10):
        assert cache.get(1, n, lambda n=n: n * 2) == n * 2
    assert cache.size == 3
    assert cache.get(1, 9, lambda: -1) == 18  # the newest are kept
    assert cache.get(1, 0, lambda: -1) == -1  # the oldest went
    assert cache.get(2, 9, lambda: -2) == -2  # a newer version: everything older is gone
    assert cache.size == 1


def test_a_device_approved_by_qa_shows_in_counts_and_lists_at_once(staff, db: Database) -> None:
    with db.writing() as s:
        add_device(s, slug="waiting-wrap", form_factor="wrap", status="in_review")
        add_device(s, slug="shown-wrap", form_factor="wrap", status="published")
        version = s.scalar(select(Device.version).where(Device.slug == "waiting-wrap"))
    shopper = staff(None)  # an app of its own, as another process would be
    before = shopper.get("/api/devices", params={"form_factor": "wrap"}).json()
    assert before["total"] == 1
    done = staff("qa").form("/qa/audit/waiting-wrap/approve", {"version": str(version)})
    assert done.status_code == 303
    after = shopper.get("/api/devices", params={"form_factor": "wrap"}).json()
    wraps = {f["value"]: f["count"] for f in after["facets"]["form_factor"]}["wrap"]
    assert (after["total"], wraps) == (2, 2)
    assert "waiting-wrap" in {item["slug"] for item in after["items"]}


def test_requests_that_miss_together_share_one_computation() -> None:
    cache = CountCache()
    started, release = threading.Event(), threading.Event()
    computed: list[int] = []

    def slow_count() -> int:
        computed.append(1)
        started.set()
        release.wait(10)
        return 42

    answers: list[int] = []
    first = threading.Thread(target=lambda: answers.append(cache.get(7, "k", slow_count)))
    first.start()
    started.wait(10)
    second = threading.Thread(target=lambda: answers.append(cache.get(7, "k", slow_count)))
    second.start()
    while cache.waits == 0 and second.is_alive():
        second.join(0.01)  # until the second request waits on the first's answer
    release.set()
    first.join(10)
    second.join(10)
    assert (answers, len(computed), cache.waits) == ([42, 42], 1, 1)


@pytest.mark.parametrize("path", ["/api/areas/knees", "/api/areas"])
def test_area_pages_kept_per_version_show_a_new_device_at_once(client, db: Database, path) -> None:
    def knees_fits() -> int:
        body = client.get(path).json()
        if (
            "groups" in body
            and isinstance(body["groups"][0], dict)
            and "areas" in body["groups"][0]
        ):
            areas = [a for g in body["groups"] for a in g["areas"]]
            return next(a["fits_count"] for a in areas if a["slug"] == "knees")
        return int(body["fits_count"])

    before = knees_fits()
    assert knees_fits() == before  # from the cache
    with db.writing() as s:
        add_device(s, wavelengths=[850], areas=["knees"], status="published")
    assert knees_fits() == before + 1
