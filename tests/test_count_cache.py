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
from sqlalchemy import delete, event, select, text, update
from sqlalchemy.orm import Session

from catalogue.browse import FACETS, Catalogue, DeviceFilter, area_index, area_page, browse_devices
from catalogue.browse.cache import CountCache, catalogue_version, counting_state
from catalogue.browse.conditions import has_base
from catalogue.browse.facet_index import FacetIndex, bitmap
from catalogue.browse.live_index import LiveIndex, base_bitmap
from catalogue.browse.pages import NO_FACETS
from catalogue.browse.tally import facet_tally, matching_count
from catalogue.data.db import Database, after_bulk_write
from catalogue.data.models import BodyArea, CatalogueChange, Device, DeviceArea, Emission
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
    "area=knees&area=face&hide_misses=1",
    "area=whole-body&coverage=surface&coverage=both",
    "coverage=deep&max_nm=900&max_session=20&min_warranty=12&form_factor=wrap",
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
                    uncached = browse_devices(s, flt=flt, cat=_catalogue(s))
                    assert result.items == uncached.items, query  # every field of every row
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
        "INSERT INTO exchange_rate (currency, usd_value, set_on, updated_at) "
        "VALUES ('ZZZ', 2, '2026-12-01', '2026-12-01 12:00:00')",
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


def test_the_version_is_read_once_a_transaction(db: Database) -> None:
    """A shop request reads it for its reference data and for its results: one query; the
    next transaction reads it again and sees a write made meanwhile."""
    with db.writing() as s:
        add_device(s)
    reads: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        with db.session() as s:
            first = catalogue_version(s)
            assert first is not None and catalogue_version(s) == first
            assert sum("catalogue_version" in q for q in reads) == 1
            with db.writing() as w:
                add_device(w)
            s.rollback()  # the request is over: the next transaction reads it again
            assert (catalogue_version(s) or 0) > first
            assert sum("catalogue_version" in q for q in reads) == 2
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


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


def test_bitmap_tally_equals_the_sql_tally_for_every_value(db: Database) -> None:
    """Every count of every facet value, not only the shown ones, from the in-memory index
    and from one GROUP BY per facet, after rounds of random writes."""
    rng = random.Random(16)
    with db.writing() as s:
        # Enough devices for the whole body that the random writes cannot remove them all.
        for form, wavelengths in (("panel", [660, 850]), ("mat", [630]), ("wrap", [850])) * 6:
            areas = ["whole-body", "knees"] if form == "wrap" else ["whole-body"]
            add_device(s, form_factor=form, wavelengths=wavelengths, areas=areas, brand="Lumo")
    for _round in range(3):
        random_writes(db, rng, 25)
        with db.session() as s:
            cat = _catalogue(s)
            index = FacetIndex.build(s, 0)
            listed = index.listed.get("whole-body", 0).bit_count()
            assert listed, "the random catalogue should list some devices for the whole body"
            for query in FILTER_STATES:
                flt = counting_state(_filter(query, s))
                base = base_bitmap(s, flt, cat) if has_base(flt) else index.published
                assert index.tally(flt, cat, base) == facet_tally(s, flt=flt, cat=cat), query
            assert area_index(s, cat=cat, index=index) == area_index(s, cat=cat)
            for slug in ("knees", "face", "whole-body"):
                counted = area_page(s, slug=slug, cat=cat, index=index)
                assert counted == area_page(s, slug=slug, cat=cat), slug


@pytest.mark.parametrize("change", ["price", "unpublish", "delete", "words", "emissions", "none"])
def test_a_kept_base_bitmap_follows_each_kind_of_write(db: Database, change: str) -> None:
    """A process keeps the ids passing a filter's non-facet conditions across versions and
    reads again only the devices the change log names: each kind of write must reach it."""
    with db.writing() as s:
        made = [
            add_device(s, price="300", description="A gentle evening routine.", wavelengths=[850])
            for _ in range(3)
        ]
    kept, moved = made[0].id, made[1].id
    live = LiveIndex()
    query = "max_price=600&q=evening&min_nm=800"

    def base() -> int:
        with db.session() as s:
            flt = replace(_filter(query, s), **NO_FACETS)
            version = catalogue_version(s)
            assert version is not None
            return live.base(s, flt, _catalogue(s), version, query)

    assert base() == bitmap(d.id for d in made if d.id is not None)
    with db.writing() as s:
        device = s.get(Device, moved)
        assert device is not None
        if change == "price":
            device.price = Decimal(900)
        elif change == "unpublish":
            device.status = "in_review"
        elif change == "delete":
            s.delete(device)
        elif change == "words":
            device.description = "A gentle morning routine."
        elif change == "emissions":
            s.execute(update(Emission).where(Emission.device_id == moved).values(wavelength_nm=630))
        else:
            s.execute(update(Device).where(Device.id == kept).values(brand="Lumo"))
    expected = {kept, made[2].id} | ({moved} if change == "none" else set())
    assert base() == bitmap(i for i in expected if i is not None)


def test_a_bulk_write_prunes_the_change_log_and_older_indexes_read_everything(
    db: Database,
) -> None:
    with db.writing() as s:
        add_device(s)
    live = LiveIndex()

    def index() -> FacetIndex:
        with db.session() as s:
            version = catalogue_version(s)
            assert version is not None
            return live.at(s, version)

    assert index().published.bit_count() == 1
    with db.writing() as s:
        add_device(s)
        after_bulk_write(s)
    with db.session() as s:
        assert list(s.scalars(select(CatalogueChange.device_id))) == [0]
    assert index().published.bit_count() == 2
    assert (live.builds, live.refreshes) == (2, 0)  # the log said "everything changed"
    with db.writing() as s:
        add_device(s)
    assert index().published.bit_count() == 3
    assert (live.builds, live.refreshes) == (2, 1)  # one device read, not the catalogue


def test_a_page_no_write_touched_is_carried_to_the_new_version(db: Database) -> None:
    """After a write, a page whose filter kept none of the changed devices, before or after,
    is the same page: it is not read again. A page the write touches is."""
    with db.writing() as s:
        for n in range(4):
            add_device(s, brand="Lumo", name=f"Lumo Panel {n}", form_factor="panel")
            add_device(s, brand="Solara", name=f"Solara Wrap {n}", form_factor="wrap")
    cache = CountCache()

    def page(query: str) -> list[str]:
        with db.session() as s:
            flt = _filter(query, s)
            cached = browse_devices(s, flt=flt, cat=_catalogue(s), cache=cache)
            plain = browse_devices(s, flt=flt, cat=_catalogue(s))
            assert [i.slug for i in cached.items] == [i.slug for i in plain.items], query
            return [i.slug for i in cached.items]

    lumo, solara = page("brand=Lumo&per_page=2"), page("brand=Solara&per_page=2")
    with db.writing() as s:  # a Solara device changes its name: Lumo pages cannot move
        last = select(Device).where(Device.brand == "Solara").order_by(Device.name.desc())
        device = s.scalars(last).first()
        assert device is not None
        device.name = "Aardvark Wrap"
    assert page("brand=Lumo&per_page=2") == lumo
    assert cache.index.pages_carried == 1
    assert page("brand=Solara&per_page=2") != solara  # the renamed last wrap sorts first now
    assert cache.index.pages_carried == 1
    with db.writing() as s:  # a device leaves the Lumo filter: kept before, not after
        first = s.scalars(select(Device).where(Device.slug == lumo[0])).one()
        first.status = "archived"
    assert lumo[0] not in page("brand=Lumo&per_page=2")
