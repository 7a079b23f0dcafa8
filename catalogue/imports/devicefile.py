"""The device file format shared by ``seed/devices.csv``, bulk import and export.

One row a device; emissions as ``660:50;850:50`` (wavelength, optional share in percent),
areas as ``knees;lower-back``; pictures one a line as ``file | alt text`` (``parse_images``);
an empty cell is an unknown value. A cell a spreadsheet would run
as a formula (``=``, ``+``, ``-``, ``@``) is written with a leading apostrophe and read back
without it (``core.inputs.formula_safe``), so export -> import changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from catalogue.core.inputs import formula_read, formula_safe
from catalogue.devices.schemas import MEASUREMENTS, FieldErrors

COLUMNS = (
    "sku",
    "slug",
    "name",
    "brand",
    "form_factor",
    "price",
    "currency",
    "emissions",
    "areas",
    *MEASUREMENTS,
    "status",
    "description",
    "images",  # optional: a file without it leaves every device's pictures as they are
)
REQUIRED_COLUMNS = ("sku", "slug", "name", "brand", "form_factor", "price", "currency", "emissions")


# The template file's one example row: a valid device in our own words, to show each cell's
# spelling. ``template_csv`` writes it under the header; importing it as it is passes.
EXAMPLE_ROW: dict[str, str] = {
    "sku": "EXAMPLE-WRAP-01",
    "slug": "example-knee-wrap",
    "name": "Example Knee Wrap",
    "brand": "Example Brand",
    "form_factor": "wrap",
    "price": "149.00",
    "currency": "USD",
    "emissions": "660:40;850:60",
    "areas": "knees;elbows",
    "irradiance_mw_cm2": "35",
    "irradiance_distance_cm": "0",
    "treatment_area_cm2": "300",
    "led_count": "120",
    "session_minutes": "15",
    "recommended_distance_cm": "0",
    "power_w": "24",
    "weight_kg": "0.4",
    "warranty_months": "12",
    "status": "",
    "description": "A soft wrap that closes around the knee or elbow with red (660 nm) and "
    "near-infrared (850 nm) LEDs on its inner side. Irradiance is measured at the fabric.",
}


def template_csv() -> str:
    """The header and the example row: a file to copy and fill in."""
    out = io.StringIO()
    write_csv([EXAMPLE_ROW], out)
    return out.getvalue()


def parse_emissions(cell: str) -> list[dict[str, Any]]:
    """``"660:40; 850:60"`` -> ``[{"wavelength_nm": "660", "share_pct": "40"}, ...]``.

    Values stay strings: the device schema turns them into numbers and names a bad one.
    """
    emissions = []
    for part in cell.split(";"):
        part = part.strip()
        if not part:
            continue
        wavelength, _, share = part.partition(":")
        emissions.append(
            {
                "wavelength_nm": wavelength.strip().removesuffix("nm").strip(),
                "share_pct": share.strip() or None,
            }
        )
    return emissions


def parse_areas(cell: str) -> list[str]:
    """``"knees; lower-back"`` -> ``["knees", "lower-back"]``."""
    return [a.strip() for a in cell.split(";") if a.strip()]


def format_number(value: float) -> str:
    """``850.0`` -> ``"850"``, ``10800.25`` -> ``"10800.25"``: every digit that was stored,
    so an exported file re-imports to the same values (plain ``:g`` keeps only six)."""
    return f"{value:.15g}"


def format_emissions(emissions: Iterable[Mapping[str, Any]]) -> str:
    parts = []
    for e in emissions:
        text = format_number(float(e["wavelength_nm"]))
        if e.get("share_pct") is not None:
            text += f":{format_number(float(e['share_pct']))}"
        parts.append(text)
    return ";".join(parts)


class ImageEntry(NamedTuple):
    """One picture a row names: the file (a path inside the zip), its alt text, and whether
    it is the device's main picture."""

    file: str
    alt_text: str
    main: bool


class ImagesCellError(ValueError):
    """An ``images`` cell that cannot be read; the message says how to write it."""


# How an export names a picture: by its content hash, so an import knows it for one it holds.
PICTURE_FOLDER = "images"
KNOWN_PICTURE = re.compile(r"^(?:.*/)?(?P<hash>[0-9a-f]{32})\.jpg$")


def picture_file(content_hash: str) -> str:
    return f"{PICTURE_FOLDER}/{content_hash}.jpg"


IMAGE_SPELLING = "one picture a line, written 'file | alt text' (a leading * marks the main one)"
MAIN_MARK = "*"


