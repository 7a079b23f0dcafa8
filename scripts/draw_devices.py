"""Draw the device illustrations, once; the files they make are committed.

* ``catalogue/static/placeholders/<form factor>.svg``: a quiet grey drawing shown for a device
  without pictures.
* ``seed/images/<slug>.webp`` for every device in ``seed/devices.csv``, with the LEDs in the
  colours of its wavelengths (red for 630-660 nm; near-infrared as dark diodes with a faint
  outline, since NIR is invisible), and ``seed/images/index.csv`` (slug, file, alt text) that
  the seed loader reads. The seed loader sends them through the same pipeline as uploads.

Both come from one description of each form factor: shapes and LED positions on a 480 × 360
canvas. Run: ``.venv/bin/python scripts/draw_devices.py``
"""

from __future__ import annotations

import csv
import math
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.imports.devicefile import parse_emissions, read_csv  # noqa: E402

W, H = 480, 360
SCALE = 2  # the PNG is drawn at twice the size and scaled down: smooth edges


@dataclass(frozen=True)
class Shape:
    kind: str  # rect, ellipse, poly
    role: str  # body, trim, hole
    coords: tuple[float, ...]
    radius: float = 0


@dataclass(frozen=True)
class Drawing:
    shapes: tuple[Shape, ...]
    leds: tuple[tuple[float, float, float], ...]  # (x, y, radius)


def _grid(
    x0: float, y0: float, x1: float, y1: float, cols: int, rows: int, r: float
) -> Iterator[tuple[float, float, float]]:
    for j in range(rows):
        for i in range(cols):
            x = x0 + (x1 - x0) * (i + 0.5) / cols
            y = y0 + (y1 - y0) * (j + 0.5) / rows
            yield (x, y, r)


def _inside_ellipse(cx: float, cy: float, rx: float, ry: float) -> Callable[[float, float], bool]:
    return lambda x, y: ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1


def panel() -> Drawing:
    shapes = (
        Shape("rect", "trim", (212, 318, 268, 340), 4),
        Shape("rect", "trim", (150, 332, 330, 344), 6),
        Shape("rect", "body", (150, 20, 330, 322), 16),
    )
    return Drawing(shapes, tuple(_grid(166, 38, 314, 304, 6, 11, 8)))


def handheld() -> Drawing:
    shapes = (
        Shape("rect", "body", (212, 190, 268, 338), 24),
        Shape("rect", "trim", (222, 236, 258, 252), 6),
        Shape("ellipse", "body", (150, 30, 330, 210)),
        Shape("ellipse", "trim", (166, 46, 314, 194)),
    )
    inside = _inside_ellipse(240, 120, 64, 64)
    leds = tuple(p for p in _grid(166, 46, 314, 194, 6, 6, 9) if inside(p[0], p[1]))
    return Drawing(shapes, leds)


def wrap() -> Drawing:
    shapes = (
        Shape("rect", "trim", (20, 150, 80, 210), 10),
        Shape("rect", "trim", (400, 150, 460, 210), 10),
        Shape("rect", "body", (60, 110, 420, 250), 50),
    )
    return Drawing(shapes, tuple(_grid(90, 126, 390, 234, 10, 3, 8)))


def pad() -> Drawing:
    shapes = (
        Shape("rect", "trim", (410, 170, 466, 182), 4),
        Shape("rect", "body", (50, 70, 420, 290), 30),
    )
    return Drawing(shapes, tuple(_grid(76, 94, 394, 266, 9, 5, 8)))


def mask() -> Drawing:
    face = (120, 20, 360, 340)
    eyes = ((160, 128, 226, 160), (254, 128, 320, 160))
    shapes = (
        Shape("rect", "trim", (96, 160, 126, 182), 6),
        Shape("rect", "trim", (354, 160, 384, 182), 6),
        Shape("ellipse", "body", face),
        *(Shape("ellipse", "hole", e) for e in eyes),
        Shape("rect", "hole", (210, 262, 270, 276), 7),
    )
    inside = _inside_ellipse(240, 180, 104, 144)

    def clear(x: float, y: float) -> bool:
        near_eye = any(e[0] - 10 < x < e[2] + 10 and e[1] - 12 < y < e[3] + 12 for e in eyes)
        near_mouth = 196 < x < 284 and 250 < y < 290
        return inside(x, y) and not near_eye and not near_mouth

    return Drawing(shapes, tuple(p for p in _grid(130, 30, 350, 330, 8, 11, 7) if clear(*p[:2])))


def cap() -> Drawing:
    points = [(240 + 170 * math.cos(a), 250 - 190 * math.sin(a)) for a in _angles(0, math.pi, 40)]
    shapes = (
        Shape("rect", "trim", (50, 244, 430, 276), 14),
        Shape("poly", "body", tuple(c for p in points for c in p)),
    )
    leds = []
    for ring, (rx, ry, count) in enumerate(((140, 160, 11), (100, 118, 8), (58, 74, 5))):
        for k in range(count):
            a = math.pi * (k + 0.5) / count
            leds.append((240 + rx * math.cos(a), 244 - ry * math.sin(a), 8 - ring))
    return Drawing(shapes, tuple(leds))


