"""Exchange rates, their history, and each device's price in US dollars."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from catalogue.data.models import Device, ExchangeRate, ExchangeRateChange, utcnow
from catalogue.devices.schemas import CURRENCIES

BASE_CURRENCY = "USD"
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
MAX_USD_VALUE = Decimal("100000")
CENT = Decimal("0.01")


class RateError(ValueError):
    """A rate edit we refuse, with one message per field: ``{"usd_value": "..."}``."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Money:
    """The display currency and the rates: ``Money("EUR", {...}).shown(Decimal("108"))``."""

    display: str = BASE_CURRENCY
    usd_value: Mapping[str, Decimal] = field(default_factory=lambda: {BASE_CURRENCY: Decimal(1)})

    @property
    def known(self) -> bool:
        """Whether the display currency has a rate; without one prices show as listed only."""
        return self.display in self.usd_value

    def shown(self, price_usd: Decimal | float | None) -> float | None:
        """A price in US dollars as the shopper sees it, rounded to the cent."""
        if price_usd is None or not self.known:
            return None
        value = Decimal(str(price_usd)) / self.usd_value[self.display]
        return float(value.quantize(CENT, rounding=ROUND_HALF_UP))

    def to_usd(self, amount: Decimal, currency: str | None = None) -> Decimal | None:
        """An amount in ``currency`` (the display currency by default) in US dollars."""
        rate = self.usd_value.get(currency or self.display)
        return None if rate is None else (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def load_money(session: Session, display: str) -> Money:
    rates = {r.currency: r.usd_value for r in session.scalars(select(ExchangeRate))}
    rates.setdefault(BASE_CURRENCY, Decimal(1))
    # A display currency with no stored rate falls back to the base rather than hiding prices.
    return Money(display if display in rates else BASE_CURRENCY, rates)


def rates_table(session: Session) -> list[ExchangeRate]:
    return list(session.scalars(select(ExchangeRate).order_by(col(ExchangeRate.currency))))


def rate_history(session: Session, *, limit: int = 50) -> list[ExchangeRateChange]:
    query = (
        select(ExchangeRateChange)
        .order_by(col(ExchangeRateChange.at).desc(), col(ExchangeRateChange.id).desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def recompute_prices(session: Session, currency: str | None = None) -> int:
    """Every device's ``price_usd`` from the stored rates, in one UPDATE (one currency's only
    when given). A device in a currency with no rate gets NULL: it sorts last and no price
    filter matches it."""
    rate = (
        select(col(ExchangeRate.usd_value))
        .where(col(ExchangeRate.currency) == col(Device.currency))
        .scalar_subquery()
    )
    statement = update(Device).values(price_usd=func.round(col(Device.price) * rate, 2))
    if currency is not None:
        statement = statement.where(col(Device.currency) == currency)
    # Leaves the version column alone: a rate change is not an edit of the listing.
    result = session.execute(statement.execution_options(synchronize_session=False))
    session.expire_all()
    return int(getattr(result, "rowcount", 0) or 0)


def _parse(currency: str, usd_value: str, set_on: str) -> tuple[str, Decimal, date]:
    errors: dict[str, str] = {}
    code = currency.strip().upper()
    if not CURRENCY_RE.match(code) or code not in CURRENCIES:
        errors["currency"] = f"{currency[:10]!r} is not an ISO 4217 currency code we sell in"
    elif code == BASE_CURRENCY:
        errors["currency"] = "US dollars are the base: one dollar is always worth one dollar"
    value = Decimal(0)
    try:
        value = Decimal(usd_value.strip())
        if not value.is_finite() or not 0 < value <= MAX_USD_VALUE:
            raise InvalidOperation
    except InvalidOperation:
        errors["usd_value"] = (
            f"give what one unit is worth in US dollars, above 0 and at most {MAX_USD_VALUE:,}"
        )
    day = date.today()
    try:
        day = date.fromisoformat(set_on.strip())
    except ValueError:
        errors["set_on"] = "give the day the rate was set as YYYY-MM-DD"
    if errors:
        raise RateError(errors)
    return code, value, day


def set_rate(
    session: Session, *, currency: str, usd_value: str, set_on: str, user_id: int | None
) -> ExchangeRateChange:
    """Store a rate (new or changed), record the change, and reprice that currency's devices.
    Raises ``RateError`` with a message per field; nothing is written then."""
    code, value, day = _parse(currency, usd_value, set_on)
    rate = session.get(ExchangeRate, code)
    old = rate.usd_value if rate else None
    if rate is None:
        rate = ExchangeRate(currency=code, usd_value=value, set_on=day, updated_by_id=user_id)
        session.add(rate)
    else:
        rate.usd_value, rate.set_on, rate.updated_by_id = value, day, user_id
        rate.updated_at = utcnow()
    change = ExchangeRateChange(
        currency=code, old_value=old, new_value=value, set_on=day, user_id=user_id
    )
    session.add(change)
    session.flush()
    recompute_prices(session, code)
    return change


def seed_rates(session: Session, path: Path) -> int:
    """Rates from ``seed/exchange_rates.csv`` that are not stored yet; reprices when any is new."""
    if not path.exists():
        return 0
    added = 0
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if session.get(ExchangeRate, row["currency"]) is None:
                session.add(
                    ExchangeRate(
                        currency=row["currency"],
                        usd_value=Decimal(row["usd_value"]),
                        set_on=date.fromisoformat(row["set_on"]),
                    )
                )
                added += 1
    if added:
        session.flush()
        recompute_prices(session)
    return added


@event.listens_for(Session, "before_flush")
def _price_in_usd(session: Session, _context: Any, _instances: Any) -> None:
    """Keep ``price_usd`` with every device written through the ORM (editor, import, seed)."""
    changed = [
        obj
        for obj in (*session.new, *session.dirty)
        if isinstance(obj, Device) and (obj.id is None or _price_changed(obj))
    ]
    if not changed:
        return
    rates = usd_rates(session)
    for device in changed:
        device.price_usd = in_usd(device.price, device.currency, rates)


def usd_rates(session: Session) -> dict[str, Decimal]:
    """What one unit of each stored currency is worth in US dollars (US dollars included)."""
    with session.no_autoflush:
        query = select(col(ExchangeRate.currency), col(ExchangeRate.usd_value))
        rates: dict[str, Decimal] = {c: v for c, v in session.execute(query).all()}
    rates.setdefault(BASE_CURRENCY, Decimal(1))
    return rates


def in_usd(price: Decimal | float, currency: str, rates: Mapping[str, Decimal]) -> Decimal | None:
    """``price`` in US dollars to the cent; None for a currency without a stored rate."""
    rate = rates.get(currency)
    return None if rate is None else (Decimal(str(price)) * rate).quantize(CENT, ROUND_HALF_UP)


def _price_changed(device: Device) -> bool:
    state = inspect(device)
    return any(state.attrs[name].history.has_changes() for name in ("price", "currency"))
