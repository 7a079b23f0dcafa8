"""The editor's device list: search, filters, sort, pages, and bulk actions per role."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from catalogue.data.db import Database
from catalogue.data.models import Device
from catalogue.data.reference import load_bands
from catalogue.devices import batch, editing
from catalogue.devices.schemas import parse_device
from catalogue.devices.worklist import PER_PAGE, WorklistError, WorklistQuery
from tests.factories import add_device, device_data

# (slug, name, brand, sku, form factor, price, status, description)
ROWS: list[tuple[Any, ...]] = [
    ("aurora", "Aurora Knee Wrap", "Lumo", "LUM-KW-01", "wrap", "149.00", "draft", ""),
    ("borealis", "Borealis Panel", "Solara", "SOL-PN-02", "panel", "899.00", "published", ""),
    ("cirrus", "Cirrus Face Mask", "Lumo", "LUM-FM-03", "mask", "199.00", "in_review", ""),
    ("dune", "Dune Back Pad", "Kinetix", "KIN-BP-04", "pad", "249.00", "draft", "It cures gout."),
    ("ec-5", "Ember Cap", "Solara", "SOL-CP-05", "cap", "349.00", "archived", ""),
]


@pytest.fixture
def listed(session: Session) -> dict[str, Device]:
    """The devices above, edited in table order (the last one is the most recently edited)."""
    devices = {}
    for slug, name, brand, sku, form, price, status, words in ROWS:
        devices[slug] = add_device(
            session,
            slug=slug,
            name=name,
            brand=brand,
            sku=sku,
            form_factor=form,
            price=price,
            status=status,
            description=words or "A gentle device for evening routines.",
        )
    session.commit()
    return devices


def slugs_on(page: str) -> list[str]:
    return re.findall(r'<td data-label="Device"><a href="/admin/devices/([\w-]+)">', page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["ec-5", "dune", "cirrus", "borealis", "aurora"]),
        ("q=knee", ["aurora"]),  # a word of the name
        ("q=KNE", ["aurora"]),  # the start of a word, any case
        ("q=lumo", ["cirrus", "aurora"]),  # the brand
        ("q=SOL-PN", ["borealis"]),  # the start of the SKU
        ("q=sol-pn-02", ["borealis"]),  # the SKU typed in lower case
        ("q=ec-5", ["ec-5"]),  # the slug
        ("q=lumo+mask", ["cirrus"]),  # every word must match
        ("q=arthritis", []),  # the description is not searched
        ("status=draft", ["dune", "aurora"]),
        ("brand=Solara", ["ec-5", "borealis"]),
        ("form_factor=mask", ["cirrus"]),
        ("findings=error", ["dune"]),
        ("findings=error&status=published", []),
        ("status=draft&sort=name", ["aurora", "dune"]),
        ("sort=name", ["aurora", "borealis", "cirrus", "dune", "ec-5"]),
        ("sort=-name", ["ec-5", "dune", "cirrus", "borealis", "aurora"]),
        ("sort=sku", ["dune", "cirrus", "aurora", "ec-5", "borealis"]),
        ("sort=price", ["aurora", "cirrus", "dune", "ec-5", "borealis"]),
        ("sort=brand&q=lumo", ["aurora", "cirrus"]),  # ties by age
        ("sort=status", ["ec-5", "aurora", "dune", "cirrus", "borealis"]),
        ("sort=updated", ["aurora", "borealis", "cirrus", "dune", "ec-5"]),
    ],
)  # fmt: skip
def test_search_filters_and_sort(
    staff, listed: dict[str, Device], query: str, expected: list[str]
) -> None:
    response = staff("merchandiser").get(f"/admin/devices?{query}")
    assert response.status_code == 200
    assert slugs_on(response.text) == expected


def test_pages_hold_fifty_and_every_state_is_an_address(staff, session: Session) -> None:
    items = []
    for n in range(PER_PAGE * 2 + 7):
        data, errors = parse_device(device_data(name=f"Paged Panel {n:03d}", status="draft"))
        assert data is not None, errors
        items.append(data)
    batch.create_devices(session, items=items, bands=load_bands(session))
    session.commit()
    merchandiser = staff("merchandiser")
    third = merchandiser.get("/admin/devices?status=draft&sort=name&page=3").text
    assert slugs_on(third)[0] == editing_slug(session, "Paged Panel 100")
    assert len(slugs_on(third)) == 7
    assert "101–107 of 107 devices" in third
    # The pager keeps the filter and the sort; the column header reverses the sort at page 1.
    assert 'href="/admin/devices?status=draft&amp;sort=name&amp;page=2" rel="prev"' in third
    assert 'href="/admin/devices?status=draft&amp;sort=-name"' in third
    assert len(slugs_on(merchandiser.get("/admin/devices?page=1").text)) == PER_PAGE


def editing_slug(session: Session, name: str) -> str:
    return next(d.slug for d in session.query(Device).filter(Device.name == name))


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("status=gone", "status"),
        ("form_factor=lamp", "form_factor"),
        ("findings=many", "findings"),
        ("sort=colour", "sort"),
        ("page=0", "page"),
        ("page=two", "page"),
    ],
)
def test_a_bad_argument_is_a_400_naming_it(staff, query: str, key: str) -> None:
    response = staff("merchandiser").get(
        f"/admin/devices?{query}", headers={"accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["key"] == key
    with pytest.raises(WorklistError):
        WorklistQuery.from_params(dict([query.split("=")]))


def test_query_round_trips_through_its_address() -> None:
    query = WorklistQuery.from_params(
        {"q": " knee  wrap ", "status": "draft", "sort": "-price", "page": "4"}
    )
    assert query.url() == "/admin/devices?q=knee+wrap&status=draft&sort=-price&page=4"
    assert query.url(status="") == "/admin/devices?q=knee+wrap&sort=-price"  # back to page 1
    assert WorklistQuery.from_params(dict(query.pairs())) == query


def ticked(client: Any, *slugs: str) -> list[str]:
    """The checkbox values of these rows, as the list page shows them."""
    page = client.get("/admin/devices").text
    values = dict(re.findall(r'value="(\d+:\d+)" id="tick-\d+" aria-label="Tick ([^"]+)"', page))
    names = {row[0]: row[1] for row in ROWS}
    by_name = {name: value for value, name in values.items()}
    return [by_name[names[slug]] for slug in slugs]


def status_of(db: Database, slug: str) -> str:
    with db.session() as s:
        device = editing.get_device(s, slug)
        assert device is not None
        return device.status


# (role, action, ticked slugs, HTTP status, statuses after, words in the notice)
BULK_CASES = [
    (
        "merchandiser",
        "submit",
        ["aurora", "dune", "borealis"],
        303,
        {"aurora": "in_review", "dune": "in_review", "borealis": "published"},
        [
            "Submit for review: 2 devices.",
            "Not done for 1: Borealis Panel (submit for review works on a device in draft",
        ],
    ),
    (
        "merchandiser",
        "archive",
        ["borealis"],
        403,
        {"borealis": "published"},
        [],
    ),
    (
        "qa",
        "archive",
        ["borealis", "aurora"],
        303,
        {"borealis": "archived", "aurora": "draft"},
        ["Archive: 1 device.", "Aurora Knee Wrap (archive works on a device in published"],
    ),
    ("qa", "submit", ["aurora"], 403, {"aurora": "draft"}, []),
    (
        "admin",
        "archive",
        ["borealis"],
        303,
        {"borealis": "archived"},
        ["Archive: 1 device."],
    ),
    ("merchandiser", "send_back", ["cirrus"], 400, {"cirrus": "in_review"}, []),
]  # fmt: skip


@pytest.mark.parametrize(("role", "action", "slugs", "code", "after", "notice"), BULK_CASES)
def test_bulk_moves_go_through_the_workflow_per_role(
    staff,
    db: Database,
    listed: dict[str, Device],
    role: str,
    action: str,
    slugs: list[str],
    code: int,
    after: dict[str, str],
    notice: list[str],
) -> None:
    client = staff(role)
    response = client.form(
        "/admin/devices/bulk",
        {"action": action, "ids": ticked(client, *slugs), "back": "status=draft&sort=name"},
    )
    assert response.status_code == code, response.text
    assert {slug: status_of(db, slug) for slug in after} == after
    if code == 303:
        assert response.headers["location"] == "/admin/devices?status=draft&sort=name"
        page = client.get(response.headers["location"]).text.replace("&#39;", "'")
        for words in notice:
            assert words in page


def test_bulk_move_refuses_a_row_changed_since_the_list_was_loaded(
    staff, session: Session, db: Database, listed: dict[str, Device]
) -> None:
    merchandiser = staff("merchandiser")
    stale = ticked(merchandiser, "aurora")
    device = editing.get_device(session, "aurora")
    assert device is not None
    device.price = 159  # type: ignore[assignment]
    session.commit()
    response = merchandiser.form("/admin/devices/bulk", {"action": "submit", "ids": stale})
    assert response.status_code == 303
    page = merchandiser.get("/admin/devices").text
    assert "Aurora Knee Wrap (someone changed it after the list was loaded)" in page
    assert status_of(db, "aurora") == "draft"


@pytest.mark.parametrize("role", ["merchandiser", "qa", "admin"])
def test_bulk_export_holds_exactly_the_ticked_rows(
    staff, listed: dict[str, Device], role: str
) -> None:
    client = staff(role)
    ids = ticked(client, "cirrus", "ec-5")
    response = client.form("/admin/devices/bulk", {"action": "export", "ids": ids})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(r["slug"] for r in rows) == ["cirrus", "ec-5"]


def test_bulk_with_nothing_ticked_says_so(staff, listed: dict[str, Device]) -> None:
    merchandiser = staff("merchandiser")
    response = merchandiser.form("/admin/devices/bulk", {"action": "submit"})
    assert response.status_code == 303
    assert "Tick at least one device first." in merchandiser.get("/admin/devices").text


def test_anonymous_cannot_use_the_list_or_bulk(staff, listed: dict[str, Device]) -> None:
    anonymous = staff(None)
    assert anonymous.get("/admin/devices", follow_redirects=False).status_code in (302, 303, 307)
    response = anonymous.form("/admin/devices/bulk", {"action": "export", "ids": ["1:1"]})
    assert response.status_code == 401


def test_buttons_offer_only_the_moves_the_role_may_make(staff, listed: dict[str, Device]) -> None:
    def actions(role: str) -> list[str]:
        return re.findall(r'name="action" value="(\w+)"', staff(role).get("/admin/devices").text)

    assert actions("merchandiser") == ["submit", "reopen", "export"]
    assert actions("qa") == ["approve", "archive", "export"]