def mat() -> Drawing:
    shapes = (
        Shape("poly", "trim", (30, 262, 450, 262, 450, 276, 30, 276)),
        Shape("poly", "body", (30, 262, 450, 262, 390, 110, 90, 110)),
    )
    leds = []
    rows = 5
    for j in range(rows):
        t = (j + 0.5) / rows
        y = 110 + (262 - 110) * t
        left, right = 90 - 60 * t, 390 + 60 * t
        cols = 11
        for i in range(cols):
            x = left + 22 + (right - left - 44) * i / (cols - 1)
            leds.append((x, y, 5 + 3 * t))
    return Drawing(shapes, tuple(leds))


def bulb() -> Drawing:
    shapes = (
        Shape("rect", "trim", (204, 282, 276, 300), 4),
        Shape("rect", "trim", (208, 302, 272, 318), 4),
        Shape("rect", "trim", (220, 320, 260, 338), 8),
        Shape("poly", "body", (190, 220, 290, 220, 276, 284, 204, 284)),
        Shape("ellipse", "body", (130, 20, 350, 240)),
        Shape("ellipse", "trim", (150, 40, 330, 220)),
    )
    inside = _inside_ellipse(240, 130, 80, 80)
    leds = tuple(p for p in _grid(150, 40, 330, 220, 6, 6, 9) if inside(p[0], p[1]))
    return Drawing(shapes, leds)


def _angles(start: float, stop: float, n: int) -> list[float]:
    return [start + (stop - start) * i / n for i in range(n + 1)]


DRAWINGS: dict[str, Callable[[], Drawing]] = {
    "panel": panel,
    "handheld": handheld,
    "wrap": wrap,
    "pad": pad,
    "mask": mask,
    "cap": cap,
    "mat": mat,
    "bulb": bulb,
}

# --- Colours -------------------------------------------------------------------------------

BACKGROUND = (244, 242, 237)
BODY = {"wrap": (52, 66, 82), "pad": (52, 66, 82), "mat": (58, 64, 70), "mask": (232, 234, 236)}
DEFAULT_BODY = (47, 52, 56)
NIR_FILL, NIR_RING = (30, 32, 35), (120, 126, 132)


def led_colour(nm: float) -> tuple[int, int, int] | None:
    """The visible colour of a wavelength; None for near-infrared (drawn dark)."""
    if nm < 495:
        return (70, 130, 255)  # blue
    if nm < 570:
        return (60, 200, 90)  # green
    if nm < 600:
        return (255, 176, 32)  # amber
    if nm < 645:
        return (255, 64, 44)  # 630 nm, an orange-leaning red
    if nm < 700:
        return (222, 24, 30)  # 660 nm, a deep red
    if nm < 760:
        return (140, 10, 16)  # far red, barely visible
    return None


def led_sequence(cell: str) -> list[float]:
    """Wavelengths repeated by share, so ``660:25;850:75`` lights one LED in four red."""
    emissions = parse_emissions(cell)
    seq: list[float] = []
    for e in emissions:
        share = float(e["share_pct"]) if e["share_pct"] else 100 / len(emissions)
        seq += [float(e["wavelength_nm"])] * max(1, round(share / 10))
    return _spread(seq)


def _spread(seq: list[float]) -> list[float]:
    """Interleave the wavelengths so each colour is spread over the face, not bunched."""
    groups: dict[float, int] = {}
    for nm in seq:
        groups[nm] = groups.get(nm, 0) + 1
    total = len(seq)
    slots = sorted(((i + 0.5) / n, nm) for nm, n in groups.items() for i in range(n))
    return [nm for _, nm in slots] if total else [850.0]


