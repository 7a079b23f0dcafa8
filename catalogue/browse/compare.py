"""Two to four published devices side by side: every field as a row, the best value marked
where better is clear, and a body-area fit matrix."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from sqlalchemy.orm import Session

from catalogue.browse.detail import DeviceDetail, by_slugs, details
from catalogue.browse.filter import ArgumentError
from catalogue.browse.fit import AreaFit, Catalogue
from catalogue.browse.labels import AREA_GROUP_LABELS
from catalogue.devices.fields import FIELDS
from catalogue.devices.schemas import SLUG_RE

COMPARE_MIN = 2
COMPARE_MAX = 4


def parse_compare_ids(values: Sequence[str]) -> tuple[list[str], list[ArgumentError]]:
    """``["a,b", "c"]`` -> ``["a", "b", "c"]``; the ids come as one list or repeated."""
    slugs = [s.strip() for v in values for s in v.split(",") if s.strip()]
    errors = [
        ArgumentError("ids", f"{s[:60]!r} is not a device slug (lowercase letters, digits, -)")
        for s in slugs
        if not SLUG_RE.match(s)
    ]
    twice = sorted({s for s in slugs if slugs.count(s) > 1})
    if twice:
        errors.append(ArgumentError("ids", f"{', '.join(twice)} listed more than once"))
    if not COMPARE_MIN <= len(dict.fromkeys(slugs)) <= COMPARE_MAX:
        errors.append(
            ArgumentError(
                "ids",
                f"compare takes {COMPARE_MIN} to {COMPARE_MAX} different devices, "
                f"got {len(dict.fromkeys(slugs))}",
            )
        )
    return slugs, errors


class UnknownDevices(LookupError):
    def __init__(self, slugs: list[str]) -> None:
        super().__init__(f"no published device with slug {', '.join(slugs)}")
        self.slugs = slugs


@dataclass(frozen=True, slots=True)
class CompareRow:
    """One field across the devices; ``best`` holds the indices of the best values."""

    key: str
    label: str
    kind: str  # how a page shows a value: money, number, text, light_type, coverage, ...
    unit: str
    values: list[Any]
    better: str | None  # "lower", "higher", or None when better is a matter of taste
    best: list[int]
    equal: bool


@dataclass(frozen=True, slots=True)
class FitRow:
    area: str
    name: str
    group: str
    cells: list[AreaFit]
    equal: bool


@dataclass(frozen=True, slots=True)
class Comparison:
    devices: list[DeviceDetail]
    rows: list[CompareRow]
    fit: list[FitRow]
    same_currency: bool  # listed in one currency (else the display prices are conversions)


def _stored(
    key: str, kind: str, better: str | None = None
) -> tuple[str, str, str, str, str | None]:
    """A row for a stored field: its shop label and unit from the one table of field facts."""
    facts = FIELDS[key]
    return (key, facts.shop_label or facts.label, kind, facts.unit, better)


# (key, label, kind, unit, which is better). Rows of stored fields take label and unit from
# ``devices/fields.py``; derived rows (display price, dose, reach) say their own.
ROWS: tuple[tuple[str, str, str, str, str | None], ...] = (
    # Ranked in the display currency; the listed price (and its currency) beside it.
    ("display_price", "Price", "display_money", "", "lower"),
    ("price", "Listed price", "money", "", None),
    ("price_per_cm2", "Price per cm² treated", "display_money", "/cm²", "lower"),
    _stored("brand", "text"),
    _stored("form_factor", "text"),
    ("light_type", "Light type", "light_type", "", None),
    ("coverage", "Reaches", "coverage", "", None),
    ("emissions", "Wavelengths", "emissions", "", None),
    _stored("areas", "areas"),
    _stored("irradiance_mw_cm2", "number", "higher"),
    _stored("irradiance_distance_cm", "number"),
    _stored("treatment_area_cm2", "number"),
    _stored("led_count", "number"),
    _stored("session_minutes", "number"),
    ("dose_j_cm2", "Dose per session", "number", "J/cm²", None),
    _stored("recommended_distance_cm", "number"),
    _stored("power_w", "number"),
    _stored("weight_kg", "number"),
    _stored("warranty_months", "number", "higher"),
    _stored("sku", "text"),
)
# Fields a row shows otherwise than they are stored.
SHOWN: dict[str, Callable[[DeviceDetail], Any]] = {
    "form_factor": lambda d: d.form_factor.capitalize(),
}


def best_of(values: Sequence[Any], better: str | None) -> list[int]:
    """Indices of the best known values; none when fewer than two are known or all tie."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if better is None or len(known) < 2 or len({v for _, v in known}) == 1:
        return []
    target = (min if better == "lower" else max)(v for _, v in known)
    return [i for i, v in known if v == target]


def compare_devices(session: Session, *, slugs: Sequence[str], cat: Catalogue) -> Comparison:
    """The devices in the order asked for. Raises ``UnknownDevices`` naming what is missing."""
    found = by_slugs(session, slugs)
    missing = [s for s in slugs if s not in found]
    if missing:
        raise UnknownDevices(missing)
    devices = details(session, devices=[found[s] for s in slugs], cat=cat)
    same_currency = len({d.currency for d in devices}) == 1
    rows = []
    for key, label, kind, unit, better in ROWS:
        value = SHOWN.get(key, attrgetter(key))
        values = [value(d) for d in devices]
        ranked = better
        rows.append(
            CompareRow(
                key=key,
                label=label,
                kind=kind,
                unit=unit,
                values=values,
                better=ranked,
                best=best_of(values, ranked),
                equal=all(v == values[0] for v in values),
            )
        )
    fit = []
    for area in cat.areas:
        cells = [d.fit[area.slug] for d in devices]
        fit.append(
            FitRow(
                area=area.slug,
                name=area.name,
                group=AREA_GROUP_LABELS.get(area.group, area.group),
                cells=cells,
                equal=all(c.fit == cells[0].fit for c in cells),
            )
        )
    return Comparison(devices=devices, rows=rows, fit=fit, same_currency=same_currency)
