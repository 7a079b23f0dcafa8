"""Untrusted text read the same way everywhere: whole numbers, JSON, control characters, and
spreadsheet formulas in the CSV files we write and read back.

Pure: the web edge, the shopper's filter, the QA filters, the importer and the CLI share these,
so a ``²`` or a 5,000-digit number gets the same answer wherever it is typed.
"""

from __future__ import annotations

import json
import re
from typing import Any

# The largest id a PostgreSQL ``integer`` column holds; anything above names no row.
MAX_ID = 2_147_483_647
# "2147483647" is 10 digits; a few leading zeros are tolerated, thousands are not.
MAX_DIGITS = 18
# Longest number accepted in a JSON file or body (digits, sign, point and exponent).
MAX_JSON_NUMBER_CHARS = 40
# A device file item is a list of objects holding lists of objects: 4 levels; room to spare.
MAX_JSON_DEPTH = 8

# C0 controls and DEL. Tab, line feed and carriage return are allowed where text has lines
# (a description); nowhere else.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_LAYOUT = re.compile(r"[\x00-\x1f\x7f]")


def control_character(text: str, *, lines: bool = True) -> str | None:
    """The first control character in ``text`` as ``U+0000``, or None when there is none;
    ``lines=False`` counts tab, line feed and carriage return too."""
    found = (_CONTROL if lines else _CONTROL_OR_LAYOUT).search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def whole_number(text: str, *, low: int = 0, high: int = MAX_ID) -> int:
    """``" 42 "`` -> 42. Only ASCII digits (no sign, no ``²``, no ``٤``), at most
    ``MAX_DIGITS`` of them, between ``low`` and ``high``; else a ``ValueError`` that says so."""
    text = text.strip()
    if not (0 < len(text) <= MAX_DIGITS and text.isascii() and text.isdigit()):
        raise ValueError(f"accepts a whole number from {low} to {high}")
    value = int(text)
    if not low <= value <= high:
        raise ValueError(f"accepts a whole number from {low} to {high}")
    return value


def whole_number_or(text: Any, default: int, *, low: int = 0, high: int = MAX_ID) -> int:
    """``whole_number``, or ``default`` for anything that is not one (a stale or forged form)."""
    try:
        return whole_number(str(text), low=low, high=high)
    except ValueError:
        return default


class JSONInputError(ValueError):
    """JSON we will not read, with the reason in our words."""


def _number(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        if len(text) > MAX_JSON_NUMBER_CHARS:
            raise JSONInputError(
                f"holds a number {len(text):,} characters long; "
                f"at most {MAX_JSON_NUMBER_CHARS} are accepted"
            )
        return kind(text)

    return parse


def _constant(name: str) -> Any:
    raise JSONInputError(f"holds {name}, which is not a JSON number")


def _too_deep(value: Any, depth: int) -> bool:
    if depth > MAX_JSON_DEPTH:
        return True
    if isinstance(value, dict):
        return any(_too_deep(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_too_deep(v, depth + 1) for v in value)
    return False


def load_json(text: str) -> Any:
    """``json.loads`` with limits: numbers of at most ``MAX_JSON_NUMBER_CHARS`` characters,
    no NaN or Infinity, at most ``MAX_JSON_DEPTH`` levels of nesting."""
    try:
        value = json.loads(
            text,
            parse_int=_number(int),
            parse_float=_number(float),
            parse_constant=_constant,
        )
    except json.JSONDecodeError as exc:
        raise JSONInputError(
            f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:  # "[[[[..." thousands deep
        raise JSONInputError(f"is nested too deeply (at most {MAX_JSON_DEPTH} levels)") from None
    if _too_deep(value, 1):
        raise JSONInputError(f"is nested too deeply (at most {MAX_JSON_DEPTH} levels)")
    return value


def json_control_character(value: Any) -> str | None:
    """The first control character in any string (key or value) of parsed JSON, or None."""
    if isinstance(value, str):
        return control_character(value)
    if isinstance(value, dict):
        items: Any = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        if found := json_control_character(item):
            return found
    return None


# --- CSV cells and spreadsheets ---------------------------------------------------------

# A cell starting with one of these runs as a formula when the file is opened in a
# spreadsheet, and words in our files are typed by people: such cells get a leading
# apostrophe, which spreadsheets show as text and our importer takes off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: str) -> str:
    """``"=HYPERLINK(...)"`` -> ``"'=HYPERLINK(...)"``. A value that already starts with
    apostrophes before such a character gets one more, so ``formula_read`` undoes exactly this."""
    return "'" + value if value.lstrip("'").startswith(FORMULA_START) else value


def formula_read(cell: str) -> str:
    """The inverse of ``formula_safe``: ``"'=SUM(A1)"`` -> ``"=SUM(A1)"``; ``"'tis"`` stays."""
    if cell.startswith("'") and cell[1:].lstrip("'").startswith(FORMULA_START):
        return cell[1:]
    return cell


def formula_safe_row(row: list[Any]) -> list[Any]:
    return [formula_safe(v) if isinstance(v, str) else v for v in row]
