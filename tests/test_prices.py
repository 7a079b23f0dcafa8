"""One display currency: rates as data, prices converted, sorted and filtered in it, rate edits
recorded and repriced at once. Seed rates: EUR 1.08, GBP 1.27 US dollars."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.app import create_app
from catalogue.data.models import Device, ExchangeRateChange
from catalogue.prices import Money, RateError, set_rate
from catalogue.settings import Settings, SettingsError
from tests.factories import add_device


@pytest.fixture
def priced(session: Session, known_catalogue: list[str]) -> None:
    """The known catalogue (USD, 99 to 899) plus a euro and a pound listing."""
    add_device(session, slug="euro-wrap", price="169.00", currency="EUR", areas=["knees"])
    add_device(session, slug="pound-panel", price="650.00", currency="GBP", areas=["knees"])
    session.commit()


def _client(settings: Settings, display: str) -> Iterator[TestClient[Litestar]]:
    app = create_app(dataclasses.replace(settings, display_currency=display))
    with TestClient(app=app) as client:
        yield client


@pytest.fixture
def euro_client(settings: Settings) -> Iterator[TestClient[Litestar]]:
    yield from _client(settings, "EUR")


@pytest.mark.parametrize(
    ("price_usd", "display", "shown"),
    [
        (Decimal("182.52"), "USD", 182.52),
        (Decimal("182.52"), "EUR", 169.0),
        (Decimal("825.50"), "GBP", 650.0),
        (None, "EUR", None),
    ],
)
def test_money_shows_a_dollar_price_in_the_display_currency(price_usd, display, shown) -> None:
    money = Money(display, {"USD": Decimal(1), "EUR": Decimal("1.08"), "GBP": Decimal("1.27")})
    assert money.shown(price_usd) == shown


def test_every_write_keeps_the_price_in_dollars(session: Session, priced) -> None:
    rows = dict(session.execute(select(Device.slug, Device.price_usd)).all())
    assert (rows["euro-wrap"], rows["pound-panel"], rows["combo-panel"]) == (
        Decimal("182.52"),
        Decimal("825.50"),
        Decimal("899.00"),
    )


def test_items_carry_both_prices(client, priced) -> None:
    items = client.get("/api/devices?per_page=100").json()["items"]
    wrap = next(i for i in items if i["slug"] == "euro-wrap")
    assert (wrap["price"], wrap["currency"]) == (169.0, "EUR")
    assert (wrap["display_price"], wrap["display_currency"]) == (182.52, "USD")


@pytest.mark.parametrize("display", ["USD", "EUR"])
@pytest.mark.parametrize("sort", ["price", "-price"])
def test_sort_by_price_is_monotonic_in_the_display_currency(
    settings, priced, display: str, sort: str
) -> None:
    for client in _client(settings, display):
        items = client.get(f"/api/devices?sort={sort}&per_page=100").json()["items"]
        shown = [i["display_price"] for i in items]
        assert shown == sorted(shown, reverse=sort.startswith("-"))
        assert {i["display_currency"] for i in items} == {display}
        assert len(items) == 10


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # In dollars: the 169 EUR wrap is $182.52, above a $180 floor; the $149 devices are not.
        ("min_price=180&max_price=190", {"euro-wrap"}),
        ("min_price=800&max_price=830", {"pound-panel"}),
        ("max_price=99", {"amber-wand"}),
    ],
)
def test_price_bounds_are_in_the_display_currency(client, priced, query, expected) -> None:
    items = client.get(f"/api/devices?{query}&per_page=100").json()["items"]
    assert {i["slug"] for i in items} == expected


def test_price_bounds_in_euros(euro_client, priced) -> None:
    items = euro_client.get("/api/devices?min_price=168&max_price=170").json()["items"]
    assert [i["slug"] for i in items] == ["euro-wrap"]
    html = euro_client.get("/devices?min_price=168&max_price=170").text
    assert "€169.00" in html


def test_pages_show_the_listed_price_beside_the_converted_one(client, priced) -> None:
    html = client.get("/devices?area=knees").text
    assert "$182.52" in html and "listed at €169.00" in html
    detail = client.get("/devices/pound-panel").text
    assert "$825.50" in detail and "£650.00" in detail


def test_compare_ranks_by_converted_price(client, priced) -> None:
    data = client.get("/api/compare?ids=pound-panel,combo-panel,euro-wrap").json()
    rows = {r["key"]: r for r in data["rows"]}
    assert rows["display_price"]["values"] == [825.5, 899.0, 182.52]
    assert rows["display_price"]["best"] == [2]
    assert rows["price"]["values"] == [650.0, 899.0, 169.0]
    assert not data["same_currency"]


def test_a_rate_change_reprices_at_once_and_is_recorded(db, session: Session, priced) -> None:
    with db.writing() as s:
        set_rate(s, currency="eur", usd_value="1.10", set_on="2026-12-01", user_id=None)
    session.expire_all()
    wrap = session.scalar(select(Device).where(Device.slug == "euro-wrap"))
    assert wrap is not None and wrap.price_usd == Decimal("185.90") and wrap.version == 1
    change = session.scalars(select(ExchangeRateChange)).one()
    assert (change.currency, change.old_value, change.new_value) == (
        "EUR",
        Decimal("1.08"),
        Decimal("1.10"),
    )


@pytest.mark.parametrize(
    ("currency", "value", "day", "field"),
    [
        ("EURO", "1.1", "2026-12-01", "currency"),
        ("XXX", "1.1", "2026-12-01", "currency"),
        ("USD", "2", "2026-12-01", "currency"),
        ("EUR", "0", "2026-12-01", "usd_value"),
        ("EUR", "-1", "2026-12-01", "usd_value"),
        ("EUR", "abc", "2026-12-01", "usd_value"),
        ("EUR", "NaN", "2026-12-01", "usd_value"),
        ("EUR", "1e9", "2026-12-01", "usd_value"),
        ("EUR", "1.1", "1st of May", "set_on"),
    ],
)
def test_bad_rates_are_refused_by_field(session: Session, currency, value, day, field) -> None:
    with pytest.raises(RateError) as caught:
        set_rate(session, currency=currency, usd_value=value, set_on=day, user_id=None)
    assert set(caught.value.errors) == {field}


def test_display_currency_setting_is_checked() -> None:
    with pytest.raises(SettingsError, match="DISPLAY_CURRENCY"):
        Settings.from_env({"DISPLAY_CURRENCY": "euro"})
    assert Settings.from_env({}).display_currency == "USD"


def test_only_an_admin_sets_rates(staff, priced) -> None:
    assert staff("merchandiser").get("/admin/rates", follow_redirects=False).status_code in (
        302,
        303,
        403,
    )
    admin = staff("admin")
    page = admin.get("/admin/rates")
    assert page.status_code == 200 and "EUR" in page.text and "1.08" in page.text
    bad = admin.form("/admin/rates", {"currency": "EUR", "usd_value": "0", "set_on": "2026-12-01"})
    assert bad.status_code == 400 and "above 0" in bad.text
    saved = admin.form(
        "/admin/rates", {"currency": "EUR", "usd_value": "1.2", "set_on": "2026-12-01"}
    )
    assert saved.status_code == 303
    page = admin.get(saved.headers["location"]).text
    assert "EUR saved" in page and "1.2" in page
    wrap = admin.get("/api/devices/euro-wrap").json()
    assert wrap["display_price"] == 202.8
