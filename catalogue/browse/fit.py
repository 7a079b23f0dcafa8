"""The coverage distinction as SQL: which light types reach an area, asked of the pure core.

A device's fit for a body area depends only on which bands it holds, i.e. on its stored
``light_type``; so "reaches the knees" becomes ``light_type IN ('nir', 'combined')``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from catalogue.core import bands as core
from catalogue.prices import Money


def fit_levels(area: core.Area, bands: Sequence[core.Band]) -> dict[str, core.FitLevel]:
    """The fit of each light type for one area, asked of the pure core itself.

    The core decides from which bands a device's emissions fall in, so one wavelength per
    band stands for every device of that light type: knees -> {"nir": "fits", "red": "misses"}.
    """
    by_slug = {b.slug: b.min_nm for b in bands}
    sample = {
        "red": [by_slug["red"]] if "red" in by_slug else [],
        "nir": [by_slug["nir"]] if "nir" in by_slug else [],
        "combined": [by_slug[s] for s in ("red", "nir") if s in by_slug],
        "other": [],
    }
    return {lt: core.fit_for_area(sample[lt], area, bands).level for lt in core.LIGHT_TYPES}


def reaching(areas: Iterable[core.Area], bands: Sequence[core.Band]) -> tuple[str, ...]:
    """Light types that reach any of the areas (fits or partial)."""
    levels = [fit_levels(a, bands) for a in areas]
    return tuple(lt for lt in core.LIGHT_TYPES if any(lv[lt] != "misses" for lv in levels))


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The reference data a query needs: bands and body areas, read once per request."""

    bands: tuple[core.Band, ...]
    areas: tuple[core.Area, ...]
    money: Money = field(default_factory=Money)  # the display currency and the rates

    @property
    def area_by_slug(self) -> dict[str, core.Area]:
        return {a.slug: a for a in self.areas}

    @property
    def area_slugs(self) -> tuple[str, ...]:
        return tuple(a.slug for a in self.areas)

    @property
    def money_key(self) -> tuple[object, ...]:
        """The display currency and every rate, for cache keys: prices shown, and price
        bounds given, in the display currency change meaning when a rate changes."""
        return (self.money.display, *sorted(self.money.usd_value.items()))

    def chosen_areas(self, slugs: Iterable[str]) -> list[core.Area]:
        by_slug = self.area_by_slug
        return [by_slug[s] for s in slugs if s in by_slug]


@dataclass(frozen=True, slots=True)
class AreaFit:
    fit: str
    reason: str


def area_fits(
    wavelengths_nm: Sequence[float], areas: Iterable[core.Area], bands: Sequence[core.Band]
) -> dict[str, AreaFit]:
    """A device's fit for each of ``areas`` by slug: knees -> AreaFit("fits", "850 nm NIR ...")."""
    fits = {}
    for area in areas:
        f = core.fit_for_area(wavelengths_nm, area, bands)
        fits[area.slug] = AreaFit(f.level, f.reason)
    return fits
