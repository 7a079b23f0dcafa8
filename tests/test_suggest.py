"""'Did you mean …?': edit distance, the vocabulary, corrections, and the suggestion a search
gets over the known catalogue (tests/known_catalogue_fixtures.py: brands Lumo, Kinetix, Solara;
three hidden devices whose names must never be suggested), with and without the per-version
cache, page and JSON.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlmodel import col

from catalogue.browse import Catalogue, DeviceFilter, browse_devices
from catalogue.browse.cache import CountCache
from catalogue.browse.suggest import FEW, Vocabulary, corrected, corrected_words, edits
from catalogue.data.models import Device
from catalogue.data.reference import load_areas, load_bands


@pytest.mark.parametrize(
    ("a", "b", "limit", "expected"),
    [
        ("solvane", "solvane", 2, 0),
        ("solvnae", "solvane", 2, 1),  # neighbours swapped: one edit
        ("slovane", "solvane", 2, 1),
        ("solvan", "solvane", 2, 1),  # one missing
        ("solvanne", "solvane", 2, 1),  # one extra
        ("solvene", "solvane", 2, 1),  # one wrong
        ("solvna", "solvane", 2, 2),
        ("sloavne", "solvane", 1, 2),  # beyond the limit: limit + 1, not the full count
        ("kinetix", "lumo", 2, 3),
        ("", "lumo", 4, 4),
    ],
)
def test_edits(a: str, b: str, limit: int, expected: int) -> None:
    assert edits(a, b, limit) == expected
    assert edits(b, a, limit) == expected


VOCABULARY = Vocabulary.of(
    [("Solvane", 6), ("Pellucid Works", 5), ("Lumo", 2)],
    "Horizon 600 Panel\nHorizon Mini Panel\nRed Knee Sleeve\nPocket Red Wand\nPanels",
)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("slovane", "Solvane"),  # a brand word is written as the brand writes it
        ("Solvnae horizn", "Solvane horizon"),  # a name word as typed: lower stays lower
        ("Horizn", "Horizon"),
        # A typo at the very start: the first letter missing, one too many, the two swapped.
        ("olvane", "Solvane"),
        ("asolvane", "Solvane"),
        ("oslvane", "Solvane"),
        ("xolvane", "Solvane"),
        ("knnee", "knee"),
        ("pelucid wroks", "Pellucid Works"),
        ("pannel", "panel"),  # nearest of panel/panels: one edit beats two
        ("solv", "solv"),  # the start of a word is no typo: the search matches prefixes
        ("kne", "kne"),
        ("lumo", "lumo"),
        ("lumi", "Lumo"),
        ("lim", "lim"),  # under four letters: too many neighbours to guess which was meant
        ("sleve 600", "sleeve 600"),  # numbers are left as they are
        ("xyzzy", "xyzzy"),  # nothing near: left alone
        ("red-knee", "red-knee"),  # a word with punctuation is the shopper's own
    ],
)
def test_corrected_words(q: str, expected: str) -> None:
    assert corrected_words(q, VOCABULARY) == expected


@pytest.mark.parametrize(
    ("brands", "expected"),
    [
        (("solvane",), ("Solvane",)),  # the case the catalogue writes it in
        (("Solvan",), ("Solvane",)),
        (("Pelucid Works",), ("Pellucid Works",)),
        (("Lumo", "Solvnae"), ("Lumo", "Solvane")),
        (("Solvane",), None),  # nothing to put right
        (("Nowhere Brand",), None),
    ],
)
def test_corrected_brands(brands: tuple[str, ...], expected: tuple[str, ...] | None) -> None:
    fixed = corrected(DeviceFilter(brand=brands, page=3), VOCABULARY)
    if expected is None:
        assert fixed is None
    else:
        assert fixed is not None and fixed.brand == expected and fixed.page == 1


# --- Over the known catalogue ---------------------------------------------------------------


def _catalogue(session: Session) -> Catalogue:
    return Catalogue(bands=load_bands(session), areas=load_areas(session))


def _filter(query: str, session: Session) -> DeviceFilter:
    flt, errors = DeviceFilter.from_query(
        parse_qs(query), area_slugs=_catalogue(session).area_slugs
    )
    assert errors == []
    return flt


CASES = [
    # (query, total, suggested text, suggested total, suggested query)
    ("q=kinetics", 0, "Kinetix", 3, "q=Kinetix"),
    ("q=solarra+panel", 0, "Solara panel", 1, "q=Solara+panel"),
    ("q=hanheld", 0, "handheld", 2, "q=handheld"),
    ("brand=kinetix", 0, "Kinetix", 3, "brand=Kinetix"),
    (
        "brand=Lumo&brand=Solarra&light_type=combined",
        0,
        "Solara",
        2,
        "light_type=combined&brand=Lumo&brand=Solara",
    ),
    ("area=knees&q=kinetx&per_page=2&page=2", 0, "Kinetix", 2, "area=knees&q=Kinetix&per_page=2"),
    # None: found enough, a known word, nothing near, or the better spelling finds no more.
    ("q=lumo", 3, None, None, None),
    ("q=kin", 3, None, None, None),
    ("q=wrap", 1, None, None, None),
    ("q=xyzzy", 0, None, None, None),
    ("q=kinetics&light_type=red", 0, None, None, None),
    # Hidden devices' words are no vocabulary: "Archived Red Bulb", "Draft NIR Panel".
    ("q=bulbb", 0, None, None, None),
    ("q=archivd", 0, None, None, None),
    ("", 8, None, None, None),
]


@pytest.mark.parametrize("cached", [False, True], ids=["plain", "cached"])
@pytest.mark.parametrize(("query", "total", "text", "found", "fixed"), CASES)
def test_did_you_mean_over_the_catalogue(
    session: Session, known_catalogue, cached, query, total, text, found, fixed
) -> None:
    cache = CountCache() if cached else None
    result = browse_devices(
        session, flt=_filter(query, session), cat=_catalogue(session), cache=cache
    )
    assert result.total == total
    suggestion = result.did_you_mean
    if text is None:
        assert suggestion is None
        return
    assert suggestion is not None
    assert (suggestion.text, suggestion.total, suggestion.query) == (text, found, fixed)
    assert total < FEW
    # Following it gives what it promised.
    followed = browse_devices(
        session, flt=_filter(suggestion.query, session), cat=_catalogue(session), cache=cache
    )
    assert followed.total == found and followed.did_you_mean is None


def test_the_cached_vocabulary_follows_the_catalogue(session: Session, known_catalogue) -> None:
    cache = CountCache()
    cat = _catalogue(session)
    flt = _filter("q=kinetics", session)
    assert browse_devices(session, flt=flt, cat=cat, cache=cache).did_you_mean is not None
    # Renaming the brand bumps the catalogue version: the old spelling is no longer offered.
    session.execute(update(Device).where(col(Device.brand) == "Kinetix").values(brand="Kinesis"))
    session.commit()
    result = browse_devices(session, flt=flt, cat=cat, cache=cache)
    assert result.did_you_mean is not None and result.did_you_mean.text == "Kinesis"


def test_json_and_page_carry_the_suggestion(client, known_catalogue) -> None:
    data = client.get("/api/devices?q=kinetics&area=knees").json()
    assert data["total"] == 0
    assert data["did_you_mean"] == {
        "text": "Kinetix",
        "q": "Kinetix",
        "brand": [],
        "total": 2,
        "url": "/api/devices?area=knees&q=Kinetix",
        "page_url": "/devices?area=knees&q=Kinetix",
    }
    assert client.get(data["did_you_mean"]["url"]).json()["total"] == 2
    assert client.get("/api/devices?q=kinetix").json()["did_you_mean"] is None

    html = client.get("/devices?q=kinetics&area=knees&ids=combo-panel").text
    # The link keeps the compare picks, like every other link of the page.
    assert 'Did you mean <a href="/devices?area=knees&amp;q=Kinetix&amp;ids=combo-panel"' in html
    assert "Did you mean Kinetix?</p>" in html  # read out by the live status too
    assert "did-you-mean" not in client.get("/devices?q=kinetix").text
