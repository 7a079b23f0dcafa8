"""One listing checked outside the catalogue: the API's body and the CLI's JSON lines.

Both take the same three fields and validate them the same way, so a problem reads the same
whether it came back as a 400 or as an ``{"id", "error"}`` line::

    {"description": "Soothes sore knees.", "wavelengths_nm": [660, 850], "areas": ["knees"]}

Rules and bands come from the database (the app, ``catalogue check-claims`` on a seeded
database) or straight from ``seed/`` when there is no seeded database to read.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalogue.claims.audit import AuditContext
from catalogue.core.bands import DEPTHS, Area, Band
from catalogue.core.claims.check import ClaimFinding, check_listing, read_rules
from catalogue.core.inputs import JSONInputError, load_json
from catalogue.devices.schemas import MAX_DESCRIPTION_CHARS, MAX_NM, MIN_NM

# A listing's description is at most 20,000 characters (``DeviceInput``); a body holding
# one, its emissions and its areas fits well inside 64 KB, so anything larger is refused
# before it is parsed.
MAX_BODY_BYTES = 64 * 1024
MAX_EMISSIONS = 100

Problem = dict[str, str]


class CheckInputError(ValueError):
    """A body or line that cannot be checked; one ``{"key", "message"}`` per bad field."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p['key']}: {p['message']}" for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class CheckRequest:
    description: str
    wavelengths_nm: tuple[float, ...]
    areas: tuple[str, ...]


def _is_number(value: object) -> bool:
    # JSON true/false arrive as bool, which Python counts as int: not a wavelength.
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_check_request(data: object, *, known_areas: Collection[str]) -> CheckRequest:
    """The request when every field is good; ``CheckInputError`` naming each bad one."""
    if not isinstance(data, Mapping):
        raise CheckInputError(
            [{"key": "body", "message": f"must be a JSON object, not {_json_type(data)}"}]
        )
    checks: dict[str, Callable[[Any], str | None]] = {
        "description": _description_problem,
        "wavelengths_nm": _wavelength_problem,
        "areas": lambda value: _area_problem(value, known_areas),
    }
    problems: list[Problem] = []
    for key, problem_of in checks.items():
        problem = "is required" if key not in data else problem_of(data[key])
        if problem:
            problems.append({"key": key, "message": problem})
    if problems:
        raise CheckInputError(problems)
    return CheckRequest(
        data["description"],
        tuple(float(w) for w in data["wavelengths_nm"]),
        tuple(data["areas"]),
    )


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, Mapping) else type(value).__name__


def _description_problem(description: Any) -> str | None:
    if not isinstance(description, str):
        return f"must be a string, not {_json_type(description)}"
    if len(description) > MAX_DESCRIPTION_CHARS:
        return f"is {len(description):,} characters long; the limit is {MAX_DESCRIPTION_CHARS:,}"
    return None


def _wavelength_problem(waves: Any) -> str | None:
    if not isinstance(waves, list):
        return f"must be an array of wavelengths in nm, not {_json_type(waves)}"
    if len(waves) > MAX_EMISSIONS:
        return f"holds {len(waves)} wavelengths; a device has at most {MAX_EMISSIONS}"
    for i, w in enumerate(waves):
        if not _is_number(w) or not math.isfinite(w):
            return f"item {i} must be a number of nm, not {_json_type(w)}"
        if not MIN_NM <= w <= MAX_NM:
            return f"item {i} is {w:g} nm; a wavelength must be between {MIN_NM} and {MAX_NM} nm"
    return None


def _area_problem(areas: Any, known_areas: Collection[str]) -> str | None:
    if not isinstance(areas, list):
        return f"must be an array of body-area slugs, not {_json_type(areas)}"
    if not all(isinstance(a, str) for a in areas):
        return "must hold body-area slugs (strings) only"
    unknown = sorted({a for a in areas if a not in known_areas})
    if unknown:
        return (
            f"holds an unknown body area: {', '.join(unknown)} "
            f"(the areas are {', '.join(known_areas)})"
        )
    return None


def check(request: CheckRequest, context: AuditContext) -> list[ClaimFinding]:
    return check_listing(
        request.description,
        request.wavelengths_nm,
        context.areas_for(request.areas),
        context.rules,
        context.bands,
    )


def _depth(value: str, where: str) -> Any:
    if value not in DEPTHS:
        raise ValueError(f"{where}: depth {value!r} is not one of {', '.join(DEPTHS)}")
    return value


def context_from_seed(seed_dir: Path) -> AuditContext:
    """Rules, bands and areas read from ``seed/`` files, for when no seeded database exists."""
    with (seed_dir / "bands.csv").open(encoding="utf-8-sig", newline="") as fh:
        bands = tuple(
            Band(
                r["slug"],
                r["name"],
                float(r["min_nm"]),
                float(r["max_nm"]),
                _depth(r["depth"], "bands.csv"),
            )
            for r in csv.DictReader(fh)
        )
    with (seed_dir / "areas.csv").open(encoding="utf-8-sig", newline="") as fh:
        areas = {
            r["slug"]: Area(
                r["slug"], r["name"], _depth(r["depth"], "areas.csv"), r["group"], r["target"]
            )
            for r in csv.DictReader(fh)
        }
    return AuditContext(rules=read_rules(seed_dir / "rules.json"), bands=bands, areas=areas)


def parse_json(raw: bytes) -> Any:
    """JSON from bytes; ``CheckInputError`` on bad UTF-8 or bad JSON, saying where."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CheckInputError(
            [{"key": "body", "message": f"is not UTF-8 text (byte {exc.start})"}]
        ) from None
    try:
        return load_json(text)
    except JSONInputError as exc:  # bad JSON, "[[[[..." deep, a 5,000-digit number
        raise CheckInputError([{"key": "body", "message": str(exc)}]) from None
