"""Bands, light type, coverage and fit: the coverage distinction as plain functions.

Red (630-660 nm) acts on the surface; near-infrared (800-900 nm) reaches muscle and
joints; a device with both covers both. Band edges are data (``seed/bands.csv``) and
arrive here as ``Band`` values, so nothing in this module hard-codes a wavelength.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

LightType = Literal["red", "nir", "combined", "other"]
Coverage = Literal["surface", "deep", "both", "none"]
Depth = Literal["surface", "deep", "both"]
FitLevel = Literal["fits", "partial", "misses"]

LIGHT_TYPES: tuple[LightType, ...] = ("red", "nir", "combined", "other")
DEPTHS: tuple[Depth, ...] = ("surface", "deep", "both")
FIT_LEVELS: tuple[FitLevel, ...] = ("fits", "partial", "misses")

LIGHT_TYPE_LABELS: dict[str, str] = {
    "red": "Red",
    "nir": "Near-infrared",
    "combined": "Red + near-infrared",
    "other": "Other wavelengths",
}
COVERAGE_LABELS: dict[str, str] = {
    "surface": "Surface (skin)",
    "deep": "Deep (muscle, joints)",
    "both": "Surface + deep",
    "none": "Outside both bands",
}
COVERAGE_FOR_LIGHT_TYPE: dict[str, Coverage] = {
    "red": "surface",
    "nir": "deep",
    "combined": "both",
    "other": "none",
}


@dataclass(frozen=True, slots=True)
class Band:
    """One of the article's bands, e.g. ``Band("red", "Red", 630, 660, "surface")``."""

    slug: str  # "red" or "nir"
    name: str
    min_nm: float
    max_nm: float
    depth: Depth  # what the band reaches: "surface" or "deep"

    def holds(self, wavelength_nm: float) -> bool:
        return self.min_nm <= wavelength_nm <= self.max_nm


@dataclass(frozen=True, slots=True)
class Area:
    """A body area from the fixed vocabulary, e.g. knees: depth "deep", target "the knee joint"."""

    slug: str
    name: str
    depth: Depth
    group: str
    target: str  # the tissue named in fit reasons: "the knee joint", "facial skin"


@dataclass(frozen=True, slots=True)
class Fit:
    level: FitLevel
    reason: str


def band_of(wavelength_nm: float, bands: Iterable[Band]) -> Band | None:
    """The band holding a wavelength, or None when it lies outside every band (590, 940 nm)."""
    for band in bands:
        if band.holds(wavelength_nm):
            return band
    return None


def bands_present(wavelengths_nm: Iterable[float], bands: Sequence[Band]) -> set[str]:
    return {b.slug for w in wavelengths_nm if (b := band_of(w, bands)) is not None}


def outside_bands(wavelengths_nm: Iterable[float], bands: Sequence[Band]) -> list[float]:
    """Emissions the article's bands do not hold, kept and shown but marked."""
    return [w for w in wavelengths_nm if band_of(w, bands) is None]


def light_type(wavelengths_nm: Iterable[float], bands: Sequence[Band]) -> LightType:
    present = bands_present(wavelengths_nm, bands)
    has_red, has_nir = "red" in present, "nir" in present
    if has_red and has_nir:
        return "combined"
    if has_red:
        return "red"
    if has_nir:
        return "nir"
    return "other"


def coverage(wavelengths_nm: Iterable[float], bands: Sequence[Band]) -> Coverage:
    return COVERAGE_FOR_LIGHT_TYPE[light_type(wavelengths_nm, bands)]


def _nm(values: Iterable[float]) -> str:
    """ "660/850 nm" for the reasons shoppers read."""
    return "/".join(f"{w:g}" for w in sorted(values)) + " nm"


def fit_for_area(wavelengths_nm: Sequence[float], area: Area, bands: Sequence[Band]) -> Fit:
    """How well a device's light suits one body area, with a one-line reason.

    ``fits`` when the device's coverage includes the depth the area needs; ``misses`` when
    it cannot reach it; ``partial`` when it reaches, but not with the band the article
    ties to that use (NIR-only for the face, one band only for the whole body).
    """
    red = [w for w in wavelengths_nm if (b := band_of(w, bands)) and b.slug == "red"]
    nir = [w for w in wavelengths_nm if (b := band_of(w, bands)) and b.slug == "nir"]
    if not red and not nir:
        return Fit(
            "misses",
            f"no emission in the red or NIR band: {_nm(wavelengths_nm)} "
            f"is not light the article ties to {area.target}",
        )
    if area.depth == "surface":
        if red:
            return Fit("fits", f"{_nm(red)} red light acts on {area.target}")
        return Fit(
            "partial",
            f"{_nm(nir)} NIR passes through {area.target}; "
            "red light is the band chosen for surface care",
        )
    if area.depth == "deep":
        if nir:
            return Fit("fits", f"{_nm(nir)} NIR reaches {area.target}")
        return Fit(
            "misses",
            f"red light only acts on the surface; it does not reach {area.target}",
        )
    # "both": the area needs the surface and deep tissue at once.
    if red and nir:
        return Fit("fits", f"{_nm(red)} red covers the skin and {_nm(nir)} NIR reaches deeper")
    if red:
        return Fit("partial", f"{_nm(red)} red covers the skin only; no NIR for muscle and joints")
    return Fit("partial", f"{_nm(nir)} NIR reaches deep tissue; no red band for the skin surface")
