"""Geometry of the spectrum chart: where each emission line and band goes in an SVG.

Pure: wavelengths and bands in, coordinates and a text description out. The template
draws them with presentation attributes only (the CSP forbids inline styles).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from catalogue.core.bands import Band, band_of

WIDTH = 560
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 16, 16, 58, 34  # room for band labels above and ticks below
LABEL_GAP = 26  # px two wavelength labels need side by side before one moves up a row
MARKER_SPREAD = 9  # px between the markers of devices that share a wavelength


@dataclass(frozen=True, slots=True)
class Series:
    """One device's emissions: ``Series("Horizon 600", ((660, 50), (850, 50)))``."""

    name: str
    emissions: tuple[tuple[float, float | None], ...]


@dataclass(frozen=True, slots=True)
class BandArea:
    slug: str
    name: str  # "Near-infrared"
    detail: str  # "800–900 nm · deep"
    x: float
    width: float
    label_x: float  # centre of the two label lines, kept inside the chart


@dataclass(frozen=True, slots=True)
class Line:
    x: float  # the true wavelength: lines of devices sharing one coincide
    y: float  # top; lines stand on the axis at ``Chart.axis_y``
    marker_x: float  # the marker on top, moved aside when devices share the wavelength
    wavelength_nm: float
    band: str  # "red", "nir" or "outside"
    series: int


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    plot_top: float
    axis_y: float
    left: float
    right: float
    bands: list[BandArea]
    lines: list[Line]
    labels: list[Label]
    ticks: list[Label]
    description: str  # the chart as one sentence per device, for screen readers


def _domain(wavelengths: Sequence[float], bands: Sequence[Band]) -> tuple[float, float]:
    """The wavelengths shown: the bands plus every emission, rounded out to 50 nm."""
    edges = [b.min_nm for b in bands] + [b.max_nm for b in bands] + list(wavelengths)
    low = min(edges, default=600.0) - 40
    high = max(edges, default=900.0) + 40
    return max(350.0, math.floor(low / 50) * 50), min(1450.0, math.ceil(high / 50) * 50)


def _band_name(wavelength: float, bands: Sequence[Band]) -> str:
    band = band_of(wavelength, bands)
    return f"{band.name.lower()} band" if band else "outside the red and near-infrared bands"


def describe(series: Sequence[Series], bands: Sequence[Band]) -> str:
    """``Horizon 600: 660 nm (red band, 50 %), 850 nm (near-infrared band, 50 %).``"""
    sentences = []
    for s in series:
        parts = []
        for nm, share in s.emissions:
            share_text = f", {share:g} %" if share is not None else ""
            parts.append(f"{nm:g} nm ({_band_name(nm, bands)}{share_text})")
        sentences.append(f"{s.name}: {', '.join(parts) or 'no emissions listed'}.")
    return " ".join(sentences)


def spectrum_chart(
    series: Sequence[Series], bands: Sequence[Band], *, width: int = WIDTH, height: int = HEIGHT
) -> Chart:
    wavelengths = [nm for s in series for nm, _ in s.emissions]
    low, high = _domain(wavelengths, bands)
    left, right = float(LEFT), float(width - RIGHT)
    top, axis = float(TOP), float(height - BOTTOM)

    def x_of(nm: float) -> float:
        return round(left + (nm - low) / (high - low) * (right - left), 1)

    areas = [
        BandArea(
            slug=b.slug,
            name=b.name,
            detail=f"{b.min_nm:g}–{b.max_nm:g} nm · {b.depth}",
            x=x_of(b.min_nm),
            width=round(x_of(b.max_nm) - x_of(b.min_nm), 1),
            label_x=round(
                min(max((x_of(b.min_nm) + x_of(b.max_nm)) / 2, left + 60), right - 60), 1
            ),
        )
        for b in bands
    ]
    sharing: dict[float, list[int]] = {}
    for index, s in enumerate(series):
        for nm in dict.fromkeys(nm for nm, _ in s.emissions):
            sharing.setdefault(nm, []).append(index)
    lines = []
    for index, s in enumerate(series):
        shares = [share for _, share in s.emissions if share]
        biggest = max(shares, default=0.0)
        for nm, share in s.emissions:
            # A known share sets the line's height against the device's biggest share.
            fraction = max(0.25, share / biggest) if share and biggest else 1.0
            band = band_of(nm, bands)
            together = sharing[nm]
            shift = (together.index(index) - (len(together) - 1) / 2) * MARKER_SPREAD
            lines.append(
                Line(
                    x=x_of(nm),
                    y=round(axis - fraction * (axis - top - 14), 1),
                    marker_x=round(x_of(nm) + shift, 1),
                    wavelength_nm=nm,
                    band=band.slug if band else "outside",
                    series=index,
                )
            )
    labels: list[Label] = []
    row_end = [-math.inf, -math.inf]
    for nm in sorted(set(wavelengths)):
        x = x_of(nm)
        row = 0 if x - row_end[0] >= LABEL_GAP else 1
        row_end[row] = x
        labels.append(Label(x=x, y=top + 10 - row * 13, text=f"{nm:g}"))
    step = 50 if high - low <= 500 else 100
    first = math.ceil(low / step) * step
    ticks = [
        Label(x=x_of(nm), y=axis + 16, text=f"{nm:g}")
        for nm in range(int(first), int(high) + 1, step)
    ]
    return Chart(
        width=width,
        height=height,
        plot_top=top,
        axis_y=axis,
        left=left,
        right=right,
        bands=areas,
        lines=lines,
        labels=labels,
        ticks=ticks,
        description=describe(series, bands),
    )
