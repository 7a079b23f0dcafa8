"""What crosses HTTP, CSV and the CLI: validated input models and per-field messages.

Every range here comes from DOMAIN.md. A bad value becomes one message per field that
names the field and the allowed range, e.g. ``irradiance_mw_cm2: 900 is above the maximum 500``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import ValidationError, ValidationInfo, field_validator, model_validator
from sqlmodel import Field, SQLModel

from catalogue.core.inputs import control_character
from catalogue.data.models import FORM_FACTORS, STATUSES

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SKU_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# Active ISO 4217 codes a shop is likely to list in; an unknown code is refused by name.
CURRENCIES = frozenset(
    "AED ARS AUD BGN BRL CAD CHF CLP CNY COP CZK DKK EGP EUR GBP HKD HUF IDR ILS INR ISK JPY "
    "KRW MXN MYR NGN NOK NZD PEN PHP PKR PLN QAR RON RSD SAR SEK SGD THB TRY TWD UAH USD VND "
    "ZAR".split()
)

FormFactor = Literal["panel", "handheld", "wrap", "pad", "mask", "cap", "mat", "bulb"]
Status = Literal["draft", "in_review", "published", "archived"]
assert set(FormFactor.__args__) == set(FORM_FACTORS)  # type: ignore[attr-defined]
assert set(Status.__args__) == set(STATUSES)  # type: ignore[attr-defined]

FieldErrors = dict[str, str]

# The wavelengths a device may emit: visible through near-infrared.
MIN_NM, MAX_NM = 380, 1400
MAX_PRICE = 150_000
MAX_DESCRIPTION_CHARS = 20_000

# A device's own fields, named once for the table row, the form and the device file.
PRODUCT_FIELDS = ("name", "brand", "slug", "sku", "form_factor", "price", "currency")
# Its optional figures, each a number or unknown (None).
MEASUREMENTS = (
    "irradiance_mw_cm2",
    "irradiance_distance_cm",
    "treatment_area_cm2",
    "led_count",
    "session_minutes",
    "recommended_distance_cm",
    "power_w",
    "weight_kg",
    "warranty_months",
)


class EmissionInput(SQLModel):
    wavelength_nm: float = Field(ge=MIN_NM, le=MAX_NM)
    share_pct: float | None = Field(default=None, ge=0, le=100)


class DeviceInput(SQLModel):
    """A device as a merchandiser enters it (form, CSV row, JSON body)."""

    name: str = Field(min_length=1, max_length=200)
    brand: str = Field(min_length=1, max_length=100)
    slug: str = Field(min_length=1, max_length=120)
    sku: str = Field(min_length=1, max_length=64)
    form_factor: FormFactor
    price: Decimal = Field(ge=1, le=MAX_PRICE, decimal_places=2)
    currency: str
    emissions: list[EmissionInput] = Field(min_length=1)
    areas: list[str] = Field(default_factory=list)
    irradiance_mw_cm2: float | None = Field(default=None, gt=0, le=500)
    irradiance_distance_cm: float | None = Field(default=None, ge=0, le=200)
    treatment_area_cm2: float | None = Field(default=None, gt=0, le=50_000)
    led_count: int | None = Field(default=None, ge=1, le=100_000)
    session_minutes: float | None = Field(default=None, ge=0.25, le=60)
    recommended_distance_cm: float | None = Field(default=None, ge=0, le=200)
    power_w: float | None = Field(default=None, ge=0, le=5_000)
    weight_kg: float | None = Field(default=None, ge=0, le=200)
    warranty_months: int | None = Field(default=None, ge=0, le=120)
    description: str = Field(default="", max_length=MAX_DESCRIPTION_CHARS)
    status: Status = "draft"

    @field_validator("name", "brand", "description", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("name", "brand")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if found := control_character(value, lines=False):
            raise ValueError(f"holds a control character ({found}); type plain text")
        return value

    @field_validator("description")
    @classmethod
    def _text(cls, value: str) -> str:
        # Line breaks and tabs are fine in a description; NUL and the rest are not (PostgreSQL
        # refuses NUL in text, and none of them shows as anything a shopper can read).
        if found := control_character(value):
            raise ValueError(f"holds a control character ({found}); type plain text")
        return value

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG_RE.match(value):
            raise ValueError(f"{value!r} may hold only lowercase letters, digits and hyphens")
        return value

    @field_validator("sku")
    @classmethod
    def _sku(cls, value: str) -> str:
        if not SKU_RE.match(value):
            raise ValueError(f"{value!r} may hold only letters, digits, dots, dashes, underscores")
        return value

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> Any:
        code = str(value).strip().upper()
        if code not in CURRENCIES:
            raise ValueError(f"{value!r} is not an ISO 4217 currency code we sell in")
        return code

    @field_validator("areas")
    @classmethod
    def _areas(cls, value: list[str], info: ValidationInfo) -> list[str]:
        known: Collection[str] | None = (info.context or {}).get("areas")
        unknown = [a for a in value if known is not None and a not in known]
        if unknown:
            raise ValueError(f"unknown body area {', '.join(map(repr, unknown))}")
        if len(set(value)) != len(value):
            raise ValueError("an area is listed twice")
        return value

    @field_validator("emissions")
    @classmethod
    def _emissions(cls, value: list[EmissionInput]) -> list[EmissionInput]:
        seen: set[float] = set()
        for emission in value:
            if emission.wavelength_nm in seen:
                raise ValueError(f"{emission.wavelength_nm:g} nm is listed twice")
            seen.add(emission.wavelength_nm)
        total = sum(e.share_pct or 0 for e in value)
        if total > 100:
            raise ValueError(f"shares add up to {total:g} %, at most 100 % is allowed")
        return value

    @model_validator(mode="after")
    def _irradiance_with_distance(self) -> DeviceInput:
        if self.irradiance_mw_cm2 is not None and self.irradiance_distance_cm is None:
            raise ValueError(
                "irradiance_distance_cm: give the distance the irradiance was measured at"
            )
        if self.irradiance_distance_cm is not None and self.irradiance_mw_cm2 is None:
            raise ValueError(
                "irradiance_mw_cm2: give the irradiance measured at this distance, "
                "or leave both empty"
            )
        return self


def _number(value: Any) -> str:
    if isinstance(value, Decimal | float):
        return f"{value:g}" if isinstance(value, float) else f"{value.normalize():f}"
    return str(value)


def _is_fraction(value: Any) -> bool:
    """``"2.5"`` typed where a whole number belongs (an LED count, a warranty)."""
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def _message(error: Mapping[str, Any]) -> str:
    """A human message for one pydantic error, naming the allowed range."""
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    if isinstance(given, str) and len(given) > 40:
        given = given[:40] + "…"  # a 5,000-digit price is not echoed back whole
    if kind == "less_than_equal":
        return f"{_number(given)} is above the maximum {_number(ctx['le'])}"
    if kind == "greater_than_equal":
        return f"{_number(given)} is below the minimum {_number(ctx['ge'])}"
    if kind == "greater_than":
        return f"{_number(given)} must be above {_number(ctx['gt'])}"
    if kind == "int_parsing" and _is_fraction(given):
        return f"{given} must be a whole number"
    if kind in ("float_parsing", "int_parsing", "decimal_parsing", "float_type", "int_type"):
        return f"{given!r} is not a number"
    if kind == "int_from_float":
        return f"{_number(given)} must be a whole number"
    if kind == "decimal_max_places":
        return f"{_number(given)} has more than {ctx['decimal_places']} decimal places"
    if kind == "missing":
        return "is required"
    if kind == "string_too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else error["msg"]
    if kind == "string_too_long":
        return f"is longer than {ctx['max_length']} characters"
    if kind == "too_short":
        return "needs at least one emission"
    if kind == "literal_error":
        return f"{given!r} is not one of {ctx['expected']}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


def field_errors(exc: ValidationError) -> FieldErrors:
    """``{"irradiance_mw_cm2": "900 is above the maximum 500", "emissions": "..."}``."""
    errors: FieldErrors = {}
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        message = _message(error)
        if not loc and ": " in message:  # model-level check naming its own field
            name, message = message.split(": ", 1)
        elif loc[0] == "emissions" and len(loc) >= 3:
            name = "emissions"
            message = f"emission {int(loc[1]) + 1}, {loc[2]}: {message}"
        else:
            name = loc[0] if loc else "__all__"
        errors.setdefault(name, message)
    return errors


def parse_device(
    data: Mapping[str, Any], *, known_areas: Collection[str] | None = None
) -> tuple[DeviceInput | None, FieldErrors]:
    """Validate raw input; either a ``DeviceInput`` and no errors, or None and the errors."""
    try:
        return DeviceInput.model_validate(data, context={"areas": known_areas}), {}
    except ValidationError as exc:
        return None, field_errors(exc)
