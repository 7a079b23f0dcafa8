"""What people call a device's fields and statuses: the one table the editor's form, its error
summary, the device page and its history read (``irradiance_mw_cm2`` is "Irradiance (mW/cm²)",
``in_review`` is "In review")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldFacts:
    label: str
    unit: str = ""

    @property
    def heading(self) -> str:
        """The label with its unit: ``Irradiance (mW/cm²)``."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


FIELDS: dict[str, FieldFacts] = {
    "name": FieldFacts("Name"),
    "brand": FieldFacts("Brand"),
    "slug": FieldFacts("Slug (for the address)"),
    "sku": FieldFacts("SKU"),
    "form_factor": FieldFacts("Form factor"),
    "price": FieldFacts("Price"),
    "currency": FieldFacts("Currency"),
    "emissions": FieldFacts("Wavelengths", "nm, with share in %"),
    "areas": FieldFacts("Intended body areas"),
    "irradiance_mw_cm2": FieldFacts("Irradiance", "mW/cm²"),
    "irradiance_distance_cm": FieldFacts("Measured at distance", "cm"),
    "treatment_area_cm2": FieldFacts("Treatment area", "cm²"),
    "led_count": FieldFacts("LED count"),
    "session_minutes": FieldFacts("Session length", "minutes"),
    "recommended_distance_cm": FieldFacts("Recommended distance", "cm"),
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

# Fields the form shows as a group of inputs: the error summary links to the group.
GROUPS = ("emissions", "areas")


def field_label(name: str) -> str:
    """``"irradiance_mw_cm2"`` -> ``"Irradiance (mW/cm²)"``; an unknown name as it is."""
    facts = FIELDS.get(name)
    return facts.heading if facts else name


def field_anchor(name: str) -> str:
    """The id of the form control (or group of controls) for a field: ``f-price``, ``emissions``."""
    return name if name in GROUPS else f"f-{name}"


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
