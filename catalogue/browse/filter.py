"""The shopper's filter: query arguments in, a ``DeviceFilter`` and per-argument errors out.

Pure: no database. ``?light_type=nir&area=knees&max_price=500`` becomes
``DeviceFilter(light_type=("nir",), area=("knees",), max_price=Decimal("500.00"))``;
``?per_page=100000`` becomes an ``ArgumentError("per_page", "per_page accepts ...")``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from catalogue.core import bands as core
from catalogue.core.inputs import whole_number
from catalogue.data.models import FORM_FACTORS
from catalogue.devices.schemas import MAX_NM, MAX_PRICE, MIN_NM

SORTS: dict[str, str] = {
    "relevance": "Best match",
    "price": "Price, low to high",
    "-price": "Price, high to low",
    "irradiance": "Irradiance, low to high",
    "-irradiance": "Irradiance, high to low",
    "-dose": "Dose per session, high to low",
    "price_per_cm2": "Price per cm² treated, low to high",
    "name": "Name, A to Z",
    "newest": "Newest first",
}
COVERAGE_FILTERS: tuple[str, ...] = ("surface", "deep", "both")
FACETS: tuple[str, ...] = ("light_type", "coverage", "area", "form_factor", "brand")
PER_PAGE_DEFAULT = 24
PER_PAGE_MAX = 100
PAGE_MAX = 100_000
PRICE_MAX = Decimal(MAX_PRICE)
Q_MAX_CHARS = 200
Q_MAX_WORDS = 8
BRAND_FACET_LIMIT = 30
RANGES = ("min_price", "max_price", "min_nm", "max_nm", "max_session", "min_warranty")


@dataclass(frozen=True, slots=True)
class ArgumentError:
    """One bad query argument and what it accepts, e.g. per_page: "at most 100"."""

    key: str
    message: str


@dataclass(frozen=True, slots=True)
class DeviceFilter:
    """What a shopper asked for: OR within one facet, AND across facets."""

    light_type: tuple[str, ...] = ()
    coverage: tuple[str, ...] = ()
    area: tuple[str, ...] = ()
    form_factor: tuple[str, ...] = ()
    brand: tuple[str, ...] = ()
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    min_nm: float | None = None
    max_nm: float | None = None
    max_session: float | None = None  # minutes a session takes, at most
    min_warranty: int | None = None  # months of warranty, at least
    q: str = ""
    hide_misses: bool = False  # with an area chosen: only devices whose light gets there
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT

    @classmethod
    def from_query(
        cls, args: Mapping[str, Sequence[str]], *, area_slugs: Sequence[str]
    ) -> tuple[DeviceFilter, list[ArgumentError]]:
        """The filter from query arguments, and one error per bad argument.

        The filter leaves out what was bad, so a page can still show the rest:
        ``{"light_type": ["nir", "uv"]}`` gives ``light_type=("nir",)`` and an error for uv.
        """
        errors: list[ArgumentError] = []
        vocabularies: dict[str, Sequence[str]] = {
            "light_type": core.LIGHT_TYPES,
            "coverage": COVERAGE_FILTERS,
            "area": area_slugs,
            "form_factor": FORM_FACTORS,
        }
        values: dict[str, Any] = {}
        for key, vocabulary in vocabularies.items():
            chosen = _many(args, key)
            unknown = [v for v in chosen if v not in vocabulary]
            if unknown:
                errors.append(
                    ArgumentError(
                        key,
                        f"{', '.join(map(repr, unknown))} is not one we know; "
                        f"{key} accepts {', '.join(vocabulary)}",
                    )
                )
            # Vocabulary order, so one selection has one URL.
            values[key] = tuple(v for v in vocabulary if v in chosen)
        brands = _many(args, "brand")
        if any(len(b) > 100 for b in brands):
            errors.append(ArgumentError("brand", "a brand name is at most 100 characters"))
        values["brand"] = tuple(sorted(b for b in brands if len(b) <= 100))

        for key in ("min_price", "max_price"):
            values[key] = _one(args, key, errors, _price)
        for key in ("min_nm", "max_nm"):
            values[key] = _one(args, key, errors, _wavelength)
        values["max_session"] = _one(args, "max_session", errors, _minutes)
        values["min_warranty"] = _one(args, "min_warranty", errors, _whole(0, 120))
        for low, high in (("min_price", "max_price"), ("min_nm", "max_nm")):
            if values[low] is not None and values[high] is not None and values[low] > values[high]:
                errors.append(ArgumentError(high, f"{args[high][0]!r} is below {low}"))
                values[high] = None

        q = _one(args, "q", errors, _words) or ""
        values["hide_misses"] = _one(args, "hide_misses", errors, _flag) or False
        sort = _one(args, "sort", errors, _sort) or "relevance"
        page = _one(args, "page", errors, _whole(1, PAGE_MAX)) or 1
        per_page = _one(args, "per_page", errors, _whole(1, PER_PAGE_MAX)) or PER_PAGE_DEFAULT
        flt = cls(q=q, sort=sort, page=page, per_page=per_page, **values)
        return flt, errors

    @property
    def words(self) -> list[str]:
        return self.q.split()

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def active_count(self) -> int:
        """How many narrowing choices are on, for a "Filters (3)" badge: the search words are
        not counted, their box sits outside the filters, in view."""
        choices = sum(len(getattr(self, name)) for name in FACETS)
        ranges = (
            self.min_price,
            self.max_price,
            self.min_nm,
            self.max_nm,
            self.max_session,
            self.min_warranty,
        )
        return choices + sum(v is not None for v in ranges) + self.hide_misses

    def query_pairs(self) -> list[tuple[str, str]]:
        """The canonical query: facets in a fixed order, defaults left out."""
        pairs = [(name, v) for name in FACETS for v in getattr(self, name)]
        for name in RANGES:
            if getattr(self, name) is not None:
                pairs.append((name, self.value_text(name)))
        if self.q:
            pairs.append(("q", self.q))
        if self.hide_misses:
            pairs.append(("hide_misses", "1"))
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.per_page != PER_PAGE_DEFAULT:
            pairs.append(("per_page", str(self.per_page)))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def value_text(self, name: str) -> str:
        """A range bound as a person writes it: Decimal("500.00") -> "500", 812.5 -> "812.5"."""
        value = getattr(self, name)
        if value is None:
            return ""
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    def toggled(self, facet: str, value: str) -> DeviceFilter:
        """This filter with one facet value ticked or unticked, back on page 1."""
        current: tuple[str, ...] = getattr(self, facet)
        chosen = tuple(v for v in current if v != value) if value in current else (*current, value)
        changes: dict[str, Any] = {facet: chosen, "page": 1}
        return replace(self, **changes)

    def without(self, name: str) -> DeviceFilter:
        changes: dict[str, Any] = {name: DeviceFilter.__dataclass_fields__[name].default, "page": 1}
        return replace(self, **changes)

    def at_page(self, page: int) -> DeviceFilter:
        return replace(self, page=page)


def _many(args: Mapping[str, Sequence[str]], key: str) -> list[str]:
    """Repeated values, blanks dropped: ``?area=knees&area=&area=face`` -> knees, face."""
    return [v.strip() for v in args.get(key, ()) if v.strip()]


def _one(
    args: Mapping[str, Sequence[str]], key: str, errors: list[ArgumentError], parse: Any
) -> Any:
    given = _many(args, key)
    if not given:
        return None
    if len(given) > 1:
        errors.append(ArgumentError(key, f"give {key} once, not {len(given)} times"))
        return None
    try:
        return parse(given[0])
    except ValueError as exc:
        shown = given[0] if len(given[0]) <= 40 else given[0][:40] + "…"
        errors.append(ArgumentError(key, f"{key} {exc}; got {shown!r}"))
        return None


def _price(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"accepts a price from 0 to {PRICE_MAX:f}") from None
    if not value.is_finite() or not 0 <= value <= PRICE_MAX:
        raise ValueError(f"accepts a price from 0 to {PRICE_MAX:f}")
    return value.quantize(Decimal("0.01"))


def _wavelength(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"accepts a wavelength from {MIN_NM} to {MAX_NM} nm") from None
    if not MIN_NM <= value <= MAX_NM:  # also refuses nan
        raise ValueError(f"accepts a wavelength from {MIN_NM} to {MAX_NM} nm")
    return value


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError("accepts minutes from 0.25 to 60") from None
    if not 0.25 <= value <= 60:  # also refuses nan
        raise ValueError("accepts minutes from 0.25 to 60")
    return value


def _words(text: str) -> str:
    words = text.split()
    if len(text) > Q_MAX_CHARS or len(words) > Q_MAX_WORDS:
        raise ValueError(f"accepts up to {Q_MAX_WORDS} words and {Q_MAX_CHARS} characters")
    return " ".join(words)


def _flag(text: str) -> bool:
    if text not in ("0", "1"):
        raise ValueError("accepts 1 (on) or 0 (off)")
    return text == "1"


def _sort(text: str) -> str:
    if text not in SORTS:
        raise ValueError(f"accepts {', '.join(SORTS)}")
    return text


def _whole(low: int, high: int) -> Any:
    def parse(text: str) -> int:
        return whole_number(text, low=low, high=high)

    return parse


def url_for(path: str, pairs: Iterable[tuple[str, str]]) -> str:
    query = urlencode(list(pairs), safe=",")  # ids=a,b,c stays readable
    return f"{path}?{query}" if query else path
