"""Jinja filters for numbers and labels shoppers read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jinja2 import Environment

from catalogue.core.bands import COVERAGE_LABELS, LIGHT_TYPE_LABELS
from catalogue.devices.fields import (
    change_label,
    field_anchor,
    field_label,
    field_max_length,
    field_range,
    status_label,
)


def money(value: Decimal | float | None, currency: str = "") -> str:
    if value is None:
        return "—"
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency)
    amount = f"{float(value):,.2f}"
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}".strip()


def number(value: float | int | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return f"{text} {unit}".strip()


def nm_list(values: Any) -> str:
    return ", ".join(f"{float(v):g}" for v in values) + " nm" if values else "—"


def capitalize_first(text: str | None) -> str:
    """First letter up, the rest kept: Jinja's capitalize would lower "Solvane" too."""
    return text[:1].upper() + text[1:] if text else ""


def register(env: Environment) -> None:
    env.filters.update(
        money=money, number=number, nm_list=nm_list, capitalize_first=capitalize_first
    )
    env.globals.update(LIGHT_TYPE_LABELS=LIGHT_TYPE_LABELS, COVERAGE_LABELS=COVERAGE_LABELS)
    # The editor's names for a device's fields and statuses (``devices/fields.py``).
    env.globals.update(
        field_label=field_label,
        field_anchor=field_anchor,
        field_range=field_range,
        field_max_length=field_max_length,
        status_label=status_label,
        change_label=change_label,
    )
