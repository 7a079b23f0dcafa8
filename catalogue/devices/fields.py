"""What people call a device's fields and statuses: the one table the editor's form, its error
summary, the device page and its history read (``irradiance_mw_cm2`` is "Irradiance (mW/cm²)",
``in_review`` is "In review")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalogue.devices.schemas import DeviceInput


@dataclass(frozen=True, slots=True)
class FieldFacts:
    label: str
    unit: str = ""
    shop_label: str = ""  # what the shop's compare table calls it, when shorter than ``label``

    @property
    def heading(self) -> str:
        """The label with its unit: ``Irradiance (mW/cm²)``."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


FIELDS: dict[str, FieldFacts] = {
    "name": FieldFacts("Name"),
    "brand": FieldFacts("Brand"),
    "slug": FieldFacts("Slug (for the address)"),
    "sku": FieldFacts("SKU"),
    "form_factor": FieldFacts("Form factor", shop_label="Form"),
    "price": FieldFacts("Price"),
    "currency": FieldFacts("Currency"),
    "emissions": FieldFacts("Wavelengths", "nm, with share in %"),
    "areas": FieldFacts("Intended body areas", shop_label="Listed for"),
    "irradiance_mw_cm2": FieldFacts("Irradiance", "mW/cm²"),
    "irradiance_distance_cm": FieldFacts("Measured at distance", "cm", shop_label="Measured at"),
    "treatment_area_cm2": FieldFacts("Treatment area", "cm²"),
    "led_count": FieldFacts("LED count", shop_label="LEDs"),
    "session_minutes": FieldFacts("Session length", "minutes", shop_label="Session"),
    "recommended_distance_cm": FieldFacts("Recommended distance", "cm", shop_label="Use at"),
    "power_w": FieldFacts("Power draw", "W"),
    "weight_kg": FieldFacts("Weight", "kg"),
    "warranty_months": FieldFacts("Warranty", "months"),
    "status": FieldFacts("Status"),
    "description": FieldFacts("Description"),
    "images": FieldFacts("Image alt texts"),
    "waiver": FieldFacts("Waived finding"),
}

STATUS_LABELS: dict[str, str] = {
    "draft": "Draft",
    "in_review": "In review",
    "published": "Published",
    "archived": "Archived",
}

# What the history calls each kind of change (a device's ``DeviceChange.action``).
CHANGE_LABELS: dict[str, str] = {
    "create": "created",
    "update": "edited",
    "restore": "restored an earlier version",
    "import": "imported",
    "seed": "loaded with the seed catalogue",
    "submit": "submitted for review",
    "approve": "approved and published",
    "send_back": "sent back to draft",
    "archive": "archived",
    "reopen": "reopened as draft",
    "waive": "warning waived",
    "unwaive": "waiver withdrawn",
    "image_add": "picture added",
    "image_alt": "alt text changed",
    "image_main": "main picture chosen",
    "image_move": "pictures reordered",
    "image_remove": "picture removed",
}

# Fields the form shows as a group of inputs: the error summary links to the group.
GROUPS = ("emissions", "areas")


def field_limits(name: str) -> dict[str, Any]:
    """A device field's bounds as the input schema declares them: ``{"ge": 0, "le": 200}``,
    ``{"max_length": 120}``. The schema is the one home of the ranges; hints read them."""
    field = DeviceInput.model_fields.get(name)
    found: dict[str, Any] = {}
    for constraint in field.metadata if field else ():
        for kind in ("ge", "gt", "le", "max_length"):
            value = getattr(constraint, kind, None)
            if value is not None:
                found[kind] = value
    return found


def field_range(name: str) -> str:
    """``"0–200 cm"``, ``"Above 0, at most 500 mW/cm²"``, ``"1–100,000"``; "" when unbounded."""
    limits = field_limits(name)
    if "le" not in limits:
        return ""
    high = _number(limits["le"])
    if "gt" in limits:
        text = f"Above {_number(limits['gt'])}, at most {high}"
    else:
        text = f"{_number(limits.get('ge', 0))}–{high}"
    unit = FIELDS[name].unit if name in FIELDS else ""
    return f"{text} {unit}" if unit else text


def field_max_length(name: str) -> int | None:
    value = field_limits(name).get("max_length")
    return int(value) if value is not None else None


def _number(value: float) -> str:
    """``100000`` -> ``100,000``; ``0.25`` stays ``0.25``."""
    return f"{value:,}" if float(value).is_integer() and isinstance(value, int) else f"{value:g}"


def field_label(name: str) -> str:
    """``"irradiance_mw_cm2"`` -> ``"Irradiance (mW/cm²)"``; an unknown name as it is."""
    facts = FIELDS.get(name)
    return facts.heading if facts else name


def field_anchor(name: str) -> str:
    """The id of the form control (or group of controls) for a field: ``f-price``, ``emissions``."""
    return name if name in GROUPS else f"f-{name}"


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def change_label(action: str) -> str:
    """``"send_back"`` -> ``"sent back to draft"``; an action not in the table, spaced out."""
    return CHANGE_LABELS.get(action, action.replace("_", " "))