def _lighten(rgb: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    r, g, b = rgb
    return (
        round(r + (255 - r) * amount),
        round(g + (255 - g) * amount),
        round(b + (255 - b) * amount),
    )


def _darken(rgb: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    return (
        round(rgb[0] * (1 - amount)),
        round(rgb[1] * (1 - amount)),
        round(rgb[2] * (1 - amount)),
    )


def _s(values: tuple[float, ...]) -> list[float]:
    return [v * SCALE for v in values]


def draw_png(form_factor: str, wavelengths: list[float]) -> Image.Image:
    drawing = DRAWINGS[form_factor]()
    body = BODY.get(form_factor, DEFAULT_BODY)
    fills = {"body": body, "trim": _darken(body, 0.35) if body[0] > 128 else _lighten(body, 0.18)}
    fills["hole"] = BACKGROUND
    image = Image.new("RGB", (W * SCALE, H * SCALE), BACKGROUND)
    pen = ImageDraw.Draw(image)
    for shape in drawing.shapes:
        _draw_shape(pen, shape, fills[shape.role])
    glow = Image.new("RGB", image.size, (0, 0, 0))
    glow_pen = ImageDraw.Draw(glow)
    seq = wavelengths or [850.0]
    for k, (x, y, r) in enumerate(drawing.leds):
        colour = led_colour(seq[k % len(seq)])
        box = _s((x - r, y - r, x + r, y + r))
        if colour is None:
            pen.ellipse(box, fill=NIR_FILL, outline=NIR_RING, width=SCALE)
        else:
            pen.ellipse(box, fill=_lighten(colour, 0.35), outline=colour, width=2 * SCALE)
            halo = _s((x - 2.2 * r, y - 2.2 * r, x + 2.2 * r, y + 2.2 * r))
            glow_pen.ellipse(halo, fill=_darken(colour, 0.55))
    glow = glow.filter(ImageFilter.GaussianBlur(6 * SCALE))
    # Light adds up: the halo brightens what lies under it, the diode included.
    image = ImageChops.add(image, glow)
    return image.resize((W, H), Image.Resampling.LANCZOS)


def _draw_shape(pen: ImageDraw.ImageDraw, shape: Shape, fill: tuple[int, int, int]) -> None:
    if shape.kind == "rect":
        pen.rounded_rectangle(_s(shape.coords), radius=shape.radius * SCALE, fill=fill)
    elif shape.kind == "ellipse":
        pen.ellipse(_s(shape.coords), fill=fill)
    else:
        points = _s(shape.coords)
        pen.polygon(list(zip(points[::2], points[1::2], strict=True)), fill=fill)


def draw_svg(form_factor: str) -> str:
    drawing = DRAWINGS[form_factor]()
    fills = {"body": "#dfe3e6", "trim": "#c9cfd4", "hole": "#f4f5f3"}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}"'
        ' role="img" aria-hidden="true">',
        f'<rect width="{W}" height="{H}" fill="#f4f5f3"/>',
    ]
    for shape in drawing.shapes:
        fill = fills[shape.role]
        c = [round(v, 1) for v in shape.coords]
        if shape.kind == "rect":
            parts.append(
                f'<rect x="{c[0]}" y="{c[1]}" width="{c[2] - c[0]}" height="{c[3] - c[1]}"'
                f' rx="{shape.radius}" fill="{fill}"/>'
            )
        elif shape.kind == "ellipse":
            parts.append(
                f'<ellipse cx="{(c[0] + c[2]) / 2}" cy="{(c[1] + c[3]) / 2}"'
                f' rx="{(c[2] - c[0]) / 2}" ry="{(c[3] - c[1]) / 2}" fill="{fill}"/>'
            )
        else:
            points = " ".join(f"{x},{y}" for x, y in zip(c[::2], c[1::2], strict=True))
            parts.append(f'<polygon points="{points}" fill="{fill}"/>')
    parts.append('<g fill="#eef0f2" stroke="#b9c0c6" stroke-width="1.5">')
    parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>' for x, y, r in drawing.leds]
    parts.append("</g></svg>\n")
    return "".join(parts)


def alt_text(name: str, form_factor: str, wavelengths: list[float]) -> str:
    """Plain words about the drawing: the claim checker reads alt text, so no band names, and
    the diodes come before the name, whose wavelengths ("Duo Bulb 660/850") would otherwise
    stand next to "glowing" as near-infrared said to glow."""
    kinds = []
    if any(led_colour(nm) is not None for nm in wavelengths):
        kinds.append("glowing")
    if any(led_colour(nm) is None for nm in wavelengths):
        kinds.append("dark")
    return f"A {form_factor} with {' and '.join(kinds)} diodes: drawing of the {name}"


def main() -> None:
    placeholders = ROOT / "catalogue" / "static" / "placeholders"
    placeholders.mkdir(parents=True, exist_ok=True)
    for form_factor in DRAWINGS:
        (placeholders / f"{form_factor}.svg").write_text(draw_svg(form_factor), encoding="utf-8")
    out = ROOT / "seed" / "images"
    out.mkdir(parents=True, exist_ok=True)
    _header, rows = read_csv((ROOT / "seed" / "devices.csv").read_text(encoding="utf-8"))
    index = []
    total = 0
    for row in rows:
        wavelengths = [float(e["wavelength_nm"]) for e in parse_emissions(row["emissions"])]
        image = draw_png(row["form_factor"], led_sequence(row["emissions"]))
        path = out / f"{row['slug']}.webp"
        image.save(path, "WEBP", quality=88, method=6)
        total += path.stat().st_size
        index.append(
            {
                "slug": row["slug"],
                "file": path.name,
                "alt_text": alt_text(row["name"], row["form_factor"], wavelengths),
            }
        )
    with (out / "index.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["slug", "file", "alt_text"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(index)
    print(f"{len(DRAWINGS)} placeholders, {len(index)} seed images, {total / 1024:.0f} KB")


if __name__ == "__main__":
    main()
