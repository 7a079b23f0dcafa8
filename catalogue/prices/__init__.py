"""Prices in one display currency: exchange rates as data, with their history.

Rates say what one unit of a currency is worth in US dollars (``EUR 1.08``). Every device
keeps its price in US dollars (``device.price_usd``) at the stored rates: set on every write
(a flush hook) and recomputed in one UPDATE when a rate changes, so the shop sorts and
filters across currencies by index. A shopper's display currency only scales that figure.
"""

from catalogue.prices.rates import (
    BASE_CURRENCY,
    CURRENCY_RE,
    Money,
    RateError,
    load_money,
    rate_history,
    rates_table,
    recompute_prices,
    seed_rates,
    set_rate,
)

__all__ = [
    "BASE_CURRENCY",
    "CURRENCY_RE",
    "Money",
    "RateError",
    "load_money",
    "rate_history",
    "rates_table",
    "recompute_prices",
    "seed_rates",
    "set_rate",
]
