"""The browse queries over a known catalogue: every filter, combinations, disjunctive counts,
sort stability, pagination edges, and a constant number of queries per page.

The catalogue is ``known_catalogue`` in conftest: two published devices of each light type
plus a draft, an archived and an in-review device that must never show.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode

import pytest
from sqlalchemy import delete, event, update
from sqlalchemy.orm import Session
from sqlmodel import col

from catalogue.browse import (
    BrowseResult,
    Catalogue,
    DeviceFilter,
    browse_devices,
    fit_levels,
    reaching,
)
from catalogue.browse.cache import CountCache
from catalogue.core.bands import Area, Band
from catalogue.data.models import Device
from catalogue.data.reference import load_areas, load_bands

BANDS = (Band("red", "Red", 630, 660, "surface"), Band("nir", "Near-infrared", 800, 900, "deep"))
AREAS = ("face", "knees", "whole-body")


def _catalogue(session: Session) -> Catalogue:
    return Catalogue(bands=load_bands(session), areas=load_areas(session))


def _args(query: str) -> dict[str, list[str]]:
    return parse_qs(query, keep_blank_values=True)


def browse(session: Session, query: str) -> BrowseResult:
    cat = _catalogue(session)
    flt, errors = DeviceFilter.from_query(_args(query), area_slugs=cat.area_slugs)
    assert errors == []
    return browse_devices(session, flt=flt, cat=cat)


def slugs(result: BrowseResult) -> list[str]:
    return [item.slug for item in result.items]


# --- Parsing: pure, no database ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", DeviceFilter()),
        ("light_type=nir&light_type=red", DeviceFilter(light_type=("red", "nir"))),
        ("light_type=nir&light_type=nir", DeviceFilter(light_type=("nir",))),
        ("area=knees&area=face&area=", DeviceFilter(area=("face", "knees"))),
        ("coverage=both&form_factor=wrap", DeviceFilter(coverage=("both",), form_factor=("wrap",))),
        ("brand=Solara&brand=Kinetix", DeviceFilter(brand=("Kinetix", "Solara"))),
        ("q=++knee+++wrap+", DeviceFilter(q="knee wrap")),
        ("min_nm=800&max_nm=900.5", DeviceFilter(min_nm=800.0, max_nm=900.5)),
        ("sort=-price&page=3&per_page=100", DeviceFilter(sort="-price", page=3, per_page=100)),
        ("min_price=&max_price=&q=&sort=", DeviceFilter()),
        ("utm_source=mail&ids=a-b", DeviceFilter()),
    ],
)
def test_filter_parses_query(query: str, expected: DeviceFilter) -> None:
    flt, errors = DeviceFilter.from_query(_args(query), area_slugs=AREAS)
    assert errors == []
    assert flt == expected


@pytest.mark.parametrize(
    ("query", "key", "says"),
    [
        ("light_type=uv", "light_type", "red, nir, combined, other"),
        ("coverage=none", "coverage", "surface, deep, both"),
        ("area=elbow", "area", "face, knees, whole-body"),
        ("form_factor=tablet", "form_factor", "panel, handheld"),
        ("brand=" + "x" * 101, "brand", "at most 100 characters"),
        ("min_price=abc", "min_price", "a price from 0 to 150000"),
        ("max_price=-5", "max_price", "a price from 0 to 150000"),
        ("max_price=nan", "max_price", "a price from 0 to 150000"),
        ("min_price=500&max_price=100", "max_price", "below min_price"),
        ("min_nm=200", "min_nm", "380 to 1400 nm"),
        ("max_nm=inf", "max_nm", "380 to 1400 nm"),
        ("min_nm=900&max_nm=800", "max_nm", "below min_nm"),
        ("q=" + "+".join(["w"] * 9), "q", "up to 8 words"),
        ("sort=cheapest", "sort", "relevance, price, -price"),
        ("page=0", "page", "whole number from 1 to 100000"),
        ("page=two", "page", "whole number from 1 to 100000"),
        ("per_page=100000", "per_page", "whole number from 1 to 100"),
        ("per_page=-1", "per_page", "whole number from 1 to 100"),
        ("per_page=10&per_page=20", "per_page", "give per_page once"),
    ],
)
def test_bad_argument_is_named_with_what_it_accepts(query: str, key: str, says: str) -> None:
    flt, errors = DeviceFilter.from_query(_args(query), area_slugs=AREAS)
    assert [e.key for e in errors] == [key]
    assert says in errors[0].message
    # What was bad is left out; the rest of the filter still stands.
    assert getattr(flt, key) == getattr(DeviceFilter(), key)


def test_good_arguments_survive_a_bad_one() -> None:
    flt, errors = DeviceFilter.from_query(
        _args("light_type=nir&light_type=uv&area=knees&min_price=abc"), area_slugs=AREAS
    )
    assert {e.key for e in errors} == {"light_type", "min_price"}
    assert (flt.light_type, flt.area, flt.min_price) == (("nir",), ("knees",), None)


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("", []),
        ("area=knees&light_type=nir", [("light_type", "nir"), ("area", "knees")]),
        ("min_price=500.00&max_nm=900.0", [("min_price", "500"), ("max_nm", "900")]),
        ("sort=relevance&page=1&per_page=24", []),
        ("page=2&sort=name&q=knee", [("q", "knee"), ("sort", "name"), ("page", "2")]),
    ],
)
def test_one_selection_has_one_url(query: str, canonical: list[tuple[str, str]]) -> None:
    flt, _ = DeviceFilter.from_query(_args(query), area_slugs=AREAS)
    assert flt.query_pairs() == canonical


def test_toggling_a_value_adds_or_removes_one_argument_and_goes_back_to_page_one() -> None:
    flt = DeviceFilter(light_type=("nir",), page=3)
    assert flt.toggled("light_type", "red").query_pairs() == [
        ("light_type", "nir"),
        ("light_type", "red"),
    ]
    assert flt.toggled("light_type", "nir").query_pairs() == []


@pytest.mark.parametrize(
    ("area", "levels"),
    [
        (
            Area("knees", "Knees", "deep", "joint", "the knee joint"),
            {"red": "misses", "nir": "fits", "combined": "fits", "other": "misses"},
        ),
        (
            Area("face", "Face", "surface", "surface", "facial skin"),
            {"red": "fits", "nir": "partial", "combined": "fits", "other": "misses"},
        ),
        (
            Area("whole-body", "Whole body", "both", "whole-body", "the whole body"),
            {"red": "partial", "nir": "partial", "combined": "fits", "other": "misses"},
        ),
    ],
)
def test_fit_by_light_type_follows_the_core(area: Area, levels: dict[str, str]) -> None:
    assert fit_levels(area, BANDS) == levels
    assert set(reaching([area], BANDS)) == {lt for lt, lv in levels.items() if lv != "misses"}


# --- Filters over the known catalogue ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "*"),
        ("light_type=red", {"red-face-mask", "red-scalp-cap"}),
        (
            "light_type=red&light_type=nir",
            {"red-face-mask", "red-scalp-cap", "nir-knee-wrap", "nir-back-pad"},
        ),
        ("light_type=other", {"amber-wand", "deep-1064-handheld"}),
        ("coverage=deep", {"nir-knee-wrap", "nir-back-pad"}),
        (
            "coverage=surface&coverage=both",
            {"red-face-mask", "red-scalp-cap", "combo-panel", "combo-handheld"},
        ),
        # An area gives the devices made for it (listed, or listed for the whole body).
        ("area=knees", {"nir-knee-wrap", "combo-panel", "combo-handheld", "deep-1064-handheld"}),
        ("area=face", {"red-face-mask", "combo-panel", "combo-handheld"}),
        (
            "area=knees&area=scalp",
            {
                "red-scalp-cap",
                "combo-panel",
                "combo-handheld",
                "nir-knee-wrap",
                "deep-1064-handheld",
            },
        ),
        ("area=whole-body", {"combo-panel"}),
        ("area=knees&hide_misses=1", {"nir-knee-wrap", "combo-panel", "combo-handheld"}),
        ("area=knees&area=scalp&hide_misses=1&light_type=red", {"red-scalp-cap"}),
        ("hide_misses=1&light_type=other", {"amber-wand", "deep-1064-handheld"}),
        ("form_factor=handheld", {"combo-handheld", "amber-wand", "deep-1064-handheld"}),
        ("form_factor=mask&form_factor=cap", {"red-face-mask", "red-scalp-cap"}),
        ("brand=Kinetix", {"nir-knee-wrap", "nir-back-pad", "deep-1064-handheld"}),
        (
            "brand=Kinetix&brand=Solara",
            {
                "nir-knee-wrap",
                "nir-back-pad",
                "deep-1064-handheld",
                "combo-panel",
                "combo-handheld",
            },
        ),
        ("brand=kinetix", set()),
        ("min_price=349", {"red-scalp-cap", "combo-panel", "deep-1064-handheld"}),
        ("max_price=149", {"nir-knee-wrap", "combo-handheld", "amber-wand"}),
        (
            "min_price=149&max_price=249",
            {"nir-knee-wrap", "combo-handheld", "red-face-mask", "nir-back-pad"},
        ),
        (
            "min_nm=800&max_nm=900",
            {"nir-knee-wrap", "nir-back-pad", "combo-panel", "combo-handheld"},
        ),
        ("min_nm=1000", {"deep-1064-handheld"}),
        ("max_nm=600", {"amber-wand"}),
        # A range holding none of a device's emissions does not match it, even inside its span.
        ("min_nm=640&max_nm=650", set()),
        ("min_nm=830&max_nm=830", {"combo-handheld"}),
        ("q=knee", {"nir-knee-wrap", "combo-panel"}),
        ("q=KNEE+joint", {"nir-knee-wrap"}),
        ("q=whole+body", {"combo-panel"}),
        ("q=solara", {"combo-panel", "combo-handheld"}),
        ("q=50%25", {"red-face-mask"}),
        ("q=5_%25", set()),
        ("q=not+ready", set()),
        # Across facets: AND.
        ("light_type=nir&area=knees&max_price=200", {"nir-knee-wrap"}),
        ("area=knees&form_factor=handheld", {"combo-handheld", "deep-1064-handheld"}),
        ("light_type=red&area=knees", set()),
        ("area=face&brand=Kinetix", set()),
        ("coverage=both&min_nm=630&max_nm=630", {"combo-handheld"}),
    ],
)
def test_filter(session: Session, known_catalogue: list[str], query: str, expected) -> None:
    result = browse(session, query + "&per_page=100")
    wanted = set(known_catalogue) if expected == "*" else expected
    assert set(slugs(result)) == wanted
    assert result.total == len(wanted)


@pytest.mark.parametrize("query", ["", "brand=Kinetix", "light_type=nir", "area=knees"])
def test_shoppers_never_see_unpublished_devices(
    session: Session, known_catalogue: list[str], query: str
) -> None:
    """Each query matches unpublished devices too (a draft NIR panel for knees by Kinetix, …):
    the shop lists exactly the published ones among them."""
    unpublished = {"draft-nir-panel", "archived-red-bulb", "review-combo-panel"}
    shown = set(slugs(browse(session, query + "&per_page=100")))
    assert shown
    assert shown <= set(known_catalogue)
    assert not shown & unpublished
    if not query:
        assert shown == set(known_catalogue)


@pytest.mark.parametrize(
    ("query", "order"),
    [
        # Fits first, then partial, then misses; the sort within each.
        ("area=face", ["combo-handheld", "combo-panel", "red-face-mask"]),
        ("area=face&sort=-price", ["combo-panel", "red-face-mask", "combo-handheld"]),
        (
            "area=knees&sort=price",
            ["nir-knee-wrap", "combo-handheld", "combo-panel", "deep-1064-handheld"],
        ),
        # Red fits the scalp and misses the knees: the cap is listed for the scalp, so it fits.
        (
            "area=knees&area=scalp",
            [
                "combo-handheld",
                "combo-panel",
                "nir-knee-wrap",
                "red-scalp-cap",
                "deep-1064-handheld",
            ],
        ),
        # NIR is partial for the face, but the wrap is only listed for the knees, where it fits.
        (
            "area=face&area=knees&light_type=combined&light_type=nir",
            ["combo-handheld", "combo-panel", "nir-knee-wrap"],
        ),
        # A name match ranks above a description match.
        ("q=knee", ["nir-knee-wrap", "combo-panel"]),
    ],
)
def test_fits_first_then_the_sort(session: Session, known_catalogue, query: str, order) -> None:
    assert slugs(browse(session, query)) == order


def test_every_item_carries_its_fit_and_reason_for_each_chosen_area(
    session: Session, known_catalogue
) -> None:
    result = browse(session, "area=knees&area=face&light_type=nir")
    for item in result.items:
        assert set(item.fit) == {"face", "knees"}
        assert (item.fit["knees"].fit, item.fit["face"].fit) == ("fits", "partial")
    wrap = next(i for i in result.items if i.slug == "nir-knee-wrap")
    assert wrap.fit["knees"].reason == "850 nm NIR reaches the knee joint"
    assert browse(session, "light_type=nir").items[0].fit == {}


# --- Disjunctive facet counts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "facet", "counts"),
    [
        ("", "light_type", {"red": 2, "nir": 2, "combined": 2, "other": 2}),
        ("", "coverage", {"surface": 2, "deep": 2, "both": 2}),
        (
            "",
            "form_factor",
            {
                "mask": 1,
                "cap": 1,
                "wrap": 1,
                "pad": 1,
                "panel": 1,
                "handheld": 3,
                "mat": 0,
                "bulb": 0,
            },
        ),
        ("", "brand", {"Kinetix": 3, "Lumo": 3, "Solara": 2}),
        # A facet is counted without its own filter: ticking red still shows the other types.
        ("light_type=red", "light_type", {"red": 2, "nir": 2, "combined": 2, "other": 2}),
        ("light_type=red", "coverage", {"surface": 2, "deep": 0, "both": 0}),
        ("light_type=red", "form_factor", {"mask": 1, "cap": 1, "handheld": 0}),
        # Area counts are the devices made for each area, so they differ by area.
        ("light_type=red", "area", {"face": 1, "scalp": 1, "knees": 0, "whole-body": 0}),
        ("area=knees", "area", {"face": 3, "knees": 4, "whole-body": 1, "hips": 2, "neck": 1}),
        (
            "area=knees&hide_misses=1",
            "area",
            {"face": 3, "knees": 3, "scalp": 2, "skin": 2, "elbows": 2},
        ),
        ("area=knees", "light_type", {"red": 0, "nir": 1, "combined": 2, "other": 1}),
        ("area=knees", "brand", {"Kinetix": 2, "Solara": 2, "Lumo": 0}),
        ("coverage=deep", "coverage", {"surface": 2, "deep": 2, "both": 2}),
        ("coverage=deep", "light_type", {"red": 0, "nir": 2, "combined": 0, "other": 0}),
        ("brand=Kinetix", "brand", {"Kinetix": 3, "Lumo": 3, "Solara": 2}),
        ("brand=Kinetix", "form_factor", {"wrap": 1, "pad": 1, "handheld": 1, "mask": 0}),
        ("form_factor=handheld&brand=Kinetix", "form_factor", {"wrap": 1, "pad": 1, "handheld": 1}),
        ("form_factor=handheld&brand=Kinetix", "brand", {"Kinetix": 1, "Solara": 1, "Lumo": 1}),
        ("max_price=149", "light_type", {"red": 0, "nir": 1, "combined": 1, "other": 1}),
        (
            "light_type=nir&light_type=combined&area=face",
            "area",
            {"face": 2, "knees": 3, "scalp": 1},
        ),
        (
            "light_type=nir&light_type=combined&area=face",
            "light_type",
            {"red": 1, "nir": 0, "combined": 2, "other": 0},
        ),
        ("q=knee", "brand", {"Kinetix": 1, "Solara": 1}),
        ("min_nm=800&max_nm=900", "coverage", {"surface": 0, "deep": 2, "both": 2}),
    ],
)
def test_disjunctive_counts(
    session: Session, known_catalogue, query: str, facet: str, counts
) -> None:
    result = browse(session, query)
    got = {f.value: f.count for f in result.facets[facet]}
    assert {k: got.get(k, 0) for k in counts} == counts


def test_counts_say_what_ticking_a_value_would_give(session: Session, known_catalogue) -> None:
    base = "area=knees&max_price=500"
    result = browse(session, base)
    for facet in ("light_type", "coverage", "form_factor", "brand"):
        for f in result.facets[facet]:
            if f.selected:
                continue
            ticked = browse(session, f"{base}&{facet}={f.value}&per_page=1")
            assert ticked.total == f.count, (facet, f.value)


def test_facets_mark_the_selected_values(session: Session, known_catalogue) -> None:
    result = browse(session, "light_type=nir&area=knees&brand=Kinetix")
    selected = {
        name: [f.value for f in values if f.selected] for name, values in result.facets.items()
    }
    assert selected == {
        "light_type": ["nir"],
        "coverage": [],
        "area": ["knees"],
        "form_factor": [],
        "brand": ["Kinetix"],
    }
    assert [f.label for f in result.facets["light_type"]] == [
        "Red",
        "Near-infrared",
        "Red + near-infrared",
        "Other wavelengths",
    ]


def test_a_chosen_brand_stays_in_its_facet_with_no_devices(
    session: Session, known_catalogue
) -> None:
    result = browse(session, "brand=Nobody")
    assert result.total == 0
    nobody = [(f.count, f.selected) for f in result.facets["brand"] if f.value == "Nobody"]
    assert nobody == [(0, True)]


# --- Sorting and pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        (
            "relevance",
            [
                "amber-wand",
                "combo-handheld",
                "combo-panel",
                "deep-1064-handheld",
                "nir-back-pad",
                "nir-knee-wrap",
                "red-face-mask",
                "red-scalp-cap",
            ],
        ),
        (
            "name",
            [
                "amber-wand",
                "combo-handheld",
                "combo-panel",
                "deep-1064-handheld",
                "nir-back-pad",
                "nir-knee-wrap",
                "red-face-mask",
                "red-scalp-cap",
            ],
        ),
        # Equal prices (149) keep the order they were added in, in both directions.
        (
            "price",
            [
                "amber-wand",
                "nir-knee-wrap",
                "combo-handheld",
                "red-face-mask",
                "nir-back-pad",
                "red-scalp-cap",
                "deep-1064-handheld",
                "combo-panel",
            ],
        ),
        (
            "-price",
            [
                "combo-panel",
                "deep-1064-handheld",
                "red-scalp-cap",
                "nir-back-pad",
                "red-face-mask",
                "nir-knee-wrap",
                "combo-handheld",
                "amber-wand",
            ],
        ),
        # A device with no irradiance goes last either way.
        (
            "irradiance",
            [
                "red-scalp-cap",
                "amber-wand",
                "red-face-mask",
                "nir-knee-wrap",
                "deep-1064-handheld",
                "combo-handheld",
                "combo-panel",
                "nir-back-pad",
            ],
        ),
        (
            "-irradiance",
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
        (
            "newest",
            [
                "deep-1064-handheld",
                "amber-wand",
                "combo-handheld",
                "combo-panel",
                "nir-back-pad",
                "nir-knee-wrap",
                "red-scalp-cap",
                "red-face-mask",
            ],
        ),
    ],
)
def test_sort(session: Session, known_catalogue, sort: str, order: list[str]) -> None:
    assert slugs(browse(session, f"sort={sort}")) == order
    # Stable: walking one device per page gives the same order, nothing twice or missed.
    walked = [
        s
        for page in range(1, 9)
        for s in slugs(browse(session, f"sort={sort}&per_page=1&page={page}"))
    ]
    assert walked == order


@pytest.mark.parametrize(
    ("query", "count", "total", "pages"),
    [
        ("per_page=3", 3, 8, 3),
        ("per_page=3&page=2", 3, 8, 3),
        ("per_page=3&page=3", 2, 8, 3),  # the last page holds the rest
        ("per_page=3&page=4", 0, 8, 3),  # past the end: no items, the total still known
        ("per_page=8", 8, 8, 1),
        ("per_page=100", 8, 8, 1),
        ("per_page=1&page=8", 1, 8, 8),
        ("per_page=1&page=100000", 0, 8, 8),
        ("light_type=red&area=knees", 0, 0, 1),  # nothing matches: one empty page
    ],
)
def test_pagination_edges(session: Session, known_catalogue, query, count, total, pages) -> None:
    result = browse(session, query)
    assert (len(result.items), result.total, result.pages) == (count, total, pages)


# --- A constant number of queries ----------------------------------------------------------------


@pytest.fixture
def statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = session.get_bind()

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "light_type=nir&area=knees&max_price=900",
        "area=face&brand=Lumo&brand=Solara&q=a&min_nm=600",
    ],
)
def test_queries_per_page_do_not_grow_with_the_page(
    session: Session, known_catalogue, statements: list[str], query: str
) -> None:
    cat = _catalogue(session)
    used = []
    for per_page in (1, 8):
        flt, _ = DeviceFilter.from_query(
            _args(f"{query}&per_page={per_page}"), area_slugs=cat.area_slugs
        )
        statements.clear()
        result = browse_devices(session, flt=flt, cat=cat)
        used.append(len(statements))
        assert result.items
    assert used[0] == used[1]
    # One GROUP BY per facet at most (light type, coverage and area share theirs when they
    # can), the page, its emissions, its listed areas and its main pictures.
    assert used[0] <= 5 + 4


@pytest.mark.parametrize(
    "query",
    [
        "",
        "light_type=nir&area=knees&max_price=900",
        "area=face&brand=Lumo&brand=Solara&q=a&min_nm=600&sort=price",
    ],
)
def test_a_cached_page_takes_five_queries_whatever_its_size(
    session: Session, known_catalogue, statements: list[str], query: str
) -> None:
    cat = _catalogue(session)
    cache = CountCache()
    used = []
    for per_page in (1, 8):
        flt, _ = DeviceFilter.from_query(
            _args(f"{query}&per_page={per_page}"), area_slugs=cat.area_slugs
        )
        browse_devices(session, flt=flt, cat=cat, cache=cache)  # fills the cache
        statements.clear()
        result = browse_devices(session, flt=flt, cat=cat, cache=cache)
        used.append(len(statements))
        assert result.items
    # The catalogue version, the page's devices by id, their emissions, listed areas, main pictures.
    assert used == [5, 5], statements


# --- Words: a full-text match (FTS5 on SQLite, a tsvector on PostgreSQL) ----------------------

SYNTAX_WORDS = 'An amber wand: "IP-65" rated, NEAR(eyes) OR lips, 2*daily.'


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Quotes, stars, minus, colons, brackets and operators are the shopper's text, never
        # FTS syntax: a word holding them must appear as typed (case aside), as with LIKE.
        ('"IP-65"', {"amber-wand"}),
        ("ip-65", {"amber-wand"}),
        ("IP-6", {"amber-wand"}),
        ("ip-66", set()),
        ("wand:", {"amber-wand"}),
        ("name:wand", set()),
        ("NEAR(eyes)", {"amber-wand"}),
        ("NEAR(eyes", {"amber-wand"}),
        ("NEAR", {"amber-wand"}),
        ("OR lips", {"amber-wand"}),
        ("eyes OR knee", set()),
        ("eyes AND", set()),
        ("eyes -lips", set()),
        ("2*daily", {"amber-wand"}),
        ("daily*", set()),
        ('"', "*"),
        ("* - : ( )", "*"),
        # A word matches the start of a word: "kne" finds "knee", "nee" does not.
        ("kne", {"nir-knee-wrap", "combo-panel"}),
        ("SOL", {"combo-panel", "combo-handheld"}),
        ("nee", set()),
        ("am wa", {"amber-wand"}),
        # Several words: each somewhere in the name, the brand or the description.
        ("knee joint flexible", {"nir-knee-wrap"}),
        ("knee solara", {"combo-panel"}),
        ("solara pocket handheld", {"combo-handheld"}),
        ("kneepad", set()),
        ("knee eyes", set()),
    ],
)
def test_words_are_matched_as_text_never_as_search_syntax(
    session: Session, known_catalogue: list[str], q: str, expected
) -> None:
    session.execute(
        update(Device).where(col(Device.slug) == "amber-wand").values(description=SYNTAX_WORDS)
    )
    session.commit()
    result = browse(session, urlencode({"q": q, "per_page": 100}))
    wanted = set(known_catalogue) if expected == "*" else expected
    assert set(slugs(result)) == wanted
    assert result.total == len(wanted)


@pytest.mark.parametrize("column", ["name", "brand", "description"])
def test_edited_and_deleted_devices_are_found_as_they_are_now(
    session: Session, known_catalogue: list[str], column: str
) -> None:
    """The text index follows every write to the device table (SQLite: triggers)."""
    assert slugs(browse(session, "q=joint")) == ["nir-knee-wrap"]
    wrap = col(Device.slug) == "nir-knee-wrap"
    session.execute(update(Device).where(wrap).values({column: "Zephyr"}))
    session.commit()
    assert slugs(browse(session, "q=zephyr")) == ["nir-knee-wrap"]
    if column == "description":
        assert slugs(browse(session, "q=joint")) == []
    # A change to other columns leaves the words found.
    session.execute(update(Device).where(wrap).values(price=99))
    session.commit()
    assert slugs(browse(session, "q=zeph")) == ["nir-knee-wrap"]
    session.execute(delete(Device).where(wrap))
    session.commit()
    assert slugs(browse(session, "q=zephyr")) == []
    assert slugs(browse(session, "q=knee")) == ["combo-panel"]
