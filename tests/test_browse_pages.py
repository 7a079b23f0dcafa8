"""Browsing the known catalogue: sort stability, pagination edges, a constant number of queries
per page, and words matched as text on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from sqlalchemy import delete, event, update
from sqlalchemy.orm import Session
from sqlmodel import col

from catalogue.browse import (
    DeviceFilter,
    browse_devices,
)
from catalogue.browse.cache import CountCache
from catalogue.data.models import Device
from tests.browse_support import browse, catalogue_of, query_args, slugs

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
    cat = catalogue_of(session)
    used = []
    for per_page in (1, 8):
        flt, _ = DeviceFilter.from_query(
            query_args(f"{query}&per_page={per_page}"), area_slugs=cat.area_slugs
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
def test_a_cached_page_takes_one_query_and_a_rebuilt_one_five_whatever_its_size(
    session: Session, known_catalogue, statements: list[str], query: str
) -> None:
    cat = catalogue_of(session)
    cache = CountCache()
    used = []
    for per_page in (1, 8):
        flt, _ = DeviceFilter.from_query(
            query_args(f"{query}&per_page={per_page}"), area_slugs=cat.area_slugs
        )
        first = browse_devices(session, flt=flt, cat=cat, cache=cache)  # fills the caches
        session.rollback()  # each request is a transaction of its own
        statements.clear()
        assert browse_devices(session, flt=flt, cat=cat, cache=cache) == first
        used.append(len(_queries(statements)))
        # Without the whole result (it is evicted, or the version moved and the page was
        # carried), the page is rebuilt from the kept counts and ids.
        cache.results = CountCache(8, with_results=False)
        session.rollback()
        statements.clear()
        assert browse_devices(session, flt=flt, cat=cat, cache=cache) == first
        used.append(len(_queries(statements)))
        assert first.items
    # The catalogue version; rebuilt: also the page's devices by id, their emissions, listed
    # areas and main pictures.
    assert used == [1, 5, 1, 5], statements


def _queries(statements: list[str]) -> list[str]:
    """What a request asked the database, without the BEGIN SQLite's engine sends itself."""
    return [q for q in statements if q != "BEGIN"]


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
