"""The merchandiser's pages beyond the list: the form's error summary, the device page's human
labels, the shop preview of a draft, the notice after submitting, and Duplicate."""

from __future__ import annotations

import re
from typing import Any

import pytest

from catalogue.data.db import Database
from catalogue.devices.fields import FIELDS, field_label
from tests.test_editor_http import form_data

# (bad input, the field, the id its summary link leads to, the label it names)
SUMMARY_LINKS = [
    ({"price": "0.5"}, "price", "f-price", "Price"),
    (
        {"irradiance_mw_cm2": "900"},
        "irradiance_mw_cm2",
        "f-irradiance_mw_cm2",
        "Irradiance (mW/cm²)",
    ),
    ({"session_minutes": "90"}, "session_minutes", "f-session_minutes", "Session length (minutes)"),
    ({"currency": "XYZ"}, "currency", "f-currency", "Currency"),
    ({"form_factor": "lamp"}, "form_factor", "f-form_factor", "Form factor"),
    ({"emission_nm": ["200"]}, "emissions", "emissions", "Wavelengths (nm, with share in %)"),
    ({"areas": ["kneecaps"]}, "areas", "areas", "Intended body areas"),
]


@pytest.mark.parametrize(("overrides", "field", "anchor", "label"), SUMMARY_LINKS)
def test_the_error_summary_links_each_field_and_takes_focus(
    staff: Any, db: Database, overrides: dict[str, Any], field: str, anchor: str, label: str
) -> None:
    response = staff("merchandiser").form("/admin/devices/new", form_data(**overrides))
    assert response.status_code == 400
    page = response.text
    summary = page.split('id="form-errors"')[1].split("</div>")[0]
    assert 'tabindex="-1"' in summary and "data-error-summary" in summary
    links = re.findall(r'<a href="#([^"]+)">([^:<]+):', summary)
    assert links == [(anchor, label)]
    assert f'id="{anchor}"' in page  # the link leads somewhere
    # Focus is moved by the editor's script file: the CSP allows no inline script.
    assert '<script src="/static/admin.js"' in page and "<script>" not in page


def test_the_summary_counts_and_lists_every_bad_field(staff: Any, db: Database) -> None:
    bad = form_data(price="0", session_minutes="90", led_count="2.5")
    summary = (
        staff("merchandiser").form("/admin/devices/new", bad).text.split('id="form-errors"')[1]
    )
    summary = summary.split("</div>")[0]
    assert "3 fields need attention" in summary
    assert re.findall(r'<a href="#f-([a-z_]+)"', summary) == [
        "price",
        "led_count",
        "session_minutes",
    ]


def test_the_field_table_names_every_input_the_form_takes() -> None:
    from catalogue.devices.schemas import MEASUREMENTS, PRODUCT_FIELDS

    for name in (*PRODUCT_FIELDS, *MEASUREMENTS, "emissions", "areas", "description"):
        assert name in FIELDS
    assert field_label("irradiance_mw_cm2") == "Irradiance (mW/cm²)"
    assert field_label("no_such_field") == "no_such_field"
