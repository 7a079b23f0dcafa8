"""Reading a device file (CSV or JSON) into numbered raw records, within explicit limits.

Nothing here touches the database: the importer validates and writes what these yield.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from typing import Any, Literal, cast

from catalogue.core.inputs import JSONInputError, load_json
from catalogue.imports.devicefile import (
    COLUMNS,
    check_columns,
    parse_areas,
    parse_emissions,
    row_to_input,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# Longer than any field holds (a description is at most 20,000 characters), so a longer cell
# is refused by its row and column before anything else reads it.
MAX_CELL_CHARS = 25_000
Format = Literal["csv", "json"]


class ImportFileError(ValueError):
    """The file as a whole cannot be read (size, encoding, header, row count)."""

    def __init__(self, message: str, column: str = "file") -> None:
        super().__init__(message)
        self.message, self.column = message, column


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise ImportFileError(
            f"the file is {len(raw) / 1024 / 1024:.1f} MB; "
            f"the limit is {MAX_BYTES // 1024 // 1024} MB"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02X} on line {line}); "
            "save it as UTF-8 and import again"
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ImportFileError("the file is empty")
    return text


def _too_many(count: int) -> ImportFileError:
    return ImportFileError(
        f"the file has {count:,} rows; at most {MAX_ROWS:,} can be imported at once, "
        "so split it into smaller files"
    )


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one by one. ``io.StringIO`` would copy the whole file into a
    buffer four bytes a character, which is most of an import's memory."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _long_cells(data: Mapping[str, Any]) -> list[str]:
    return [k for k, v in data.items() if isinstance(v, str) and len(v) > MAX_CELL_CHARS]


def _count_rows(text: str) -> int:
    """Device rows in a CSV text; a row the csv module refuses (a cell over its own limit of
    131,072 characters) still counts, and is reported when the rows are read."""
    reader = csv.reader(_lines(text))
    count = 0
    while True:
        try:
            next(reader)
        except StopIteration:
            return count - 1
        except csv.Error:
            pass
        count += 1


def _csv_records(text: str) -> tuple[int, Iterator[tuple[int, dict[str, Any]]]]:
    rows = csv.DictReader(_lines(text))
    try:
        header = list(rows.fieldnames or [])
    except csv.Error:
        raise ImportFileError("the header row cannot be read as CSV", "header") from None
    if long := [h for h in header if len(h) > 100]:
        raise ImportFileError(f"unknown column(s) {long[0][:40]!r}…", "header")
    errors = check_columns(header)
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        errors["header"] = f"column(s) {', '.join(duplicated)} appear more than once"
    if errors:
        raise ImportFileError(errors["header"], "header")
    # Counting first (cheap: no validation) refuses an oversized file before any work.
    count = _count_rows(text)
    if count > MAX_ROWS:
        raise _too_many(count)
    if count <= 0:
        raise ImportFileError("the file has a header but no device rows")

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        number = 1
        while True:
            number += 1
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error:  # a cell over the csv module's own limit
                yield number, {"__long__": ["row"]}
                continue
            # DictReader files cells beyond the header under the key None.
            extra = cast(dict[Any, Any], row).pop(None, None)
            if long := _long_cells(row):
                yield number, {"__long__": long}
                continue
            data = row_to_input(row)
            if extra:
                data["__extra__"] = extra
            yield number, data

    return count, records()


def json_to_input(item: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON object as the raw mapping ``parse_device`` validates.

    Emissions may be a list of ``{"wavelength_nm", "share_pct"}`` or the CSV spelling
    ``"660:50;850:50"``; areas a list or ``"knees;lower-back"``.
    """
    data = dict(item)
    if isinstance(data.get("emissions"), str):
        data["emissions"] = parse_emissions(data["emissions"])
    if isinstance(data.get("areas"), str):
        data["areas"] = parse_areas(data["areas"])
    if data.get("status") in (None, ""):
        data.pop("status", None)
    return data


def _json_records(text: str) -> tuple[int, Iterator[tuple[int, dict[str, Any]]]]:
    try:
        items = load_json(text)
    except JSONInputError as exc:  # bad JSON, nested too deep, a 5,000-digit number
        raise ImportFileError(str(exc).removeprefix("is ")) from None
    if not isinstance(items, list):
        raise ImportFileError("a JSON import is a list of device objects: [{...}, {...}]")
    if len(items) > MAX_ROWS:
        raise _too_many(len(items))
    if not items:
        raise ImportFileError("the file holds no devices")

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                yield number, {"__not_object__": True}
                continue
            if long := _long_cells(item):
                yield number, {"__long__": long}
                continue
            unknown = [k for k in item if k not in COLUMNS]
            data = json_to_input({k: v for k, v in item.items() if k in COLUMNS})
            if unknown:
                data["__unknown__"] = unknown
            yield number, data

    return len(items), records()


def open_records(text: str, fmt: Format) -> tuple[int, Iterator[tuple[int, dict[str, Any]]]]:
    if fmt == "json":
        return _json_records(text)
    if fmt == "csv":
        return _csv_records(text)
    raise ImportFileError(f"unknown format {fmt!r}; use csv or json")


def guess_format(filename: str | None, text: str) -> Format:
    if filename and filename.lower().endswith(".json"):
        return "json"
    if filename and filename.lower().endswith(".csv"):
        return "csv"
    return "json" if text.lstrip().startswith("[") else "csv"
