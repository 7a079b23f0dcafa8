"""The spectrum chart's geometry: pure, so checked without a browser."""

from __future__ import annotations

import pytest

from catalogue.core.bands import Band
from catalogue.web.svg import Series, describe, spectrum_chart

BANDS = (Band("red", "Red", 630, 660, "surface"), Band("nir", "Near-infrared", 800, 900, "deep"))


def chart_of(*emissions: tuple[float, float | None]):
    return spectrum_chart([Series("Panel", tuple(emissions))], BANDS)


@pytest.mark.parametrize(
    ("emissions", "low", "high"),
    [
        ([(660, None), (850, None)], 550, 950),
        ([(1064, None)], 550, 1150),
        ([(415, None), (850, None)], 350, 950),
        ([(590, None)], 550, 950),
    ],
)
def test_the_axis_holds_both_bands_and_every_emission(emissions, low, high) -> None:
    chart = chart_of(*emissions)
    ticks = [float(t.text) for t in chart.ticks]
    assert ticks[0] >= low and ticks[-1] <= high
    for line in chart.lines:
        assert chart.left <= line.x <= chart.right
        assert chart.plot_top <= line.y < chart.axis_y


def test_lines_sit_at_their_wavelength_in_their_band() -> None:
    chart = chart_of((630, None), (660, None), (850, None), (940, None))
    xs = [line.x for line in chart.lines]
    assert xs == sorted(xs)
    assert [line.band for line in chart.lines] == ["red", "red", "nir", "outside"]
    red, nir = chart.bands
    assert red.x <= xs[0] and xs[1] <= red.x + red.width
    assert nir.x <= xs[2] <= nir.x + nir.width
    assert xs[3] > nir.x + nir.width
    assert (red.name, red.detail) == ("Red", "630–660 nm · surface")
    assert (nir.name, nir.detail) == ("Near-infrared", "800–900 nm · deep")


def test_a_known_share_sets_the_height() -> None:
    chart = chart_of((660, 20), (850, 80))
    small, big = chart.lines
    assert big.y < small.y  # taller line, smaller y
    even = chart_of((660, None), (850, None))
    assert even.lines[0].y == even.lines[1].y == big.y


def test_overlaid_lines_stand_at_their_true_wavelength_and_shared_markers_move_aside() -> None:
    chart = spectrum_chart(
        [Series("A", ((660, None), (850, None))), Series("B", ((660, None), (830, None)))], BANDS
    )
    at_660 = [line for line in chart.lines if line.wavelength_nm == 660]
    assert len({line.x for line in at_660}) == 1  # both lines on 660 nm exactly
    assert len({line.marker_x for line in at_660}) == 2  # their markers side by side
    assert {line.series for line in at_660} == {0, 1}
    alone = [line for line in chart.lines if line.wavelength_nm in (830, 850)]
    assert all(line.marker_x == line.x for line in alone)
    single = chart_of((660, None), (850, None))
    assert all(line.marker_x == line.x for line in single.lines)
    # One label per wavelength, not per device.
    assert [label.text for label in chart.labels] == ["660", "830", "850"]


def test_close_labels_take_turns_in_two_rows() -> None:
    chart = chart_of((830, None), (840, None), (850, None))
    rows = [label.y for label in chart.labels]
    assert rows[0] != rows[1] and rows[0] == rows[2]


def test_the_chart_reads_as_text() -> None:
    text = describe([Series("Horizon", ((660, 50), (850, 50), (940, None)))], BANDS)
    assert text == (
        "Horizon: 660 nm (red band, 50 %), 850 nm (near-infrared band, 50 %), "
        "940 nm (outside the red and near-infrared bands)."
    )