def _image_line(line: str) -> ImageEntry:
    file, bar, alt = line.partition("|")
    file = file.strip()
    main = file.startswith(MAIN_MARK)
    file = file.removeprefix(MAIN_MARK).strip()
    if not bar or not file:
        raise ImagesCellError(f"{line.strip()[:80]!r} is not {IMAGE_SPELLING}")
    return ImageEntry(file, alt.strip(), main)


def _image_item(item: Any) -> ImageEntry:
    if isinstance(item, str):
        return _image_line(item)
    if isinstance(item, Mapping) and isinstance(item.get("file"), str):
        alt, main = item.get("alt_text", ""), item.get("main", False)
        if isinstance(alt, str) and isinstance(main, bool):
            return ImageEntry(item["file"].strip(), alt.strip(), main)
    raise ImagesCellError(
        'each picture is {"file": "...", "alt_text": "...", "main": true or false} '
        "or a 'file | alt text' line"
    )


def parse_images(value: Any) -> list[ImageEntry]:
    """The pictures of a row, in gallery order, exactly one of them the main one.

    In a CSV cell one picture a line: ``images/front.jpg | Front of the panel``; a leading
    ``*`` marks the main picture, else the first is. Alt text cannot hold a line break (it
    is one line of words), so any other character may be in it, ``;`` and ``|`` included.
    JSON may also give a list of ``{"file", "alt_text", "main"}``. Empty: none named (an
    import then leaves the device's pictures as they are).
    """
    if value is None:
        return []
    if isinstance(value, str):
        entries = [_image_line(line) for line in value.splitlines() if line.strip()]
    elif isinstance(value, list):
        entries = [_image_item(item) for item in value]
    else:
        raise ImagesCellError(f"write the pictures as {IMAGE_SPELLING}")
    marked = [e.file for e in entries if e.main]
    if len(marked) > 1:
        raise ImagesCellError(f"only one picture can be the main one; {', '.join(marked)} are")
    if entries and not marked:
        entries[0] = entries[0]._replace(main=True)
    return entries


def format_images(entries: Iterable[ImageEntry]) -> str:
    """The ``images`` cell: one line a picture, ``*`` only where the main one is not first."""
    entries = list(entries)
    lines = []
    for position, entry in enumerate(entries):
        mark = MAIN_MARK if entry.main and position > 0 else ""
        lines.append(f"{mark}{entry.file} | {entry.alt_text}")
    return "\n".join(lines)


def row_to_input(row: Mapping[str, str | None]) -> dict[str, Any]:
    """A CSV row as the raw mapping ``parse_device`` validates."""
    data: dict[str, Any] = {
        k: formula_read((v or "").strip()) for k, v in row.items() if k in COLUMNS
    }
    data["emissions"] = parse_emissions(data.get("emissions", ""))
    data["areas"] = parse_areas(data.get("areas", ""))
    for name in MEASUREMENTS:
        if data.get(name, "") == "":
            data[name] = None
    if not data.get("status"):
        data.pop("status", None)
    return data


def snapshot_to_row(snapshot: Mapping[str, Any]) -> dict[str, str]:
    """A device snapshot (``crud.snapshot``) as a CSV row of strings, safe in a spreadsheet."""
    row: dict[str, str] = {}
    for name in COLUMNS:
        value = snapshot.get(name)
        if name == "emissions":
            row[name] = format_emissions(value or [])
        elif name == "areas":
            row[name] = ";".join(value or [])
        elif name == "images":
            row[name] = formula_safe(format_images(ImageEntry(**e) for e in value or []))
        elif value is None:
            row[name] = ""
        elif isinstance(value, float):
            row[name] = format_number(value)
        else:
            row[name] = formula_safe(str(value))
    return row


def check_columns(header: Iterable[str]) -> FieldErrors:
    header = list(header)
    errors: FieldErrors = {}
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        errors["header"] = (
            f"unknown column(s) {', '.join(map(repr, unknown))}; expected: {', '.join(COLUMNS)}"
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        errors["header"] = (errors.get("header", "") + "; " if errors else "") + (
            f"missing column(s) {', '.join(missing)}"
        )
    return errors


def read_csv(text: str) -> tuple[list[str], Iterator[dict[str, str]]]:
    """The header and the rows of a CSV text (a leading BOM is dropped)."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    return list(reader.fieldnames or []), reader


def write_csv(rows: Iterable[Mapping[str, str]], out: io.TextIOBase | Any) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
